"""The 脱敏 (redacted) build renders every page from a masked copy of the data: one seam.

A count shows one `*` per digit (24 -> **); a text datum shows its catalogue `mask` (the issued
copy's mask, e.g. ***** for a name). The switch is `extra.redacted` in mkdocs.yml, set from the
environment (`REDACTED=true`, see `make build-redacted`), read into `BuildContext.redacted`.
Renderers do not ask whether the build is redacted: they render what the data holds. What cannot
be shown from masks at all (the 对标 verdicts, the charts' bar heights) is withheld in the data
(`SiteData.withheld`), and the templates say so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from macros.core.catalogue import Figure


class Mask(str):
    """A masked value: `*` characters, written as &#42; in HTML so Markdown never reads a pair of
    masks as emphasis."""

    def __html__(self) -> str:  # the markup protocol: an escaper takes this as it is
        return "&#42;" * len(self)


def is_masked(value) -> bool:
    return isinstance(value, Mask)


def mask(figure: Figure, value) -> Mask:
    """The masked form of a figure's value: never derived from the characters of a text value."""
    if figure.type == "count":
        return Mask("*" * len(str(value)))
    return Mask(figure.mask or "***")


def masked_data(data):
    """A copy of the site's data with every value replaced by its mask (待填 stays 待填), and the
    things that would reveal a value withheld."""
    def masked(values):
        return None if values is None else {
            key: None if value is None else mask(data.figures[key], value) if key in data.figures else value
            for key, value in values.items()
        }

    years = {
        number: replace(
            year,
            values=masked(year.values),
            current=masked(year.current),
            drift=[replace(d, issued=mask(data.figures[d.key], d.issued), now=mask(data.figures[d.key], d.now))
                   for d in year.drift],
            issued=_masked_issued(year.issued, masked, data.figures),
        )
        for number, year in data.years.items()
    }
    records = {number: masked_records(r) for number, r in data.records.items()}  # 台账: no names
    people = masked_people(data.people, data.records)  # 学时, 党费, 发展党员: the same names as the 台账's
    return replace(data, years=years, records=records, people=people, withheld=True)


def roster_masks(records) -> dict[str, str]:
    """A year's names as the masked copies show them: 党员1, 党员2 … in roster order."""
    return {m.name: f"党员{n}" for n, m in enumerate(records.roster, start=1)}


def masked_people(people, records: dict):
    """A copy of the people's data (macros/core/people/load.py) with no name: members as in the year's
    masked 台账 (党员1 …), each 发展党员 as 发展对象1 …, 培养联系人 and 入党介绍人 as ***. Amounts stay
    numbers here; pages that hide names show every amount and base as `amount_hidden`."""
    if people is None:
        return None

    def in_year(year):
        names = roster_masks(records[year]) if year in records else {}
        return lambda name: names.get(name, "***")

    training = {y: tuple(replace(t, name=in_year(y)(t.name)) for t in items) for y, items in people.training.items()}
    dues = {}
    for y, d in people.dues.items():
        name = in_year(y)
        dues[y] = replace(d, bases=tuple(replace(b, name=name(b.name)) for b in d.bases),
                          payments=tuple(replace(p, name=name(p.name)) for p in d.payments))
    development = tuple(replace(p, name=f"发展对象{n}", contacts=tuple("***" for _ in p.contacts),
                                sponsors=tuple("***" for _ in p.sponsors))
                        for n, p in enumerate(people.development, start=1))
    appraisals = {}
    for y, a in people.appraisals.items():
        day = a.appraisal_day or a.meeting_day
        name = in_year(day.year if day else y)
        appraisals[y] = replace(
            a, ratings=tuple(replace(r, name=name(r.name)) for r in a.ratings),
            points=tuple(replace(p, by=name(p.by), to=name(p.to) if p.to else None, text=_replace_names(
                p.text, roster_masks(records[day.year]) if day and day.year in records else {})) for p in a.points))
    return replace(people, training=training, dues=dues, development=development, appraisals=appraisals)


def _replace_names(value: str, names: dict[str, str]) -> str:
    for name, mask_ in names.items():
        value = value.replace(name, mask_)
    return value


def _masked_issued(issued, masked, figures):
    """An issued year's figures and corrected values as masks, and the digits in a 更正's words."""
    if issued is None:
        return None
    def digits(text):  # a number written in the editor's words (应为37件) is masked too
        return None if text is None else re.sub(r"\d", "*", text)

    corrections = tuple(
        replace(c, to=mask(figures[c.key], c.to) if c.key in figures and c.to is not None else c.to,
                why=digits(c.why), what=digits(c.what))
        for c in issued.corrections
    )
    return replace(issued, figures=masked(issued.figures), corrections=corrections)


def masked_records(records):
    """A copy of a year's 台账 with every name replaced (the redacted build and the offline copy).

    Names become 党员1, 党员2 … in roster order: distinct, so attendance and 谈心谈话 pairs are
    still counted right, but no name is left; anyone not in the roster becomes ***."""
    names = roster_masks(records)

    def one(name):
        return None if name is None else names.get(name, "***")

    def text(value):  # a name written inside a topic, decision or evidence line
        if value is None:
            return None
        for name, mask_ in names.items():
            value = value.replace(name, mask_)
        return value

    roster = tuple(replace(m, name=names[m.name]) for m in records.roster)

    def masked(r):
        return replace(
            r,
            host=one(r.host),
            recorder=one(r.recorder),
            absent=tuple((one(name), text(reason)) for name, reason in r.absent),
            people=tuple(one(p) for p in r.people),
            topic=text(r.topic),
            evidence=text(r.evidence),
            decisions=tuple(text(d) for d in r.decisions),
            delegated=text(r.delegated),
        )

    leaders = {group: names.get(name, "***") for group, name in records.leaders.items()}
    return replace(records, roster=roster, items=tuple(masked(r) for r in records.items),
                   after_cutoff=tuple(masked(r) for r in records.after_cutoff), leaders=leaders)


def amount_hidden(value) -> Mask:
    """A 党费 amount or base where names are hidden (the redacted build, the offline copy): the same
    mask for every value, so not even the number of digits is told."""
    return Mask("***")
