"""Compare two built sites file by file (proof that a change, or another builder, changed nothing).

    python -m tools.same_site OLD_SITE NEW_SITE [--ignore-generator]

Every file under either folder is compared; a file present on one side only is a difference.
Files are equal when their bytes are equal, with exactly these allowances:

- `*.gz` (sitemap.xml.gz): compared after decompressing (the gzip header carries a time and a name);
- zip files (.docx, .xlsx, .zip such as the offline copy, …): member by member — the same names in the
  same order, each member's content equal (nested files by these same rules); the entry dates in the
  zip directory are not compared, and in `docProps/core.xml` only the text of `dcterms:created` and
  `dcterms:modified` (the time of writing) is ignored;
- with `--ignore-generator`, in HTML pages only the `<meta name="generator" content="…">` element
  (it names the builder: MkDocs or ProperDocs).

Prints each differing file with its first differing line (or member, or byte), then a summary line;
exits 1 on any difference, 2 when a folder is missing or both are empty.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ZIP_SUFFIXES = {".docx", ".xlsx", ".pptx", ".zip", ".odt", ".ods", ".odp", ".epub"}
HTML_SUFFIXES = {".html", ".htm"}
CORE_PROPERTIES = "docProps/core.xml"
# only the two time stamps of the OOXML core properties, nothing else in that file
CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
# exactly the element Material writes (base.html): name first, then content, nothing else
GENERATOR = re.compile(rb'<meta name="generator" content="[^"<>]*">')
EXCERPT = 60  # characters shown either side of the first difference


@dataclass(frozen=True)
class Options:
    ignore_generator: bool = False


@dataclass
class Report:
    same: list[str] = field(default_factory=list)
    differ: list[tuple[str, str]] = field(default_factory=list)  # (path, first difference)
    only_old: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.same) + len(self.differ) + len(self.only_old) + len(self.only_new)

    @property
    def ok(self) -> bool:
        return not (self.differ or self.only_old or self.only_new)

    def lines(self) -> list[str]:
        out = [f"仅在旧网站：{rel}" for rel in self.only_old]
        out += [f"仅在新网站：{rel}" for rel in self.only_new]
        out += [f"不同：{rel}：{why}" for rel, why in self.differ]
        out.append(self.summary())
        return out

    def summary(self) -> str:
        one_side = len(self.only_old) + len(self.only_new)
        return f"比较 {self.total} 个文件：相同 {len(self.same)}，不同 {len(self.differ)}，仅一侧 {one_side}"


def files(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*")) if path.is_file()}


def compare_sites(old: Path, new: Path, options: Options = Options()) -> Report:
    a, b = files(old), files(new)
    report = Report()
    for rel in sorted(set(a) | set(b)):
        if rel not in b:
            report.only_old.append(rel)
        elif rel not in a:
            report.only_new.append(rel)
        elif (why := difference(rel, a[rel].read_bytes(), b[rel].read_bytes(), options)) is None:
            report.same.append(rel)
        else:
            report.differ.append((rel, why))
    return report


def difference(name: str, old: bytes, new: bytes, options: Options) -> str | None:
    """None when equal under the rules above, else where they first differ (one line, Chinese)."""
    if old == new:
        return None
    suffix = Path(name).suffix.lower()
    if suffix == ".gz":
        try:
            inner_old, inner_new = gzip.decompress(old), gzip.decompress(new)
        except (OSError, EOFError) as error:
            return f"无法解压（{error}）"
        why = difference(name[:-3], inner_old, inner_new, options)
        return None if why is None else f"解压后{why}"
    if suffix in ZIP_SUFFIXES:
        return zip_difference(old, new, options)
    if suffix in HTML_SUFFIXES and options.ignore_generator:
        old, new = GENERATOR.sub(b"", old), GENERATOR.sub(b"", new)
    return None if old == new else first_difference(old, new)


def zip_difference(old: bytes, new: bytes, options: Options) -> str | None:
    try:
        za, zb = zipfile.ZipFile(io.BytesIO(old)), zipfile.ZipFile(io.BytesIO(new))
    except zipfile.BadZipFile as error:
        return f"不是有效的 zip 文件（{error}）"
    with za, zb:
        why = names_difference(za.namelist(), zb.namelist())
        if why is None and za.comment != zb.comment:
            why = "zip 注释不同"
        for name in za.namelist() if why is None else ():
            member_old, member_new = za.read(name), zb.read(name)
            if name == CORE_PROPERTIES:
                member_old, member_new = CORE_TIMES.sub(rb"\1\3", member_old), CORE_TIMES.sub(rb"\1\3", member_new)
            if (member_why := difference(name, member_old, member_new, options)) is not None:
                return f"成员 {name}：{member_why}"
    return why


def names_difference(names_old: list[str], names_new: list[str]) -> str | None:
    if only := [name for name in names_old if name not in names_new]:
        return f"成员 {only[0]} 仅在旧文件中"
    if only := [name for name in names_new if name not in names_old]:
        return f"成员 {only[0]} 仅在新文件中"
    return None if names_old == names_new else "成员顺序不同"


def first_difference(old: bytes, new: bytes) -> str:
    try:
        text_old, text_new = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
        return f"第 {at + 1} 字节起不同（大小 {len(old)} / {len(new)} 字节）"
    lines_old, lines_new = text_old.splitlines(), text_new.splitlines()
    for number, (line_old, line_new) in enumerate(zip(lines_old, lines_new, strict=False), start=1):
        if line_old != line_new:
            column = next(
                (i for i, (x, y) in enumerate(zip(line_old, line_new, strict=False)) if x != y),
                min(len(line_old), len(line_new)),
            )
            return f"第 {number} 行第 {column + 1} 列：旧 {excerpt(line_old, column)}；新 {excerpt(line_new, column)}"
    if len(lines_old) != len(lines_new):
        number = min(len(lines_old), len(lines_new)) + 1
        return f"第 {number} 行起：旧 {len(lines_old)} 行，新 {len(lines_new)} 行"
    return "只有换行符或文件末尾的换行不同"


def excerpt(line: str, column: int) -> str:
    start = max(0, column - EXCERPT)
    text = line[start : column + EXCERPT]
    return repr(("…" if start else "") + text + ("…" if column + EXCERPT < len(line) else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="逐个文件比较两次构建出的网站；有任何不同时退出码为 1")
    parser.add_argument("old", type=Path, help="旧网站目录")
    parser.add_argument("new", type=Path, help="新网站目录")
    parser.add_argument(
        "--ignore-generator", action="store_true",
        help='HTML 中只忽略 <meta name="generator" content="…"> 元素（比较 MkDocs 与 ProperDocs 的构建）',
    )
    args = parser.parse_args(argv)
    for folder in (args.old, args.new):
        if not folder.is_dir():
            print(f"不是目录：{folder}", file=sys.stderr)
            return 2
    report = compare_sites(args.old, args.new, Options(ignore_generator=args.ignore_generator))
    if report.total == 0:
        print(f"两侧都没有文件：{args.old}、{args.new}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
