"""Exact undo and redo, recorded by SQLite triggers.

Each connection carries temporary triggers on the tracked tables.  While an
operation records (:func:`recording`), every row it inserts, updates or deletes
writes the statement that reverses it into ``undo_log``, with the table and row
it restores; outside an operation the triggers do nothing.  :func:`undo_event`
runs an event's statements newest first, which restores the tables exactly
(row ids included).  Running an undo under recording records its own reverse,
which is how a redo is made.

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> from . import events
>>> with store.atomic():
...     event = events.log(store, "add", {})
...     with recording(store, event):
...         _ = store.run("INSERT INTO coders VALUES ('nida', '', 'human')")
>>> with store.atomic():
...     undo_event(store, event)
1
>>> store.all("SELECT id FROM coders")
[]
>>> store.close()
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from .connection import Store

__all__ = ["recording", "appended", "undo_event", "install_recorders", "recorded_events", "touched_rows", "trial_undo", "events_touching",
           "TRACKED"]

TRACKED = ("codes", "codings", "summaries", "stances", "sources", "turns", "informants", "orphans", "coders",
           "propositions", "assessments", "meta", "memos", "attributes", "sets", "set_members")
_NOW = "somecode_recording"


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _log(table: str, row: str, expression: str) -> str:
    return (f"INSERT INTO undo_log (event_id, tbl, row, statement) SELECT event_id, '{table}', {row}, "
            f"{expression} FROM temp.{_NOW};")


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    columns = _columns(conn, table)
    names = ", ".join(f'"{c}"' for c in columns)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    sets = " || ', ' || ".join(f"'\"{c}\" = ' || quote(old.\"{c}\")" for c in columns)
    prefix = f"somecode_undo_{table}"
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS {prefix}_insert AFTER INSERT ON main.{table} BEGIN "
        + _log(table, "new.rowid", f"'DELETE FROM {table} WHERE rowid = ' || new.rowid") + " END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {prefix}_delete AFTER DELETE ON main.{table} BEGIN "
        + _log(table, "old.rowid", f"'INSERT INTO {table} (rowid, {names}) VALUES (' || old.rowid || ', ' "
                                   f"|| {values} || ')'") + " END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {prefix}_update AFTER UPDATE ON main.{table} BEGIN "
        + _log(table, "old.rowid", f"'UPDATE {table} SET ' || {sets} || ' WHERE rowid = ' || old.rowid")
        + " END",
    ]


def install_recorders(conn: sqlite3.Connection) -> None:
    """Create this connection's (temporary) recording triggers; they write nothing until asked to."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_NOW} (event_id INTEGER NOT NULL)")
    for table in TRACKED:
        for statement in _triggers(conn, table):
            conn.execute(statement)


@contextmanager
def recording(store: Store, event_id: int) -> Iterator[None]:
    """Record the reverse of every change to the tracked tables under ``event_id``; inside an
    operation that records already, changes go to that operation."""
    if store.recording is not None:
        yield
        return
    store.recording = event_id
    store.run(f"INSERT INTO temp.{_NOW} (event_id) VALUES (?)", (event_id,))
    try:
        yield
    finally:
        store.run(f"DELETE FROM temp.{_NOW}")
        store.recording = None


@contextmanager
def appended(store: Store, table: str) -> Iterator[None]:
    """Rows appended to ``table`` inside the block are recorded as one range, not row by row
    (a bulk load stays as fast as a plain insert; its undo removes the range)."""
    if store.recording is None:
        yield
        return
    event_id = store.recording
    last = store.one(f"SELECT coalesce(max(rowid), 0) FROM {table}")[0]  # type: ignore[index]
    trigger = _triggers(store.conn, table)[0]
    store.run(f"DROP TRIGGER temp.somecode_undo_{table}_insert")  # a firing trigger costs even when it writes nothing
    try:
        yield
    finally:
        store.run(trigger)
    end = store.one(f"SELECT coalesce(max(rowid), 0) FROM {table}")[0]  # type: ignore[index]
    if end > last:
        store.run("INSERT INTO undo_log (event_id, tbl, row, row_to, statement) VALUES (?, ?, ?, ?, ?)",
                  (event_id, table, int(last) + 1, int(end),
                   f"DELETE FROM {table} WHERE rowid > {int(last)} AND rowid <= {int(end)}"))


def undo_event(store: Store, event_id: int) -> int:
    """Reverse every change recorded for ``event_id``; return how many statements ran."""
    statements = [row[0] for row in store.all(
        "SELECT statement FROM undo_log WHERE event_id = ? ORDER BY seq DESC", (event_id,))]
    for statement in statements:
        store.run(statement)
    return len(statements)


def recorded_events(store: Store) -> set[int]:
    """Ids of the events that changed something (and so can be undone)."""
    return {e for (e,) in store.all("SELECT DISTINCT event_id FROM undo_log")}


def touched_rows(store: Store, event_id: int) -> set[tuple[str, int]]:
    """The ``(table, rowid)`` pairs an event changed (rows appended in bulk one by one)."""
    found: set[tuple[str, int]] = set()
    for table, row, row_to in store.all("SELECT DISTINCT tbl, row, row_to FROM undo_log WHERE event_id = ?",
                                        (event_id,)):
        found |= {(table, r) for r in range(row, (row_to or row) + 1)} if row is not None else set()
    return found


class _Trial(Exception):
    """Raised to roll a trial undo back."""


def trial_undo(store: Store, event_id: int) -> tuple[set[tuple[str, int]], set[str]]:
    """Undo an event on trial and roll it back: the rows it would change or leave dangling beyond its
    own, and the tables of any constraint it would break (nothing is changed)."""
    own, found, broken = touched_rows(store, event_id), set(), set()
    try:
        with store.atomic():
            store.run("PRAGMA defer_foreign_keys = ON")
            with recording(store, event_id):  # the trial's records go under the event and are rolled back
                for table, statement in store.all("SELECT tbl, statement FROM undo_log WHERE event_id = ? "
                                                  "ORDER BY seq DESC", (event_id,)):
                    try:
                        store.run(statement)
                    except sqlite3.IntegrityError:
                        broken.add(table)
            found = touched_rows(store, event_id)
            found |= {(t, r) for t, r, _, _ in store.all("PRAGMA foreign_key_check") if t != "undo_log"}
            raise _Trial
    except _Trial:
        pass
    return found - own, broken


def events_touching(store: Store, rows: Iterable[tuple[str, int]], tables: Iterable[str], after: int) -> set[int]:
    """Events after ``after`` that changed any of ``rows``, or any row of ``tables``."""
    found: set[int] = set()
    for table, row in rows:
        found |= {e for (e,) in store.all(
            "SELECT DISTINCT event_id FROM undo_log WHERE tbl = ? AND event_id > ? AND (row = ? OR "
            "(row_to IS NOT NULL AND ? BETWEEN row AND row_to))", (table, after, row, row))}
    for table in tables:
        found |= {e for (e,) in store.all("SELECT DISTINCT event_id FROM undo_log WHERE tbl = ? AND event_id > ?",
                                          (table, after))}
    return found
