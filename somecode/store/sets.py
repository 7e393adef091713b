"""Named sets of sources or cases: rows of ``sets`` (name, what the members are, the query of a set
defined by case attributes) and ``set_members`` (the members of a static set, in order).

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     insert_set(store, "wave-1", "sources", None, ["ani", "budi"], "nida")
>>> get_set(store, "wave-1")
('wave-1', 'sources', None, ['ani', 'budi'])
>>> store.close()
"""

from __future__ import annotations

from typing import Sequence

from .connection import Store, now

__all__ = ["insert_set", "get_set", "set_rows", "delete_set", "rename_set", "remove_member"]


def insert_set(store: Store, name: str, members: str, query: str | None, ids: Sequence[str], by: str,
               created: str | None = None) -> None:
    """Store a set: ``members`` is ``'sources'`` or ``'cases'``; ``query`` an attribute query (then
    ``ids`` is empty) or ``None`` for a static list of ``ids``; ``created`` defaults to now."""
    set_id = store.run("INSERT INTO sets (name, members, query, author, created) VALUES (?, ?, ?, ?, ?)",
                       (name, members, query, by, created or now())).lastrowid
    store.run_many("INSERT INTO set_members (set_id, member, position) VALUES (?, ?, ?)",
                   [(set_id, member, n) for n, member in enumerate(ids)])


def get_set(store: Store, name: str) -> tuple[str, str, str | None, list[str]] | None:
    """``(name, members, query, ids)`` of one set, or ``None``."""
    row = store.one("SELECT id, name, members, query FROM sets WHERE name = ?", (name,))
    if row is None:
        return None
    ids = [r[0] for r in store.all("SELECT member FROM set_members WHERE set_id = ? ORDER BY position", (row[0],))]
    return row[1], row[2], row[3], ids


def set_rows(store: Store) -> list[tuple[str, str, str | None, list[str], str, str]]:
    """``(name, members, query, ids, author, created)`` of every set, by name."""
    out = []
    for set_id, name, members, query, author, created in store.all(
            "SELECT id, name, members, query, author, created FROM sets ORDER BY name"):
        ids = [r[0] for r in store.all("SELECT member FROM set_members WHERE set_id = ? ORDER BY position",
                                       (set_id,))]
        out.append((name, members, query, ids, author, created))
    return out


def delete_set(store: Store, name: str) -> None:
    """Delete a set and its member list."""
    store.run("DELETE FROM set_members WHERE set_id = (SELECT id FROM sets WHERE name = ?)", (name,))
    store.run("DELETE FROM sets WHERE name = ?", (name,))


def rename_set(store: Store, old: str, new: str) -> None:
    """Give the set ``old`` the name ``new`` (its members stay; memos about it are moved by the caller)."""
    store.run("UPDATE sets SET name = ? WHERE name = ?", (new, old))


def remove_member(store: Store, members: str, member: str) -> list[str]:
    """Take ``member`` (a source or case id, as ``members`` says) out of every static set of that kind;
    return the names of the sets it was in."""
    names = [r[0] for r in store.all("SELECT DISTINCT s.name FROM sets s JOIN set_members m ON m.set_id = s.id "
                                     "WHERE s.members = ? AND m.member = ? ORDER BY s.name", (members, member))]
    store.run("DELETE FROM set_members WHERE member = ? AND set_id IN (SELECT id FROM sets WHERE members = ?)",
              (member, members))
    return names
