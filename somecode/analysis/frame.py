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
from ..model import Informant
from ..sources.transcript import INFORMANT_KEYS
from ..text import count_words, slugify
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders, unknown

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["codings_frame", "units_frame", "code_paths", "CODING_COLUMNS", "front_matter_informant",
           "analysis_informants"]

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

    Who a coding belongs to (the ``informant`` column, which every table
    follows): the informant of the turn it starts in.  A turn of an
    interviewer (a speaker label that names no informant) belongs to no one,
    nor does text between the turns of a labelled transcript: informant tables
    leave such codings out, :func:`~somecode.analysis.theme_by_source` counts
    them.  An interview without speaker labels (of kind ``interview``, no turn
    with a speaker or an informant) whose attributes name exactly one informant
    -- one entry in ``informants``, or else front matter ``informant: Manpro``
    -- belongs wholly to that informant: every coding in it, wherever it
    starts, and every unit of it (:func:`units_frame`).  The name is matched to
    a known informant by id (``manpro``) or name; an informant named only there
    gets the id ``slugify(name)``, and the informant keys of the front matter
    (``role``, ``organisation``...) as attributes.  A ``document`` stays a
    document whatever its front matter says.

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
    people = {i.id: i for i in project.informants()}
    columns, named = _source_columns(project.store, frame, people)
    frame = frame.assign(**columns)
    frame["turn"] = frame["turn"].astype("Int64")
    levels = _level_columns(project, frame["code"])
    informants = _informant_columns([*people.values(), *named], frame["informant"])
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


def _informant_columns(people: list[Informant], informants: pd.Series) -> dict[str, object]:
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
    sources = project.sources()
    people = analysis_informants(project, sources)
    known = {i.id: i for i in people}
    for source in sources:
        doc_type = source.attrs.get("doc_type")
        owner = front_matter_informant(source.kind, source.attrs, source.turns, known)
        for index, turn in enumerate(source.turns):
            rows.append((source.id, source.kind, doc_type, index, turn.start, turn.end, turn.speaker,
                         owner.id if owner else turn.informant, count_words(source.slice(turn))))
    frame = pd.DataFrame(rows, columns=["source", "kind", "doc_type", "turn", "start", "end", "speaker",
                                        "informant", "words"])
    return frame.assign(**_informant_columns(people, frame["informant"]))


def front_matter_informant(kind: str, attrs, turns, known: dict[str, Informant]) -> Informant | None:
    """The informant a whole source belongs to: an interview without speaker labels whose
    attributes name exactly one informant (see :func:`codings_frame`); ``None`` otherwise.

    ``turns``: :class:`~somecode.model.Turn` records or turn rows ``(start, end, speaker,
    informant, ...)``; ``known``: the project's informants by id.

    >>> front_matter_informant("interview", {"informant": "Manpro", "role": "manajer"}, [], {})
    Informant(id='manpro', name='Manpro', attrs={'role': 'manajer'})
    >>> front_matter_informant("document", {"informant": "Manpro"}, [], {}) is None
    True
    """
    owner = _named_informant(kind, attrs, known)
    return None if owner is None or _labelled(turns) else owner


def _labelled(turns) -> bool:
    """Whether some turn has a speaker label or an informant."""
    for turn in turns:
        speaker, informant = (turn.speaker, turn.informant) if hasattr(turn, "speaker") else turn[2:4]
        if speaker or informant:
            return True
    return False


def _named_informant(kind: str, attrs, known: dict[str, Informant]) -> Informant | None:
    """The one informant an interview's attributes name (speaker labels aside), or ``None``."""
    if kind != "interview":
        return None
    declared = attrs.get("informants") or {}
    if isinstance(declared, dict) and declared:
        if len(declared) != 1:
            return None
        [(informant_id, info)] = declared.items()
        if informant_id in known:
            return known[informant_id]
        info = dict(info) if isinstance(info, dict) else {}
        return Informant(str(informant_id), str(info.pop("name", informant_id)), info)
    name = attrs.get("informant")
    if isinstance(name, bool) or not isinstance(name, (str, int)) or not str(name).strip():
        return None
    name = str(name).strip()
    informant_id = slugify(name)
    if informant_id in known:
        return known[informant_id]
    same_name = [i for i in known.values() if i.name == name]
    if len(same_name) == 1:
        return same_name[0]
    return Informant(informant_id, name, {k: attrs[k] for k in INFORMANT_KEYS if k in attrs})


def analysis_informants(project: Project, sources=None) -> list[Informant]:
    """Every informant an analysis has a column for, by id: the project's informants and
    those named only by the front matter of an interview without speaker labels.
    ``sources``: the project's sources when already read (else only what is needed is)."""
    known = {i.id: i for i in project.informants()}
    found = dict(known)
    if sources is None:
        store = project.store
        for source_id in db.sources.source_ids(store):
            kind, _, attrs = db.sources.source_kind_text_attrs(store, source_id)
            owner = _named_informant(kind, attrs, known)
            # only someone not known yet adds a column, and only then do the turns matter
            if owner is not None and owner.id not in found and not _labelled(db.sources.turn_rows(store, source_id)):
                found[owner.id] = owner
    else:
        for source in sources:
            owner = front_matter_informant(source.kind, source.attrs, source.turns, known)
            if owner is not None:
                found.setdefault(owner.id, owner)
    return [found[k] for k in sorted(found)]


def _source_columns(store: db.Store, frame: pd.DataFrame,
                    people: dict[str, Informant]) -> tuple[dict[str, Any], list[Informant]]:
    """Per-row columns that depend on the coding's source: kind, turn, speaker, text...; and the
    informants named only by front matter (see :func:`front_matter_informant`)."""
    named: dict[str, Informant] = {}
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
        owner = front_matter_informant(kind, attrs, turns, people)
        if owner is None:
            out["informant"][rows] = informants[index]
        else:
            out["informant"][rows] = owner.id
            if owner.id not in people:
                named[owner.id] = owner
        out["text"][rows] = [text[s:e] for s, e in zip(starts[rows], ends[rows])]
    out["words"] = np.fromiter((count_words(t) for t in out["text"]), dtype=np.int64, count=n)
    turn = pd.array(out["turn"], dtype="Int64")
    turn[out["turn"] < 0] = pd.NA
    out["turn"] = turn
    return out, list(named.values())


def _turn_index(turns, starts: np.ndarray) -> np.ndarray:
    """For each offset, the index of the turn containing it, or -1."""
    if not turns:
        return np.full(len(starts), -1)
    begins = np.array([t[0] for t in turns])
    ends = np.array([t[1] for t in turns])
    index = np.searchsorted(begins, starts, side="right") - 1
    inside = (index >= 0) & (starts < ends[np.clip(index, 0, None)])
    return np.where(inside, index, -1)
