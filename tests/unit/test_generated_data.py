"""Generated input (Hypothesis) for every field of every schema: whatever an editor or an attacker
writes there, load_site either accepts the file and keeps the value exactly as written, or
refuses it with lines that are each `file:line: 中文`; it never raises anything else."""

from __future__ import annotations

import json
import math
import shutil

import pytest
import yaml
from helpers.files import CHINESE, LINE, ROOT, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.core.errors import DataErrors
from macros.core.load import UNFILLED, load_site
from macros.core.reading import yamlio
from macros.core.reading.validate import SCHEMA_DIR

# Each schema and the real file it describes (its values are the starting point of each example).
FILES = {
    "branch": "data/branch.yaml",
    "catalogue": "data/catalogue.yaml",
    "rules": "data/rules.yaml",
    "checklist": "data/2022/checklist.yaml",
    "compliance": "data/2022/compliance.yaml",
    "figures": "data/2022/figures.yaml",
    "plan": "data/2022/plan.yaml",
    "reminders": "data/2022/reminders.yaml",
    "report": "data/2022/report.yaml",
    "activity_types": "data/activity_types.yaml",
    "roster": "data/records/2022/roster.yaml",
    "record": "data/records/2022/2022-01-05-study.yaml",
}


def _resolve(node: dict, root: dict) -> dict:
    while isinstance(node, dict) and node.get("$ref", "").startswith("#/"):
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _fields(node: dict, root: dict, data, path: tuple):
    """(path, schema node) of every field under `node`, following the real data into lists and
    maps (the first entry of each), including optional fields the real data leaves out."""
    node = _resolve(node, root)
    for name, sub in node.get("properties", {}).items():
        yield path + (name,), _resolve(sub, root)
        if isinstance(data, dict) and name in data:
            yield from _fields(sub, root, data[name], path + (name,))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and isinstance(data, dict) and data:
        first = next(iter(data))
        yield path + (first,), _resolve(extra, root)
        yield from _fields(extra, root, data[first], path + (first,))
    items = node.get("items")
    if isinstance(items, dict) and isinstance(data, list) and data:
        yield path + (0,), _resolve(items, root)
        yield from _fields(items, root, data[0], path + (0,))


def _all_fields():
    found = []
    for name, rel in FILES.items():
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
        data = yamlio.load(ROOT / rel).data
        found += [(rel, path, node) for path, node in _fields(schema, schema, data, ())]
    return found


FIELDS = _all_fields()

HOSTILE = [
    "<script>alert(1)</script>", '" onmouseover="alert(1)', "[链接](javascript:alert(1))", "![x](http://evil/x.png)",
    "{{ 7*191 }}", "{% include '/etc/passwd' %}", "{# c #}", "机关\n\n# 假标题", "a\r\nb", "\t", "\x00", "\x1b[2J",
    "\ud800", "\udfff\ud800", "a\u202eb", "\u2028", "\ufeff", UNFILLED, "", " ", "\u3000", "12.0", "true", "null",
    "~", "2023-02-30", "2023-01-10", "0x1A", "1:30", "&a", "*a", "!custom", "- x", "? x", "a: b", "'", '"', "\\",
    "---", "...", "%YAML 1.1", "<<", "😀", "\U000e0001",
]
SCALARS = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "Co"]), max_size=4),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-3, max_value=3000),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
NESTED = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _typed(node: dict):
    """Values of the kind the schema node asks for (some valid, some just outside)."""
    options = []
    if "enum" in node:
        options.append(st.sampled_from(node["enum"]))
    if "const" in node:
        options.append(st.just(node["const"]))
    for branch in node.get("anyOf", []):
        options.append(_typed(branch))
    kind = node.get("type")
    if kind == "integer":
        low, high = node.get("minimum", -10), node.get("maximum", 10**6)
        options.append(st.integers(min_value=low - 2, max_value=high + 2))
    if kind == "string":
        if node.get("format") == "date":
            options.append(st.dates().map(str))
        elif "pattern" in node:
            options.append(st.from_regex(node["pattern"], fullmatch=True).map(lambda s: s[:40]))
        else:
            options.append(st.text(min_size=1, max_size=20))
    if kind == "boolean":
        options.append(st.booleans())
    return st.one_of(options) if options else NESTED


def _yaml(value) -> str:
    """`value` in YAML flow style, every text double-quoted with escapes for what cannot be typed."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml(k)}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ch.isprintable() and not ("\ud800" <= ch <= "\udfff"):
                out.append(ch)
            else:
                out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        return '"' + "".join(out) + '"'
    if value is None or isinstance(value, (bool, int, float)):
        return yaml.safe_dump(value).split("\n")[0]  # null, true, 12, 1.0e+20, .inf
    raise TypeError(value)


def _document(data: dict) -> str:
    """The whole file: one top-level key per line (so each line number points at its key)."""
    return "".join(f"{_yaml(key)}: {_yaml(value)}\n" for key, value in data.items())


def _set(data, path: tuple, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("generated"), records=True)


@pytest.mark.parametrize("rel", sorted(FILES.values()))
def test_the_writer_round_trips_the_real_files(project, rel):
    """The test's own YAML writer gives back the real data (so a failure below is the loader's)."""
    data = yamlio.load(project / rel).data
    assert _same(yamlio.parse(_document(data).encode("utf-8"), rel).data, data)


def test_every_schema_field_is_generated():
    paths = {(rel, path) for rel, path, _ in FIELDS}
    assert ("data/branch.yaml", ("parent",)) in paths
    assert ("data/2022/plan.yaml", ("goals", 0, "measures", 0, "tasks", 0, "evidence")) in paths
    assert ("data/2022/figures.yaml", ("publicity.newspaper",)) in paths
    assert len({rel for rel, _ in paths}) == len(FILES)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.data())
def test_any_value_in_any_field_is_kept_literally_or_refused_in_chinese(project, draw):
    rel, path, node = draw.draw(st.sampled_from(FIELDS), label="field")
    value = draw.draw(st.one_of(_typed(node), NESTED), label="value")
    original = (ROOT / rel).read_bytes()
    data = yamlio.parse(original, rel).data
    _set(data, path, value)
    (project / rel).write_text(_document(data), "utf-8", errors="surrogatepass")
    try:
        site = load_site(project)
    except DataErrors as exc:
        lines = [e.render() for e in exc.errors]
        assert lines
        for line in lines:
            assert LINE.match(line) and CHINESE.search(line), line
    else:
        kept = yamlio.load(project / rel, rel).data
        assert _same(_get(kept, path), value), (rel, path, value)
        if rel.endswith("figures.yaml") and not site.figures[path[0]].derived:  # derived: the 台账 decides
            assert _same(site.years[2022].values[path[0]], None if value == UNFILLED else value)
        if rel.endswith("report.yaml"):
            assert _same(_get(site.years[2022].report, path), value)
        if rel == "data/branch.yaml":
            assert _same(_get(site.branch, path), value)
    finally:
        shutil.copyfile(ROOT / rel, project / rel)
