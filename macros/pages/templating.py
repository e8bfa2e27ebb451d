"""Jinja templates for everything the macros put on a page (macros/pages/templates/*.html).

Macros compute plain data (dataclasses, lists, strings); a template turns it into HTML.
Autoescape is on, and `finalize` makes every value that is not already markup inert for the
Markdown that reads the page afterwards: HTML special characters and Markdown's punctuation
become character references, so a `[link](javascript:…)`, `**`, `` ` `` or `{{ … }}` in data is
shown as typed, in text and in attributes alike. Only templates (and Markup they return) emit
markup.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from macros.core.chinese import chinese_date

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Markdown (and attr_list / macros) punctuation that could turn literal text into markup
MD_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+!|~<>:]")
# ... found in escaped text: an entity escape() wrote (&#34; for ") is kept whole, not re-escaped
ENTITY_OR_MD = re.compile(r"&#?\w+;|" + MD_ACTIVE.pattern)


def inert(value) -> Markup:
    """Text from data as HTML that Markdown leaves alone: escaped, then Markdown punctuation as &#NN;."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return Markup(value.__html__())
    if value is None:
        return Markup("")
    text = str(escape(str(value)))
    return Markup(ENTITY_OR_MD.sub(lambda m: m.group(0) if len(m.group(0)) > 1 else f"&#{ord(m.group(0))};", text))


@functools.cache
def environment() -> Environment:
    """One environment per process: templates are files of the package, keyed by their names."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=inert,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["inert"] = inert
    env.filters["cn_date"] = chinese_date
    return env


def render(name: str, **values) -> Markup:
    """Render macros/pages/templates/<name> with `values`; the result is markup for the page."""
    return Markup(environment().get_template(name).render(**values).strip())


