"""Source triangulation: a convergence coding matrix of themes by pairs of groups, with its evidence.

Data (source) triangulation in Denzin's sense (Denzin 1970/1978, *The Research Act*): the same
themes examined in data from different persons and, between methods, from interviews and
documents.  The matrix follows the triangulation protocol of Farmer, Robinson, Elliott & Eyles
(2006, *Qualitative Health Research* 16(3):377-394): for each theme and each pair of groups,

- **silence** when only one group speaks to the theme (the silent side is recorded);
- otherwise two components are compared, each agree / disagree / not assessed:

  * *meaning*, from the researcher's propositions and the stances of coded passages toward
    them: a proposition one group supports and the other contradicts makes the meanings
    disagree; a proposition both support (or both contradict) makes them agree; anything
    else is not assessed;
  * *prominence*, suggested from the theme's rank (by coded passages) in each group: ranks
    within ``tolerance`` of each other agree, others disagree;

  and combined: both agree = **agreement**, one agrees and one disagrees = **partial
  agreement**, both disagree = **dissonance**; if either is not assessed the cell is
  reported as *not assessed*, never guessed.

A researcher's assessment (:meth:`Project.assess`) of a component or of the whole cell always
wins over the suggestion; the latest of an assessor counts, and all are kept in the event log.
``triangulate(by="nida")`` uses only that assessor's judgements.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from ..errors import ValidationError
from ..vocabulary import (
    check_choice,
    check_coders,
    check_ids,
    check_level,
    renamed,
    unknown,
)
from .frame import analysis_informants, code_paths, codings_frame

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["triangulate", "default_groups", "compare_assessors", "Triangulation", "write_triangulation",
           "load_groups"]

ABSENT = "absent"
NOT_ASSESSED = "not assessed"


def default_groups(project: Project) -> dict[str, dict]:
    """One group per informant (by name) and one per document type."""
    groups = {i.name: {"informant": i.id} for i in analysis_informants(project)}
    for doc_type in sorted({str(s.attrs.get("doc_type") or "document") for s in project.sources("document")}):
        groups[doc_type] = {"doc_type": doc_type}
    return groups


def _selector(selector):
    return {"sources": list(selector)} if isinstance(selector, (list, tuple)) else selector


def _check_groups(project: Project, frame: pd.DataFrame, groups: Mapping) -> None:
    """Every selector names things the project has: a typo is an error, never an empty group."""
    people = analysis_informants(project)
    doc_types = sorted({str(s.attrs.get("doc_type") or "document") for s in project.sources("document")})
    keys = ["informant", "doc_type", "sources"] + [c for c in frame.columns if c not in ("informant", "doc_type")]
    for name, selector in groups.items():
        selector = _selector(selector)
        if not isinstance(selector, Mapping) or not selector:
            raise ValidationError(f"group {name!r}: a selector is a list of sources or a mapping such as "
                                  "{informant: ...}, {doc_type: ...}, {role: ...}")
        for key, wanted in selector.items():
            check_choice("key", key, keys, problem=f"group {name!r}: {key!r} is not informant, doc_type, "
                                                    "sources or an informant attribute; ")
            if key == "informant":
                check_ids("informant", wanted, [i.id for i in people] + [i.name for i in people],
                          fix=f"Check the selector of group {name!r}")
            elif key == "doc_type":
                check_choice("doc_type", wanted, doc_types, problem=f"group {name!r}: ")
            elif key == "sources":
                check_ids("source", wanted, project.source_ids(), fix=f"Check the selector of group {name!r}")
            else:
                known = {v for v in frame[key].dropna().astype(object)}
                known |= {i.attrs[key] for i in people if isinstance(i.attrs.get(key), (str, int, float, bool))}
                for value in wanted if isinstance(wanted, (list, tuple)) else [wanted]:
                    check_choice(key, value, sorted(known, key=str), problem=f"group {name!r}: ")


def _mask(frame: pd.DataFrame, name: str, selector) -> pd.Series:
    """Which codings belong to a group.  A selector is a list of source ids, or a mapping:
    ``{informant: id-or-name}``, ``{doc_type: t}``, ``{sources: [...]}`` or ``{attribute: value}``
    for any informant attribute (``{role: staff}``); several keys must all hold."""
    selector = _selector(selector)
    spoken = frame["informant"].notna() | (frame["kind"] == "document")
    mask = pd.Series(True, index=frame.index)
    for key, wanted in selector.items():
        if key == "informant":
            mask &= (frame["informant"] == wanted) | (frame["informant_name"] == wanted)
        elif key == "doc_type":
            mask &= (frame["kind"] == "document") & (frame["doc_type"].astype(object).fillna("document") == wanted)
        elif key == "sources":
            mask &= frame["source"].isin(list(wanted)) & spoken
        elif key in frame.columns:
            values = wanted if isinstance(wanted, (list, tuple)) else [wanted]
            mask &= frame[key].isin(values)
    return mask


@dataclass
class Triangulation:
    """What :func:`triangulate` found: the matrix, its evidence, per-group figures and a summary."""

    groups: dict
    matrix: pd.DataFrame
    evidence: pd.DataFrame
    themes: pd.DataFrame
    summary: pd.DataFrame
    unique: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _repr_html_(self) -> str:
        from ..jupyter.display import table_html

        return f"<div><b>Convergence coding matrix</b>{table_html(self.matrix)}</div>"

    def __repr__(self) -> str:
        counts = self.evidence["category"].value_counts().to_dict() if len(self.evidence) else {}
        return (f"<Triangulation {len(self.matrix)} themes x {len(self.matrix.columns)} pairs: "
                + ", ".join(f"{n} {k}" for k, n in counts.items()) + ">")


@renamed(assessor="by")
def triangulate(project: Project, groups: Mapping | None = None, *, level: str = "stage", tolerance: int = 1,
                by: str | None = None, coders=None) -> Triangulation:
    """The convergence coding matrix (see the module docstring for the rules).

    ``by`` uses only that assessor's judgements (``None``: everyone's, the latest per cell);
    ``assessor=`` is its deprecated old name.
    """
    check_level(level)
    check_coders(project, coders)
    groups = dict(groups or default_groups(project))
    frame = codings_frame(project, coders=coders)
    _check_groups(project, frame, groups)
    frame = frame.assign(theme=frame["stage"] if level == "stage" else frame["code"])
    paths = code_paths(project)
    themes = [c for c, p in paths.items() if level == "code" or len(p) == 1]
    members = {name: frame[_mask(frame, name, selector)] for name, selector in groups.items()}
    stats = _theme_stats(members, themes)
    stances = _stances(project, paths, level)
    manual = _manual(project, by)
    rows = []
    for theme in themes:
        for a, b in itertools.combinations(groups, 2):
            rows.append(_cell(theme, a, b, stats, members, stances, manual, tolerance))
    evidence = pd.DataFrame(rows)
    matrix = evidence.pivot(index="theme", columns="pair", values="category") if rows else pd.DataFrame()
    pairs = [f"{a} | {b}" for a, b in itertools.combinations(groups, 2)]
    matrix = matrix.reindex(index=themes, columns=pairs)
    matrix.columns.name = None
    return Triangulation(groups, matrix, evidence, stats, _summary(evidence, members, themes),
                         _unique(evidence))


def _theme_stats(members, themes) -> pd.DataFrame:
    rows = []
    for name, frame in members.items():
        units = frame.assign(unit=frame["turn"].astype("float").fillna(-frame["coding_id"].astype(float)))
        passages = units.drop_duplicates(["theme", "source", "unit"]).groupby("theme", observed=True).size()
        total = len(units.drop_duplicates(["source", "unit"]))
        who = frame["informant"].astype(object).fillna(frame["source"].astype(object))
        people = frame.assign(who=who).groupby("theme", observed=True)["who"].nunique()
        counts = passages.reindex(themes, fill_value=0)
        ranks = counts.rank(method="min", ascending=False).astype(int)
        for theme in themes:
            n = int(counts[theme])
            rows.append({"group": name, "theme": theme, "present": n > 0, "passages": n,
                         "informants": int(people.get(theme, 0)), "share": n / total if total else 0.0,
                         "rank": int(ranks[theme]) if n else None})
    frame = pd.DataFrame(rows)
    if len(frame):
        frame["rank"] = frame["rank"].astype("Int64")
    return frame


def _stances(project: Project, paths, level) -> dict:
    """(theme, coding id) -> list of (proposition id, text, stance)."""
    from .. import store as db

    rows = db.notes.stance_theme_rows(project.store)
    found: dict = {}
    for coding_id, pid, text, code, stance in rows:
        theme = paths[code][0] if level == "stage" else code
        found.setdefault(theme, {}).setdefault(coding_id, []).append((pid, text, stance))
    return found


def _manual(project: Project, by) -> dict:
    from ..project.notes import assessments_frame

    if by is not None:
        known = sorted(set(assessments_frame(project)["assessor"]))
        if by not in known:
            raise unknown("assessor", by, known, fix="An assessor is the by= of Project.assess()")
    latest = {}
    for row in assessments_frame(project, by).itertuples():
        latest[(row.theme, row.group_a, row.group_b, row.component)] = row
    return latest


def _stat(stats, group, theme):
    row = stats[(stats["group"] == group) & (stats["theme"] == theme)].iloc[0]
    return row


def _evidence_lines(frame, theme) -> list[str]:
    rows = frame[frame["theme"] == theme]
    return [f"“{r.text}” ({r.source} {r.start}–{r.end})" for r in rows.itertuples()]


def _meaning(theme, frame_a, frame_b, stances) -> tuple[str, list[str]]:
    by_coding = stances.get(theme, {})

    def collect(frame):
        out = {}
        for coding_id in frame["coding_id"]:
            for pid, _, stance in by_coding.get(int(coding_id), []):
                out.setdefault(pid, set()).add(stance)
        return out

    side_a, side_b = collect(frame_a), collect(frame_b)
    texts = {pid: text for entries in by_coding.values() for pid, text, _ in entries}
    notes = [f"{pid}: A {', '.join(sorted(side_a.get(pid, ()))) or '-'}; "
             f"B {', '.join(sorted(side_b.get(pid, ()))) or '-'} ({texts[pid]})"
             for pid in sorted(set(side_a) | set(side_b))]
    shared = set(side_a) & set(side_b)
    if any({"supports", "contradicts"} <= (side_a[p] | side_b[p]) and side_a[p] != side_b[p] for p in shared):
        return "disagree", notes
    if any(side_a[p] & side_b[p] & {"supports", "contradicts"} for p in shared):
        return "agree", notes
    return NOT_ASSESSED, notes


def _combine(meaning: str, prominence: str) -> str:
    if NOT_ASSESSED in (meaning, prominence):
        return NOT_ASSESSED
    agreed = [meaning, prominence].count("agree")
    return {2: "agreement", 1: "partial agreement", 0: "dissonance"}[agreed]


def _cell(theme, a, b, stats, members, stances, manual, tolerance) -> dict:
    first, second = sorted((a, b))
    chosen = {c: manual.get((theme, first, second, c)) for c in ("convergence", "meaning", "prominence")}
    sa, sb = _stat(stats, a, theme), _stat(stats, b, theme)
    row = {"theme": theme, "pair": f"{a} | {b}", "group_a": a, "group_b": b, "silent": None,
           "passages_a": sa["passages"], "passages_b": sb["passages"], "rank_a": sa["rank"],
           "rank_b": sb["rank"], "meaning": None, "meaning_from": None, "prominence": None,
           "prominence_from": None, "stances": [],
           "evidence_a": _evidence_lines(members[a], theme), "evidence_b": _evidence_lines(members[b], theme)}
    if not sa["present"] and not sb["present"]:
        row["category"] = ABSENT
    elif not (sa["present"] and sb["present"]):
        row["category"], row["silent"] = "silence", (b if sa["present"] else a)
    else:
        meaning, row["stances"] = _meaning(theme, members[a][members[a]["theme"] == theme],
                                           members[b][members[b]["theme"] == theme], stances)
        prominence = "agree" if abs(sa["rank"] - sb["rank"]) <= tolerance else "disagree"
        row["meaning"], row["meaning_from"] = meaning, "stances" if meaning != NOT_ASSESSED else None
        row["prominence"], row["prominence_from"] = prominence, f"ranks {int(sa['rank'])} and {int(sb['rank'])}"
        for component in ("meaning", "prominence"):
            if chosen[component] is not None:
                row[component], row[f"{component}_from"] = chosen[component].value, "manual"
        row["category"] = _combine(row["meaning"], row["prominence"])
    if chosen["convergence"] is not None:
        row["category"] = chosen["convergence"].value
    decisive = [chosen[c] for c in ("convergence", "meaning", "prominence") if chosen[c] is not None]
    row["decided_by"] = "manual" if chosen["convergence"] is not None else "rules"
    row["rationale"] = "\n".join(f"{d.component}: {d.rationale}" for d in decisive)
    row["assessor"] = ", ".join(sorted({d.assessor for d in decisive})) or None
    return row


def _summary(evidence, members, themes) -> pd.DataFrame:
    rows = []
    for theme in themes:
        cells = evidence[evidence["theme"] == theme]["category"] if len(evidence) else pd.Series(dtype=object)
        coded = pd.concat([m[m["theme"] == theme] for m in members.values()]) if members else pd.DataFrame()
        informants = coded["informant"].dropna().nunique() if len(coded) else 0
        kinds = set(coded["kind"].astype(object)) if len(coded) else set()
        thin = []
        if informants == 1 and "document" not in kinds:
            thin.append("rests on one informant")
        if len(kinds) == 1:
            thin.append(f"only {next(iter(kinds))} sources")
        rows.append({"theme": theme, **{c: int((cells == c).sum()) for c in
                     ("agreement", "partial agreement", "dissonance", "silence", NOT_ASSESSED)},
                     "informants": informants, "source_kinds": ", ".join(sorted(kinds)),
                     "thin_evidence": "; ".join(thin)})
    return pd.DataFrame(rows).set_index("theme")


def _unique(evidence) -> pd.DataFrame:
    """Each group's unique contributions: the themes it speaks to where another group is silent."""
    rows = []
    if len(evidence):
        silent = evidence[evidence["category"] == "silence"]
        for r in silent.itertuples():
            speaker = r.group_b if r.silent == r.group_a else r.group_a
            rows.append((speaker, r.theme, r.silent))
    frame = pd.DataFrame(rows, columns=["group", "theme", "silent_group"])
    return frame.groupby(["group", "theme"], sort=False)["silent_group"].agg(list).reset_index()


def compare_assessors(project: Project, first: str, second: str, groups=None, **options) -> pd.DataFrame:
    """Farmer's researcher-comparison step: the two assessors' matrices side by side, cell by cell,
    with whether they agree; ``attrs`` holds the share of cells that do (``percent_agreement``)
    and Cohen's kappa over the convergence categories (``cohen_kappa``)."""
    a = triangulate(project, groups, by=first, **options).evidence
    b = triangulate(project, groups, by=second, **options).evidence
    table = a[["theme", "pair", "category"]].rename(columns={"category": first}).merge(
        b[["theme", "pair", "category"]].rename(columns={"category": second}), on=["theme", "pair"])
    table = table[(table[first] != ABSENT) | (table[second] != ABSENT)].reset_index(drop=True)
    table["same"] = table[first] == table[second]
    table.attrs["percent_agreement"] = float(table["same"].mean()) if len(table) else float("nan")
    if len(table):
        import warnings

        from ..agreement import cohen_kappa

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table.attrs["cohen_kappa"] = cohen_kappa([table[first].tolist(), table[second].tolist()])
    return table


def write_triangulation(result: Triangulation, folder) -> list:
    """Write the matrix, the evidence, the per-group figures and the summary as CSV into ``folder``."""
    from pathlib import Path

    from ..exchange.tables import to_csv

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"triangulation_matrix.csv": result.matrix, "triangulation_evidence.csv": result.evidence,
              "triangulation_groups.csv": result.themes, "triangulation_summary.csv": result.summary}
    return [to_csv(table if name.endswith(("matrix.csv", "summary.csv")) else table.set_index(table.columns[0]),
                   folder / name) for name, table in tables.items()]


def load_groups(path) -> dict:
    """Groups from a YAML file: ``name: selector`` (see :func:`triangulate`)."""
    from ..errors import SourceReadError
    from ..sources.yamlsafe import load_yaml, read_yaml_text

    data = load_yaml(read_yaml_text(path, what="groups file"), path)
    if not isinstance(data, dict) or not data:
        raise SourceReadError(path, "the groups file must map group names to selectors",
                              fix="e.g. 'Staff: {role: staff}' and 'News: {doc_type: news}'")
    return data
