"""The 编辑指南 pages, generated from the data, the catalogue and the schemas.

- `completeness()`: per year, the 待填 and filled figures, each linking to the sentences that use it.
- `field_reference()`: every field of every data file with its rule, read from the schemas
  (the figures schema is generated from the catalogue), so the documentation cannot drift.
- `error_example()`: the message a real check prints for a typical slip, produced by running
  the build's own checker on a copy of the data with that slip.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from . import validate
from .data import PLAUSIBLE_MAX, UNFILLED, SiteData, check_figures, figures_schema
from .nav import title_of
from .page_meta import anchor
from .scan import FIG_CALL

EXAMPLE_KINDS = ("value", "rename", "no_colon", "tab", "duplicate", "gbk")
MACRO = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
MARKUP = re.compile(r"\*\*|__|`")


def _wrap(start, inner, end) -> Markup:  # until this module's markup moves into templates
    return Markup(start) + inner + Markup(end)



class Guide:
    def __init__(self, data: SiteData, docs_dir: Path):
        """`data` is the masked copy in the 脱敏 build (macros/redact.py): no real value is shown."""
        self.data = data
        self.docs_dir = Path(docs_dir)

    # -- 数据完整性 ---------------------------------------------------------
    def _uses(self, year: int) -> dict[str, list[tuple[str, int, int, str]]]:
        """key -> [(page showing it, line, nth use on that page, file with the call)] for this year."""
        found: dict[str, list] = {}
        seen: dict[tuple, int] = {}
        for use in sorted(self.data.usages, key=lambda u: (u.page, u.line)):
            if not use.page.startswith(f"{year}/"):
                continue
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

    def _excerpt(self, src: str, line: int, key: str, year: int) -> Markup:
        """The sentence around the figure, as the reader sees it, the figure marked."""
        text = (self.docs_dir / src).read_text("utf-8").splitlines()[line - 1]
        values = self.data.years[year].values
        parts, target_done = [], False
        pos = 0
        for match in MACRO.finditer(text):
            parts.append(escape(MARKUP.sub("", text[pos: match.start()])))
            call = FIG_CALL.search(match.group(1))
            if call:
                value = values.get(call.group(1))
                shown = UNFILLED if value is None else str(value)
                if call.group(1) == key and not target_done:
                    parts.append(Markup("<mark>{}</mark>").format(shown))
                    target_done = True
                else:
                    parts.append(escape(shown))
            pos = match.end()
        parts.append(escape(MARKUP.sub("", text[pos:])))
        sentence = Markup("").join(parts)
        # keep about 30 characters either side of the figure
        marked = str(sentence)
        start = marked.find("<mark>")
        end = marked.find("</mark>") + len("</mark>")
        before, after = marked[:start], marked[end:]
        cut = re.compile(r"&[#\w]+;|.")  # do not cut an entity in half
        before_chars, after_chars = cut.findall(before), cut.findall(after)
        left = ("…" if len(before_chars) > 30 else "") + "".join(before_chars[-30:])
        right = "".join(after_chars[:30]) + ("…" if len(after_chars) > 30 else "")
        return Markup(left + marked[start:end] + right)

    def completeness(self, here) -> str:
        """Markdown: a section per year (newest first) with its 待填 and filled figures."""
        out = []
        for year in sorted(self.data.years, reverse=True):
            data = self.data.years[year]
            uses = self._uses(year)
            missing = [k for k in self.data.figures if data.values.get(k) is None]
            filled = [k for k in self.data.figures if data.values.get(k) is not None]
            out.append(f"## {year}年度\n")
            out.append(
                f"共 {len(self.data.figures)} 个数据项：已填 {len(filled)} 项，待填 {len(missing)} 项。"
                f"数值写在 `{data.doc.path}`。\n"
            )
            out.append(f"### 待填（{len(missing)} 项） {{ #{year}-missing }}\n")
            out.append(str(self._table(year, missing, uses, here)) if missing else "没有待填的数据项。")
            out.append("")
            out.append(f"### 已填（{len(filled)} 项） {{ #{year}-filled }}\n")
            out.append(str(self._table(year, filled, uses, here)) if filled else "还没有已填的数据项。")
            out.append("")
        return "\n".join(out)

    def _table(self, year: int, keys: list[str], uses: dict, here) -> Markup:
        data = self.data.years[year]
        rows = []
        for key in keys:
            figure = self.data.figures[key]
            value = data.values.get(key)
            shown = (
                Markup('<span class="fig fig--missing">{}</span>').format(UNFILLED)
                if value is None
                else Markup("{}{}").format(value, figure.unit)
            )
            links = [
                Markup('<li><a href="{}#{}">{}</a>：{}</li>').format(
                    here.href(page),
                    anchor(key, nth),
                    title_of(self.docs_dir / page),
                    self._excerpt(src, line, key, year),
                )
                for page, line, nth, src in uses.get(key, [])
            ]
            used = Markup('<ul class="fig-uses">{}</ul>').format(Markup("").join(links)) if links else "未被引用"
            rows.append(
                Markup(
                    '<tr id="{}-{}"><td>{}<br><code>{}</code></td><td class="nowrap">{}</td>'
                    '<td><code class="nowrap">{}:{}</code></td><td>{}</td></tr>'
                ).format(year, key, figure.label, key, shown, data.doc.path, data.doc.line(key), used)
            )
        return _wrap('<table class="guide-table completeness">', Markup(
            "<thead><tr><th>数据项（键名）</th><th>取值</th>"
            "<th>数据文件:行</th><th>用在哪里</th></tr></thead><tbody>{}</tbody>"
        ).format(Markup("").join(rows)), "</table>")

    # -- 字段说明 -----------------------------------------------------------
    def field_reference(self) -> str:
        """Markdown: the figures of the catalogue, then every other data file's fields."""
        schema = figures_schema(self.data.figures)
        rows = []
        for key, figure in self.data.figures.items():
            rows.append(
                Markup(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
                ).format(
                    key,
                    figure.label,
                    figure.unit or "—",
                    figure.section,
                    rule(schema["properties"][key], schema) + _plausible(figure.type),
                )
            )
        out = [
            "## 年度数据项（data/<年份>/figures.yaml）\n",
            f"共 {len(self.data.figures)} 项，定义在 `data/catalogue.yaml`；每年的取值写在 `data/<年份>/figures.yaml`，"
            "写法是一行一项：`键名: 值`。\n",
            str(
                _wrap('<table class="guide-table fields">', Markup(
                    "<thead><tr><th>键名</th><th>中文名称</th><th>单位</th>"
                    "<th>所在部分</th><th>规则</th></tr></thead><tbody>{}</tbody>"
                ).format(Markup("").join(rows)), "</table>")
            ),
            "",
        ]
        for path in sorted(validate.SCHEMA_DIR.glob("*.schema.json")):
            name = path.name.removesuffix(".schema.json")
            if name == "figures":
                continue  # generated from the catalogue: the table above
            node = validate.schema(name)
            title = node.get("title", name)
            out.append(f"## {escape(title)}\n")
            if node.get("description"):
                out.append(f"{escape(node['description'])}\n")
            out.append(str(_fields_table(node)))
            out.append("")
        return "\n".join(out)

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
        file = Markup("<code>{}</code>").format(rel)
        if kind == "duplicate":
            what = Markup("在 {} 末尾再写一行 <code>{}</code>").format(file, changed)
        elif kind == "gbk":
            what = Markup("把 {} 用记事本“另存为”ANSI（即 GBK）编码").format(file)
        else:
            tab = "（⇥ 表示 Tab 键）" if kind == "tab" else ""
            what = Markup("把 {} 中的 <code>{}</code> 改成 <code>{}</code>{}").format(
                file, before, changed.replace("\t", "⇥"), tab
            )
        return _wrap('<div class="error-example">', Markup(
            "<p>例：{}，保存后显示：</p><pre><code>{}</code></pre>"
        ).format(what, "\n".join(messages)), "</div>")


def _is_fulltext(path: Path) -> bool:
    return "include_section(" in path.read_text("utf-8") and path.name != "index.md"


def _plausible(kind: str) -> Markup:
    return Markup("；大于 {} 时提示核对").format(PLAUSIBLE_MAX) if kind == "count" else Markup("")


TYPE = {"integer": "整数", "number": "数字", "string": "文字", "boolean": "true 或 false", "null": "留空",
        "object": "一组“键: 值”", "array": "列表（每项一行，以“- ”开头）"}


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def rule(node: dict, root: dict) -> Markup:
    """A schema node as a short Chinese rule: 非负整数，或 待填，或留空."""
    node = _resolve(node, root)
    for combo in ("anyOf", "oneOf"):
        if combo in node:
            return Markup("，或 ").join(rule(option, root) for option in node[combo])
    if "const" in node:
        return Markup("<code>{}</code>").format(node["const"])
    if "enum" in node:
        return Markup("其中之一：{}").format(
            Markup("、").join(Markup("<code>{}</code>").format(v) for v in node["enum"])
        )
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    text = "或".join(TYPE.get(k, k) for k in kinds) or "任意"
    if kinds == ["string"] and not node.get("x-multiline"):
        text = "一行文字"  # line breaks and tabs are refused (macros/validate.py)
    if kinds == ["integer"] and node.get("minimum") == 0:
        text = "非负整数" + (f"，不大于 {node['maximum']}" if "maximum" in node else "")
    elif "minimum" in node and "maximum" in node:
        text += f"（{node['minimum']}～{node['maximum']}）"
    elif "minimum" in node:
        text += f"，不小于 {node['minimum']}"
    elif "maximum" in node:
        text += f"，不大于 {node['maximum']}"
    if node.get("format") == "date":
        return escape("日期，写成 2023-01-10")
    if node.get("minLength"):
        text += "，不能为空"
    if node.get("pattern"):
        text += f"，格式 {node['pattern']}"
    return escape(text)


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


def _fields_table(schema: dict) -> Markup:
    rows = [
        Markup("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
            path, node.get("title", ""), "必填" if req else "可不写", rule(node, schema)
        )
        for path, node, req in _fields(schema, schema)
    ]
    return _wrap('<table class="guide-table fields">', Markup(
        "<thead><tr><th>字段</th><th>名称</th><th>必填</th><th>规则</th>"
        "</tr></thead><tbody>{}</tbody>"
    ).format(Markup("").join(rows)), "</table>")
