"""The catalogue: each figure of the report defined once (key, label, unit, type)."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.people import roster


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


@dataclass(frozen=True)
class Derived:
    """How a catalogue figure is counted from the records: `derived: {type: …, host_role: …, tag: …}`,
    or from the year's roster: `derived: {roster: members}` (党员人数 at the year's end or its cut-off)
    and `{roster: admitted}` (预备党员 accepted in the year, 发展党员数; macros/core/people/roster.py)."""

    type: str | None
    host_role: str | None = None
    tag: str | None = None
    roster: str | None = None  # members | admitted

    @classmethod
    def from_spec(cls, spec: dict) -> Derived:
        return cls(spec.get("type"), spec.get("host_role"), spec.get("tag"), spec.get("roster"))

    def _people(self, records) -> list:
        day = roster.last_counted_day(records.year, records.cutoff)
        if self.roster == "members":
            return list(records.on(day))
        return roster.admitted(records.roster, records.year, day)

    def matches(self, record, records) -> bool:
        if record.type != self.type:
            return False
        if self.tag is not None and self.tag not in record.tags:
            return False
        if self.host_role is not None:
            host = records.member(record.host) if record.host else None
            if host is None or host.role != self.host_role:
                return False
        return True

    def count(self, records) -> list:
        if self.roster:
            return self._people(records)
        return [r for r in records.items if self.matches(r, records)]

    @property
    def source(self) -> str:
        """Where the count comes from, as the messages say it: 台账记录 or 党员名册记录."""
        return "党员名册记录" if self.roster else "台账记录"

    def files(self, records) -> str:
        """The records behind a count, as a reader of the message finds them."""
        folder = f"data/records/{records.year}/"
        if self.roster:
            return folder + "roster.yaml（" + ("年末党员" if self.roster == "members" else "年内接收的预备党员") + "）"
        extra = []
        if self.host_role:
            extra.append(f"主持人为{self.host_role}")
        if self.tag:
            extra.append(f"标注“{self.tag}”")
        return f"{folder}*-{self.type}*.yaml" + (f"（{'，'.join(extra)}）" if extra else "")
