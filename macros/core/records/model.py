"""台账: the branch's activities as data (one small YAML file per meeting), read and checked once per build.

Files (see RECORDS.md for the design both records helpers code against):

- data/activity_types.yaml: the fixed set of activity types (name, frequency, who attends, rule);
- data/records/<year>/roster.yaml: the members that year (name, role, 党小组, 正式/预备);
- data/records/<year>/<YYYY-MM-DD>-<type>[-n].yaml: one activity each.

The records of a year live under data/records/, not data/<year>/: a year's 台账 is kept during
that year, long before its report (data/<year>/report.yaml) exists, and `make new-year` creates
data/<year>/ as a whole.

Any field of a record may be 待填 (a draft): it loads, the page shows 待填, and a strict build
refuses it (`unfilled`). Every problem is a `DataError(file, line, key, 中文)` appended to the
run's list, so all problems of a run are listed together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from macros.core import scan
from macros.core.chinese import chinese_date
from macros.core.errors import DataError, hint, printable
from macros.core.people import chair as chairing
from macros.core.people import roster as people
from macros.core.people.dates import parse as parse_date
from macros.core.people.roster import COMMITTEE_ROLES, Member, Transfer  # noqa: F401 (the 台账's API)
from macros.core.reading import validate
from macros.core.scan import unreadable

UNFILLED = "待填"
RECORDS_DIR = ("data", "records")
TYPES_FILE = ("data", "activity_types.yaml")
FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z][a-z0-9_]*?)(?:-(\d+))?\.yaml$")
FREQUENCY_NAMES = {"month": "每月", "quarter": "每季度", "year": "每年"}


@dataclass(frozen=True)
class ActivityType:
    key: str
    name: str
    frequency: str | None  # month | quarter | year | None
    attendance: str | None  # members | committee | group | pair | None
    rule: str | None = None  # a rule id of data/rules.yaml, when one governs this activity
    line: int = 1
    held_for_year: bool = False  # held for a year (2022年度组织生活会), possibly early the next year
    required: tuple[str, ...] = ()  # host / recorder: written on every record of the type
    chair: chairing.ChairRule | None = None  # who may chair (macros/core/people/chair.py)

    @property
    def frequency_name(self) -> str:
        return FREQUENCY_NAMES.get(self.frequency or "", "不定期")


@dataclass(frozen=True)
class Record:
    type: str
    date: date | None  # None: 待填
    topic: str | None
    host: str | None
    recorder: str | None
    absent: tuple[tuple[str, str], ...]  # (name, reason)
    decisions: tuple[str, ...]
    people: tuple[str, ...]
    evidence: str | None
    path: str  # data/records/2022/2022-03-15-committee_meeting.yaml
    line: int
    expected: int | None  # 应到, from the roster and the type's attendance
    present: int | None  # 实到 = 应到 − absent
    group: str | None = None  # group_meeting: which 党小组
    tags: tuple[str, ...] = ()  # e.g. 观看红色影片, for figures counting a kind of activity
    unfilled: tuple[str, ...] = ()  # keys written 待填
    for_year: int = 0  # the year it is held for (年度) = the year of its folder data/records/<year>/
    delegated: str | None = None  # why someone other than the chair chaired (chair.py)
    hours: float | None = None  # 学时 written on the record (macros/core/people/study_hours.py)
    late: date | None = None  # 印发后补录: entered on this day, after the year's report was issued
    late_line: int = 1

    @property
    def late_label(self) -> str:
        """印发后补录 (with the day it was entered), or "" for a record of the issued 台账."""
        return f"印发后补录（{chinese_date(self.late)}）" if self.late else ""

    @property
    def month(self) -> int | None:
        return self.date.month if self.date else None


@dataclass
class Records:
    """The 台账 of a year (data/records/<year>/: the records held for that year, 年度): `items` are
    those dated on or before its 统计截至 date `cutoff`, and everything that counts or ticks reads
    only them; `after_cutoff` are dated after it (the pages say how many, nothing counts them)."""

    year: int
    types: dict[str, ActivityType]
    roster: tuple[Member, ...]
    items: tuple[Record, ...]
    sample: bool = False  # the roster says `sample: true`: made-up people and activities
    roster_path: str = ""
    cutoff: date | None = None  # 统计截至: None until `settle` (then every record is counted)
    cutoff_given: bool = True  # False: the cut-off is the build date (no report gives one)
    after_cutoff: tuple[Record, ...] = ()
    leaders: dict[str, str] = field(default_factory=dict)  # 党小组 -> 组长

    def on(self, day: date) -> tuple[Member, ...]:
        """The roster on a day (macros/core/people/roster.py)."""
        return people.on(self.roster, day)

    @property
    def late(self) -> list[Record]:
        """The records entered after the year's report was issued (印发后补录)."""
        return [r for r in self.items if r.late is not None]

    def of_type(self, key) -> list[Record]:
        return [r for r in self.items if r.type == key]

    @property
    def groups(self) -> list[str]:
        return sorted({m.group for m in self.roster if m.group}, key=_group_order)

    @property
    def committee(self) -> list[Member]:
        return [m for m in self.roster if m.committee]

    def member(self, name: str) -> Member | None:
        return next((m for m in self.roster if m.name == name), None)

    def unfilled(self) -> list[DataError]:
        """One entry per record with 待填 fields (a strict build refuses them)."""
        found = []
        for record in self.items:
            if record.unfilled:
                name = self.types[record.type].name if record.type in self.types else record.type
                keys = "、".join(record.unfilled)
                found.append(DataError(record.path, record.line, record.unfilled[0],
                                       f"{name}记录的 {keys}：待填"))
        return found


def _group_order(name: str):
    digits = "一二三四五六七八九十"
    return (next((i for i, d in enumerate(digits) if d in name), 99), name)


def records_dir(root: Path, year: int) -> Path:
    """data/records/<year>/ under the project root (where the import writes its files)."""
    return Path(root).joinpath(*RECORDS_DIR, str(year))


def record_years(root: Path) -> list[int]:
    base = Path(root).joinpath(*RECORDS_DIR)
    if not base.is_dir():
        return []
    return sorted(int(p.name) for p in base.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def check_record_years(root: Path, data_years: list[int], errors: list) -> None:
    """Each folder of data/records/ is a year the site has (data/<year>/), the year after one (a year
    in progress, whose report does not exist yet) or the year before one (a 2021年度组织生活会 held in
    January 2022 lives in data/records/2021/), within the years of the site (macros/core/scan.py);
    anything else there is an error, as it is under data/ (data/1999 is refused)."""
    base = Path(root).joinpath(*RECORDS_DIR)
    if not base.is_dir():
        return
    known = sorted(data_years)
    allowed = {y + step for y in known for step in (-1, 0, 1)}
    for path in sorted(base.iterdir()):
        rel, name = path.relative_to(root).as_posix(), printable(path.name)
        if path.name.startswith("."):
            continue  # an import's staging folder (macros/commands/records_write.py), editors' files
        if not (path.is_dir() and re.fullmatch(r"\d{4}", path.name)):
            errors.append(DataError(rel, 1, None, f"data/records/ 中只能有年度目录（如 data/records/2023/），"
                                    f"{name} 不会被读取；请移走"))
        elif not scan.FIRST_YEAR <= int(path.name) <= scan.LAST_YEAR:
            errors.append(DataError(rel, 1, None,
                                    f"台账年度目录 {rel}/ 的年份不在 {scan.FIRST_YEAR}–{scan.LAST_YEAR} 年之间"))
        elif int(path.name) not in allowed:
            have, n = "、".join(map(str, known)) or "无", int(path.name)
            errors.append(DataError(rel, 1, None, f"有 {n} 年的台账，却没有该年度或相邻年度的数据目录"
                                    f"（data/{n - 1}/、data/{n}/ 或 data/{n + 1}/；现有年度：{have}）；请核对年份"))


def load_types(root: Path, errors: list) -> dict[str, ActivityType]:
    """data/activity_types.yaml ({} when absent: a site without 台账)."""
    root = Path(root)
    path = root.joinpath(*TYPES_FILE)
    if not path.exists():
        return {}
    doc = validate.load_checked(path, root, validate.schema("activity_types"), errors)
    if doc is None:
        return {}
    return {
        key: ActivityType(key, spec["name"], spec.get("frequency"), spec.get("attendance"), spec.get("rule"),
                          doc.line("types", key), bool(spec.get("held_for_year")), tuple(spec.get("required") or ()),
                          chairing.ChairRule.from_spec(spec.get("chair")))
        for key, spec in doc.data["types"].items()
    }


def _text(value) -> str | None:
    return None if value in (None, UNFILLED) else str(value)


def _transfer(spec: dict | None, other: str) -> Transfer | None:
    return Transfer(parse_date(spec["date"]), spec[other]) if spec else None


def _load_roster(path: Path, root: Path, year: int, errors: list) -> tuple[tuple[Member, ...], dict, object]:
    """The year's members (with their dates) and 党小组组长 (macros/core/people/roster.py)."""
    doc = validate.load_checked(path, root, validate.schema("roster"), errors)
    if doc is None:
        return (), {}, None
    members, seen = [], {}
    for n, m in enumerate(doc.data["members"]):
        line = doc.line("members", n, "name")
        hidden = INVISIBLE.search(m["name"])
        if hidden:
            errors.append(DataError(doc.path, line, "name", f"党员姓名“{printable(m['name'])}”含有看不见的字符"
                                    f"（U+{ord(hidden.group()):04X}）；请删去后重新输入姓名"))
            continue
        key = same_name(m["name"])
        if key in seen:
            earlier, at = seen[key]
            alike = "" if earlier == m["name"] else f"（与“{earlier}”只差全角/半角或空格，视为同一人）"
            errors.append(DataError(doc.path, line, "name", f"党员 {m['name']} 重复（第 {at} 行已有）{alike}"))
            continue
        seen[key] = (m["name"], line)
        members.append(Member(m["name"], m["role"], m.get("group"), m["status"], parse_date(m.get("joined")),
                              parse_date(m.get("confirmed")), _transfer(m.get("moved_in"), "from"),
                              _transfer(m.get("moved_out"), "to"), bool(m.get("retired")), line))
    leaders = {g["name"]: (g["leader"], doc.line("groups", n, "leader"))
               for n, g in enumerate(doc.data.get("groups") or ())}
    for line, key, message in people.check(members, year, leaders):
        errors.append(DataError(doc.path, line, key, message))
    return tuple(members), {g: leader for g, (leader, _) in leaders.items()}, doc


# In a name: format characters (zero-width space and joiners, direction marks, the BOM), controls,
# and the invisible fillers some input methods leave (U+3164 Hangul filler, U+2800 braille blank …).
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e"
                       "\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0]")


def same_name(name: str) -> str:
    """What two names written differently but read the same share: full-width and half-width
    forms (NFKC), spaces of any kind, and invisible characters all left out."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name) if not ch.isspace() and not INVISIBLE.match(ch))


def _expected(kind: ActivityType, roster, group: str | None) -> int | None:
    if kind.attendance == "members":
        return len(roster)
    if kind.attendance == "committee":
        return sum(1 for m in roster if m.committee)
    if kind.attendance == "group":
        return sum(1 for m in roster if m.group == group) if group else None
    return None


def _check_name(doc, data: dict, kind: ActivityType, year: int, day, err) -> None:
    """The file name says the record's date and type: 2022-03-15-committee_meeting.yaml."""
    name = Path(doc.path).name
    match = FILE_NAME.match(name)
    if match is None:
        err(None, f"文件名 {name} 应写成 日期-活动类型.yaml，如 {year}-03-15-{kind.key}.yaml", "type")
        return
    if match.group(2) != kind.key:
        err("type", f"文件名中的活动类型 {match.group(2)} 与内容 type: {kind.key} 不一致")
    if day is not None and match.group(1) != day.isoformat():
        err("date", f"文件名中的日期 {match.group(1)} 与内容 date: {day.isoformat()} 不一致")


def _listed(data: dict, key: str) -> list:
    value = data.get(key) or []
    return [] if value == UNFILLED else value


def _check_people(data: dict, year: int, names: dict, err, day: date | None = None) -> None:
    """Everyone a record names is in that year's roster, and belonged to the branch on its date."""

    def person(value, key, *where):
        if value in (None, UNFILLED) or not names:
            return
        if value not in names:
            err(key, f"{value} 不在 {year} 年党员名册中{hint(value, names)}", *(where or (key,)))
        elif day is not None and (why := names[value].absence(day)) is not None:
            err(key, f"{value} 在 {day.isoformat()} 不属于本支部（{why}），不能出现在这天的记录中", *(where or (key,)))

    person(data.get("host"), "host")
    person(data.get("recorder"), "recorder")
    for n, a in enumerate(_listed(data, "absent")):
        person(a["name"], "absent", "absent", n)
    for n, p in enumerate(_listed(data, "people")):
        person(p, "people", "people", n)


def _check_attendance(data: dict, kind: ActivityType, year: int, roster, err) -> None:
    """谈心谈话 names its two people; 党小组会 names a group of the roster."""
    people, group = _listed(data, "people"), data.get("group")
    if kind.attendance == "pair":
        if data.get("people") != UNFILLED and (len(people) != 2 or len(set(people)) != 2):
            err("people", f"{kind.name}应写明谈话双方两人（people: [甲, 乙]）")
    elif kind.attendance == "group":
        groups = {m.group for m in roster if m.group}
        if group is None:
            err("type", f"{kind.name}应写明党小组（group: 第一党小组）")
        elif group != UNFILLED and groups and group not in groups:
            err("group", f"党小组 {group} 不在 {year} 年党员名册中{hint(group, groups)}")


def _record(doc, year: int, types: dict, roster, names: dict, errors: list, leaders: dict | None = None
            ) -> Record | None:
    data, path = doc.data, doc.path
    before = len(errors)
    leaders = leaders or {}

    def err(key, message, *where):
        errors.append(DataError(path, doc.line(*(where or (key,))), key, message))

    kind = types.get(data["type"])
    if kind is None:
        err("type", f"活动类型 {data['type']} 不在 data/activity_types.yaml 中{hint(data['type'], types)}")
        return None
    day = None if data["date"] == UNFILLED else date.fromisoformat(data["date"])
    _check_name(doc, data, kind, year, day, err)
    _check_year(data, kind, day, year, err)
    _check_people(data, year, names, err, day)
    _check_attendance(data, kind, year, roster, err)
    if len(errors) == before:
        for key, message in chairing.check(kind.name, kind.chair, kind.required, data, names.get(data.get("host")),
                                           _text(data.get("group")), leaders, UNFILLED):
            err(key, message, key if key in data else ("host" if key == "delegated" and "host" in data else "type"))
    if len(errors) > before:
        return None
    unfilled = tuple(k for k, v in data.items() if v == UNFILLED)
    absent, group_name = _listed(data, "absent"), _text(data.get("group"))
    expected = _expected(kind, people.on(roster, day) if day else roster, group_name) if roster else None
    present = expected - len(absent) if expected is not None and data.get("absent") != UNFILLED else None
    return Record(
        type=kind.key, date=day, topic=_text(data.get("topic")), host=_text(data.get("host")),
        recorder=_text(data.get("recorder")),
        absent=tuple((a["name"], a.get("reason", "")) for a in absent),
        decisions=tuple(data.get("decisions") or ()) if data.get("decisions") != UNFILLED else (),
        people=tuple(_listed(data, "people")), evidence=_text(data.get("evidence")), path=path, line=1,
        expected=expected, present=present, group=group_name,
        tags=tuple(data.get("tags") or ()), unfilled=unfilled, for_year=year, delegated=_text(data.get("delegated")),
        hours=data.get("hours"),
        late=date.fromisoformat(data["late"]) if data.get("late") else None, late_line=doc.line("late"),
    )


def _check_year(data: dict, kind: ActivityType, day, year: int, err) -> None:
    """A record lives in the folder of the year it is held for (年度). That is its date's year,
    except for a type held for a year (`held_for_year`: 组织生活会, 民主评议党员), which may be held
    early the next year and then says so: 2022年度组织生活会 on 2023-02-10 is
    data/records/2022/2023-02-10-life_meeting.yaml with `for_year: 2022`."""
    given = data.get("for_year")
    if given is not None and not kind.held_for_year:
        err("for_year", f"{kind.name}按召开日期计入当年，不写年度 for_year（只有按年度召开的活动可写，"
                        "见 data/activity_types.yaml 的 held_for_year）")
        return
    if given is not None and given != year:
        err("for_year", f"年度 for_year: {given} 与所在文件夹不一致：{given}年度的{kind.name}记在 "
                        f"data/records/{given}/ 中")
        return
    if day is None or day.year == year:
        return
    if kind.held_for_year and day.year == year + 1:
        if given is None:
            err("date", f"日期 {day.isoformat()} 不在 {year} 年内；若这是{year}年度的{kind.name}（次年召开），"
                        f"请写 for_year: {year}；否则应放在 data/records/{day.year}/")
        return
    err("date", f"日期 {day.isoformat()} 不在 {year} 年内；台账按年度存放在 data/records/{year}/")


def _record_files(root: Path, folder: Path, errors: list) -> list[Path]:
    """The record files of a year's folder, in name order. Anything else there is an error rather
    than skipped: a record saved as .yml or .YAML, an editor's backup (2022-03-15-….yaml~), a folder."""
    locked = unreadable(root, [folder])
    if locked:
        errors.extend(locked)
        return []
    files = []
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(root).as_posix()
        if path.name == "roster.yaml":
            continue
        if path.name.endswith(".yaml") and path.is_file() and not path.name.startswith("."):
            files.append(path)
        elif path.is_dir():
            errors.append(DataError(rel, 1, None,
                                    "台账年度目录中不应有子目录：每次活动一个 .yaml 文件，直接放在年度目录中"))
        else:
            errors.append(DataError(rel, 1, None, f"台账年度目录中只能有记录文件（.yaml）和 roster.yaml，"
                                    f"{printable(path.name)} 不会被读取；记录文件请以 .yaml 结尾，其他文件请移走"))
    return files


def load_records(root: Path, year: int, types, errors: list, sample: bool = False) -> Records | None:
    """The records of one year (None when data/records/<year>/ does not exist)."""
    root = Path(root)
    folder = records_dir(root, year)
    if not folder.is_dir():
        return None
    roster_path = folder / "roster.yaml"
    roster, leaders, roster_doc = (), {}, None
    if roster_path.exists():
        roster, leaders, roster_doc = _load_roster(roster_path, root, year, errors)
    else:
        errors.append(DataError(folder.relative_to(root).as_posix() + "/roster.yaml", 1, None,
                                f"缺少 {year} 年党员名册 roster.yaml（应到人数和谈心谈话都以名册为准）"))
    names = {m.name: m for m in roster}
    schema = validate.schema("record")
    items = []
    seen: dict[str, str] = {}  # the record's content -> the first file holding it
    for path in _record_files(root, folder, errors):
        doc = validate.load_checked(path, root, schema, errors)
        if doc is None:
            continue
        same = seen.setdefault(repr(sorted(doc.data.items())), doc.path)
        if same != doc.path:
            errors.append(DataError(doc.path, 1, None, f"与 {same} 的内容完全相同：同一次活动只记一个文件；"
                                    "请删去其中一个（确是两次活动的，请写明各自的议题或时间）"))
            continue
        record = _record(doc, year, types, roster, names, errors, leaders)
        if record is not None:
            items.append(record)
    items.sort(key=lambda r: (r.date or date(year, 12, 31), r.path))
    sample = sample or bool(roster_doc and roster_doc.data.get("sample"))  # the 台账 says whether it is sample
    return Records(year, dict(types), roster, tuple(items), sample,
                   roster_doc.path if roster_doc else "", leaders=leaders)


def settle(records: dict[int, Records], cutoffs: dict[int, tuple[date, bool]]) -> None:
    """Cut each year's 台账 at its 统计截至 date: `cutoffs` gives (date, given) per year. Records
    dated after it move from `items` to `after_cutoff`; a 待填 date stays counted (a strict build
    refuses it anyway). Run once, after every year is loaded."""
    for number, year in records.items():
        cutoff, given = cutoffs[number]
        year.cutoff, year.cutoff_given = cutoff, given
        everything = year.items + year.after_cutoff
        year.items = tuple(r for r in everything if r.date is None or r.date <= cutoff)
        year.after_cutoff = tuple(r for r in everything if r.date is not None and r.date > cutoff)
