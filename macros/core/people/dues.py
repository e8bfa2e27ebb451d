"""党费: the monthly ledger per member, computed from the bases and the proportion rules kept as data.

Data:
- data/people/rules.yaml `dues`: the proportion tables (在职 `working`, 离退休 `retired`), each a list
  of brackets `{up_to: 3000, rate: 0.005}` (up_to inclusive; the last without up_to), and its basis.
- data/people/<year>/dues.yaml: `bases` (each member's monthly base — 在职 税后工资收入 — from a month
  on) and `payments` by month (`2022-03: [{name, paid, date}]`).

A member owes a month when they belonged to the branch on some day of it, except the month they
moved in on a day other than the 1st (they paid it to the organisation they came from). The
amount due is the base times the rate of its bracket, rounded to the fen (half up). A payment is
补交 when its date is after the month, 预交 when before it. Amounts are Decimal throughout.
Pure data and functions; file reading is in macros/core/people/load.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from macros.core.people.dates import month_end

FEN = Decimal("0.01")
LATE, EARLY, ON_TIME = "补交", "预交", "按月"


@dataclass(frozen=True)
class Bracket:
    up_to: Decimal | None  # inclusive; None: no upper bound
    rate: Decimal


@dataclass(frozen=True)
class DuesRules:
    working: tuple[Bracket, ...]
    retired: tuple[Bracket, ...]
    basis: str = ""

    def rate(self, base: Decimal, retired: bool = False) -> Decimal:
        for bracket in self.retired if retired else self.working:
            if bracket.up_to is None or base <= bracket.up_to:
                return bracket.rate
        raise ValueError("比例表没有覆盖这个基数")  # the schema requires an open last bracket

    def due(self, base: Decimal, retired: bool = False) -> Decimal:
        return (base * self.rate(base, retired)).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Base:
    name: str
    start: tuple[int, int]  # (year, month) from which it applies
    amount: Decimal
    line: int = 1


@dataclass(frozen=True)
class Payment:
    name: str
    month: tuple[int, int]
    paid: Decimal
    day: date
    line: int = 1

    @property
    def kind(self) -> str:
        y, m = self.month
        if self.day > month_end(y, m):
            return LATE
        if self.day < date(y, m, 1):
            return EARLY
        return ON_TIME


@dataclass(frozen=True)
class YearDues:
    year: int
    bases: tuple[Base, ...]
    payments: tuple[Payment, ...]
    path: str = ""


@dataclass
class Cell:
    """One member's month."""

    month: int
    owed: bool
    base: Decimal | None = None
    rate: Decimal | None = None
    due: Decimal | None = None
    paid: Decimal = Decimal(0)
    payments: list[Payment] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({p.kind for p in self.payments} - {ON_TIME})

    @property
    def unpaid(self) -> bool:
        return self.owed and self.paid == 0

    @property
    def short(self) -> Decimal:
        return max(Decimal(0), (self.due or Decimal(0)) - self.paid) if self.owed else Decimal(0)


@dataclass
class MemberDues:
    name: str
    retired: bool
    cells: list[Cell]

    @property
    def due(self) -> Decimal:
        return sum((c.due or Decimal(0) for c in self.cells if c.owed), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((c.paid for c in self.cells), Decimal(0))


def owes(member, year: int, month: int) -> bool:
    first, last = date(year, month, 1), month_end(year, month)
    span = member.span(year)
    if span is None or span[1] < first or span[0] > last:
        return False
    moved_in = member.moved_in.date if member.moved_in else None
    return not (moved_in and first < moved_in <= last)


def base_for(bases: tuple[Base, ...], name: str, year: int, month: int) -> Base | None:
    usable = [b for b in bases if b.name == name and b.start <= (year, month)]
    return max(usable, key=lambda b: b.start) if usable else None


def ledger(roster, dues: YearDues, rules: DuesRules) -> list[MemberDues]:
    """Every member of the year with their twelve months (roster order)."""
    rows = []
    for m in roster:
        if m.span(dues.year) is None:
            continue
        cells = []
        for month in range(1, 13):
            cell = Cell(month, owes(m, dues.year, month))
            base = base_for(dues.bases, m.name, dues.year, month)
            if cell.owed and base is not None:
                cell.base, cell.rate = base.amount, rules.rate(base.amount, m.retired)
                cell.due = rules.due(base.amount, m.retired)
            cells.append(cell)
        for p in dues.payments:
            if p.name == m.name:
                cells[p.month[1] - 1].paid += p.paid
                cells[p.month[1] - 1].payments.append(p)
        rows.append(MemberDues(m.name, m.retired, cells))
    return rows


@dataclass(frozen=True)
class MonthTotal:
    month: int
    owing: int  # members who owe the month
    due: Decimal
    paid: Decimal
    unpaid: tuple[str, ...]  # names with nothing paid for it


def totals(rows: list[MemberDues]) -> list[MonthTotal]:
    found = []
    for month in range(1, 13):
        cells = [(r.name, r.cells[month - 1]) for r in rows]
        found.append(MonthTotal(
            month, sum(c.owed for _, c in cells), sum((c.due or Decimal(0) for _, c in cells if c.owed), Decimal(0)),
            sum((c.paid for _, c in cells), Decimal(0)), tuple(n for n, c in cells if c.unpaid)))
    return found


def unpaid_until(rows: list[MemberDues], year: int, as_of: date) -> list[tuple[str, int]]:
    """(name, month) owed and not paid, for the months up to the as-of month (all twelve for a past year)."""
    last = 12 if as_of.year > year else (as_of.month if as_of.year == year else 0)
    return [(r.name, c.month) for r in rows for c in r.cells if c.month <= last and c.unpaid]


def problems(roster, dues: YearDues) -> list[tuple[int, str, str]]:
    """Bases missing for an owed month; payments for a month not owed or by someone not in the roster."""
    found = []
    names = {m.name: m for m in roster}
    for m in roster:
        missing = [month for month in range(1, 13)
                   if owes(m, dues.year, month) and base_for(dues.bases, m.name, dues.year, month) is None]
        if missing:
            found.append((1, "bases", f"缺少 {m.name} {missing[0]}月起的党费基数（bases 中写 {{name: {m.name}, "
                                      f"from: {dues.year}-{missing[0]:02d}, base: 金额}}）"))
    for b in dues.bases:
        if b.name not in names:
            found.append((b.line, "bases", f"{b.name} 不在 {dues.year} 年党员名册中"))
    for p in dues.payments:
        member = names.get(p.name)
        if member is None:
            found.append((p.line, "payments", f"{p.name} 不在 {dues.year} 年党员名册中"))
        elif not owes(member, dues.year, p.month[1]):
            found.append((p.line, "payments", f"{p.name} {p.month[1]}月不在本支部交纳党费（见名册的转入、转出日期）"))
    return found
