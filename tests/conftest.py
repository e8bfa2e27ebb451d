"""The tiers (units first, then wiring, then e2e) and the wiring's background builds. The e2e
fixtures are in tests/e2e/conftest.py; the helpers in tests/helpers/ (one module per tier's needs)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from helpers.builds import BACKGROUND
from hypothesis import settings

from macros.core.reading.validate import reusing

# Generated-input tests: make test (and a bare pytest) tries 100 inputs per test, make test-fast 10
# (`--hypothesis-profile=dev`): the fast tier stays within a minute on 2 cores, CI stays thorough.
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=10)
settings.load_profile("ci")

# ---- the tiers ---------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e/ is marked e2e (make test-fast leaves it out) and nothing else is.
    The unit tests run first, then the wiring, then e2e; the wiring's fixture-site builds start now,
    in the background, while the unit tests run."""
    e2e_dir = Path(__file__).parent / "e2e"
    wiring_dir = Path(__file__).parent / "wiring"
    sites = wiring_dir / "test_sites.py"  # the fixture-site builds it uses start in the background
    for item in items:
        inside = e2e_dir in Path(item.fspath).parents
        if inside != bool(item.get_closest_marker("e2e")):
            raise pytest.UsageError(f"{item.nodeid}: tests/e2e/ 中的测试必须（且只有它们）标记 @pytest.mark.e2e")
    tier = {False: 0, True: 1}
    items.sort(key=lambda item: (2 if item.get_closest_marker("e2e") else tier[wiring_dir in Path(item.fspath).parents]))
    worker = hasattr(config, "workerinput")  # pytest-xdist: the controller runs them (below)
    if any(Path(item.fspath) == sites for item in items) and not config.option.collectonly and not worker:
        BACKGROUND.start()


# ---- under pytest-xdist (make test-fast): the controller runs the background builds once -------------


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Each worker is told the folder where the controller's builds leave their results."""
    if BACKGROUND.folder is None:
        BACKGROUND.folder = Path(tempfile.mkdtemp(prefix="pytest-wiring-"))
    node.workerinput["wiring_builds"] = str(BACKGROUND.folder)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """The first worker to finish collecting says whether test_sites.py runs; if so the builds start."""
    if any(nodeid.startswith("tests/wiring/test_sites.py::") for nodeid in ids):
        BACKGROUND.start(BACKGROUND.folder)


def pytest_configure(config):
    if "wiring_builds" in getattr(config, "workerinput", {}):
        BACKGROUND.attach(Path(config.workerinput["wiring_builds"]))


def pytest_sessionfinish(session, exitstatus):
    BACKGROUND.close()


@pytest.fixture(scope="session")
def checked_files() -> dict:
    return {}


@pytest.fixture(autouse=True)
def _checked_once(checked_files):
    """A data file with the same path, bytes and schema as one read earlier in this test process is
    not parsed and checked again: the preview's memo (macros/core/reading/validate.reusing), here for
    the whole session. A file with problems is never kept, so every error is found afresh. Measured,
    make test-fast alternately without and with it on 2 cores: 37.7/42.5 s against 33.3/38.8 s wall
    (55 against 43-45 s of CPU)."""
    with reusing(checked_files):
        yield


@pytest.fixture(scope="session")
def prebuilt():
    """name -> the finished background build of tests/helpers/builds.py's WIRING_BUILDS."""
    return BACKGROUND.result
