"""Codings that survive a corrected source: re-anchoring, orphans, and undoing a correction.

:func:`update_source` replaces a source's text and places every coding again by the rules of
:mod:`.anchoring` (exact, or orphaned with its old text and context; never elsewhere).  Undoing the
correction out of order re-anchors codings made on the corrected text back onto the old one, or
orphans them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from .. import store as db
from ..errors import NotFoundError, SourceReadError, ValidationError
from ..model import Coding, Source
from ..store.orphans import ORPHAN_COLUMNS
from ..store.records import stored_id
from ..text import CONTROL, text_hash
from .anchoring import CONTEXT, position_map, reanchor
from .codings import store_codings
from .history import UNDOING, operation
from .sources import register_informants, source

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["position_map", "reanchor", "update_source", "orphans", "reattach", "CONTEXT"]


def update_source(project: Project, source_id: str, new: Source | str | Path | None = None, *,
                  text: str | None = None, threshold: float = 0.8, by: str = "") -> pd.DataFrame:
    """Replace a source's text and re-anchor every coding on it, in one undoable operation.

    ``new`` is a :class:`~somecode.model.Source` with the same id, or the path of the corrected
    file; or give the corrected file's whole text as ``text=`` (read as the source's format).
    Returns the report: coding, code, coder, old span, new span, method, score, old and new text.
    """
    old = source(project, source_id)
    fresh = _corrected(old, new, text)
    if fresh.id != source_id:
        raise ValidationError(f"the new version has id {fresh.id!r}, not {source_id!r}; "
                              "give it the same id (front matter 'id:')")
    fresh = replace(fresh, path=old.path if fresh.path is None else fresh.path)
    store = project.store
    records = db.codings.coding_records(store, source=source_id)
    placed = reanchor(old.text, fresh.text, [(c.start, c.end) for c in records], threshold,
                      old_turns=old.turns, new_turns=fresh.turns)
    with operation(project, "update_source", {"source": source_id, "codings": len(records)}, by) as event:
        db.sources.replace_source(store, fresh)
        register_informants(project, fresh)
        rows = _move_all(store, records, placed, old.text, fresh.text)
        db.events.log(store, "update_source_report", {"event": event, "orphaned": sum(r[7] == "orphaned" for r in rows)})
    return pd.DataFrame(rows, columns=["coding", "code", "coder", "old_start", "old_end", "new_start", "new_end",
                                       "method", "score", "old_text", "new_text"])


def _corrected(old: Source, new: Source | str | Path | None, text: str | None) -> Source:
    from ..sources import read_source
    from ..sources.transcript import parse_transcript

    if (new is None) == (text is None):
        raise ValidationError("give the corrected version once: a Source or a file path as the second argument, "
                              "or the corrected file's text as text=...")
    if isinstance(new, Source):
        _refuse_controls(new.text, new.path or "the new source")
        return new
    if text is not None:
        if not isinstance(text, str):
            raise ValidationError(f"text= must be the corrected file's text, not {type(text).__name__}")
        _refuse_controls(text, "text=")
        return parse_transcript(text, old.path or f"{old.id}.md")
    path = Path(new)  # type: ignore[arg-type]
    try:
        found = path.is_file()
    except OSError as err:  # a name too long for a path, for one
        raise SourceReadError(str(path)[:80], f"not a usable file path ({err.strerror})",
                              fix="to give the corrected text itself, call update_source(source_id, text=...)") from None
    if not found:
        raise SourceReadError(path, "no such file", fix="check the path; to give the corrected text itself, "
                              "call update_source(source_id, text=...)")
    return read_source(path)


def _refuse_controls(text: str, where: object) -> None:
    found = CONTROL.search(text)
    if found:
        raise SourceReadError(where, f"control character U+{ord(found.group()):04X} found: this is not text a "
                              "transcript holds", place=f"character {found.start()}",
                              fix="remove it from the corrected version")


def _move_all(store: db.Store, records: list[Coding], placed: list, old: str, new: str) -> list[tuple]:
    """Put every coding where it was placed (two phases, so one may move onto a span another is leaving)."""
    rows = []
    db.codings.shift_codings(store, [stored_id(c) for c in records], _PARK)
    for coding, (start, end, method, score) in zip(records, placed):
        if start is None or end is None:
            _orphan(store, coding, old)
        elif _place(store, coding, start, end, new):
            method = f"{method}, merged with an identical coding"
        rows.append((coding.id, coding.code_id, coding.coder_id, coding.start, coding.end, start, end, method,
                     score, old[coding.start:coding.end], new[start:end] if start is not None else None))
    return rows


def _undoing(project: Project, event: dict) -> Callable[[], None]:
    """Before a correction is undone: the codings made since on the corrected text (the correction did
    not touch them), to place back on the old text by the same rules, or orphan, once it is undone."""
    store = project.store
    corrected = source(project, event["payload"]["source"])
    own = db.undo.touched_rows(store, event["id"])
    later = [c for c in db.codings.coding_records(store, source=corrected.id) if ("codings", c.id) not in own]

    def finish() -> None:
        restored = source(project, corrected.id)
        placed = reanchor(corrected.text, restored.text, [(c.start, c.end) for c in later],
                          old_turns=corrected.turns, new_turns=restored.turns)
        _move_all(store, later, placed, corrected.text, restored.text)

    return finish


UNDOING["update_source"] = _undoing


def _orphan(store: db.Store, coding: Coding, text: str) -> None:
    db.orphans.insert_orphan(store, coding, text[coding.start:coding.end], text[max(0, coding.start - CONTEXT):coding.start],
                             text[coding.end:coding.end + CONTEXT])
    db.notes.delete_stances(store, stored_id(coding))
    db.codings.delete_coding(store, stored_id(coding))


_PARK = 1 << 40


def _place(store: db.Store, coding: Coding, start: int, end: int, text: str) -> bool:
    """Move a coding to its new span; if an identical coding is already there, merge into it (memos
    kept) and return True."""
    twin = db.codings.find_coding(store, coding.source_id, start, end, coding.code_id, coding.coder_id)
    if twin is None:
        db.codings.set_coding_span(store, stored_id(coding), start, end, text_hash(text[start:end]))
        return False
    if coding.memo and coding.memo not in twin.memo:
        db.codings.set_coding_memo(store, stored_id(twin), "\n".join(filter(None, [twin.memo, coding.memo])))
    db.notes.move_stances(store, stored_id(coding), stored_id(twin))
    db.codings.delete_coding(store, stored_id(coding))
    return True


def orphans(project: Project) -> pd.DataFrame:
    """Codings that could not be placed in a changed source, with their old text and context."""
    return pd.DataFrame(db.orphans.orphan_rows(project.store), columns=list(ORPHAN_COLUMNS))


def reattach(project: Project, orphan_id: int, start: int, end: int, *, by: str = "") -> Coding:
    """Put an orphaned coding back at ``[start, end)`` of its source (chosen by a person)."""
    kept = db.orphans.get_orphan(project.store, orphan_id)
    if kept is None:
        raise NotFoundError(f"no orphan {orphan_id}; project.orphans() lists them")
    with operation(project, "reattach", {"orphan": orphan_id, "start": start, "end": end}, by):
        placed = replace(kept, start=start, end=end, text_hash=None, id=None)
        stored, _ = store_codings(project, [placed])
        db.orphans.delete_orphan(project.store, orphan_id)
    return stored[0]
