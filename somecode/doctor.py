"""Checking a project file: SQLite's own checks, every coding against its text, every turn, orphans.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> check(p).empty
True
"""

from __future__ import annotations

import pandas as pd

from .store import SCHEMA_VERSION
from .text import text_hash

__all__ = ["check"]


def check(project) -> pd.DataFrame:
    """Every problem found, one row each (``what``, ``where``, ``detail``); empty when all is well.
    Orphaned codings are listed as notices, not as damage."""
    conn, problems = project._conn, []
    for (result,) in conn.execute("PRAGMA integrity_check"):
        if result != "ok":
            problems.append(("integrity", "database", result))
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(("foreign key", f"{table} row {rowid}", f"refers to a missing {parent}"))
    version = project._store.schema_version
    if version != SCHEMA_VERSION:
        problems.append(("schema", "meta", f"version {version}, expected {SCHEMA_VERSION}"))
    texts = dict(conn.execute("SELECT id, text FROM sources"))
    for coding_id, source, start, end, digest in conn.execute(
            'SELECT id, source_id, start, "end", text_hash FROM codings'):
        text = texts.get(source)
        if text is None or end > len(text):
            problems.append(("coding", f"coding {coding_id}", f"[{start}, {end}) is outside {source!r}"))
        elif text_hash(text[start:end]) != digest:
            problems.append(("coding", f"coding {coding_id}", f"text at [{start}, {end}) of {source!r} changed "
                             "since it was coded"))
    previous = {}
    for source, idx, start, end in conn.execute('SELECT source_id, idx, start, "end" FROM turns '
                                                "ORDER BY source_id, idx"):
        text = texts.get(source, "")
        if end > len(text) or start < previous.get(source, 0):
            problems.append(("turn", f"{source} turn {idx}", f"[{start}, {end}) does not fit the text"))
        previous[source] = end
    for (count,) in conn.execute("SELECT count(*) FROM orphans"):
        if count:
            problems.append(("notice", "orphans", f"{count} codings wait to be placed again "
                             "(project.orphans(), project.reattach())"))
    return pd.DataFrame(problems, columns=["what", "where", "detail"])
