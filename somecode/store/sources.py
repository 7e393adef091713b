"""Sources, their turns, and informants: the rows and the records.

>>> import tempfile, os
>>> from ..model import Source, Turn
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     insert_source(store, Source.from_text("d", "Satu dua.", kind="document", turns=[Turn(0, 9)]))
>>> get_source(store, "d").turns
(Turn(start=0, end=9, speaker=None, informant=None, time_start=None, time_end=None, attrs={}),)
>>> store.close()
"""

from __future__ import annotations

from typing import Any, Iterable

from ..model import Informant, Source, Turn
from ..text import text_hash
from .connection import Store, now
from .records import from_json, to_json

__all__ = ["insert_source", "insert_sources", "get_source", "source_ids", "source_texts", "source_kind_text_attrs",
           "source_turn_rows", "turn_rows", "delete_source", "replace_source", "informant_attrs",
           "insert_informant", "set_informant_attrs", "informants", "informant_ids", "source_headers"]


def _turn_values(source_id: str, turns: Iterable[Turn]) -> list[tuple]:
    return [(source_id, i, t.start, t.end, t.speaker, t.informant, t.time_start, t.time_end, to_json(t.attrs))
            for i, t in enumerate(turns)]


def insert_source(store: Store, source: Source) -> None:
    """Store a new source and its turns (its informants must be stored first)."""
    insert_sources(store, [source])


def insert_sources(store: Store, sources: list[Source]) -> None:
    """Store new sources and their turns in two statements, each recorded for undo as one range of
    rows rather than row by row (their informants must be stored first)."""
    from .undo import appended

    stamp = now()
    with appended(store, "sources"):
        store.run_many("INSERT INTO sources (id, kind, title, text, text_hash, attrs, encoding, text_policy, path, "
                       "added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(s.id, s.kind, s.title, s.text, text_hash(s.text), to_json(s.attrs), s.encoding,
                         s.text_policy, s.path, stamp) for s in sources])
    with appended(store, "turns"):
        store.run_many('INSERT INTO turns (source_id, idx, start, "end", speaker, informant_id, time_start, '
                       "time_end, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [row for s in sources for row in _turn_values(s.id, s.turns)])


def replace_source(store: Store, source: Source) -> None:
    """Give a stored source new text, title, attrs and turns (codings are the caller's business)."""
    store.run("UPDATE sources SET text = ?, text_hash = ?, title = ?, attrs = ?, encoding = ? WHERE id = ?",
              (source.text, text_hash(source.text), source.title, to_json(source.attrs), source.encoding,
               source.id))
    store.run("DELETE FROM turns WHERE source_id = ?", (source.id,))
    store.run_many('INSERT INTO turns (source_id, idx, start, "end", speaker, informant_id, time_start, '
                   "time_end, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _turn_values(source.id, source.turns))


def turn_rows(store: Store, source_id: str) -> list[tuple]:
    """``(start, end, speaker, informant_id, time_start, time_end, attrs)`` of each turn, in order."""
    return store.all('SELECT start, "end", speaker, informant_id, time_start, time_end, attrs FROM turns '
                     "WHERE source_id = ? ORDER BY idx", (source_id,))


def source_turn_rows(store: Store) -> list[tuple]:
    """``(source_id, idx, start, end)`` of every turn, by source and index (for integrity checks)."""
    return store.all('SELECT source_id, idx, start, "end" FROM turns ORDER BY source_id, idx')


def get_source(store: Store, source_id: str) -> Source | None:
    row = store.one("SELECT id, kind, text, title, attrs, encoding, text_policy, path FROM sources WHERE id = ?",
                    (source_id,))
    if row is None:
        return None
    turns = tuple(Turn(s, e, sp, inf, ts, te, from_json(a)) for s, e, sp, inf, ts, te, a in
                  turn_rows(store, source_id))
    return Source(id=row[0], kind=row[1], text=row[2], title=row[3], attrs=from_json(row[4]), turns=turns,
                  encoding=row[5], text_policy=row[6], path=row[7])


def source_ids(store: Store) -> list[str]:
    return [r[0] for r in store.all("SELECT id FROM sources ORDER BY id")]


def source_texts(store: Store, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Source id -> text, for the ids given (those that exist) or for every source."""
    if ids is None:
        return dict(store.all("SELECT id, text FROM sources"))
    texts = {}
    for source_id in ids:
        row = store.one("SELECT text FROM sources WHERE id = ?", (source_id,))
        if row is not None:
            texts[source_id] = row[0]
    return texts


def source_kind_text_attrs(store: Store, source_id: str) -> tuple[str, str, dict[str, Any]]:
    row = store.one("SELECT kind, text, attrs FROM sources WHERE id = ?", (source_id,))
    if row is None:
        raise KeyError(source_id)
    return row[0], row[1], from_json(row[2])


def source_headers(store: Store) -> dict[str, tuple[str, dict[str, Any]]]:
    """Source id -> ``(kind, attrs)`` of every source, by id, without reading a text."""
    return {r[0]: (r[1], from_json(r[2])) for r in store.all("SELECT id, kind, attrs FROM sources ORDER BY id")}


def delete_source(store: Store, source_id: str) -> None:
    """Delete a source with its turns and codings."""
    store.run("DELETE FROM codings WHERE source_id = ?", (source_id,))
    store.run("DELETE FROM sources WHERE id = ?", (source_id,))


def informant_attrs(store: Store, informant_id: str) -> dict[str, Any] | None:
    """An informant's attrs, or ``None`` if there is no such informant."""
    row = store.one("SELECT attrs FROM informants WHERE id = ?", (informant_id,))
    return None if row is None else from_json(row[0])


def insert_informant(store: Store, informant: Informant) -> None:
    store.run("INSERT INTO informants (id, name, attrs) VALUES (?, ?, ?)",
              (informant.id, informant.name, to_json(informant.attrs)))


def set_informant_attrs(store: Store, informant_id: str, attrs: dict[str, Any]) -> None:
    store.run("UPDATE informants SET attrs = ? WHERE id = ?", (to_json(attrs), informant_id))


def informants(store: Store) -> list[Informant]:
    return [Informant(i, n, from_json(a)) for i, n, a in
            store.all("SELECT id, name, attrs FROM informants ORDER BY id")]


def informant_ids(store: Store) -> list[str]:
    return [r[0] for r in store.all("SELECT id FROM informants ORDER BY id")]


def added_times(store: Store) -> dict[str, str]:
    """When each source was added (ISO 8601, UTC), by source id."""
    return dict(store.all("SELECT id, added FROM sources"))
