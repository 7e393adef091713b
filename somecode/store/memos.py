"""Free memos: rows of the ``memos`` table.

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     memo_id = insert_memo(store, "project", "", "Started coding.", "nida")
>>> [row[1:4] for row in memo_rows(store)]
[('project', '', 'Started coding.')]
>>> store.close()
"""

from __future__ import annotations

from .connection import Store, now

__all__ = ["insert_memo", "get_memo", "update_memo", "delete_memo", "memo_rows", "rename_about", "MEMO_COLUMNS",
           "restore_memos"]

MEMO_COLUMNS = ("id", "about_kind", "about_id", "text", "by", "created", "modified")
_SELECT = "SELECT id, about_kind, about_id, text, author, created, modified FROM memos"


def insert_memo(store: Store, about_kind: str, about_id: str, text: str, by: str) -> int:
    """Store a new memo; return its id."""
    cursor = store.run("INSERT INTO memos (about_kind, about_id, text, author, created) VALUES (?, ?, ?, ?, ?)",
                       (about_kind, about_id, text, by, now()))
    return int(cursor.lastrowid)  # type: ignore[arg-type]


def get_memo(store: Store, memo_id: int) -> tuple | None:
    """One memo as ``(id, about_kind, about_id, text, by, created, modified)``, or ``None``."""
    return store.one(_SELECT + " WHERE id = ?", (memo_id,))


def update_memo(store: Store, memo_id: int, text: str) -> None:
    """A memo's new text; its creation time stays, its modified time is now."""
    store.run("UPDATE memos SET text = ?, modified = ? WHERE id = ?", (text, now(), memo_id))


def delete_memo(store: Store, memo_id: int) -> None:
    """Delete one memo (its text stays in the undo log of the operation that deletes it)."""
    store.run("DELETE FROM memos WHERE id = ?", (memo_id,))


def memo_rows(store: Store, about_kind: str | None = None, about_id: str | None = None) -> list[tuple]:
    """Memos (about one kind of thing, or one thing), oldest first, in :data:`MEMO_COLUMNS` order."""
    clauses, values = [], []
    if about_kind is not None:
        clauses.append("about_kind = ?")
        values.append(about_kind)
    if about_id is not None:
        clauses.append("about_id = ?")
        values.append(about_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return store.all(_SELECT + where + " ORDER BY created, id", values)


def rename_about(store: Store, about_kind: str, old: str, new: str) -> int:
    """Memos about ``old`` (a set that is renamed) are about ``new`` now; return how many."""
    return store.run("UPDATE memos SET about_id = ? WHERE about_kind = ? AND about_id = ?",
                     (new, about_kind, old)).rowcount


def restore_memos(store: Store, rows) -> None:
    """Memos read back from an exchange file, with their own authors and times:
    ``(about_kind, about_id, text, by, created, modified)`` each."""
    store.run_many("INSERT INTO memos (about_kind, about_id, text, author, created, modified) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [tuple(r) for r in rows])
