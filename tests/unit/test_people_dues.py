"""党费 (issue 24.5): amounts due from the bases and the proportion rules as data, the months a member owes on
the dated roster, 补交/预交, totals and who has not paid, 本月待办, and the masked pages (no name, base or amount)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macros.core.load import load_site
from macros.core.people import due, dues
from macros.core.people.dues import Bracket, DuesRules
from macros.core.people.load import load_people
from macros.core.people.roster import Member, Transfer
from macros.core.records import model as rec
from macros.pages.context import BuildContext, Here
from macros.pages.people import PeopleRenderer

ROOT = Path(__file__).resolve().parents[2]
RULES = DuesRules(
    (Bracket(Decimal(3000), Decimal("0.005")), Bracket(Decimal(5000), Decimal("0.01")),
     Bracket(Decimal(10000), Decimal("0.015")), Bracket(None, Decimal("0.02"))),
    (Bracket(Decimal(5000), Decimal("0.005")), Bracket(None, Decimal("0.01"))))
ROSTER = """members:
  - {name: 张某某, role: 书记, status: 正式}
  - {name: 李某某, role: 党员, status: 正式, retired: true}
  - {name: 钱某某, role: 党员, status: 正式, moved_in: {date: 2022-03-15, from: 某某局党支部}}
  - {name: 孙某某, role: 党员, status: 正式, moved_out: {date: 2022-02-10, to: 某某街道党工委}}
"""
DUES = """bases:
  - {name: 张某某, from: 2022-01, base: 10000}
  - {name: 张某某, from: 2022-03, base: 10000.01}
  - {name: 李某某, from: 2022-01, base: 5000}
  - {name: 钱某某, from: 2022-04, base: 3000}
  - {name: 孙某某, from: 2022-01, base: 4000}
payments:
  2022-01:
    - {name: 张某某, paid: 150, date: 2022-01-10}
    - {name: 李某某, paid: 25, date: 2022-02-03}
    - {name: 孙某某, paid: 40, date: 2021-12-20}
  2022-02:
    - {name: 张某某, paid: 100, date: 2022-02-10}
"""


@pytest.mark.parametrize("base, retired, rate, amount", [
    (3000, False, "0.005", "15.00"), (3000.01, False, "0.01", "30.00"), (5000, False, "0.01", "50.00"),
    (10000, False, "0.015", "150.00"), (10001, False, "0.02", "200.02"), (5000, True, "0.005", "25.00"),
    (5001, True, "0.01", "50.01"), (1234.5, False, "0.005", "6.17"),  # 6.1725 rounds half up to the fen
])
def test_the_proportion_tables_give_each_bracket(base, retired, rate, amount):
    base = Decimal(str(base))
    assert RULES.rate(base, retired) == Decimal(rate)
    assert RULES.due(base, retired) == Decimal(amount)


@given(st.decimals(min_value=0, max_value=100000, places=2), st.decimals(min_value=0, max_value=100000, places=2))
def test_a_higher_base_never_pays_a_lower_rate_and_amounts_are_in_fen(a, b):
    low, high = sorted((a, b))
    assert RULES.rate(low) <= RULES.rate(high)
    assert RULES.due(high).as_tuple().exponent == -2
    assert abs(RULES.due(high) - high * RULES.rate(high)) <= Decimal("0.005")


@given(st.integers(min_value=1, max_value=12), st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31)))
def test_a_payment_is_late_after_its_month_early_before_it_and_on_time_within_it(month, day):
    kind = dues.Payment("甲", (2022, month), Decimal("10.00"), day).kind
    expected = ("补交" if (day.year, day.month) > (2022, month) else
                "预交" if (day.year, day.month) < (2022, month) else dues.ON_TIME)
    assert kind == expected


@given(st.dates(min_value=date(2022, 1, 1), max_value=date(2022, 12, 31)))
def test_a_member_moving_in_owes_from_the_next_whole_month_and_moving_out_owes_that_month(day):
    came = Member("甲", "党员", None, "正式", moved_in=Transfer(day, "某单位"))
    left = Member("乙", "党员", None, "正式", moved_out=Transfer(day, "某单位"))
    for month in range(1, 13):
        first = date(2022, month, 1)
        assert dues.owes(came, 2022, month) == (first >= day)
        assert dues.owes(left, 2022, month) == (first < day)


@pytest.fixture()
def project(tmp_path) -> Path:
    (tmp_path / "data/records/2022").mkdir(parents=True)
    (tmp_path / "data/people/2022").mkdir(parents=True)
    (tmp_path / "data/activity_types.yaml").write_text((ROOT / "data/activity_types.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "data/records/2022/roster.yaml").write_text(ROSTER, "utf-8")
    rules = (ROOT / "data/people/rules.yaml").read_text("utf-8")
    (tmp_path / "data/people/rules.yaml").write_text(rules, "utf-8")
    (tmp_path / "data/people/2022/dues.yaml").write_text(DUES, "utf-8")
    return tmp_path


def load(root: Path):
    errors: list = []
    types = rec.load_types(root, errors)
    records = {2022: rec.load_records(root, 2022, types, errors)}
    people = load_people(root, records, types, errors)
    return records[2022], people, [e.render() for e in errors]


def test_the_ledger_from_the_files(project):
    records, people, errors = load(project)
    assert errors == []
    rows = {r.name: r for r in dues.ledger(records.roster, people.dues[2022], people.dues_rules)}
    zhang = rows["张某某"].cells
    assert [c.due for c in zhang[:3]] == [Decimal("150.00"), Decimal("150.00"), Decimal("200.00")]
    assert zhang[1].short == Decimal("50.00") and not zhang[1].unpaid
    assert rows["李某某"].cells[0].kinds == ["补交"] and rows["李某某"].cells[0].due == Decimal("25.00")
    assert rows["孙某某"].cells[0].kinds == ["预交"]
    assert [c.owed for c in rows["钱某某"].cells[:4]] == [False, False, False, True]
    assert [c.owed for c in rows["孙某某"].cells[:3]] == [True, True, False]
    totals = dues.totals(list(rows.values()))
    assert (totals[0].owing, totals[0].due, totals[0].paid, totals[0].unpaid) == (
        3, Decimal("215.00"), Decimal("215.00"), ())
    assert dues.unpaid_until(list(rows.values()), 2022, date(2022, 2, 15)) == [("李某某", 2), ("孙某某", 2)]


@pytest.mark.parametrize("old, new, message", [
    ("  - {name: 钱某某, from: 2022-04, base: 3000}\n", "",
     "data/people/2022/dues.yaml:1: 缺少 钱某某 4月起的党费基数（bases 中写 {name: 钱某某, from: 2022-04, base: 金额}）"),
    ("    - {name: 张某某, paid: 100, date: 2022-02-10}", "    - {name: 钱某某, paid: 100, date: 2022-02-10}",
     "data/people/2022/dues.yaml:13: 钱某某 2月不在本支部交纳党费（见名册的转入、转出日期）"),
    ("paid: 150,", "paid: 150.005,", "data/people/2022/dues.yaml:9: 金额 150.005 最多写到分（两位小数）"),
    ("from: 2022-03, base", "from: 2023-03, base",
     "data/people/2022/dues.yaml:3: 起用月份 2023-03 不在 2022 年内（上一年的基数延续时写 from: 2022-01）"),
])
def test_dues_mistakes_are_named_with_file_and_line(project, old, new, message):
    path = project / "data/people/2022/dues.yaml"
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    _, _, errors = load(project)
    assert errors == [message]


def test_this_month_names_unpaid_dues(project):
    records, people, _ = load(project)

    class Data:
        pass

    data = Data()
    data.records, data.people = {2022: records}, people
    assert due.dues_due(records, people, date(2022, 3, 5)) == [
        due.Due("已逾期", "党费：2人次未交（2月）", "people/2022/dues.md", "未交"),
        due.Due("本月", "党费：3月尚有2名党员未交", "people/2022/dues.md", "未交"),
    ]


def amounts_and_bases() -> set[str]:
    found = set()
    for path in (ROOT / "data/people").glob("*/dues.yaml"):
        found |= {f"{Decimal(v):.2f}" for v in re.findall(r"(?:base|paid): ([\d.]+)", path.read_text("utf-8"))}
    return found


@pytest.mark.parametrize("ctx", [BuildContext(redacted=True), BuildContext(offline=True)], ids=["redacted", "offline"])
def test_the_masked_dues_pages_show_no_name_base_or_amount(ctx):
    data = load_site(ROOT)
    view = PeopleRenderer(data, ROOT / "docs", date(2023, 7, 31), True)
    names = {m.name for r in data.records.values() for m in r.roster}
    for year in (2022, 2023):
        for macro, page in ((view.dues, "dues.md"), (view.dues_notice, "dues-notice.md")):
            full = str(macro(Here(f"people/{year}/{page}", BuildContext())))
            html = str(macro(Here(f"people/{year}/{page}", ctx)))
            assert [a for a in amounts_and_bases() if a in full]  # the full build shows them
            assert not [a for a in amounts_and_bases() if a in html], page
            assert not [n for n in names if n in html], page
            assert "&#42;&#42;&#42;" in html
