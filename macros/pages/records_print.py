"""The printable 台账 (docs/records/<year>/print.md) and its Excel download.

Each activity type is one table in the official layout (`records_xlsx.ledger_tables`: the same
columns as the workbook for reporting upward), on its own A4 page when printed, landscape when its
columns need it (macros/site/theme/stylesheets/print.css, named pages `ledger-portrait` / `ledger-landscape`).
The page also links the year's .xlsx, which the build writes next to it (`write_site_ledgers`).
Names are masked where the other 台账 pages mask them (the redacted build, the offline copy).
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from macros.core.records.columns import ledger_tables
from macros.exports import cache as export_cache
from macros.exports.cache import ExportCache
from macros.exports.ledger_xlsx import ledger_download_name, ledger_path, write_site_ledger
from macros.pages.context import BuildContext
from macros.pages.templating import render


def print_page(records, branch: str, href: str, masked: bool, extra=()) -> Markup:
    """The page's content: the download, how to print, one table per activity type, then the
    people's tables (`extra`, macros/core/people/tables.py)."""
    kinds = list(records.types.values())
    tables = [
        {"table": table, "kind": kind, "count": len(table.rows)}
        for table, kind in zip(ledger_tables(records), kinds, strict=True)
    ]
    return render(
        "records_print.html",
        year=records.year,
        branch=branch,
        tables=tables,
        href=href,
        download=ledger_download_name(branch, records.year, masked),
        masked=masked,
        sample=records.sample,
        after_cutoff=len(records.after_cutoff),
        as_of=records.cutoff,
        extra=extra,
    )


def write_site_ledgers(records: dict, branch: str, site_dir: Path, ctx: BuildContext,
                       cache: ExportCache | None = None, extra=None) -> list[Path]:
    """After a build: each year's 台账 (`records`, as the build loaded and checked them) as
    records/<year>/ledger-<year>.xlsx in the built site, with names masked where the 台账 pages mask
    them; through `cache` (macros/exports/cache.py) when given."""
    masked = ctx.hides_names
    written = []
    for year in sorted(records):
        target = Path(site_dir) / ledger_path(year)

        tables = tuple(extra(year)) if extra else ()  # the people's sheets (macros/core/people/tables.py)

        def make(path: Path, year=year, tables=tables) -> None:  # path is target
            write_site_ledger(records[year], Path(site_dir), branch, masked, tables)

        export_cache.write(cache, target, ("xlsx", records[year], branch, masked, tables), make)
        written.append(target)
    return written


__all__ = ["ledger_path", "print_page", "write_site_ledgers"]
