"""Framework matrices (Ritchie & Spencer's charting step) and keyword-in-context retrieval.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: Kami pakai reels setiap hari.", kind="interview",
...                  turns=[somecode.Turn(5, 34, "Ani", "ani")]))
>>> _ = p.add_code("optimize")
>>> _ = p.code_quote("ani", "pakai reels", "optimize", coder="nida")
>>> framework_matrix(p).loc["Ani", "optimize"]
'“pakai reels” (ani 10–21)'
>>> p.set_summary("ani", "optimize", "Reels are the main format.")
>>> framework_matrix(p).loc["Ani", "optimize"]
'Reels are the main format.'
>>> retrieve(p, code="optimize", context=6)[["left", "text", "right"]].values.tolist()
[[' Kami ', 'pakai reels', ' setia']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..vocabulary import (
    STATUS_FILTERS,
    check_choice,
    check_coders,
    check_ids,
    check_level,
)
from .frame import analysis_informants, analysis_sources, code_paths, codings_frame
from .labels import informant_labels

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["framework_matrix", "retrieve", "CASES"]

CASES = ("informant", "source")


def framework_matrix(project: Project, *, level: str = "code", cases: str = "informant", coders=None,
                     status: str | None = "accepted", sets=None, where=None) -> pd.DataFrame:
    """Cases (rows: informants by name, "name (id)" where two share one; or sources) by themes
    (columns, codebook order).

    Each cell holds the researcher's summary when one is stored
    (:meth:`Project.set_summary`), otherwise the coded quotes, each with its
    source and offsets, one per line; empty when the case has nothing there.
    At ``level="stage"`` a stage's cell gathers its sub-themes' quotes.  ``sets`` and ``where``
    keep the sources and cases asked for (:func:`~somecode.analysis.frame.restrict`).
    """
    check_level(level)
    check_choice("cases", cases, CASES)
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, coders)
    paths = code_paths(project)
    themes = [c for c, p in paths.items() if level == "code" or len(p) == 1]
    frame = codings_frame(project, coders=coders, status=status, sets=sets, where=where)
    frame["theme"] = frame["code"] if level == "code" else frame["stage"]
    if cases == "informant":
        people = analysis_informants(project, sets=sets, where=where)
        case_ids, labels = [i.id for i in people], informant_labels(people)
        frame = frame[frame["informant"].notna()].assign(case=frame["informant"])
    else:
        case_ids = analysis_sources(project, sets=sets, where=where)
        labels = {s: s for s in case_ids}
        frame = frame.assign(case=frame["source"])
    quotes = {key: "\n".join(f"“{r.text}” ({r.source} {r.start}–{r.end})" for r in group.itertuples())
              for key, group in frame.groupby(["case", "theme"], sort=False)}
    summaries = project.summaries()
    cells = [[summaries.get((case, theme)) or quotes.get((case, theme), "") for theme in themes]
             for case in case_ids]
    table = pd.DataFrame(cells, index=[labels[c] for c in case_ids], columns=themes)
    table.index.name = cases
    return table


def retrieve(project: Project, *, code: str | None = None, informant: str | None = None,
             source: str | None = None, coders=None, context: int = 80, children: bool = True,
             status: str | None = "accepted", sets=None, where=None) -> pd.DataFrame:
    """Coded passages with ``context`` characters either side (keyword in context).

    ``code`` includes its sub-codes unless ``children=False``; ``informant``
    is an informant id or name.  Columns: source, informant_name, speaker,
    turn, start, end, code, coder, left, text, right, memo.  ``sets`` and ``where`` keep the
    sources and cases asked for (:func:`~somecode.analysis.frame.restrict`).
    """
    check_choice("status", status, STATUS_FILTERS)
    check_coders(project, coders)
    if source is not None:
        project.source(source)  # an unknown id is a NotFoundError naming the closest one
    if code is not None:
        project.code_by_id(code)
    if informant is not None:
        people = analysis_informants(project)
        check_ids("informant", informant, [i.id for i in people] + [i.name for i in people])
    frame = codings_frame(project, coders=coders, status=status, source=source, sets=sets, where=where)
    if code is not None:
        wanted = {c for c, path in code_paths(project).items() if code in path} if children else {code}
        frame = frame[frame["code"].isin(wanted)]
    if informant is not None:
        frame = frame[(frame["informant"] == informant) | (frame["informant_name"] == informant)]
    texts = {s: project.source(s).text for s in frame["source"].unique()}
    left = [texts[r.source][max(0, r.start - context):r.start] for r in frame.itertuples()]
    right = [texts[r.source][r.end:r.end + context] for r in frame.itertuples()]
    out = frame.assign(left=left, right=right)
    return out[["source", "informant_name", "speaker", "turn", "start", "end", "code", "coder",
                "left", "text", "right", "memo"]].reset_index(drop=True)
