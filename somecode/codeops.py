"""Changing a project's codebook without losing a coding: each operation is one
transaction and one event in the project's log, and :func:`undo` reverses the last one exactly.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("d", "Reels dan insight.", kind="document"))
>>> _ = p.add_codes([somecode.Code("optimize"), somecode.Code("reels", "optimize")])
>>> _ = p.code("d", 0, 5, "reels", coder="nida")
>>> merge(p, "reels", into="optimize")
>>> p.codings()["code"].tolist(), p.code_ids()
(['optimize'], ['optimize'])
>>> undo(p)["action"]
'merge'
>>> p.codings()["code"].tolist(), p.code_ids()
(['reels'], ['optimize', 'reels'])
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Mapping

from .errors import ConflictError, NotFoundError, SomecodeError, ValidationError
from .model import Code, check_id
from .undo import recording, undo_event

__all__ = ["relabel", "move", "merge", "split", "delete_code", "undo", "UNDOABLE"]

UNDOABLE = ("relabel", "move", "merge", "split", "delete_code", "set_codebook")


@contextmanager
def operation(project, action: str, payload: dict, by: str = ""):
    """One transaction, one event, every change recorded so that :func:`undo` can reverse it."""
    with project.atomic():
        event_id = project.log(action, payload, actor=by)
        with recording(project._conn, event_id):
            yield event_id


def _codes(project) -> dict[str, Code]:
    return {c.id: c for c in project.codes()}


def _descendants(codes: Mapping[str, Code], code_id: str) -> set[str]:
    found, changed = set(), True
    while changed:
        changed = False
        for code in codes.values():
            if (code.parent == code_id or code.parent in found) and code.id not in found:
                found.add(code.id)
                changed = True
    return found


def _need(codes, code_id: str) -> Code:
    if code_id not in codes:
        raise NotFoundError(f"no code {code_id!r} in the project")
    return codes[code_id]


def relabel(project, code_id: str, label: str, *, language: str = "en", by: str = "") -> None:
    """Give a code a new label in ``language`` (the English label is also its display label)."""
    code = _need(_codes(project), code_id)
    labels = {**code.labels, language: label}
    display = label if language == "en" or not code.label else code.label
    with operation(project, "relabel", {"code": code_id, "language": language,
                                        "old": code.labels.get(language, code.label), "new": label}, by):
        project._conn.execute("UPDATE codes SET label = ?, labels = ? WHERE id = ?",
                              (display, json.dumps(labels, ensure_ascii=False, sort_keys=True), code_id))


def move(project, code_id: str, parent: str | None, *, by: str = "") -> None:
    """Give a code a new parent (``None`` makes it top-level); a code cannot move under itself."""
    codes = _codes(project)
    code = _need(codes, code_id)
    if parent is not None:
        _need(codes, parent)
        if parent == code_id or parent in _descendants(codes, code_id):
            raise ValidationError(f"cannot move {code_id!r} under {parent!r}: that is {code_id!r} "
                                  "itself or one of its own descendants")
    with operation(project, "move", {"code": code_id, "old_parent": code.parent, "new_parent": parent}, by):
        project._conn.execute("UPDATE codes SET parent = ? WHERE id = ?", (parent, code_id))


def _move_codings(conn, old: str, new: str) -> dict[str, int]:
    """Re-point codings from ``old`` to ``new``; a coding identical in span and coder collapses
    into the existing one, whose memo keeps both texts."""
    moved = collapsed = 0
    rows = conn.execute('SELECT id, source_id, start, "end", coder_id, memo FROM codings '
                        "WHERE code_id = ?", (old,)).fetchall()
    for coding_id, source, start, end, coder, memo in rows:
        twin = conn.execute('SELECT id, memo FROM codings WHERE source_id = ? AND start = ? AND '
                            '"end" = ? AND code_id = ? AND coder_id = ?',
                            (source, start, end, new, coder)).fetchone()
        if twin is None:
            conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (new, coding_id))
            moved += 1
            continue
        if memo and memo not in twin[1]:
            conn.execute("UPDATE codings SET memo = ? WHERE id = ?",
                         ("\n".join(filter(None, [twin[1], memo])), twin[0]))
        conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
        collapsed += 1
    return {"moved": moved, "collapsed": collapsed}


def _move_summaries(conn, old: str, new: str) -> None:
    """A merged code's summaries join the receiving code's (both texts kept)."""
    for case, text, author, updated in conn.execute(
            "SELECT case_id, text, author, updated FROM summaries WHERE code_id = ?", (old,)).fetchall():
        twin = conn.execute("SELECT text FROM summaries WHERE case_id = ? AND code_id = ?",
                            (case, new)).fetchone()
        if twin is None:
            conn.execute("UPDATE summaries SET code_id = ? WHERE case_id = ? AND code_id = ?", (new, case, old))
        else:
            conn.execute("UPDATE summaries SET text = ? WHERE case_id = ? AND code_id = ?",
                         (f"{twin[0]}\n{text}", case, new))
            conn.execute("DELETE FROM summaries WHERE case_id = ? AND code_id = ?", (case, old))


def merge(project, code_id: str, *, into: str, by: str = "") -> None:
    """Merge code ``code_id`` into ``into``: its codings and child codes follow, then it is removed.

    Codings that become exact duplicates collapse into one; memos are kept.
    """
    codes = _codes(project)
    _need(codes, code_id), _need(codes, into)
    if into == code_id or into in _descendants(codes, code_id):
        raise ValidationError(f"cannot merge {code_id!r} into {into!r}: it is the same code or one "
                              f"of its descendants; move {into!r} out first")
    with operation(project, "merge", {"code": code_id, "into": into}, by) as event_id:
        conn = project._conn
        counts = _move_codings(conn, code_id, into)
        _move_summaries(conn, code_id, into)
        conn.execute("UPDATE codes SET parent = ? WHERE parent = ?", (into, code_id))
        conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))
        _note(project, event_id, counts)


def split(project, code_id: str, parts: Mapping, *, by: str = "") -> list[str]:
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
            project.add_code(code)
            for coding_id in ids:
                row = project._conn.execute("SELECT code_id FROM codings WHERE id = ?", (coding_id,)).fetchone()
                if row is None or row[0] != code_id:
                    raise ValidationError(f"coding {coding_id} is not a coding of {code_id!r}; "
                                          "split only moves codings of the code being split")
                project._conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (code.id, coding_id))
    return [c.id for c in listed]


def delete_code(project, code_id: str, *, reassign: str | None = None, force: bool = False,
                by: str = "") -> None:
    """Delete a code.  Refused while it has codings, unless ``reassign`` names a code to receive
    them or ``force=True`` deletes them too (they stay in the log, and :func:`undo` brings them back).
    Child codes move up to the deleted code's parent."""
    codes = _codes(project)
    code = _need(codes, code_id)
    used = project._conn.execute("SELECT count(*) FROM codings WHERE code_id = ?", (code_id,)).fetchone()[0]
    if used and reassign is None and not force:
        raise ConflictError(f"code {code_id!r} has {used} codings; nothing was deleted. Pass "
                            "reassign='other.code' to move them, or force=True to delete them too")
    if reassign is not None:
        _need(codes, reassign)
        if reassign == code_id:
            raise ValidationError("a code cannot be reassigned to itself")
    with operation(project, "delete_code", {"code": code_id, "label": code.label, "codings": used,
                                            "reassign": reassign, "forced": bool(force)}, by):
        conn = project._conn
        if reassign is not None:
            _move_codings(conn, code_id, reassign)
            _move_summaries(conn, code_id, reassign)
        conn.execute("DELETE FROM codings WHERE code_id = ?", (code_id,))
        conn.execute("UPDATE codes SET parent = ? WHERE parent = ?", (code.parent, code_id))
        conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))


def _note(project, event_id: int, details: dict) -> None:
    payload = json.loads(project._conn.execute("SELECT payload FROM events WHERE id = ?",
                                               (event_id,)).fetchone()[0])
    project._conn.execute("UPDATE events SET payload = ? WHERE id = ?",
                          (json.dumps({**payload, **details}, sort_keys=True), event_id))


def undo(project, *, by: str = "") -> dict:
    """Reverse the last codebook operation not yet undone; return its event (id, action, payload).

    Later changes that depend on it (a coding added since to a code the undo would remove)
    make the undo fail with :class:`ConflictError`, and nothing changes.
    """
    conn = project._conn
    undone = {json.loads(p)["undoes"] for (p,) in
              conn.execute("SELECT payload FROM events WHERE action = 'undo'")}
    candidates = [row for row in conn.execute(
        "SELECT id, action, payload FROM events WHERE id IN (SELECT event_id FROM undo_log) "
        "ORDER BY id DESC") if row[0] not in undone]
    if not candidates:
        raise SomecodeError("nothing to undo: no codebook operation has been recorded since the last undo")
    event_id, action, payload = candidates[0]
    try:
        with project.atomic():
            undo_event(conn, event_id)
            project.log("undo", {"undoes": event_id, "action": action}, actor=by)
    except Exception as err:  # sqlite3.IntegrityError: a later change depends on this one
        raise ConflictError(f"cannot undo {action} (event {event_id}): later changes depend on it "
                            f"({err}); nothing was changed") from None
    return {"id": event_id, "action": action, "payload": json.loads(payload)}
