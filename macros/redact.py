"""The 脱敏 (redacted) build: what a figure shows instead of its value.

A count shows one `*` per digit (24 -> **); a text datum shows its catalogue `mask`
(the issued copy's mask, e.g. ***** for a name). The switch is `extra.redacted` in
mkdocs.yml, set from the environment (`REDACTED=true`, see `make build-redacted`).
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from .catalogue import Figure


def is_redacted(config) -> bool:
    """Whether this build is the redacted copy (extra.redacted: !ENV [REDACTED, false])."""
    value = (config.get("extra") or {}).get("redacted", False)
    if isinstance(value, str):  # an unusual spelling in the environment, e.g. REDACTED=yes
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def mask(figure: Figure, value) -> str:
    """The masked form of a figure's value: never derived from the characters of a text value."""
    if figure.type == "count":
        return "*" * len(str(value))
    return figure.mask or "***"


def mask_html(figure: Figure, value) -> Markup:
    """The mask as HTML: each `*` as &#42;, so Markdown never reads a pair of masks as emphasis."""
    return Markup("&#42;" * len(mask(figure, value)))


def masked_data(data):
    """A copy of the site's data with every value replaced by its mask (待填 stays 待填).

    For pages that show values other than through fig() (the 数据一览 table): given this copy
    they show masks, and no change between years can be computed from masks.
    """
    years = {
        number: replace(
            year,
            values={
                key: None if value is None else mask(data.figures[key], value)
                for key, value in year.values.items()
            },
        )
        for number, year in data.years.items()
    }
    return replace(data, years=years)


# The 数据一览 charts draw each value as a bar: a masked copy would still show it by its height.
CHARTS_WITHHELD = Markup('<p class="yoy-note">脱敏版不显示数据图表（柱高即数值）。</p>')


def masked_records(records):
    """A copy of a year's 台账 with every name replaced (the redacted build and the offline copy).

    Names become 党员1, 党员2 … in roster order: distinct, so attendance and 谈心谈话 pairs are
    still counted right, but no name is left; anyone not in the roster becomes ***."""
    names = {m.name: f"党员{n}" for n, m in enumerate(records.roster, start=1)}

    def one(name):
        return None if name is None else names.get(name, "***")

    def text(value):  # a name written inside a topic, decision or evidence line
        if value is None:
            return None
        for name, mask_ in names.items():
            value = value.replace(name, mask_)
        return value

    roster = tuple(replace(m, name=names[m.name]) for m in records.roster)
    items = tuple(
        replace(
            r,
            host=one(r.host),
            recorder=one(r.recorder),
            absent=tuple((one(name), text(reason)) for name, reason in r.absent),
            people=tuple(one(p) for p in r.people),
            topic=text(r.topic),
            evidence=text(r.evidence),
            decisions=tuple(text(d) for d in r.decisions),
        )
        for r in records.items
    )
    return replace(records, roster=roster, items=items)
