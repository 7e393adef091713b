"""SQLite's own checks of a project file, and how much it holds.

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> database_problems(store), counts(store)["codings"]
([], 0)
>>> store.close()
"""

from __future__ import annotations

from ..errors import ProjectError
from .connection import Store

__all__ = ["database_problems", "counts", "COUNTED"]

COUNTED = ("sources", "informants", "turns", "codes", "coders", "codings")


def database_problems(store: Store) -> list[tuple[str, str, str]]:
    """``(what, where, detail)`` for every failure of SQLite's integrity and foreign-key checks
    (a check that cannot even run on a damaged file is one row, not an error)."""
    problems = []
    try:
        problems += [("integrity", "database", str(result)) for (result,) in store.all("PRAGMA integrity_check")
                     if result != "ok"]
    except ProjectError as err:
        problems.append(("integrity", "database", getattr(err, "detail", "") or str(err)))
    try:
        problems += [("foreign key", f"{table} row {rowid}", f"refers to a missing {parent}")
                     for table, rowid, parent, _ in store.all("PRAGMA foreign_key_check")]
    except ProjectError as err:
        problems.append(("foreign key", "database", getattr(err, "detail", "") or str(err)))
    return problems


def counts(store: Store) -> dict[str, int]:
    """How many rows each main table holds."""
    return {table: int(store.one(f"SELECT count(*) FROM {table}")[0]) for table in COUNTED}  # type: ignore[index]
