"""How well automatic suggestions match a human coder: per-code precision, recall, F1 and agreement.

Units are turns (or sentences, or sources) of the sources the human ``gold`` coder coded at all;
a code is "given" to a unit when a coding of it overlaps the unit.  Automatic codings count unless
rejected.  Alpha and kappa come from :mod:`somecode.agreement`, on the two coders' present/absent
data per code.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import pandas as pd

from ..agreement import cohen_kappa, krippendorff_alpha
from ..agreement.units import UNITS, coded_units, unit_spans
from ..vocabulary import check_choice, check_level, unknown

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["evaluate"]


def evaluate(project: Project, *, auto: str | None = None, gold: str = "paper", unit: str = "turn",
             level: str = "code") -> pd.DataFrame:
    """One row per code: tp, fp, fn, precision, recall, f1, krippendorff_alpha, cohen_kappa, units;
    a last row ``(all codes)`` pools the counts (micro-averaged)."""
    from .coder import coder_id

    check_choice("unit", unit, UNITS)
    check_level(level)
    known = [c.id for c in project.coders()]
    if gold not in known:
        raise unknown("coder", gold, known)
    if auto is None:
        auto = coder_id(project)
        if auto not in known:
            raise unknown("coder", auto, known, fix="run autocode() with the current codebook first, "
                                                    "or give auto= the automatic coder to evaluate")
    elif auto not in known:
        raise unknown("coder", auto, known)
    given = coded_units(project, [auto, gold], unit, level, status=None)
    rejected = {(c.source_id, c.start, c.end, c.code_id) for c in project.coding_records(coder=auto)
                if c.status == "rejected"}
    gold_sources = set(given.loc[given["coder"] == gold, "source"])
    spans = unit_spans(project, unit)
    spans = spans[spans["source"].isin(gold_sources)]
    universe = list(zip(spans["source"], spans["unit"]))
    auto_rows = _without_rejected(project, given[given["coder"] == auto], rejected, unit, level)
    sets = {name: set(zip(rows["source"], rows["unit"], rows["code"]))
            for name, rows in (("auto", auto_rows), ("gold", given[given["coder"] == gold]))}
    codes = sorted({c for _, _, c in sets["auto"] | sets["gold"]})
    rows = [_row(code, sets, universe) for code in codes]
    tp, fp, fn = (sum(r[k] for r in rows) for k in ("tp", "fp", "fn"))
    rows.append({"code": "(all codes)", "tp": tp, "fp": fp, "fn": fn, **_scores(tp, fp, fn),
                 "krippendorff_alpha": float("nan"), "cohen_kappa": float("nan"), "units": len(universe)})
    table = pd.DataFrame(rows).set_index("code")
    table.attrs.update({"auto": auto, "gold": gold, "unit": unit, "level": level})
    return table


def _without_rejected(project: Project, rows, rejected, unit, level):
    if not rejected:
        return rows
    from ..analysis.frame import code_paths

    paths = code_paths(project)
    spans = unit_spans(project, unit)
    dropped = set()
    for source, start, end, code in rejected:
        hit = spans[(spans["source"] == source) & (spans["start"] < end) & (spans["end"] > start)]
        name = paths[code][0] if level == "stage" else code
        dropped |= {(source, u, name) for u in hit["unit"]}
    keep = [(s, u, c) not in dropped for s, u, c in zip(rows["source"], rows["unit"], rows["code"])]
    return rows[keep]


def _scores(tp, fp, fn) -> dict:
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if fp or fn else float("nan"))
    return {"precision": precision, "recall": recall, "f1": f1}


def _row(code, sets, universe) -> dict:
    auto = {(s, u) for s, u, c in sets["auto"] if c == code}
    gold = {(s, u) for s, u, c in sets["gold"] if c == code}
    auto &= set(universe)
    tp, fp, fn = len(auto & gold), len(auto - gold), len(gold - auto)
    data = [[int(k in auto) for k in universe], [int(k in gold) for k in universe]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alpha, kappa = krippendorff_alpha(data), cohen_kappa(data)
    return {"code": code, "tp": tp, "fp": fp, "fn": fn, **_scores(tp, fp, fn),
            "krippendorff_alpha": alpha, "cohen_kappa": kappa, "units": len(universe)}
