"""Issue 23.7 (and 23.6 for the copies): the Makefile passes what a user types as data, and the
commands it runs refuse a dangerous DEST in one Chinese line.

Make runs in a subprocess against a temporary copy of the Makefile whose Python is a stand-in that
records the arguments it was given: what reaches the command is exactly what was typed, and the
shell ran nothing else. Then the real commands (deploy/publish.py, deploy/copies.py) refuse ~, the
repository's source folders, and leave nothing behind when the disk fills."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers.files import ROOT

from deploy import copies
from deploy import publish as pub

pytestmark = pytest.mark.e2e  # system level: runs make, other users and whole builds as subprocesses

RECORDER = """#!/bin/sh
exec "{python}" -c 'import json, sys; open(sys.argv[1], "a").write(json.dumps(sys.argv[2:]) + "\\n")' "{log}" "$@"
"""


@pytest.fixture()
def makedir(tmp_path) -> Path:
    """A copy of the Makefile and what its targets depend on, with a recording stand-in for Python."""
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements/runtime.txt", "requirements/dev.txt"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, work / name)
        os.utime(work / name, (1_000_000_000, 1_000_000_000))  # older than the stand-in venv
    bin_dir = work / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(RECORDER.format(python=os.sys.executable, log=tmp_path / "calls.jsonl"), "utf-8")
    (bin_dir / "python").chmod(0o755)
    for name in ("mkdocs", "ruff", "lint-imports"):
        os.symlink("python", bin_dir / name)
    (work / ".venv" / ".runtime").touch()
    (work / ".venv" / ".dev").touch()
    return work


def make(work: Path, *args: str) -> tuple[list[list[str]], subprocess.CompletedProcess]:
    log = work.parent / "calls.jsonl"
    log.unlink(missing_ok=True)
    result = subprocess.run(["make", "-s", *args], cwd=work, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "HOME": str(work.parent)})
    calls = [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []
    return calls, result


HOSTILE = [
    'x"; touch INJECTED; echo "',
    "x'; touch INJECTED; echo '",
    "$(shell touch INJECTED)",
    "a$(x)b",
    "${HOME}/$$(touch INJECTED)`touch INJECTED`",
    "with space; touch INJECTED",
    "~",
    "-rf",
    "it's \\ back",
]


def no_injection(work: Path) -> None:
    assert not any(p.name == "INJECTED" for p in work.parent.rglob("INJECTED")), "the shell ran a command"


@pytest.mark.parametrize("value", HOSTILE)
def test_publish_gets_dest_and_config_exactly(makedir, value):
    calls, result = make(makedir, "publish", f"DEST={value}", f"CONFIG={value}.yml")
    no_injection(makedir)
    assert calls == [["-m", "deploy.publish", value, "--config", f"{value}.yml"]], result.stderr


@pytest.mark.parametrize("value", HOSTILE)
def test_import_template_and_new_year_get_their_values_exactly(makedir, value):
    calls, _ = make(makedir, "import-records", f"FILE={value}", f"YEAR={value}")
    assert calls == [["-m", "macros.commands.records_xlsx", "import", value, "--year", value]]
    calls, _ = make(makedir, "records-template", f"YEAR={value}", f"OUT={value}")
    assert calls == [["-m", "macros.commands.records_xlsx", "template", "--year", value, "--out", value]]
    calls, _ = make(makedir, "new-year", f"YEAR={value}", "FORCE=1")
    assert calls == [["-m", "macros.commands.newyear", value, "--force"]]
    no_injection(makedir)


@pytest.mark.parametrize("value", HOSTILE)
def test_committee_gets_its_values_exactly(makedir, value):
    calls, _ = make(makedir, "committee", f"COMMITTEE={value}", f"OUT={value}", f"BRANCHES={value}",
                    f"REDACTED={value}")
    assert calls == [["-m", "macros.committee.build", f"--root={value}", f"--out={value}", f"--branches={value}"]]
    calls, _ = make(makedir, "committee")
    assert calls == [["-m", "macros.committee.build", "--root=examples/committee", "--out=committee-site",
                      "--branches="]]
    no_injection(makedir)


@pytest.mark.parametrize("value", HOSTILE[:4])
def test_the_copies_get_their_paths_exactly(makedir, value):
    calls, _ = make(makedir, "build-redacted", f"REDACTED_DIR={value}")
    assert calls == [["-m", "deploy.copies", "--config", "mkdocs.yml", "redacted", value]]
    calls, _ = make(makedir, "offline", f"OFFLINE_ZIP={value}")
    assert calls == [["-m", "deploy.copies", "--config", "mkdocs.yml", "offline", value]]
    no_injection(makedir)


def test_missing_values_are_asked_for(makedir):
    calls, result = make(makedir, "publish")
    assert calls == [] and result.returncode == 2 and "用法：make publish DEST=" in result.stdout
    calls, result = make(makedir, "import-records")
    assert calls == [] and result.returncode == 2 and "用法：make import-records FILE=" in result.stdout
    calls, _ = make(makedir, "new-year")
    assert calls == [["-m", "macros.commands.newyear"]]


# -- the real commands ------------------------------------------------------------------------------
@pytest.fixture()
def project(tmp_path) -> Path:
    repo = tmp_path / "repo"
    for part in ("docs", "data", "macros", ".git"):
        (repo / part).mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    return repo


def never_build(config: Path, out: Path) -> int:
    raise AssertionError("a refused DEST must not be built")


def test_a_dest_starting_with_tilde_is_refused(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    for dest in ("~", "~/site", "~nobody/site"):
        assert pub.publish(Path(dest), project / "mkdocs.yml", never_build) == pub.EXIT_REFUSED
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith(f"拒绝发布：发布目录 {dest} 以 ~ 开头：这里不会把 ~ 展开为主目录")
    assert not (project / "~").exists() and not list(project.glob(".~*"))


@pytest.mark.parametrize("folder", ["docs", "data", "macros", "docs/2022"])
def test_a_dest_inside_a_source_folder_is_refused_without_a_lock_file(project, capsys, folder):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    dest = project / folder / "site"
    assert pub.publish(dest, project / "mkdocs.yml", never_build) == pub.EXIT_REFUSED
    [line] = capsys.readouterr().err.splitlines()
    top = folder.split("/")[0]
    assert line == (f"拒绝发布：发布目录 {dest} 在代码仓库的源文件夹 {top}/ 之内：构建结果不能放进源文件。"
                    "请改用单独的目录，如 /srv/party-site/www/site。")
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


def test_make_publish_into_docs_really_refuses(tmp_path):
    """The real make, the real Python: DEST=docs/site is refused before anything is built or locked."""
    work = tmp_path / "copy"
    work.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements/runtime.txt", "mkdocs.yml"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, work / name)
        os.utime(work / name, (1_000_000_000, 1_000_000_000))
    shutil.copytree(ROOT / "deploy", work / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "docs").mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")
    result = subprocess.run(["make", "-s", "publish", "DEST=docs/site"], cwd=work, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "拒绝发布：发布目录" in result.stderr and "源文件夹 docs/ 之内" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (work / "docs").iterdir()) == []  # no lock file, no site


# -- the copies: build-redacted and offline ---------------------------------------------------------
def fake_site(config: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text("<html>首页</html>", "utf-8")
    (out / "404.html").write_text("404", "utf-8")
    (out / "2022").mkdir()
    (out / "2022" / "index.html").write_text("2022", "utf-8")
    return 0


def full_disk(config: Path, out: Path) -> int:
    fake_site(config, out)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "2022" / "index.html"))


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_offline_zip_is_made_and_replaced(tmp_path, project, capsys, monkeypatch):
    monkeypatch.setattr(os, "environ", {**os.environ})
    target = tmp_path / "out" / "site-offline.zip"
    assert copies.offline(target, project / "mkdocs.yml", fake_site) == 0
    import zipfile

    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["site/", "site/2022/", "site/2022/index.html", "site/index.html"]
    assert listing(tmp_path / "out") == ["site-offline.zip"]
    assert capsys.readouterr().out == f"离线副本：{target}\n"
    assert os.environ["OFFLINE"] == "true"


@pytest.mark.parametrize("build", [full_disk, lambda c, o: 1])
def test_offline_failure_leaves_the_old_zip_and_no_temporary_folder(tmp_path, project, capsys, monkeypatch, build):
    monkeypatch.setattr(os, "environ", {**os.environ})
    target = tmp_path / "out" / "site-offline.zip"
    copies.offline(target, project / "mkdocs.yml", fake_site)
    old = target.read_bytes()
    capsys.readouterr()
    assert copies.offline(target, project / "mkdocs.yml", build) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("离线副本未生成：") and "保持原样" in line
    if build is full_disk:
        assert "磁盘空间不足" in line and "临时文件已删除" in line
    assert listing(tmp_path / "out") == ["site-offline.zip"] and target.read_bytes() == old


def test_offline_refuses_tilde_and_source_folders(tmp_path, project, capsys):
    assert copies.offline(Path("~/x.zip"), project / "mkdocs.yml", never_build) == 2
    assert copies.offline(project / "docs" / "x.zip", project / "mkdocs.yml", never_build) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("拒绝生成：离线副本 ~/x.zip 以 ~ 开头") and "源文件夹 docs/ 之内" in lines[1]


def test_build_redacted_is_a_publish_with_redacted_on(tmp_path, project, capsys, monkeypatch):
    monkeypatch.setattr(os, "environ", {**os.environ})
    dest = tmp_path / "site-redacted"
    seen = []

    def build(config, out):
        seen.append(os.environ.get("REDACTED"))
        return full_disk(config, out) if len(seen) == 2 else fake_site(config, out)

    assert copies.redacted(dest, project / "mkdocs.yml", build) == 0
    before = listing(tmp_path)
    capsys.readouterr()
    assert copies.redacted(dest, project / "mkdocs.yml", build) == pub.EXIT_FAILED
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("发布失败：磁盘空间不足") and seen == ["true", "true"]
    assert listing(tmp_path) == before  # no .tmp or .new- folder left
