"""The Excel a secretary fills in (unit tests of the 台账 import): the year's template, and rows typed
under the headings of one of its sheets."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from macros.core.records import model as rec
from macros.exports import ledger_xlsx


def ledger_template(root: Path, out: Path, year: int = 2022) -> Path:
    """`make records-template` of a project's year, written to `out`."""
    errors: list = []
    records = rec.load_records(root, year, rec.load_types(root, errors), errors)
    ledger_xlsx.write_template(records, out, "测试党支部")
    return out


def fill(path: Path, sheet: str, rows, out: Path, change=None) -> Path:
    """What a secretary does: type rows under the headings of a sheet (and `change(workbook)`, if given),
    save under a new name."""
    wb = load_workbook(path)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            wb[sheet].cell(row=r, column=c, value=value)
    if change:
        change(wb)
    wb.save(out)
    return out
