"""The codings of a project: coding, quotes, bulk loads, records and the long table."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from .. import store as db
from ..errors import NotFoundError, ValidationError
from ..model import Coding
from ..store.records import coding_to_mapping
from ..text import text_hash
from .codes import ensure_coder
from .history import operation
from .quotes import find_quote, nearest_match
from .sources import source

if TYPE_CHECKING:
    import pandas as pd

    from .facade import Project

__all__ = ["code", "add_codings", "store_codings", "find_coding", "code_quote", "locate_quote", "load_codings_csv",
           "coding_records", "delete_coding", "set_memo", "codings"]


def code(project: Project, source_id: str, start: int, end: int, code_id: str, *, coder: str | None = None,
         memo: str = "", origin: str = "manual", status: str = "accepted", created: str | None = None,
         evidence: dict | None = None) -> Coding:
    """Code ``[start, end)`` of a source; coding the same span again returns the first coding."""
    with operation(project, "code", {"source": source_id, "start": start, "end": end, "code": code_id},
                   coder or project.default_coder or ""):
        coding = Coding(source_id, start, end, code_id, ensure_coder(project, coder), origin, status, memo, created,
                        None, evidence)
        stored, _ = store_codings(project, [coding])
        return stored[0]


def add_codings(project: Project, codings: Iterable[Coding], *, by: str = "") -> int:
    """Store many codings in one transaction; return how many were new.

    Each is checked against its source's text, and every problem is
    reported at once (:class:`ValidationError`): nothing is stored unless
    all are valid.  A coding identical in span, code and coder to one
    stored already is not stored twice.
    """
    codings = list(codings)
    with operation(project, "add_codings", {"codings": len(codings)}, by):
        return store_codings(project, codings, found=False)[1]


def store_codings(project: Project, codings: list[Coding], *, found: bool = True) -> tuple[list[Coding], int]:
    """Check and store codings; return the stored records (when ``found``) and how many were new."""
    store = project.store
    texts = db.sources.source_texts(store, {c.source_id for c in codings})
    known_codes = set(db.codes.code_ids(store))
    for coder in {c.coder_id for c in codings}:
        ensure_coder(project, coder)
    stamp, rows, problems = db.now(), [], []
    for n, c in enumerate(codings):
        problem = _coding_problem(c, texts, known_codes)
        if problem:
            problems.append(f"coding {n} ({c.source_id} [{c.start}, {c.end}) {c.code_id}): {problem}")
            continue
        digest = text_hash(texts[c.source_id][c.start:c.end])
        if c.text_hash is not None and c.text_hash != digest:
            problems.append(f"coding {n}: text hash {c.text_hash} does not match the text "
                            f"at [{c.start}, {c.end}) (the source changed?)")
        rows.append(db.codings.coding_values(c, digest, stamp))
    if problems:
        raise ValidationError(f"{len(problems)} of {len(codings)} codings are not valid; "
                              "none was stored", problems)
    new = db.codings.insert_codings(store, rows)
    stored = [db.codings.find_coding(store, *row[:5]) for row in rows] if found else []
    return [c for c in stored if c is not None], new


def find_coding(project: Project, source_id: str, start: int, end: int, code_id: str,
                coder_id: str) -> Coding | None:
    """The stored coding with exactly this span, code and coder, or ``None``."""
    return db.codings.find_coding(project.store, source_id, start, end, code_id, coder_id)


def code_quote(project: Project, source_id: str, quote: str, code_id: str, *, coder: str | None = None,
               occurrence: int | None = None, memo: str = "", **fields) -> Coding:
    """Code the passage of a source that reads ``quote`` (white space is flexible).

    When the quote occurs more than once, ``occurrence`` (1 for the first)
    says which; a missing quote raises an error showing the nearest passage.
    """
    start, end = locate_quote(project, source_id, quote, occurrence)
    return code(project, source_id, start, end, code_id, coder=coder, memo=memo, **fields)


def locate_quote(project: Project, source_id: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """``(start, end)`` of ``quote`` in a source, or a :class:`ValidationError` saying why not."""
    text = source(project, source_id).text
    spans = find_quote(text, quote)
    short = quote if len(quote) <= 60 else quote[:57] + "..."
    if spans is None:
        near = nearest_match(text, quote)
        hint = (f"; nearest passage at [{near[0]}, {near[1]}): {near[2][:120]!r}" if near
                else "")
        raise ValidationError(f"quote {short!r} is not in source {source_id!r}{hint}")
    if occurrence is None and len(spans) > 1:
        raise ValidationError(f"quote {short!r} occurs {len(spans)} times in {source_id!r} "
                              f"(at {', '.join(str(s[0]) for s in spans)}); pass occurrence=1.."
                              f"{len(spans)} or quote a longer passage")
    index = (occurrence or 1) - 1
    if not 0 <= index < len(spans):
        raise ValidationError(f"quote {short!r} occurs {len(spans)} times in {source_id!r}; "
                              f"occurrence {occurrence} does not exist")
    return spans[index]


def load_codings_csv(project: Project, path, **options) -> list[Coding]:
    """Apply a ``source, quote, code, coder, memo`` CSV: every row, or none (see :mod:`.codings_csv`)."""
    from .codings_csv import load_codings_csv as load

    return load(project, path, **options)


def coding_records(project: Project, *, source: str | None = None, coder: str | None = None,
                   code: str | None = None) -> list[Coding]:
    """Stored codings as :class:`Coding` records, optionally filtered, in storage order."""
    return db.codings.coding_records(project.store, source=source, coder=coder, code=code)


def delete_coding(project: Project, coding_id: int, *, by: str = "") -> None:
    """Delete one coding (kept in the event log, so nothing is lost)."""
    coding = db.codings.get_coding(project.store, coding_id)
    if coding is None:
        raise NotFoundError(f"no coding with id {coding_id} in the project")
    with operation(project, "delete_coding", {"coding": coding_to_mapping(coding)}, by):
        db.notes.delete_stances(project.store, coding_id)
        db.codings.delete_coding(project.store, coding_id)


def set_memo(project: Project, coding_id: int, memo: str, *, by: str = "") -> Coding:
    """Give a coding a new memo (undoable); return the coding."""
    coding = db.codings.get_coding(project.store, coding_id)
    if coding is None:
        raise NotFoundError(f"no coding with id {coding_id} in the project")
    with operation(project, "set_memo", {"coding": coding_id, "old": coding.memo, "new": memo}, by):
        db.codings.set_coding_memo(project.store, coding_id, memo)
    return replace(coding, memo=memo)


def codings(project: Project, *, status: str | None = "accepted", **filters) -> pd.DataFrame:
    """The codings as the long table (see :func:`somecode.analysis.codings_frame`): like the
    analyses, accepted codings only unless ``status=`` says (``"suggested"``, ``"rejected"``, or
    ``None`` for every status)."""
    from ..analysis.frame import codings_frame

    return codings_frame(project, status=status, **filters)


def _coding_problem(c: Coding, texts: dict[str, str], codes: set[str]) -> str | None:
    if c.source_id not in texts:
        return f"no source {c.source_id!r} in the project"
    if c.end > len(texts[c.source_id]):
        return f"ends past the text of {c.source_id!r} ({len(texts[c.source_id])} characters)"
    if c.code_id not in codes:
        return f"no code {c.code_id!r} in the project"
    return None
