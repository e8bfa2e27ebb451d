"""`make check` (python -m macros.commands.check): the build's data checks, without building.

Runs what every build runs first — MkDocs' configuration with the plugins' and hooks'
`on_config` (our macros load and check all data there, and check the pages' macro calls) — but
writes nothing. Then lists every 待填 figure and every value to double-check, with file:line.
Exit status 1 when there is an error (the same errors that stop a build), else 0.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError, PluginError

from macros.commands import schemas
from macros.commands.cli import Parser
from macros.core.errors import DataError
from macros.core.load import load_site
from macros.pages import draft


def run(root: Path, out=None) -> int:
    out = out or sys.stdout  # looked up at call time (a caller may have redirected it)
    root = root.resolve()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # our own report below, not MkDocs' log
    try:
        import jieba  # the search plugin loads it; its progress lines are noise here

        jieba.setLogLevel(logging.ERROR)
    except ImportError:
        pass
    errors: list[str] = []
    try:
        config = load_config(str(root / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        config.plugins.on_config(config)
    except (PluginError, ConfigurationError) as exc:
        # DataErrors (a list of problems) or one PluginError
        items = getattr(exc, "errors", None)
        errors += [e.render() if hasattr(e, "render") else str(e) for e in items] if items else [str(exc)]
    if not errors and schemas.stale(root):
        stale = "与 data/catalogue.yaml 不一致（编辑器提示会过时）；请运行 make schemas"
        errors.append(f"schemas/{schemas.FIGURES_SCHEMA}:1: {stale}")
    if errors:
        print("\n".join(errors), file=out)
        print(f"检查未通过：发现 {len(errors)} 处错误，构建会在写出网站之前停止。", file=out)
        return 1

    data = load_site(root, Path(config["docs_dir"]))
    unfilled: list[DataError] = data.unfilled()
    if unfilled:
        print(f"待填（{len(unfilled)} 项）：", file=out)
        print("\n".join(e.render() for e in unfilled), file=out)
    if data.warnings:
        print(f"需要核对（{len(data.warnings)} 处）：", file=out)
        print("\n".join(str(w) for w in data.warnings), file=out)
    drafts = draft.scan(Path(config["docs_dir"]))  # pages of a new year still to be rewritten
    if drafts:
        print(f"正文待改写（{len(drafts)} 处）：", file=out)
        print("\n".join(d.render() for d in drafts), file=out)
    years = "、".join(f"{y}年度" for y in sorted(data.years))
    ready = not unfilled and not data.warnings and not drafts
    tail = "可以发布（make build）" if ready else "可以预览，正式发布前需处理以上各项"
    counts = f"{len(unfilled)} 项待填，{len(data.warnings)} 处需要核对"
    counts += f"，{len(drafts)} 处正文待改写" if drafts else ""
    print(f"检查通过：{years}数据无错误，{counts}；{tail}。", file=out)
    return 0


def main(argv=None) -> int:
    parser = Parser(prog="make check", description="检查全部数据，不构建网站")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help="项目目录")
    return run(parser.parse_args(argv).root)


if __name__ == "__main__":
    sys.exit(main())
