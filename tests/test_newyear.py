"""make new-year: scaffold → build with 待填 → fill → strict build → 数据一览 compares the years."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from conftest import ENV, MKDOCS, ROOT, build, read
from htmltext import blocks

from macros import draft as draft_pages
from macros import newyear
from macros.data import load_site

VALUES_2022 = yaml.safe_load((ROOT / "data/2022/figures.yaml").read_text("utf-8"))


def new_year(project, *args):
    """Run the command as `make new-year` does, in the project directory."""
    return subprocess.run(
        [sys.executable, "-m", "macros.newyear", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def value_2023(key, value):
    """A 2023 value different from 2022's, so every change shows."""
    if isinstance(value, int):
        return {"study.sessions": 30, "lecture.secretary": 3, "branch.committee_meetings": 12}.get(key, value + 1)
    return f"新{value}"


def fill(project, values):
    """What the editors do: fill every figure and the date, rewrite the text (drop the notices)."""
    path = project / "data/2023/figures.yaml"
    text = path.read_text("utf-8")
    for key, value in values.items():
        text, count = re.subn(rf"^{re.escape(key)}: 待填", f"{key}: {value_2023(key, value)}", text, flags=re.M)
        assert count == 1, key
    path.write_text(text, "utf-8")
    report = project / "data/2023/report.yaml"
    report.write_text(report.read_text("utf-8").replace("date: 待填", "date: 2024-01-12"), "utf-8")
    for page in (project / "docs/2023").rglob("*.md"):
        page.write_text(re.sub(r"^\{\{ draft_notice\(2022\) \}\}\n\n?", "", page.read_text("utf-8"), flags=re.M))


FIXED_2022 = {"docs.plans": 36}
# Figures counted from the 台账 (catalogue `derived`): never typed, in no figures file
CATALOGUE = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
DERIVED = {key for key, spec in CATALOGUE.items() if spec.get("derived")}


def test_scaffold_fill_build_and_compare(project, tmp_path):
    # the 2022 values the change assertions below depend on (whatever the real data becomes)
    path = project / "data/2022/figures.yaml"
    text = path.read_text("utf-8")
    for key, value in FIXED_2022.items():
        text = re.sub(rf"^{re.escape(key)}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    path.write_text(text, "utf-8")
    values = {**VALUES_2022, **FIXED_2022}
    assert yaml.safe_load(text) == values

    result = new_year(project, "2023")
    assert result.returncode == 0, result.stderr
    assert "已生成 2023 年度（模板：2022 年度）" in result.stdout
    kept = {*newyear.OWN_FILES, *newyear.NOT_CARRIED}
    carried = sorted(p.name for p in (project / "data/2022").glob("*.yaml") if p.name not in kept)
    written = sorted(p.name for p in (project / "data/2023").glob("*.yaml"))
    assert written == sorted(["figures.yaml", "report.yaml", *carried])
    if not carried:
        assert "中没有工作计划和清单文件，跳过" in result.stdout

    # data: every typed catalogue figure 待填 (those counted from the 台账 are not typed), title
    # derived, date 待填, no sample flag
    assert DERIVED and set(values) | DERIVED == set(CATALOGUE) and not set(values) & DERIVED
    figures_text = (project / "data/2023/figures.yaml").read_text("utf-8")
    figures = yaml.safe_load(figures_text)
    assert figures == {key: "待填" for key in values}
    site_data = load_site(project, project / "docs")
    counted = {year: newyear.derived_counts(site_data, year) for year in (2022, 2023)}
    assert set(counted[2022]) == set(counted[2023]) == DERIVED
    assert {key: site_data.years[2023].values[key] for key in DERIVED} == counted[2023]
    report = yaml.safe_load((project / "data/2023/report.yaml").read_text("utf-8"))
    title = "机关党委办公室党支部关于2023年度全面从严治党工作情况的报告"
    assert report == {"title": title, "date": "待填", "sample": False}

    # pages: same files, same macro calls, years moved on, a draft notice on every page with prose
    old = sorted(p.relative_to(project / "docs/2022") for p in (project / "docs/2022").rglob("*.md"))
    new = sorted(p.relative_to(project / "docs/2023") for p in (project / "docs/2023").rglob("*.md"))
    assert old == new
    for rel in old:
        before = (project / "docs/2022" / rel).read_text("utf-8")
        after = (project / "docs/2023" / rel).read_text("utf-8")
        calls = r"\{\{ (?!draft_notice)[^}]*\}\}"
        assert re.findall(calls, before) == re.findall(calls, after), rel
        assert [draft_pages.shift_years(h, 2022, 2023) for h in before.splitlines() if h.startswith("#")] == [
            h for h in after.splitlines() if h.startswith("#")
        ], rel
    opening = (project / "docs/2023/_opening.md").read_text("utf-8")
    assert opening.startswith("{{ draft_notice(2022) }}\n\n2023年，在馆党委的坚强领导下")
    assert "draft_notice" not in (project / "docs/2023/full.md").read_text("utf-8")
    assert "editor-note" not in (project / "docs/2023/work/standards.md").read_text("utf-8")

    # builds right away (not strict), with 待填 and 待改写 warnings; the newest year comes first
    draft = subprocess.run(  # not -q: the warnings are what the editors read
        [*MKDOCS, "build", "-d", str(tmp_path / "draft")], cwd=project, capture_output=True, text=True, env=ENV
    )
    assert draft.returncode == 0, draft.stderr
    line = figures_text.splitlines().index("docs.plans: 待填  # 拟制方案、计划、安排件数（件）") + 1
    assert f"data/2023/figures.yaml:{line}: 拟制方案、计划、安排件数 (docs.plans)：待填" in draft.stderr
    assert "(study.sessions)：待填" not in draft.stderr  # counted from the 2023 records
    assert "data/2023/report.yaml:6: 落款日期 (date)：待填" in draft.stderr
    assert "docs/2023/work/political.md:3: 正文仍是 2022 年度的文字" in draft.stderr
    site = tmp_path / "draft"
    home = read(site, "")
    years = re.findall(r'<ul class="years">(.*?)</ul>', home)[0]
    assert re.findall(r"关于(\d{4})年度全面从严治党", years) == ["2023", "2022"]
    assert years.index("最新") < years.index("2022")
    assert "待改写" in read(site, "2023/work/political")
    assert '<span class="fig fig--missing" title="落款日期：待填">待填</span>' in read(site, "2023/full")
    # the 报告 tab opens the newest year
    tab = re.search(r'<li class="md-tabs__item[^"]*">\s*<a href="([^"]+)"[^>]*>\s*报告', home)
    assert tab and tab.group(1).rstrip("/").endswith("2023"), tab

    strict = build(project, tmp_path / "refused", strict=True)
    assert strict.returncode != 0
    assert "data/2023/report.yaml:6: 落款日期 (date)：待填" in strict.stderr
    drafts = [p for p in (project / "docs/2023").rglob("*.md") if "{{ draft_notice(2022) }}" in p.read_text("utf-8")]
    assert len(drafts) == 7  # _opening, index, (一)(二)(三), problems, plans
    assert "7 处正文待改写，严格模式拒绝发布" in strict.stderr
    assert not (tmp_path / "refused").exists()

    # the editors fill every figure, set the date, rewrite the text: a strict build passes
    fill(project, values)
    final = build(project, tmp_path / "final", strict=True)
    assert final.returncode == 0, final.stderr
    site = tmp_path / "final"
    shown = dict(fig for block in blocks(read(site, "2023/work/political")) for fig in block.figs)
    assert shown["study.sessions"] == str(counted[2023]["study.sessions"])
    assert "2024年1月12日" in read(site, "2023/full")
    assert "待改写" not in read(site, "2023/work/political")

    # 数据一览: both years, each value right, change against 2022
    rows = table_rows(read(site, "figures"))
    assert set(rows) == set(values) | DERIVED
    for key, value in values.items():
        cells = rows[key]
        assert cells["2022"].startswith(str(value)), key
        assert cells["2023"].startswith(str(value_2023(key, value))), key
    for key in DERIVED:
        assert rows[key]["2022"] == str(counted[2022][key]), key
        assert rows[key]["2023"].startswith(str(counted[2023][key])), key
    assert rows["docs.plans"]["2023"] == "37 ↑ 2.8%"
    assert rows["publicity.newspaper"]["2023"] == "新机关"  # text: no change computed
    assert rows["docs.plans"]["2022"] == "36"  # the first year has nothing to compare with
    html = read(site, "figures")
    assert "目前只有" not in html
    chart = re.search(r'<figure class="yoy-chart" data-fig="study.sessions">.*?</figure>', html).group(0)
    sessions = [str(counted[year]["study.sessions"]) for year in (2022, 2023)]
    assert f"2022年 {sessions[0]}、2023年 {sessions[1]}" in chart
    assert re.findall(r'class="value">(\d+)</text>', chart) == sessions


def table_rows(html: str) -> dict:
    """数据一览 table: key -> {year: cell text}."""
    rows = {}
    for key, row in re.findall(r'<tr data-fig="([^"]+)">(.*?)</tr>', html):
        cells = re.findall(r'<td data-year="(\d{4})">(.*?)</td>', row)
        rows[key] = {year: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for year, cell in cells}
    return rows


def test_refuses_existing_and_skipped_years(project):
    (project / "docs/2023").mkdir()
    refused = new_year(project, "2023")
    assert refused.returncode == 1
    assert "未生成新年度：docs/2023/ 已存在：不会覆盖已有年度" in refused.stderr
    assert not (project / "data/2023").exists()
    (project / "docs/2023").rmdir()

    skipped = new_year(project, "2025")
    assert skipped.returncode == 1
    assert "新年度应为 2023（最新年度 2022 的下一年），而不是 2025" in skipped.stderr
    assert "FORCE=1" in skipped.stderr
    assert not (project / "data/2025").exists()

    bad = new_year(project, "二〇二三")
    assert bad.returncode == 1 and "年份应为四位数字" in bad.stderr

    forced = new_year(project, "2025", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "2025年，在馆党委" in (project / "docs/2025/_opening.md").read_text("utf-8")
    assert "关于2025年度全面从严治党" in (project / "data/2025/report.yaml").read_text("utf-8")

    again = new_year(project, "2025", "--force")
    assert again.returncode == 1 and "data/2025/ 已存在" in again.stderr


def test_default_year_is_the_next_one(project):
    result = new_year(project)
    assert result.returncode == 0, result.stderr
    assert (project / "data/2023/figures.yaml").exists()


def test_refuses_when_current_data_is_broken(project):
    path = project / "data/2022/figures.yaml"
    text = path.read_text("utf-8")
    line = text.splitlines().index("docs.plans: 36") + 1
    path.write_text(text.replace("docs.plans: 36", "docs.plans: 十二"), "utf-8")
    result = new_year(project, "2023")
    assert result.returncode == 1
    assert "现有数据有错误" in result.stderr and f"data/2022/figures.yaml:{line}" in result.stderr
    assert not (project / "data/2023").exists()


def test_make_target_passes_year_and_force():
    dry = subprocess.run(
        ["make", "-n", "new-year", "YEAR=2023", "FORCE=1"], cwd=ROOT, capture_output=True, text=True, env=ENV
    )
    assert "-m macros.newyear 2023 --force" in dry.stdout


def test_text_transforms():
    assert draft_pages.shift_years("2022年，2021年度工作；2023年计划；编号12022年；1921年建党", 2022, 2023) == (
        "2023年，2022年度工作；2024年计划；编号12022年；1921年建党"
    )
    page = "# 标题\n\n正文。\n\n!!! note editor-note \"编者注\"\n    说明。\n\n下一段。\n"
    assert draft_pages.drop_editor_notes(page) == "# 标题\n\n正文。\n\n下一段。\n"
    assert not draft_pages.has_prose("---\ntitle: 全文\n---\n\n# {{ report_title() }}\n\n{{ include_section('a.md') }}\n")
    assert draft_pages.has_prose("# 二、存在主要问题\n\n一是……\n")
    assert draft_pages.add_draft_notice("# 标题\n\n正文\n", 2022) == "# 标题\n\n{{ draft_notice(2022) }}\n\n正文\n"
    assert draft_pages.add_draft_notice("正文\n", 2022) == "{{ draft_notice(2022) }}\n\n正文\n"
    front = "---\ntitle: 概览\n---\n\n正文\n"
    assert draft_pages.add_draft_notice(front, 2022) == "---\ntitle: 概览\n---\n\n{{ draft_notice(2022) }}\n\n正文\n"


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
