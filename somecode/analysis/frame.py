"""The long table every analysis pivots from: one row per coding.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("doc", "Satu.\\n\\nDua tiga.", kind="document",
...                                           turns=[somecode.Turn(0, 5), somecode.Turn(7, 16)]))
>>> _ = p.add_code("share")
>>> _ = p.code("doc", 7, 10, "share", coder="nida")
>>> codings_frame(p)[["source", "kind", "turn", "start", "end", "words", "text"]].values.tolist()
[['doc', 'document', 1, 7, 10, 1, 'Dua']]
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..text import count_words

__all__ = ["codings_frame", "CODING_COLUMNS"]

CODING_COLUMNS = ["coding_id", "source", "kind", "doc_type", "informant", "speaker", "turn",
                  "start", "end", "words", "code", "coder", "origin", "status", "memo",
                  "created", "text"]


def codings_frame(project, *, coders=None, status=None, source=None) -> pd.DataFrame:
    """One row per coding, with its source, informant, speaker, turn and text.

    ``informant`` and ``speaker`` come from the turn the coding starts in
    (``turn`` is that turn's index; missing between turns); ``words`` counts
    the coded text's words.  Filters: ``coders`` (an id or a list),
    ``status`` (``"accepted"``, ...), ``source`` (an id).
    """
    clauses, values = [], []
    if coders is not None:
        coders = [coders] if isinstance(coders, str) else list(coders)
        clauses.append(f"coder_id IN ({', '.join('?' * len(coders))})")
        values += coders
    for column, value in (("status", status), ("source_id", source)):
        if value is not None:
            clauses.append(f"{column} = ?")
            values.append(value)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    conn = project._conn
    frame = pd.DataFrame(conn.execute(
        'SELECT id, source_id, start, "end", code_id, coder_id, origin, status, memo, created '
        f"FROM codings{where}", values).fetchall(),
        columns=["coding_id", "source", "start", "end", "code", "coder", "origin", "status",
                 "memo", "created"])
    frame = frame.sort_values(["source", "start", "end", "coding_id"], kind="stable",
                              ignore_index=True)
    columns = _source_columns(conn, frame)
    frame = frame.assign(**columns)
    frame["turn"] = frame["turn"].astype("Int64")
    return frame[CODING_COLUMNS]


def _source_columns(conn, frame: pd.DataFrame) -> dict[str, object]:
    """Per-row columns that depend on the coding's source: kind, turn, speaker, text..."""
    n = len(frame)
    out = {name: np.empty(n, dtype=object) for name in ("kind", "doc_type", "informant", "speaker", "text")}
    out["turn"] = np.full(n, -1, dtype=np.int64)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    for source_id, rows in frame.groupby("source", sort=False).indices.items():
        kind, text, attrs = conn.execute("SELECT kind, text, attrs FROM sources WHERE id = ?",
                                         (source_id,)).fetchone()
        turns = conn.execute('SELECT start, "end", speaker, informant_id FROM turns '
                             "WHERE source_id = ? ORDER BY idx", (source_id,)).fetchall()
        index = _turn_index(turns, starts[rows])
        speakers = np.array([t[2] for t in turns] + [None], dtype=object)
        informants = np.array([t[3] for t in turns] + [None], dtype=object)
        out["kind"][rows] = kind
        out["doc_type"][rows] = json.loads(attrs).get("doc_type")
        out["turn"][rows] = index
        out["speaker"][rows] = speakers[index]
        out["informant"][rows] = informants[index]
        out["text"][rows] = [text[s:e] for s, e in zip(starts[rows], ends[rows])]
    out["words"] = np.fromiter((count_words(t) for t in out["text"]), dtype=np.int64, count=n)
    turn = pd.array(out["turn"], dtype="Int64")
    turn[out["turn"] < 0] = pd.NA
    out["turn"] = turn
    return out


def _turn_index(turns, starts: np.ndarray) -> np.ndarray:
    """For each offset, the index of the turn containing it, or -1."""
    if not turns:
        return np.full(len(starts), -1)
    begins = np.array([t[0] for t in turns])
    ends = np.array([t[1] for t in turns])
    index = np.searchsorted(begins, starts, side="right") - 1
    inside = (index >= 0) & (starts < ends[np.clip(index, 0, None)])
    return np.where(inside, index, -1)
