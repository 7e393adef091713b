"""Operations, and undoing them as people mean it.

Every change a person makes (a coding, a deletion, a memo, an accept or
reject, a codebook operation, a corrected source...) is one *operation*: one
transaction and one event in the log, whose every row change is recorded.
:func:`undo` reverses the last operation not yet undone, whatever it was;
:func:`redo` puts back the last one undone (until something new is done);
:func:`history` lists them.  ``undo(operation=id)`` reverses an earlier
operation: refused, with the list of later operations that depend on it,
unless ``cascade=True`` undoes those too (newest first).

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("d", "Reels dan insight.", kind="document"))
>>> _ = p.add_code("optimize")
>>> _ = p.code("d", 0, 5, "optimize", coder="nida")
>>> p.undo()["action"], len(p.coding_records())
('code', 0)
>>> p.redo()["action"], len(p.coding_records())
('code', 1)
>>> p.history()["action"].tolist()
['add_source', 'add_code', 'code']
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pandas as pd

from .. import store as db
from ..errors import ConflictError, SomecodeError

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["operation", "undo", "redo", "history", "UNDOING"]

# action -> called before an operation of that kind is undone (project, its event); returns what to do
# once its changes are reversed (a correction places codings made since back on the old text)
UNDOING: dict[str, Callable[[Project, dict[str, Any]], Callable[[], None]]] = {}


@contextmanager
def operation(project: Project, action: str, payload: dict, by: str = "") -> Iterator[int]:
    """One transaction, one event, every change recorded so that :func:`undo` can reverse it.
    Nested operations are part of the outermost one."""
    store = project.store
    if store.recording is not None:
        with project.atomic():
            yield store.recording
        return
    with project.atomic():
        event_id = db.events.log(store, action, payload, by)
        with db.undo.recording(store, event_id):
            yield event_id


def _states(store: db.Store) -> tuple[list[dict], dict[int, bool], list[int]]:
    """Operations in order, whether each is undone now, and the redo stack (newest last)."""
    operations, undone, redo_stack = [], {}, []
    recorded = db.undo.recorded_events(store)
    for event in db.events.events(store):
        if event["action"] == "undo":
            undone[event["payload"]["undoes"]] = True
            redo_stack.append(event["id"])
        elif event["action"] == "redo":
            undone[event["payload"]["redoes"]] = False
            if redo_stack:
                redo_stack.pop()
        elif event["id"] in recorded:
            operations.append(event)
            undone.setdefault(event["id"], False)
            redo_stack.clear()
    return operations, undone, redo_stack


def history(project: Project) -> pd.DataFrame:
    """Every operation, oldest first: id, at, by, action, payload, and whether it is undone."""
    operations, undone, _ = _states(project.store)
    return pd.DataFrame([{**e, "undone": undone[e["id"]]} for e in operations],
                        columns=["id", "at", "by", "action", "payload", "undone"])


def dependants(project: Project, event_id: int) -> list[dict]:
    """Later operations, not undone, that an undo of ``event_id`` would pull the ground from under,
    and those that depend on them in turn."""
    store = project.store
    operations, undone, _ = _states(store)
    later = {e["id"]: e for e in operations if e["id"] > event_id and not undone[e["id"]]}
    found: set[int] = set()
    waiting = [event_id]
    while waiting and later:
        current = waiting.pop()
        extra, broken = db.undo.trial_undo(store, current)
        rows = extra | db.undo.touched_rows(store, current)
        new = {e for e in db.undo.events_touching(store, rows, broken, current) if e in later} - found
        found |= new
        waiting += sorted(new)
    return [later[e] for e in sorted(found)]


def undo(project: Project, *, operation: int | None = None, cascade: bool = False, by: str = "") -> dict:
    """Reverse the last operation (or operation ``operation``, an id from :func:`history`); return its event.

    Later operations that depend on the one asked for are undone with it only with ``cascade=True``;
    otherwise nothing changes and :class:`ConflictError` lists them.
    """
    store = project.store
    operations, undone, _ = _states(store)
    active = [e for e in operations if not undone[e["id"]]]
    if operation is None:
        if not active:
            raise SomecodeError("nothing to undo: every recorded operation is undone already")
        target = active[-1]
    else:
        known = {e["id"]: e for e in operations}
        if operation not in known or undone[operation]:
            raise SomecodeError(f"operation {operation} cannot be undone: it is not in project.history() or is "
                                "undone already")
        target = known[operation]
    later = dependants(project, target["id"])
    if later and not cascade:
        listed = ", ".join(f"{e['id']} ({e['action']})" for e in later)
        raise ConflictError(f"cannot undo {target['action']} (operation {target['id']}): later operations depend "
                            f"on it: {listed}. Nothing was changed. Undo those first, or pass cascade=True to "
                            "undo them with it")
    with project.atomic():
        for event in sorted(later, key=lambda e: -e["id"]) + [target]:
            _reverse(project, event, by)
    return {"id": target["id"], "action": target["action"], "payload": target["payload"]}


def _reverse(project: Project, event: dict, by: str) -> None:
    store = project.store
    try:
        with project.atomic():
            mark = db.events.log(store, "undo", {"undoes": event["id"], "action": event["action"]}, by)
            with db.undo.recording(store, mark):
                finish = UNDOING[event["action"]](project, event) if event["action"] in UNDOING else None
                db.undo.undo_event(store, event["id"])
                if finish is not None:
                    finish()
    except Exception as err:  # sqlite3.IntegrityError: something the history did not record stands in the way
        raise ConflictError(f"cannot undo {event['action']} (operation {event['id']}): later changes depend on it "
                            f"({err}); nothing was changed") from None


def redo(project: Project, *, by: str = "") -> dict:
    """Put back the operation undone last (possible until a new operation is made); return its event."""
    store = project.store
    _, _, stack = _states(store)
    if not stack:
        raise SomecodeError("nothing to redo: no undo since the last operation")
    mark = db.events.event(store, stack[-1])
    assert mark is not None
    target = db.events.event(store, mark["payload"]["undoes"])
    assert target is not None
    with project.atomic():
        event_id = db.events.log(store, "redo", {"redoes": target["id"], "action": target["action"]}, by)
        with db.undo.recording(store, event_id):
            db.undo.undo_event(store, mark["id"])
    return {"id": target["id"], "action": target["action"], "payload": target["payload"]}
