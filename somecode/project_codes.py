"""The codebook side of a project: codes, coders, and the operations that change them."""

from __future__ import annotations

import json
from typing import Iterable

from .errors import ConflictError, NotFoundError, ValidationError
from .model import Code, Coder

__all__ = ["CodebookMixin", "code_spec"]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _some(ids: list[str], limit: int = 12) -> str:
    if not ids:
        return "none yet"
    shown = ", ".join(map(repr, ids[:limit]))
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class CodebookMixin:
    """Codes and coders of a :class:`~somecode.Project` (mixed into it)."""

    def add_code(self, code: Code | str, **fields) -> Code:
        """Add a code (a :class:`Code`, or an id and fields); its parent must exist already."""
        code = code if isinstance(code, Code) else Code(code, **fields)
        with self.atomic():
            if code.parent and code.parent not in self.code_ids():
                raise NotFoundError(f"code {code.id!r}: parent {code.parent!r} is not in the "
                                    "project; add the parent first")
            if code.id in self.code_ids():
                existing = self.code_by_id(code.id)
                if existing != code:
                    raise ConflictError(f"code {code.id!r} already exists with other fields")
                return existing
            position = self._conn.execute("SELECT coalesce(max(position) + 1, 0) FROM codes").fetchone()[0]
            self._conn.execute(
                "INSERT INTO codes (id, parent, position, label, labels, color, definition, attrs, "
                "spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (code.id, code.parent, position, code.label, _json(code.labels), code.color,
                 code.definition, _json(code.attrs), _json(code_spec(code))))
        return code

    def add_codes(self, codes: Iterable[Code]) -> list[Code]:
        """Add codes in order (parents before children), in one transaction."""
        with self.atomic():
            return [self.add_code(c) for c in codes]

    def codes(self) -> list[Code]:
        """Codes in codebook order: each parent followed by its children, siblings in the order
        they were added."""
        from .codebook.book import _tree_order

        return _tree_order([Code(i, p, lab, json.loads(labs), col, d, json.loads(a), **json.loads(spec))
                            for i, p, lab, labs, col, d, a, spec in self._conn.execute(
                                "SELECT id, parent, label, labels, color, definition, attrs, spec "
                                "FROM codes ORDER BY position")])

    def code_ids(self) -> list[str]:
        return [c.id for c in self.codes()]

    def code_by_id(self, code_id: str) -> Code:
        for code in self.codes():
            if code.id == code_id:
                return code
        raise NotFoundError(f"no code {code_id!r}; the project has {_some(self.code_ids())}")

    def codebook(self):
        """The project's codes as a :class:`~somecode.codebook.Codebook`."""
        from .codebook.sync import project_codebook

        return project_codebook(self)

    def codebook_diff(self, codebook):
        """What :meth:`set_codebook` would change, as a DataFrame (nothing is changed)."""
        from .codebook.sync import codebook_diff

        return codebook_diff(self, codebook)

    def set_codebook(self, codebook, *, reassign=None, by: str = ""):
        """Make the project's codes exactly ``codebook`` (a Codebook or a YAML path): one undoable
        operation; codes that would vanish with codings need ``reassign={old: new}``."""
        from .codebook import Codebook
        from .codebook.sync import set_codebook

        book = codebook if isinstance(codebook, Codebook) else Codebook.load(codebook)
        return set_codebook(self, book, reassign=reassign, by=by)

    # Codebook operations: one transaction and one logged, undoable event each (see codeops).
    def relabel_code(self, code_id: str, label: str, *, language: str = "en", by: str = "") -> None:
        """Give a code a new label in ``language``; no coding changes."""
        from .codeops import relabel

        relabel(self, code_id, label, language=language, by=by)

    def move_code(self, code_id: str, parent: str | None, *, by: str = "") -> None:
        """Give a code a new parent (``None``: top level)."""
        from .codeops import move

        move(self, code_id, parent, by=by)

    def merge_codes(self, code_id: str, *, into: str, by: str = "") -> None:
        """Merge a code into another: codings and child codes follow; duplicates collapse."""
        from .codeops import merge

        merge(self, code_id, into=into, by=by)

    def split_code(self, code_id: str, parts, *, by: str = "") -> list[str]:
        """Split a code into new codes, each given the coding ids it receives."""
        from .codeops import split

        return split(self, code_id, parts, by=by)

    def delete_code(self, code_id: str, *, reassign: str | None = None, force: bool = False,
                    by: str = "") -> None:
        """Delete a code; refused while it has codings unless ``reassign=`` or ``force=True``."""
        from .codeops import delete_code

        delete_code(self, code_id, reassign=reassign, force=force, by=by)

    def undo(self, *, by: str = "") -> dict:
        """Reverse the last codebook operation exactly; return the event it reversed."""
        from .codeops import undo

        return undo(self, by=by)

    def add_coder(self, coder: Coder | str, **fields) -> Coder:
        """Add a coder (idempotent for the same id and fields)."""
        coder = coder if isinstance(coder, Coder) else Coder(coder, **fields)
        with self.atomic():
            row = self._conn.execute("SELECT id, name, kind FROM coders WHERE id = ?",
                                     (coder.id,)).fetchone()
            if row is None:
                self._conn.execute("INSERT INTO coders VALUES (?, ?, ?)",
                                   (coder.id, coder.name, coder.kind))
            elif Coder(*row) != coder and fields:
                raise ConflictError(f"coder {coder.id!r} already exists as {Coder(*row)}")
        return coder

    def coders(self) -> list[Coder]:
        return [Coder(*r) for r in self._conn.execute("SELECT id, name, kind FROM coders ORDER BY id")]

    def delete_coder(self, coder_id: str) -> None:
        """Delete a coder; refused while the coder has codings."""
        with self.atomic():
            used = self._conn.execute("SELECT count(*) FROM codings WHERE coder_id = ?",
                                      (coder_id,)).fetchone()[0]
            if used:
                raise ConflictError(f"coder {coder_id!r} has {used} codings; nothing was deleted")
            if not self._conn.execute("DELETE FROM coders WHERE id = ?", (coder_id,)).rowcount:
                raise NotFoundError(f"no coder {coder_id!r}")
            self.log("delete_coder", {"coder": coder_id})

    def _coder_id(self, coder: str | None) -> str:
        coder = coder or self.default_coder
        if not coder:
            raise ValidationError("say who is coding: pass coder='your-id' or set "
                                  "project.default_coder = 'your-id'")
        kind = "machine" if coder.startswith("auto:") else "human"
        if not self._conn.execute("SELECT 1 FROM coders WHERE id = ?", (coder,)).fetchone():
            self.add_coder(Coder(coder, coder, kind))
        return coder


def code_spec(code: Code) -> dict:
    """The rule fields of a code, as stored in the ``spec`` column."""
    return {"include": code.include, "exclude": code.exclude,
            "examples": [dict(e) for e in code.examples], "patterns": code.patterns}


