"""The connection to a project file: opening, migrating, transactions and backups.

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
from typing import Iterator

from ..errors import ProjectError
from .schema import MIGRATIONS, SCHEMA_VERSION
from .undo import install_recorders

__all__ = ["Store", "APPLICATION_ID", "now"]

APPLICATION_ID = 0x534D4344  # "SMCD", in the file header: marks a somecode project
BUSY_TIMEOUT_MS = 60_000


def now() -> str:
    """The current UTC time, ISO 8601 to the microsecond."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """A connection to a project file, with transactions and the schema version."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path, self.conn, self._depth = path, conn, 0
        self.recording: int | None = None  # the event whose changes are being recorded for undo

    @classmethod
    def create(cls, path: str | Path) -> "Store":
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
        install_recorders(store.conn)
        return store

    @classmethod
    def open(cls, path: str | Path) -> "Store":
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
        install_recorders(store.conn)
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

    def backup(self, target: str | Path) -> Path:
        """Copy the whole project, consistently, to ``target`` (SQLite's online backup)."""
        target = Path(target)
        if target.exists():
            shutil.move(str(target), str(target) + ".old")
        with sqlite3.connect(target) as copy:
            self.conn.backup(copy)
        copy.close()
        return target

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
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

    def one(self, sql: str, values: tuple | list = ()) -> tuple | None:
        """The first row of a query, or ``None``."""
        return self.conn.execute(sql, values).fetchone()

    def all(self, sql: str, values: tuple | list = ()) -> list[tuple]:
        """Every row of a query."""
        return self.conn.execute(sql, values).fetchall()

    def run(self, sql: str, values: tuple | list = ()) -> sqlite3.Cursor:
        """One statement that changes the file."""
        return self.conn.execute(sql, values)

    def run_many(self, sql: str, rows) -> sqlite3.Cursor:
        """One statement for many rows."""
        return self.conn.executemany(sql, rows)


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
