"""A project's codebook: what it is now, how a new version differs, and applying the new version.

Applying a codebook is one undoable operation.  Codes that would disappear
while they still have codings block the change, unless ``reassign`` says
where their codings go.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from .. import store as db
from ..codebook.book import Codebook
from ..errors import ConflictError, ValidationError
from .codeops import move_codings
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["project_codebook", "codebook_diff", "set_codebook"]

_META = "codebook"


def project_codebook(project: Project) -> Codebook:
    """The project's codes as a :class:`Codebook` (with the name, title and languages last set)."""
    header = db.codes.get_setting(project.store, _META) or {}
    return Codebook(db.codes.codes(project.store), name=header.get("name", ""), title=header.get("title", ""),
                    languages=header.get("languages", ["en"]), description=header.get("description", ""),
                    levels=header.get("levels", ()))


def codebook_diff(project: Project, book: Codebook) -> pd.DataFrame:
    """What applying ``book`` would change: one row per code that is added, removed,
    relabelled, moved or edited (definition, rules, examples, patterns, colour)."""
    old = {c.id: c for c in db.codes.codes(project.store)}
    counts = db.codings.codings_by_code(project.store)
    rows = []
    for code in book:
        before = old.get(code.id)
        if before is None:
            rows.append((code.id, "added", "", code.label, 0))
            continue
        if dict(before.labels) != dict(code.labels) or before.label != code.label:
            rows.append((code.id, "relabelled", _labels(before), _labels(code), counts.get(code.id, 0)))
        if before.parent != code.parent:
            rows.append((code.id, "moved", before.parent or "(top)", code.parent or "(top)",
                         counts.get(code.id, 0)))
        edited = [f for f in ("definition", "include", "exclude", "examples", "patterns", "color", "attrs")
                  if _plain(getattr(before, f)) != _plain(getattr(code, f))]
        if edited:
            rows.append((code.id, "edited", ", ".join(edited), "", counts.get(code.id, 0)))
    for code_id, code in old.items():
        if code_id not in book:
            rows.append((code_id, "removed", code.label, "", counts.get(code_id, 0)))
    return pd.DataFrame(rows, columns=["code", "change", "old", "new", "codings"])


def _labels(code) -> str:
    return " / ".join(f"{k}: {v}" for k, v in sorted(code.labels.items())) or code.label


def _plain(value):
    return json.loads(json.dumps(value, sort_keys=True, default=list))


def set_codebook(project: Project, book: Codebook, *, reassign: Mapping[str, str] | None = None,
                 by: str = "") -> pd.DataFrame:
    """Make the project's codes exactly ``book`` (one undoable operation); return the difference.

    A removed code that still has codings or propositions must be named in ``reassign``
    (``{"old.code": "new.code"}``, the new code being in ``book``), which moves them; otherwise
    nothing changes and :class:`ConflictError` lists them.
    """
    reassign = dict(reassign or {})
    diff = codebook_diff(project, book)
    removed = diff[diff["change"] == "removed"]
    blocked = []
    for r in removed.itertuples():
        claims = db.notes.code_propositions(project.store, r.code)
        if (r.codings or claims) and r.code not in reassign:
            held = ([f"{r.codings} codings"] if r.codings else []) + (
                [f"propositions {', '.join(claims)}"] if claims else [])
            blocked.append(f"{r.code} ({'; '.join(held)})")
    if blocked:
        raise ConflictError("the new codebook drops codes that still have codings or propositions: "
                            f"{', '.join(blocked)}. Nothing was changed. Say where they go "
                            "with reassign={'old.code': 'new.code'}")
    wrong = [f"{a} -> {b}" for a, b in reassign.items() if b not in book or a in book]
    if wrong:
        raise ValidationError(f"reassign must map removed codes to codes of the new codebook: {wrong}")
    store = project.store
    old_ids = set(db.codes.code_ids(store))
    header = {"name": book.name, "title": book.title, "languages": book.languages, "levels": book.levels,
              "description": book.description, "hash": book.content_hash()}
    with operation(project, "set_codebook", {"hash": header["hash"], "changes": len(diff),
                                             "reassign": reassign}, by):
        for position, code in enumerate(book):
            if code.id in old_ids:
                db.codes.update_code(store, code, position)
            else:
                db.codes.insert_code(store, code, position)
        gone = [c for c in reversed(db.codes.code_ids(store)) if c not in book]
        for code_id in gone:
            if code_id in reassign:
                move_codings(store, code_id, reassign[code_id])
            db.codes.reparent_children(store, code_id, None)
        for code_id in gone:
            db.codes.delete_code(store, code_id)
        db.codes.set_setting(store, _META, header)
    return diff
