"""Checking a project file: SQLite's own checks, every coding against its text, every turn, orphans.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> check(p).empty
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import store as db
from ..text import text_hash

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["check"]


def check(project: Project) -> pd.DataFrame:
    """Every problem found, one row each (``what``, ``where``, ``detail``); empty when all is well.
    Orphaned codings are listed as notices, not as damage."""
    store = project.store
    problems = db.integrity.database_problems(store)
    version = store.schema_version
    if version != db.SCHEMA_VERSION:
        problems.append(("schema", "meta", f"version {version}, expected {db.SCHEMA_VERSION}"))
    texts = db.sources.source_texts(store)
    for coding_id, source, start, end, digest in db.codings.hash_rows(store):
        text = texts.get(source)
        if text is None or end > len(text):
            problems.append(("coding", f"coding {coding_id}", f"[{start}, {end}) is outside {source!r}"))
        elif text_hash(text[start:end]) != digest:
            problems.append(("coding", f"coding {coding_id}", f"text at [{start}, {end}) of {source!r} changed "
                             "since it was coded"))
    previous: dict[str, int] = {}
    for source, idx, start, end in db.sources.source_turn_rows(store):
        text = texts.get(source, "")
        if end > len(text) or start < previous.get(source, 0):
            problems.append(("turn", f"{source} turn {idx}", f"[{start}, {end}) does not fit the text"))
        previous[source] = end
    count = db.orphans.count_orphans(store)
    if count:
        problems.append(("notice", "orphans", f"{count} codings wait to be placed again "
                         "(project.orphans(), project.reattach())"))
    return pd.DataFrame(problems, columns=["what", "where", "detail"])
