"""Which codes occur together, as a symmetric table or a weighted graph, and how fast new codes stop appearing.

Co-occurrence is counted per ``unit``:

- ``turn``: the number of turns (units) coded with both codes; the diagonal is
  the number of turns coded with the code;
- ``overlap``: the number of pairs of codings, one of each code, whose spans share
  at least one character; the diagonal is the number of codings of the code;
- ``window``: the same for pairs of codings in one source no more than ``window``
  characters apart (overlapping pairs included).

``measure="jaccard"`` is a Jaccard index, between 0 and 1: for turns, the
turns with both codes over the turns with either; for spans, the codings of
either code that co-occur with the other code, over all codings of the two
(a pair count can exceed the number of codings, so it is not divided directly).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ValidationError
from ..vocabulary import STATUS_FILTERS, check_choice, check_coders, check_level
from .frame import analysis_sources, code_paths, codings_frame
from .labels import codebook_levels, theme_index_names

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["cooccurrence", "cooccurrence_graph", "write_graphml", "write_gexf", "saturation", "UNITS",
           "MEASURES"]

UNITS = ("turn", "overlap", "window")
MEASURES = ("count", "jaccard")


def cooccurrence(project: Project, *, unit: str = "turn", window: int | None = None, measure: str = "count",
                 level: str = "code", coders=None, status: str | None = "accepted", sets=None,
                 where=None) -> pd.DataFrame:
    """A symmetric DataFrame of codes (codebook order) by codes; see the module docstring.
    ``sets`` and ``where`` keep the sources and cases asked for
    (:func:`~somecode.analysis.frame.restrict`)."""
    check_choice("unit", unit, UNITS)
    check_choice("measure", measure, MEASURES)
    check_level(level)
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, coders)
    if unit == "window" and (window is None or window < 0):
        raise ValidationError("unit='window' needs window=N, a number of characters >= 0")
    frame = codings_frame(project, coders=coders, status=status, sets=sets, where=where)
    frame["theme"] = frame["code"] if level == "code" else frame["stage"]
    themes = [c for c, p in code_paths(project).items() if level == "code" or len(p) == 1]
    if unit == "turn":
        pairs, single, involved = _turn_counts(frame)
    else:
        pairs, single, involved = _span_counts(frame, window or 0, unit)
    table = pd.DataFrame(0, index=themes, columns=themes, dtype="int64")
    for (a, b), n in pairs.items():
        table.loc[a, b] = table.loc[b, a] = n
    for a, n in single.items():
        table.loc[a, a] = n
    if measure == "jaccard":
        table = _jaccard(table, pairs, single, involved, unit)
    table.index.name = table.columns.name = theme_index_names(codebook_levels(project), level)[-1]
    return table


def _jaccard(table, pairs, single, involved, unit):
    out = pd.DataFrame(0.0, index=table.index, columns=table.columns)
    for (a, b), n in pairs.items():
        if unit == "turn":
            value = n / (single[a] + single[b] - n)
        else:
            value = (len(involved[(a, b)]) + len(involved[(b, a)])) / (single[a] + single[b])
        out.loc[a, b] = out.loc[b, a] = value
    for a, n in single.items():
        out.loc[a, a] = 1.0 if n else 0.0
    return out


def _turn_counts(frame):
    inside = frame[frame["turn"].notna()]
    pairs, single = Counter(), Counter()
    for _, group in inside.groupby(["source", "turn"]):
        themes = sorted(set(group["theme"]))
        single.update(themes)
        pairs.update(itertools.combinations(themes, 2))
    return pairs, single, None


def _span_counts(frame, window: int, unit: str):
    """Pairs of codings of two codes that overlap (or lie within ``window``), and for each
    ordered pair of codes the codings of the first that have such a partner."""
    gap = window if unit == "window" else -1  # overlap: the next span must start before this one ends
    pairs: Counter[tuple] = Counter()
    single, involved = Counter(frame["theme"]), defaultdict(set)
    for _, group in frame.groupby("source"):
        rows = sorted(zip(group["start"], group["end"], group["theme"], group["coding_id"]))
        for i, (start, end, theme, coding) in enumerate(rows):
            for other_start, _, other, other_coding in rows[i + 1:]:
                if other_start > end + gap:
                    break  # sorted by start: nothing later can be close enough
                if other != theme:
                    pairs[tuple(sorted((theme, other)))] += 1
                    involved[(theme, other)].add(coding)
                    involved[(other, theme)].add(other_coding)
    return pairs, single, involved


def cooccurrence_graph(project: Project, **options):
    """A networkx Graph: codes as nodes (label, colour, stage, count), co-occurrence as weighted edges.

    Options as for :func:`cooccurrence` (the edge ``weight`` is its value).
    """
    import networkx as nx

    table = cooccurrence(project, **options)
    codes = {c.id: c for c in project.codes()}
    paths = code_paths(project)
    graph = nx.Graph()
    for theme in table.index:
        code = codes[theme]
        graph.add_node(theme, label=code.label or theme, color=code.color or "", stage=paths[theme][0],
                       count=float(table.loc[theme, theme]))
    for a, b in itertools.combinations(table.index, 2):
        if table.loc[a, b] > 0:
            graph.add_edge(a, b, weight=float(table.loc[a, b]))
    return graph


def write_graphml(graph, path) -> None:
    """Write a co-occurrence graph as GraphML (Gephi, Cytoscape, yEd)."""
    import networkx as nx

    nx.write_graphml(graph, str(path))


def write_gexf(graph, path) -> None:
    """Write a co-occurrence graph as GEXF (Gephi)."""
    import networkx as nx

    nx.write_gexf(graph, str(path))


def saturation(project: Project, *, order=None, coders=None, status: str | None = "accepted", sets=None,
               where=None) -> pd.DataFrame:
    """New codes per interview, in interview order, and the cumulative number of codes seen.

    ``order``: a list of source ids, or ``None`` for the interviews sorted by
    their ``date`` attribute (then id).  Columns: source, codes (used there),
    new (how many appear for the first time), new_codes (which), cumulative.  ``sets`` and
    ``where`` keep the sources and cases asked for (:func:`~somecode.analysis.frame.restrict`;
    the default order then holds the interviews kept).
    """
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, coders)
    if order is None:
        kept = set(analysis_sources(project, sets=sets, where=where))
        interviews = [s for s in project.sources("interview") if s.id in kept]
        order = [s.id for s in sorted(interviews, key=lambda s: (str(s.attrs.get("date", "")), s.id))]
    frame = codings_frame(project, coders=coders, status=status, sets=sets, where=where)
    used = defaultdict(set)
    for source, code in zip(frame["source"], frame["code"]):
        used[source].add(code)
    rank = {c: n for n, c in enumerate(project.code_ids())}
    seen: set[str] = set()
    rows = []
    for source in order:
        project.source(source)
        new = sorted(used[source] - seen, key=lambda code: rank[code])
        seen |= used[source]
        rows.append((source, len(used[source]), len(new), new, len(seen)))
    return pd.DataFrame(rows, columns=["source", "codes", "new", "new_codes", "cumulative"])
