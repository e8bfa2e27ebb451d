"""校对提示: editor's notes on apparent slips of the issued report, beside the paragraph they concern.

The report text stays exactly as issued; data/<year>/proofreading.yaml lists each slip (the page,
a quote from the issued text, the note). Before a section page's macros run, `place` puts a
`{{ proofreading_note(n) }}` call after the paragraph holding the quote; the macro renders the
note as an editor's note. The 全文 page includes its sections' source text, never these calls,
so the notes stay out of the 全文 and of the .docx/.txt made from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.errors import DataError

CALL = "{{{{ proofreading_note({}) }}}}"


@dataclass(frozen=True)
class Note:
    page: str  # relative to docs/<year>/
    quote: str
    note: str
    line: int


def notes_from_doc(doc) -> list[Note]:
    return [Note(n["page"], n["quote"], n["note"], doc.line("notes", i)) for i, n in enumerate(doc.data["notes"])]


def check(doc, notes: list[Note], year_docs) -> list[DataError]:
    """Each note's page exists and its quote occurs exactly once in the page's text."""
    errors = []
    for i, note in enumerate(notes):
        path = year_docs / note.page
        where = doc.line("notes", i, "quote")
        if not path.is_file():
            errors.append(DataError(doc.path, doc.line("notes", i, "page"), note.page,
                                    f"校对提示的页面 {note.page} 不存在"))
            continue
        count = path.read_text("utf-8").count(note.quote)
        if count != 1:
            found = "找不到" if not count else f"出现了 {count} 次"
            errors.append(DataError(doc.path, where, note.quote,
                                    f"校对提示引用的原文“{note.quote}”在 {note.page} 中{found}；"
                                    "请引用只出现一次的一段原文"))
    return errors


def place(markdown: str, notes: list[tuple[int, Note]]) -> str:
    """The page's Markdown with a note call after each paragraph that holds a note's quote.

    `notes` pairs each note with its number in the year's list (the macro's argument). A
    paragraph is a run of non-blank lines; several notes on one paragraph keep their order.
    """
    if not notes:
        return markdown
    paragraphs = markdown.split("\n\n")
    after: dict[int, list[int]] = {}
    for number, note in notes:
        for index, paragraph in enumerate(paragraphs):
            if note.quote in paragraph:
                after.setdefault(index, []).append(number)
                break
    out = []
    for index, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        out.extend(CALL.format(number) for number in after.get(index, []))
    return "\n\n".join(out)
