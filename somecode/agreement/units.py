"""Units of agreement in a project: turns, sentences or whole sources, and which codes each coder
gave each unit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.frame import code_paths
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders, check_level

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["unit_spans", "coded_units", "UNITS"]

UNITS = ("turn", "sentence", "source")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”’)]*|$)")


def unit_spans(project: Project, unit: str) -> pd.DataFrame:
    """Every unit of every source: source, unit (index), start, end, text."""
    check_choice("unit", unit, UNITS)
    rows = []
    for source in project.sources():
        if unit == "source":
            rows.append((source.id, 0, 0, len(source.text), source.text))
            continue
        n = 0
        for turn in source.turns:
            pieces = [(turn.start, turn.end)] if unit == "turn" else _sentences(source.text, turn.start, turn.end)
            for start, end in pieces:
                rows.append((source.id, n, start, end, source.text[start:end]))
                n += 1
    return pd.DataFrame(rows, columns=["source", "unit", "start", "end", "text"])


def _sentences(text: str, start: int, end: int):
    for match in _SENTENCE.finditer(text, start, end):
        a, b = match.start(), match.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            yield a, b


def coded_units(project: Project, coders, unit: str = "turn", level: str = "code", status="accepted") -> pd.DataFrame:
    """One row per (unit, coder, code): which codes each coder applied to each unit (a coding
    belongs to every unit it overlaps).  ``level="stage"`` rolls codes up to their stage."""
    from ..analysis.frame import codings_frame

    check_choice("unit", unit, UNITS)
    check_level(level)
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, list(coders))
    spans = unit_spans(project, unit)
    frame = codings_frame(project, coders=list(coders), status=status)
    paths = code_paths(project)
    rows = []
    for source, codings in frame.groupby("source", observed=True):
        units = spans[spans["source"] == source]
        for c in codings.itertuples():
            hit = units[(units["start"] < c.end) & (units["end"] > c.start)]
            code = paths[c.code][0] if level == "stage" else c.code
            rows += [(source, u, c.coder, code) for u in hit["unit"]]
    return pd.DataFrame(rows, columns=["source", "unit", "coder", "code"]).drop_duplicates()
