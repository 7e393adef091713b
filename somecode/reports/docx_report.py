"""Word documents a supervisor can read: the coded passages by code, and the codebook.

Headings follow the codebook (a top-level code is a Heading 1, its sub-codes Heading 2, and so on),
in codebook order.  Under each code of the passages report come the memos about the code, then its
passages, each with where it is (source, informant, speaker, turn and its time, character offsets,
coder), the passage verbatim and its memo.  Then come the sources and the cases (informants), each
with the memos about it, the sets with theirs, the research journal (the project's memos, dated,
with their author) and any memo about something no longer in the project.  The codebook document
gives each code's labels, definition, rules, examples, memos and counts, and ends with the counts
per code and the themes by informant.  Both are written with python-docx
and are byte-for-byte the same for the same project.

>>> import somecode, tempfile, os, docx
>>> folder = tempfile.mkdtemp()
>>> p = somecode.Project.create(os.path.join(folder, "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: Reels ramai.", kind="interview",
...                  turns=[somecode.Turn(5, 17, "Ani", "ani")]))
>>> _ = p.add_codes([somecode.Code("optimize", label="Optimize"), somecode.Code("share", label="Share")])
>>> _ = p.code("ani", 5, 10, "optimize", coder="nida", memo="reels")
>>> path = write_docx_report(p, os.path.join(folder, "passages.docx"))
>>> document = docx.Document(str(path))
>>> [x.text for x in document.paragraphs if x.style.name == "Heading 1"]
['Optimize (optimize)', 'Share (share)', 'Sources', 'Cases', 'Sets', 'Research journal']
>>> [x.text for x in document.paragraphs if x.style.name == "Quote"]
['Reels']
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .content import (
    atomic_write,
    check_options,
    code_counts,
    code_heading,
    count_line,
    informant_table,
    memo_byline,
    report_memos,
    report_passages,
    scope_line,
    set_rows,
    source_rows,
    table_rows,
    unplaced_memos,
    xml_safe,
)

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["write_docx_report", "write_codebook_docx"]

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # every zip member's time: the same project, the same bytes


def write_docx_report(project: Project, path, *, coders=None, status: str | None = "accepted",
                      language: str | None = None) -> Path:
    """Write the coded passages by code as a Word document at ``path``; return the path.

    ``coders`` (an id or a list; default every coder) and ``status`` (``"accepted"`` by default,
    ``None`` for all) choose the codings, as in :func:`~somecode.codings_frame`; ``language`` the
    labels' language (default the codebook's first).  A code without passages keeps its heading.
    Free memos (:meth:`~somecode.project.Project.memos`) are shown with what they are about: under
    the code's heading, beside the source, case or set in the lists after the codes, and the
    project's own in a "Research journal" section.
    """
    language = check_options(project, coders, status, language)
    passages = report_passages(project, coders=coders, status=status)
    counts = code_counts(project, passages=passages)
    book = project.codebook()
    document = _document(f"Coded passages: {book.title or book.name or project.path.stem}",
                         scope_line(project, coders, status))
    memos = report_memos(project)
    by_code = {code: group for code, group in passages.groupby(passages["code"].astype(object), observed=True)}
    for code in book:
        document.add_heading(xml_safe(code_heading(code, language)), level=min(9, 1 + book.depth(code.id)))
        document.add_paragraph(count_line(counts.loc[code.id], bool(book.children(code.id))))
        _memos(document, memos["code"].get(code.id, []))
        for row in by_code.get(code.id, passages.iloc[:0]).to_dict("records"):
            document.add_paragraph(xml_safe(row["where"]), style="Caption")
            document.add_paragraph(xml_safe(row["text"]), style="Quote")
            if isinstance(row["memo"], str) and row["memo"]:
                _field(document, "Memo", row["memo"])
    _lists(document, project, passages, memos)
    return _save(document, path)


def _lists(document, project: Project, passages: pd.DataFrame, memos: dict) -> None:
    """The sources, cases and sets, each with its memos; the research journal; memos left over."""
    document.add_heading("Sources", level=1)
    for row in source_rows(project, passages):
        who = f"; informants {row['informants']}" if row["informants"] else ""
        _field(document, row["source"], f"{row['title']} ({row['kind']}{who}; {row['units']} units; "
                                         f"{row['coded passages']} coded passages)")
        _memos(document, memos["source"].get(row["source"], []))
    document.add_heading("Cases", level=1)
    people = project.informants()
    if not people:
        document.add_paragraph("No cases.")
    for person in people:
        attrs = ", ".join(f"{key} {value}" for key, value in sorted(person.attrs.items()))
        _field(document, f"{person.name} ({person.id})" if person.name != person.id else person.id,
               attrs or "no attributes")
        _memos(document, memos["case"].get(person.id, []))
    document.add_heading("Sets", level=1)
    sets = set_rows(project)
    if not sets:
        document.add_paragraph("No sets.")
    for name, held in sets:
        _field(document, name, held)
        _memos(document, memos["set"].get(name, []))
    document.add_heading("Research journal", level=1)
    journal = memos["project"].get("", [])
    if not journal:
        document.add_paragraph("No journal entries.")
    for memo in journal:
        _field(document, memo_byline(memo), memo["text"])
    others = unplaced_memos(project, memos)
    if others:
        document.add_heading("Memos about what is no longer in the project", level=1)
        for memo in others:
            _field(document, f"Memo about the {memo['about_kind']} {memo['about_id']} ({memo_byline(memo)})",
                   memo["text"])


def _memos(document, found: list[dict]) -> None:
    for memo in found:
        _field(document, f"Memo ({memo_byline(memo)})", memo["text"])


def write_codebook_docx(project: Project, path, *, coders=None, status: str | None = "accepted",
                        language: str | None = None) -> Path:
    """Write the project's codebook as a Word document at ``path``; return the path.

    Each code, under a heading at its depth: its labels in every language, colour, definition,
    include and exclude rules, cited examples, the memos about it, and how many passages it has (its own, with its
    sub-codes, in how many sources and from how many informants).  Then two tables: the counts per
    code, and the themes by informant with totals (:func:`~somecode.theme_by_informant`).
    Options as in :func:`write_docx_report`.
    """
    language = check_options(project, coders, status, language)
    counts = code_counts(project, coders=coders, status=status)
    memos = report_memos(project)
    book = project.codebook()
    document = _document(book.title or book.name or "Codebook", scope_line(project, coders, status))
    if book.description:
        document.add_paragraph(xml_safe(book.description))
    for code in book:
        document.add_heading(xml_safe(code_heading(code, language)), level=min(9, 1 + book.depth(code.id)))
        labels = " / ".join(f"{code.labels[lang]} ({lang})" for lang in book.languages if code.labels.get(lang))
        fields = [("Labels", labels), ("Colour", code.color or ""), ("Definition", code.definition),
                  ("Include", code.include), ("Exclude", code.exclude)]
        for name, value in fields:
            if value:
                _field(document, name, value)
        for example in code.examples:
            cite = f" ({example['source']})" if example.get("source") else ""
            document.add_paragraph(xml_safe(f"“{example.get('quote', '')}”{cite}"), style="Quote")
        _memos(document, memos["code"].get(code.id, []))
        _field(document, "Coded passages", count_line(counts.loc[code.id], bool(book.children(code.id))))
    document.add_heading("Coded passages per code", level=1)
    named = counts.rename(index={c.id: code_heading(c, language) for c in book}).rename(columns={
        "codings": "passages", "with_subcodes": "with sub-codes"})
    _table(document, named.rename_axis("code"))
    document.add_heading("Themes by informant", level=1)
    document.add_paragraph("Coded passages per theme and informant (theme_by_informant, with totals); "
                           "passages in documents or in an interviewer's turns belong to no informant.")
    _table(document, informant_table(project, coders=coders, status=status))
    return _save(document, path)


def _document(title: str, scope: str):
    import docx

    document = docx.Document()
    document.add_heading(xml_safe(title), level=0)
    document.add_paragraph(xml_safe(scope))
    return document


def _field(document, name: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(xml_safe(f"{name}: ")).bold = True
    paragraph.add_run(xml_safe(value))


def _table(document, frame: pd.DataFrame) -> None:
    header, rows = table_rows(frame)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            table.cell(r, c).text = xml_safe(value)
            if r == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True


def _save(document, path) -> Path:
    raw = io.BytesIO()
    document.save(raw)
    return atomic_write(path, lambda partial: partial.write_bytes(_without_clock(raw.getvalue())))


def _without_clock(data: bytes) -> bytes:
    """The package with every zip member dated :data:`_FIXED_TIME` (python-docx stamps the save time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read(member))
    return out.getvalue()
