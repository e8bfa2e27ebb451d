"""`make bench`: build, preview and search speed as years accumulate, written into BENCHMARKS.md.

    .venv/bin/python -m benchmarks.run [--times 3] [--years 1,10,50] [--only scale,mechanisms,preview,search]
    make bench BENCH_ARGS="--only committee --committee-size 3x2 --no-write"   # a quick look at a small size

Everything runs on temporary copies (benchmarks/sites.py); the project is only read. Sections:
  scale       clean strict builds at each year count, ours and stock Material on the same pages, in
              turn: seconds, pages per second, peak memory, search index size
  mechanisms  each speed mechanism turned off alone (plugin switches, macros/site/plugin.py), in turn
              with the site as shipped: the share of a build it saves
  preview     `mkdocs serve --dirty` (make serve): saving a figure of the latest year until the page
              shows it, at each year count; at 10 years also without --dirty (every page rebuilt)
  search      10 years through the shipped nginx config in headless Chromium: page load to first
              results, the results' order, and whether the index is fetched again on the next page
  committee   make committee on a synthetic committee of 30 branches × 10 years: full build, one
              branch changed, the 汇总 alone, peak memory of all processes (benchmarks/committee.py)
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from . import committee, measure, sites

ROOT = sites.ROOT
BEGIN, END = "<!-- bench:begin (make bench writes this block) -->", "<!-- bench:end -->"
KEY, QUERY = "meetings.other", "三会一课"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


class Work:
    """The temporary folder: one project per year count (years scaffolded once), outputs beside."""

    def __init__(self, path: Path):
        self.path, self.master = path, path / "master"

    def project(self, name: str, years: int) -> Path:
        if not self.master.exists():
            sites.copy_project(self.master)
        sites.add_years(self.master, years)
        project = sites.copy_project(self.path / name)
        sites.add_years(project, years, source=self.master)
        return project


def html_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")


def index_kb(site: Path) -> tuple[float, float]:
    raw = (site / "search/search_index.json").read_bytes()
    return len(raw) / 1024, len(gzip.compress(raw, 6)) / 1024  # nginx: gzip_comp_level 5


def scale(work: Work, times: int, counts: list[int]) -> tuple[str, dict]:
    steps, outs = {}, {}
    for n in counts:
        for kind in ("ours", "stock", "rendered"):
            project = work.project(f"{kind}-{n}", n)
            if kind == "stock":
                sites.stock(project)
            elif kind == "rendered":
                sites.rendered(work.project(f"dump-{n}", n), project)
            outs[kind, n] = work.path / f"out-{kind}-{n}"
            steps[kind, n] = measure.build(project, outs[kind, n], strict=kind == "ours")
    series = measure.round_robin(steps, times)
    rows, result = [], {}
    for n in counts:
        ours, stock, same = series["ours", n], series["stock", n], series["rendered", n]
        pages = html_pages(outs["ours", n])
        raw, gz = index_kb(outs["ours", n])
        result[n] = {"s": ours.median, "pps": pages / ours.median, "mb": ours.peak_mb, "index_gz": gz,
                     "ratio": ours.median / same.median, "pages": pages, "site": outs["ours", n]}
        rows.append([f"{n} 年", pages, f"{ours.median:.2f}（{ours.spread}）", f"{pages / ours.median:.0f}",
                     f"{ours.peak_mb:.0f}", f"{same.median:.2f}（{same.peak_mb:.0f} MB）",
                     f"{ours.median / same.median:.2f}×", f"{stock.median:.2f}", f"{raw:.0f} / {gz:.0f}"])
    text = table(["站点", "页数", "构建 s（范围）", "页/秒", "峰值内存 MB", "原版·同内容 s", "本站/原版·同内容",
                  "原版·未渲染 s", "搜索索引 KB（原始 / gzip）"], rows)
    return text + (f"\n\n严格构建（make build 的方式）。“原版·同内容”：原版 Material 构建本站宏渲染后的 Markdown"
                   "（同样的表格、数字、图表）；“原版·未渲染”：原版 Material 构建未渲染的页面（宏调用原样成为文字）。"
                   f"三者依次交替，各 {times} 次，取中位数。"), result


MECHANISMS = [  # (plugin switch, what it is, year count it is measured at)
    ("jieba_cache", "jieba 词典缓存（macros/site/search_setup.py）", 1),
    ("search_all_years", "只完整索引最新年度（macros/site/search_setup.py、archive.py）", 10),
    ("export_cache", "下载文件缓存（macros/exports/cache.py）", 10),
    ("deferred_blocks", "大块 HTML 不经 Markdown（macros/site/deferred.py）", 50),
]


def mechanisms(work: Work, times: int) -> tuple[str, dict]:
    rows, result = [], {}
    for switch, label, years in MECHANISMS:
        shipped = work.project(f"mech-{switch}-on", years)
        without = sites.variant(work.project(f"mech-{switch}-off", years), **{switch: switch == "search_all_years"})
        series = measure.round_robin({
            "on": measure.build(shipped, work.path / "out-mech-on"),
            "off": measure.build(without, work.path / "out-mech-off"),
        }, times)
        saves = 1 - series["on"].median / series["off"].median
        result[switch] = saves
        rows.append([label, f"{years} 年", f"{series['on'].median:.2f}", f"{series['off'].median:.2f}",
                     f"{saves:.0%}", "保留" if saves >= 0.10 else "不足 10%"])
    text = table(["机制", "站点", "有 s", "去掉 s", "节省", "结论"], rows)
    return text + f"\n\n每项与“去掉它”的同一站点交替构建各 {times} 次；节省 = 1 − 有/去掉。", result


PREVIEWS = {  # kind: (--dirty, plugin switches, label)
    "dirty": (True, {}, "make serve（--dirty，只重建改动涉及的年度）"),
    "full": (False, {}, "每次全站重建（不加 --dirty）"),
    "nomemo": (True, {"data_memo": False}, "make serve，去掉数据文件复用（macros/core/reading/validate.py reusing）"),
    "nodefer": (True, {"deferred_blocks": False}, "make serve，大块 HTML 仍经 Markdown（去掉 site/deferred.py）"),
    "notheme": (True, {"theme_reuse": False}, "make serve，每次重建主题（去掉 preview.py 的 Compiled、keep_theme）"),
}


def preview(work: Work, times: int, counts: list[int]) -> tuple[str, dict]:
    rows, result = [], {}
    for n in counts:
        most = ["nomemo", "nodefer", "notheme"] if n == max(counts) else []
        kinds = ["dirty", *(["full"] if n == 10 else []), *most]
        running, latest = {}, sites.FIRST_YEAR + n - 1
        try:
            for kind in kinds:
                dirty, switches, _ = PREVIEWS[kind]
                project = work.project(f"serve-{kind}-{n}", n)
                # the year being written: an issued year (the 1-year site's 2022) refuses a changed figure
                (project / f"data/{latest}/issued.yaml").unlink(missing_ok=True)
                if switches:
                    sites.variant(project, **switches)
                page = sites.page_showing(project, latest, KEY)
                running[kind] = server = measure.Serve(project, dirty)
                server.wait_ready(page)
                server.yaml, server.page = project / f"data/{latest}/figures.yaml", page
            seconds = {kind: [] for kind in running}
            for i in range(times):
                for kind, server in running.items():
                    seconds[kind].append(server.save_to_visible(server.yaml, KEY, 700 + i, server.page))
        finally:
            for server in running.values():
                server.stop()
        for kind, values in seconds.items():
            median = sorted(values)[len(values) // 2]
            result[n, kind] = median
            rows.append([f"{n} 年", PREVIEWS[kind][2], f"{median:.2f}", f"{min(values):.2f}–{max(values):.2f}"])
    text = table(["站点", "预览方式", "保存到可见 s（中位数）", "范围"], rows)
    return text + (f"\n\n改最新年度 figures.yaml 中 {KEY} 的值并保存，轮询显示它的页面直到出现新值；每种 {times} 次"
                   "（同一年数的几种预览同时运行、交替保存；上一次重建全部结束后才保存下一次）。"), result


def search(work: Work, times: int, site: Path) -> tuple[str, dict]:
    latest = max(int(p.name) for p in site.iterdir() if re.fullmatch(r"\d{4}", p.name))
    urls = [("", f"{latest}/")[i % 2] for i in range(times * 2)]
    with measure.nginx(site, work.path / "nginx") as (url, access_log):
        cold = measure.search_after_load([url + f"{latest}/"] * times, QUERY, fresh=True)
        logged = len(access_log.read_text())
        found = measure.search_after_load([url + u for u in urls], QUERY, fresh=False)
        fetched = re.findall(r'"GET /search/search_index\.json HTTP/1\.1" (\d{3}) (\d+)',
                             access_log.read_text()[logged:])
    first = sorted(s for s, _ in cold)[len(cold) // 2]
    later = sorted(s for s, _ in found[1:])[(len(found) - 1) // 2]
    results = cold[0][1]
    years = [int(m.group(1)) if (m := re.match(r"/(\d{4})/", path)) else None for path, _ in results]
    archive = [i for i, (path, _) in enumerate(results) if path.startswith("/archive/")]
    order = {"latest_first": all(i > j for i in archive for j, y in enumerate(years) if y == latest),
             "archive_groups": len(archive), "older_pages": sum(1 for y in years if y and y < latest)}
    text = table(["项目", "结果"], [
        [f"页面加载后到出现第一条结果，浏览器无缓存（{latest} 年度概览，{times} 次的中位数）",
         f"{first * 1000:.0f} ms（{', '.join(f'{s * 1000:.0f}' for s, _ in cold)}）"],
        [f"同一标签页其后 {len(found) - 1} 次打开页面（首页与 {latest} 年度概览交替，索引已缓存）的中位数",
         f"{later * 1000:.0f} ms（{', '.join(f'{s * 1000:.0f}' for s, _ in found[1:])}）"],
        ["同一标签页中索引的请求（状态 字节）", "、".join(f"{s} {b}" for s, b in fetched)],
        [f"“{QUERY}”的结果，依次", " / ".join(f"{t}（{p}）" for p, t in results[:6]) + " …"],
        ["往年组在最新年度各页之后 / 往年组个数 / 直接列出的往年页面",
         f"{'是' if order['latest_first'] else '否'} / {order['archive_groups']} / {order['older_pages']}"],
    ])
    return text, {"first": first, "later": later, "fetched": fetched, **order}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def write_block(body: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text("utf-8") if path.exists() else f"# 性能基准\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--years", default="1,10,50")
    parser.add_argument("--only", default="scale,mechanisms,preview,search,committee")
    parser.add_argument("--committee-size", default="30x10", metavar="BRANCHESxYEARS",
                        help="the committee section's size (the target is for 30x10)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    counts, only = [int(n) for n in args.years.split(",")], args.only.split(",")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    started, load_before = datetime.datetime.now(), load()
    parts, facts = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Work(Path(tmp))
        if "scale" in only:
            text, facts["scale"] = scale(work, args.times, counts)
            parts.append(("构建：年数增长时", text))
        if "mechanisms" in only:
            text, facts["mechanisms"] = mechanisms(work, args.times)
            parts.append(("各项提速机制（单独去掉）", text))
        if "preview" in only:
            text, facts["preview"] = preview(work, args.times, counts)
            parts.append(("预览：保存到可见", text))
        if "search" in only:
            n = 10 if 10 in counts else max(counts)
            site = facts.get("scale", {}).get(n, {}).get("site") or work.path / "out-search"
            if not site.exists():
                measure.build(work.project("search", n), site)(measure.Series("search"))
            text, facts["search"] = search(work, args.times, site)
            parts.append((f"搜索：{n} 年，经 nginx（deploy/nginx.conf），无头 Chromium", text))
        if "committee" in only:
            before = load()
            branches, years = (int(n) for n in args.committee_size.lower().split("x"))
            text, facts["committee"] = committee.measure(work.path, branches, years)
            parts.append((f"机关党委汇总：{branches} 个党支部 × {years} 年（make committee）",
                          text + f"负载（1/5/15 分钟）本节开始 {before}，结束 {load()}。"))
    minutes = (datetime.datetime.now() - started).total_seconds() / 60
    header = (f"{started:%Y-%m-%d %H:%M}，提交 {commit}，{os.cpu_count()} 核，Python {sys.version.split()[0]}；"
              f"负载（1/5/15 分钟）开始 {load_before}，结束 {load()}；共 {minutes:.0f} 分钟。")
    body = header + "".join(f"\n\n### {title}\n\n{text}" for title, text in parts)
    print(body)
    if not args.no_write:
        write_block(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
