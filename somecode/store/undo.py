"""Exact undo for project operations, recorded by temporary SQLite triggers.

While an operation runs inside :func:`recording`, every row it inserts, updates
or deletes in the tracked tables writes the statement that reverses it into
``undo_log``, under the operation's event.  :func:`undo_event` runs those
statements newest first, which restores the tables exactly (row ids included).
The triggers are temporary and per connection, so ordinary coding pays nothing.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from .connection import Store

__all__ = ["recording", "undo_event", "TRACKED"]

TRACKED = ("codes", "codings", "summaries", "stances", "sources", "turns", "informants", "orphans")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _log(event_id: int, expression: str) -> str:
    return f"INSERT INTO undo_log (event_id, statement) VALUES ({int(event_id)}, {expression});"


def _triggers(conn: sqlite3.Connection, table: str, event_id: int) -> list[str]:
    columns = _columns(conn, table)
    names = ", ".join(f'"{c}"' for c in columns)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    sets = " || ', ' || ".join(f"'\"{c}\" = ' || quote(old.\"{c}\")" for c in columns)
    prefix = f"somecode_undo_{table}"
    return [
        f"CREATE TEMP TRIGGER {prefix}_insert AFTER INSERT ON main.{table} BEGIN "
        + _log(event_id, f"'DELETE FROM {table} WHERE rowid = ' || new.rowid") + " END",
        f"CREATE TEMP TRIGGER {prefix}_delete AFTER DELETE ON main.{table} BEGIN "
        + _log(event_id, f"'INSERT INTO {table} (rowid, {names}) VALUES (' || old.rowid || ', ' "
                         f"|| {values} || ')'") + " END",
        f"CREATE TEMP TRIGGER {prefix}_update AFTER UPDATE ON main.{table} BEGIN "
        + _log(event_id, f"'UPDATE {table} SET ' || {sets} || ' WHERE rowid = ' || old.rowid")
        + " END",
    ]


@contextmanager
def recording(store: Store, event_id: int) -> Iterator[None]:
    """Record the reverse of every change to the tracked tables under ``event_id``."""
    conn, created = store.conn, []
    try:
        for table in TRACKED:
            for statement in _triggers(conn, table, event_id):
                conn.execute(statement)
                created.append(statement.split()[3])
        yield
    finally:
        for name in created:
            conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")


def undo_event(store: Store, event_id: int) -> int:
    """Reverse every change recorded for ``event_id``; return how many statements ran."""
    conn = store.conn
    statements = [row[0] for row in conn.execute(
        "SELECT statement FROM undo_log WHERE event_id = ? ORDER BY seq DESC", (event_id,))]
    for statement in statements:
        conn.execute(statement)
    return len(statements)
