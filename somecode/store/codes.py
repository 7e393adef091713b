"""Codes, coders and the project's key-value settings (the codebook header).

>>> import tempfile, os
>>> from ..model import Code
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     insert_code(store, Code("b"), next_position(store))
...     insert_code(store, Code("a"), next_position(store))
...     insert_code(store, Code("b.1", "b"), next_position(store))
>>> code_ids(store), get_code(store, "b.1").parent
(['b', 'b.1', 'a'], 'b')
>>> store.close()
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import Code, Coder, tree_order
from .connection import Store
from .records import from_json, to_json

__all__ = ["code_spec", "insert_code", "update_code", "get_code", "codes", "code_ids", "code_exists",
           "next_position", "set_code_label", "set_code_parent", "reparent_children", "delete_code",
           "get_coder", "insert_coder", "coders", "coder_ids", "coder_exists", "delete_coder", "get_setting", "set_setting"]

_CODE_SELECT = "SELECT id, parent, label, labels, color, definition, attrs, spec FROM codes"


class _Node(NamedTuple):
    id: str
    parent: str | None


def code_spec(code: Code) -> dict[str, Any]:
    """The rule fields of a code, as stored in the ``spec`` column."""
    return {"include": code.include, "exclude": code.exclude,
            "examples": [dict(e) for e in code.examples], "patterns": code.patterns}


def _plain(value: Any) -> Any:
    """JSON-ready copies of mappings and tuples (frozen records hold both)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _code_values(code: Code) -> tuple:
    return (code.parent, code.label, to_json(_plain(code.labels)), code.color, code.definition,
            to_json(_plain(code.attrs)), to_json(_plain(code_spec(code))))


def insert_code(store: Store, code: Code, position: int) -> None:
    store.run("INSERT INTO codes (parent, label, labels, color, definition, attrs, spec, position, id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _code_values(code) + (position, code.id))


def update_code(store: Store, code: Code, position: int) -> None:
    """Every field of a stored code, and its place in the codebook."""
    store.run("UPDATE codes SET parent = ?, label = ?, labels = ?, color = ?, definition = ?, attrs = ?, "
              "spec = ?, position = ? WHERE id = ?", _code_values(code) + (position, code.id))


def _code(row: tuple) -> Code:
    code_id, parent, label, labels, color, definition, attrs, spec = row
    return Code(code_id, parent, label, from_json(labels), color, definition, from_json(attrs), **from_json(spec))


def get_code(store: Store, code_id: str) -> Code | None:
    row = store.one(_CODE_SELECT + " WHERE id = ?", (code_id,))
    return None if row is None else _code(row)


def codes(store: Store) -> list[Code]:
    """Every code in codebook order: each parent followed by its children, siblings as added."""
    return tree_order([_code(r) for r in store.all(_CODE_SELECT + " ORDER BY position")])


def code_ids(store: Store) -> list[str]:
    """Code ids in codebook order (one query; no code is decoded)."""
    return [n.id for n in tree_order([_Node(*r) for r in store.all("SELECT id, parent FROM codes ORDER BY position")])]


def code_exists(store: Store, code_id: str) -> bool:
    return store.one("SELECT 1 FROM codes WHERE id = ?", (code_id,)) is not None


def next_position(store: Store) -> int:
    return int(store.one("SELECT coalesce(max(position) + 1, 0) FROM codes")[0])  # type: ignore[index]


def set_code_label(store: Store, code_id: str, label: str, labels: dict[str, str]) -> None:
    store.run("UPDATE codes SET label = ?, labels = ? WHERE id = ?", (label, to_json(labels), code_id))


def set_code_parent(store: Store, code_id: str, parent: str | None) -> None:
    store.run("UPDATE codes SET parent = ? WHERE id = ?", (parent, code_id))


def reparent_children(store: Store, old_parent: str, new_parent: str | None) -> None:
    store.run("UPDATE codes SET parent = ? WHERE parent = ?", (new_parent, old_parent))


def delete_code(store: Store, code_id: str) -> None:
    store.run("DELETE FROM codes WHERE id = ?", (code_id,))


def get_coder(store: Store, coder_id: str) -> Coder | None:
    row = store.one("SELECT id, name, kind FROM coders WHERE id = ?", (coder_id,))
    return None if row is None else Coder(*row)


def coder_exists(store: Store, coder_id: str) -> bool:
    return store.one("SELECT 1 FROM coders WHERE id = ?", (coder_id,)) is not None


def insert_coder(store: Store, coder: Coder) -> None:
    store.run("INSERT INTO coders (id, name, kind) VALUES (?, ?, ?)", (coder.id, coder.name, coder.kind))


def coder_ids(store: Store) -> list[str]:
    """Coder ids, sorted (no coder is decoded)."""
    return [r[0] for r in store.all("SELECT id FROM coders ORDER BY id")]


def coders(store: Store) -> list[Coder]:
    return [Coder(*r) for r in store.all("SELECT id, name, kind FROM coders ORDER BY id")]


def delete_coder(store: Store, coder_id: str) -> bool:
    """Delete a coder; False if there was none."""
    return store.run("DELETE FROM coders WHERE id = ?", (coder_id,)).rowcount > 0


def get_setting(store: Store, key: str) -> Any:
    """A project setting (``created``, the codebook header...), decoded; ``None`` if unset."""
    row = store.one("SELECT value FROM meta WHERE key = ?", (key,))
    if row is None:
        return None
    try:
        return from_json(row[0])
    except ValueError:
        return row[0]


def set_setting(store: Store, key: str, value: Any) -> None:
    store.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
              (key, to_json(value)))
