"""The sources and informants of a project.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = add_source(p, somecode.Source.from_text("d", "Satu.", kind="document"))
>>> source_ids(p), source(p, "d").text
(['d'], 'Satu.')
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .. import store as db
from ..errors import ConflictError, SomecodeWarning
from ..model import Informant, Source, check_id
from ..store.records import coding_to_mapping
from ..vocabulary import unknown
from . import attributes
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["add_source", "add_sources", "add_path", "source", "source_ids", "sources", "delete_source",
           "informants", "add_informant", "register_informants"]


def add_source(project: Project, source: Source, *, by: str = "") -> Source:
    """Add a source; adding the identical source again changes nothing.

    A different source under an id that is taken raises :class:`ConflictError`.
    """
    existing = db.sources.get_source(project.store, source.id)
    if existing is not None:
        return _same_or_conflict(existing, source)
    with operation(project, "add_source", {"id": source.id}, by):
        register_informants(project, source)
        db.sources.insert_source(project.store, source)
    return source


def add_sources(project: Project, sources: Iterable[Source], *, by: str = "") -> list[Source]:
    """Add several sources in one transaction: all of them, or (on any error) none.  Each is added
    as :func:`add_source` would add it (an identical one again changes nothing), the new ones
    stored together."""
    sources = list(sources)
    with operation(project, "add_sources", {"ids": [s.id for s in sources]}, by):
        taken = set(db.sources.source_ids(project.store))
        new: dict[str, Source] = {}
        added = []
        for source in sources:
            stored = db.sources.get_source(project.store, source.id) if source.id in taken else None
            if stored is not None:
                added.append(_same_or_conflict(stored, source))
            elif source.id in new:
                added.append(_same_or_conflict(new[source.id], source))
            else:
                register_informants(project, source)
                new[source.id] = source
                added.append(source)
        db.sources.insert_sources(project.store, list(new.values()))
        return added


def add_path(project: Project, path: str | Path, **options) -> list[Source]:
    """Read a file (every source in it) or every file of a folder, and add them, all or nothing."""
    from ..sources import read_path

    return add_sources(project, read_path(Path(path), **options))


def _same_or_conflict(existing: Source, new: Source) -> Source:
    differences = [name for name in ("kind", "title", "text", "turns", "attrs")
                   if getattr(existing, name) != getattr(new, name)]
    if not differences:
        return existing
    raise ConflictError(
        f"source {new.id!r} is already in the project with a different {', '.join(differences)}"
        f"{f' (new file: {new.path})' if new.path else ''}. Nothing was changed. To keep both, "
        "give the new one another id (front matter 'id:' or id=...); to replace it, delete the "
        f"old one first with project.delete_source({new.id!r}, force=True), which also "
        "deletes its codings")


def register_informants(project: Project, source: Source) -> None:
    """Store the informants a source declares or speaks with (attrs merge into known ones)."""
    store = project.store
    declared = None
    for informant_id, info in (source.attrs.get("informants") or {}).items():
        info = dict(info)
        name = str(info.pop("name", informant_id))
        declared = attributes.declared(project) if declared is None else declared
        if declared:  # declared attributes are checked (and typed) as they are set
            info = attributes.checked_attrs(project, informant_id, info, declared)
        known = db.sources.informant_attrs(store, informant_id)
        if known is None:
            db.sources.insert_informant(store, Informant(check_id(informant_id, "informant id"), name, info))
        else:
            db.sources.set_informant_attrs(store, informant_id, {**info, **known})
    speakers: dict[str, str] = {}
    for turn in source.turns:  # each informant once, with the label of its first turn
        if turn.informant and turn.informant not in speakers:
            speakers[turn.informant] = turn.speaker or turn.informant
    for informant_id, name in speakers.items():
        if db.sources.informant_attrs(store, informant_id) is None:
            db.sources.insert_informant(store, Informant(check_id(informant_id, "informant id"), name))


def source(project: Project, source_id: str) -> Source:
    """The source with this id (:class:`NotFoundError` names the ids there are)."""
    found = db.sources.get_source(project.store, source_id)
    if found is None:
        raise unknown("source", source_id, source_ids(project))
    return found


def source_ids(project: Project) -> list[str]:
    return db.sources.source_ids(project.store)


def sources(project: Project, kind: str | None = None) -> list[Source]:
    """All sources (of one ``kind``, if given), ordered by id."""
    return [s for s in map(lambda i: source(project, i), source_ids(project)) if kind is None or s.kind == kind]


def delete_source(project: Project, source_id: str, *, force: bool = False, by: str = "") -> None:
    """Delete a source; refused while it has codings unless ``force=True`` (logged, codings kept in the log).

    The source leaves every static set of sources too (a new source given its id later is not a
    member), in the same operation, so one undo puts back the source and its places in the sets.
    Memos about it stay, about a source no longer in the project: a :class:`SomecodeWarning`
    names them, and :func:`~somecode.project.integrity.check` lists them until they are deleted
    or a source with that id is added again (the way to replace a source keeping its memos).
    """
    source(project, source_id)
    codings = db.codings.coding_records(project.store, source=source_id)
    if codings and not force:
        raise ConflictError(f"source {source_id!r} has {len(codings)} codings; nothing was "
                            "deleted. Pass force=True to delete them with it")
    with operation(project, "delete_source", {"source": source_id,
                                              "codings": [coding_to_mapping(c) for c in codings]}, by):
        db.sources.delete_source(project.store, source_id)
        db.sets.remove_member(project.store, "sources", source_id)
    memos = [row[0] for row in db.memos.memo_rows(project.store, "source", source_id)]
    if memos:
        warnings.warn(f"source {source_id!r} is deleted; {len(memos)} memo(s) about it stay (id "
                      f"{', '.join(map(str, memos))}): see project.memos(about={source_id!r}), and delete them "
                      "with project.delete_memo(id) if they are no longer wanted", SomecodeWarning, stacklevel=3)


def informants(project: Project) -> list[Informant]:
    """Every informant, with the attrs their transcripts declared."""
    return db.sources.informants(project.store)


def add_informant(project: Project, informant: Informant, *, by: str = "") -> Informant:
    """Add an informant (a case) who need not speak in any source yet; attrs merge with an
    existing informant's."""
    with operation(project, "add_informant", {"id": informant.id}, by):
        register_informants(project, Source(id="x", kind="document", text="", attrs={"informants": {
            informant.id: {"name": informant.name, **informant.attrs}}}))
    return informant
