"""Imitate a CI pipeline for the committee site (deploy/README.md, “机关党委汇总的 CI”): one job per
branch, run side by side, each in its own process, workspace and output folder; then the 汇总 job,
which sees only the committee's own data and the branch jobs' artifacts, never the branches' folders.

    python -m tools.committee_ci COMMITTEE WORK

- branch job `<slug>`: workspace WORK/jobs/<slug>/, runs
  `python -m macros.committee.build --root COMMITTEE --branch-job <slug> --out public`; its artifact is
  that public/ folder (public/<slug>/, public/.committee/<slug>.json; nothing when it failed but the state)
- artifacts: every job's public/ is merged into WORK/final/public/, as a CI unpacks the artifacts of
  earlier jobs into the final job's workspace
- 汇总 job: workspace WORK/final/, holding a checkout of the committee without its branches (data/
  only: no submodules), runs `… --summary-only --out public`

Prints one line per job; exits with the 汇总 job's code (1 when a branch failed, as make committee).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BUILD = [sys.executable, "-m", "macros.committee.build"]


def branch_slugs(committee: Path) -> list[str]:
    from macros.committee.data import load_committee

    return [b.slug for b in load_committee(committee).branches]


def run_branch_jobs(committee: Path, work: Path, slugs: list[str], runners: int) -> dict[str, int]:
    """Every branch job in its own process and workspace, `runners` at a time (CI runners)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("COMMITTEE", "OUT", "BRANCHES", "REDACTED", "OFFLINE"):
        env.pop(name, None)

    def job(slug: str) -> int:
        workspace = work / "jobs" / slug
        workspace.mkdir(parents=True)
        cmd = [*BUILD, "--root", str(committee), "--branch-job", slug, "--out", "public", "--jobs", "1"]
        with open(workspace / "job.log", "w") as log:
            code = subprocess.run(cmd, cwd=workspace, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
        print(f"支部任务 {slug}：退出码 {code}", flush=True)
        return code

    with ThreadPoolExecutor(max_workers=runners) as pool:
        return dict(zip(slugs, pool.map(job, slugs), strict=True))


def summary_job(committee: Path, work: Path, slugs: list[str]) -> int:
    final = work / "final"
    checkout = final / "checkout"
    shutil.copytree(committee / "data", checkout / "data")  # the committee repository without submodules
    public = final / "public"
    for slug in slugs:  # the artifacts of the branch jobs
        artifact = work / "jobs" / slug / "public"
        if artifact.is_dir():
            shutil.copytree(artifact, public, dirs_exist_ok=True)
    result = subprocess.run([*BUILD, "--root", str(checkout), "--summary-only", "--out", "public"], cwd=final,
                            capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    print(f"汇总任务：退出码 {result.returncode}")
    return result.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="模拟 CI：每支部一个任务并行构建，汇总任务只用其产物")
    parser.add_argument("committee", type=Path)
    parser.add_argument("work", type=Path, help="空的工作目录（各任务的工作区与产物）")
    parser.add_argument("--runners", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    committee, work = args.committee.resolve(), args.work.resolve()
    if work.exists() and any(work.iterdir()):
        parser.error(f"{work} 不是空目录")
    slugs = branch_slugs(committee)
    run_branch_jobs(committee, work, slugs, args.runners)
    return summary_job(committee, work, slugs)


if __name__ == "__main__":
    sys.exit(main())
