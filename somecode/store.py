"""The project file: one SQLite database, its schema, migrations and transactions.

Every public mutation of a project runs inside :meth:`Store.atomic`, one
``BEGIN IMMEDIATE`` transaction (nested calls become savepoints), so a
failure or a killed process leaves the file as it was before the call.

>>> import tempfile, os
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> store.schema_version == SCHEMA_VERSION
True
>>> store.close()
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .errors import ProjectError

__all__ = ["Store", "SCHEMA_VERSION", "MIGRATIONS", "APPLICATION_ID"]

APPLICATION_ID = 0x534D4344  # "SMCD", in the file header: marks a somecode project
BUSY_TIMEOUT_MS = 60_000

_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE informants (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, attrs TEXT NOT NULL DEFAULT '{}');
CREATE TABLE sources (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('interview', 'document')),
    title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, text_hash TEXT NOT NULL,
    attrs TEXT NOT NULL DEFAULT '{}', encoding TEXT NOT NULL, text_policy TEXT NOT NULL,
    path TEXT, added TEXT NOT NULL);
CREATE TABLE turns (
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    speaker TEXT, informant_id TEXT REFERENCES informants(id),
    time_start REAL, time_end REAL, attrs TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (source_id, idx), CHECK (0 <= start AND start <= "end"));
CREATE TABLE codes (
    id TEXT PRIMARY KEY, parent TEXT REFERENCES codes(id), position INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '', labels TEXT NOT NULL DEFAULT '{}', color TEXT,
    definition TEXT NOT NULL DEFAULT '', attrs TEXT NOT NULL DEFAULT '{}');
CREATE TABLE coders (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('human', 'machine')));
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    coder_id TEXT NOT NULL REFERENCES coders(id),
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'auto', 'imported')),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'suggested', 'rejected')),
    memo TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, text_hash TEXT NOT NULL,
    evidence TEXT,
    CHECK (0 <= start AND start < "end"));
CREATE UNIQUE INDEX codings_span ON codings (source_id, start, "end", code_id, coder_id);
CREATE INDEX codings_code ON codings (code_id);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}');
"""

# Version 2: codes keep their rules, examples and patterns; codebook operations can be undone.
_SCHEMA_2 = """
ALTER TABLE codes ADD COLUMN spec TEXT NOT NULL DEFAULT '{}';
CREATE TABLE undo_log (
    seq INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
    statement TEXT NOT NULL);
CREATE INDEX undo_log_event ON undo_log (event_id);
"""

# Version 3: the researcher's summaries for framework matrices (case x code).
_SCHEMA_3 = """
CREATE TABLE summaries (
    case_id TEXT NOT NULL, code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL,
    PRIMARY KEY (case_id, code_id));
"""

# Version 4: triangulation: propositions, stances of codings toward them, and assessments.
_SCHEMA_4 = """
CREATE TABLE propositions (
    id TEXT PRIMARY KEY, code_id TEXT NOT NULL REFERENCES codes(id), text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE stances (
    coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
    proposition_id TEXT NOT NULL REFERENCES propositions(id) ON DELETE CASCADE,
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'qualifies')),
    memo TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
    PRIMARY KEY (coding_id, proposition_id));
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY, theme TEXT NOT NULL, group_a TEXT NOT NULL, group_b TEXT NOT NULL,
    component TEXT NOT NULL CHECK (component IN ('convergence', 'meaning', 'prominence')),
    value TEXT NOT NULL, rationale TEXT NOT NULL DEFAULT '', assessor TEXT NOT NULL,
    created TEXT NOT NULL);
"""

# Version 5: codings that could not be re-anchored after a source changed are kept, not dropped.
_SCHEMA_5 = """
CREATE TABLE orphans (
    id INTEGER PRIMARY KEY, coding_id INTEGER NOT NULL, source_id TEXT NOT NULL,
    old_start INTEGER NOT NULL, old_end INTEGER NOT NULL, code_id TEXT NOT NULL, coder_id TEXT NOT NULL,
    old_text TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, coding TEXT NOT NULL,
    orphaned TEXT NOT NULL);
"""

SCHEMA_VERSION = 5
# version reached -> function that takes the database there from the version before it
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda conn: run_script(conn, _SCHEMA_1),
    2: lambda conn: run_script(conn, _SCHEMA_2),
    3: lambda conn: run_script(conn, _SCHEMA_3),
    4: lambda conn: run_script(conn, _SCHEMA_4),
    5: lambda conn: run_script(conn, _SCHEMA_5),
}


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the current transaction
    (``executescript`` would commit it first)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def now() -> str:
    """The current UTC time, ISO 8601 to the microsecond."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """A connection to a project file, with transactions and the schema version."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path, self.conn, self._depth = path, conn, 0

    @classmethod
    def create(cls, path) -> "Store":
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; open it with Project.open({str(path)!r}) "
                               "or choose a new file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, _connect(path))
        store.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with store.atomic():
            for version in sorted(MIGRATIONS):
                MIGRATIONS[version](store.conn)
            store.conn.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created', ?)",
                               (str(SCHEMA_VERSION), now()))
        return store

    @classmethod
    def open(cls, path) -> "Store":
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"{path}: no such project file; create one with Project.create()")
        store = cls(path, _connect(path))
        try:
            app = store.conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as err:
            store.close()
            raise ProjectError(f"{path} is not a somecode project ({err})") from None
        if app != APPLICATION_ID:
            store.close()
            raise ProjectError(f"{path} is an SQLite file but not a somecode project")
        store._migrate()
        return store

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            self.close()
            raise ProjectError(f"{self.path} has schema version {version}, newer than this "
                               f"somecode ({SCHEMA_VERSION}); upgrade somecode to open it")
        if version == SCHEMA_VERSION:
            return
        self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"))
        with self.atomic():
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](self.conn)
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                              (str(SCHEMA_VERSION),))

    def backup(self, target) -> Path:
        """Copy the whole project, consistently, to ``target`` (SQLite's online backup)."""
        target = Path(target)
        if target.exists():
            shutil.move(str(target), str(target) + ".old")
        with sqlite3.connect(target) as copy:
            self.conn.backup(copy)
        copy.close()
        return target

    @contextmanager
    def atomic(self):
        """One transaction; nested blocks are savepoints.  Any exception rolls it back."""
        conn, depth = self.conn, self._depth
        conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield conn
        except BaseException:
            self._depth = depth
            if depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
            raise
        self._depth = depth
        conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")

    def close(self) -> None:
        self.conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as err:
        raise ProjectError(f"{path} is not a somecode project ({err})") from None
    return conn
