"""The scan for internal ids and data paths (tests/e2e/test_reader_text.py) finds what it looks for."""

from __future__ import annotations

from helpers.render import INTERNAL, reader_text


def test_the_scan_finds_what_it_looks_for():
    text = reader_text('<article><p>措施 m1.1，计划任务 t1.1.1，清单 c05，见 data/2022/checklist.yaml</p>'
                       '<span title="问题 p1">x</span></article>')
    assert set(INTERNAL.findall(text)) == {"c05", "data/2022/checklist.yaml", "m1.1", "p1", "t1.1.1"}
    assert INTERNAL.findall("数据在 data/2022/ 下") == ["data/2022"]
    assert not INTERNAL.findall(reader_text("<article><p>1.3.2 第十一条 2023年 GB/T 9704</p></article>"))
    editor = reader_text("<article><p>新增年度（make new-year）后；改写后删除 draft_notice 一行，见 data/rules.yaml</p></article>")
    assert set(INTERNAL.findall(editor)) == {"make new-year", "draft_notice", "data/rules.yaml"}
