"""The benchmark harness (make bench) on tiny cases, so it cannot rot; and the work done once per build.

`make bench` itself takes minutes and is not part of `make test`; these tests run each of its
parts once on a small site: alternating runs and medians, synthetic years, the stage hooks,
the load counter, `mkdocs serve` edit-to-refresh, and page weight through nginx.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT

sys.path.insert(0, str(ROOT))

from benchmarks import harness, sites  # noqa: E402
from benchmarks.refresh import Server, page_of, serve_env, shows  # noqa: E402
from benchmarks.run import html_stats, parse_stages  # noqa: E402
from macros import yamlio  # noqa: E402
from macros.data import load_site  # noqa: E402
from macros.nav import build_nav  # noqa: E402


def test_alternate_runs_a_b_a_b_and_reports_medians(tmp_path):
    order = tmp_path / "order.txt"
    script = "import sys, time; open(sys.argv[1], 'a').write(sys.argv[2]); time.sleep(float(sys.argv[3]))"

    def step(label, pause):
        return lambda: harness.run([sys.executable, "-c", script, str(order), label, pause])

    comp = harness.alternate("tiny", ("A", step("A", "0")), ("B", step("B", "0.15")), times=5)
    assert order.read_text() == "AB" * 5
    assert len(comp.a.runs) == len(comp.b.runs) == 5
    assert comp.a.median < comp.b.median and comp.ratio < 1
    assert all(run.peak_kb > 1000 for run in comp.a.runs)  # a Python process: megabytes
    text = harness.table(["x", "y"], [[1, 2]])
    assert text.splitlines() == ["| x | y |", "|---|---|", "| 1 | 2 |"]


def test_a_failing_command_stops_the_comparison():
    fail = lambda: harness.run([sys.executable, "-c", "raise SystemExit(3)"])  # noqa: E731
    with pytest.raises(RuntimeError, match="failed \\(3\\)"):
        harness.alternate("fail", ("A", fail), ("B", fail), times=5)


def test_synthetic_years_are_scaffolded_filled_in_and_valid(tmp_path):
    project = sites.copy_project(tmp_path / "p")
    assert sites.add_years(project, 3) == [2022, 2023, 2024]  # made by make new-year's scaffold
    data = load_site(project)  # every synthetic year passes the real checks
    assert sorted(data.years) == [2022, 2023, 2024] and not data.unfilled()
    assert "2024年" in data.years[2024].report["title"] and data.years[2024].report["date"] == "2025-01-10"
    assert data.years[2023].values != data.years[2022].values != data.years[2024].values
    pages = sorted(p.relative_to(project / "docs/2024") for p in (project / "docs/2024").rglob("*.md"))
    assert pages == sorted(p.relative_to(project / "docs/2022") for p in (project / "docs/2022").rglob("*.md"))
    assert not any("draft_notice" in p.read_text("utf-8") for p in (project / "docs/2024").rglob("*.md"))
    copied = sites.copy_project(tmp_path / "q")
    sites.add_years(copied, 2, source=project)  # smaller sites copy the years of a bigger one
    assert (copied / "data/2023/figures.yaml").read_text() == (project / "data/2023/figures.yaml").read_text()
    assert not (copied / "data/2024").exists()
    bare = (sites.strip_macros(sites.copy_project(tmp_path / "bare")) / "mkdocs.yml").read_text("utf-8")
    assert "  - macros:" not in bare and "module_name" not in bare and "  - search:" in bare


def _years_tree(root: Path, years: range) -> Path:
    for year in years:
        (root / str(year)).mkdir(parents=True)
        (root / str(year) / "index.md").write_text(f"# {year}\n", "utf-8")
        (root / str(year) / "a.md").write_text("# 一、甲\n", "utf-8")
    (root / "index.md").write_text("# 首页\n", "utf-8")
    return root


def test_nav_older_years_collapse_so_pages_do_not_carry_every_year(tmp_path):
    few = build_nav(_years_tree(tmp_path / "few", range(2020, 2023)))[1]["报告"]
    assert [next(iter(s)) for s in few] == ["2022年度报告", "2021年度报告", "2020年度报告"]
    many = build_nav(_years_tree(tmp_path / "many", range(1990, 2023)))[1]["报告"]
    assert [next(iter(s)) for s in many] == ["2022年度报告", "2021年度报告", "往年报告"]
    decades = many[2]["往年报告"]
    assert [next(iter(d)) for d in decades] == ["2020—2029年", "2010—2019年", "2000—2009年", "1990—1999年"]
    assert [next(iter(y)) for y in decades[0]["2020—2029年"]] == ["2020年度报告"]
    assert len(decades[1]["2010—2019年"]) == 10


def test_fast_yaml_reads_the_same_data_and_lines_as_pyyaml(monkeypatch):
    files = sorted((ROOT / "data").rglob("*.yaml"))
    fast = [yamlio.load(f, f.name) for f in files]
    monkeypatch.setattr(yamlio, "_FAST_LOADER", None)
    slow = [yamlio.load(f, f.name) for f in files]
    assert [(d.data, d.lines) for d in fast] == [(d.data, d.lines) for d in slow]


def test_page_templates_compiled_once_per_text():
    from jinja2 import Environment

    from macros.template_memo import memoize_from_string

    env = Environment()
    memoize_from_string(env)
    memoize_from_string(env)  # idempotent
    first = env.from_string("{{ x }} 次")
    assert env.from_string("{{ x }} 次") is first and env.from_string("{{ x }}") is not first
    assert first.render(x=1) == "1 次" and first.render(x=2) == "2 次"


IMPORTED = """import atexit, sys
report = sys.argv.pop(1)
atexit.register(lambda: open(report, "w").write(" ".join(m for m in ("docx", "pygal") if m in sys.modules)))
from mkdocs.__main__ import cli
cli()
"""


def test_python_docx_and_pygal_imported_only_when_a_file_or_chart_is_made(tmp_path):
    env = {**ENV, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = []
    for n in range(2):
        report = tmp_path / f"modules-{n}.txt"
        cmd = [sys.executable, "-c", IMPORTED, str(report), "build", "-q", "--strict", "-d", str(tmp_path / f"o{n}")]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        runs.append(report.read_text().split())
    assert runs == [["docx", "pygal"], []]  # the second build reuses the cached Word file and charts
    word = "2022/report-2022.docx"
    assert (tmp_path / "o0" / word).read_bytes() == (tmp_path / "o1" / word).read_bytes()


def test_checked_file_reused_only_for_the_same_name_bytes_and_schema(tmp_path, monkeypatch):
    from macros import data, validate

    checks = []
    real_check = validate.check
    monkeypatch.setattr(validate, "check", lambda doc, schema: checks.append(doc.path) or real_check(doc, schema))
    monkeypatch.setattr(data, "_CHECKED", {})
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    (tmp_path / "d").mkdir()
    path = tmp_path / "d" / "f.yaml"
    path.write_text("a: 1\n", "utf-8")

    def load(file=path, node=schema):
        errors = []
        return data._load_checked(file, tmp_path, node, errors), errors

    first, _ = load()
    assert load()[0] is first and checks == ["d/f.yaml"]  # same name, bytes and schema: not checked again
    path.write_text("a: 2\n", "utf-8")
    assert load()[0].data == {"a": 2} and len(checks) == 2  # one byte changed: read and checked again
    assert load(node={**schema, "required": ["b"]})[1] and len(checks) == 3  # another schema
    copy = tmp_path / "e" / "f.yaml"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    assert load(copy)[0].path == "e/f.yaml" and len(checks) == 4  # shown under another name
    path.write_text("a: x\n", "utf-8")
    for _ in range(2):  # a file with problems is never kept: checked each time, messages made afresh
        doc, errors = load()
        assert doc is None and [e.line for e in errors] == [1]
    assert len(checks) == 6 and errors[0] is not load()[1][0]


def test_page_code_kept_between_builds_only_when_nothing_but_text_and_settings_decide_it(tmp_path, monkeypatch):
    from jinja2 import Environment, nodes

    from macros import template_memo

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parsed = []
    real_parse = Environment.parse
    monkeypatch.setattr(Environment, "parse", lambda self, *a, **k: parsed.append(a[0]) or real_parse(self, *a, **k))

    def build(text, **settings):  # a new environment, as every build and `make serve` rebuild makes
        env = Environment(**settings)
        env.filters["shout"] = shout
        template_memo.memoize_from_string(env)
        return env.from_string(text).render(x=2)

    shout = lambda s: s + "！"  # noqa: E731
    page = "# 标题\n\n本年度 {{ x }} 次。\n"
    assert build(page) == "# 标题\n\n本年度 2 次。" and parsed == [page]
    assert build(page) == "# 标题\n\n本年度 2 次。" and parsed == [page]  # the next build: not compiled again
    assert len(list((tmp_path / "mkdocs-pages").glob("*.code"))) == 1
    assert build(page + "改") == "# 标题\n\n本年度 2 次。\n改" and len(parsed) == 2  # another text
    other = "本年度 [[ x ]] 次。"
    assert build(other, variable_start_string="[[", variable_end_string="]]") == "本年度 2 次。"
    assert build(other) == other and len(parsed) == 4  # the same text under other settings: compiled again
    # A filter on a constant runs while compiling: such code is never kept, the filter's new code takes effect.
    assert build('{{ "好"|shout }}') == "好！"
    shout = lambda s: s + "？"  # noqa: E731
    assert build('{{ "好"|shout }}') == "好？" and build("{{ 1 is odd }}") == "True"
    assert len(list((tmp_path / "mkdocs-pages").glob("*.code"))) == 4
    assert template_memo._settings(Environment(extensions=["jinja2.ext.do"])) is None
    assert template_memo._settings(Environment(finalize=str)) is None
    for kept in (tmp_path / "mkdocs-pages").glob("*.code"):
        kept.write_bytes(b"\x00broken")  # an unreadable file is compiled again
    count = len(parsed)
    assert build(page) == "# 标题\n\n本年度 2 次。" and len(parsed) == count + 1
    assert isinstance(Environment().parse(page), nodes.Template)


def test_each_overhead_fix_can_be_undone_for_its_before_measurement(tmp_path):
    from benchmarks.run import OVERHEAD_FIXES

    for n, (_, module, old, new) in enumerate(OVERHEAD_FIXES):  # make bench's "修复前后" undoes each in a copy
        project = sites.replace_code(sites.copy_project(tmp_path / str(n)), module, old, new)
        assert new in (project / module).read_text("utf-8")


def test_chart_reused_only_for_the_same_figure_years_values_and_code(tmp_path, monkeypatch):
    from dataclasses import replace

    from macros import yoy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    site = load_site(ROOT)
    drawn = []
    draw = yoy._draw
    monkeypatch.setattr(yoy, "_draw", lambda *args: drawn.append(args[0].key) or draw(*args))
    first = yoy.chart(site, "study.sessions")
    assert yoy.chart(site, "study.sessions") == first and drawn == ["study.sessions"]  # reused
    figure, value = site.figures["study.sessions"], site.years[2022].values["study.sessions"]
    assert first == draw(figure, [2022], [value])  # what pygal draws
    year = site.years[2022]
    changed = replace(site, years={2022: replace(year, values={**year.values, "study.sessions": 99})})
    assert "2022年 99" in yoy.chart(changed, "study.sessions") and len(drawn) == 2  # a value changed
    renamed = replace(site, figures={**site.figures, "study.sessions": replace(figure, label="学")})
    assert "学" in yoy.chart(renamed, "study.sessions") and len(drawn) == 3  # the name changed
    monkeypatch.setattr(yoy, "CODE", tmp_path / "yoy.py")
    (tmp_path / "yoy.py").write_text("# another version of the code", "utf-8")
    assert yoy.chart(site, "study.sessions") == first and len(drawn) == 4  # the code changed
    assert len(list((tmp_path / "report-charts").glob("*.html"))) == 4


def test_word_file_reused_only_for_the_same_fulltext(tmp_path, monkeypatch):
    from macros import export_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = []

    def build(out: Path):
        built.append(out.name)
        out.write_bytes(f"docx {len(built)}".encode())

    assert export_cache.docx("<p>全文 A</p>", tmp_path / "a.docx", build) is False
    assert export_cache.docx("<p>全文 A</p>", tmp_path / "b.docx", build) is True  # same HTML: copied
    assert (tmp_path / "b.docx").read_bytes() == b"docx 1" and built == ["a.docx"]
    assert export_cache.docx("<p>全文 B</p>", tmp_path / "c.docx", build) is False  # changed: built again
    assert built == ["a.docx", "c.docx"] and len(list((tmp_path / "cache/report-docx").glob("*.docx"))) == 2


def test_data_loaded_once_per_build_and_stages_recorded(tmp_path):
    """One build of a 3-year site: load_site once, each data file opened once, jieba cache in XDG_CACHE_HOME."""
    project = sites.add_stage_hooks(sites.copy_project(tmp_path / "p"))
    sites.add_years(project, 3)
    counts, stages, cache = tmp_path / "counts.json", tmp_path / "stages.txt", tmp_path / "cache"
    stages.write_text("t0 0\n")
    env = {**ENV, "BENCH_STAGES": str(stages), "XDG_CACHE_HOME": str(cache)}
    counter = str(ROOT / "benchmarks/count_loads.py")
    cmd = [sys.executable, counter, str(counts), "build", "-q", "-d", str(tmp_path / "out")]
    result = harness.run(cmd, cwd=project, env=env)
    assert result.returncode == 0, result.output
    found = json.loads(counts.read_text("utf-8"))
    pages, _ = html_stats(tmp_path / "out")
    data_files = sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*.yaml"))
    assert pages > len(data_files)  # a per-page re-read would show as counts above 1
    assert found["load_site"] == 1
    assert sorted(found["data_opens"]) == data_files and set(found["data_opens"].values()) == {1}
    # the 编辑指南's error examples check copies of the shared files and the latest year only
    assert found["load_site_elsewhere"] >= 1
    copied_years = {p.split("/")[1] for p in found["data_copies"] if p.count("/") > 1}
    assert copied_years == {"2024"} and "data/catalogue.yaml" in found["data_copies"]
    assert set(found["data_copies"].values()) == {1}  # one copy serves all the examples of the build
    assert (cache / "jieba" / "jieba.cache").is_file()  # not the shared /tmp/jieba.cache
    (row,) = parse_stages(stages)
    assert all(row[key] > 0 for key in ("config", "pages", "templates")), row
    assert row["macros"] > 0


def test_edit_to_refresh_under_mkdocs_serve(tmp_path):
    project = sites.copy_project(tmp_path / "p")
    assert page_of(project) == "2022/work/political/"
    server = Server(project, serve_env())
    try:
        server.wait_ready(timeout=120)
        assert not shows(server_page := _get(server), 987) and "study.sessions" in server_page
        result = server.edit_and_wait(987, timeout=30)
        assert result.returncode == 0, result.output
        assert result.seconds < 30
    finally:
        server.stop()


def _get(server) -> str:
    from benchmarks.refresh import fetch

    return fetch(server.url + server.page) or ""


def test_nginx_uses_the_sites_own_server_block_when_there_is_one(tmp_path):
    from benchmarks.weight import server_block

    deploy = tmp_path / "nginx.conf"
    deploy.write_text("server {\n    listen 80;\n    root /srv/site;\n    gzip on;\n}\n", "utf-8")
    block, source = server_block(8123, tmp_path / "site", deploy)
    assert source == "deploy/nginx.conf"
    assert "listen 127.0.0.1:8123;" in block and f"root {tmp_path / 'site'};" in block and "gzip on;" in block
    block, source = server_block(8123, tmp_path / "site", tmp_path / "missing.conf")
    assert "listen 127.0.0.1:8123;" in block and "gzip on;" in block and "最小配置" in source


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx not installed (apt-get install nginx)")
def test_page_weight_is_measured_gzip_through_nginx(site, browser, tmp_path):
    from benchmarks.weight import Nginx, home_weight

    root = tmp_path / "served"
    shutil.copytree(site, root / "ours")
    server = Nginx(root, tmp_path / "nginx")
    try:
        weight = home_weight(browser, server.url + "ours/")
    finally:
        server.stop()
    assert weight.status == 200
    assert weight.hosts == {server.url.split("/")[2]}  # nothing from any other host
    assert weight.gzip_responses >= 3  # HTML, CSS and JavaScript come compressed
    assert 10_000 < weight.before_search < weight.with_search
    assert weight.search_index > 0
