"""Issue 23.3, 23.5, 23.6: hostile workbooks given to make import-records. Each is refused with
Chinese lines naming the workbook (and the sheet and row where there is one), before anything is
written, without a traceback, a Python warning, a hang or a large memory bill."""

from __future__ import annotations

import datetime as dt
import os
import re
import resource
import threading
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from helpers.files import make_project
from helpers.sheets import fill, ledger_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from macros.commands import records_guard, records_import, records_xlsx
from macros.core.records import model as rec

SHEET = "支部委员会会议"
GOOD = [dt.date(2022, 3, 15), "研究第一季度党建工作", "张某某", "李某某", None, None, "会议记录本第3页"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def template(root: Path, tmp: Path) -> Path:
    return ledger_template(root, tmp / "模板.xlsx")


def filled(root: Path, tmp: Path, rows=(GOOD,), name="台账.xlsx", change=None) -> Path:
    return fill(template(root, tmp), SHEET, rows, tmp / name, change)


def rewrite(path: Path, out: Path, change) -> Path:
    """A copy of a workbook with some zip parts replaced (change(name, bytes) -> bytes | None to drop)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return out


def sheet_part(path: Path, title: str = SHEET) -> str:
    with zipfile.ZipFile(path) as archive:
        return next(s.part for s in records_guard.sheets_of(archive) if s.name == title)


def refused(root: Path, path: Path) -> list[str]:
    """The import's messages: it must refuse, say why in Chinese naming the workbook, write nothing."""
    before = sorted(p.name for p in rec.records_dir(root, 2022).iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Python warning printed to the user fails the test
        result = records_import.import_workbook(root, path)
    assert result.errors and not result.written, result
    assert sorted(p.name for p in rec.records_dir(root, 2022).iterdir()) == before
    for line in result.errors:
        assert line.startswith(path.name) and CHINESE.search(line) and "\n" not in line, line
    return result.errors


def test_a_good_workbook_still_imports(project, tmp_path):
    result = records_import.import_workbook(project, filled(project, tmp_path))
    assert result.errors == [] and len(result.written) == 1


# -- 23.3 bounds ----------------------------------------------------------------------------------
def test_a_cell_at_xfd1048576_is_refused_cheaply(project, tmp_path):
    path = filled(project, tmp_path, change=lambda wb: wb[SHEET].cell(row=1048576, column=16384, value="x"))
    assert path.stat().st_size < 50_000
    start, peak = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    errors = refused(project, path)
    assert time.monotonic() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200_000  # KB: far from gigabytes
    assert errors == [f"台账.xlsx：工作表“{SHEET}”在 XFD1048576 有内容，超出导入范围（最多 5000 行、50 列，即 A1:AX5000）；请删去多余内容"]


@pytest.mark.parametrize("where", [(5001, 1), (2, 51)])
def test_rows_and_columns_are_bounded(project, tmp_path, where):
    path = filled(project, tmp_path, change=lambda wb: wb[SHEET].cell(row=where[0], column=where[1], value="x"))
    assert "超出导入范围" in refused(project, path)[0]


def test_a_zip_of_whitespace_is_refused(project, tmp_path):
    base = filled(project, tmp_path)
    part = sheet_part(base)
    padding = b" " * 30_000_000

    def pad(name, data):
        return data.replace(b"<sheetData>", b"<sheetData>" + padding, 1) if name == part else data

    path = rewrite(base, tmp_path / "bomb.xlsx", pad)
    assert path.stat().st_size < 200_000
    assert "压缩炸弹" in refused(project, path)[0]


def test_total_size_and_file_size_are_bounded(project, tmp_path, monkeypatch):
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as f:
        f.truncate(records_guard.MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert "超过导入上限 10 MB" in refused(project, big)[0]
    monkeypatch.setattr(records_guard, "MAX_TOTAL_BYTES", 20_000)
    assert refused(project, filled(project, tmp_path)) == ["台账.xlsx：解压后共超过 0.02 MB，不像台账，拒绝读取"]
    monkeypatch.setattr(records_guard, "MAX_MEMBER_BYTES", 5_000)
    assert "解压后超过 0.005 MB，不像台账" in refused(project, filled(project, tmp_path))[0]


def test_too_many_sheets(project, tmp_path):
    def sheets(wb):
        for n in range(records_guard.MAX_SHEETS):
            wb.create_sheet(f"多余{n}")

    assert refused(project, filled(project, tmp_path, change=sheets)) == [
        "台账.xlsx：工作表超过 50 张，不像台账，拒绝读取"
    ]


def test_too_long_a_cell(project, tmp_path):
    row = [*GOOD[:1], "长" * 2001, *GOOD[2:]]
    assert refused(project, filled(project, tmp_path, rows=[row])) == [
        f"台账.xlsx {SHEET} 第2行：议题/主题有 2001 个字，超过上限 2000 字"
    ]


def test_openpyxl_uses_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# -- 23.5 nothing silent --------------------------------------------------------------------------
def test_a_formula_without_a_saved_result(project, tmp_path):
    path = filled(project, tmp_path, rows=[[*GOOD[:1], '="研究"&"工作"', *GOOD[2:]]])
    assert refused(project, path) == [
        f"台账.xlsx {SHEET} 第2行：B2 是公式但没有保存计算结果（文件不是由 Excel/WPS 保存的）；"
        "请在 Excel 或 WPS 中打开并保存后再导入，或把公式改为数值"
    ]


def test_a_formula_with_its_saved_result_imports_the_result(project, tmp_path):
    base = filled(project, tmp_path, rows=[[*GOOD[:1], "占位", *GOOD[2:]]])
    part = sheet_part(base)

    def formula(name, data):
        if name != part:
            return data
        cached = '<c r="B2"\\1 t="str"><f>CONCAT("研究","工作")</f><v>研究工作</v></c>'.encode()
        return re.sub(rb'<c r="B2"([^>]*) t="inlineStr"><is>.*?</is></c>', cached, data)

    path = rewrite(base, tmp_path / "cached.xlsx", formula)
    result = records_import.import_workbook(project, path)
    assert result.errors == []
    text = (project / result.written[0].split("（")[0].strip()).read_text("utf-8")
    assert "topic: 研究工作" in text


def test_an_error_value(project, tmp_path):
    path = filled(project, tmp_path, rows=[[*GOOD[:6], "#REF!"]])
    assert refused(project, path) == [f"台账.xlsx {SHEET} 第2行：G2 是错误值 #REF!；请改正后再导入"]


def test_hidden_sheet_row_and_column(project, tmp_path):
    def hide_sheet(wb):
        wb["党课"].sheet_state = "hidden"
        wb["党课"].cell(row=2, column=1, value=dt.date(2022, 5, 1))

    assert refused(project, filled(project, tmp_path, change=hide_sheet)) == [
        "台账.xlsx 党课：这张工作表被隐藏了，但有内容；请取消隐藏并核对（或删除这张表）后再导入"
    ]

    def hide_row(wb):
        wb[SHEET].row_dimensions[3].hidden = True
        for c, value in enumerate(GOOD, start=1):
            wb[SHEET].cell(row=3, column=c, value=value)

    assert refused(project, filled(project, tmp_path, change=hide_row)) == [
        f"台账.xlsx {SHEET} 第3行：这一行被隐藏，但有内容；请取消隐藏并核对后再导入"
    ]

    def hide_column(wb):
        wb[SHEET].column_dimensions["G"].hidden = True

    assert refused(project, filled(project, tmp_path, change=hide_column)) == [
        f"台账.xlsx {SHEET} 第2行：G 列被隐藏，但 G2 有内容；请取消隐藏并核对后再导入"
    ]


@pytest.mark.parametrize("fill", [PatternFill("solid", fgColor="FFFFFF"), None, PatternFill("solid", fgColor="00FF00")])
def test_text_in_the_colour_of_its_background(project, tmp_path, fill):
    colour = "00FF00" if fill is not None and fill.fgColor.rgb.endswith("00FF00") else "FFFFFF"

    def paint(wb):
        cell = wb[SHEET]["E2"]
        cell.value = "赵某某（病假）"
        cell.font = Font(color=colour)
        if fill is not None:
            cell.fill = fill

    assert refused(project, filled(project, tmp_path, change=paint)) == [
        f"台账.xlsx {SHEET} 第2行：E2 的文字颜色与底色相同（看不见）；请改为可见的颜色并核对后再导入"
    ]


# -- 23.6 no traceback ----------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x85", "\u200b", "\u202e", "\u2028", "\x7f"])
def test_invisible_characters_in_a_cell(project, tmp_path, char):
    path = filled(project, tmp_path, rows=[[*GOOD[:1], f"研究{char}工作", *GOOD[2:]]])
    [line] = refused(project, path)
    assert line.startswith(f"台账.xlsx {SHEET} 第2行：议题/主题含有看不见的") and f"U+{ord(char):04X}" in line


@pytest.mark.parametrize(
    "xml, says",
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>', "DTD 或实体声明"),
        (b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "file:///etc/passwd"><worksheet/>', "DTD 或实体声明"),
        (b"<worksheet><sheetData><row r='2'><c r='A2'><v>1</v></row></sheetData>", "XML 已损坏"),
        (b"\xff\xfe garbage", "XML 已损坏"),
    ],
)
def test_malformed_or_dtd_carrying_sheet(project, tmp_path, xml, says):
    base = filled(project, tmp_path)
    part = sheet_part(base)
    path = rewrite(base, tmp_path / "bad.xlsx", lambda name, data: xml if name == part else data)
    [line] = refused(project, path)
    assert says in line


@pytest.mark.parametrize("part, says", [("xl/workbook.xml", "缺少工作簿目录"), ("sheet", "不在文件中"),
                                        ("xl/styles.xml", None), ("xl/sharedStrings.xml", None)])
def test_a_workbook_missing_a_part(project, tmp_path, part, says):
    base = filled(project, tmp_path)
    drop = sheet_part(base) if part == "sheet" else part
    path = rewrite(base, tmp_path / "part.xlsx", lambda name, data: None if name == drop else data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no UserWarning reaches the user
        result = records_import.import_workbook(project, path)
    if says is None:  # openpyxl copes (styles) or the text is gone (shared strings): said in Chinese either way
        for line in result.errors:
            assert line.startswith("part.xlsx") and CHINESE.search(line)
    else:
        assert len(result.errors) == 1 and says in result.errors[0]
        assert not result.written


def test_a_fifo_a_folder_and_a_missing_file(project, tmp_path):
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    done: list = []
    worker = threading.Thread(target=lambda: done.append(records_import.import_workbook(project, fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert done, "the import hung on a named pipe"
    assert done[0].errors == ["管道.xlsx：不是普通文件（是管道、设备等特殊文件），拒绝读取"]
    (tmp_path / "目录.xlsx").mkdir()
    assert refused(project, tmp_path / "目录.xlsx") == ["目录.xlsx：是一个目录，不是 Excel 工作簿"]
    assert records_import.import_workbook(project, tmp_path / "无.xlsx").errors == ["无.xlsx：文件不存在"]


@pytest.mark.parametrize("day, says", [(dt.date(1900, 1, 1), "1900"), (dt.date(2030, 5, 1), "2030")])
def test_rows_dated_far_away_name_sheet_and_row(project, tmp_path, day, says):
    errors = refused(project, filled(project, tmp_path, rows=[[day, *GOOD[1:]]]))
    assert any(line.startswith(f"台账.xlsx {SHEET} 第2行") and says in line for line in errors), errors


def test_the_command_prints_chinese_only(project, tmp_path, capsys):
    path = filled(project, tmp_path, change=lambda wb: wb[SHEET].cell(row=1048576, column=16384, value="x"))
    assert records_xlsx.main(["--root", str(project), "import", str(path)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and out.err.splitlines()[-1] == "发现 1 处错误，没有写入任何文件。改正后请重新导入。"


# -- generated: cell texts and sheet shapes -------------------------------------------------------
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=60)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(topic=CELL_TEXT)
def test_any_cell_text_imports_exactly_or_is_refused_in_chinese(tmp_path_factory, topic):
    tmp = tmp_path_factory.mktemp("gen")
    root = make_project(tmp / "project")
    try:
        path = filled(root, tmp, rows=[[*GOOD[:1], topic, *GOOD[2:]]])
    except Exception:  # openpyxl itself refuses to write some control characters: nothing to import
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = records_import.import_workbook(root, path)
    if result.errors:
        assert not result.written
        assert all(line.startswith("台账.xlsx") and CHINESE.search(line) for line in result.errors)
        return
    import yaml

    [written] = result.written
    data = yaml.safe_load((root / written.split("（")[0].strip()).read_text("utf-8"))
    assert data["topic"] == (topic.strip() or "待填")


SHAPES = st.lists(st.tuples(st.integers(1, 6000), st.integers(1, 60), st.sampled_from(["x", "2022-03-15", 7, "=1"])),
                  max_size=6)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=SHAPES)
def test_any_sheet_shape_is_imported_or_refused_in_chinese(tmp_path_factory, cells):
    tmp = tmp_path_factory.mktemp("shape")
    root = make_project(tmp / "project")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["日期", "议题/主题", "主持人", "记录人", "缺席人员及原因", "决定事项", "佐证材料"])
    for row, column, value in cells:
        ws.cell(row=row + 1, column=column, value=value)
    wb.save(tmp / "shape.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = records_import.import_workbook(root, tmp / "shape.xlsx")
    for line in result.errors:
        assert line.startswith("shape.xlsx") and CHINESE.search(line), line
    if any(row + 1 > 5000 or column > 50 for row, column, _ in cells):
        assert result.errors and "超出导入范围" in result.errors[0]
