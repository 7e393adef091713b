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

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import store as db
from ..text import count_words
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders, unknown

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["codings_frame", "units_frame", "code_paths", "CODING_COLUMNS"]

CODING_COLUMNS = ["coding_id", "source", "kind", "doc_type", "informant", "informant_name", "speaker",
                  "turn", "start", "end", "words", "code", "stage", "subtheme", "coder", "origin",
                  "status", "memo", "created", "text"]


def code_paths(project: Project) -> dict[str, list[str]]:
    """Each code id -> its path from the top level (``['share', 'share.connect']``)."""
    parents = {c.id: c.parent for c in project.codes()}
    paths = {}
    for code_id in parents:
        path, seen = [code_id], {code_id}
        parent = parents.get(path[0])
        while parent and parent not in seen:
            path.insert(0, parent)
            seen.add(parent)
            parent = parents.get(parent)
        paths[code_id] = path
    return paths


def codings_frame(project: Project, *, coders=None, status: str | None = "accepted",
                  source: str | None = None) -> pd.DataFrame:
    """The long table: one row per coding, with everything a matrix may pivot on.

    Columns (:data:`CODING_COLUMNS`, then one per informant attribute such as
    ``role``, then ``level_2``... for deeper codebooks): the source, its kind
    and ``doc_type``; the informant (id and name) and speaker of the turn the
    coding starts in, and ``turn``, that turn's index (missing between turns);
    offsets; ``words`` of the coded text; the code with its ``stage`` (top-level
    code) and ``subtheme`` (second level, missing for a stage-level coding);
    coder, origin, status, memo, time and the coded text.

    Filters: ``coders`` (an id or a list), ``status`` (``"accepted"`` by
    default; ``None`` for all), ``source`` (an id).  Label columns (source,
    code, informant, coder...) are categorical: a million rows stay small and
    pivot fast.
    """
    check_choice("status", status, STATUS_FILTERS)
    if coders is not None:
        coders = [coders] if isinstance(coders, str) else list(coders)
        check_coders(project, coders)
    if source is not None and db.sources.get_source(project.store, source) is None:
        raise unknown("source", source, db.sources.source_ids(project.store))
    frame = pd.DataFrame(
        db.codings.frame_rows(project.store, coders=coders, status=status, source=source),
        columns=["coding_id", "source", "start", "end", "code", "coder", "origin", "status",
                 "memo", "created"])
    frame = frame.sort_values(["source", "start", "end", "coding_id"], kind="stable",
                              ignore_index=True)
    frame = frame.assign(**_source_columns(project.store, frame))
    frame["turn"] = frame["turn"].astype("Int64")
    levels = _level_columns(project, frame["code"])
    informants = _informant_columns(project, frame["informant"])
    frame = frame.assign(**levels, **informants)
    extra = [c for c in informants if c != "informant_name"] + [c for c in levels if c.startswith("level_")]
    frame = frame[CODING_COLUMNS[:11] + [c for c in extra if c not in CODING_COLUMNS] + CODING_COLUMNS[11:]]
    labels = [c for c in frame.columns if c not in ("coding_id", "turn", "start", "end", "words", "memo",
                                                      "created", "text")]
    return frame.astype({c: "category" for c in labels})


def _level_columns(project: Project, codes: pd.Series) -> dict[str, object]:
    paths = code_paths(project)
    depth = max((len(p) for p in paths.values()), default=1)
    names = ["stage", "subtheme"] + [f"level_{n}" for n in range(2, depth)]
    table = {code_id: path + [None] * (len(names) - len(path)) for code_id, path in paths.items()}
    columns = {}
    for n, name in enumerate(names):
        mapping = {code_id: path[n] for code_id, path in table.items()}
        columns[name] = codes.map(mapping).astype(object)
    return columns


def _informant_columns(project: Project, informants: pd.Series) -> dict[str, object]:
    people = project.informants()
    names = {i.id: i.name for i in people}
    columns = {"informant_name": informants.map(names).astype(object)}
    keys = sorted({k for i in people for k, v in i.attrs.items() if isinstance(v, (str, int, float, bool))})
    for key in keys:
        name = key if key not in CODING_COLUMNS else f"informant_{key}"
        columns[name] = informants.map({i.id: i.attrs.get(key) for i in people}).astype(object)
    return columns


def units_frame(project: Project) -> pd.DataFrame:
    """One row per unit (turn or paragraph) of every source: the denominators of coverage.

    Columns: source, kind, doc_type, turn, start, end, speaker, informant, words,
    informant_name and the informants' attributes (as in :func:`codings_frame`).
    """
    rows = []
    for source in project.sources():
        doc_type = source.attrs.get("doc_type")
        for index, turn in enumerate(source.turns):
            rows.append((source.id, source.kind, doc_type, index, turn.start, turn.end, turn.speaker,
                         turn.informant, count_words(source.slice(turn))))
    frame = pd.DataFrame(rows, columns=["source", "kind", "doc_type", "turn", "start", "end", "speaker",
                                        "informant", "words"])
    return frame.assign(**_informant_columns(project, frame["informant"]))


def _source_columns(store: db.Store, frame: pd.DataFrame) -> dict[str, Any]:
    """Per-row columns that depend on the coding's source: kind, turn, speaker, text..."""
    n = len(frame)
    out = {name: np.empty(n, dtype=object) for name in ("kind", "doc_type", "informant", "speaker", "text")}
    out["turn"] = np.full(n, -1, dtype=np.int64)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()
    for source_id, rows in frame.groupby("source", sort=False).indices.items():
        kind, text, attrs = db.sources.source_kind_text_attrs(store, source_id)
        turns = db.sources.turn_rows(store, source_id)
        index = _turn_index(turns, starts[rows])
        speakers = np.array([t[2] for t in turns] + [None], dtype=object)
        informants = np.array([t[3] for t in turns] + [None], dtype=object)
        out["kind"][rows] = kind
        out["doc_type"][rows] = attrs.get("doc_type")
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
