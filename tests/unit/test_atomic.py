"""Writing in one step (macros/core/atomic.py): whole or not at all, with the file's permissions, and the
offline copy's zip (deploy/copies.py) compressed like `python -m zipfile -c`."""

from __future__ import annotations

import os
import zipfile

import pytest

from deploy import copies
from macros.core import atomic


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_umasks(tmp_path):
    kept = tmp_path / "dues.yaml"
    kept.write_text("旧\n", "utf-8")
    kept.chmod(0o640)
    atomic.write_atomic(kept, "新\n")
    assert kept.read_text("utf-8") == "新\n" and kept.stat().st_mode & 0o777 == 0o640
    new = tmp_path / "issued.yaml"
    atomic.write_atomic(new, b"x")
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask()  # not the 0600 of a temporary file
    atomic.write_atomic(new, b"y", 0o644)
    assert new.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dues.yaml", "issued.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "dues.yaml"
    path.write_text("旧\n", "utf-8")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        atomic.write_atomic(path, "新\n")
    assert path.read_text("utf-8") == "旧\n" and [p.name for p in tmp_path.iterdir()] == ["dues.yaml"]


def test_the_offline_copy_is_a_compressed_zip_of_the_site_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OFFLINE", "false")  # offline() sets it for the build; restored after the test

    def build(config, out):
        (out / "2022").mkdir(parents=True)
        (out / "index.html").write_text("<p>机关党委办公室党支部</p>\n" * 200, "utf-8")
        (out / "2022" / "full.html").write_text("<p>全文</p>\n" * 200, "utf-8")
        return 0

    target = tmp_path / "copy.zip"
    assert copies.offline(target, tmp_path / "mkdocs.yml", build) == 0
    with zipfile.ZipFile(target) as zipped:
        names = zipped.namelist()
        files = [info for info in zipped.infolist() if not info.is_dir()]
    assert names == ["site/", "site/2022/", "site/2022/full.html", "site/index.html"]
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in files)
    assert target.stat().st_size < sum(info.file_size for info in files) / 10
