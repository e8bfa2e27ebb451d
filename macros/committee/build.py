"""`make committee [BRANCHES=office,general] [OUT=committee-site]`: every branch's site under
`OUT/<slug>/` and the 汇总 at `OUT/index.html`.

    python -m macros.committee.build [--root DIR] [--out DIR] [--branches a,b] [--redacted] [--offline]
    python -m macros.committee.build --branch-job SLUG ...   # CI: one branch only (no 汇总)
    python -m macros.committee.build --summary-only ...      # CI: the 汇总 from OUT's state files only

The values may come from the environment instead (COMMITTEE, OUT, BRANCHES, REDACTED, OFFLINE); the
Makefile passes what a user typed as arguments, unexpanded and single-quoted (its `arg`). Branches
are built in parallel processes, as many as the machine has cores (--jobs); a branch whose folder
and the code are unchanged since its last build is reused (macros/committee/stamp.py). A branch
whose data is bad does not stop the others: its previous site stays, the 汇总 shows it as 构建失败 with
its Chinese error line, and the command exits 1 naming each failed branch. Wrong arguments or bad
committee data: one Chinese line, exit 2.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from macros.committee import jobs, publish, summary
from macros.committee.data import Committee, load_committee
from macros.committee.stamp import code_version
from macros.core.errors import Refusal

EXIT_FAILED, EXIT_REFUSED = 1, 2
TRUE = {"1", "true", "yes", "on"}


def flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUE


def kind_of(redacted: bool, offline: bool) -> str:
    return {(False, False): "normal", (True, False): "redacted", (False, True): "offline",
            (True, True): "redacted-offline"}[redacted, offline]


def parse(argv) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="make committee", description="构建机关党委所属各党支部的网站和汇总")
    parser.add_argument("--root", type=Path, default=Path(env("COMMITTEE") or "."),
                        help="机关党委汇总的目录（含 data/committee.yaml 和 branches/）")
    parser.add_argument("--out", type=Path, default=Path(env("OUT")) if env("OUT") else None,
                        help="输出目录（默认为其中的 site/）")
    parser.add_argument("--branches", default=env("BRANCHES") or "", help="只构建这些党支部（简称，逗号分隔）")
    parser.add_argument("--redacted", action="store_true", default=flag("REDACTED"), help="脱敏版")
    parser.add_argument("--offline", action="store_true", default=flag("OFFLINE"), help="离线版（从磁盘打开）")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="同时构建的党支部数（默认为核数）")
    parser.add_argument("--branch-job", metavar="SLUG", help="只构建这一个党支部，不生成汇总（CI 的支部任务）")
    parser.add_argument("--summary-only", action="store_true",
                        help="只由输出目录中各支部的构建结果生成汇总（CI 的汇总任务）")
    args = parser.parse_args(argv)
    args.out = args.out or args.root / "site"
    return args


def build_branches(committee: Committee, selected, out: Path, kind: str, workers: int, report) -> list[dict]:
    """Every selected branch, `workers` at a time; each state as it finishes."""
    code = code_version()
    work = [jobs.Job(b.slug, b.name, b.folder, out, code, kind) for b in selected]
    if len(work) == 1 or workers <= 1:
        return [report(jobs.run(job)) for job in work]
    states = []
    with ProcessPoolExecutor(max_workers=min(workers, len(work))) as pool:
        for future in as_completed([pool.submit(jobs.run, job) for job in work]):
            states.append(report(future.result()))
    order = [b.slug for b in selected]
    return sorted(states, key=lambda s: order.index(s["slug"]))


def print_state(state: dict) -> dict:
    line = f"{state['name']}（{state['slug']}）：{jobs.STATUS_WORDS[state['status']]}，{state['seconds']:.1f} 秒"
    if state["error"]:
        line += f"：{state['error']}"
    print(line, flush=True)
    return state


def main(argv=None) -> int:
    args = parse(argv)
    started = time.monotonic()
    try:
        committee = load_committee(args.root, folders=not args.summary_only)
        selected = committee.select([s for s in args.branches.replace("，", ",").split(",") if s.strip()]) \
            if args.branches.strip() else list(committee.branches)
        if args.branch_job:
            selected = committee.select([args.branch_job])
    except Refusal as refusal:
        print(str(refusal), file=sys.stderr)
        return EXIT_REFUSED
    out = args.out.absolute()
    why = publish.refusal(out, [committee.root, *(b.folder.resolve() for b in committee.branches)])
    if why:
        print(f"拒绝构建：{why}", file=sys.stderr)
        return EXIT_REFUSED
    publish.prepare(out)
    kind = kind_of(args.redacted, args.offline)
    with open(out / ".committee.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second run waits: they would replace the same folders
        states = [] if args.summary_only else build_branches(committee, selected, out, kind, args.jobs, print_state)
        if not args.branch_job:
            summary.write(committee, out, redacted=args.redacted, offline=args.offline)
            print(f"汇总：{out / 'index.html'}（共 {time.monotonic() - started:.1f} 秒）")
    failed = [s for s in states if s["status"] == "failed"]
    if args.summary_only:
        failed = [s for b in committee.branches if (s := jobs.read_state(out, b.slug)) and s["status"] == "failed"]
    if failed:
        for s in failed:
            kept = "网站保持上次成功构建的版本" if (out / s["slug"] / "index.html").is_file() else "尚无已发布的网站"
            print(f"构建失败：{s['name']}（{s['slug']}）：{s['error']}（{kept}）", file=sys.stderr)
        names = "、".join(f"{s['name']}（{s['slug']}）" for s in failed)
        print(f"{len(failed)} 个党支部构建失败：{names}；汇总中标为“构建失败”。", file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
