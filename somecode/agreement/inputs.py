"""The three input forms of agreement data, turned into one internal shape.

- ``data``: a reliability matrix, one row per coder, one value per unit: a list of lists,
  a 2-D numpy array or a pandas DataFrame (rows are coders, columns units; give
  ``rows="units"`` for the transposed form, one row per unit and one column per coder, as
  irrCAC and R's irr lay it out);
- ``table``: a square contingency table of two coders (rows: first coder), in
  category order;
- ``counts``: per unit, how many coders chose each category (no negative counts).

Missing values, in every form: ``None``, a float NaN (Python, numpy, any width), ``pd.NA``,
``pd.NaT`` and numpy's ``NaT``, and the text a spreadsheet or ``astype(str)`` leaves for a
missing cell: the empty (or blank) string and ``"nan"`` in any case.  None of these is ever
a category.

The categories are in ``categories`` order when it is given; otherwise they are the values
present, sorted.  That sorted order is used by the order-dependent measures (ordinal alpha,
linear or quadratic weights, a weight or distance matrix) only when every value is a number;
for text labels (``"low"``, ``"medium"``, ``"high"``, or ``"1"``, ``"2"``, ``"10"``, whose
alphabetical order is not theirs) those measures ask for ``categories=`` in order.

Every form becomes per-unit category counts (units x categories); ``data`` also
keeps who gave which value, for the coefficients that need it.

>>> ratings = Ratings.from_data([[1, 2, None], [1, 3, 2]])
>>> ratings.categories, ratings.counts.astype(int).tolist()
([1, 2, 3], [[2, 0, 0], [0, 1, 1], [0, 1, 0]])
>>> Ratings.from_data([["a", "", "b"], ["a", "nan", float("nan")]]).categories
['a', 'b']
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..vocabulary import check_choice

__all__ = ["Ratings", "ROWS", "is_missing"]

ROWS = ("coders", "units")  # what the rows of ``data`` are (``rows=``)
_MISSING_TEXT = ("", "nan")


def is_missing(value) -> bool:
    """Whether a cell of ``data`` is missing: None, NaN, pd.NA, NaT, "" (or blank) or "nan"."""
    kind = type(value)
    if value is None or kind is int or kind is bool:  # the common cases first: this runs per value
        return value is None
    if kind is float:
        return value != value
    if isinstance(value, str):
        return value.strip().lower() in _MISSING_TEXT
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


_missing = is_missing  # the old private name


def _ordered(values) -> list:
    try:
        return sorted(values)
    except TypeError:  # mixed types: a stable, documented order
        return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _numeric(value) -> bool:
    return isinstance(value, numbers.Real)


def _rows(data, rows: str) -> list[list]:
    """``data`` as a list of coders, each a list of values."""
    check_choice("rows", rows, ROWS)
    if isinstance(data, pd.DataFrame):
        grid = data.to_numpy(dtype=object).tolist()
    elif isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValidationError(f"data is a {data.ndim}-D array of shape {data.shape}: give a 2-D array "
                                  f"(one row per {rows[:-1]}, one column per "
                                  f"{'unit' if rows == 'coders' else 'coder'})")
        grid = data.tolist()
    elif isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
        raise ValidationError(f"data={data!r} is not a table of values: give a list of coders, each a "
                              "list with one value per unit, or a DataFrame")
    else:
        grid = []
        for i, row in enumerate(data):
            if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
                raise ValidationError(f"data row {i} is {row!r}, not a list of values: give one list per "
                                      f"{rows[:-1]} (a list of lists)")
            grid.append(list(row.tolist() if isinstance(row, (np.ndarray, pd.Series)) else row))
    if not grid or len({len(r) for r in grid}) != 1:
        lengths = sorted({len(r) for r in grid})
        raise ValidationError(f"data must be a list of coders, each a list with one value per unit "
                              f"(all the same length); got {len(grid)} rows of lengths {lengths}")
    if rows == "units":
        grid = [list(column) for column in zip(*grid)]
    return [[v.item() if isinstance(v, np.generic) else v for v in row] for row in grid]


def _non_negative(array: np.ndarray, what: str) -> None:
    bad = np.argwhere(~np.isfinite(array) | (array < 0))
    if len(bad):
        shown = ", ".join(f"[{', '.join(map(str, i))}] = {array[tuple(i)]:g}" for i in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise ValidationError(f"{what} has negative or missing counts: {shown}{more} (fix: every "
                              "count is how many ratings fell in a cell, a number >= 0)")


@dataclass
class Ratings:
    """Agreement data: ``counts`` (units x categories) and, from ``data``, ``codes``
    (coders x units, category index or -1 for missing); from ``table``, the table and how many
    units each row of ``counts`` stands for (``unit_weights``).  ``ordered`` says whether the
    order of ``categories`` means something (given, numbers, or a table's or counts' columns)."""

    categories: list
    counts: np.ndarray
    codes: np.ndarray | None = None
    unit_weights: np.ndarray | None = field(default=None, repr=False, compare=False)
    table: np.ndarray | None = field(default=None, repr=False, compare=False)
    ordered: bool = field(default=True, repr=False, compare=False)

    @property
    def q(self) -> int:
        return len(self.categories)

    def require_order(self, what: str) -> None:
        """Raise unless the categories are in a meaningful order (see the module's docstring)."""
        if not self.ordered:
            shown = ", ".join(repr(c) for c in self.categories[:10])
            raise ValidationError(
                f"{what} depends on the order of the categories, and the labels ({shown}) are not "
                f"numbers, so their sorted order would be alphabetical (fix: give categories=[...] "
                f"listing them in order, lowest first)")

    @classmethod
    def from_data(cls, data, categories=None, rows: str = "coders") -> "Ratings":
        grid = _rows(data, rows)
        present = {v for row in grid for v in row if not is_missing(v)}
        if categories is not None:
            categories = list(categories)
            ordered = True
        else:
            categories = _ordered(present)
            ordered = all(_numeric(v) for v in present)
        unknown = present - set(categories)
        if unknown:
            raise ValidationError(f"values {sorted(map(str, unknown))} are not among the categories "
                                  f"{categories} (fix: add them to categories=, or leave categories= out)")
        index = {c: i for i, c in enumerate(categories)}
        codes = np.array([[-1 if is_missing(v) else index[v] for v in row] for row in grid], dtype=np.int64)
        return cls(categories, _count(codes, len(categories)), codes, ordered=ordered)

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
        _non_negative(table, "table")
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
            raise ValidationError(f"counts must be units x categories (2-D), not of shape {counts.shape}")
        _non_negative(counts, "counts")
        categories = list(categories) if categories is not None else list(range(counts.shape[1]))
        if len(categories) != counts.shape[1]:
            raise ValidationError(f"{len(categories)} categories given for {counts.shape[1]} count columns")
        return cls(categories, counts, None)

    @classmethod
    def of(cls, data=None, table=None, counts=None, categories=None, rows: str = "coders") -> "Ratings":
        given = [x is not None for x in (data, table, counts)]
        if sum(given) != 1:
            raise ValidationError("give exactly one of data=, table= or counts=")
        check_choice("rows", rows, ROWS)
        if data is None and rows != "coders":
            raise ValidationError(f"rows={rows!r} says how data= is laid out; table= and counts= have "
                                  "their own layout (fix: leave rows= out)")
        if data is not None:
            return data if isinstance(data, Ratings) else cls.from_data(data, categories, rows)
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
            given = "no codes" if self.codes is None else f"{len(self.codes)} coders"
            raise ValidationError(f"this coefficient is for two coders, and the data have {given} (fix: give "
                                  "data= with two coders or table=; for more, use fleiss_kappa, conger_kappa "
                                  "or krippendorff_alpha)")
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
