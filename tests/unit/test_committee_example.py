"""The sample committee's branches (examples/committee/branches/) are regenerated from this repository's
own branch project by examples/committee/make_example.py: a change to the branch's data, pages or theme
that was not carried into the example shows here, naming the files (the fix: run make_example.py)."""

from __future__ import annotations

import filecmp
import importlib.util
import re

from helpers.files import ROOT

EXAMPLE = ROOT / "examples/committee"


def load_make_example():
    spec = importlib.util.spec_from_file_location("committee_make_example", EXAMPLE / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def differences(left, right, here=""):
    compared = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"{here}{name}（只在一边）" for name in compared.left_only + compared.right_only]
    found += [f"{here}{name}" for name in compared.diff_files + compared.funny_files]
    for name, sub in compared.subdirs.items():
        found += differences(sub.left, sub.right, f"{here}{name}/")
    return found


def without_checksum(path):
    return re.sub(r"^text_sha256: .*$", "", path.read_text("utf-8"), flags=re.M)


def test_the_sample_branches_are_this_projects_pages_and_data_with_their_changes(tmp_path):
    make = load_make_example()
    changes = dict(zip(make.BRANCHES, (make.compliant, make.missed, make.failing), strict=True))
    stale = []
    for slug, name in make.BRANCHES.items():
        fresh, shipped = tmp_path / slug, EXAMPLE / "branches" / slug
        make.copy_branch(fresh, name)
        changes[slug](fresh)  # the issued years are issued again by make_example.py (a build): not here
        issued = sorted(p.relative_to(fresh).as_posix() for p in fresh.glob("data/*/issued.yaml"))
        for path in issued:
            if without_checksum(fresh / path) != without_checksum(shipped / path):
                stale.append(f"{slug}/{path}")
            (fresh / path).write_bytes((shipped / path).read_bytes())
        stale += [f"{slug}/{path}" for path in differences(fresh, shipped)]
    assert not stale, "示例支部与本项目不一致，请运行 .venv/bin/python examples/committee/make_example.py：" + "、".join(stale)
