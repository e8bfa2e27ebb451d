"""make new-year (macros.newyear), in process on a copy of the pages and data: the scaffold, its
refusals, and the text transforms. A strict build refusing the scaffold until it is filled in is
tests/wiring/test_sites.py; the two years compared on 数据一览 is tests/unit/test_yoy.py."""

from __future__ import annotations

import re

import pytest
import yaml
from helpers.files import data_copy

from macros.commands import newyear
from macros.core.load import load_site
from macros.pages import draft


@pytest.fixture()
def project(tmp_path):
    return data_copy(tmp_path / "project", docs=True)


def new_year(project, capsys, *args) -> tuple[int, str, str]:
    code = newyear.main([*args, "--root", str(project)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scaffold_data_and_pages(project, capsys):
    code, out, _ = new_year(project, capsys, "2023")
    assert code == 0
    assert out.startswith("已生成 2023 年度（模板：2022 年度）")
    kept = {*newyear.OWN_FILES, *newyear.NOT_CARRIED}
    carried = sorted(p.name for p in (project / "data/2022").glob("*.yaml") if p.name not in kept)
    assert sorted(p.name for p in (project / "data/2023").glob("*.yaml")) == sorted(
        ["figures.yaml", "report.yaml", *carried])
    # data: every typed figure 待填 (those counted from the 台账 are not typed), title, date 待填, no sample flag
    catalogue = yaml.safe_load((project / "data/catalogue.yaml").read_text("utf-8"))["figures"]
    derived = {key for key, spec in catalogue.items() if spec.get("derived")}
    values = yaml.safe_load((project / "data/2022/figures.yaml").read_text("utf-8"))
    assert derived and set(values) | derived == set(catalogue) and not set(values) & derived
    assert yaml.safe_load((project / "data/2023/figures.yaml").read_text("utf-8")) == {k: "待填" for k in values}
    assert yaml.safe_load((project / "data/2023/report.yaml").read_text("utf-8")) == {
        "title": "机关党委办公室党支部关于2023年度全面从严治党工作情况的报告", "addressee": "馆党委", "date": "待填",
        "sample": False}
    # pages: same files, same macro calls and headings, years moved on, a draft notice where there is prose
    old = sorted(p.relative_to(project / "docs/2022") for p in (project / "docs/2022").rglob("*.md"))
    assert old == sorted(p.relative_to(project / "docs/2023") for p in (project / "docs/2023").rglob("*.md"))
    for rel in old:
        before = (project / "docs/2022" / rel).read_text("utf-8")
        after = (project / "docs/2023" / rel).read_text("utf-8")
        calls = r"\{\{ (?!draft_notice)[^}]*\}\}"
        assert re.findall(calls, before) == re.findall(calls, after), rel
        assert [draft.shift_years(h, 2022, 2023) for h in before.splitlines() if h.startswith("#")] == [
            h for h in after.splitlines() if h.startswith("#")], rel
    opening = (project / "docs/2023/_opening.md").read_text("utf-8")
    assert opening.startswith("{{ draft_notice(2022) }}\n\n2023年，在馆党委的坚强领导下")
    assert "draft_notice" not in (project / "docs/2023/full.md").read_text("utf-8")
    assert "editor-note" not in (project / "docs/2023/work/standards.md").read_text("utf-8")
    drafts = draft.scan(project / "docs")
    assert len(drafts) == 7  # _opening, index, (一)(二)(三), problems, plans
    assert drafts[0].message == "正文仍是 2022 年度的文字（由 make new-year 复制），待改写；改写完成后删除这一行"
    # what was written loads, with 待填 figures and date listed; the counted ones come from the 台账
    site = load_site(project, project / "docs")
    assert sorted(site.years) == [2022, 2023] and len(site.unfilled()) == len(values) + 1
    counted = newyear.derived_counts(site, 2023)
    assert set(counted) == derived and {key: site.years[2023].values[key] for key in derived} == counted


def test_refuses_existing_and_skipped_years(project, capsys):
    (project / "docs/2023").mkdir()
    code, _, err = new_year(project, capsys, "2023")
    assert code == 1 and "未生成新年度：docs/2023/ 已存在：不会覆盖已有年度" in err
    assert not (project / "data/2023").exists()
    (project / "docs/2023").rmdir()

    code, _, err = new_year(project, capsys, "2025")
    assert code == 1
    assert "新年度应为 2023（最新年度 2022 的下一年），而不是 2025" in err and "FORCE=1" in err
    assert not (project / "data/2025").exists()

    code, _, err = new_year(project, capsys, "二〇二三")
    assert code == 1 and "年份应为四位数字" in err

    code, _, _ = new_year(project, capsys, "2025", "--force")
    assert code == 0
    assert "2025年，在馆党委" in (project / "docs/2025/_opening.md").read_text("utf-8")
    assert "关于2025年度全面从严治党" in (project / "data/2025/report.yaml").read_text("utf-8")

    code, _, err = new_year(project, capsys, "2025", "--force")
    assert code == 1 and "data/2025/ 已存在" in err


def test_default_year_is_the_next_one(project, capsys):
    assert new_year(project, capsys)[0] == 0
    assert (project / "data/2023/figures.yaml").exists()


def test_refuses_when_current_data_is_broken(project, capsys):
    path = project / "data/2022/figures.yaml"
    line = path.read_text("utf-8").splitlines().index("docs.plans: 36") + 1
    path.write_text(path.read_text("utf-8").replace("docs.plans: 36", "docs.plans: 十二"), "utf-8")
    code, _, err = new_year(project, capsys, "2023")
    assert code == 1
    assert "现有数据有错误" in err and f"data/2022/figures.yaml:{line}" in err and "docs.plans" in err
    assert not (project / "data/2023").exists()


def test_text_transforms():
    assert draft.shift_years("2022年，2021年度工作；2023年计划；编号12022年；1921年建党", 2022, 2023) == (
        "2023年，2022年度工作；2024年计划；编号12022年；1921年建党"
    )
    page = "# 标题\n\n正文。\n\n!!! note editor-note \"编者注\"\n    说明。\n\n下一段。\n"
    assert draft.drop_editor_notes(page) == "# 标题\n\n正文。\n\n下一段。\n"
    assert not draft.has_prose("---\ntitle: 全文\n---\n\n# {{ report_title() }}\n\n{{ include_section('a.md') }}\n")
    assert draft.has_prose("# 二、存在主要问题\n\n一是……\n")
    assert draft.add_draft_notice("# 标题\n\n正文\n", 2022) == "# 标题\n\n{{ draft_notice(2022) }}\n\n正文\n"
    assert draft.add_draft_notice("正文\n", 2022) == "{{ draft_notice(2022) }}\n\n正文\n"
    front = "---\ntitle: 概览\n---\n\n正文\n"
    assert draft.add_draft_notice(front, 2022) == "---\ntitle: 概览\n---\n\n{{ draft_notice(2022) }}\n\n正文\n"


def test_previous_plan_becomes_the_starting_draft():
    plan = (
        "# yaml-language-server: $schema=../../schemas/plan.schema.json\n"
        "# 2023 年工作计划（data/2022/plan.yaml）\n"
        "# 注意：以下状态为示例数据，不是真实进度。\n"
        "year: 2023\n"
        "tasks:\n"
        "  - title: 学习\n"
        "    due: 2023-Q2\n"
        "    status: 已完成  # 注\n"
        "    evidence: 会议记录\n"
        "  - status: 进行中\n"
        "    evidence: |\n"
        "      多行\n"
        "      佐证\n"
        "    date: 2024-02-29\n"
        "    count: 2000\n"
    )
    out = newyear.carry_over(plan, 2022, 2023)
    lines = out.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/plan.schema.json"
    assert lines[1].startswith("# 由 make new-year 从 data/2022/ 复制的起始稿：年份和日期已顺延 1 年")
    assert "# 2024 年工作计划（data/2023/plan.yaml）" in lines and "year: 2024" in lines
    assert "    due: 2024-Q2" in lines and "    status: 未开始  # 注" in lines and "  - status: 未开始" in lines
    assert "示例" not in out and "evidence" not in out and "佐证\n" not in out and "已完成" not in out
    assert "    date: 2025-02-28" in lines  # no 29 February in 2025
    assert "    count: 2000" in lines  # not a year near the report's
    tasks = yaml.safe_load(out)["tasks"]
    assert [set(task) for task in tasks] == [{"title", "due", "status"}, {"status", "date", "count"}]


def test_the_draft_notice_names_the_year_it_was_copied_from():
    from markupsafe import Markup

    from macros.pages.templating import render

    html = render("draft_notice.html", source="2022 年度", year=2023, guide_href=Markup("../../guide/#新增一个年度"))
    assert "待改写" in html and "2022 年度" in html
    # an editor's note: says so, names no macro, points to the guide; not in the search index
    assert "只在预览中显示" in html and "draft_notice" not in html.split("-->", 1)[-1].split("#}")[-1]
    assert 'href="../../guide/#新增一个年度"' in html and "data-search-exclude" in html


def test_the_draft_box_is_an_editors_note_never_published():
    """In a preview the 待改写 box shows, linking the guide; a strict (publishing) build and the 全文 never show it."""
    from helpers.render import here

    from macros.pages import draft as drafts

    preview = str(drafts.notice(here("2023/work/political.md"), 2022, 2023))
    assert "只在预览中显示" in preview and 'href="../../../guide/#新增一个年度"' in preview
    assert drafts.notice(here("2023/work/political.md", strict=True), 2022, 2023) == ""
    assert drafts.notice(here("2023/work/political.md", fulltext=True), 2022, 2023) == ""
