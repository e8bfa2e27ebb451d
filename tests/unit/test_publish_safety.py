"""deploy/publish.py in-process, with a fake build step: which DEST it refuses (and then touches
nothing), what it cleans up after an interrupted publish, and the one Chinese line it prints when the
file system fails (full, read-only). The real build is exercised in tests/e2e/test_servers.py."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from deploy import publish as pub
from macros.core.errors import DataError, printable


def fake_build(config: Path, out: Path) -> int:
    """What a successful build leaves: pages in `out`."""
    assert (out / pub.MARKER).is_file(), "the temporary folder is marked before the build starts"
    (out / "index.html").write_text("<html>首页</html>", "utf-8")
    (out / "2022").mkdir()
    (out / "2022/index.html").write_text("<html>2022</html>", "utf-8")
    return 0


def failing_build(config: Path, out: Path) -> int:
    (out / "index.html").write_text("half", "utf-8")
    return 1


@pytest.fixture()
def project(tmp_path) -> Path:
    """A stand-in repository: publish only needs the path of its mkdocs.yml."""
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "data").mkdir()
    (repo / ".git").mkdir()
    (repo / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    return repo / "mkdocs.yml"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its bytes (None for folders and symlinks)."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() or p.is_symlink() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def run(dest: Path, config: Path, capsys, build=fake_build) -> tuple[int, str, str]:
    code = pub.publish(dest, config, build)
    out, err = capsys.readouterr()
    return code, out, err


def beside(dest: Path) -> list[str]:
    """What is next to DEST besides DEST, its lock file and the stand-in repository."""
    expected = {dest.name, f".{dest.name}.publish.lock", "repo"}
    return sorted(p.name for p in dest.parent.iterdir() if p.name not in expected)


# ---- DEST that publish may replace ----------------------------------------------------------


def test_first_publish_into_an_absent_folder_then_replace_it(tmp_path, project, capsys):
    dest = tmp_path / "www" / "site"  # parent absent too
    code, out, err = run(dest, project, capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"已发布到 {dest}") and "2 个页面" in out
    assert (dest / pub.MARKER).is_file() and (dest / "2022/index.html").is_file()
    umask = os.umask(0)
    os.umask(umask)
    assert dest.stat().st_mode & 0o777 == 0o777 & ~umask, "not mkdtemp's 0700: the web server can read it"

    (dest / "stale.html").write_text("from an older build", "utf-8")
    code, out, err = run(dest, project, capsys)
    assert code == 0 and "原子交换" in out, out + err
    assert not (dest / "stale.html").exists() and (dest / pub.MARKER).is_file()
    assert beside(dest) == []


def test_an_empty_folder_is_accepted(tmp_path, project, capsys):
    dest = tmp_path / "site"
    dest.mkdir()
    assert run(dest, project, capsys)[0] == 0
    assert (dest / "index.html").is_file()


def test_a_failed_build_changes_nothing(tmp_path, project, capsys):
    dest = tmp_path / "site"
    run(dest, project, capsys)
    before = tree(tmp_path)
    code, out, err = run(dest, project, capsys, failing_build)
    assert code == 1 and "保持原样" in err and out == ""
    assert tree(tmp_path) == before


# ---- DEST that publish refuses: one line, exit 2, nothing touched ---------------------------


def refused(dest: Path, config: Path, capsys, root: Path) -> str:
    before = tree(root)
    code, out, err = run(dest, config, capsys)
    assert code == pub.EXIT_REFUSED, (out, err)
    assert out == "" and err.startswith("拒绝发布：") and err.count("\n") == 1, err
    assert tree(root) == before, "a refusal touches nothing (no lock file, no temporary folder)"
    return err


def test_refuses_the_repository_and_folders_containing_it(tmp_path, project, capsys):
    repo = project.parent
    assert "就是代码仓库本身" in refused(repo, project, capsys, tmp_path)
    assert "包含代码仓库" in refused(tmp_path, project, capsys, tmp_path)
    assert "包含代码仓库" in refused(Path("/"), project, capsys, tmp_path)
    # `make publish DEST=.` as typed in the checkout (issue 12: it deleted the repository)
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        assert "就是代码仓库本身" in refused(Path("."), project, capsys, tmp_path)
    finally:
        os.chdir(cwd)


def test_refuses_this_project_even_when_building_another(tmp_path, project, capsys):
    """The checkout that holds publish.py is protected whatever CONFIG names."""
    assert "代码仓库" in refused(pub.REPO, project, capsys, tmp_path)
    assert "包含代码仓库" in refused(pub.REPO.parent, project, capsys, tmp_path)


@pytest.mark.parametrize("part", [".git", "docs", "data"])
def test_refuses_a_folder_holding_a_checkout_part_even_if_marked(tmp_path, project, capsys, part):
    dest = tmp_path / "srv" / "party-site"
    (dest / part).mkdir(parents=True)
    (dest / part / "keep.txt").write_text("不能丢", "utf-8")
    (dest / pub.MARKER).write_text(pub.MARKER_TEXT, "utf-8")
    assert f"里有 {part}" in refused(dest, project, capsys, tmp_path)


def test_refuses_a_folder_it_did_not_make(tmp_path, project, capsys):
    dest = tmp_path / "srv"
    (dest / "venv/bin").mkdir(parents=True)
    (dest / "notes.txt").write_text("管理员的文件", "utf-8")
    err = refused(dest, project, capsys, tmp_path)
    assert "不是空目录，也不是以前发布生成的" in err and pub.MARKER in err


def test_refuses_a_file_and_a_symlink(tmp_path, project, capsys):
    file = tmp_path / "site"
    file.write_text("not a folder", "utf-8")
    assert "是一个文件" in refused(file, project, capsys, tmp_path)
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    assert "符号链接" in refused(link, project, capsys, tmp_path)


def test_a_name_with_terminal_escapes_is_printed_escaped(tmp_path, project, capsys):
    dest = tmp_path / "site\x1b[2J\x1b]0;pwned\x07\u202e"
    dest.mkdir()
    (dest / "x").write_text("x", "utf-8")
    err = refused(dest, project, capsys, tmp_path)
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "site\\x1b[2J\\x1b]0;pwned\\x07\\u202e" in err


# ---- leftovers of an interrupted publish ---------------------------------------------------


def test_the_next_publish_removes_only_its_own_leftovers(tmp_path, project, capsys):
    dest = tmp_path / "site"
    run(dest, project, capsys)
    ours = []
    for prefix in (".site.new-", ".site.old-"):  # what kill -9 during a build or a swap leaves
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_path))
        pub.mark(folder)
        (folder / "index.html").write_text("half", "utf-8")
        ours.append(folder.name)
    empty = Path(tempfile.mkdtemp(prefix=".site.new-", dir=tmp_path))  # killed before it was marked
    ours.append(empty.name)
    theirs = {
        ".site.new-abcdefgh": "unmarked, not empty",  # publish's name but not its marker
        ".other.new-abcdefgh": "marked, another DEST's name",
        ".site.new-abc": "marked, not a mkdtemp name",
        "site.new-abcdefgh": "marked, not hidden",
    }
    for name, what in theirs.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "note.txt").write_text(what, "utf-8")
        if what.startswith("marked"):
            pub.mark(tmp_path / name)
    (tmp_path / ".site.old-linklink").symlink_to(dest)  # a symlink is never followed or removed

    assert sorted(p.name for p in pub.leftovers(dest)) == sorted(ours)
    assert run(dest, project, capsys)[0] == 0
    assert beside(dest) == sorted([*theirs, ".site.old-linklink"])
    assert (dest / "index.html").read_text("utf-8") == "<html>首页</html>"


def test_an_interrupted_build_leaves_nothing_behind(tmp_path, project, capsys):
    dest = tmp_path / "site"

    def interrupted(config, out):
        fake_build(config, out)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pub.publish(dest, project, interrupted)
    assert beside(dest) == [] and not dest.exists()


# ---- the file system fails: one Chinese line, the live site intact --------------------------


def failure_line(err: str, dest: Path) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err and "Errno" not in err, err
    assert err.startswith("发布失败：") and f"{dest} 保持原样" in err, err
    return err


def test_disk_full_during_the_build(tmp_path, project, capsys):
    dest = tmp_path / "site"
    run(dest, project, capsys)
    before = tree(tmp_path)

    def fills_the_disk(config, out):
        fake_build(config, out)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "2022/index.html"))

    code, out, err = run(dest, project, capsys, fills_the_disk)
    assert code == pub.EXIT_FAILED and out == ""
    assert "磁盘空间不足" in failure_line(err, dest)
    assert tree(tmp_path) == before


def test_disk_full_while_marking_the_new_site(tmp_path, project, capsys, monkeypatch):
    """The last write before the swap fails: the old site stays, the half-new one is removed."""
    dest = tmp_path / "site"
    run(dest, project, capsys)
    before = tree(tmp_path)
    calls = []
    real_mark = pub.mark

    def mark(folder):
        calls.append(folder)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / pub.MARKER))
        real_mark(folder)

    monkeypatch.setattr(pub, "mark", mark)
    code, _, err = run(dest, project, capsys)
    assert code == pub.EXIT_FAILED and "磁盘空间不足" in failure_line(err, dest)
    assert tree(tmp_path) == before


def test_mkdocs_running_out_of_space_becomes_one_line(tmp_path, project, capsys, monkeypatch):
    """MkDocs ends with a Python traceback when a page cannot be written; publish shows the cause."""
    import subprocess

    trace = ("Traceback (most recent call last):\n  File \"mkdocs/commands/build.py\", line 1\n"
             "OSError: [Errno 28] No space left on device: '/srv/www/.site.new-x/2022/index.html'\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, None, trace))
    dest = tmp_path / "site"
    code, _, err = run(dest, project, capsys, pub.mkdocs_build)
    assert code == pub.EXIT_FAILED
    assert "磁盘空间不足（/srv/www/.site.new-x/2022/index.html）" in failure_line(err, dest)
    assert beside(dest) == [] and not dest.exists()


def test_read_only_destination(tmp_path, project, capsys, monkeypatch):
    dest = tmp_path / "www" / "site"
    run(dest, project, capsys)
    before = tree(tmp_path)
    os.chmod(dest.parent, 0o555)
    try:
        probe = dest.parent / ".probe"
        try:
            probe.touch()
            probe.unlink()
            # We run as root (CI containers do), and chmod does not stop root: inject the error
            # a read-only mount gives instead, where the first write (the temporary folder) happens.
            def read_only(*args, **kwargs):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dest.parent))

            monkeypatch.setattr(pub.tempfile, "mkdtemp", read_only)
            expected = "文件系统只读"
        except PermissionError:
            expected = "权限不足"
        code, out, err = run(dest, project, capsys)
    finally:
        os.chmod(dest.parent, 0o755)
    assert code == pub.EXIT_FAILED and out == ""
    assert expected in failure_line(err, dest)
    assert tree(tmp_path) == before


# ---- printable: what reaches a terminal ---------------------------------------------------


def test_printable_escapes_control_format_and_separator_characters():
    assert printable("支部\x1b[31m红\x1b[0m") == "支部\\x1b[31m红\\x1b[0m"
    assert printable("a\rb\nc\td\x7f\x9b") == "a\\x0db\\x0ac\\x09d\\x7f\\x9b"
    assert printable("名\u202e字\u2028") == "名\\u202e字\\u2028"
    assert printable("\ud800") == "\\ud800"  # a lone surrogate could not even be printed
    plain = "机关党委办公室党支部 2022 年度（study.sessions）：“三会一课”…"
    assert printable(plain) == plain


def test_data_errors_render_with_control_characters_escaped():
    error = DataError("data/2022/figures.yaml", 6, "x", "未知数据项 \x1b]0;标题\x07")
    assert error.render() == "data/2022/figures.yaml:6: 未知数据项 \\x1b]0;标题\\x07"
    assert "\x1b" not in str(error)
