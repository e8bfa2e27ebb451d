"""The schemas on disk: the figures schema matches the catalogue, every data file points at a schema
that exists, and the data validates against it with plain jsonschema (what editors' YAML plugins use)."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml
from helpers.files import ROOT, data_copy, edit

from macros.commands import schemas

POINTER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_figures_schema_file_is_generated_from_the_catalogue():
    on_disk = (ROOT / "schemas/figures.schema.json").read_text("utf-8")
    assert on_disk == schemas.generated(ROOT), "运行 make schemas 重新生成 schemas/figures.schema.json"
    catalogue = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
    props = json.loads(on_disk)["properties"]
    assert list(props) == list(catalogue)
    assert props["study.sessions"]["title"] == "组织党员学习次数"
    assert not schemas.stale(ROOT)


def test_a_changed_catalogue_makes_the_schema_stale(tmp_path):
    root = data_copy(tmp_path / "p")
    edit(root / "data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    assert schemas.stale(root)
    assert "组织党员集中学习次数" in schemas.generated(root)


def test_every_data_file_points_at_an_existing_schema_that_accepts_it():
    files = sorted((ROOT / "data").rglob("*.yaml"))
    assert {p.relative_to(ROOT).as_posix() for p in files} >= {
        "data/catalogue.yaml", "data/branch.yaml", "data/2022/figures.yaml", "data/2022/report.yaml"
    }
    for path in files:
        match = POINTER.match(path.read_text("utf-8").splitlines()[0])
        assert match, f"{path}: 第一行应为 # yaml-language-server: $schema=…"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file() and target.parent == ROOT / "schemas", (path, target)
        schema = json.loads(target.read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))  # dates as text
        jsonschema.Draft202012Validator(schema).validate(data)


def test_the_schema_on_disk_refuses_what_the_build_refuses():
    validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schemas/figures.schema.json").read_text("utf-8")))
    for bad in ({"study.sessions": "十二"}, {"study.sessions": -3}, {"study.sessions": 12.5},
                {"study.sessions": True}, {"study.sesions": 1}):
        assert not validator.is_valid(bad), bad
    for good in ({"study.sessions": 24}, {"study.sessions": "待填"}, {"study.sessions": None}):
        assert validator.is_valid(good), good


def test_make_schemas_rewrites_the_file_and_an_up_to_date_tree_is_unchanged(tmp_path, monkeypatch, capsys):
    import shutil

    from macros.core.reading import validate
    copy = shutil.copytree(ROOT / "schemas", tmp_path / "repo/schemas")
    data_copy(tmp_path / "repo")
    monkeypatch.setattr(schemas, "SCHEMA_DIR", copy)
    monkeypatch.setattr(validate, "SCHEMA_DIR", copy)
    before = (copy / "figures.schema.json").read_bytes()
    assert schemas.main() == 0
    assert "已生成 schemas/figures.schema.json（26 个数据项）" in capsys.readouterr().out
    assert (copy / "figures.schema.json").read_bytes() == before
    edit(tmp_path / "repo/data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    assert schemas.main() == 0
    assert "组织党员集中学习次数" in (copy / "figures.schema.json").read_text("utf-8")
