"""Codings that could not be placed again after their source changed: kept whole, by name.

>>> import tempfile, os
>>> from ..model import Coding
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     orphan_id = insert_orphan(store, Coding("d", 0, 5, "share", "nida", id=7), "Reels", "", " ramai")
>>> get_orphan(store, orphan_id).id, orphan_rows(store)[0][:3]
(7, (1, 7, 'd'))
>>> store.close()
"""

from __future__ import annotations

from ..model import Coding
from .connection import Store, now
from .records import coding_from_mapping, coding_to_mapping, from_json, to_json

__all__ = ["insert_orphan", "get_orphan", "orphan_rows", "delete_orphan", "count_orphans", "ORPHAN_COLUMNS"]

ORPHAN_COLUMNS = ("id", "coding", "source", "old_start", "old_end", "code", "coder", "old_text", "before",
                  "after", "orphaned")


def insert_orphan(store: Store, coding: Coding, old_text: str, before: str, after: str) -> int:
    """Keep a coding that lost its place, with its old text and context; return the orphan's id."""
    cursor = store.run(
        "INSERT INTO orphans (coding_id, source_id, old_start, old_end, code_id, coder_id, old_text, before, after, "
        "coding, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (coding.id, coding.source_id, coding.start, coding.end, coding.code_id, coding.coder_id, old_text, before,
         after, to_json(coding_to_mapping(coding)), now()))
    return int(cursor.lastrowid or 0)


def get_orphan(store: Store, orphan_id: int) -> Coding | None:
    """The coding an orphan keeps (every field, as it was stored)."""
    row = store.one("SELECT coding FROM orphans WHERE id = ?", (orphan_id,))
    return None if row is None else coding_from_mapping(from_json(row[0]))


def orphan_rows(store: Store) -> list[tuple]:
    """One row per orphan, in the order of :data:`ORPHAN_COLUMNS`."""
    return store.all("SELECT id, coding_id, source_id, old_start, old_end, code_id, coder_id, old_text, before, "
                     "after, orphaned FROM orphans ORDER BY id")


def delete_orphan(store: Store, orphan_id: int) -> None:
    store.run("DELETE FROM orphans WHERE id = ?", (orphan_id,))


def count_orphans(store: Store) -> int:
    return int(store.one("SELECT count(*) FROM orphans")[0])  # type: ignore[index]
