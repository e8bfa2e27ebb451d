"""The committee's own data: data/committee.yaml (name, branches, compared activities) and
data/reviews.yaml (述职评议). Checked like a branch's data: schemas/committee.schema.json and
schemas/reviews.schema.json, then cross-checks; every problem is a DataError, all raised together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros.core.errors import DataError, DataErrors, hint
from macros.core.reading import validate

COMMITTEE, REVIEWS = "data/committee.yaml", "data/reviews.yaml"


@dataclass(frozen=True)
class BranchEntry:
    slug: str
    name: str
    folder: Path


@dataclass(frozen=True)
class Review:
    """One secretary's 述职 and the committee's 评议."""

    year: int
    branch: str  # slug
    secretary: str
    date: str
    grade: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Committee:
    root: Path
    name: str
    sample: bool
    activities: tuple[str, ...]
    branches: tuple[BranchEntry, ...]
    reviews: tuple[Review, ...]

    def branch(self, slug: str) -> BranchEntry:
        return next(b for b in self.branches if b.slug == slug)

    def select(self, slugs: list[str]) -> list[BranchEntry]:
        """The branches named (BRANCHES=office,general), in the committee's order; unknown names refused."""
        known = {b.slug for b in self.branches}
        unknown = [s for s in slugs if s not in known]
        if unknown:
            problems = [DataError(COMMITTEE, 1, None, f"没有简称为 {s} 的党支部{hint(s, known)}") for s in unknown]
            raise DataErrors(problems, footer="BRANCHES 中的党支部简称应是 data/committee.yaml 中列出的。")
        return [b for b in self.branches if b.slug in slugs]

    def reviews_by_year(self) -> list[tuple[int, list[Review]]]:
        """Latest year first; within a year, in the committee's order of branches."""
        order = {b.slug: i for i, b in enumerate(self.branches)}
        years = sorted({r.year for r in self.reviews}, reverse=True)
        return [(y, sorted((r for r in self.reviews if r.year == y), key=lambda r: order[r.branch])) for y in years]


def _branches(doc, root: Path, errors: list, folders: bool) -> tuple[BranchEntry, ...]:
    entries, seen = [], {}
    for i, entry in enumerate(doc.data["branches"]):
        slug, line = entry["slug"], doc.line("branches", i, "slug")
        if slug in seen:
            errors.append(DataError(COMMITTEE, line, f"branches.{i}.slug",
                                    f"党支部简称 {slug} 重复（第 {seen[slug]} 行已有）"))
            continue
        seen[slug] = line
        folder = root / "branches" / slug
        if folders and not (folder / "mkdocs.yml").is_file():
            errors.append(DataError(COMMITTEE, line, f"branches.{i}.slug",
                                    f"党支部 {slug} 的目录 branches/{slug}/ 不存在或其中没有 mkdocs.yml"
                                    "（是 git 子模块时请先 git submodule update --init）"))
        entries.append(BranchEntry(slug, entry["name"], folder))
    return tuple(entries)


def _reviews(root: Path, slugs: set[str], errors: list) -> tuple[Review, ...]:
    path = root / REVIEWS
    if not path.exists():
        return ()
    doc = validate.load_checked(path, root, validate.schema("reviews"), errors)
    if doc is None:
        return ()
    found, seen = [], set()
    for i, entry in enumerate(doc.data["reviews"]):
        line = doc.line("reviews", i, "branch")
        if entry["branch"] not in slugs:
            unknown = f"述职评议的党支部 {entry['branch']} 不在 data/committee.yaml 中{hint(entry['branch'], slugs)}"
            errors.append(DataError(REVIEWS, line, f"reviews.{i}.branch", unknown))
            continue
        if (entry["year"], entry["branch"]) in seen:
            errors.append(DataError(REVIEWS, line, f"reviews.{i}.branch",
                                    f"{entry['year']} 年度 {entry['branch']} 的述职评议重复"))
            continue
        seen.add((entry["year"], entry["branch"]))
        found.append(Review(entry["year"], entry["branch"], entry["secretary"], entry["date"], entry["grade"],
                            tuple(entry.get("points", ()))))
    return tuple(found)


def load_committee(root: str | Path, folders: bool = True) -> Committee:
    """Read and check the committee repository at `root`; raises DataErrors listing every problem.
    folders=False: the branches' folders need not be there (the 汇总 job of a CI reads only outputs)."""
    root = Path(root).resolve()
    errors: list = []
    path = root / COMMITTEE
    if not path.is_file():
        raise DataErrors([DataError(COMMITTEE, 1, None, f"找不到 {COMMITTEE}：{root} 不是机关党委汇总的目录")])
    doc = validate.load_checked(path, root, validate.schema("committee"), errors)
    if doc is None:
        raise DataErrors(errors)
    branches = _branches(doc, root, errors, folders)
    reviews = _reviews(root, {b.slug for b in branches}, errors)
    if errors:
        raise DataErrors(errors)
    return Committee(root, doc.data["name"], bool(doc.data.get("sample")), tuple(doc.data["activities"]),
                     branches, reviews)
