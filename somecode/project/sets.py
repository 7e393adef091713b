"""Named sets of sources or of cases: a static list (``sources=`` or ``cases=``), or the cases whose
attributes match a query (``where=``, kept as the query and evaluated again whenever it is used,
see :mod:`somecode.project.queries`).  Every analysis takes ``sets=`` to restrict itself to them.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> for case, role in (("ani", "staff"), ("budi", "deputy"), ("citra", "staff")):
...     _ = p.add_informant(somecode.Informant(case, case.title(), {"role": role}))
>>> p.add_set("staff", where="role == 'staff'")
>>> p.set_members("staff")
['ani', 'citra']
>>> _ = p.set_attributes("budi", role="staff")
>>> p.set_members("staff")
['ani', 'budi', 'citra']
>>> p.sets()[["name", "members", "query", "size"]].values.tolist()
[['staff', 'cases', "role == 'staff'", 3]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pandas as pd

from .. import store as db
from ..errors import ConflictError, ValidationError
from ..vocabulary import did_you_mean, unknown
from .attributes import declared
from .history import operation
from .queries import held_values, matching, parse_query, query_text

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["add_set", "sets", "set_members", "delete_set", "rename_set", "set_definition", "select",
           "SET_MEMBERS"]

SET_MEMBERS = ("sources", "cases")


def _name(name: str) -> str:
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise ValidationError(f"set name {name!r}: give a non-empty name without spaces at either end")
    return name


def _ids(argument: str, given: Any) -> list:
    """The ids given as one id or a collection of them (a list, tuple or set); anything else is refused."""
    if isinstance(given, str):
        return [given]
    if isinstance(given, (Mapping, bytes)) or not isinstance(given, Iterable):
        raise ValidationError(f"{argument}={given!r}: give an id or a list of ids")
    return list(given)


def _case_attrs(project: Project) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    people = project.informants()
    return {i.id: dict(i.attrs) for i in people}, {i.id: i.name for i in people}


def add_set(project: Project, name: str, *, sources: Iterable[str] | None = None,
            cases: Iterable[str] | None = None, where: str | Mapping[str, Any] | None = None,
            by: str = "") -> None:
    """Make a named set: of ``sources`` (ids), of ``cases`` (informant ids), or of the cases that
    match ``where`` (a query over case attributes such as ``"role == 'staff' and age >= 30"``, or a
    mapping ``{"role": "staff"}``; stored as the query, so later changes to the cases count).
    Give exactly one of the three.  Unknown ids are all reported at once; one undoable operation."""
    _name(name)
    given = [k for k, v in (("sources", sources), ("cases", cases), ("where", where)) if v is not None]
    if len(given) != 1:
        raise ValidationError(f"set {name!r}: give exactly one of sources=, cases= or where= "
                              f"(got {', '.join(given) + '=' if given else 'none'})")
    if db.sets.get_set(project.store, name) is not None:
        raise ConflictError(f"there is a set {name!r} already; nothing was changed (fix: choose another name, or "
                            f"delete it first with project.delete_set({name!r}))")
    query, ids, members = None, [], "cases"
    if where is not None:  # checked against the values the cases hold now: a typo is an error, not an empty set
        attrs, names = _case_attrs(project)
        held = held_values([{**a, "id": case, "name": names[case]} for case, a in attrs.items()])
        query = parse_query(where, sorted({k for a in attrs.values() for k in a}), declared(project), held).text
    else:
        members = "sources" if sources is not None else "cases"
        ids = _ids(members, sources if sources is not None else cases)
        known = project.source_ids() if members == "sources" else [i.id for i in project.informants()]
        what = "source" if members == "sources" else "case (informant)"
        missing = [i for i in ids if i not in set(known)]
        if missing:
            raise ValidationError(f"set {name!r}: {len(missing)} unknown {what} id(s); nothing was changed",
                                  [f"no {what} {i!r} in the project{did_you_mean(i, known)}" for i in missing])
        ids = list(dict.fromkeys(ids))
    with operation(project, "add_set", {"name": name, "members": members, "query": query, "ids": ids}, by):
        db.sets.insert_set(project.store, name, members, query, ids, by)


def set_definition(project: Project, name: str) -> tuple[str, str | None, list[str]]:
    """``(members, query, ids)`` of a set: ``members`` is ``'sources'`` or ``'cases'``."""
    if not isinstance(name, str):
        raise ValidationError(f"set {name!r}: name a set by its name (text); the sets are "
                              f"{', '.join(repr(r[0]) for r in db.sets.set_rows(project.store)) or 'none yet'}")
    found = db.sets.get_set(project.store, name)
    if found is None:
        raise unknown("set", name, [r[0] for r in db.sets.set_rows(project.store)],
                      fix="make it with project.add_set(...)")
    return found[1], found[2], found[3]


def set_members(project: Project, name: str) -> list[str]:
    """The ids in a set now: its sources or cases that are still in the project, or the cases its
    query selects today (in id order; the query was checked when the set was made, and selects
    nobody once no case holds the value it names)."""
    members, query, ids = set_definition(project, name)
    if query is not None:
        attrs, names = _case_attrs(project)
        return matching(query, attrs, declared(project), names, strict=False)
    known = set(project.source_ids() if members == "sources" else [i.id for i in project.informants()])
    return [i for i in ids if i in known]


def sets(project: Project) -> pd.DataFrame:
    """Every set, by name: name, members (``sources`` or ``cases``), query (``None`` for a list),
    size (members now), by, created."""
    rows = [(name, members, query, len(set_members(project, name)), author, created)
            for name, members, query, _, author, created in db.sets.set_rows(project.store)]
    frame = pd.DataFrame(rows, columns=["name", "members", "query", "size", "by", "created"])
    return frame.assign(query=pd.Series([r[2] for r in rows], index=frame.index, dtype=object))  # None: a list


def delete_set(project: Project, name: str, *, by: str = "") -> None:
    """Delete a set (its sources and cases stay; memos about it stay, listed by
    :meth:`Project.memos`).  Undoable."""
    members, query, ids = set_definition(project, name)
    with operation(project, "delete_set", {"name": name, "members": members, "query": query, "ids": ids}, by):
        db.sets.delete_set(project.store, name)


def rename_set(project: Project, name: str, new: str, *, by: str = "") -> None:
    """Give a set a new name; memos about it follow.  Undoable."""
    set_definition(project, name)
    _name(new)
    if new == name:
        return
    if db.sets.get_set(project.store, new) is not None:
        raise ConflictError(f"cannot rename set {name!r} to {new!r}: there is a set {new!r} already; nothing was "
                            "changed")
    with operation(project, "rename_set", {"name": name, "new": new}, by):
        db.sets.rename_set(project.store, name, new)
        db.memos.rename_about(project.store, "set", name, new)


def select(project: Project, sets: str | Sequence[str] | None,
           cases: Mapping[str, Mapping[str, Any]], names: Mapping[str, str] | None = None,
           where: str | Mapping[str, Any] | None = None) -> tuple[set[str] | None, set[str] | None]:
    """The sources and the cases an analysis restricted to ``sets`` and ``where`` keeps (``None``:
    no restriction of that kind).  ``cases`` maps every case id the analysis knows to its attributes.

    Sets of one kind are joined (a source in any of the source sets named); a restriction on
    sources and one on cases both apply; ``where`` keeps the cases it matches (and, with case sets,
    those in both)."""
    keep_sources: set[str] | None = None
    keep_cases: set[str] | None = None
    types = declared(project)
    if sets is not None:
        if isinstance(sets, str):
            wanted = [sets]
        elif isinstance(sets, (list, tuple, set, frozenset)):
            wanted = list(sets)
        else:
            raise ValidationError(f"sets={sets!r}: give a set's name or a list of names (project.sets() lists them)")
        if not wanted:
            raise ValidationError("sets=[] names no set; leave sets= out to use everything, or name a set")
        for name in wanted:
            members, query, ids = set_definition(project, name)
            found = set(matching(query, cases, types, names, strict=False) if query is not None else ids)
            if members == "sources":
                keep_sources = found | (keep_sources or set())
            else:
                keep_cases = found | (keep_cases or set())
    if where is not None:
        chosen = set(matching(where, cases, types, names))
        keep_cases = chosen if keep_cases is None else keep_cases & chosen
    return keep_sources, keep_cases
