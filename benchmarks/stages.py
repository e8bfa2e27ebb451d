"""Benchmark-only MkDocs hook: when each stage of a build starts (see stages_end.py).

Appends `name seconds` lines (time.time()) to the file named by $BENCH_STAGES.
Added to a copy's config by sites.add_stage_hooks; never part of the real site.
"""

from __future__ import annotations

import os
import time

from mkdocs.plugins import event_priority


def mark(name: str) -> None:
    target = os.environ.get("BENCH_STAGES")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"{name} {time.time():.6f}\n")


@event_priority(100)
def on_startup(command, dirty):
    mark("startup")


@event_priority(100)
def on_config(config):
    mark("config_start")


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    mark("page_markdown_start")


@event_priority(100)
def on_env(env, config, files):
    mark("env")


@event_priority(100)
def on_post_build(config):
    mark("post_build_start")
