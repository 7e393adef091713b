"""Declared case attributes: rows of the ``attributes`` table (name, type, allowed categories).

>>> import tempfile, os
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     set_attribute(store, "role", "category", ["staff", "deputy"])
>>> attribute_rows(store)
[('role', 'category', ['staff', 'deputy'])]
>>> store.close()
"""

from __future__ import annotations

from typing import Sequence

from .connection import Store
from .records import from_json, to_json

__all__ = ["set_attribute", "delete_attribute", "attribute_rows"]


def set_attribute(store: Store, name: str, type: str, categories: Sequence[str]) -> None:
    """Declare an attribute, or give a declared one a new type and categories (its place stays)."""
    store.run("INSERT INTO attributes (name, type, categories, position) VALUES "
              "(?, ?, ?, (SELECT coalesce(max(position), -1) + 1 FROM attributes)) "
              "ON CONFLICT (name) DO UPDATE SET type = excluded.type, categories = excluded.categories",
              (name, type, to_json(list(categories))))


def delete_attribute(store: Store, name: str) -> None:
    """Remove an attribute's declaration; the values cases hold are not touched."""
    store.run("DELETE FROM attributes WHERE name = ?", (name,))


def attribute_rows(store: Store) -> list[tuple[str, str, list[str]]]:
    """``(name, type, categories)`` of every declared attribute, in the order declared."""
    return [(n, t, from_json(c)) for n, t, c in
            store.all("SELECT name, type, categories FROM attributes ORDER BY position, name")]
