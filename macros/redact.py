"""The 脱敏 (redacted) build: what a figure shows instead of its value.

A count shows one `*` per digit (24 -> **); a text datum shows its catalogue `mask`
(the issued copy's mask, e.g. ***** for a name). The switch is `extra.redacted` in
mkdocs.yml, set from the environment (`REDACTED=true`, see `make build-redacted`).
"""

from __future__ import annotations

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
