"""make bench, section `committee`: the 机关党委 view at its scale (issue 25, point 4).

A synthetic committee: the example's compliant branch (examples/committee/branches/office) grown to
10 years by make new-year's own scaffold (benchmarks/sites.py add_years), then copied into 30
branches whose names differ (and every third misses a month's 主题党日). Measured, in this order, in
one run of `python -m macros.committee.build` each (make committee):

  full       a clean OUT: every branch built in parallel processes (as many as cores), then the 汇总
  unchanged  the same again: every branch reused (its stamp unchanged), the 汇总 rendered
  one        one branch's figure changed: that branch rebuilt, the others reused, the 汇总 rendered
  summary    the 汇总 alone (--summary-only) from OUT's state files

Peak memory is the largest sum of the resident memory of the command and all its descendants
(the worker processes and each branch's MkDocs), sampled every 0.1 s from /proc.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from macros.core.issued import text_digest
from macros.exports.report_content import parse

from . import sites

ROOT = sites.ROOT
EXAMPLE = ROOT / "examples/committee"
TEMPLATE = "office"
PAGE = os.sysconf("SC_PAGE_SIZE")
TARGETS = {"full": 120.0, "one": 15.0, "summary": 5.0, "mb": 1024.0}


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the command and all its descendants
    peak_mb: float
    code: int
    output: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, MB."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total / 2**20


def run(cmd: list[str], cwd: Path) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("COMMITTEE", "OUT", "BRANCHES", "REDACTED", "OFFLINE"):
        env.pop(name, None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    seconds = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # every descendant was waited for by its parent
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, cpu, peak[0], proc.returncode, output)


def make_committee(work: Path, branches: int, years: int) -> Path:
    """The synthetic committee in work/committee (the example's data, `branches` branch folders)."""
    committee = work / "committee"
    if committee.exists():
        shutil.rmtree(committee)
    shutil.copytree(EXAMPLE / "data", committee / "data")
    grown = work / "grown"
    if not grown.exists():
        shutil.copytree(EXAMPLE / "branches" / TEMPLATE, grown)
        sites.add_years(grown, years)
    original = (grown / "data/branch.yaml").read_text("utf-8")
    name = re.search(r"^name: (.+)$", original, re.M).group(1)
    issued = issued_texts(grown)
    entries = []
    for n in range(1, branches + 1):
        slug, label = f"b{n:02d}", f"机关党委第{n}党支部"
        folder = committee / "branches" / slug
        shutil.copytree(grown, folder)
        for path in folder.rglob("*"):  # the name everywhere, as make_example.py renames a sample branch
            if path.suffix in {".md", ".yaml", ".yml"} and path.is_file():
                text = path.read_text("utf-8")
                if name in text:
                    path.write_text(text.replace(name, label), "utf-8")
        for year, lines in issued.items():  # as if each branch had issued its own report that day
            reissue(folder / f"data/{year}/issued.yaml", [line.replace(name, label) for line in lines])
        if n % 3 == 0:
            (folder / "data/records/2023/2023-05-25-theme_day.yaml").unlink()
        entries.append(f"  - slug: {slug}\n    name: {label}\n")
    config = committee / "data/committee.yaml"
    head = config.read_text("utf-8").split("branches:")[0]
    config.write_text(head + "branches:\n" + "".join(entries), "utf-8")
    (committee / "data/reviews.yaml").write_text("reviews: []\n", "utf-8")
    return committee


def issued_texts(project: Path) -> dict[int, list[str]]:
    """The 全文 lines of each issued year of `project`, from one strict build (make issue's)."""
    years = sorted(int(p.parent.name) for p in project.glob("data/*/issued.yaml"))
    if not years:
        return {}
    with tempfile.TemporaryDirectory(prefix="issued-") as tmp:
        out = Path(tmp) / "site"
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
                              cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return {year: parse((out / str(year) / "full/index.html").read_text("utf-8")).lines() for year in years}


def reissue(path: Path, lines: list[str]) -> None:
    """The copied issued.yaml with the checksum of this branch's own 全文 (its name in the 落款)."""
    text, found = re.subn(r"^text_sha256: [0-9a-f]{64}$", f"text_sha256: {text_digest(lines)}",
                          path.read_text("utf-8"), count=1, flags=re.M)
    assert found == 1, path
    path.write_text(text, "utf-8")


def change_one(committee: Path, slug: str, year: int) -> None:
    figures = committee / "branches" / slug / f"data/{year}/figures.yaml"
    text, found = re.subn(r"^(meetings\.other:\s*)(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 1}",
                          figures.read_text("utf-8"), count=1, flags=re.M)
    assert found == 1, figures
    figures.write_text(text, "utf-8")


def measure(work: Path, branches: int = 30, years: int = 10) -> tuple[str, dict]:
    committee = make_committee(work, branches, years)
    out = work / "committee-out"
    if out.exists():
        shutil.rmtree(out)
    build = [sys.executable, "-m", "macros.committee.build", "--root", str(committee), "--out", str(out)]
    runs = {"full": run(build, ROOT)}
    assert runs["full"].code == 0, runs["full"].output[-3000:]
    runs["unchanged"] = run(build, ROOT)
    changed = f"b{min(7, branches):02d}"
    change_one(committee, changed, sites.FIRST_YEAR + years - 1)
    runs["one"] = run(build, ROOT)
    assert runs["one"].output.count("已构建") == 1, runs["one"].output[-3000:]
    runs["summary"] = run([*build, "--summary-only"], ROOT)
    for label, result in runs.items():
        assert result.code == 0, (label, result.output[-3000:])
    pages = sum(1 for p in out.rglob("*.html") if p.name != "404.html")
    peak = max(r.peak_mb for r in runs.values())
    cores = os.cpu_count() or 1
    facts = {label: r.seconds for label, r in runs.items()} | {"mb": peak, "pages": pages}
    facts |= {f"{label}_cpu": r.cpu for label, r in runs.items()}

    def timed(label: str, target: str) -> list[str]:
        r = runs[label]
        ok = r.seconds <= TARGETS[label] if label in TARGETS else None
        return [f"{r.seconds:.1f} s", f"{r.cpu:.1f} s（÷{cores} = {r.cpu / cores:.1f} s）", target,
                "" if ok is None else _met(ok)]

    rows = [
        ["完整构建（空的输出目录）", *timed("full", f"≤ {TARGETS['full']:.0f} s")],
        ["未改动，全部沿用", *timed("unchanged", "")],
        ["一个支部的数据改动到汇总更新", *timed("one", f"≤ {TARGETS['one']:.0f} s")],
        ["只生成汇总（--summary-only）", *timed("summary", f"≤ {TARGETS['summary']:.0f} s")],
        ["峰值内存（命令及其全部子进程之和）", f"{peak:.0f} MB", "", f"≤ {TARGETS['mb']:.0f} MB",
         _met(peak <= TARGETS["mb"])],
    ]
    header = ["项目", "测得（墙钟）", "CPU 时间（用户+系统，所有进程）", "目标", ""]
    text = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                     + ["| " + " | ".join(row) + " |" for row in rows])
    note = (f"\n\n{branches} 个党支部 × {years} 年（由示例的办公室党支部用 make new-year 的脚手架生成，"
            f"名称各不相同，每第三个支部缺一个月的主题党日），共 {pages} 个 HTML 页面；"
            f"`python -m macros.committee.build`（即 make committee），{os.cpu_count()} 个进程并行。"
            f"依次运行一次：完整构建、不改动再运行、改 {changed} 最新年度的一个数字再运行、只生成汇总。"
            f"CPU 时间 ÷ {cores} 是本机没有别人占用时墙钟时间的下限估计。")
    return text + note, facts


def _met(ok: bool) -> str:
    return "达标" if ok else "**未达标**"
