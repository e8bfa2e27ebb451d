"""Issue 23.4: an import writes all its record files or none, one import at a time, never over a file."""

from __future__ import annotations

import datetime as dt
import errno
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.files import ROOT, make_project
from helpers.sheets import fill, ledger_template

from macros.commands import records_import, records_write
from macros.core.records import model as rec

SHEET = "支部委员会会议"


def workbook(root: Path, tmp: Path, name: str, rows: list[list]) -> Path:
    return fill(ledger_template(root, tmp / "模板.xlsx"), SHEET, rows, tmp / name)


def meetings(n: int, topic: str = "研究工作", month_day=None) -> list[list]:
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=k) for k in range(n)] if month_day is None else month_day
    return [[day, f"{topic}{k}", "张某某", "李某某", None, None, "记录本"] for k, day in enumerate(days)]


def files(root: Path) -> list[str]:
    return sorted(p.name for p in rec.records_dir(root, 2022).iterdir())


def everything(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*"))


@pytest.fixture()
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.mark.parametrize("fail_at", ["stage", "place"])
def test_a_full_disk_midway_leaves_no_new_file(project, tmp_path, monkeypatch, fail_at):
    path = workbook(project, tmp_path, "台账.xlsx", meetings(50))
    before = everything(project)
    calls = {"n": 0}
    real = records_write._stage_file if fail_at == "stage" else records_write._place

    def full_disk(*args):
        calls["n"] += 1
        if calls["n"] == 21:
            raise OSError(errno.ENOSPC, "No space left on device", str(args[-1] if fail_at == "place" else args[0]))
        return real(*args)

    monkeypatch.setattr(records_write, "_stage_file" if fail_at == "stage" else "_place", full_disk)
    result = records_import.import_workbook(project, path)
    assert result.errors == ["台账.xlsx：写入记录文件失败：磁盘空间不足"
                             + ("（data/records/2022/2022-01-21-committee_meeting.yaml）" if fail_at == "place" else "")
                             + "；没有写入任何文件，台账保持原样"]
    assert result.written == []
    assert everything(project) == before  # no record, no staging folder


def test_an_existing_file_is_never_overwritten_even_if_it_appears_late(project, tmp_path, monkeypatch):
    path = workbook(project, tmp_path, "台账.xlsx", meetings(3))
    target = rec.records_dir(project, 2022) / "2022-01-02-committee_meeting.yaml"
    real = records_write.write_all

    def someone_else_writes_first(root, planned):
        target.write_text("# 另一个程序写的\n", "utf-8")
        return real(root, planned)

    monkeypatch.setattr(records_import, "write_all", someone_else_writes_first)
    result = records_import.import_workbook(project, path)
    assert result.errors == ["台账.xlsx：写入记录文件失败：同名文件已存在（data/records/2022/2022-01-02-committee_meeting.yaml）；"
                             "没有写入任何文件，台账保持原样"]
    assert target.read_text("utf-8") == "# 另一个程序写的\n"
    assert files(project) == ["2022-01-02-committee_meeting.yaml", "roster.yaml"]


def _import_into(results: dict, project: Path, path: Path) -> None:
    results[path.name] = records_import.import_workbook(project, path)


def test_two_imports_at_once_never_lose_a_record(project, tmp_path, monkeypatch):
    slow = records_import._trial

    def slower(*args):  # widen the window between looking at the folder and writing into it
        found = slow(*args)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(records_import, "_trial", slower)
    said: list[str] = []
    monkeypatch.setattr(records_write.sys, "stderr", type("Err", (), {"write": said.append, "flush": lambda s: None})())
    for round_ in range(5):
        day = [dt.date(2022, 3, 1) + dt.timedelta(days=round_)]
        first = workbook(project, tmp_path, f"甲{round_}.xlsx", meetings(1, "甲议题", day))
        second = workbook(project, tmp_path, f"乙{round_}.xlsx", meetings(1, "乙议题", day))
        results: dict = {}
        threads = [threading.Thread(target=_import_into, args=(results, project, p)) for p in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        written = [r for r in results.values() if r.written]
        refused = [r for r in results.values() if r.errors]
        assert len(written) == 1 and len(refused) == 1, results  # one wins, the other says so
        assert "已存在且内容不同，未覆盖" in refused[0].errors[0]
        name = f"{day[0].isoformat()}-committee_meeting.yaml"
        text = (rec.records_dir(project, 2022) / name).read_text("utf-8")
        winner = next(k for k, r in results.items() if r.written)
        assert ("甲议题" if winner.startswith("甲") else "乙议题") in text
    assert any("等它完成后继续" in line for line in said)


def test_two_import_processes_both_write_their_own_records(project, tmp_path):
    first = workbook(project, tmp_path, "甲.xlsx", meetings(10, "甲", [dt.date(2022, 1, d) for d in range(1, 11)]))
    second = workbook(project, tmp_path, "乙.xlsx", meetings(10, "乙", [dt.date(2022, 2, d) for d in range(1, 11)]))
    command = [sys.executable, "-m", "macros.commands.records_xlsx", "--root", str(project), "import"]
    runs = [subprocess.Popen([*command, str(p)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for p in (first, second)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(files(project)) == 21
