"""Codings that survive a corrected transcript: re-anchoring, and the orphans it refuses to guess.

When a source's text changes, each coding is placed again, in order of confidence:

1. ``unchanged``/``shifted``: every coded character survives the edit, contiguously, so the
   span moves with the text (a diff of the old and new text gives the position map);
2. ``moved``: the coded text occurs exactly once in the new text, and is either long enough to
   be distinctive (25 characters) or has the same context on both sides (a passage moved);
3. ``fuzzy``: the first and last coded characters survive and the text between them is still
   at least ``threshold`` similar (a typo fixed inside the passage);
4. otherwise ``orphaned``: the coding is kept in the orphans table with its old text and
   context, never guessed at.  :meth:`Project.orphans` lists them.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import store as db
from ..errors import NotFoundError, ValidationError
from ..model import Coding, Source
from ..store.orphans import ORPHAN_COLUMNS
from ..store.records import stored_id
from ..text import text_hash
from .codings import store_codings
from .history import operation
from .sources import register_informants, source

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["position_map", "reanchor", "update_source", "orphans", "reattach", "CONTEXT"]

CONTEXT = 30
DISTINCTIVE = 25  # characters: a passage at least this long, found exactly once, is itself

def position_map(old: str, new: str) -> np.ndarray:
    """For each character of ``old``, its position in ``new``, or -1 where it did not survive."""
    mapping = np.full(len(old), -1, dtype=np.int64)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if size:
            mapping[a:a + size] = np.arange(b, b + size)
    return mapping


def _context_matches(old: str, new: str, start: int, end: int, found: int) -> bool:
    before = old[max(0, start - CONTEXT):start]
    after = old[end:end + CONTEXT]
    length = end - start
    new_before = new[max(0, found - len(before)):found]
    new_after = new[found + length:found + length + len(after)]
    score = SequenceMatcher(None, before + "\0" + after, new_before + "\0" + new_after, autojunk=False).ratio()
    return score >= 0.8


Placement = tuple[int | None, int | None, str, float]


def reanchor(old: str, new: str, spans, threshold: float = 0.8, mapping=None) -> list[Placement]:
    """Place each ``(start, end)`` of ``old`` in ``new``: ``(new_start, new_end, method, score)``,
    with ``None`` positions for an orphan."""
    mapping = position_map(old, new) if mapping is None else mapping
    out: list[Placement] = []
    for start, end in spans:
        first, last = mapping[start], mapping[end - 1]
        inside = mapping[start:end]
        if (inside >= 0).all() and last - first == end - 1 - start:
            method = "unchanged" if first == start and len(old) == len(new) else "shifted"
            out.append((int(first), int(last) + 1, method, 1.0))
            continue
        piece = old[start:end]
        hits = _occurrences(new, piece)
        if len(hits) == 1 and (len(piece) >= DISTINCTIVE or _context_matches(old, new, start, end, hits[0])):
            out.append((hits[0], hits[0] + len(piece), "moved", 1.0))
            continue
        if first >= 0 and last >= 0 and last >= first:
            score = SequenceMatcher(None, piece, new[first:last + 1], autojunk=False).ratio()
            if score >= threshold:
                out.append((int(first), int(last) + 1, "fuzzy", round(score, 4)))
                continue
        out.append((None, None, "orphaned", 0.0))
    return out


def _occurrences(text: str, piece: str, limit: int = 2) -> list[int]:
    hits: list[int] = []
    at = text.find(piece)
    while at >= 0 and len(hits) < limit:
        hits.append(at)
        at = text.find(piece, at + 1)
    return hits


def update_source(project: Project, source_id: str, new, *, threshold: float = 0.8, by: str = "") -> pd.DataFrame:
    """Replace a source's text and re-anchor every coding on it, in one undoable operation.

    ``new`` is a :class:`~somecode.model.Source` with the same id, a path to read, or the new full
    file text (read as the source's format).  Returns the report: coding, code, coder, old span,
    new span, method, score, old and new text.
    """
    from ..sources import read_source
    from ..sources.transcript import parse_transcript

    old = source(project, source_id)
    if isinstance(new, Source):
        fresh = new
    elif isinstance(new, Path) or (isinstance(new, str) and "\n" not in new and Path(new).is_file()):
        fresh = read_source(new)
    else:
        fresh = parse_transcript(new, old.path or f"{source_id}.md")
    if isinstance(fresh, list) or fresh.id != source_id:
        raise ValidationError(f"the new version has id {getattr(fresh, 'id', '?')!r}, not {source_id!r}; "
                              "give it the same id (front matter 'id:')")
    fresh = replace(fresh, path=old.path if fresh.path is None else fresh.path)
    store = project.store
    records = db.codings.coding_records(store, source=source_id)
    placed = reanchor(old.text, fresh.text, [(c.start, c.end) for c in records], threshold)
    rows = []
    with operation(project, "update_source", {"source": source_id, "codings": len(records)}, by) as event:
        db.sources.replace_source(store, replace(fresh, id=source_id))
        register_informants(project, fresh)
        # two phases, so that a coding may move onto a span another one is leaving
        db.codings.shift_source_codings(store, source_id, _PARK)
        for coding, (start, end, method, score) in zip(records, placed):
            if start is None or end is None:
                _orphan(store, coding, old.text)
            elif _place(store, coding, start, end, fresh.text):
                method = f"{method}, merged with an identical coding"
            rows.append((coding.id, coding.code_id, coding.coder_id, coding.start, coding.end, start, end, method,
                         score, old.text[coding.start:coding.end], fresh.text[start:end] if start is not None else None))
        db.events.log(store, "update_source_report", {"event": event, "orphaned": sum(r[7] == "orphaned" for r in rows)})
    return pd.DataFrame(rows, columns=["coding", "code", "coder", "old_start", "old_end", "new_start", "new_end",
                                       "method", "score", "old_text", "new_text"])


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
