"""Run `mkdocs` counting how often the data layer loads and how often each data file is opened.

    python benchmarks/count_loads.py COUNTS.json build -q -d OUT     (cwd: the project)

Writes {"load_site": n, "data_opens": {"data/2022/figures.yaml": n, ...}} to COUNTS.json.
Used by `make bench` (the "work done once" rows) and tests/test_bench.py.
"""

from __future__ import annotations

import atexit
import builtins
import importlib.abc
import importlib.machinery
import io
import json
import os
import sys
from collections import Counter
from pathlib import Path


class _WrapLoadSite(importlib.abc.MetaPathFinder):
    """Wraps `load_site` each time `macros.data` is imported (hooks/live.py drops the `macros`
    package from the module cache before every build, so patching it once would not last)."""

    def __init__(self, counts: dict):
        self.counts = counts

    def find_spec(self, name, path, target=None):
        if name != "macros.data":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        counts = self.counts

        def exec_and_wrap(module):
            exec_module(module)
            original = module.load_site

            def load_site(*args, **kwargs):
                counts["load_site"] += 1
                return original(*args, **kwargs)

            module.load_site = load_site

        spec.loader.exec_module = exec_and_wrap
        return spec


def main() -> None:
    target, args = sys.argv[1], sys.argv[2:]
    root = Path.cwd().resolve()
    data_dir = root / "data"
    sys.path.insert(0, str(root))  # the same `macros` package mkdocs-macros will import
    counts = {"load_site": 0, "data_opens": Counter()}
    sys.meta_path.insert(0, _WrapLoadSite(counts))
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        del sys.modules[name]

    original_open = io.open

    def counting_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            path = Path(os.fspath(file))
            if path.suffix in (".yaml", ".yml"):
                path = (Path.cwd() / path).resolve()
                if path.is_relative_to(data_dir):
                    counts["data_opens"][path.relative_to(root).as_posix()] += 1
        return original_open(file, *args, **kwargs)

    io.open = builtins.open = counting_open

    def write():
        Path(target).write_text(json.dumps(counts, ensure_ascii=False, indent=1), "utf-8")

    atexit.register(write)
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *args]
    cli()


if __name__ == "__main__":
    main()
