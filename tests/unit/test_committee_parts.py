"""The committee view's parts that need no MkDocs (macros/committee/): its data and their Chinese
errors, the stamp that decides reuse, the output folder's guard, the error line taken from a failed
build, and the 汇总 page rendered from state files."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers.files import ROOT, edit, line_of

from macros.committee import jobs, publish, stamp, summary
from macros.committee.data import load_committee
from macros.core import DataErrors, load_branch

EXAMPLE = ROOT / "examples/committee"


def committee_copy(tmp_path: Path) -> Path:
    """The example's own data, and each branch folder as an empty project (mkdocs.yml only)."""
    root = tmp_path / "committee"
    shutil.copytree(EXAMPLE / "data", root / "data")
    for slug in ("office", "general", "finance"):
        (root / "branches" / slug).mkdir(parents=True)
        (root / "branches" / slug / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    return root


def errors_of(root: Path, **kwargs) -> list[str]:
    with pytest.raises(DataErrors) as caught:
        load_committee(root, **kwargs)
    return [e.render() for e in caught.value.errors]


# ---- data ------------------------------------------------------------------------------------------

def test_the_example_lists_three_branches_in_order_with_their_reviews():
    committee = load_committee(EXAMPLE)
    assert committee.name == "机关党委" and committee.sample
    assert [b.slug for b in committee.branches] == ["office", "general", "finance"]
    assert all((b.folder / "mkdocs.yml").is_file() for b in committee.branches)
    (year, reviews), = committee.reviews_by_year()
    assert year == 2022 and [r.branch for r in reviews] == ["office", "general", "finance"]


def test_a_duplicated_slug_names_both_lines(tmp_path):
    root = committee_copy(tmp_path)
    path = root / "data/committee.yaml"
    edit(path, "  - slug: general", "  - slug: office")
    first, second = line_of(path, "  - slug: office"), line_of(path, "  - slug: office") + 2
    assert f"data/committee.yaml:{second}: 党支部简称 office 重复（第 {first} 行已有）" in errors_of(root)


def test_a_branch_without_its_folder_says_how_to_fetch_the_submodule(tmp_path):
    root = committee_copy(tmp_path)
    shutil.rmtree(root / "branches/general")
    line = line_of(root / "data/committee.yaml", "slug: general")
    [message] = errors_of(root)
    assert message.startswith(f"data/committee.yaml:{line}: 党支部 general 的目录 branches/general/ 不存在")
    assert "git submodule update --init" in message
    assert [b.slug for b in load_committee(root, folders=False).branches] == ["office", "general", "finance"]


def test_a_slug_that_is_not_a_folder_name_is_refused(tmp_path):
    root = committee_copy(tmp_path)
    edit(root / "data/committee.yaml", "slug: finance", "slug: ../finance")
    [message] = errors_of(root)
    line = line_of(root / "data/committee.yaml", "slug: ../")
    assert message == (f"data/committee.yaml:{line}: 简称（网址与目录名 branches/<简称>/） (branches.2.slug)："
                       "应为小写英文字母、数字和连字符，以字母或数字开头，不超过 40 个字符，实际为 \"../finance\"")


def test_a_review_of_an_unknown_branch_and_a_bad_grade(tmp_path):
    root = committee_copy(tmp_path)
    path = root / "data/reviews.yaml"
    edit(path, "branch: finance", "branch: financ")
    edit(path, "grade: 一般", "grade: 中")
    messages = errors_of(root)
    assert any(m.startswith(f"data/reviews.yaml:{line_of(path, 'grade: 中')}: ") and "评议等次" in m for m in messages)
    assert len(messages) == 1  # the schema stops before the cross-check; fixed, the branch is named
    edit(path, "grade: 中", "grade: 一般")
    [message] = errors_of(root)
    assert message == (f"data/reviews.yaml:{line_of(path, 'branch: financ')}: 述职评议的党支部 financ 不在 "
                       "data/committee.yaml 中；是否是 finance？")


def test_unknown_branches_asked_for_are_named():
    with pytest.raises(DataErrors, match="没有简称为 ofice 的党支部"):
        load_committee(EXAMPLE).select(["ofice"])
    assert [b.slug for b in load_committee(EXAMPLE).select(["finance", "office"])] == ["office", "finance"]


# ---- stamp -----------------------------------------------------------------------------------------

def test_the_stamp_changes_with_the_folder_the_code_and_the_kind(tmp_path):
    folder = tmp_path / "branch"
    (folder / "data").mkdir(parents=True)
    (folder / "data/figures.yaml").write_text("a: 1\n", "utf-8")
    first = stamp.stamp(folder, "code", "normal")
    assert stamp.stamp(folder, "code", "normal") == first
    (folder / "site").mkdir()  # an output of make build in the folder is not an input
    (folder / "site/index.html").write_text("x", "utf-8")
    assert stamp.stamp(folder, "code", "normal") == first
    assert stamp.stamp(folder, "other code", "normal") != first
    assert stamp.stamp(folder, "code", "redacted") != first
    assert stamp.stamp(folder, "code", "normal", datetime.date(2000, 1, 1)) != first  # progress counts to today
    (folder / "data/figures.yaml").write_text("a: 2\n", "utf-8")
    assert stamp.stamp(folder, "code", "normal") != first
    (folder / "data/figures.yaml").write_text("a: 1\n", "utf-8")
    (folder / "data/figures.yaml").rename(folder / "data/other.yaml")  # same bytes, another name
    assert stamp.stamp(folder, "code", "normal") != first


def test_the_code_version_covers_the_package_and_the_installed_versions():
    assert stamp.PACKAGE == ROOT / "macros"
    assert re.fullmatch(r"[0-9a-f]{64}", stamp.code_version())


# ---- the output folder -----------------------------------------------------------------------------

def test_only_an_empty_or_earlier_output_folder_is_written(tmp_path):
    out = tmp_path / "out"
    assert publish.refusal(out, [ROOT]) is None
    out.mkdir()
    (out / "notes.txt").write_text("x", "utf-8")
    assert "不是空目录" in publish.refusal(out, [ROOT])
    (out / publish.MARKER).write_text("x", "utf-8")
    assert publish.refusal(out, [ROOT]) is None
    assert "源目录" in publish.refusal(EXAMPLE.parent, [EXAMPLE])
    (tmp_path / "link").symlink_to(out)
    assert "符号链接" in publish.refusal(tmp_path / "link", [ROOT])


def test_a_swap_replaces_the_branch_folder_whole(tmp_path):
    out = tmp_path / "out"
    publish.prepare(out)
    (out / "office").mkdir()
    (out / "office/old.html").write_text("old", "utf-8")
    new = publish.new_folder(out, "office")
    (new / "index.html").write_text("new", "utf-8")
    assert publish.leftovers(out, "office") == [new]
    publish.swap_in(new, out / "office")
    assert sorted(p.name for p in (out / "office").iterdir()) == [publish.MARKER, "index.html"]
    assert publish.leftovers(out, "office") == [] and not new.exists()


def test_a_full_disk_fails_only_that_branch_in_one_line(tmp_path, monkeypatch):
    out = tmp_path / "out"
    publish.prepare(out)

    def full(*args):
        raise OSError(28, "No space left on device", str(out / ".office.new-x"))

    monkeypatch.setattr(publish, "new_folder", full)
    job = jobs.Job("office", "机关党委办公室党支部", EXAMPLE / "branches/office", out, "code")
    result = jobs.run(job)
    assert result["status"] == "failed"
    assert result["error"] == f"写入输出目录失败：磁盘空间不足（{out / '.office.new-x'}），该支部的网站保持原样"
    assert jobs.read_state(out, "office") == result


# ---- the error line of a failed build --------------------------------------------------------------

def test_the_error_line_is_the_plugins_chinese_line():
    stderr = ("INFO    -  Cleaning site directory\n"
              "ERROR   -  data/2022/figures.yaml:8: 拟制方案件数 (docs.plans)：应为非负整数，实际为 \"十二\"\n"
              "发现 1 处数据错误，已停止构建，网站未更新。\n\nAborted with a BuildError!\n")
    assert jobs.error_line(stderr) == "data/2022/figures.yaml:8: 拟制方案件数 (docs.plans)：应为非负整数，实际为 \"十二\""


def test_a_pages_error_is_its_message_not_mkdocss_where_line():
    stderr = ("INFO    -  Building documentation to directory: /tmp/x\n"
              "ERROR   -  Error building page '2022/full.md':\n"
              "ERROR   -  docs/2022/full.md：2022 年度报告已于2023年1月10日印发，全文（标题、正文、落款）与印发时不同\n"
              "\nAborted with a BuildError!\n")
    assert jobs.error_line(stderr) == "docs/2022/full.md：2022 年度报告已于2023年1月10日印发，全文（标题、正文、落款）与印发时不同"
    assert jobs.error_line("ERROR   -  Error building page 'a.md':\n") == "Error building page 'a.md':"


def test_strict_warnings_are_counted_and_the_first_quoted():
    stderr = ("WARNING -  Doc file 'a.md' contains a link 'b.md', but the target is not found.\n"
              "WARNING -  second\n\nAborted with 2 warnings in strict mode!\n")
    assert jobs.error_line(stderr) == ("严格模式构建未通过（2 条警告），第一条：Doc file 'a.md' contains a link 'b.md', "
                                       "but the target is not found.")
    assert jobs.error_line("Traceback\nOSError: boom\x1b[31m\n") == "构建失败：OSError: boom\\x1b[31m"


# ---- the 汇总 from state files ---------------------------------------------------------------------

def state(slug: str, name: str, status: str, summary_data=None, error=None) -> dict:
    return {"slug": slug, "name": name, "kind": "normal", "status": status, "error": error, "stamp": "s",
            "summary": summary_data, "last_built": "2023-08-01T10:00:00", "finished": "2023-08-01T10:00:00",
            "seconds": 1.0}


@pytest.fixture(scope="module")
def summaries():
    return {slug: jobs.plain(load_branch(EXAMPLE / "branches" / slug).summary()) for slug in ("office", "general")}


def summary_out(tmp_path: Path, summaries, finance_site: bool = False) -> Path:
    out = tmp_path / "out"
    publish.prepare(out)
    states = [state("office", "机关党委办公室党支部", "reused", summaries["office"]),
              state("general", "机关党委综合处党支部", "built", summaries["general"]),
              state("finance", "机关党委财务处党支部", "failed", error="data/2022/figures.yaml:8: 应为非负整数")]
    for s in states:
        (out / ".committee" / f"{s['slug']}.json").write_text(json.dumps(s, ensure_ascii=False), "utf-8")
        if s["status"] != "failed" or finance_site:
            (out / s["slug"]).mkdir()
            (out / s["slug"] / "index.html").write_text("site", "utf-8")
    return out


def cells(html: str, row_name: str, table_id: str) -> list[str]:
    section = html[html.index(f'id="{table_id}"'):]
    section = section[:section.index("</section>")]
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"[^>]*>(?:<a [^>]*>)?{row_name}.*?</tr>", section, re.S).group(0)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_matrix_names_the_months_missed_and_links_to_the_ledger(tmp_path, summaries):
    out = summary_out(tmp_path, summaries)
    page = summary.render(load_committee(EXAMPLE), out)
    assert cells(page, "机关党委综合处党支部", "meetings") == [
        ["2/2"], ["5/7", "未开展：4月、7月"], ["12/14", "未开展：第二党小组4月、7月"], ["2/2"],
        ["5/7", "未开展：3月、5月"]]
    assert all(len(c) == 1 for c in cells(page, "机关党委办公室党支部", "meetings"))  # nothing missed
    due = len(summaries["general"]["due"])
    assert due and page.count('href="general/records/2023/"') == 5 + due  # five cells, and each 本月待办
    headers = re.findall(r'<th scope="col" data-sort="number">([^<]+)</th>', page[page.index('id="meetings"'):])
    assert headers[:6] == ["党支部", "支部党员大会", "支部委员会会议", "党小组会", "党课", "主题党日"]


def test_a_failed_branch_is_shown_with_its_error_line(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries))
    assert "1 个党支部的网站本次构建失败" in page and "尚未发布" in page
    assert page.count("data/2022/figures.yaml:8: 应为非负整数") == 2  # the alert and its row
    assert 'href="finance/' not in page  # no site to link to
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path / "kept", summaries, finance_site=True))
    assert "仍为上次成功构建的版本" in page and 'href="finance/"' in page


def test_plans_problems_and_reviews_link_into_the_branch(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries))
    for task in summaries["general"]["plan"]["overdue"]:
        assert f'href="general/2022/plan/tasks/#task-{task["id"]}"' in page
    assert page.count('href="general/2022/checklists/rectification/"') == len(summaries["general"]["problems"]) == 3
    assert "office/2022/checklists/rectification/" not in page  # every problem of office is closed
    assert cells(page, "机关党委办公室党支部", "plans")[1:3] == [["25/25项（100%）"], ["0项"]]
    assert "张某某" in page and "台账记录不及时，数据报送有差错" in page


def test_offline_links_name_the_html_files(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries), offline=True)
    assert 'href="general/records/2023/index.html"' in page and 'href="general/2022/plan/tasks.html#task-' in page
    assert not re.search(r'href="[a-z]+/[^"]*/"', page)


def test_the_redacted_copy_shows_no_names(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries), redacted=True)
    for review in load_committee(EXAMPLE).reviews:
        assert review.secretary not in page
        assert not any(point in page for point in review.points)
    assert "脱敏版" in page


def test_every_section_of_a_sample_says_so_on_paper(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries))
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert len(headings) == 7 and all('<span class="sample-mark">（示例数据）</span>' in h for h in headings)
    root = committee_copy(tmp_path)
    edit(root / "data/committee.yaml", "sample: true\n", "")
    real = {slug: {**s, "sample": False} for slug, s in summaries.items()}
    page = summary.render(load_committee(root), summary_out(tmp_path / "real", real))
    assert "sample-mark" not in page and "示例数据" not in page


def test_text_from_data_stays_text(tmp_path, summaries):
    root = committee_copy(tmp_path)
    edit(root / "data/reviews.yaml", "[台账记录不及时，数据报送有差错]", '["<script>alert(1)</script>"]')
    page = summary.render(load_committee(root), summary_out(tmp_path, summaries))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_names_only_its_own_files(tmp_path, summaries):
    out = summary_out(tmp_path, summaries)
    page = summary.write(load_committee(EXAMPLE), out).read_text("utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for asset in re.findall(r'(?:src|href)="(_committee/[^"]+)"', page):
        assert (out / asset).is_file()
    old = out / "_committee/committee.000000000000.css"
    old.write_text("old", "utf-8")
    (out / "_committee/notes.txt").write_text("not ours", "utf-8")
    summary.write(load_committee(EXAMPLE), out)
    assert not old.exists() and (out / "_committee/notes.txt").exists()


def test_a_cell_names_each_groups_missed_months_and_counts_them_for_sorting():
    def row(group, held, due, missed):
        return {"key": "group_meeting", "name": "党小组会", "group": group, "frequency": "month", "held": held,
                "due": due, "missed": missed, "current": None}

    data = {"activities": [row("第一党小组", 6, 7, ["3月"]), row("第二党小组", 5, 7, ["4月", "7月"])]}
    found = summary.cell(data, "group_meeting", "b/records/2023/")
    assert (found.text, found.missed, found.state, found.sort) == ("11/14", "第一党小组3月；第二党小组4月、7月", "missed", 3)
    assert summary.cell(data, "theme_day", "b/").text == "无此项"


def test_the_people_section_counts_without_names_or_amounts(tmp_path, summaries):
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path, summaries))
    assert cells(page, "机关党委综合处党支部", "people") == [
        ["1名"], ["1名"], ["1名"], ["1名"], ["0名"],
        ["2022年度：1名未达到年度要求（共10名）", "2023年截至7月31日：11名尚未达到全年要求（共12名）"],
        ["1人次（1名党员）"]]
    section = page[page.index('id="people"'):]
    section = section[:section.index("</section>")]
    assert "某某" not in section and not re.search(r"\d\.\d\d", section)  # no name, no amount
    for href in ('href="general/people/development/"', 'href="general/people/2022/study/"',
                 'href="general/people/2023/study/"', 'href="general/people/2023/dues/"'):
        assert href in section
    # a state file written before the people's counts: the section says there is nothing to show
    older = {slug: {k: v for k, v in s.items() if k != "people"} for slug, s in summaries.items()}
    page = summary.render(load_committee(EXAMPLE), summary_out(tmp_path / "older", older))
    assert "各党支部网站都还没有党员名册以外的党员数据" in page
