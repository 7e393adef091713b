"""Changing a project's codebook without losing a coding: each operation is one
transaction and one event in the project's log, and ``project.undo()`` reverses the last one exactly.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("d", "Reels dan insight.", kind="document"))
>>> _ = p.add_codes([somecode.Code("optimize"), somecode.Code("reels", "optimize")])
>>> _ = p.code("d", 0, 5, "reels", coder="nida")
>>> merge(p, "reels", into="optimize")
>>> p.codings()["code"].tolist(), p.code_ids()
(['optimize'], ['optimize'])
>>> p.undo()["action"]
'merge'
>>> p.codings()["code"].tolist(), p.code_ids()
(['reels'], ['optimize', 'reels'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from .. import store as db
from ..errors import ConflictError, ValidationError
from ..model import Code, check_id
from ..store.records import stored_id
from ..vocabulary import unknown
from .codes import add_code
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["relabel", "move", "merge", "split", "delete_code", "move_codings"]


def _codes(project: Project) -> dict[str, Code]:
    return {c.id: c for c in db.codes.codes(project.store)}


def _descendants(codes: Mapping[str, Code], code_id: str) -> set[str]:
    found, changed = set(), True
    while changed:
        changed = False
        for code in codes.values():
            if (code.parent == code_id or code.parent in found) and code.id not in found:
                found.add(code.id)
                changed = True
    return found


def _need(codes: Mapping[str, Code], code_id: str) -> Code:
    if code_id not in codes:
        raise unknown("code", code_id, list(codes))
    return codes[code_id]


def relabel(project: Project, code_id: str, label: str, *, language: str = "en", by: str = "") -> None:
    """Give a code a new label in ``language`` (the English label is also its display label)."""
    code = _need(_codes(project), code_id)
    labels = {**code.labels, language: label}
    display = label if language == "en" or not code.label else code.label
    with operation(project, "relabel", {"code": code_id, "language": language,
                                        "old": code.labels.get(language, code.label), "new": label}, by):
        db.codes.set_code_label(project.store, code_id, display, labels)


def move(project: Project, code_id: str, parent: str | None, *, by: str = "") -> None:
    """Give a code a new parent (``None`` makes it top-level); a code cannot move under itself."""
    codes = _codes(project)
    code = _need(codes, code_id)
    if parent is not None:
        _need(codes, parent)
        if parent == code_id or parent in _descendants(codes, code_id):
            raise ValidationError(f"cannot move {code_id!r} under {parent!r}: that is {code_id!r} "
                                  "itself or one of its own descendants")
    with operation(project, "move", {"code": code_id, "old_parent": code.parent, "new_parent": parent}, by):
        db.codes.set_code_parent(project.store, code_id, parent)


def move_codings(store: db.Store, old: str, new: str) -> dict[str, int]:
    """Re-point codings, summaries and propositions from code ``old`` to ``new``; a coding identical in
    span and coder collapses into the existing one, whose memo keeps both texts and which takes its
    stances (where it has none of its own on that proposition)."""
    moved = collapsed = 0
    for coding in db.codings.coding_records(store, code=old):
        twin = db.codings.find_coding(store, coding.source_id, coding.start, coding.end, new, coding.coder_id)
        if twin is None:
            db.codings.set_coding_code(store, stored_id(coding), new)
            moved += 1
            continue
        if coding.memo and coding.memo not in twin.memo:
            db.codings.set_coding_memo(store, stored_id(twin), "\n".join(filter(None, [twin.memo, coding.memo])))
        db.notes.move_stances(store, stored_id(coding), stored_id(twin))
        db.codings.delete_coding(store, stored_id(coding))
        collapsed += 1
    db.notes.move_summaries(store, old, new)
    db.notes.move_propositions(store, old, new)
    return {"moved": moved, "collapsed": collapsed}


def merge(project: Project, code_id: str, *, into: str, by: str = "") -> None:
    """Merge code ``code_id`` into ``into``: its codings, summaries, propositions and child codes
    follow, then it is removed.

    Codings that become exact duplicates collapse into one; memos and stances are kept.
    """
    codes = _codes(project)
    _need(codes, code_id), _need(codes, into)
    if into == code_id or into in _descendants(codes, code_id):
        raise ValidationError(f"cannot merge {code_id!r} into {into!r}: it is the same code or one "
                              f"of its descendants; move {into!r} out first")
    with operation(project, "merge", {"code": code_id, "into": into}, by) as event_id:
        counts = move_codings(project.store, code_id, into)
        db.codes.reparent_children(project.store, code_id, into)
        db.codes.delete_code(project.store, code_id)
        db.events.add_to_payload(project.store, event_id, counts)


def split(project: Project, code_id: str, parts: Mapping, *, by: str = "") -> list[str]:
    """Split a code: each key of ``parts`` (a new :class:`Code`, or a new id placed beside the
    original) receives the codings whose ids are listed; the rest stay where they are."""
    codes = _codes(project)
    original = _need(codes, code_id)
    listed = {}
    for target, ids in parts.items():
        code = target if isinstance(target, Code) else Code(check_id(target, "new code id"),
                                                             original.parent, str(target))
        if code.id in codes:
            raise ConflictError(f"cannot split into {code.id!r}: a code with that id exists")
        listed[code] = [int(i) for i in ids]
    with operation(project, "split", {"code": code_id, "into": {c.id: ids for c, ids in listed.items()}},
                   by):
        for code, ids in listed.items():
            add_code(project, code)
            for coding_id in ids:
                coding = db.codings.get_coding(project.store, coding_id)
                if coding is None or coding.code_id != code_id:
                    raise ValidationError(f"coding {coding_id} is not a coding of {code_id!r}; "
                                          "split only moves codings of the code being split")
                db.codings.set_coding_code(project.store, coding_id, code.id)
    return [c.id for c in listed]


def delete_code(project: Project, code_id: str, *, reassign: str | None = None, force: bool = False,
                by: str = "") -> None:
    """Delete a code.  Refused while it has codings, unless ``reassign`` names a code to receive
    them or ``force=True`` deletes them too (they stay in the log, and ``project.undo()`` brings them back).
    Child codes move up to the deleted code's parent.

    A code with propositions is deleted only with ``reassign``, which moves its propositions (and
    their stances) with its codings: a proposition is the researcher's own claim, which ``force``
    does not throw away."""
    codes = _codes(project)
    code = _need(codes, code_id)
    used = db.codings.count_codings(project.store, code=code_id)
    claims = db.notes.code_propositions(project.store, code_id)
    if claims and reassign is None:
        raise ConflictError(f"code {code_id!r} has {len(claims)} propositions ({', '.join(claims)}); nothing "
                            "was deleted. Pass reassign='other.code' to move its codings and propositions "
                            "there")
    if used and reassign is None and not force:
        raise ConflictError(f"code {code_id!r} has {used} codings; nothing was deleted. Pass "
                            "reassign='other.code' to move them, or force=True to delete them too")
    if reassign is not None:
        _need(codes, reassign)
        if reassign == code_id:
            raise ValidationError("a code cannot be reassigned to itself")
    with operation(project, "delete_code", {"code": code_id, "label": code.label, "codings": used,
                                            "reassign": reassign, "forced": bool(force)}, by):
        store = project.store
        if reassign is not None:
            move_codings(store, code_id, reassign)
        db.codings.delete_codings(store, code=code_id)
        db.codes.reparent_children(store, code_id, code.parent)
        db.codes.delete_code(store, code_id)
