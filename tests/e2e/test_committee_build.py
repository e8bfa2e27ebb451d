"""make committee on the example (examples/committee/: three branches, one failing): the branch sites,
the 汇总, reuse of unchanged branches, a failing branch keeping its previous site, and the CI
imitation (tools/committee_ci.py) whose 汇总 job sees only the branch jobs' outputs. End-to-end: it
builds the example's real branch sites (about 30 s of CPU), not the wiring tier's tiny fixture sites."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.files import ENV, ROOT, edit
from markupsafe import escape

from tools.same_site import compare_sites

pytestmark = pytest.mark.e2e

EXAMPLE = ROOT / "examples/committee"
FAILING = 'data/2022/figures.yaml:8: 拟制方案、计划、安排件数 (docs.plans)：应为非负整数，实际为 "十二"'


def make_committee(committee: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**ENV, "COMMITTEE": str(committee), "OUT": str(out), **env}
    for name in ("BRANCHES", "REDACTED", "OFFLINE"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(["make", "--no-print-directory", "committee"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example copied (so a test may change it), then make committee into OUT."""
    tmp = tmp_path_factory.mktemp("committee")
    committee = tmp / "committee"
    shutil.copytree(EXAMPLE, committee, ignore=shutil.ignore_patterns("site"))
    out = tmp / "out"
    result = make_committee(committee, out)
    first = (out / "index.html").read_text("utf-8") if (out / "index.html").exists() else ""
    return committee, out, result, first


def test_two_sites_and_a_summary_and_the_failing_branch_named(built):
    _, out, result, page = built
    assert result.returncode != 0
    assert f"构建失败：机关党委财务处党支部（finance）：{FAILING}（尚无已发布的网站）" in result.stderr
    assert "1 个党支部构建失败：机关党委财务处党支部（finance）" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for slug in ("office", "general"):
        assert (out / slug / "index.html").is_file() and (out / slug / "records/2023/index.html").is_file()
    assert not (out / "finance").exists()
    assert "构建失败" in page and str(escape(FAILING)) in page
    assert "机关党委综合处党支部" in page and "未开展：3月、5月" in page


def test_every_link_of_the_summary_reaches_a_page_and_its_anchor(built):
    _, out, _, page = built
    links = set(re.findall(r'href="([^"#][^"]*)"', page))
    assert len(links) > 10
    for link in links:
        path, _, anchor = link.partition("#")
        target = out / path
        if link.endswith("/") or path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), link
        if anchor:
            assert f'id="{anchor}"' in target.read_text("utf-8"), link


def test_a_branch_site_is_what_its_own_build_makes(built, tmp_path):
    committee, out, _, _ = built
    alone = tmp_path / "alone"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(alone)],
                   cwd=committee / "branches/office", env=ENV, check=True, capture_output=True)
    ours = tmp_path / "ours"
    shutil.copytree(out / "office", ours, ignore=shutil.ignore_patterns(".party-committee"))
    report = compare_sites(alone, ours)
    assert report.ok, (report.differ[:3], report.only_old[:3], report.only_new[:3])


def test_unchanged_branches_are_reused_a_changed_one_rebuilt_a_failing_one_keeps_its_site(built):
    committee, out, _, _ = built
    again = make_committee(committee, out)
    assert "机关党委办公室党支部（office）：未改动，沿用上次构建" in again.stdout
    assert "机关党委综合处党支部（general）：未改动，沿用上次构建" in again.stdout
    # one branch's data changed: only it is rebuilt, and the 汇总 shows the change
    records = committee / "branches/general/data/records/2023"
    (records / "2023-03-27-theme_day.yaml").write_text(
        (records / "2023-04-25-theme_day.yaml").read_text("utf-8").replace("2023-04-25", "2023-03-27"), "utf-8")
    changed = make_committee(committee, out, BRANCHES="general")
    assert re.search(r"机关党委综合处党支部（general）：已构建", changed.stdout)
    assert "office" not in changed.stdout
    page = (out / "index.html").read_text("utf-8")
    assert "未开展：5月" in page and "未开展：3月、5月" not in page
    # bad data in a branch that has a site: the site stays byte for byte, the 汇总 says why
    before = {p: p.read_bytes() for p in (out / "office").rglob("*") if p.is_file()}
    edit(committee / "branches/office/data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 三十六")
    failed = make_committee(committee, out, BRANCHES="office")
    assert failed.returncode != 0
    assert "构建失败：机关党委办公室党支部（office）：data/2022/figures.yaml:8:" in failed.stderr
    assert "（网站保持上次成功构建的版本）" in failed.stderr
    assert {p: p.read_bytes() for p in (out / "office").rglob("*") if p.is_file()} == before
    page = (out / "index.html").read_text("utf-8")
    assert "2 个党支部的网站本次构建失败" in page and "仍为上次成功构建的版本" in page
    assert 'href="office/"' in page  # the previous site is still linked
    assert not [p for p in out.iterdir() if p.name.startswith(".office.new-")]


def test_ci_jobs_per_branch_and_a_summary_job_from_their_outputs_only(built, tmp_path):
    _, _, _, first = built
    work = tmp_path / "ci"
    env = {k: v for k, v in ENV.items() if k not in ("COMMITTEE", "OUT", "BRANCHES")}
    result = subprocess.run([sys.executable, "-m", "tools.committee_ci", str(EXAMPLE), str(work)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    for slug, code in (("office", 0), ("general", 0), ("finance", 1)):
        assert f"支部任务 {slug}：退出码 {code}" in result.stdout
        assert (work / "jobs" / slug / "public/.committee" / f"{slug}.json").is_file()
    assert not (work / "final/checkout/branches").exists()  # the 汇总 job had no branch folders
    public = work / "final/public"
    assert sorted(p.name for p in public.iterdir() if not p.name.startswith(".")) == [
        "_committee", "general", "index.html", "office"]
    assert (public / "index.html").read_text("utf-8") == first  # the same 汇总 as make committee's
    assert os.access(public / "office/index.html", os.R_OK)
