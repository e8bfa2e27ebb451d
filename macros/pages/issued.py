"""What the site says beside an issued report (macros/core/issued.py): a site note, never part of the
report text, on the year's report pages whose figures the 台账 now counts otherwise (印发后补录) or
that a 更正 concerns, and in the 全文's site note. The .docx and .txt stay the issued text: an issued
document is corrected by a separate notice, not by editing it.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from macros.core.load import SiteData
from macros.exports.report_files import FULLTEXT  # the 全文: its note is part of report_marks (macros_env.py)
from macros.pages.context import Here
from macros.pages.templating import render

PAGE = re.compile(r"^(\d{4})/(.+\.md)$")
# Pages that show figures of the whole report (the cards, the 对标): every note of the year
WHOLE_YEAR = ("index.md", "checklists/compliance.md")
LEDGER = "records/{year}/ledger.md"


def _year_and_page(data: SiteData, page: str | None) -> tuple[int, str] | None:
    match = PAGE.match(page or "")
    if match is None or int(match.group(1)) not in data.years:
        return None
    return int(match.group(1)), match.group(2)


def items(data: SiteData, year: int, keys: set[str] | None) -> dict:
    """The notes of an issued year: figures counted otherwise now (drift) and corrections; only those of
    `keys` (None: all, the wording corrections included)."""
    info = data.years[year]
    if info.issued is None:
        return {"drift": [], "corrections": []}
    drift = [
        {"label": d.label, "unit": d.unit, "issued": d.issued, "now": d.now, "roster": d.roster,
         "late": [f"{r.date.month}月{r.date.day}日{data.records[year].types[r.type].name}" for r in d.late]}
        for d in info.drift
        if keys is None or d.key in keys
    ]
    corrections = []
    for c in sorted(info.issued.corrections, key=lambda c: c.date):
        if c.key is not None and (keys is None or c.key in keys) and c.key in data.figures:
            figure = data.figures[c.key]
            corrections.append({"date": c.date, "why": c.why, "label": figure.label, "unit": figure.unit,
                                "issued": info.issued.figures.get(c.key), "to": c.to, "what": None})
        elif c.key is None and keys is None:
            corrections.append({"date": c.date, "why": c.why, "what": c.what})
    return {"drift": drift, "corrections": corrections}


def page_items(data: SiteData, page: str | None) -> dict | None:
    """The notes for a report page (None when there are none, or it is not an issued year's page)."""
    found = _year_and_page(data, page)
    if found is None or found[1] == FULLTEXT:
        return None
    year, rel = found
    keys = None if rel in WHOLE_YEAR else {u.key for u in data.usages if u.page == page}
    notes = items(data, year, keys)
    return notes if notes["drift"] or notes["corrections"] else None


def place(data: SiteData, page: str | None, markdown: str) -> str:
    """A report page of an issued year with notes gets `{{ issued_note() }}` after its title."""
    if page_items(data, page) is None:
        return markdown
    call = "\n\n{{ issued_note() }}\n\n"
    lines = markdown.split("\n")
    for n, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: n + 1], call, *lines[n + 1:]])
    return call + markdown


def note(data: SiteData, here: Here, year: int | None = None, keys: set[str] | None = None) -> Markup:
    """The site note beside an issued report: 印发后补录 and 更正 (nothing when there are none)."""
    if year is None:
        notes = page_items(data, here.page)
        found = _year_and_page(data, here.page)
        if notes is None or found is None or here.ctx.fulltext:
            return Markup("")
        year = found[0]
    else:
        notes = items(data, year, keys)
        if not notes["drift"] and not notes["corrections"]:
            return Markup("")
    info = data.years[year]
    ledger = LEDGER.format(year=year)
    return render("issued_note.html", year=year, issued=info.issued.date, **notes,
                  ledger_href=here.href(ledger) if any(not d["roster"] for d in notes["drift"])
                  and year in data.records else None)
