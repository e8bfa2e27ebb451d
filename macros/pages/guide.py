"""The 编辑指南 pages, generated from the data, the catalogue and the schemas.

- `completeness()`: per year, the 待填 and filled figures, each linking to the sentences that use it.
- `field_reference()`: every field of every data file with its rule, read from the schemas
  (the figures schema is generated from the catalogue), so the documentation cannot drift.
- `error_example()`: the message a real check prints for a typical slip, produced by running
  the build's own checker on a copy of the data with that slip.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from macros.core.catalogue import Figure
from macros.core.load import PLAUSIBLE_MAX, UNFILLED, SiteData, check_figures, figures_schema
from macros.core.reading import validate
from macros.core.scan import FIG_CALL
from macros.pages.nav import title_of
from macros.pages.render import anchor
from macros.pages.templating import render

EXAMPLE_KINDS = ("value", "rename", "no_colon", "tab", "duplicate", "gbk")
MACRO = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
MARKUP = re.compile(r"\*\*|__|`")


@dataclass(frozen=True)
class Excerpt:
    """The sentence around a figure as the reader sees it: text before, the figure, text after."""

    before: str
    value: str
    after: str


@dataclass(frozen=True)
class Row:
    """One figure of a year on the 数据完整性 page."""

    figure: Figure
    value: object  # None: 待填
    line: int  # its line in the year's figures file
    uses: list[tuple[str, str, Excerpt]]  # (href, page title, excerpt) of each sentence showing it


@dataclass(frozen=True)
class Rule:
    """One way a field may be written: literal values to type (const, enum) or a description."""

    text: str = ""
    values: tuple[str, ...] = ()
    one_of: bool = False  # an enum: 其中之一：a、b


class Guide:
    def __init__(self, data: SiteData, docs_dir: Path):
        """`data` is the masked copy in the 脱敏 build (macros/core/redact.py): no real value is shown."""
        self.data = data
        self.docs_dir = Path(docs_dir)

    # -- 数据完整性 ---------------------------------------------------------
    def _uses(self, year: int, usages: list) -> dict[str, list[tuple[str, int, int, str]]]:
        """key -> [(page showing it, line, nth use on that page, file with the call)] for this year;
        `usages`: the year's figure calls, in page and line order."""
        found: dict[str, list] = {}
        seen: dict[tuple, int] = {}
        for use in usages:
            for page in self._pages_showing(use.page):
                nth = seen.get((page, use.key), 0)
                seen[(page, use.key)] = nth + 1
                found.setdefault(use.key, []).append((page, use.line, nth, use.page))
        return found

    def _pages_showing(self, src: str) -> list[str]:
        """A page shows its own figures; a fragment (_x.md) is shown by the pages including it."""
        name = src.rsplit("/", 1)[-1]
        if not name.startswith("_"):
            return [src]
        folder = self.docs_dir / src.rsplit("/", 1)[0]
        return [
            p.relative_to(self.docs_dir).as_posix()
            for p in sorted(folder.glob("*.md"))
            if not p.name.startswith("_") and f'"{name}"' in p.read_text("utf-8") and not _is_fulltext(p)
        ]

    def _excerpt(self, lines: list[str], line: int, key: str, year: int) -> Excerpt:
        """The sentence around the figure, as the reader sees it (about 30 characters either side)."""
        text = lines[line - 1]
        values = self.data.years[year].values
        before, after, target = [], [], None
        pos = 0
        for match in MACRO.finditer(text):
            (before if target is None else after).append(MARKUP.sub("", text[pos : match.start()]))
            call = FIG_CALL.search(match.group(1))
            if call:
                value = values.get(call.group(1))
                shown = UNFILLED if value is None else str(value)
                if call.group(1) == key and target is None:
                    target = shown
                else:
                    (before if target is None else after).append(shown)
            pos = match.end()
        (before if target is None else after).append(MARKUP.sub("", text[pos:]))
        left, right = "".join(before), "".join(after)
        return Excerpt(
            ("…" if len(left) > 30 else "") + left[-30:], target or "", right[:30] + ("…" if len(right) > 30 else "")
        )

    def completeness(self, here) -> Markup:
        """Markdown: a section per year (newest first) with its 待填 and filled figures."""
        years = []
        # each page read once in this call, not once per sentence that quotes it
        lines = functools.cache(lambda src: (self.docs_dir / src).read_text("utf-8").splitlines())
        titles = functools.cache(lambda page: title_of(self.docs_dir / page))
        by_year: dict[str, list] = {}  # sorted once, not once per year
        for use in sorted(self.data.usages, key=lambda u: (u.page, u.line)):
            by_year.setdefault(use.page.split("/", 1)[0], []).append(use)
        for year in sorted(self.data.years, reverse=True):
            data = self.data.years[year]
            uses = self._uses(year, by_year.get(str(year), []))
            rows = [
                Row(figure, data.values.get(key), data.doc.line(key), self._links(year, key, uses, here, lines, titles))
                for key, figure in self.data.figures.items()
            ]
            missing = [row for row in rows if row.value is None]
            years.append((year, data.doc.path, missing, [row for row in rows if row.value is not None]))
        return render("guide_completeness.html", years=years, count=len(self.data.figures))

    def _links(self, year: int, key: str, uses: dict, here, lines, titles) -> list[tuple[str, str, Excerpt]]:
        """(href, page title, excerpt) of each sentence that shows the figure."""
        return [
            (here.href(page, anchor(key, nth)), titles(page), self._excerpt(lines(src), line, key, year))
            for page, line, nth, src in uses.get(key, [])
        ]

    # -- 字段说明 -----------------------------------------------------------
    def field_reference(self) -> Markup:
        """Markdown: the figures of the catalogue, then every other data file's fields."""
        schema = figures_schema(self.data.figures)
        figures = [(figure, rule(schema["properties"][key], schema)) for key, figure in self.data.figures.items()]
        files = []
        for path in sorted(validate.SCHEMA_DIR.glob("*.schema.json")):
            if path.name == "figures.schema.json":
                continue  # generated from the catalogue: the figures' table
            node = validate.schema(path.name.removesuffix(".schema.json"))
            fields = [
                (name, child.get("title", ""), required, rule(child, node))
                for name, child, required in _fields(node, node)
            ]
            files.append((node.get("title", path.name), node.get("description"), fields))
        return render("guide_fields.html", figures=figures, files=files, plausible_max=PLAUSIBLE_MAX)

    # -- 看懂错误信息 -------------------------------------------------------
    def error_example(self, kind: str, key: str = "study.sessions", value: str = "") -> Markup:
        """What `make check` / a build prints for one typical slip in the latest year's figures.

        kind: value (key: value), rename (key → value), no_colon, tab, duplicate (key: value again),
        gbk (the whole file saved as GBK)."""
        if kind not in EXAMPLE_KINDS:
            raise ValueError(f"error_example 的类型应为 {'、'.join(EXAMPLE_KINDS)} 之一，实际为 {kind}")
        year = self.data.latest
        rel = f"data/{year}/figures.yaml"
        lines = (self.data.root / rel).read_text("utf-8-sig").splitlines()  # already checked by this build
        if not any(line.startswith(f"{key}:") for line in lines):
            lines.append(f"{key}: {UNFILLED}")
        n = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))

        def slip(line: str) -> str:
            return {
                "value": f"{key}: {value}",
                "rename": line.replace(key, value, 1),
                "no_colon": line.replace(": ", " ", 1),
                "tab": "\t" + line,
                "duplicate": f"{key}: {value}",
            }.get(kind, line)

        before = lines[n]
        if kind == "duplicate":
            lines.append(slip(before))
        else:
            lines[n] = slip(before)
        text = "\n".join(lines) + "\n"
        messages = check_figures(text.encode("gbk" if kind == "gbk" else "utf-8"), rel, self.data.figures)
        if kind != "gbk":  # only what this slip causes (a new year's other 待填 figures are not part of it)
            at = f"{rel}:{len(lines) if kind == 'duplicate' else n + 1}:"
            messages = [m for m in messages if m.startswith(at)] or messages
        if self.data.withheld:  # the line as it is in the 脱敏 build: its value masked
            shown = self.data.years[year].values.get(key)
            before = f"{key}: {UNFILLED if shown is None else shown}"
        changed = slip(before)
        return render(
            "guide_error_example.html",
            kind=kind,
            file=rel,
            before=before,
            changed=changed if kind == "duplicate" else changed.replace("\t", "⇥"),
            messages="\n".join(messages),
        )


def _is_fulltext(path: Path) -> bool:
    return "include_section(" in path.read_text("utf-8") and path.name != "index.md"


TYPE = {
    "integer": "整数",
    "number": "数字",
    "string": "文字",
    "boolean": "true 或 false",
    "null": "留空",
    "object": "一组“键: 值”",
    "array": "列表（每项一行，以“- ”开头）",
}


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def rule(node: dict, root: dict) -> list[Rule]:
    """A schema node as short Chinese rules, the alternatives of: 非负整数，或 待填，或留空."""
    node = _resolve(node, root)
    for combo in ("anyOf", "oneOf"):
        if combo in node:
            return [alternative for option in node[combo] for alternative in rule(option, root)]
    if "const" in node:
        return [Rule(values=(str(node["const"]),))]
    if "enum" in node:
        return [Rule(values=tuple(str(v) for v in node["enum"]), one_of=True)]
    return [Rule(text=_describe(node))]


def _describe(node: dict) -> str:
    """A schema node's type and limits in words: 非负整数, 文字，不能为空, 整数（1～12）."""
    if node.get("format") == "date":
        return "日期，写成 2023-01-10"
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    text = "或".join(TYPE.get(k, k) for k in kinds) or "任意"
    if kinds == ["string"] and not node.get("x-multiline"):
        text = "一行文字"  # line breaks and tabs are refused (macros/core/reading/validate.py)
    if kinds == ["integer"] and node.get("minimum") == 0:
        text = "非负整数" + (f"，不大于 {node['maximum']}" if "maximum" in node else "")
    else:
        text += _bounds(node)
    if node.get("minLength"):
        text += "，不能为空"
    if node.get("pattern"):
        text += f"，格式 {node['pattern']}"
    return text


def _bounds(node: dict) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f"（{low}～{high}）"
    if low is not None:
        return f"，不小于 {low}"
    if high is not None:
        return f"，不大于 {high}"
    return ""


def _fields(node: dict, root: dict, prefix: str = "") -> list[tuple[str, dict, bool]]:
    """(path, node, required) for every leaf field of an object schema."""
    node = _resolve(node, root)
    found = []
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        child = _resolve(child, root)
        path = f"{prefix}{name}"
        found.append((path, child, name in required))
        if child.get("type") == "object":
            found += _fields(child, root, path + ".")
        elif child.get("type") == "array" and isinstance(child.get("items"), dict):
            items = _resolve(child["items"], root)
            if items.get("type") == "object":
                found += _fields(items, root, path + "[].")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and _resolve(extra, root).get("properties"):
        found += _fields(extra, root, prefix + "<键名>.")
    return found
