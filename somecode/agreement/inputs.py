"""The three input forms of agreement data, turned into one internal shape.

- ``data``: a reliability matrix, one list per coder, one value per unit, ``None``
  (or NaN) where a coder gave no value;
- ``table``: a square contingency table of two coders (rows: first coder), in
  category order;
- ``counts``: per unit, how many coders chose each category.

Every form becomes per-unit category counts (units x categories); ``data`` also
keeps who gave which value, for the coefficients that need it.

>>> ratings = Ratings.from_data([[1, 2, None], [1, 3, 2]])
>>> ratings.categories, ratings.counts.astype(int).tolist()
([1, 2, 3], [[2, 0, 0], [0, 1, 1], [0, 1, 0]])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import ValidationError

__all__ = ["Ratings"]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _ordered(values) -> list:
    try:
        return sorted(values)
    except TypeError:  # mixed types: a stable, documented order
        return sorted(values, key=lambda v: (type(v).__name__, str(v)))


@dataclass
class Ratings:
    """Agreement data: ``counts`` (units x categories) and, from ``data``, ``codes``
    (coders x units, category index or -1 for missing); from ``table``, the table and how many
    units each row of ``counts`` stands for (``unit_weights``)."""

    categories: list
    counts: np.ndarray
    codes: np.ndarray | None = None
    unit_weights: np.ndarray | None = field(default=None, repr=False, compare=False)
    table: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def q(self) -> int:
        return len(self.categories)

    @classmethod
    def from_data(cls, data, categories=None) -> "Ratings":
        rows = [list(row) for row in (data.tolist() if hasattr(data, "tolist") else data)]
        if not rows or len({len(r) for r in rows}) != 1:
            raise ValidationError("data must be a list of coders, each a list with one value per unit "
                                  "(all the same length)")
        present = {v for row in rows for v in row if not _missing(v)}
        categories = list(categories) if categories is not None else _ordered(present)
        unknown = present - set(categories)
        if unknown:
            raise ValidationError(f"values {sorted(map(str, unknown))} are not among the categories {categories}")
        index = {c: i for i, c in enumerate(categories)}
        codes = np.array([[-1 if _missing(v) else index[v] for v in row] for row in rows], dtype=np.int64)
        return cls(categories, _count(codes, len(categories)), codes)

    @classmethod
    def from_codes(cls, codes: np.ndarray, categories) -> "Ratings":
        """From integer codes already (coders x units, -1 for missing): the fast path."""
        codes = np.asarray(codes, dtype=np.int64)
        return cls(list(categories), _count(codes, len(categories)), codes)

    @classmethod
    def from_table(cls, table, categories=None) -> "Ratings":
        table = np.asarray(table, dtype=float)
        if table.ndim != 2 or table.shape[0] != table.shape[1]:
            raise ValidationError(f"table must be square (categories x categories), not {table.shape}")
        q = table.shape[0]
        categories = list(categories) if categories is not None else list(range(q))
        if len(categories) != q:
            raise ValidationError(f"{len(categories)} categories given for a {q} x {q} table")
        counts = []
        weights = []
        for k in range(q):
            for l in range(q):
                if table[k, l]:
                    unit = np.zeros(q)
                    unit[k] += 1
                    unit[l] += 1
                    counts.append(unit)
                    weights.append(table[k, l])
        ratings = cls(categories, np.array(counts).reshape(-1, q), None)
        ratings.unit_weights = np.array(weights, dtype=float)
        ratings.table = table
        return ratings

    @classmethod
    def from_counts(cls, counts, categories=None) -> "Ratings":
        counts = np.asarray(counts, dtype=float)
        if counts.ndim != 2:
            raise ValidationError("counts must be units x categories")
        categories = list(categories) if categories is not None else list(range(counts.shape[1]))
        if len(categories) != counts.shape[1]:
            raise ValidationError(f"{len(categories)} categories given for {counts.shape[1]} count columns")
        return cls(categories, counts, None)

    @classmethod
    def of(cls, data=None, table=None, counts=None, categories=None) -> "Ratings":
        given = [x is not None for x in (data, table, counts)]
        if sum(given) != 1:
            raise ValidationError("give exactly one of data=, table= or counts=")
        if data is not None:
            return data if isinstance(data, Ratings) else cls.from_data(data, categories)
        if table is not None:
            return cls.from_table(table, categories)
        return cls.from_counts(counts, categories)

    def weights(self) -> np.ndarray:
        """How many units each row of ``counts`` stands for (a table's cells stand for many)."""
        return self.unit_weights if self.unit_weights is not None else np.ones(len(self.counts))

    def pair_table(self) -> np.ndarray:
        """The two coders' contingency table (units both coded)."""
        if self.table is not None:
            return self.table
        if self.codes is None or len(self.codes) != 2:
            raise ValidationError("this coefficient is for two coders: give data= with two coders or table=")
        first, second = self.codes
        both = (first >= 0) & (second >= 0)
        table = np.zeros((self.q, self.q))
        np.add.at(table, (first[both], second[both]), 1)
        return table


def _count(codes: np.ndarray, q: int) -> np.ndarray:
    units = codes.shape[1]
    counts = np.zeros((units, q))
    coder, unit = np.nonzero(codes >= 0)
    np.add.at(counts, (unit, codes[coder, unit]), 1)
    return counts
