"""Free memos: notes on the project, a source, a code, a case (informant) or a set, each with its
author and time; the research journal is the project's own memos, in the order written.

(A coding's memo is part of the coding: :meth:`Project.set_memo`.)  Every write is one undoable
operation; an edit keeps the memo's creation time and records when it was modified.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_code("optimize")
>>> first = p.add_journal_entry("Began open coding.", by="nida")
>>> memo = p.add_memo("Reels carry most of it.", kind="code", about="optimize", by="nida")
>>> p.edit_memo(memo, "Reels and KOLs carry most of it.", by="nida")
>>> p.memos(kind="code")[["about_kind", "about_id", "text", "by"]].values.tolist()
[['code', 'optimize', 'Reels and KOLs carry most of it.', 'nida']]
>>> p.memos(contains="open coding")["id"].tolist() == [first]
True
>>> p.journal()["text"].tolist()
['Began open coding.']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from .. import store as db
from ..errors import NotFoundError, ValidationError
from ..vocabulary import check_choice, unknown
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["add_memo", "edit_memo", "delete_memo", "memos", "journal", "add_journal_entry", "MEMO_KINDS",
           "MEMO_COLUMNS"]

MEMO_KINDS = ("project", "source", "code", "case", "set")
MEMO_COLUMNS = list(db.memos.MEMO_COLUMNS)


def _things(project: Project, kind: str) -> list[str]:
    """The ids a memo of ``kind`` may be about."""
    if kind == "source":
        return project.source_ids()
    if kind == "code":
        return project.code_ids()
    if kind == "case":
        return [i.id for i in project.informants()]
    if kind == "set":
        return [name for name, *_ in db.sets.set_rows(project.store)]
    return []


def _about(project: Project, kind: str | None, about: str | None) -> tuple[str, str]:
    """``(kind, id)`` a new memo is about: checked, and the kind found from the id when it is left out."""
    if kind is not None:
        check_choice("kind", kind, MEMO_KINDS)
    if about is None:
        if kind not in (None, "project"):
            raise ValidationError(f"a memo about a {kind} needs about= (the {kind}'s id)")
        return "project", ""
    if kind == "project":
        raise ValidationError(f"a memo about the project is about nothing else: leave about={about!r} out, "
                              "or give the kind of thing it is about (kind='source', 'code', 'case' or 'set')")
    if kind is not None:
        known = _things(project, kind)
        if about not in known:
            raise unknown("case (informant)" if kind == "case" else kind, about, known)
        return kind, about
    found = [k for k in MEMO_KINDS[1:] if about in _things(project, k)]
    if len(found) == 1:
        return found[0], about
    if not found:
        raise NotFoundError(f"a memo about {about!r}: no source, code, case or set has that id; give its id "
                            "(and kind= 'source', 'code', 'case' or 'set')")
    raise ValidationError(f"a memo about {about!r}: that id names a {' and a '.join(found)}; say which with "
                          f"kind={found[0]!r} (or {', '.join(map(repr, found[1:]))})")


def _text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(f"a memo needs some text, not {text!r}")
    return text


def add_memo(project: Project, text: str, *, kind: str | None = None, about: str | None = None,
             by: str = "") -> int:
    """Write a memo about the project (the default), or about a source, code, case (informant id) or
    set: ``about`` is its id, ``kind`` says which of these it is (needed only when the id names
    more than one).  Returns the memo's id.  One undoable operation."""
    kind, about = _about(project, kind, about)
    _text(text)
    with operation(project, "add_memo", {"kind": kind, "about": about}, by):
        return db.memos.insert_memo(project.store, kind, about, text, by)


def add_journal_entry(project: Project, text: str, *, by: str = "") -> int:
    """One dated entry of the research journal (a memo about the project); returns its id."""
    return add_memo(project, text, kind="project", by=by)


def _memo(project: Project, memo_id: int) -> tuple:
    found = db.memos.get_memo(project.store, memo_id)
    if found is None:
        raise unknown("memo", memo_id, [r[0] for r in db.memos.memo_rows(project.store)])
    return found


def edit_memo(project: Project, memo_id: int, text: str, *, by: str = "") -> None:
    """Give a memo new text: it keeps its creation time and author; ``modified`` is now.  Undoable."""
    old = _memo(project, memo_id)
    _text(text)
    if text == old[3]:
        return
    with operation(project, "edit_memo", {"memo": memo_id}, by):
        db.memos.update_memo(project.store, memo_id, text)


def delete_memo(project: Project, memo_id: int, *, by: str = "") -> None:
    """Delete a memo (its text stays in the log; undo puts it back)."""
    old = _memo(project, memo_id)
    with operation(project, "delete_memo", {"memo": memo_id, "kind": old[1], "about": old[2], "text": old[3]}, by):
        db.memos.delete_memo(project.store, memo_id)


def memos(project: Project, *, about: str | None = None, kind: str | None = None, contains: str | None = None,
          regex: bool = False, by: str | None = None) -> pd.DataFrame:
    """Memos, oldest first: columns id, about_kind, about_id, text, by, created, modified
    (``None`` until edited; times are UTC, ISO 8601).

    Filters: ``kind`` (``project``, ``source``, ``code``, ``case``, ``set``), ``about`` (an id),
    ``by`` (the author), ``contains`` (text in the memo, ignoring case; a regular expression with
    ``regex=True``).  A memo about something deleted since stays, and is listed.
    """
    if kind is not None:
        check_choice("kind", kind, MEMO_KINDS)
    rows = db.memos.memo_rows(project.store, kind, about)
    frame = pd.DataFrame(rows, columns=MEMO_COLUMNS)
    frame["modified"] = pd.Series([r[-1] for r in rows], index=frame.index, dtype=object)  # None until edited
    if by is not None:
        frame = frame[frame["by"] == by]
    if contains is not None:
        if not isinstance(contains, str):
            raise ValidationError(f"contains={contains!r}: give the text to look for in the memos")
        if regex:
            try:
                pattern = re.compile(contains, re.IGNORECASE)
            except re.error as err:
                raise ValidationError(f"contains={contains!r} is not a regular expression ({err}); pass "
                                      "regex=False to search for the text as written") from None
            keep = [pattern.search(t) is not None for t in frame["text"]]
        else:
            keep = [contains.casefold() in t.casefold() for t in frame["text"]]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]  # a mask: an empty list would pick columns
    return frame.reset_index(drop=True)


def journal(project: Project, *, by: str | None = None) -> pd.DataFrame:
    """The research journal: the memos about the project, in the order written, each with its ``date``
    (the UTC day it was written) first."""
    frame = memos(project, kind="project", by=by)
    frame.insert(0, "date", frame["created"].str.slice(0, 10))
    return frame
