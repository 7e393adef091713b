"""Codings: storing, finding, moving and counting coded spans.

>>> import tempfile, os
>>> from ..model import Code, Coder, Coding, Source
>>> from . import codes, sources
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     sources.insert_source(store, Source.from_text("d", "Reels ramai.", kind="document"))
...     codes.insert_code(store, Code("optimize"), 0)
...     codes.insert_coder(store, Coder("nida"))
...     insert_codings(store, [coding_values(Coding("d", 0, 5, "optimize", "nida"), "e3b0", "2026")])
1
>>> [(c.id, c.span) for c in coding_records(store)]
[(1, (0, 5))]
>>> store.close()
"""

from __future__ import annotations

from typing import Any, Iterable

from ..model import Coding
from .connection import Store
from .records import CODING_SELECT, coding_from_row, to_json

__all__ = ["coding_values", "insert_codings", "find_coding", "get_coding", "coding_records", "count_codings",
           "codings_by_code", "delete_coding", "delete_codings", "set_coding_code", "set_coding_memo",
           "set_coding_span", "set_statuses", "shift_codings", "frame_rows", "frame_chunks", "FRAME_FIELDS", "coding_spans",
           "hash_rows"]

_INSERT = ('INSERT INTO codings (source_id, start, "end", code_id, coder_id, origin, status, memo, created, '
           "text_hash, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           'ON CONFLICT (source_id, start, "end", code_id, coder_id) DO NOTHING')


def coding_values(coding: Coding, digest: str, created: str) -> tuple:
    """The row of a new coding (``created`` is used when the coding has no time of its own)."""
    evidence = None if coding.evidence is None else to_json(coding.evidence)
    return (coding.source_id, coding.start, coding.end, coding.code_id, coding.coder_id, coding.origin,
            coding.status, coding.memo, coding.created or created, digest, evidence)


def insert_codings(store: Store, rows: list[tuple]) -> int:
    """Store rows made by :func:`coding_values`; one identical in span, code and coder to a stored
    coding is skipped.  Returns how many were new."""
    from .undo import appended

    with appended(store, "codings"):
        return store.run_many(_INSERT, rows).rowcount


def _where(source: str | None = None, coder: str | None = None, code: str | None = None,
           status: str | None = None, coders: Iterable[str] | None = None) -> tuple[str, list[Any]]:
    clauses, values = [], []
    for column, value in (("source_id", source), ("coder_id", coder), ("code_id", code), ("status", status)):
        if value is not None:
            clauses.append(f"{column} = ?")
            values.append(value)
    if coders is not None:
        listed = list(coders)
        clauses.append(f"coder_id IN ({', '.join('?' * len(listed))})")
        values += listed
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), values


def find_coding(store: Store, source_id: str, start: int, end: int, code_id: str, coder_id: str) -> Coding | None:
    """The coding with exactly this span, code and coder."""
    row = store.one(f"SELECT {CODING_SELECT} FROM codings WHERE source_id = ? AND start = ? AND \"end\" = ? "
                    "AND code_id = ? AND coder_id = ?", (source_id, start, end, code_id, coder_id))
    return None if row is None else coding_from_row(row)


def get_coding(store: Store, coding_id: int) -> Coding | None:
    row = store.one(f"SELECT {CODING_SELECT} FROM codings WHERE id = ?", (coding_id,))
    return None if row is None else coding_from_row(row)


def coding_records(store: Store, *, source: str | None = None, coder: str | None = None,
                   code: str | None = None, status: str | None = None) -> list[Coding]:
    """Stored codings, filtered by whatever is given, in storage order."""
    where, values = _where(source, coder, code, status)
    return [coding_from_row(r) for r in store.all(f"SELECT {CODING_SELECT} FROM codings{where} ORDER BY id",
                                                 values)]


def count_codings(store: Store, *, source: str | None = None, coder: str | None = None,
                  code: str | None = None) -> int:
    where, values = _where(source, coder, code)
    return int(store.one(f"SELECT count(*) FROM codings{where}", values)[0])  # type: ignore[index]


def codings_by_code(store: Store) -> dict[str, int]:
    """Code id -> number of codings."""
    return dict(store.all("SELECT code_id, count(*) FROM codings GROUP BY code_id"))


def delete_coding(store: Store, coding_id: int) -> None:
    store.run("DELETE FROM codings WHERE id = ?", (coding_id,))


def delete_codings(store: Store, *, code: str) -> None:
    store.run("DELETE FROM codings WHERE code_id = ?", (code,))


def set_coding_code(store: Store, coding_id: int, code_id: str) -> None:
    store.run("UPDATE codings SET code_id = ? WHERE id = ?", (code_id, coding_id))


def set_coding_memo(store: Store, coding_id: int, memo: str) -> None:
    store.run("UPDATE codings SET memo = ? WHERE id = ?", (memo, coding_id))


def set_coding_span(store: Store, coding_id: int, start: int, end: int, digest: str) -> None:
    store.run('UPDATE codings SET start = ?, "end" = ?, text_hash = ? WHERE id = ?', (start, end, digest, coding_id))


def set_statuses(store: Store, coding_ids: Iterable[int], status: str) -> None:
    store.run_many("UPDATE codings SET status = ? WHERE id = ?", [(status, int(i)) for i in coding_ids])


def shift_codings(store: Store, coding_ids: Iterable[int], by: int) -> None:
    """Move codings ``by`` characters (to park them while they are placed again)."""
    store.run_many('UPDATE codings SET start = start + ?, "end" = "end" + ? WHERE id = ?',
                   [(by, by, i) for i in coding_ids])


def frame_rows(store: Store, *, coders: Iterable[str] | None = None, status: str | None = None,
               source: str | None = None) -> list[tuple]:
    """``(id, source, start, end, code, coder, origin, status, memo, created)`` of the codings asked for."""
    where, values = _where(source=source, status=status, coders=coders)
    return store.all('SELECT id, source_id, start, "end", code_id, coder_id, origin, status, memo, created '
                     f"FROM codings{where}", values)


# what the long table may read of a coding -> its column
FRAME_FIELDS = {"coding_id": "id", "source": "source_id", "start": "start", "end": '"end"', "code": "code_id",
                "coder": "coder_id", "origin": "origin", "status": "status", "memo": "memo", "created": "created"}


def frame_chunks(store: Store, fields: list[str], *, coders: Iterable[str] | None = None,
                 status: str | None = None, source: str | None = None, size: int = 65536):
    """The ``fields`` (names of :data:`FRAME_FIELDS`) of the codings asked for, in storage order and
    in chunks of at most ``size`` rows: only the columns a table needs are read, and never all rows
    at once as Python tuples (sort the arrays made from them: an ``ORDER BY`` here costs more).

    >>> import tempfile, os
    >>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
    >>> list(frame_chunks(store, ["source", "start"]))
    []
    >>> frame_chunks(store, ["memo", "colour"])
    Traceback (most recent call last):
    ValueError: unknown coding fields: colour
    >>> store.close()
    """
    unknown = [f for f in fields if f not in FRAME_FIELDS]
    if unknown:
        raise ValueError(f"unknown coding fields: {', '.join(unknown)}")
    where, values = _where(source=source, status=status, coders=coders)
    selected = ", ".join(FRAME_FIELDS[f] for f in fields)
    return store.chunks(f"SELECT {selected} FROM codings{where}", values, size)


def coding_spans(store: Store, *, coder: str | None = None) -> list[tuple]:
    """``(source, start, end, code, coder)`` of the codings (of one coder), without their records."""
    where, values = _where(coder=coder)
    return store.all(f'SELECT source_id, start, "end", code_id, coder_id FROM codings{where}', values)


def hash_rows(store: Store) -> list[tuple]:
    """``(id, source, start, end, text_hash)`` of every coding (for integrity checks)."""
    return store.all('SELECT id, source_id, start, "end", text_hash FROM codings')
