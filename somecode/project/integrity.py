"""Checking a project file: SQLite's own checks, every coding against its text, every turn, orphans.

A damaged file is reported, not raised: each part that cannot be read becomes a row.  Open the
file with ``Project.open(path, read_only=True)`` to check it without changing a byte of it
(``somecode doctor`` should).

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> check(p).empty
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, TypeVar

import pandas as pd

from .. import store as db
from ..errors import ProjectError
from ..text import text_hash

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["check"]

T = TypeVar("T")


def check(project: Project) -> pd.DataFrame:
    """Every problem found, one row each (``what``, ``where``, ``detail``); empty when all is well.
    Orphaned codings are listed as notices, not as damage; a part of the file that cannot be read
    is a row too (``what`` is ``"damage"``), so a damaged project is described, never raised."""
    store = project.store
    problems: list[tuple[str, str, str]] = db.integrity.database_problems(store)

    def read(where: str, part: Callable[[], T], empty: T) -> T:
        try:
            return part()
        except ProjectError as err:
            problems.append(("damage", where, getattr(err, "detail", "") or str(err)))
            return empty

    version = read("meta", lambda: store.schema_version, db.SCHEMA_VERSION)
    if version != db.SCHEMA_VERSION:
        problems.append(("schema", "meta", f"version {version}, expected {db.SCHEMA_VERSION}"))
    nothing: list[tuple] = []
    texts: dict[str, str] = read("sources", lambda: db.sources.source_texts(store), {})
    for coding_id, source, start, end, digest in read("codings", lambda: db.codings.hash_rows(store), nothing):
        text = texts.get(source)
        try:
            if text is None or end > len(text):
                problems.append(("coding", f"coding {coding_id}", f"[{start}, {end}) is outside {source!r}"))
            elif text_hash(text[start:end]) != digest:
                problems.append(("coding", f"coding {coding_id}", f"text at [{start}, {end}) of {source!r} "
                                 "changed since it was coded"))
        except (TypeError, ValueError):
            problems.append(("damage", f"coding {coding_id}", f"its stored values are damaged "
                             f"(start {start!r}, end {end!r}, source {source!r})"))
    previous: dict[str, int] = {}
    for source, idx, start, end in read("turns", lambda: db.sources.source_turn_rows(store), nothing):
        text = texts.get(source, "")
        try:
            if end > len(text) or start < previous.get(source, 0):
                problems.append(("turn", f"{source} turn {idx}", f"[{start}, {end}) does not fit the text"))
            previous[source] = end
        except (TypeError, ValueError):
            problems.append(("damage", f"{source} turn {idx}", f"its stored values are damaged "
                             f"(start {start!r}, end {end!r})"))
    count = read("orphans", lambda: db.orphans.count_orphans(store), 0)
    if count:
        problems.append(("notice", "orphans", f"{count} codings wait to be placed again "
                         "(project.orphans(), project.reattach())"))
    problems += read("sets", lambda: _dangling(store, list(texts)), nothing)
    return pd.DataFrame(problems, columns=["what", "where", "detail"])


def _dangling(store: db.Store, sources: list[str]) -> list[tuple[str, str, str]]:
    """Static sets naming a source or case the project no longer has, and memos about a source,
    code, case or set that is gone: notices, as the project still opens and works."""
    # plain ids, no records: a damaged id is for the report, not an exception
    known = {"sources": set(sources), "cases": set(db.sources.informant_ids(store))}
    known.update(source=known["sources"], case=known["cases"], code=set(db.codes.code_ids(store)),
                 set={row[0] for row in db.sets.set_rows(store)})
    found = []
    for name, members, query, ids, *_ in db.sets.set_rows(store):
        missing = [i for i in ids if i not in known[members]] if query is None else []
        if missing:
            what = "source" if members == "sources" else "case"
            found.append(("notice", f"set {name}", f"names {len(missing)} {what}(s) not in the project: "
                          f"{', '.join(map(repr, missing))} (they are left out of every analysis)"))
    for memo_id, kind, about, *_ in db.memos.memo_rows(store):
        if kind in known and about not in known[kind]:
            found.append(("notice", f"memo {memo_id}", f"is about {kind} {about!r}, which is not in the project "
                          f"(project.delete_memo({memo_id}) if it is no longer wanted)"))
    return found
