"""What every report shows, gathered once from the project: the passages of each code with where
they come from, the counts per code, the free memos by what they are about, the sources and sets,
and tables as rows of text.  The Word and HTML writers only lay this out.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: Reels ramai.", kind="interview",
...                  turns=[somecode.Turn(5, 17, "Ani", "ani", time_start=12.0)]))
>>> _ = p.add_codes([somecode.Code("optimize", label="Optimize"), somecode.Code("share", label="Share")])
>>> _ = p.code("ani", 5, 10, "optimize", coder="nida", memo="reels")
>>> row = report_passages(p).iloc[0]
>>> row["code"], row["text"]
('optimize', 'Reels')
>>> row["where"]
'source ani · informant Ani · speaker Ani · turn 1 at 0:00:12 · characters 5–10 · coder nida'
>>> code_counts(p).values.tolist()
[[1, 1, 1, 1], [0, 0, 0, 0]]
>>> _ = p.add_memo("Reels lead.", kind="code", about="optimize", by="nida")
>>> [m["text"] for m in report_memos(p)["code"]["optimize"]]
['Reels lead.']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from ..analysis import codings_frame, theme_by_informant
from ..errors import SomecodeError, ValidationError
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..project import Project

__all__ = ["report_path", "report_passages", "code_counts", "count_line", "scope_line", "informant_table", "table_rows",
           "code_heading", "clock", "xml_safe", "atomic_write", "check_options", "label_language",
           "report_memos", "memo_byline", "unplaced_memos", "source_rows", "SOURCE_COLUMNS", "set_rows"]

# characters XML 1.0 (and so Word) cannot hold; tab, newline and carriage return it can
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters an XML document cannot hold (a form feed, other control
    characters) shown as U+FFFD; everything else verbatim.

    >>> xml_safe("page\\x0cbreak")
    'page\\ufffdbreak'
    """
    return _NOT_XML.sub("\ufffd", text)


def clock(seconds: float | None) -> str:
    """A turn time as ``h:mm:ss`` (empty when there is none).

    >>> clock(3725.4), clock(None)
    ('1:02:05', '')
    """
    if seconds is None or seconds != seconds:
        return ""
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def check_options(project: Project, coders, status, language) -> str:
    """Check a report's shared options; return the label language to use (the codebook's first
    language when ``language`` is ``None``)."""
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, [coders] if isinstance(coders, str) else coders)
    return label_language(project.codebook(), language)


def label_language(book: Codebook, language: str | None) -> str:
    """The language code labels are shown in: ``language``, checked against the codebook's
    languages and those its codes have labels in."""
    languages = list(dict.fromkeys([*book.languages, *(lang for code in book for lang in code.labels)])) or ["en"]
    if language is None:
        return languages[0]
    return str(check_choice("language", language, languages))


def code_heading(code, language: str) -> str:
    """A code as a heading: its label in ``language`` and its id, ``Reach (engage.reach)``."""
    label = code.label_in(language)
    return label if label == code.id else f"{label} ({code.id})"


def report_passages(project: Project, *, coders=None, status: str | None = "accepted") -> pd.DataFrame:
    """The coded passages a report shows, in source order: the long table
    (:func:`~somecode.analysis.codings_frame`) with ``title`` (the source's title), the turn's
    times (``time_start``, ``time_end``, seconds) and ``where``, one line saying where the passage
    is (source, informant, speaker, turn and its time, character offsets, coder)."""
    frame = codings_frame(project, coders=coders, status=status)
    titles, starts, ends = {}, [], []
    turns = {}
    for source_id in frame["source"].astype(object).unique():
        source = project.source(source_id)
        titles[source_id] = source.title
        turns[source_id] = source.turns
    for source_id, turn in zip(frame["source"].astype(object), frame["turn"]):
        unit = None if pd.isna(turn) else turns[source_id][int(turn)]
        starts.append(None if unit is None else unit.time_start)
        ends.append(None if unit is None else unit.time_end)
    frame = frame.assign(title=frame["source"].astype(object).map(titles), time_start=starts, time_end=ends)
    frame["where"] = [_where(row) for row in frame.to_dict("records")]
    return frame


def _where(row: dict) -> str:
    parts = [f"source {row['source']}"]
    if isinstance(row["informant_name"], str):
        parts.append(f"informant {row['informant_name']}")
    elif row["kind"] == "document":
        parts.append("document" + (f" ({row['doc_type']})" if isinstance(row["doc_type"], str) else ""))
    if isinstance(row["speaker"], str):
        parts.append(f"speaker {row['speaker']}")
    if not pd.isna(row["turn"]):
        unit = "turn" if row["kind"] == "interview" else "paragraph"
        times = "–".join(t for t in (clock(row["time_start"]), clock(row["time_end"])) if t)
        parts.append(f"{unit} {int(row['turn']) + 1}" + (f" at {times}" if times else ""))
    parts.append(f"characters {row['start']}–{row['end']}")
    parts.append(f"coder {row['coder']}")
    return " · ".join(parts)


def code_counts(project: Project, *, coders=None, status: str | None = "accepted",
                passages: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per code, in codebook order: ``codings`` (the code's own coded passages),
    ``with_subcodes`` (its own and its sub-codes'), and the distinct ``sources`` and ``informants``
    of its own passages.  ``passages`` reuses a table from :func:`report_passages`."""
    frame = passages if passages is not None else codings_frame(project, coders=coders, status=status)
    book = project.codebook()
    codes = frame["code"].astype(object)
    own = {code: group for code, group in frame.groupby(codes, observed=True)}
    rows = []
    for code in book:
        group = own.get(code.id, frame.iloc[:0])
        family = {code.id, *book.descendants(code.id)}
        rows.append({"code": code.id, "codings": len(group), "with_subcodes": int(codes.isin(family).sum()),
                     "sources": group["source"].astype(object).nunique(),
                     "informants": group["informant"].astype(object).dropna().nunique()})
    columns = ["code", "codings", "with_subcodes", "sources", "informants"]
    return pd.DataFrame(rows, columns=columns).set_index("code")


def count_line(row, parent: bool) -> str:
    """One code's counts (a row of :func:`code_counts`) in words; ``parent``: it has sub-codes."""
    line = f"{row['codings']} coded passage{'' if row['codings'] == 1 else 's'}"
    if parent:
        line += f" ({row['with_subcodes']} with its sub-codes)"
    return line + f", in {row['sources']} source(s), from {row['informants']} informant(s)"


def scope_line(project: Project, coders, status) -> str:
    """Which codings a report shows, in words."""
    who = ("every coder" if coders is None else
           "coder " + ", ".join([coders] if isinstance(coders, str) else list(coders)))
    which = "every status" if status is None else f"{status} codings"
    return f"Project {project.path.name}: {which}, {who}."


def informant_table(project: Project, *, coders=None, status: str | None = "accepted") -> pd.DataFrame:
    """The table reports show: :func:`~somecode.theme_by_informant` with its totals."""
    return theme_by_informant(project, coders=coders, status=status, margins=True)


def table_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """A table as text: the header (index names, then the columns) and one list per row.

    >>> table_rows(pd.DataFrame({"Ani": [2]}, index=pd.Index(["share"], name="theme")))
    (['theme', 'Ani'], [['share', '2']])
    """
    names = [str(n) if n is not None else "" for n in table.index.names]
    header = names + [str(c) for c in table.columns]
    rows = []
    for key, values in zip(table.index, table.itertuples(index=False)):
        keys = list(key) if isinstance(key, tuple) else [key]
        rows.append([str(k) for k in keys] + [_cell(v) for v in values])
    return header, rows


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return str(value)


def report_memos(project: Project) -> dict[str, dict[str, list[dict]]]:
    """The free memos (:meth:`Project.memos`), oldest first, by what they are about: kind
    (``project``, ``source``, ``code``, ``case``, ``set``) -> id (``""`` for the project) -> the
    memos, each a dict of :data:`~somecode.project.memos.MEMO_COLUMNS`."""
    from ..project.memos import MEMO_KINDS

    found: dict[str, dict[str, list[dict]]] = {kind: {} for kind in MEMO_KINDS}
    for memo in project.memos().to_dict("records"):
        found.setdefault(memo["about_kind"], {}).setdefault(memo["about_id"], []).append(memo)
    return found


def memo_byline(memo: dict) -> str:
    """When a memo was written (the UTC day), by whom, and when it was last edited.

    >>> memo_byline({"created": "2024-05-01T10:00:00+00:00", "by": "nida", "modified": None})
    '2024-05-01, nida'
    >>> memo_byline({"created": "2024-05-01T10:00:00+00:00", "by": "", "modified": "2024-05-03T08:00:00+00:00"})
    '2024-05-01 (edited 2024-05-03)'
    """
    line = str(memo["created"])[:10]
    if isinstance(memo.get("by"), str) and memo["by"]:
        line += f", {memo['by']}"
    if isinstance(memo.get("modified"), str) and memo["modified"]:
        line += f" (edited {memo['modified'][:10]})"
    return line


def unplaced_memos(project: Project, memos: dict[str, dict[str, list[dict]]]) -> list[dict]:
    """The memos about a source, code, case or set that is no longer in the project (memos stay
    when what they are about is deleted): a report lists them on their own, never drops them."""
    present = {"source": set(project.source_ids()), "code": set(project.code_ids()),
               "case": {i.id for i in project.informants()}, "set": set(project.sets()["name"])}
    return [memo for kind, things in present.items() for about, found in memos.get(kind, {}).items()
            if about not in things for memo in found]


SOURCE_COLUMNS = ["source", "title", "kind", "informants", "units", "characters", "coded passages"]


def source_rows(project: Project, passages: pd.DataFrame) -> list[dict]:
    """One dict per source, in project order: :data:`SOURCE_COLUMNS` (``informants``: the
    informant ids of its turns, or the one its front matter names)."""
    coded = passages["source"].astype(object).value_counts()
    rows = []
    for source in project.sources():
        people = ", ".join(source.informants) or str(source.attrs.get("informant") or "")
        rows.append({"source": source.id, "title": source.title, "kind": source.kind, "informants": people,
                     "units": len(source.turns), "characters": len(source.text),
                     "coded passages": int(coded.get(source.id, 0))})
    return rows


def set_rows(project: Project) -> list[tuple[str, str]]:
    """Each set, by name, with what it holds in words: ``('wave 1', 'sources: ani, news')``, or for
    a query ``('staff', "cases where role == 'staff': ani, citra")`` (its members now)."""
    rows = []
    for row in project.sets().to_dict("records"):
        members = project.set_members(row["name"])
        kind = row["members"] + (f" where {row['query']}" if isinstance(row["query"], str) else "")
        rows.append((row["name"], f"{kind}: {', '.join(members) if members else 'none now'}"))
    return rows


def report_path(path) -> Path:
    """``path`` (text or a path-like object) as a :class:`Path`; anything else is a :class:`ValidationError`."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise ValidationError(f"path={path!r} is not a file name: give the report's path, such as 'report.docx'")
    return Path(path)


def atomic_write(path, write: Callable[[Path], object]) -> Path:
    """Write a file through ``path.partial``, renamed over ``path`` only once complete: a failure
    leaves neither a half-written report nor the partial file."""
    path = report_path(path)
    if path.is_dir():
        raise SomecodeError(f"{path}: is a folder; give a file name, such as {path / 'report.html'}")
    if not path.parent.is_dir():
        raise SomecodeError(f"{path}: the folder {path.parent} does not exist (fix: create it first, e.g. "
                            f"Path({str(path.parent)!r}).mkdir(parents=True), or write the report elsewhere)")
    partial = path.with_name(path.name + ".partial")
    try:
        write(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
