"""A project's codebook: what it is now, how a new version differs, and applying the new version.

Applying a codebook is one undoable operation.  Codes that would disappear
while they still have codings block the change, unless ``reassign`` says
where their codings go.
"""

from __future__ import annotations

import json
from typing import Mapping

import pandas as pd

from ..errors import ConflictError, ValidationError
from .book import Codebook

__all__ = ["project_codebook", "codebook_diff", "set_codebook"]

_META = "codebook"


def project_codebook(project) -> Codebook:
    """The project's codes as a :class:`Codebook` (with the name, title and languages last set)."""
    row = project._conn.execute("SELECT value FROM meta WHERE key = ?", (_META,)).fetchone()
    header = json.loads(row[0]) if row else {}
    return Codebook(project.codes(), name=header.get("name", ""), title=header.get("title", ""),
                    languages=header.get("languages", ["en"]), description=header.get("description", ""))


def _counts(project) -> dict[str, int]:
    return dict(project._conn.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))


def codebook_diff(project, book: Codebook) -> pd.DataFrame:
    """What applying ``book`` would change: one row per code that is added, removed,
    relabelled, moved or edited (definition, rules, examples, patterns, colour)."""
    old = {c.id: c for c in project.codes()}
    counts = _counts(project)
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


def set_codebook(project, book: Codebook, *, reassign: Mapping[str, str] | None = None,
                 by: str = "") -> pd.DataFrame:
    """Make the project's codes exactly ``book`` (one undoable operation); return the difference.

    A removed code that still has codings must be named in ``reassign``
    (``{"old.code": "new.code"}``, the new code being in ``book``); otherwise
    nothing changes and :class:`ConflictError` lists them.
    """
    from ..codeops import _move_codings, _move_summaries, operation
    from ..project import code_spec

    reassign = dict(reassign or {})
    diff = codebook_diff(project, book)
    removed = diff[diff["change"] == "removed"]
    blocked = [f"{r.code} ({r.codings} codings)" for r in removed.itertuples()
               if r.codings and r.code not in reassign]
    if blocked:
        raise ConflictError("the new codebook drops codes that still have codings: "
                            f"{', '.join(blocked)}. Nothing was changed. Say where their codings go "
                            "with reassign={'old.code': 'new.code'}")
    wrong = [f"{a} -> {b}" for a, b in reassign.items() if b not in book or a in book]
    if wrong:
        raise ValidationError(f"reassign must map removed codes to codes of the new codebook: {wrong}")
    old_ids = set(project.code_ids())
    header = {"name": book.name, "title": book.title, "languages": book.languages,
              "description": book.description, "hash": book.content_hash()}
    with operation(project, "set_codebook", {"hash": header["hash"], "changes": len(diff),
                                             "reassign": reassign}, by):
        conn = project._conn
        for position, code in enumerate(book):
            values = (code.parent, position, code.label, json.dumps(dict(code.labels), sort_keys=True,
                      ensure_ascii=False), code.color, code.definition,
                      json.dumps(_plain(code.attrs), ensure_ascii=False),
                      json.dumps(_plain(code_spec(code)), ensure_ascii=False))
            if code.id in old_ids:
                conn.execute("UPDATE codes SET parent = ?, position = ?, label = ?, labels = ?, color = ?, "
                             "definition = ?, attrs = ?, spec = ? WHERE id = ?", values + (code.id,))
            else:
                conn.execute("INSERT INTO codes (parent, position, label, labels, color, definition, "
                             "attrs, spec, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values + (code.id,))
        gone = [c for c in reversed(project.code_ids()) if c not in book]
        for code_id in gone:
            if code_id in reassign:
                _move_codings(conn, code_id, reassign[code_id])
                _move_summaries(conn, code_id, reassign[code_id])
            conn.execute("UPDATE codes SET parent = NULL WHERE parent = ?", (code_id,))
        for code_id in gone:
            conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                     "value = excluded.value", (_META, json.dumps(header, ensure_ascii=False)))
    return diff
