"""Theme matrices: themes (rows, in codebook order) by informants, sources or any attribute.

Every matrix is a pivot of the long table (:func:`~somecode.analysis.codings_frame`).
The cell ``value`` means, for the codings of a theme in a column:

- ``count``: the number of codings;
- ``segments``: the number of distinct coded units (turns; a turn coded with two
  sub-themes of one stage counts once at stage level);
- ``presence``: whether there is at least one coding;
- ``informants``: the number of distinct informants (of sources, for document columns);
- ``words``: the number of words coded, overlapping codings counted once;
- ``coverage``: ``words`` as a share of all the words of the column's units (an
  informant's turns; a document type's paragraphs);
- ``quotes``: the coded texts, in source order.

At ``level="stage"`` sub-theme codings roll up to their stage; at ``level="code"``
rows are a (stage, code) MultiIndex of every code.  The index is named as the
codebook names its levels (``levels: [stage, sub-theme]``: ``stage``; none named:
``theme``; see :mod:`~somecode.analysis.labels`); ``margins`` add one ``Total``.

Where each coding is counted (who it belongs to is the long table's ``informant``,
see :func:`~somecode.analysis.codings_frame`): :func:`theme_by_source` counts every
coding once, in its source's column.  :func:`theme_by_informant` counts a coding
once, in its informant's column: the informant of the turn it starts in, or the one
informant an interview without speaker labels names in its front matter; with
``include_documents`` a coding in a document (no informant) goes to its document
type's column.  Codings in an interviewer's turn, or between the turns of a
labelled interview, belong to no informant: they are left out of informant
columns and counted only by :func:`theme_by_source`.  Only accepted codings count
unless ``status=`` says otherwise (``None``: every status).

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: Reels. Insight.", kind="interview",
...                  turns=[somecode.Turn(5, 20, "Ani", "ani")]))
>>> for c in ("manage", "manage.media_monitoring", "manage.quick_response", "share"):
...     _ = p.add_code(c, parent=c.split(".")[0] if "." in c else None)
>>> _ = p.code("ani", 5, 11, "manage.media_monitoring", coder="nida")
>>> _ = p.code("ani", 12, 20, "manage.quick_response", coder="nida")
>>> theme_by_informant(p, value="count").to_dict()
{'Ani': {'manage': 2, 'share': 0}}
>>> theme_by_informant(p, value="segments").to_dict()
{'Ani': {'manage': 1, 'share': 0}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..text import count_words
from ..vocabulary import LEVELS, STATUS_FILTERS, check_choice, check_coders, check_level
from .frame import (
    CODING_COLUMNS,
    analysis_informants,
    analysis_sources,
    code_paths,
    codings_frame,
    restrict,
    units_frame,
)
from .labels import (
    TOTAL,
    codebook_levels,
    informant_labels,
    row_key,
    theme_index_names,
    total_row,
)

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["theme_by_informant", "theme_by_source", "crosstab", "VALUES", "LEVELS"]

VALUES = ("count", "segments", "presence", "informants", "words", "coverage", "quotes")


def theme_by_informant(project: Project, *, level: str = "stage", value: str = "count", coders=None,
                       include_documents: bool = False, margins: bool = False,
                       status: str | None = "accepted", frame: pd.DataFrame | None = None, sets=None,
                       where=None) -> pd.DataFrame:
    """Themes by informants (columns by informant name, every informant even with no codings,
    those named only by an unlabelled interview's front matter included).

    ``include_documents`` adds one column per document type.  ``margins`` adds
    a ``Total`` row and column, each computed over the whole row or column
    (so a total of ``segments`` counts distinct units, not a sum).  ``frame``
    reuses a long table made earlier by :func:`codings_frame`.  ``sets`` and ``where``
    restrict the table to those sources and cases (:func:`~somecode.analysis.frame.restrict`);
    the columns are then the informants kept.
    """
    informants = analysis_informants(project, sets=sets, where=where)
    labels = informant_labels(informants, reserved=(TOTAL,) if margins else ())

    def key(table):
        by_id = table["informant"].map(labels)
        column = by_id.where(by_id.notna(), table["informant_name"])
        if include_documents:
            documents = table["doc_type"].astype(object).fillna("document").where(table["kind"] == "document")
            column = column.astype(object).where(table["informant"].notna(), documents)
        return column

    names = [labels[i.id] for i in informants]
    return _matrix(project, key, names, level, value, coders, margins, status, frame,
                   extra_columns=include_documents, sets=sets, where=where)


def theme_by_source(project: Project, *, level: str = "stage", value: str = "count", coders=None,
                    margins: bool = False, status: str | None = "accepted",
                    frame: pd.DataFrame | None = None, sets=None, where=None) -> pd.DataFrame:
    """Themes by sources (every source, interviews and documents), values as in :func:`theme_by_informant`;
    here a coding counts wherever it is, interviewer turns included.  ``sets``/``where``: the sources
    kept (:func:`~somecode.analysis.frame.restrict`)."""
    return _matrix(project, lambda t: t["source"], analysis_sources(project, sets=sets, where=where), level,
                   value, coders, margins, status, frame, sets=sets, where=where)


def crosstab(project: Project, by: str = "role", *, level: str = "stage", value: str = "count", coders=None,
             margins: bool = False, status: str | None = "accepted",
             frame: pd.DataFrame | None = None, sets=None, where=None) -> pd.DataFrame:
    """Themes by the values of a column of the long table: an informant attribute (``role``),
    ``kind``, ``doc_type``, ``coder``, ``speaker``...  Codings with no value there are left out.
    A declared attribute (:meth:`Project.define_attribute`) is there even before a case has a value.
    ``sets``/``where`` as for :func:`theme_by_informant`."""
    _check(project, level, value, coders, status)
    probe = (restrict(project, frame, sets=sets, where=where) if frame is not None
             else codings_frame(project, coders=coders, status=status, sets=sets, where=where,
                                columns=_needed(value, by)))
    check_choice("by", by, list(probe.columns),
                 problem=f"cannot cross by {by!r}: it is not an informant attribute or a column of the "
                         "long table; ")
    units = units_frame(project, sets=sets, where=where)
    known = units[by].dropna().unique().tolist() if by in units.columns else []
    values = sorted(set(known) | set(probe[by].dropna().unique()), key=str)
    return _matrix(project, lambda t: t[by] if by in t.columns else pd.Series(None, index=t.index),
                   values, level, value, coders, margins, status, probe, sets=sets, where=where)


def _check(project: Project, level, value, coders, status):
    check_level(level)
    check_choice("value", value, VALUES)
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, coders)


def _matrix(project: Project, key, columns, level, value, coders, margins, status, frame, extra_columns=False,
            sets=None, where=None):
    _check(project, level, value, coders, status)
    if frame is None:
        frame = codings_frame(project, coders=coders, status=status, sets=sets, where=where,
                              columns=_needed(value))
    else:
        frame = restrict(project, frame, sets=sets, where=where)
        if coders is not None:
            frame = frame[frame["coder"].isin([coders] if isinstance(coders, str) else coders)]
    rows = _row_index(project, level)
    data = pd.DataFrame({"theme": frame["stage"] if level == "stage" else frame["code"],
                         "column": key(frame)})
    kept = [c for c in ("source", "turn", "start", "end", "informant", "coding_id") if c in frame.columns]
    data = pd.concat([data, frame[kept + (["text"] if value == "quotes" else [])]], axis=1)
    data = data[data["column"].notna()]
    if extra_columns:
        columns = list(columns) + sorted(set(data["column"]) - set(columns), key=str)
    context = _Context(project, key, value, data, sets=sets, where=where)
    table = context.cells(data)
    if margins:
        _check_total_free(columns, rows)
        table = _with_margins(context, data, table)
        columns, rows = list(columns) + [TOTAL], _with_total(rows)
    table = table.reindex(index=[row_key(r) for r in rows], columns=columns)
    table = _fill(table, value)
    names = theme_index_names(codebook_levels(project), level)
    if level == "code":
        table.index = pd.MultiIndex.from_tuples(rows, names=names)
    else:
        table.index.name = names[0]
    table.columns.name = None
    return table


def _check_total_free(columns, rows) -> None:
    """Margins add a ``Total`` row and column: a code or column already called that is refused."""
    clashes = [f"column {TOTAL!r}" for c in columns if c == TOTAL]
    clashes += [f"code {TOTAL!r}" for r in rows if row_key(r) == TOTAL]
    if clashes:
        raise ValidationError(f"margins=True adds a row and a column called {TOTAL!r}, and the table already has "
                              f"a {' and a '.join(clashes)}; rename it, or pass margins=False")


def _needed(value: str, by: str | None = None) -> list[str]:
    """The columns of the long table a matrix of ``value`` reads (memo and time never; ends and the
    coded text only where a value needs them), with the column crossed ``by`` when it is one."""
    needed = ["source", "kind", "doc_type", "informant", "informant_name", "turn", "start", "code", "stage"]
    needed += {"segments": ["coding_id"], "presence": ["coding_id"], "count": [], "informants": [],
               "quotes": ["end", "text"]}.get(value, ["coding_id", "end"])
    return needed + ([by] if by in CODING_COLUMNS and by not in needed else [])


def _row_index(project: Project, level):
    paths = code_paths(project)
    if level == "stage":
        return [c for c, path in paths.items() if len(path) == 1]
    return [(path[0], c) for c, path in paths.items()]


def _with_total(rows):
    return list(rows) + [total_row(rows)]


def _with_margins(context, data, table):
    by_row = context.cells(data.assign(column=TOTAL))
    by_column = context.cells(data.assign(theme=TOTAL))
    corner = context.cells(data.assign(theme=TOTAL, column=TOTAL))
    parts = [t.stack(future_stack=True) for t in (table, by_row, by_column, corner) if not t.empty]
    return pd.concat(parts).unstack() if parts else table


def _fill(table, value):
    if value == "quotes":
        return table.map(lambda cell: cell if isinstance(cell, list) else [])
    if value == "presence":
        return table.fillna(False).astype(bool)
    if value == "coverage":
        return table.fillna(0.0).astype(float)
    return table.fillna(0).astype("int64")


def _grid(data, *, distinct_units: bool) -> pd.DataFrame:
    """Codings (or distinct units: turns, or the coding itself outside turns) per theme and column,
    counted with integer keys: the hot path of every count matrix."""
    themes, theme_labels = pd.factorize(data["theme"])
    columns, column_labels = pd.factorize(data["column"])
    if not len(theme_labels) or not len(column_labels):
        return pd.DataFrame()
    cell = themes.astype(np.int64) * len(column_labels) + columns
    if distinct_units:
        sources, _ = pd.factorize(data["source"])
        turn = data["turn"].to_numpy(dtype="float64", na_value=np.nan)
        unit = np.where(np.isnan(turn), -data["coding_id"].to_numpy(dtype="float64") - 1, turn)
        unit = (unit - unit.min()).astype(np.int64)
        span = int(unit.max()) + 1
        unit_id = sources.astype(np.int64) * span + unit
        width = int(unit_id.max()) + 1
        cell = pd.unique(cell * width + unit_id) // width
    counts = np.bincount(cell, minlength=len(theme_labels) * len(column_labels))
    return pd.DataFrame(counts.reshape(len(theme_labels), len(column_labels)),
                        index=theme_labels, columns=column_labels)


class _Context:
    """What a cell value needs beyond the codings: texts and the words of each column's units."""

    def __init__(self, project: Project, key, value, data, sets=None, where=None):
        self.value = value
        self.texts = {}
        self.turns = {}
        self.denominators: pd.Series | None = None
        if value in ("words", "coverage"):
            sources = set(data["source"])
            self.texts = {s.id: s.text for s in project.sources() if s.id in sources}
            units = units_frame(project, sets=sets, where=where)
            self.turns = {(r.source, r.turn): (r.start, r.end) for r in units.itertuples()}
            if value == "coverage":
                units = units.assign(column=key(units))
                self.denominators = units.groupby("column")["words"].sum()
                self.denominators[TOTAL] = units.loc[units["column"].notna(), "words"].sum()

    def cells(self, data) -> pd.DataFrame:
        if data.empty:  # no coding (left): every cell is filled in later
            return pd.DataFrame()
        if self.value in ("count", "segments", "presence"):
            grid = _grid(data, distinct_units=self.value != "count")
            return grid > 0 if self.value == "presence" else grid
        groups = data.groupby(["theme", "column"], sort=False)
        if self.value == "informants":
            who = data["informant"].fillna(data["source"])
            series = data.assign(who=who).groupby(["theme", "column"], sort=False)["who"].nunique()
        elif self.value == "quotes":
            series = groups["text"].agg(list)
        else:
            series = groups.apply(self._words, include_groups=False)
            if self.value == "coverage":
                columns = series.index.get_level_values(1)
                assert self.denominators is not None  # set for coverage in __init__
                series = series / self.denominators.reindex(columns).to_numpy()
        if series.empty:
            return pd.DataFrame()
        return series.unstack()

    def _words(self, group) -> int:
        """Words of the union of the group's coded spans, each clipped to its own turn."""
        total = 0
        for source, spans in group.groupby("source"):
            text = self.texts[source]
            intervals = sorted(self._clip(source, r) for r in spans.itertuples())
            start, end = intervals[0]
            for a, b in intervals[1:] + [(len(text) + 1, len(text) + 1)]:
                if a > end:
                    total += count_words(text[start:end])
                    start, end = a, b
                else:
                    end = max(end, b)
        return total

    def _clip(self, source, row):
        if pd.isna(row.turn):
            return row.start, row.end
        low, high = self.turns[(source, int(row.turn))]
        return max(row.start, low), min(row.end, high)
