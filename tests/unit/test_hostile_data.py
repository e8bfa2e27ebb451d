"""Issue 23.5 and 23.6 in the data: nothing is skipped or doubled without a word, every schema rule
speaks Chinese. (Permissions, which need a user other than root: tests/unit/test_permissions.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.files import ROSTER, data_copy, make_project, problems
from hypothesis import given
from hypothesis import strategies as st

from macros.core.records import model as rec

RECORD = "2022-01-10-committee_meeting.yaml"


@pytest.fixture()
def site(tmp_path) -> Path:
    return data_copy(tmp_path / "site")


def records_folder(root: Path, year: int = 2022) -> Path:
    return root / "data" / "records" / str(year)


def test_an_exact_duplicate_under_another_name_names_both_files(site):
    shutil.copy(records_folder(site) / RECORD, records_folder(site) / "2022-01-10-committee_meeting-2.yaml")
    [line] = problems(site)
    assert "2022-01-10-committee_meeting-2.yaml" in line and "2022-01-10-committee_meeting.yaml" in line
    assert line.endswith("的内容完全相同：同一次活动只记一个文件；请删去其中一个（确是两次活动的，请写明各自的议题或时间）")


@pytest.mark.parametrize("name", ["2022-01-10-committee_meeting.yml", "2022-01-10-committee_meeting.YAML",
                                  "2022-01-10-committee_meeting.yaml~", "#2022-01-10-committee_meeting.yaml#",
                                  "说明.txt"])
def test_a_record_that_would_be_skipped_is_an_error(site, name):
    (records_folder(site) / RECORD).rename(records_folder(site) / name)
    lines = problems(site)
    assert lines[0] == (f"data/records/2022/{name}:1: 台账年度目录中只能有记录文件（.yaml）和 roster.yaml，"
                        f"{name} 不会被读取；记录文件请以 .yaml 结尾，其他文件请移走")


def test_a_folder_inside_a_year_of_records(site):
    (records_folder(site) / "旧").mkdir()
    assert problems(site)[0].startswith("data/records/2022/旧:1: 台账年度目录中不应有子目录")


@pytest.mark.parametrize("year, says", [
    (1999, "台账年度目录 data/records/1999/ 的年份不在 2000–2100 年之间"),
    (2030, "有 2030 年的台账，却没有该年度或相邻年度的数据目录（data/2029/、data/2030/ 或 data/2031/；现有年度：2022）；请核对年份"),
    (2020, "有 2020 年的台账，却没有该年度或相邻年度的数据目录（data/2019/、data/2020/ 或 data/2021/；现有年度：2022）；请核对年份"),
])
def test_records_of_a_year_the_site_does_not_have(site, year, says):
    shutil.copytree(records_folder(site), records_folder(site, year))
    for path in records_folder(site, year).glob("2022-*.yaml"):
        path.unlink()
    assert f"data/records/{year}:1: {says}" in problems(site)


def test_the_year_in_progress_and_stray_entries(site, tmp_path):
    errors: list = []
    (site / "data/records/草稿").mkdir()
    (site / "data/records/.import-abc").mkdir()  # an interrupted import's staging folder: not data
    (site / "data/records/2021").mkdir(exist_ok=True)
    rec.check_record_years(site, [2022], errors)
    assert [e.render() for e in errors] == [
        "data/records/草稿:1: data/records/ 中只能有年度目录（如 data/records/2023/），草稿 不会被读取；请移走"
    ]  # data/records/2023 (the year after 2022, in progress) is accepted; 2021 (a 2021年度 meeting held in 2022) too


@pytest.mark.parametrize("name, says", [
    ("张某某\u200b", "U+200B"), ("\u200d李某", "U+200D"), ("王\u202e某", "U+202E"), ("赵\u3164某", "U+3164"),
    ("陈\ufeff某", "U+FEFF"),
])
def test_a_roster_name_with_an_invisible_character(tmp_path, name, says):
    root = make_project(tmp_path / "p")
    roster = root / "data/records/2022/roster.yaml"
    roster.write_text(ROSTER + f"  - {{name: \"{name}\", role: 党员, group: 第一党小组, status: 正式}}\n", "utf-8")
    errors: list = []
    rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    [error] = errors
    assert error.path == "data/records/2022/roster.yaml" and error.line == 6
    assert ("含有看不见的字符" in error.message or "有不可见字符" in error.message) and says in error.message


@pytest.mark.parametrize("twin", ["张某某 ", "张 某某", "张某某\u3000", "ＺＨＡＮＧ", "张某某"])
def test_names_equal_after_normalising_are_duplicates(tmp_path, twin):
    root = make_project(tmp_path / "p")
    base = "ZHANG" if twin.startswith("Ｚ") else "张某某"
    text = ROSTER.replace("张某某", base) + f"  - {{name: \"{twin}\", role: 党员, group: 第一党小组, status: 正式}}\n"
    (root / "data/records/2022/roster.yaml").write_text(text, "utf-8")
    errors: list = []
    rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    messages = [e.message for e in errors]
    assert any(m.startswith(f"党员 {twin} 重复（第 2 行已有）") for m in messages), messages


INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u2066", "\u00ad", "\u3164"])


@given(prefix=st.text("张李王赵某", min_size=1, max_size=3), hidden=INVISIBLE, at=st.integers(0, 3))
def test_any_invisible_character_in_any_place_is_refused(prefix, hidden, at):
    name = prefix[:at] + hidden + prefix[at:]
    assert rec.INVISIBLE.search(name)
    assert rec.same_name(name) == rec.same_name(prefix)


def test_a_roster_name_over_twenty_characters_is_refused_in_chinese(tmp_path):
    root = make_project(tmp_path / "p")
    name = "欧" * 21
    (root / "data/records/2022/roster.yaml").write_text(
        ROSTER + f"  - {{name: {name}, role: 党员, group: 第一党小组, status: 正式}}\n", "utf-8")
    errors: list = []
    rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    assert [e.render() for e in errors] == [
        "data/records/2022/roster.yaml:6: 姓名 (members.4.name)：不能超过 20 个字，实际为 21 个字"
    ]
