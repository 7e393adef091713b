"""The connection to a project file: opening, migrating, transactions, backups, and SQLite's errors.

Every public mutation of a project runs inside :meth:`Store.atomic`, one
``BEGIN IMMEDIATE`` transaction (nested calls become savepoints), so a
failure or a killed process leaves the file as it was before the call.
A new file is built beside its name (``<name>.partial``) and renamed into place
only when complete, so an interrupted :meth:`Store.create` leaves no project.

A file that cannot be written (read-only, or in a read-only folder), or one
opened with ``read_only=True``, is opened for reading without creating or changing
any file; its first write raises :class:`~somecode.errors.ProjectReadOnlyError`.
Every statement goes through :meth:`Store.one`, :meth:`Store.all`, :meth:`Store.run`,
:meth:`Store.run_many` or :meth:`Store.atomic`, which turn SQLite's errors about the
file (in use, disk full, read-only, damaged) into :class:`~somecode.errors.ProjectError`
subclasses that say what to do (:func:`file_error`).

>>> import tempfile, os
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> store.schema_version == SCHEMA_VERSION
True
>>> store.close()
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..errors import (
    ProjectDamagedError,
    ProjectError,
    ProjectFullError,
    ProjectLockedError,
    ProjectReadOnlyError,
)
from .schema import MIGRATIONS, SCHEMA_VERSION
from .undo import install_recorders

__all__ = ["Store", "APPLICATION_ID", "BUSY_TIMEOUT_MS", "now", "file_error"]

APPLICATION_ID = 0x534D4344  # "SMCD", in the file header: marks a somecode project
BUSY_TIMEOUT_MS = 60_000  # how long to wait for another program's write before giving up (``timeout=`` overrides)
_SIDE_FILES = ("-wal", "-shm", "-journal")
EXPLICIT = "it was opened with read_only=True"
# SQLITE_ERROR is also a mistake in a statement; these words mean the file's own schema is broken
_SCHEMA_DAMAGE = ("no such table", "no such column", "foreign key mismatch", "malformed")


def now() -> str:
    """The current UTC time, ISO 8601 to the microsecond."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """A connection to a project file, with transactions and the schema version.

    ``read_only`` is ``None`` for a writable file, else why it was opened for reading only.
    ``timeout`` is how many seconds a statement waits for another program's write.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: str | None = None,
                 timeout: float | None = None) -> None:
        self.path, self.conn, self._depth = path, conn, 0
        self.recording: int | None = None  # the event whose changes are being recorded for undo
        self.read_only = read_only
        self.timeout = _seconds(timeout)

    @classmethod
    def create(cls, path: str | Path, *, timeout: float | None = None,
               fill: Callable[[Store], None] | None = None) -> Store:
        """A new, empty project at ``path``; ``fill(store)``, if given, runs before the file gets its
        name.  The file is built as ``<path>.partial`` and renamed into place only when complete:
        a failure (or a killed process) never leaves a project at ``path``."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; open it with Project.open({str(path)!r}) "
                               "or choose a new file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ProjectError(f"cannot create {path}: its folder cannot be made ({err.strerror}); "
                               "choose a folder you can write to") from None
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise ProjectReadOnlyError(f"cannot create {path}: the folder {path.parent} is read-only; "
                                       "choose a folder you can write to")
        partial = path.with_name(path.name + ".partial")
        _remove(partial)  # the leftover of a create or an import that was killed
        store = None
        try:
            store = cls(path, _connect(partial, timeout=timeout, journal="DELETE", name=path), timeout=timeout)
            with store.atomic():
                store.run(f"PRAGMA application_id = {APPLICATION_ID}")
                for version in sorted(MIGRATIONS):
                    store._guarded(MIGRATIONS[version], store.conn)
                store.run("INSERT INTO meta VALUES ('schema_version', ?), ('created', ?)",
                          (str(SCHEMA_VERSION), now()))
            store._guarded(install_recorders, store.conn)
            if fill is not None:
                fill(store)
            store.run("PRAGMA journal_mode = WAL")  # recorded in the header; the empty WAL goes at close
            store.close()
            _place(partial, path)
        except BaseException:
            if store is not None:
                store.close()
            _remove(partial)
            raise
        try:
            return cls.open(path, timeout=timeout)
        except BaseException:
            _remove(path)
            raise

    @classmethod
    def open(cls, path: str | Path, *, timeout: float | None = None, read_only: bool = False) -> Store:
        """Open a project file, migrating it (after a backup) if it is older.  A file that cannot be
        written, or any file with ``read_only=True``, is opened for reading: nothing is created or
        changed on disk (no migration either) and the first write raises :class:`ProjectReadOnlyError`."""
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"{path}: no such project file; create one with Project.create()")
        why = EXPLICIT if read_only else _unwritable(path)
        store = cls(path, _connect(path, timeout=timeout, read_only=why is not None), read_only=why,
                    timeout=timeout)
        try:
            try:
                app = store.one("PRAGMA application_id")[0]  # type: ignore[index]
            except ProjectDamagedError as err:
                raise ProjectError(f"{path} is not a somecode project, or it is damaged "
                                   f"({err.detail}); try: somecode doctor {path}") from None
            if app != APPLICATION_ID:
                raise ProjectError(f"{path} is an SQLite file but not a somecode project")
            store._migrate()
            try:
                store._guarded(install_recorders, store.conn)
            except ProjectDamagedError:
                if read_only is not True:  # opened to be checked: check() describes the damage
                    raise
        except BaseException:
            store.close()
            raise
        return store

    @property
    def schema_version(self) -> int:
        row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        try:
            return int(row[0])  # type: ignore[index]
        except (TypeError, ValueError):
            raise ProjectDamagedError(f"{self.path} is damaged (its schema version is "
                                      f"{'missing' if row is None else 'unreadable'}); "
                                      f"run: somecode doctor {self.path}", detail="no schema version") from None

    def _migrate(self) -> None:
        if self.read_only == EXPLICIT:  # reading to check it: an older or damaged file is reported, not refused
            try:
                version = self.schema_version
            except ProjectError:
                return
        else:
            version = self.schema_version
        if version > SCHEMA_VERSION:
            raise ProjectError(f"{self.path} has schema version {version}, newer than this "
                               f"somecode ({SCHEMA_VERSION}); upgrade somecode to open it")
        if version == SCHEMA_VERSION or self.read_only == EXPLICIT:
            return
        if self.read_only:
            raise ProjectReadOnlyError(f"{self.path} was made by an older somecode (schema version {version}) "
                                       f"and must be upgraded before it can be read, which needs to write it, "
                                       f"but {self.read_only}. {_fix(self.path, self.read_only)}")
        self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"))
        with self.atomic():
            for target in range(version + 1, SCHEMA_VERSION + 1):
                self._guarded(MIGRATIONS[target], self.conn)
            self.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def backup(self, target: str | Path) -> Path:
        """Copy the whole project, consistently, to ``target`` (SQLite's online backup)."""
        target = Path(target)
        if target.exists():
            shutil.move(str(target), str(target) + ".old")
        copy = None
        try:
            copy = sqlite3.connect(target)
            self.conn.backup(copy)
        except sqlite3.IntegrityError:
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            if copy is not None:
                copy.close()
                copy = None
                target.unlink(missing_ok=True)
            ours = file_error(err, target)
            if ours is None:
                raise
            raise ours from err
        finally:
            if copy is not None:
                copy.close()
        return target

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One transaction; nested blocks are savepoints.  Any exception rolls it back."""
        conn, depth = self.conn, self._depth
        if depth == 0:
            # a read-only file reads inside a transaction too; its first write is refused
            self._guarded(conn.execute, "BEGIN" if self.read_only else "BEGIN IMMEDIATE")
        else:
            self._guarded(conn.execute, f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield conn
        except BaseException:
            self._depth = depth
            self._roll_back(depth)
            raise
        self._depth = depth
        try:
            self._guarded(conn.execute, "COMMIT" if depth == 0 else f"RELEASE sp{depth}")
        except BaseException:
            self._roll_back(depth)
            raise

    def _roll_back(self, depth: int) -> None:
        conn = self.conn
        if not conn.in_transaction:  # SQLite already rolled the whole transaction back (disk full, I/O error)
            return
        try:
            if depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
        except sqlite3.Error:
            if depth == 0 and conn.in_transaction:
                raise

    def close(self) -> None:
        self.conn.close()

    def one(self, sql: str, values: tuple | list = ()) -> tuple | None:
        """The first row of a query, or ``None``."""
        return self._guarded(lambda: self.conn.execute(sql, values).fetchone())

    def all(self, sql: str, values: tuple | list = ()) -> list[tuple]:
        """Every row of a query."""
        return self._guarded(lambda: self.conn.execute(sql, values).fetchall())

    def chunks(self, sql: str, values: tuple | list = (), size: int = 65536):
        """The rows of a query, ``size`` at a time (a list per chunk): a big result is never held
        whole as Python tuples."""
        cursor = self._guarded(self.conn.execute, sql, values)
        while True:
            chunk = self._guarded(cursor.fetchmany, size)
            if not chunk:
                return
            yield chunk

    def run(self, sql: str, values: tuple | list = ()) -> sqlite3.Cursor:
        """One statement that changes the file."""
        return self._guarded(self.conn.execute, sql, values)

    def run_many(self, sql: str, rows) -> sqlite3.Cursor:
        """One statement for many rows."""
        return self._guarded(self.conn.executemany, sql, rows)

    def _guarded(self, call, *args):
        """``call(*args)``, with SQLite's errors about the file raised as :class:`ProjectError`."""
        try:
            return call(*args)
        except sqlite3.IntegrityError:
            raise  # a broken constraint is the caller's to handle (undo relies on it)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            ours = file_error(err, self.path, read_only=self.read_only, timeout=self.timeout)
            if ours is None:
                raise
            raise ours from err


# SQLite's primary result codes (sqlite3.SQLITE_* exist from Python 3.11 only)
_ERROR, _BUSY, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 1, 5, 8, 10, 11, 13, 14, 26
# SQLite's words for them, for Pythons whose errors carry no code (3.10)
_WORDS = (("database is locked", _BUSY), ("database or disk is full", _FULL), ("readonly database", _READONLY),
          ("malformed", _CORRUPT), ("file is not a database", _NOTADB), ("disk I/O error", _IOERR),
          ("unable to open database file", _CANTOPEN))


def _primary(err: BaseException) -> int | None:
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(err)
    found = next((c for words, c in _WORDS if words in text), None)
    if found is None and isinstance(err, sqlite3.OperationalError) and any(w in text for w in _SCHEMA_DAMAGE):
        return _ERROR
    return found


def file_error(err: BaseException, path: str | Path, *, read_only: str | None = None,
               timeout: float | None = None) -> ProjectError | None:
    """The :class:`ProjectError` for an SQLite error about the file itself (in use, full, read-only,
    damaged, unreadable), told apart by SQLite's error code; ``None`` for any other error."""
    primary = None if isinstance(err, UnicodeDecodeError) else _primary(err)
    detail = _detail(err)
    if isinstance(err, UnicodeDecodeError) or (primary is None and "decode" in detail):
        if isinstance(err, UnicodeDecodeError):  # SQLite's own message quoted the damaged bytes
            detail = "bytes that are not UTF-8 in its schema or where SQLite found the damage"
        return ProjectDamagedError(f"{path} is damaged ({detail}); run: somecode doctor {path}", detail=detail)
    if primary == _BUSY:
        return ProjectLockedError(f"{path} is in use by another program, which kept it locked for more than "
                                  f"{_seconds(timeout):g} s ({detail}); nothing was changed. Close it there "
                                  "(or wait until it finishes) and try again")
    if primary == _FULL:
        return ProjectFullError(f"{path}: the disk is full ({detail}); nothing was changed. Free some space "
                                "on the disk and try again")
    if primary == _READONLY:
        why = read_only or "the file or its folder cannot be written"
        return ProjectReadOnlyError(f"{path} is read-only ({why}); nothing was changed. {_fix(Path(path), why)}")
    if primary in (_CORRUPT, _NOTADB) or (primary == _ERROR and any(w in detail for w in _SCHEMA_DAMAGE)):
        return ProjectDamagedError(f"{path} is damaged ({detail}); run: somecode doctor {path}", detail=detail)
    if primary == _IOERR:
        return ProjectError(f"{path} could not be read or written ({detail}); check the disk (is it full, "
                            f"removed or failing?), then run: somecode doctor {path}")
    if primary == _CANTOPEN:
        return ProjectError(f"{path} cannot be opened ({detail}); check that the file and its folder exist "
                            "and that you may read them")
    return None


def _detail(err: BaseException) -> str:
    """SQLite's words, on one line, without the damaged bytes it may quote."""
    text = " ".join(str(err).split(" with text '")[0].split())
    text = "".join(c if c.isprintable() and c != "\ufffd" else "?" for c in text)
    return text if len(text) <= 160 else text[:157] + "..."


def _fix(path: Path, why: str) -> str:
    if why == EXPLICIT:
        return "Open it without read_only=True to change it"
    if "folder" in why:
        return (f"To change it, make the folder {path.parent} writable, or copy the project to a folder "
                "you can write to, and open it again")
    return f"To change it, make the file writable (chmod u+w {path}), or work on a copy, and open it again"


def _seconds(timeout: float | None) -> float:
    return BUSY_TIMEOUT_MS / 1000 if timeout is None else float(timeout)


def _unwritable(path: Path) -> str | None:
    """Why the file cannot be changed here, or ``None`` when it can (SQLite needs the folder too,
    for its ``-wal`` and ``-shm`` files)."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only"
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    return None


def _remove(path: Path) -> None:
    """``path`` and SQLite's files beside it."""
    for leftover in (path, *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        leftover.unlink(missing_ok=True)


def _place(partial: Path, path: Path) -> None:
    """Give the finished file its name, never over an existing file."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise ProjectError(f"{path} already exists (made by another program meanwhile); nothing was "
                           "written there. Open it, or choose a new file name") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise ProjectError(f"{path} already exists (made by another program meanwhile); nothing was "
                               "written there. Open it, or choose a new file name") from None
        os.replace(partial, path)
    _remove(partial)
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)  # the new name survives a power cut
    except OSError:
        pass
    finally:
        os.close(folder)


def _connect(path: Path, *, timeout: float | None = None, read_only: bool = False, journal: str = "WAL",
             name: Path | None = None) -> sqlite3.Connection:
    """A connection to ``path`` (``name`` is what messages call it).  Read-only connections create no
    file: ``immutable=1`` unless a ``-wal`` file shows the project is open elsewhere."""
    seconds = _seconds(timeout)
    conn = None
    try:
        if read_only:
            immutable = not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
            uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=seconds, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=seconds, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        if not read_only:
            conn.execute(f"PRAGMA journal_mode = {journal}")
            conn.execute("PRAGMA synchronous = " + ("NORMAL" if journal == "WAL" else "FULL"))
        conn.execute("PRAGMA foreign_keys = ON")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
        if conn is not None:
            conn.close()
        shown = name or path
        ours = file_error(err, shown, timeout=seconds)
        if isinstance(ours, ProjectDamagedError) or ours is None:
            raise ProjectError(f"{shown} is not a somecode project, or it is damaged ({_detail(err)}); "
                               f"try: somecode doctor {shown}") from None
        raise ours from None
    return conn
