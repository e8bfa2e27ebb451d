"""Run `mkdocs` counting how often the data layer loads and how often each data file is opened.

    python benchmarks/count_loads.py COUNTS.json build -q -d OUT     (cwd: the project)

Writes {"load_site": n, "data_opens": {"data/2022/figures.yaml": n, ...}} to COUNTS.json.
Used by `make bench` (the "work done once" rows) and tests/test_bench.py.
"""

from __future__ import annotations

import atexit
import builtins
import io
import json
import os
import sys
from collections import Counter
from pathlib import Path


def main() -> None:
    target, args = sys.argv[1], sys.argv[2:]
    root = Path.cwd().resolve()
    data_dir = root / "data"
    sys.path.insert(0, str(root))  # the same `macros` package mkdocs-macros will import
    import macros
    import macros.data

    counts = {"load_site": 0, "data_opens": Counter()}
    original_load_site = macros.data.load_site

    def load_site(*args, **kwargs):
        counts["load_site"] += 1
        return original_load_site(*args, **kwargs)

    macros.load_site = macros.data.load_site = load_site

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
