"""The catalogue: each figure of the report defined once (key, label, unit, type)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    type: str  # "count" or "text"
    section: str
    unit: str = ""
    mask: str | None = None  # text figures: the mask shown in a redacted build
    key_figure: bool = False
    derived: dict | None = None  # counted from the 台账: {type: committee_meeting, host_role: 书记, tag: …}

    @property
    def title(self) -> str:
        """The tooltip: label and unit."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label


def from_data(data: dict) -> dict[str, Figure]:
    return {
        key: Figure(
            key=key,
            label=spec["label"],
            type=spec["type"],
            section=spec["section"],
            unit=spec.get("unit", ""),
            mask=spec.get("mask"),
            key_figure=bool(spec.get("key_figure", False)),
            derived=spec.get("derived"),
        )
        for key, spec in data["figures"].items()
    }
