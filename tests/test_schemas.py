"""The schemas on disk: the figures schema matches the catalogue, every data file points at a
schema that exists, and the data validates against it with plain jsonschema (what editors use)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import yaml
from conftest import ROOT

from macros import schemas

POINTER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def data_files():
    return sorted(p for p in (ROOT / "data").rglob("*.yaml"))


def test_figures_schema_file_is_generated_from_the_catalogue():
    on_disk = (ROOT / "schemas/figures.schema.json").read_text("utf-8")
    assert on_disk == schemas.generated(ROOT), "运行 make schemas 重新生成 schemas/figures.schema.json"
    catalogue = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
    props = json.loads(on_disk)["properties"]
    assert list(props) == list(catalogue)
    assert props["study.sessions"]["title"] == "组织党员学习次数"


def test_every_data_file_points_at_an_existing_schema_that_accepts_it():
    files = data_files()
    assert {p.relative_to(ROOT).as_posix() for p in files} >= {
        "data/catalogue.yaml", "data/branch.yaml", "data/2022/figures.yaml", "data/2022/report.yaml"
    }
    for path in files:
        first = path.read_text("utf-8").splitlines()[0]
        match = POINTER.match(first)
        assert match, f"{path}: 第一行应为 # yaml-language-server: $schema=…"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file() and target.parent == ROOT / "schemas", (path, target)
        schema = json.loads(target.read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        data = yaml.safe_load(path.read_text("utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as text, as the build reads them
        jsonschema.Draft202012Validator(schema).validate(data)


def test_the_schema_on_disk_refuses_what_the_build_refuses():
    schema = json.loads((ROOT / "schemas/figures.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for bad in ({"study.sessions": "十二"}, {"study.sessions": -3}, {"study.sessions": 12.5},
                {"study.sessions": True}, {"study.sesions": 1}):
        assert not validator.is_valid(bad), bad
    for good in ({"study.sessions": 24}, {"study.sessions": "待填"}, {"study.sessions": None}):
        assert validator.is_valid(good), good


def test_stale_schema_is_reported_by_make_schemas_path(tmp_path):
    """`python -m macros.schemas` rewrites the file; running it on an up-to-date tree changes nothing."""
    before = (ROOT / "schemas/figures.schema.json").read_bytes()
    result = subprocess.run([sys.executable, "-m", "macros.schemas"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "已生成 schemas/figures.schema.json（24 个数据项）" in result.stdout
    assert (ROOT / "schemas/figures.schema.json").read_bytes() == before
