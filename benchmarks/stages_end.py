"""Benchmark-only MkDocs hook: when each stage of a build ends (see stages.py)."""

from __future__ import annotations

import atexit
import os
import time

from mkdocs.plugins import event_priority


def mark(name: str) -> None:
    target = os.environ.get("BENCH_STAGES")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"{name} {time.time():.6f}\n")


@event_priority(-100)
def on_config(config):
    mark("config_end")


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    mark("page_markdown_end")


@event_priority(-100)
def on_post_build(config):
    mark("post_build_end")
    atexit.register(mark, "exit")
