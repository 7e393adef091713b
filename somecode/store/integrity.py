"""SQLite's own checks of a project file, and how much it holds.

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> database_problems(store), counts(store)["codings"]
([], 0)
>>> store.close()
"""

from __future__ import annotations

from .connection import Store

__all__ = ["database_problems", "counts", "COUNTED"]

COUNTED = ("sources", "informants", "turns", "codes", "coders", "codings")


def database_problems(store: Store) -> list[tuple[str, str, str]]:
    """``(what, where, detail)`` for every failure of SQLite's integrity and foreign-key checks."""
    problems = [("integrity", "database", result) for (result,) in store.all("PRAGMA integrity_check")
                if result != "ok"]
    problems += [("foreign key", f"{table} row {rowid}", f"refers to a missing {parent}")
                 for table, rowid, parent, _ in store.all("PRAGMA foreign_key_check")]
    return problems


def counts(store: Store) -> dict[str, int]:
    """How many rows each main table holds."""
    return {table: int(store.one(f"SELECT count(*) FROM {table}")[0]) for table in COUNTED}  # type: ignore[index]
