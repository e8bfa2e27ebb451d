"""make bench only, added by a variant config's `hooks:` (benchmarks/sites.py, `rendered`): writes each
page's Markdown as the macros plugin leaves it to <project>-rendered/, so stock Material can build
the same content (tables, charts, figures) without this project's code."""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-100)  # after every plugin's on_page_markdown
def on_page_markdown(markdown, *, page, config, files):
    project = Path(config.config_file_path).parent
    dest = project.parent / f"{project.name}-rendered" / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    deferred = config.plugins["branch"].deferred  # macros/site/deferred.py: the blocks kept out of Markdown
    dest.write_text(deferred.restore(markdown) if deferred else markdown, "utf-8")
    return markdown
