"""make second-builder: build this site with MkDocs and with ProperDocs and compare the two, file by file.

    python -m tools.compare_builders [--variant normal redacted offline] [--keep DIR]

ProperDocs (PyPI `properdocs`, the maintained continuation of MkDocs 1.x) is installed in the same
venv as MkDocs (requirements/dev.txt): it ships only the `properdocs` package and, when its own command
runs, aliases every `mkdocs.*` import to `properdocs.*` (properdocs/replacement.py), so the `mkdocs`
command is untouched and the plugins (Material, mkdocs-macros, ours) load against ProperDocs.

Each variant (the normal site, the 脱敏版 REDACTED=true, the offline copy OFFLINE=true) is built
strictly by both commands from this mkdocs.yml, each into its own temporary folder and with its own
empty $XDG_CACHE_HOME, so the .docx/.xlsx downloads are really written by each build rather than
copied from the download cache. SITE_URL is set (unless already set) so that the sitemap and the
canonical links are complete. Then tools/same_site.py compares the outputs with only the
`<meta name="generator">` element ignored. Exits 1, naming the files, on any difference or failed build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.same_site import Options, compare_sites

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUILDERS = {  # name -> (command, what its pages' generator element must name)
    "MkDocs": ("mkdocs", 'content="mkdocs-1.6.1,'),
    "ProperDocs": ("properdocs", 'content="mkdocs-ProperDocs 1.6.7,'),
}
VARIANTS = {"normal": {}, "redacted": {"REDACTED": "true"}, "offline": {"OFFLINE": "true"}}
# must be present on both sides of the normal build: the comparison covers them or it proves nothing
REQUIRED = ["index.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"]
REQUIRED_SUFFIXES = [".docx", ".xlsx", ".txt"]
EXPORT_CACHE = "party-site-exports"


def build(builder: str, variant: str, work: Path) -> tuple[Path, float]:
    command, _ = BUILDERS[builder]
    out, cache = work / variant / builder / "site", work / variant / builder / "cache"
    cache.mkdir(parents=True)
    env = {
        **os.environ, **VARIANTS[variant], "XDG_CACHE_HOME": str(cache), "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": os.environ.get("SITE_URL") or "http://party-site.intranet/",
    }
    # not --quiet: with it MkDocs drops warnings before --strict can count them
    cmd = [str(BIN / command), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise Failed(f"{builder} 构建{variant}失败（退出码 {result.returncode}）：\n{result.stdout}{result.stderr}")
    if not any((cache / EXPORT_CACHE).glob("*")):
        raise Failed(f"{builder} 构建{variant}：下载文件缓存 {cache / EXPORT_CACHE} 是空的，导出步骤没有运行？")
    return out, seconds


def check_builder(builder: str, site: Path) -> None:
    """The pages name the builder that wrote them: proof the second build was not MkDocs again."""
    _, mark = BUILDERS[builder]
    pages = sorted(site.rglob("*.html"))
    wrong = [page for page in pages if mark not in page.read_text("utf-8")]
    if not pages or wrong:
        raise Failed(f"{builder} 的构建中 {len(wrong)} 个页面的 generator 元素不含 {mark!r}，如 {wrong[:1]}")


def check_required(variant: str, mkdocs: Path, properdocs: Path) -> None:
    if variant != "normal":
        return
    for site in (mkdocs, properdocs):
        missing = [rel for rel in REQUIRED if not (site / rel).is_file()]
        missing += [f"*{suffix}" for suffix in REQUIRED_SUFFIXES if not any(site.rglob(f"*{suffix}"))]
        if missing:
            raise Failed(f"{site} 中缺少 {', '.join(missing)}：比较不完整")


class Failed(Exception):
    pass


def compare_variant(variant: str, work: Path) -> bool:
    mkdocs, mk_seconds = build("MkDocs", variant, work)
    properdocs, pd_seconds = build("ProperDocs", variant, work)
    check_builder("MkDocs", mkdocs)
    check_builder("ProperDocs", properdocs)
    check_required(variant, mkdocs, properdocs)
    report = compare_sites(mkdocs, properdocs, Options(ignore_generator=True))
    for line in report.lines()[:-1]:
        print(f"[{variant}] {line}")
    print(f"[{variant}] MkDocs {mk_seconds:.1f} s，ProperDocs {pd_seconds:.1f} s；{report.summary()}")
    return report.ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用 MkDocs 与 ProperDocs 各构建一次本站并逐个文件比较")
    parser.add_argument("--variant", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--keep", type=Path, help="构建结果留在这个目录（默认用临时目录，结束后删除）")
    args = parser.parse_args(argv)
    for command, _ in BUILDERS.values():
        if not (BIN / command).is_file():
            print(f"找不到 {BIN / command}：先运行 make（requirements/dev.txt 含 properdocs）", file=sys.stderr)
            return 2
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="party-site-builders-")) if args.keep is None else args.keep
    try:
        if args.keep is not None:
            for variant in VARIANTS:
                shutil.rmtree(work / variant, ignore_errors=True)
        results = [compare_variant(variant, work) for variant in args.variant]
    except Failed as failure:
        print(failure, file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    ok = all(results)
    verdict = "相同（只有 generator 元素不同）" if ok else "有不同，见上"
    print(f"MkDocs 与 ProperDocs 的构建{verdict}；共 {time.monotonic() - start:.1f} s")
    # the plain closing line CI reads as a test count: one comparison per variant
    print(f"second-builder: {results.count(True)} passed, {results.count(False)} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
