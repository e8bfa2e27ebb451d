"""Issue 23.6 (unreadable folders) and 23.8 (caches), run as a user other than root (`nobody`;
tests/helpers/unprivileged.py): root reads and writes everything, so only another user sees what a
real editor or service account would."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from helpers.files import SITES, data_copy, project_copy
from helpers.unprivileged import as_other_user, other_uid, shared_tmp

from macros.exports import cache_dir as caches
from macros.site import errors as site_errors

pytestmark = pytest.mark.e2e  # system level: runs whole builds as another user (nobody) in subprocesses

LOAD = """
import json
from macros.core.errors import DataErrors
from macros.core.load import load_site
try:
    load_site({root!r})
except DataErrors as exc:
    print(json.dumps([e.render() for e in exc.errors], ensure_ascii=False))
else:
    print("[]")
"""


@pytest.fixture()
def shared():
    folder = shared_tmp("perm-")
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def load_as_other_user(root: Path) -> list[str]:
    result = as_other_user(LOAD.format(root=str(root)))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_the_check_itself_runs_as_the_other_user(shared):
    root = data_copy(shared / "site", docs=True)
    assert load_as_other_user(root) == []  # everything readable: accepted


@pytest.mark.parametrize("folder, what", [
    ("data/records/2022", "这个文件夹及其中的文件"),
    ("docs/2022/work", "这个文件夹及其中的文件"),
    ("data", "这个文件夹"),
])
def test_an_unreadable_folder_is_one_chinese_line(shared, folder, what):
    root = data_copy(shared / "site", docs=True)
    (root / folder).chmod(0o700)  # root's; nobody may not enter
    lines = load_as_other_user(root)
    assert lines == [f"{folder}:1: 没有读取权限（属主 uid 0，权限 700）：运行构建的用户须能读取{what}；请检查权限"]


def test_an_unreadable_file_is_one_chinese_line(shared):
    root = data_copy(shared / "site", docs=True)
    (root / "data/2022/figures.yaml").chmod(0o600)
    (root / "docs/2022/index.md").chmod(0o600)
    assert load_as_other_user(root) == [
        "data/2022/figures.yaml:1: 没有读取权限（属主 uid 0，权限 600）：运行构建的用户须能读取这个文件；请检查权限",
        "docs/2022/index.md:1: 没有读取权限（属主 uid 0，权限 600）：运行构建的用户须能读取这个文件；请检查权限",
    ]


def test_a_build_as_the_other_user_says_so_in_one_line(shared):
    """The whole build (mkdocs, the plugin, jieba's and the exports' caches) as nobody, no home."""
    root = project_copy(shared / "site", SITES / "basic")
    out = shared / "out"
    out.mkdir()
    os.chown(out, other_uid(), -1)
    build = f"""
import os, sys
os.chdir({str(root)!r})
from mkdocs.__main__ import cli
cli(["build", "--strict", "-f", "mkdocs.yml", "-d", {str(out / 'site')!r}])
"""
    ok = as_other_user(build, {"HOME": "/nonexistent", "TMPDIR": str(shared)})
    assert ok.returncode == 0, ok.stderr
    assert (out / "site/index.html").is_file()
    (root / "docs/2022").chmod(0o700)
    refused = as_other_user(build, {"HOME": "/nonexistent", "TMPDIR": str(shared)})
    err = refused.stderr
    assert refused.returncode == 1
    [line] = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert "没有权限访问" in line and "docs/2022" in line, err
    assert "Traceback" not in err and "网站程序内部错误" not in err and "PermissionError" not in err


def test_a_permission_error_in_the_plugin_is_one_chinese_line():
    def handler():
        raise PermissionError(13, "Permission denied", "/srv/site/data/x.yaml")

    with pytest.raises(Exception) as caught:
        site_errors.refusals(handler)()
    assert str(caught.value) == ("没有权限访问 /srv/site/data/x.yaml：运行构建的用户须能读取整个项目目录、写入输出目录；"
                                 "请检查文件和文件夹的权限（这不是数据内容的问题）")
    with pytest.raises(Exception) as caught:
        site_errors.friendly(lambda env: handler())(None)
    assert "网站程序内部错误" not in str(caught.value) and "没有权限访问" in str(caught.value)


# -- 23.8 caches ------------------------------------------------------------------------------------
JIEBA = """
import json, os
from macros.site import search_setup
search_setup.setup_jieba()
import jieba
words = jieba.lcut("三会一课制度落实情况")
folder = jieba.dt.tmp_dir
print(json.dumps({"dir": folder, "files": sorted(os.listdir(folder)), "words": words}, ensure_ascii=False))
"""


def run_jieba(shared: Path, home: str = "/nonexistent") -> dict:
    result = as_other_user(JIEBA, {"HOME": home, "TMPDIR": str(shared)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "PermissionError" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_jieba_never_uses_the_shared_temp_file(shared):
    shared.chmod(0o1777)  # a /tmp
    planted = shared / "jieba.cache"
    planted.write_bytes(b"another user's cache")
    planted.chmod(0o600)  # what made the second user's build fail
    first = run_jieba(shared)
    assert first["dir"] == str(shared / f"party-site-cache-{other_uid()}" / "jieba")
    assert first["files"] == ["jieba.cache"] and "三会一课" in "".join(first["words"])
    assert planted.read_bytes() == b"another user's cache"
    mine = Path(first["dir"])
    assert stat.S_IMODE(mine.stat().st_mode) == 0o700 and mine.stat().st_uid == other_uid()
    assert run_jieba(shared)["dir"] == first["dir"]  # kept: the second build reads it


def test_a_cache_folder_someone_else_made_is_not_used(shared):
    shared.chmod(0o1777)
    squatted = shared / f"party-site-cache-{other_uid()}"
    squatted.mkdir(mode=0o777)  # made by root, "for" nobody
    squatted.chmod(0o777)
    result = run_jieba(shared)
    assert not result["dir"].startswith(str(squatted)) and Path(result["dir"]).name.startswith("jieba-")
    assert not Path(result["dir"]).exists()  # the private folder of that run is removed when it ends
    assert list(squatted.iterdir()) == []


def test_cache_dir_refuses_links_and_folders_of_others(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(caches.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    assert caches.cache_dir("x") == tmp_path / "xdg" / "x"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "xdg" / "y").symlink_to(tmp_path / "elsewhere")
    assert caches.cache_dir("y") == tmp_path / "home" / ".cache" / "y"  # not through the link
    theirs = tmp_path / "home" / ".cache" / "z"
    (tmp_path / "xdg" / "z").mkdir()
    os.chown(tmp_path / "xdg" / "z", 65534, -1)
    theirs.mkdir(parents=True)
    os.chown(theirs, 65534, -1)
    assert caches.cache_dir("z") == tmp_path / "tmp" / f"party-site-cache-{os.geteuid()}" / "z"
    (tmp_path / "file").write_text("", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # neither home nor XDG usable
    monkeypatch.setenv("HOME", str(tmp_path / "file"))
    os.chown(tmp_path / "tmp" / f"party-site-cache-{os.geteuid()}", 65534, -1)  # the fallback squatted
    assert caches.cache_dir("w") is None
