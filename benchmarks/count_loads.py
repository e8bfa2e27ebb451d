"""Run `mkdocs` counting how often the data layer loads and how often each data file is opened.

    python benchmarks/count_loads.py COUNTS.json build -q -d OUT     (cwd: the project)

Writes {"load_site": n, "load_site_elsewhere": m, "data_opens": {"data/2022/figures.yaml": n, ...}}
to COUNTS.json: n counts loads of this project's data, m loads of other directories (the 编辑指南
runs the checker on copies of the data to show real error messages); "data_copies" counts the
files copied for that (opened by shutil), apart from the reads in "data_opens".
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

    def __init__(self, counts: dict, project: Path):
        self.counts = counts
        self.project = project

    def find_spec(self, name, path, target=None):
        if name != "macros.data":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        counts, project = self.counts, self.project

        def exec_and_wrap(module):
            exec_module(module)
            original = module.load_site

            def load_site(root, *args, **kwargs):
                # the site's own data; the 编辑指南 checks copies of it elsewhere (error examples)
                mine = Path(root).resolve() == project
                counts["load_site" if mine else "load_site_elsewhere"] += 1
                return original(root, *args, **kwargs)

            module.load_site = load_site

        spec.loader.exec_module = exec_and_wrap
        return spec


def main() -> None:
    target, args = sys.argv[1], sys.argv[2:]
    root = Path.cwd().resolve()
    data_dir = root / "data"
    sys.path.insert(0, str(root))  # the same `macros` package mkdocs-macros will import
    counts = {"load_site": 0, "load_site_elsewhere": 0, "data_opens": Counter(), "data_copies": Counter()}
    sys.meta_path.insert(0, _WrapLoadSite(counts, root))
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        del sys.modules[name]

    original_open = io.open

    def counting_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            path = Path(os.fspath(file))
            if path.suffix in (".yaml", ".yml"):
                path = (Path.cwd() / path).resolve()
                if path.is_relative_to(data_dir):
                    # a copy (shutil, for the 编辑指南's error examples) is not a read of the data
                    copying = sys._getframe(1).f_code.co_filename.endswith("shutil.py")
                    counts["data_copies" if copying else "data_opens"][path.relative_to(root).as_posix()] += 1
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
