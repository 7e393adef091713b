"""The codes and coders of a project.

Adding a code costs a few indexed look-ups, whatever the size of the codebook.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = add_codes(p, [somecode.Code("share"), somecode.Code("share.connect", "share")])
>>> code_ids(p), code_by_id(p, "share.connect").parent
(['share', 'share.connect'], 'share')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .. import store as db
from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import Code, Coder
from ..store.codes import code_spec
from ..vocabulary import unknown
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["add_code", "add_codes", "codes", "code_ids", "code_by_id", "need_code", "add_coder", "coders",
           "delete_coder", "ensure_coder", "code_spec"]


def add_code(project: Project, code: Code | str, *, by: str = "", **fields) -> Code:
    """Add a code (a :class:`Code`, or an id and fields); its parent must exist already."""
    code = code if isinstance(code, Code) else Code(code, **fields)
    store = project.store
    with operation(project, "add_code", {"id": code.id}, by):
        existing = db.codes.get_code(store, code.id)
        if existing is not None:
            if existing != code:
                raise ConflictError(f"code {code.id!r} already exists with other fields")
            return existing
        if code.parent and not db.codes.code_exists(store, code.parent):
            raise NotFoundError(f"code {code.id!r}: parent {code.parent!r} is not in the "
                                "project; add the parent first")
        db.codes.insert_code(store, code, db.codes.next_position(store))
    return code


def add_codes(project: Project, codes: Iterable[Code], *, by: str = "") -> list[Code]:
    """Add codes in order (parents before children), in one operation."""
    codes = list(codes)
    with operation(project, "add_codes", {"ids": [c.id for c in codes]}, by):
        return [add_code(project, c) for c in codes]


def codes(project: Project) -> list[Code]:
    """Codes in codebook order: each parent followed by its children, siblings in the order they were added."""
    return db.codes.codes(project.store)


def code_ids(project: Project) -> list[str]:
    return db.codes.code_ids(project.store)


def code_by_id(project: Project, code_id: str) -> Code:
    """The code with this id; an unknown id is an error naming the closest one."""
    found = db.codes.get_code(project.store, code_id)
    if found is None:
        raise unknown("code", code_id, code_ids(project))
    return found


def need_code(project: Project, code_id: str) -> str:
    """``code_id`` if the project has that code, else the "did you mean" error."""
    if not db.codes.code_exists(project.store, code_id):
        raise unknown("code", code_id, code_ids(project))
    return code_id


def add_coder(project: Project, coder: Coder | str, **fields) -> Coder:
    """Add a coder (idempotent for the same id and fields)."""
    coder = coder if isinstance(coder, Coder) else Coder(coder, **fields)
    with project.atomic():
        stored = db.codes.get_coder(project.store, coder.id)
        if stored is None:
            db.codes.insert_coder(project.store, coder)
        elif stored != coder and fields:
            raise ConflictError(f"coder {coder.id!r} already exists as {stored}")
    return coder


def coders(project: Project) -> list[Coder]:
    return db.codes.coders(project.store)


def delete_coder(project: Project, coder_id: str, *, by: str = "") -> None:
    """Delete a coder; refused while the coder has codings."""
    store = project.store
    with operation(project, "delete_coder", {"coder": coder_id}, by):
        used = db.codings.count_codings(store, coder=coder_id)
        if used:
            raise ConflictError(f"coder {coder_id!r} has {used} codings; nothing was deleted")
        if not db.codes.delete_coder(store, coder_id):
            raise unknown("coder", coder_id, [c.id for c in coders(project)])


def ensure_coder(project: Project, coder: str | None) -> str:
    """The coder acting (``coder`` or the project's default), added on first use."""
    coder = coder or project.default_coder
    if not coder:
        raise ValidationError("say who is coding: pass coder='your-id' or set "
                              "project.default_coder = 'your-id'")
    if not db.codes.coder_exists(project.store, coder):
        add_coder(project, Coder(coder, coder, "machine" if coder.startswith("auto:") else "human"))
    return coder
