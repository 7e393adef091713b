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
from ..model import ORIGINS, STATUSES, Informant
from ..sources.transcript import INFORMANT_KEYS
from ..text import count_words, slugify
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders, unknown

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["codings_frame", "units_frame", "code_paths", "CODING_COLUMNS", "front_matter_informant",
           "analysis_informants", "analysis_sources", "restrict", "selection"]

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
                  source: str | None = None, sets=None, where=None, columns=None) -> pd.DataFrame:
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
    default; ``None`` for all), ``source`` (an id), ``sets`` and ``where``
    (see :func:`restrict`: every analysis takes them).  ``columns``: the
    columns of :data:`CODING_COLUMNS` wanted (default: all of them; the
    attribute and deeper level columns always come, and a column's source with
    it: ``stage`` brings ``code``): memo, time, text and words are
    read or computed only when asked for, so a table that needs none of them
    reads less.  Label columns (source, code, informant, coder...) are
    categorical: a million rows stay small and pivot fast.

    >>> import somecode, tempfile, os
    >>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
    >>> _ = p.add_source(somecode.Source.from_text("doc", "Satu dua.", kind="document"))
    >>> _ = p.add_code("share"), p.code("doc", 0, 4, "share", coder="nida")
    >>> list(codings_frame(p, columns=["source", "stage"]).columns)
    ['source', 'code', 'stage']
    """
    check_choice("status", status, STATUS_FILTERS)
    wanted = _wanted_columns(columns)
    if coders is not None:
        coders = [coders] if isinstance(coders, str) else list(coders)
        check_coders(project, coders)
    store = project.store
    if source is not None and db.sources.get_source(store, source) is None:
        raise unknown("source", source, db.sources.source_ids(store))
    kept = None if sets is None and where is None else selection(project, sets=sets, where=where)
    labels = {"source": db.sources.source_ids(store), "code": db.codes.code_ids(store),  # plain ids: read first
              "coder": db.codes.coder_ids(store), "origin": list(ORIGINS), "status": list(STATUSES)}
    fields = [f for f in db.codings.FRAME_FIELDS if f in wanted or f in ("source", "start")]
    data = _read_codings(store, fields, labels, coders=coders, status=status, source=source)
    if kept is not None and kept[0] is not None:  # fewer rows to place on turns
        allowed = np.isin(np.asarray(labels["source"], dtype=object), list(kept[0]))
        data = {k: v[allowed[data["source"]]] for k, v in data.items()}
    people = {i.id: i for i in project.informants()}
    placed, named = _placed(store, data, labels["source"], people, text="text" in wanted or "words" in wanted)
    informants = [*people.values(), *named]
    frame = pd.DataFrame({f: data[f] for f in ("coding_id", "start", "end") if f in data})
    columns_out = {"source": _categorical(data["source"], labels["source"]), **placed}
    for name in ("code", "coder", "origin", "status"):
        if name in data:
            columns_out[name] = _categorical(data[name], labels[name])
    for name in ("memo", "created"):
        if name in data:
            columns_out[name] = data[name]
    if "code" in data:
        columns_out.update(_level_columns(project, data["code"], labels["code"]))
    columns_out.update(_informant_columns(informants, placed["informant"], _declared(project)))
    frame = frame.assign(**columns_out)
    if kept is not None and kept[1] is not None:
        frame = frame[frame["informant"].isin(kept[1])].reset_index(drop=True)
    extra = [c for c in columns_out if c not in CODING_COLUMNS and c != "informant_name"]
    order = CODING_COLUMNS[:11] + [c for c in extra if not c.startswith("level_")] + \
        [c for c in extra if c.startswith("level_")] + CODING_COLUMNS[11:]
    return frame[[c for c in order if c in wanted or c in extra]]


def _wanted_columns(columns) -> set[str]:
    """The columns asked for (all by default), checked; with what computing them needs."""
    if columns is None:
        return set(CODING_COLUMNS)
    listed = [columns] if isinstance(columns, str) else list(columns)
    for name in listed:
        check_choice("columns", name, CODING_COLUMNS)
    needs = {"stage": ["code"], "subtheme": ["code"], "informant_name": ["informant"], "text": ["end"],
             "words": ["text", "end"]}
    return set(listed) | {n for c in listed for n in needs.get(c, [])}


def _read_codings(store: db.Store, fields: list[str], labels: dict[str, list], **filters) -> dict[str, np.ndarray]:
    """The coding fields asked for, read in chunks and sorted by source, start, end and id (those
    read): numbers as int64 arrays, labels as int32 codes into ``labels[field]`` (-1 for a value not
    listed), memo and time as object arrays."""
    parts: dict[str, list] = {f: [] for f in fields}
    lookups = {f: pd.Index(labels[f], dtype=object) for f in fields if f in labels}
    for chunk in db.codings.frame_chunks(store, fields, **filters):
        table = np.array(chunk, dtype=object).reshape(len(chunk), len(fields))
        for n, field in enumerate(fields):
            if field in lookups:
                parts[field].append(lookups[field].get_indexer(table[:, n]).astype(np.int32))
            elif field in ("memo", "created"):
                parts[field].append(table[:, n])
            else:
                parts[field].append(table[:, n].astype(np.int64))
    types = {f: np.int32 if f in lookups else object if f in ("memo", "created") else np.int64 for f in fields}
    data = {f: np.concatenate(p) if p else np.array([], dtype=types[f]) for f, p in parts.items()}
    keys = [data[f] for f in ("coding_id", "end", "start", "source") if f in data]
    order = np.lexsort(keys)  # stable, and rows come in storage (id) order; source ids are sorted
    return {f: values[order] for f, values in data.items()}


def _categorical(codes: np.ndarray, labels) -> pd.Categorical:
    """``labels[code]`` for each code (-1: missing) as a categorical, equal to ``.astype("category")``
    of those values (sorted categories, only those present), built without a per-row step."""
    labels = list(labels)
    present = np.bincount(codes + 1, minlength=len(labels) + 1)[1:] > 0
    used = [label for label, there in zip(labels, present) if there and label is not None]
    dtype = pd.Series(used, dtype=object).astype("category").dtype
    lookup = np.append(dtype.categories.get_indexer(pd.Index(labels, dtype=object)), -1)
    return pd.Categorical.from_codes(lookup[codes], dtype=dtype)


def _level_columns(project: Project, codes: np.ndarray, code_ids: list[str]) -> dict[str, object]:
    paths = code_paths(project)
    depth = max((len(p) for p in paths.values()), default=1)
    names = ["stage", "subtheme"] + [f"level_{n}" for n in range(2, depth)]
    columns = {}
    for n, name in enumerate(names):
        levels = [(paths.get(c, []) + [None] * len(names))[n] for c in code_ids]
        columns[name] = _categorical(codes, levels)
    return columns


def _declared(project: Project) -> list[str]:
    """The declared case attributes: columns even when no case has a value yet."""
    return [name for name, _, _ in db.attributes.attribute_rows(project.store)]


def _informant_columns(people: list[Informant], informants, declared=()) -> dict[str, object]:
    """The informant's name and attributes for each row: ``informants`` holds informant ids (a
    categorical, or any values)."""
    names = {i.id: i.name for i in people}
    keys = sorted({k for i in people for k, v in i.attrs.items() if isinstance(v, (str, int, float, bool))}
                  | set(declared))
    values: dict[str, dict[str, Any]] = {"informant_name": names}
    for key in keys:
        values[key if key not in CODING_COLUMNS else f"informant_{key}"] = {i.id: i.attrs.get(key) for i in people}
    if isinstance(informants, pd.Categorical):  # per informant, not per row
        ids = list(informants.categories)
        return {name: _categorical(informants.codes, [mapping.get(i) for i in ids])
                for name, mapping in values.items()}
    informants = pd.Series(informants)
    return {name: informants.map(mapping).astype(object) for name, mapping in values.items()}


def units_frame(project: Project, *, sets=None, where=None) -> pd.DataFrame:
    """One row per unit (turn or paragraph) of every source: the denominators of coverage.

    Columns: source, kind, doc_type, turn, start, end, speaker, informant, words,
    informant_name and the informants' attributes (as in :func:`codings_frame`).
    ``sets`` and ``where`` keep the units of those sources and cases (:func:`restrict`).
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
    frame = frame.assign(**_informant_columns(people, frame["informant"], _declared(project)))
    return restrict(project, frame, sets=sets, where=where).reset_index(drop=True)


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


def analysis_informants(project: Project, sources=None, *, sets=None, where=None) -> list[Informant]:
    """Every informant an analysis has a column for, by id: the project's informants and
    those named only by the front matter of an interview without speaker labels.
    ``sources``: the project's sources when already read (else only what is needed is).
    ``sets``/``where`` (:func:`restrict`): only the cases kept, and with sets of sources only
    those with a unit there."""
    if sets is not None or where is not None:
        kept_sources, kept_cases = selection(project, sets=sets, where=where)
        people = analysis_informants(project, sources)
        if kept_cases is not None:
            people = [i for i in people if i.id in kept_cases]
        if kept_sources is not None:
            units = units_frame(project)
            present = set(units.loc[units["source"].isin(kept_sources), "informant"].dropna())
            people = [i for i in people if i.id in present]
        return people
    known = {i.id: i for i in project.informants()}
    found = dict(known)
    if sources is None:
        store = project.store
        for source_id, (kind, attrs) in db.sources.source_headers(store).items():
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


def analysis_sources(project: Project, *, sets=None, where=None) -> list[str]:
    """The source ids an analysis has a column for: every source, or under ``sets``/``where``
    (:func:`restrict`) those kept, and with a restriction on cases those where a case kept has a unit."""
    ids = project.source_ids()
    if sets is None and where is None:
        return ids
    kept_sources, kept_cases = selection(project, sets=sets, where=where)
    if kept_sources is not None:
        ids = [s for s in ids if s in kept_sources]
    if kept_cases is not None:
        units = units_frame(project)
        present = set(units.loc[units["informant"].isin(kept_cases), "source"])
        ids = [s for s in ids if s in present]
    return ids


def selection(project: Project, *, sets=None, where=None) -> tuple[set[str] | None, set[str] | None]:
    """The source ids and the case (informant) ids that ``sets`` and ``where`` keep; ``None`` where
    they put no restriction (see :func:`restrict`)."""
    from ..project.sets import select

    if sets is None and where is None:
        return None, None
    people = analysis_informants(project)
    return select(project, sets, {i.id: dict(i.attrs) for i in people}, {i.id: i.name for i in people}, where)


def restrict(project: Project, frame: pd.DataFrame, *, sets=None, where=None) -> pd.DataFrame:
    """The rows of a long table (:func:`codings_frame`, :func:`units_frame`: with ``source`` and
    ``informant`` columns) in the sets named and of the cases ``where`` selects.

    ``sets``: a set name or a list of names (:meth:`Project.add_set`).  A set of sources keeps
    the rows in its sources; a set of cases (a list, or a query) the rows of its cases (their
    turns, or the whole of an unlabelled interview they own; never a document).  Several sets of
    one kind add up; a set of sources and a set of cases both apply.  ``where``: a query over case
    attributes, ``"role == 'staff' and age >= 30"``, or a mapping ``{"role": "staff"}``
    (:mod:`somecode.project.queries`); with case sets, a row must be in both.  Unknown set or
    attribute names are errors that name the closest one.

    >>> import somecode, tempfile, os
    >>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
    >>> _ = p.add_source(somecode.Source.from_text("i", "Ani: Satu. Budi: Dua.", kind="interview",
    ...     turns=[somecode.Turn(5, 10, "Ani", "ani"), somecode.Turn(17, 21, "Budi", "budi")],
    ...     attrs={"informants": {"ani": {"role": "staff"}, "budi": {"role": "deputy"}}}))
    >>> _ = p.add_code("share")
    >>> _ = p.code("i", 5, 9, "share", coder="nida"), p.code("i", 17, 20, "share", coder="nida")
    >>> codings_frame(p, where="role == 'staff'")[["informant", "text"]].values.tolist()
    [['ani', 'Satu']]
    """
    if sets is None and where is None:
        return frame
    kept_sources, kept_cases = selection(project, sets=sets, where=where)
    keep = np.ones(len(frame), dtype=bool)
    if kept_sources is not None:
        keep &= frame["source"].isin(kept_sources).to_numpy()
    if kept_cases is not None:
        keep &= frame["informant"].isin(kept_cases).to_numpy()
    return frame[keep]


def _placed(store: db.Store, data: dict[str, np.ndarray], source_ids: list[str], people: dict[str, Informant],
            *, text: bool) -> tuple[dict[str, Any], list[Informant]]:
    """Per-row columns that depend on the coding's source and the turn it starts in: kind,
    doc_type, turn, speaker, informant (and text and words when ``text``); and the informants
    named only by front matter (see :func:`front_matter_informant`).  Rows are ordered by source."""
    named: dict[str, Informant] = {}
    n = len(data["source"])
    headers = db.sources.source_headers(store)
    turn_of = np.full(n, -1, dtype=np.int64)
    codes = {name: np.full(n, -1, dtype=np.int32) for name in ("kind", "doc_type", "speaker", "informant")}
    labels: dict[str, dict] = {name: {} for name in codes}
    texts = np.empty(n if text else 0, dtype=object)
    starts = data["start"]
    ends = data["end"] if text else starts  # the text needs the ends (see _wanted_columns)
    present = np.unique(data["source"])
    bounds = np.searchsorted(data["source"], present, side="left"), np.searchsorted(data["source"], present, "right")
    for code, low, high in zip(present, *bounds):
        rows = slice(low, high)
        source_id = source_ids[code]
        kind, attrs = headers[source_id]
        turns = db.sources.turn_rows(store, source_id)
        index = _turn_index(turns, starts[rows])
        turn_of[rows] = index
        owner = front_matter_informant(kind, attrs, turns, people)
        if owner is not None and owner.id not in people:
            named[owner.id] = owner
        per_turn = {"speaker": [t[2] for t in turns], "informant": [t[3] for t in turns]}
        if owner is not None:
            per_turn["informant"] = [owner.id] * len(turns)
        for name, value in (("kind", kind), ("doc_type", attrs.get("doc_type"))):
            codes[name][rows] = _label_code(labels[name], value)
        for name, values in per_turn.items():
            table = np.array([_label_code(labels[name], v) for v in values] +
                             [_label_code(labels[name], owner.id if owner and name == "informant" else None)],
                             dtype=np.int32)
            codes[name][rows] = table[index]
        if text:
            body = db.sources.source_kind_text_attrs(store, source_id)[1]
            texts[rows] = [body[s:e] for s, e in zip(starts[rows], ends[rows])]
    out: dict[str, Any] = {name: _categorical(codes[name], list(labels[name])) for name in codes}
    turn = pd.array(turn_of, dtype="Int64")
    turn[turn_of < 0] = pd.NA
    out["turn"] = turn
    if text:
        out["text"] = texts
        out["words"] = np.fromiter((count_words(t) for t in texts), dtype=np.int64, count=n)
    return out, list(named.values())


def _label_code(labels: dict, value) -> int:
    """The code of ``value`` among ``labels`` (added when new); -1 for ``None``."""
    if value is None:
        return -1
    return labels.setdefault(value, len(labels))


def _turn_index(turns, starts: np.ndarray) -> np.ndarray:
    """For each offset, the index of the turn containing it, or -1."""
    if not turns:
        return np.full(len(starts), -1)
    begins = np.array([t[0] for t in turns])
    ends = np.array([t[1] for t in turns])
    index = np.searchsorted(begins, starts, side="right") - 1
    inside = (index >= 0) & (starts < ends[np.clip(index, 0, None)])
    return np.where(inside, index, -1)
