"""Reading the people's data once per build (called from macros/core/load.py), every problem a
`DataError(file, line, key, 中文)` joined to the run's list.

Files: data/people/rules.yaml (学时要求, 党费比例, 发展党员时间要求), and per year
data/people/<year>/training.yaml (个人培训学时), … The roster is the 台账's
(data/records/<year>/roster.yaml, macros/core/records/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from macros.core.errors import DataError, hint
from macros.core.people import appraisal as appr
from macros.core.people import development as dev
from macros.core.people import dues as dues_mod
from macros.core.people.dues import Base, Bracket, DuesRules, Payment, YearDues
from macros.core.people.study_hours import Requirement, StudyRules, Training
from macros.core.reading import validate

PEOPLE_DIR = ("data", "people")


@dataclass
class People:
    study: StudyRules | None = None
    training: dict[int, tuple[Training, ...]] = field(default_factory=dict)
    dues_rules: DuesRules | None = None
    dues: dict[int, YearDues] = field(default_factory=dict)
    development_rules: dev.DevelopmentRules | None = None
    development: tuple[dev.Person, ...] = ()
    development_path: str = ""
    appraisals: dict[int, appr.Appraisal] = field(default_factory=dict)  # by 年度
    rules_path: str = ""


def _folder(root: Path) -> Path:
    return Path(root).joinpath(*PEOPLE_DIR)


def member_problem(records, name: str, day: date | None) -> str | None:
    """Why a name cannot stand in a people file of that year on that day (None when it can)."""
    names = {m.name: m for m in records.roster}
    if name not in names:
        return f"{name} 不在 {records.year} 年党员名册中{hint(name, names)}"
    why = names[name].absence(day) if day else None
    return f"{name} 在 {day.isoformat()} 不属于本支部（{why}）" if why else None


def _study_rules(spec: dict) -> StudyRules:
    return StudyRules(
        {k: float(v) for k, v in spec["per_type"].items()},
        tuple(Requirement(r["from"], float(r["members"]), float(r["committee"]), r["basis"])
              for r in spec["requirements"]),
        bool(spec.get("prorate", False)), int(spec.get("remind_from_month", 10)))


def _training(root: Path, year: int, records, errors: list) -> tuple[Training, ...]:
    path = _folder(root) / str(year) / "training.yaml"
    if not path.exists():
        return ()
    doc = validate.load_checked(path, root, validate.schema("training"), errors)
    if doc is None:
        return ()
    found = []
    for n, c in enumerate(doc.data["courses"]):
        day = date.fromisoformat(c["date"])
        if day.year != year:
            errors.append(DataError(doc.path, doc.line("courses", n, "date"), "date",
                                    f"日期 {c['date']} 不在 {year} 年内"))
            continue
        problem = member_problem(records, c["name"], day) if records else f"{year} 年没有党员名册"
        if problem:
            errors.append(DataError(doc.path, doc.line("courses", n, "name"), "name", problem))
            continue
        found.append(Training(c["name"], day, c["topic"], float(c["hours"]), doc.line("courses", n)))
    return tuple(found)


def _money(value) -> Decimal:
    return Decimal(str(value))


def _brackets(spec: list) -> tuple[Bracket, ...]:
    return tuple(Bracket(_money(b["up_to"]) if "up_to" in b else None, _money(b["rate"])) for b in spec)


def _dues_rules(doc, errors: list) -> DuesRules:
    spec = doc.data["dues"]
    for table in ("working", "retired"):
        brackets = spec[table]
        limits = [b.get("up_to") for b in brackets]
        if limits[-1] is not None or None in limits[:-1] or limits[:-1] != sorted(limits[:-1]):
            errors.append(DataError(doc.path, doc.line("dues", table), table,
                                    "党费比例表应按基数从低到高排列，只有最后一档不写 up_to"))
    return DuesRules(_brackets(spec["working"]), _brackets(spec["retired"]), spec["basis"])


def _dues_entries(doc, year: int, errors: list) -> tuple[list[Base], list[Payment]]:
    def money(value, *where) -> Decimal:
        amount = _money(value)
        if amount.as_tuple().exponent < -2:
            errors.append(DataError(doc.path, doc.line(*where), where[-1], f"金额 {value} 最多写到分（两位小数）"))
        return amount.quantize(dues_mod.FEN)

    bases = []
    for n, b in enumerate(doc.data["bases"]):
        y, m = map(int, b["from"].split("-"))
        if y != year:
            errors.append(DataError(doc.path, doc.line("bases", n, "from"), "from",
                                    f"起用月份 {b['from']} 不在 {year} 年内（上一年的基数延续时写 from: {year}-01）"))
        bases.append(Base(b["name"], (y, m), money(b["base"], "bases", n, "base"), doc.line("bases", n)))
    payments = []
    for key, entries in doc.data["payments"].items():
        y, m = map(int, key.split("-"))
        if y != year:
            errors.append(DataError(doc.path, doc.line("payments", key), key, f"月份 {key} 不在 {year} 年内"))
            continue
        payments += [Payment(p["name"], (y, m), money(p["paid"], "payments", key, n, "paid"),
                             date.fromisoformat(p["date"]), doc.line("payments", key, n))
                     for n, p in enumerate(entries)]
    return bases, payments


def _dues(root: Path, year: int, records, errors: list) -> YearDues | None:
    path = _folder(root) / str(year) / "dues.yaml"
    if not path.exists():
        return None
    doc = validate.load_checked(path, root, validate.schema("dues"), errors)
    if doc is None:
        return None
    before = len(errors)
    bases, payments = _dues_entries(doc, year, errors)
    dues = YearDues(year, tuple(bases), tuple(payments), doc.path)
    if records is not None and len(errors) == before:
        for line, key, message in dues_mod.problems(records.roster, dues):
            errors.append(DataError(doc.path, line, key, message))
    return dues


def _development_rules(spec: dict) -> dev.DevelopmentRules:
    return dev.DevelopmentRules(
        tuple(dev.TimeRule(r["after"], r["before"], r.get("min_months"), r.get("max_months"), r["text"])
              for r in spec["rules"]),
        spec.get("review_months"), spec.get("review_text", ""), spec["basis"], spec.get("sponsors", 2),
        spec.get("remind_days", 45))


def _person_problems(person: dev.Person, records: dict) -> list[tuple[str, str]]:
    """Against the rosters: 培养联系人 and 入党介绍人 正式党员 of the branch on the day; the roster's
    入党、转正 dates the same as here (where that year's roster exists)."""
    found = []
    checks = [("contacts", person.contacts, person.on("activist"), "培养联系人"),
              ("sponsors", person.sponsors, person.on("admitted") or person.on("candidate"), "入党介绍人")]
    for key, names, day, label in checks:
        year = records.get(day.year) if day else None
        for name in names if year else ():
            member = next((m for m in year.roster if m.name == name), None)
            if member is None or not member.belongs(day):
                found.append((key, f"{person.name} 的{label} {name} 在 {day} 不是本支部党员（见 {day.year} 年名册）"))
            elif member.status_on(day) != "正式":
                found.append((key, f"{person.name} 的{label} {name} 在 {day} 还是预备党员，应由正式党员担任"))
    for stage, field_ in (("admitted", "joined"), ("confirmed", "confirmed")):
        day = person.on(stage)
        year = records.get(day.year) if day else None
        member = next((m for m in year.roster if m.name == person.name), None) if year else None
        if year is not None and (member is None or getattr(member, field_) != day):
            found.append((stage, f"{person.name}“{dev.STAGE_NAMES[stage]}”在 {day}，{day.year} 年名册应有此人且"
                                 f" {field_}: {day}"))
    return found


def _development(root: Path, records: dict, rules, errors: list) -> tuple[tuple[dev.Person, ...], str]:
    path = _folder(root) / "development.yaml"
    if not path.exists():
        return (), ""
    doc = validate.load_checked(path, root, validate.schema("development"), errors)
    if doc is None:
        return (), ""
    found, seen = [], set()
    for n, p in enumerate(doc.data["people"]):
        person = dev.Person(p["name"], {s: date.fromisoformat(p[s]) for s in dev.STAGES if s in p},
                            tuple(p.get("contacts") or ()), tuple(p.get("sponsors") or ()),
                            tuple(date.fromisoformat(d) for d in p.get("reviews") or ()), p.get("stopped"),
                            doc.line("people", n))
        if person.name in seen:
            errors.append(DataError(doc.path, doc.line("people", n, "name"), "name", f"{person.name} 重复"))
        seen.add(person.name)
        problems = (dev.problems(person, rules) if rules else []) + _person_problems(person, records)
        for key, message in problems:
            where = ("people", n, key) if key in p else ("people", n)
            errors.append(DataError(doc.path, doc.line(*where), key, message))
        found.append(person)
    return tuple(found), doc.path


def _meeting(records: dict, for_year: int, day: date | None, type_key: str, label: str, err) -> tuple:
    """The roster on the meeting's day, once its record is found in the 台账: in the folder of the
    year it is held for (年度) or of its date's year."""
    if day is None:
        return ()
    if records.get(for_year) is None and records.get(day.year) is None:
        return None  # a site without those years' 台账: nothing to check against
    for year in (records.get(for_year), records.get(day.year)):
        if year is not None and any(r.type == type_key and r.date == day
                                    for r in year.items + tuple(year.after_cutoff)):
            return (records.get(day.year) or year).on(day)
    err(f"台账中没有 {day} 的{label}记录（data/records/{for_year}/{day}-{type_key}.yaml）")
    return ()


def _appraisal(root: Path, year: int, records: dict, problem_ids, errors: list) -> appr.Appraisal | None:
    path = _folder(root) / str(year) / "appraisal.yaml"
    if not path.exists():
        return None
    doc = validate.load_checked(path, root, validate.schema("appraisal"), errors)
    if doc is None:
        return None
    data = doc.data
    rating, meeting = data.get("appraisal") or {}, data.get("life_meeting") or {}
    parse = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
    steps = {label: parse(rating[key]) for key, label in (("self_review", "自评"), ("peer_review", "互评"),
                                                          ("poll", "民主测评")) if key in rating}
    a = appr.Appraisal(
        year, parse(rating.get("date")), steps,
        tuple(appr.Rating(r["name"], r["grade"], dict(r.get("votes") or {}), r.get("reason"), r.get("follow_up"),
                          doc.line("appraisal", "ratings", n)) for n, r in enumerate(rating.get("ratings") or ())),
        parse(meeting.get("date")), meeting.get("theme"), tuple(meeting.get("topics") or ()),
        tuple(appr.Point(p["by"], p.get("to"), p["text"], p.get("problem"), doc.line("life_meeting", "points", n))
              for n, p in enumerate(meeting.get("points") or ())),
        doc.path)
    for key, day in (("appraisal", a.appraisal_day), ("life_meeting", a.meeting_day)):
        if day is not None and not year <= day.year <= year + 1:
            errors.append(DataError(doc.path, doc.line(key, "date"), "date",
                                    f"{year}年度的会议日期 {day} 应在 {year} 年或 {year + 1} 年"))
    before = len(errors)

    def err(key):
        return lambda message: errors.append(DataError(doc.path, doc.line(key, "date"), "date", message))

    rated_on = _meeting(records, year, a.appraisal_day, "appraisal", "民主评议党员", err("appraisal"))
    met_on = _meeting(records, year, a.meeting_day, "life_meeting", "组织生活会", err("life_meeting"))
    if len(errors) == before:
        ids = problem_ids(a.meeting_day.year) if a.meeting_day else None
        for line, key, message in appr.rating_problems(a, rated_on) if a.appraisal_day and rated_on is not None else ():
            errors.append(DataError(doc.path, line if line > 1 else doc.line("appraisal", "ratings"), key, message))
        for line, key, message in appr.point_problems(a, met_on or (), ids) if met_on is not None else ():
            errors.append(DataError(doc.path, line, key, message))
    return a


def _rules(root: Path, people: People, types: dict, errors: list) -> None:
    """data/people/rules.yaml: 学时, 党费 and 发展党员 rules."""
    rules_path = _folder(root) / "rules.yaml"
    if not rules_path.exists():
        return
    doc = validate.load_checked(rules_path, root, validate.schema("people_rules"), errors)
    if doc is None:
        return
    people.rules_path = doc.path
    if "development" in doc.data:
        people.development_rules = _development_rules(doc.data["development"])
    if "dues" in doc.data:
        people.dues_rules = _dues_rules(doc, errors)
    if "study_hours" in doc.data:
        people.study = _study_rules(doc.data["study_hours"])
        for key in doc.data["study_hours"]["per_type"]:
            if types and key not in types:
                errors.append(DataError(doc.path, doc.line("study_hours", "per_type", key), key,
                                        f"活动类型 {key} 不在 data/activity_types.yaml 中{hint(key, types)}"))


def _problem_ids(loops):
    def problem_ids(year: int) -> list[str] | None:
        """The problem ids of the 问题整改清单 of a year (the checklist whose `year` it is); None when no
        such list was loaded (then a point's problem is not checked: the list's own errors come first)."""
        for loop in (loops.years.values() if loops else ()):
            if loop.checklist is not None and loop.checklist.year == year:
                return [p.id for p in loop.checklist.problems]
        return None

    return problem_ids


def load_people(root: Path, records: dict, types: dict, errors: list, loops=None) -> People:
    """Everything under data/people/, checked against the rosters (records) and the 问题整改清单 (loops)."""
    root = Path(root)
    people = People()
    _rules(root, people, types, errors)
    people.development, people.development_path = _development(root, records, people.development_rules, errors)
    for folder in sorted(_folder(root).glob("[0-9][0-9][0-9][0-9]")):
        found = _appraisal(root, int(folder.name), records, _problem_ids(loops), errors)
        if found is not None:
            people.appraisals[found.year] = found
    for year in sorted(records):
        people.training[year] = _training(root, year, records[year], errors)
        dues = _dues(root, year, records[year], errors)
        if dues is not None:
            people.dues[year] = dues
    return people
