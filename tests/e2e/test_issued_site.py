"""End-to-end: the real site, copied and built by MkDocs (not a tiny fixture site), replaying issue 22's bullets for an issued year
(macros/core/issued.py) and for sample marks after `make new-year` (macros/commands/newyear.py)."""

from __future__ import annotations

import lxml.html
import pytest
from docx import Document
from helpers.builds import build
from helpers.files import LATE_THEME_DAY, edit, project_copy
from helpers.render import read

from macros.commands import newyear

pytestmark = pytest.mark.e2e



def body_text(page_html: str) -> str:
    return lxml.html.fromstring(page_html).xpath("//div[contains(@class,'report-body')]")[0].text_content()


def docx_text(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_a_late_record_leaves_the_issued_report_and_the_site_says_so(tmp_path):
    project = project_copy(tmp_path / "p")
    before = build(project, tmp_path / "before", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert before.returncode == 0, before.output
    (project / "data/records/2022/2022-08-25-theme_day.yaml").write_text(LATE_THEME_DAY, "utf-8")
    after = build(project, tmp_path / "after", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert after.returncode == 0, after.output
    a, b = tmp_path / "before", tmp_path / "after"
    # the issued 全文, .txt and .docx: unchanged, 主题党日 still 9
    assert (a / "2022/report-2022.txt").read_bytes() == (b / "2022/report-2022.txt").read_bytes()
    assert docx_text(a / "2022/report-2022.docx") == docx_text(b / "2022/report-2022.docx")
    assert body_text(read(a, "2022/full")) == body_text(read(b, "2022/full"))
    assert "全年共组织主题党日活动9次" in (b / "2022/report-2022.txt").read_text("utf-8")
    # the site notes: on the 全文 (outside the report) and on the page using the figure
    note = "全年组织主题党日活动次数：印发的报告为9次，台账现记录10次（印发后补录1条：8月25日主题党日）"
    for page in ("2022/full", "2022/work/standards", "2022"):
        tree = lxml.html.fromstring(read(b, page))
        notes = [n.text_content() for n in tree.xpath("//div[contains(@class,'issued-note')]")]
        assert len(notes) == 1 and note in notes[0], page
    assert "issued-note" not in read(b, "2022/work/political")  # no figure of it changed
    # the 台账 lists it as entered after the issue and counts it
    ledger = lxml.html.fromstring(read(b, "records/2022/ledger")).text_content()
    assert "印发后补录（2023年8月1日）" in ledger
    overview = lxml.html.fromstring(read(b, "records/2022")).text_content()
    assert "2022年共记录活动" in overview and "其中1次是2022年度报告印发后补录的" in overview


def test_a_changed_sentence_of_the_issued_report_stops_the_build(tmp_path):
    project = project_copy(tmp_path / "p")
    edit(project / "docs/2022/work/political.md", "时刻把讲政治贯穿于工作始终", "始终把讲政治贯穿于工作始终")
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    assert ("docs/2022/full.md：2022 年度报告已于2023年1月10日印发，全文（标题、正文、落款）与印发时不同；"
            "印发的报告不能改动") in result.output
    assert "Traceback" not in result.output


def test_a_new_year_counted_from_sample_records_carries_the_sample_mark(tmp_path):
    """After make new-year, 2023's figures counted from the (sample) 2023 台账 are marked as sample."""
    project = project_copy(tmp_path / "p")
    newyear.scaffold(project, 2023)
    result = build(project, tmp_path / "out", strict=False, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.output
    out = tmp_path / "out"
    overview = lxml.html.fromstring(read(out, "2023"))
    cards = overview.xpath("//div[@class='fig-card']")
    marked = {c.xpath(".//div[@class='fig-card__label']")[0].text_content()
              for c in cards if c.xpath(".//div[@class='fig-card__sample']")}
    assert "召开支委会次数" in marked  # counted from the sample 2023 台账
    assert "拟制方案、计划、安排件数" not in marked  # typed, 待填: nothing made up
    banner = overview.xpath("//div[contains(@class,'sample-notice')]")[0].text_content()
    assert "2022、2023年台账中的人员和活动也是虚构的示例，2023年度报告中由台账统计的数字因此也是示例" in banner
    records = lxml.html.fromstring(read(out, "records/2023")).text_content()
    assert "本年度台账为示例数据" in records
    assert (out / "2023/report-2023.txt").read_text("utf-8").startswith("【示例数据，不是正式文件】")
