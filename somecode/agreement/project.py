"""Agreement between coders of a project: per-code coefficients with intervals, segment matching,
the units where coders differ, and a consensus layer.

Decisions (Krippendorff 2004; methods reference section 3): every unit of a source a coder has
coded is data for that coder (1 = applied the code, 0 = did not); a source a coder never coded is
missing for that coder, not 0.  Per-code values treat each code as a present/absent variable;
"which code" treats the codes as one nominal variable and needs them to be exclusive within a unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..model import Coding
from ..vocabulary import (
    check_choice,
    check_coders,
    check_ids,
    check_level,
    keyword_only,
    old_name,
)
from . import coefficients
from .inputs import Ratings
from .units import UNITS, coded_units, unit_spans

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["agreement_table", "disagreements", "reconcile", "segment_agreement", "interpret",
           "bootstrap_alpha", "METRICS", "DENOMINATORS"]

METRICS = ("krippendorff_alpha", "cohen_kappa", "scott_pi", "fleiss_kappa", "conger_kappa",
           "brennan_prediger", "gwet_ac1", "percent_agreement")
DENOMINATORS = ("union", "shorter", "longer")


def interpret(alpha: float) -> str:
    """Krippendorff's (2004, p. 241) standard: rely on alpha >= .800; draw only tentative
    conclusions from .667 <= alpha < .800; below .667, do not rely on the variable."""
    if alpha != alpha:
        return "undefined"
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable"


def _presence(project: Project, coders, unit, level, codes, exclude_uncoded):
    spans = unit_spans(project, unit)
    given = coded_units(project, coders, unit, level)
    keys = list(zip(spans["source"], spans["unit"]))
    index = {k: i for i, k in enumerate(keys)}
    touched = {c: set(given.loc[given["coder"] == c, "source"]) for c in coders}
    if codes is None:
        codes = [c for c in _code_order(project, level) if c in set(given["code"])]
    matrices = {}
    for code in codes:
        values = np.full((len(coders), len(keys)), -1, dtype=np.int64)
        for row, coder in enumerate(coders):
            for i, (source, _) in enumerate(keys):
                if source in touched[coder]:
                    values[row, i] = 0
            hits = given[(given["coder"] == coder) & (given["code"] == code)]
            for source, u in zip(hits["source"], hits["unit"]):
                values[row, index[(source, u)]] = 1
        matrices[code] = values
    keep = np.ones(len(keys), dtype=bool)
    if exclude_uncoded and matrices:
        keep = np.any(np.stack([(m == 1) for m in matrices.values()]), axis=(0, 1))
    return {c: m[:, keep] for c, m in matrices.items()}, [k for k, ok in zip(keys, keep) if ok], given


def _code_order(project: Project, level):
    from ..analysis.frame import code_paths

    return [c for c, p in code_paths(project).items() if level == "code" or len(p) == 1]


def bootstrap_alpha(codes: np.ndarray, categories, *, samples: int = 1000, seed: int = 0,
                    scale: str = "nominal", minimum: float = 0.667, level: str | None = None) -> dict:
    """A percentile bootstrap interval for alpha, resampling units with replacement (seeded, so
    reproducible), and the share of resamples below ``minimum`` (Hayes & Krippendorff 2007 report
    the same two figures; their macro resamples pairs of values rather than units).  ``scale`` is
    the measurement scale (``level=`` its deprecated old name)."""
    scale = old_name("bootstrap_alpha", "level", level, "scale", scale, "nominal")
    check_choice("scale", scale, coefficients.SCALES)
    rng = np.random.default_rng(seed)
    units = codes.shape[1]
    values = []
    with np.errstate(all="ignore"):
        for _ in range(samples):
            picked = codes[:, rng.integers(0, units, units)]
            ratings = Ratings.from_codes(picked, categories)
            o = coefficients.coincidence_matrix(ratings=ratings)
            totals, n = o.sum(axis=1), o.sum()
            delta = coefficients._distances(scale, categories, totals)
            expected = (np.outer(totals, totals) * delta).sum()
            if expected > 0 and n > 1:
                values.append(1 - (n - 1) * (o * delta).sum() / expected)
    if not values:
        return {"low": float("nan"), "high": float("nan"), "below_minimum": float("nan")}
    alphas = np.array(values)
    return {"low": float(np.quantile(alphas, 0.025)), "high": float(np.quantile(alphas, 0.975)),
            "below_minimum": float((alphas < minimum).mean())}


def _value(metric, ratings):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(coefficients, metric)(ratings) if metric != "percent_agreement" else \
            coefficients.percent_agreement(ratings)


def _check(project: Project, coders, unit, level, codes=None):
    """The arguments every project-level agreement function shares; returns the coders as a list."""
    check_choice("unit", unit, UNITS)
    check_level(level)
    if isinstance(coders, str):
        raise ValidationError(f"coders={coders!r}: agreement needs two or more coders, as a list")
    coders = list(coders)
    check_coders(project, coders)
    if codes is not None:
        what = "code" if level == "code" else "stage"
        check_ids(what, codes, _code_order(project, level))
    return coders


@keyword_only("coders")
def agreement_table(project: Project, *, coders, unit: str = "turn", codes=None, metric: str = "krippendorff_alpha",
                    level: str = "code", exclude_uncoded: bool = False, bootstrap: int = 1000,
                    seed: int = 0) -> pd.DataFrame:
    """Agreement per code between ``coders`` (two or more), then over all codes.

    Columns: the ``metric`` value, percent agreement (unit mean), the number of
    units with two or more values, coders, and for alpha a bootstrap 95% interval,
    the share of resamples below .667 and Krippendorff's interpretation.  The
    last rows: "(all codes, pooled)" stacks every code's present/absent data; "(which
    code)" treats the codes as one nominal variable on units where each coder gave
    at most one of them (nan with a note when a coder gave several).

    ``coders`` is a keyword (giving it by position still works, with a DeprecationWarning);
    ``level`` is the codebook depth ("stage" or "code"), ``unit`` turn, sentence or source.
    """
    check_choice("metric", metric, METRICS)
    coders = _check(project, coders, unit, level, codes)
    if len(coders) < 2:
        raise ValidationError("agreement needs two or more coders")
    if metric in ("cohen_kappa", "scott_pi") and len(coders) != 2:
        raise ValidationError(f"{metric} is for two coders; use fleiss_kappa or krippendorff_alpha")
    matrices, keys, given = _presence(project, coders, unit, level, codes, exclude_uncoded)
    rows = [_row(code, m, [0, 1], metric, bootstrap, seed, len(coders)) for code, m in matrices.items()]
    if matrices:
        pooled = np.concatenate(list(matrices.values()), axis=1)
        rows.append(_row("(all codes, pooled)", pooled, [0, 1], metric, bootstrap, seed, len(coders)))
        rows.append(_which_code(matrices, metric, bootstrap, seed, len(coders)))
    table = pd.DataFrame(rows).set_index("code")
    table.attrs.update({"unit": unit, "coders": coders, "metric": metric,
                        "citation": "Krippendorff (2004), Content Analysis, p. 241: rely on alpha >= .800; "
                                    "tentative conclusions for .667 <= alpha < .800"})
    return table


def _row(code, codes, categories, metric, bootstrap, seed, coders, note=""):
    ratings = Ratings.from_codes(codes, categories)
    pairable = int(((codes >= 0).sum(axis=0) >= 2).sum())
    row = {"code": code, metric: _value(metric, ratings),
           "percent_agreement": _value("percent_agreement", ratings), "units": pairable, "coders": coders}
    if metric == "krippendorff_alpha":
        interval = bootstrap_alpha(codes, categories, samples=bootstrap, seed=seed) if bootstrap else {}
        row.update({"ci_low": interval.get("low"), "ci_high": interval.get("high"),
                    "p_below_667": interval.get("below_minimum"), "interpretation": interpret(row[metric])})
    row["note"] = note
    return row


def _which_code(matrices, metric, bootstrap, seed, coders):
    codes = list(matrices)
    stacked = np.stack([matrices[c] for c in codes])  # codes x coders x units
    applied = (stacked == 1).sum(axis=0)
    missing = (stacked == -1).all(axis=0)
    values = np.where(applied == 1, np.argmax(stacked == 1, axis=0), len(codes))  # len = "(none)"
    values = np.where(missing, -1, values)
    several = int((applied > 1).sum())
    note = (f"{several} coder-unit pairs with several codes were left out" if several else "")
    values = np.where(applied > 1, -1, values)
    return _row("(which code)", values, codes + ["(none)"], metric, bootstrap, seed, coders, note)


@keyword_only("coders")
def disagreements(project: Project, *, coders, unit: str = "turn", level: str = "code") -> pd.DataFrame:
    """Every unit where the coders' codes differ: source, unit, start, end, text and one column
    per coder listing that coder's codes (sorted).  Only sources every coder has coded count: a
    source one coder never touched is missing data, not a disagreement.  ``coders`` is a keyword
    (by position: deprecated)."""
    coders = _check(project, coders, unit, level)
    spans = unit_spans(project, unit).set_index(["source", "unit"])
    given = coded_units(project, coders, unit, level)
    shared = set.intersection(*(set(given.loc[given["coder"] == c, "source"]) for c in coders))
    given = given[given["source"].isin(shared)]
    sets = given.groupby(["source", "unit", "coder"])["code"].agg(lambda s: tuple(sorted(s)))
    rows = []
    for (source, u), group in given.groupby(["source", "unit"]):
        per = {c: sets.get((source, u, c), ()) for c in coders}
        if len(set(per.values())) > 1:
            span = spans.loc[(source, u)]
            rows.append({"source": source, "unit": u, "start": span["start"], "end": span["end"],
                         "text": span["text"], **{c: list(per[c]) for c in coders}})
    return pd.DataFrame(rows, columns=["source", "unit", "start", "end", "text", *coders])


def reconcile(project: Project, decisions, *, coder: str = "consensus", memo: str = "") -> int:
    """Write the agreed codings as coder ``coder``, in one transaction; return how many were new.

    ``decisions``: rows (a DataFrame or dicts) with ``source``, ``start``, ``end`` and either
    ``code`` or ``codes`` (a list, as :func:`disagreements` gives per coder), plus an optional
    ``memo``.  Rows with an empty code list decide that the unit gets no code.
    """
    rows = decisions.to_dict("records") if isinstance(decisions, pd.DataFrame) else list(decisions)
    codings = []
    for row in rows:
        chosen = row.get("codes", [row["code"]] if row.get("code") else [])
        for code in chosen:
            codings.append(Coding(row["source"], int(row["start"]), int(row["end"]), code, coder,
                                  memo=row.get("memo") or memo))
    with project.atomic():
        project.add_coder(coder, name=coder) if coder not in {c.id for c in project.coders()} else None
        new = project.add_codings(codings)
        project.log("reconcile", {"coder": coder, "decisions": len(rows), "codings": new})
    return new


def segment_agreement(project: Project, first: str, second: str, *, threshold: float = 0.9,
                      denominator: str = "union", codes=None) -> pd.DataFrame:
    """Segment matching as MAXQDA users know it: a coded segment agrees when the other coder gave
    the same code to a segment of the same source overlapping it by at least ``threshold``,
    overlap measured against the ``union`` of the two segments, the ``shorter`` or the ``longer``.

    Per code: segments and matches of each coder, and agreement = matched segments / all
    segments (both coders counted).  ``attrs["unmatched"]`` lists the unmatched segments.
    """
    check_choice("denominator", denominator, DENOMINATORS)
    check_coders(project, [first, second])
    if codes is not None:
        check_ids("code", codes, project.code_ids())
    records = {c: [r for r in project.coding_records(coder=c) if r.status == "accepted"] for c in (first, second)}
    wanted = codes or sorted({r.code_id for rs in records.values() for r in rs})
    rows, unmatched = [], []
    for code in wanted:
        mine = {c: [r for r in records[c] if r.code_id == code] for c in (first, second)}
        row = {"code": code}
        for coder, other in ((first, second), (second, first)):
            matched = 0
            for segment in mine[coder]:
                if any(_overlap_ratio(segment, o, denominator) >= threshold for o in mine[other]
                       if o.source_id == segment.source_id):
                    matched += 1
                else:
                    unmatched.append({"coder": coder, "code": code, "source": segment.source_id,
                                      "start": segment.start, "end": segment.end})
            row[f"segments_{coder}"], row[f"matched_{coder}"] = len(mine[coder]), matched
        total = row[f"segments_{first}"] + row[f"segments_{second}"]
        row["agreement"] = (row[f"matched_{first}"] + row[f"matched_{second}"]) / total if total else float("nan")
        rows.append(row)
    table = pd.DataFrame(rows).set_index("code") if rows else pd.DataFrame()
    table.attrs["unmatched"] = pd.DataFrame(unmatched, columns=["coder", "code", "source", "start", "end"])
    table.attrs.update({"threshold": threshold, "denominator": denominator})
    return table


def _overlap_ratio(a, b, denominator: str) -> float:
    overlap = max(0, min(a.end, b.end) - max(a.start, b.start))
    sizes = (a.end - a.start, b.end - b.start)
    base = {"union": max(a.end, b.end) - min(a.start, b.start), "shorter": min(sizes),
            "longer": max(sizes)}[denominator]
    return overlap / base if base else 0.0
