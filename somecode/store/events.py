"""The project's log: one event per action, and the operations that can be undone.

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> log(store, "add_sources", {"ids": ["a"]}, by="nida")
1
>>> [(e["id"], e["action"], e["by"], e["payload"]) for e in events(store)]
[(1, 'add_sources', 'nida', {'ids': ['a']})]
>>> store.close()
"""

from __future__ import annotations

from typing import Any

from .connection import Store, now
from .records import from_json, to_json

__all__ = ["log", "events", "event", "add_to_payload"]


def log(store: Store, action: str, payload: dict, by: str = "") -> int:
    """Append an event; return its id."""
    cursor = store.run("INSERT INTO events (at, actor, action, payload) VALUES (?, ?, ?, ?)",
                       (now(), by, action, to_json(payload)))
    return int(cursor.lastrowid or 0)


def _event(row: tuple) -> dict[str, Any]:
    event_id, at, by, action, payload = row
    return {"id": event_id, "at": at, "by": by, "action": action, "payload": from_json(payload)}


def events(store: Store) -> list[dict[str, Any]]:
    """Every event, oldest first, as a mapping of id, at, by, action and payload."""
    return [_event(r) for r in store.all("SELECT id, at, actor, action, payload FROM events ORDER BY id")]


def event(store: Store, event_id: int) -> dict[str, Any] | None:
    row = store.one("SELECT id, at, actor, action, payload FROM events WHERE id = ?", (event_id,))
    return None if row is None else _event(row)


def add_to_payload(store: Store, event_id: int, details: dict) -> None:
    """Add details to an event's payload (counts known only once the operation ran)."""
    found = event(store, event_id)
    if found is not None:
        store.run("UPDATE events SET payload = ? WHERE id = ?", (to_json({**found["payload"], **details}),
                                                                 event_id))
