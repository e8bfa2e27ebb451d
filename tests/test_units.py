"""Loading, checking and rendering without MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from macros import catalogue, data, render
from macros.errors import DataError, DataErrors
from macros.nav import chinese_number, order_key
from macros.yamlio import load

SITE = data.load_site(ROOT)


def write(tmp_path: Path, text: str, name="f.yaml", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_real_data_loads_with_every_catalogue_figure():
    assert SITE.latest == 2022
    assert set(SITE.years[2022].values) == set(SITE.figures)
    assert len(SITE.figures) == 24  # 26 masks; 书记讲党课 and 微党课 are each stated twice
    assert SITE.years[2022].sample is True
    assert SITE.unfilled() == []


def test_usages_record_page_and_line():
    uses = [u for u in SITE.usages if u.key == "study.sessions"]
    assert ("2022/work/political.md", 5) in {(u.page, u.line) for u in uses}


def test_yaml_lines_and_duplicate_keys(tmp_path):
    doc = load(write(tmp_path, "a: 1\n# c\nb:\n  c: 2\n"), "f.yaml")
    assert doc.line("a") == 1 and doc.line("b", "c") == 4
    with pytest.raises(DataError, match=r"f.yaml:2: .*重复"):
        load(write(tmp_path, "a: 1\na: 2\n"), "f.yaml")


def test_yaml_encoding_tabs_bom_and_syntax(tmp_path):
    with pytest.raises(DataError, match="UTF-8"):
        load(write(tmp_path, "a: 组织党员学习次数\n", encoding="gbk"), "f.yaml")
    assert load(write(tmp_path, "\ufeffa: 1\n"), "f.yaml").data == {"a": 1}
    with pytest.raises(DataError, match=r"f.yaml:2: .*制表符"):
        load(write(tmp_path, "a:\n\tb: 1\n"), "f.yaml")
    with pytest.raises(DataError, match=r"f.yaml:2: YAML 格式错误"):
        load(write(tmp_path, "a: 1\nb: c: d\n"), "f.yaml")


def test_figures_schema_rejects_bad_counts(tmp_path):
    schema = data.figures_schema(SITE.figures)
    from macros.validate import check

    for bad in ("十二", "12.5", "-3", "true"):
        doc = load(write(tmp_path, f"study.sessions: {bad}\n"), "f.yaml")
        problems = check(doc, schema)
        assert len(problems) == 1 and problems[0].line == 1, bad
        assert "组织党员学习次数 (study.sessions)" in problems[0].message
    doc = load(write(tmp_path, "study.sesions: 1\n"), "f.yaml")
    (problem,) = check(doc, schema)
    assert problem.message == "未知数据项 study.sesions；是否是 study.sessions？"


def test_fig_renders_value_label_and_escapes():
    figures = {"a.b": catalogue.Figure("a.b", "名<称>", "text", "一、", mask="**")}
    year = data.Year(2022, {"title": "t", "date": "2023-01-10", "sample": False}, {"a.b": "<i>x</i>"}, None)
    site = data.SiteData(ROOT, {"name": "支部"}, figures, {2022: year})
    html = str(render.Renderer(site).fig("a.b", "2022/x.md"))
    assert html == '<span class="fig" data-fig="a.b" title="名&lt;称&gt;">&lt;i&gt;x&lt;/i&gt;</span>'


def test_page_urls_and_relative_links():
    assert render.page_url("2022/index.md") == "2022/"
    assert render.page_url("2022/work/political.md") == "2022/work/political/"
    assert render._relative("2022/index.md", "2022/work/political.md") == "work/political/"
    assert render._relative("2022/work/political.md", "2022/full.md") == "../../full/"
    assert render._relative("index.md", "2022/index.md") == "2022/"


def test_document_numbering_orders_pages():
    assert [chinese_number(n) for n in ("一", "九", "十", "十二", "二十", "二十三")] == [1, 9, 10, 12, 20, 23]
    docs = ROOT / "docs/2022"
    names = [p.name for p in sorted(docs.iterdir(), key=order_key) if not p.name.startswith("_")]
    assert names == ["index.md", "work", "problems.md", "plans.md", "full.md"][: len(names)] or names[0] == "index.md"


def test_nav_order_follows_the_numbers_in_titles_not_front_matter_comments(tmp_path):
    plan = ROOT / "docs/2022/plan"
    names = [p.stem for p in sorted(plan.iterdir(), key=order_key)]
    assert names == ["index", "tasks", "by-status", "by-owner", "reminders"]
    (tmp_path / "a.md").write_text("---\n# 一、这是注释\nsearch:\n  exclude: true\n---\n\n# 三、丙\n", "utf-8")
    (tmp_path / "b.md").write_text("---\n# 注释\ntitle: 二、乙\n---\n# 一、甲\n", "utf-8")
    (tmp_path / "c.md").write_text("# 一、甲\n", "utf-8")
    assert [p.name for p in sorted(tmp_path.iterdir(), key=order_key)] == ["c.md", "b.md", "a.md"]


def test_data_errors_list_every_problem():
    errors = [DataError("a.yaml", 1, "k", "甲"), DataError("b.yaml", 2, None, "乙")]
    text = str(DataErrors(errors))
    assert text.splitlines()[:2] == ["a.yaml:1: 甲", "b.yaml:2: 乙"]
