"""Agreement coefficients, one plain function each, exact against published examples.

Every function takes ``data=`` (coders x units: a list of lists, an array or a
DataFrame, ``None``, NaN, ``pd.NA``, NaT, ``""`` or ``"nan"`` for missing; ``rows="units"``
when the rows are units and the columns coders), ``table=`` (two coders' square
contingency table) or ``counts=`` (units x categories, no negative counts), where the
coefficient is defined on that form, and an optional ``categories=`` order.  Missing
values are handled as each coefficient's source defines: a unit counts toward
agreement when at least two coders rated it; chance agreement uses every rating
(Gwet 2014, as in irrCAC; Krippendorff 2011).  When a coefficient is undefined (one
category only, no pairable units, no unit coded by both of two coders) it returns
``nan`` with a :class:`~somecode.SomecodeWarning`.

Measures that depend on the order of the categories (ordinal alpha; linear, quadratic or
matrix weights; a custom distance) use numbers in numeric order and refuse text labels
unless ``categories=`` gives their order (alphabetical order is rarely the right one:
"1" < "10" < "2", "high" < "low" < "medium").

>>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
>>> round(krippendorff_alpha(data), 3)      # Krippendorff (2011), nominal
0.743
>>> round(fleiss_kappa(data), 5), round(gwet_ac1(data), 5)
(0.76117, 0.77544)
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings

import numpy as np

from ..errors import SomecodeWarning, ValidationError
from ..vocabulary import check_choice, old_name
from .inputs import Ratings

__all__ = ["percent_agreement", "cohen_kappa", "weighted_kappa", "scott_pi", "fleiss_kappa",
           "conger_kappa", "brennan_prediger", "randolph_kappa", "gwet_ac1", "gwet_ac2",
           "krippendorff_alpha", "coincidence_matrix", "agreement_weights", "benchmark_probabilities",
           "PERCENT_DEFINITIONS", "SCALES", "LEVELS", "WEIGHTS"]

PERCENT_DEFINITIONS = ("unit_mean", "coincidence", "pooled_pairs", "all_coders", "mean_pairwise")
SCALES = ("nominal", "ordinal", "interval", "ratio")  # measurement scales (``scale=``)
LEVELS = SCALES  # the old name of SCALES
WEIGHTS = ("identity", "linear", "quadratic")


def _ratio(numerator: float, denominator: float, what: str) -> float:
    if denominator == 0 or not np.isfinite(denominator):
        warnings.warn(f"{what} is undefined here ({numerator:g} / {denominator:g}): typically all values "
                      "fall in one category, or no unit has two values", SomecodeWarning, stacklevel=3)
        return float("nan")
    return float(numerator / denominator)


def _undefined(what: str, why: str) -> float:
    warnings.warn(f"{what} is undefined here: {why}; it is nan", SomecodeWarning, stacklevel=3)
    return float("nan")


def _check_weights(weights) -> None:
    if isinstance(weights, str):
        check_choice("weights", weights, WEIGHTS)


def _unweighted(weights) -> bool:
    return isinstance(weights, str) and weights == "identity"


def _order_for_weights(ratings: Ratings, weights, what: str) -> None:
    if not _unweighted(weights):
        shown = f"weights={weights!r}" if isinstance(weights, str) else "a weight matrix"
        ratings.require_order(f"{what} with {shown}")


def agreement_weights(q: int, weights="identity") -> np.ndarray:
    """Agreement weights over category positions: ``identity``, ``linear``
    1 - |k - l|/(q - 1), ``quadratic`` 1 - (k - l)^2/(q - 1)^2, or a q x q matrix."""
    if isinstance(weights, str):
        _check_weights(weights)
        k, l = np.indices((q, q))
        if weights == "identity":
            return np.eye(q)
        span = max(q - 1, 1)
        if weights == "linear":
            return 1 - np.abs(k - l) / span
        return 1 - (k - l) ** 2 / span ** 2
    matrix = np.asarray(weights, dtype=float)
    if matrix.shape != (q, q):
        raise ValidationError(f"a weight matrix must be {q} x {q}, not {matrix.shape}")
    return matrix


def _unit_mean_agreement(ratings: Ratings, w: np.ndarray) -> float:
    """Gwet's p_a: mean over units with two or more ratings of the (weighted) share of agreeing pairs."""
    n, units = ratings.counts, ratings.weights()
    r = n.sum(axis=1)
    rated = r >= 2
    weighted = n @ w.T
    per_unit = (n * (weighted - 1)).sum(axis=1)[rated] / (r[rated] * (r[rated] - 1))
    return _ratio(float((per_unit * units[rated]).sum()), float(units[rated].sum()), "percent agreement")


def _classification(ratings: Ratings) -> np.ndarray:
    """pi_k: the mean over units with at least one rating of the share of ratings in k."""
    n, units = ratings.counts, ratings.weights()
    r = n.sum(axis=1)
    rated = r >= 1
    if not units[rated].sum():
        return np.full(ratings.q, np.nan)
    return ((n[rated] / r[rated, None]) * units[rated, None]).sum(axis=0) / units[rated].sum()


def _chance_corrected(pa: float, pe: float, what: str) -> float:
    if np.isfinite(pe) and abs(1 - pe) <= 1e-12:  # chance agreement is 1 (up to rounding): one category
        return _ratio(pa - pe, 0.0, what)
    return _ratio(pa - pe, 1 - pe, what)


def percent_agreement(data=None, *, table=None, counts=None, categories=None,
                      definition: str = "unit_mean", rows: str = "coders") -> float:
    """Observed agreement; the ``definition`` says which (Krippendorff 2011; Gwet 2014):

    - ``unit_mean``: the mean over units rated by two or more coders of the share of coder
      pairs that agree (Fleiss' P-bar, Gwet's p_a); for two coders, agreeing units / units;
    - ``coincidence``: agreeing pairable values / all pairable values (1 - D_o, nominal);
    - ``pooled_pairs``: agreeing coder pairs / all coder pairs, pooled over units;
    - ``all_coders``: the share of units (rated twice or more) on which every coder agrees;
    - ``mean_pairwise``: the mean over pairs of coders of their two-coder agreement (Holsti-style;
      needs ``data``).
    """
    check_choice("definition", definition, PERCENT_DEFINITIONS)
    ratings = Ratings.of(data, table, counts, categories, rows)
    if definition == "unit_mean":
        return _unit_mean_agreement(ratings, np.eye(ratings.q))
    if definition == "coincidence":
        o = coincidence_matrix(ratings=ratings)
        return _ratio(float(np.trace(o)), float(o.sum()), "percent agreement")
    n, units = ratings.counts, ratings.weights()
    r = n.sum(axis=1)
    if definition == "pooled_pairs":
        agree = ((n * (n - 1) / 2).sum(axis=1) * units).sum()
        return _ratio(float(agree), float((r * (r - 1) / 2 * units).sum()), "percent agreement")
    if definition == "all_coders":
        rated = r >= 2
        unanimous = (n.max(axis=1) == r) & rated
        return _ratio(float((unanimous * units).sum()), float((rated * units).sum()), "percent agreement")
    # mean_pairwise
    if ratings.codes is None:
        raise ValidationError("definition='mean_pairwise' needs data= (who gave which value)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SomecodeWarning)
        pairs = [percent_agreement(Ratings.from_codes(ratings.codes[[a, b]], ratings.categories))
                 for a, b in itertools.combinations(range(len(ratings.codes)), 2)]
    pairs = [v for v in pairs if v == v]
    if not pairs:
        return _undefined("percent agreement", "no pair of coders rated a unit in common")
    return float(np.mean(pairs))


def cohen_kappa(data=None, *, table=None, categories=None, rows: str = "coders") -> float:
    """Cohen's (1960) kappa for two coders: (p_o - p_e)/(1 - p_e), p_e from each coder's margins.
    Units missing a value from either coder are left out; with no unit coded by both, kappa is
    nan (with a warning)."""
    return weighted_kappa(data, table=table, categories=categories, weights="identity", rows=rows)


def _shared(ratings: Ratings, what: str) -> np.ndarray | None:
    """The two coders' table as proportions, or None (after a warning) when it is empty."""
    p = ratings.pair_table()
    if not p.sum():
        _undefined(what, "no unit was coded by both coders")
        return None
    return p / p.sum()


def weighted_kappa(data=None, *, table=None, categories=None, weights="linear",
                   disagreement=None, rows: str = "coders") -> float:
    """Cohen's (1968) weighted kappa for two coders.

    ``weights``: ``linear``, ``quadratic`` (over category positions, in
    ``categories`` order; by default the sorted values present, as R's irr does
    with factor levels, when they are numbers; text labels need ``categories=``) or an
    agreement-weight matrix; or ``disagreement``, a matrix of disagreement weights v
    (then kappa_w = 1 - sum v p_o / sum v p_e).
    """
    _check_weights(weights)
    ratings = Ratings.of(data, table, None, categories, rows)
    if disagreement is not None:
        ratings.require_order("weighted kappa with a disagreement matrix")
    else:
        _order_for_weights(ratings, weights, "weighted kappa")
    p = _shared(ratings, "kappa")
    if p is None:
        return float("nan")
    expected = np.outer(p.sum(axis=1), p.sum(axis=0))
    if disagreement is not None:
        v = np.asarray(disagreement, dtype=float)
        if v.shape != p.shape:
            raise ValidationError(f"a disagreement matrix must be {ratings.q} x {ratings.q} (one row and "
                                  f"column per category), not {v.shape}")
        return 1 - _ratio(float((v * p).sum()), float((v * expected).sum()), "weighted kappa")
    w = agreement_weights(ratings.q, weights)
    return _chance_corrected(float((w * p).sum()), float((w * expected).sum()), "kappa")


def scott_pi(data=None, *, table=None, categories=None, rows: str = "coders") -> float:
    """Scott's (1955) pi for two coders: p_e from the pooled margins of the units both coded
    (nan, with a warning, when there are none)."""
    ratings = Ratings.of(data, table, None, categories, rows)
    p = _shared(ratings, "Scott's pi")
    if p is None:
        return float("nan")
    pooled = (p.sum(axis=1) + p.sum(axis=0)) / 2
    return _chance_corrected(float(np.trace(p)), float((pooled ** 2).sum()), "Scott's pi")


def fleiss_kappa(data=None, *, counts=None, table=None, categories=None, weights="identity",
                 rows: str = "coders") -> float:
    """Fleiss' (1971) kappa, generalised to missing ratings as in Gwet (2014): p_a over units rated
    twice or more; p_e = sum_kl w_kl pi_k pi_l with pi_k the mean per-unit share of k."""
    _check_weights(weights)
    ratings = Ratings.of(data, table, counts, categories, rows)
    _order_for_weights(ratings, weights, "Fleiss' kappa")
    w = agreement_weights(ratings.q, weights)
    pi = _classification(ratings)
    return _chance_corrected(_unit_mean_agreement(ratings, w), float(pi @ w @ pi), "Fleiss' kappa")


def conger_kappa(data=None, *, table=None, categories=None, weights="identity",
                 rows: str = "coders") -> float:
    """Conger's (1980) kappa: p_e from each coder's own margins, averaged over coder pairs
    (with the coder-variance correction of Gwet 2014); p_a as in :func:`fleiss_kappa`.

    A coder who gave no value at all has no margins and is left out (as if not listed); with
    fewer than two coders who gave values, kappa is nan (with a warning)."""
    _check_weights(weights)
    ratings = Ratings.of(data, table, None, categories, rows)
    _order_for_weights(ratings, weights, "Conger's kappa")
    if ratings.codes is None:
        if table is not None:
            return weighted_kappa(table=table, categories=categories, weights=weights)
        raise ValidationError("Conger's kappa needs to know who gave which value (fix: give data=, one row "
                              "per coder, or a two-coder table=; counts= cannot say it)")
    active = ratings.codes[(ratings.codes >= 0).any(axis=1)]
    if len(active) < 2:
        return _undefined("Conger's kappa", f"{len(active)} coder(s) gave values, and it needs two or more")
    w = agreement_weights(ratings.q, weights)
    coders = len(active)
    shares = np.zeros((coders, ratings.q))
    for g, row in enumerate(active):
        given = row[row >= 0]
        shares[g] = np.bincount(given, minlength=ratings.q) / len(given)
    mean = shares.mean(axis=0)
    covariance = (shares.T @ shares - coders * np.outer(mean, mean)) / (coders - 1)
    pe = float((w * (np.outer(mean, mean) - covariance / coders)).sum())
    return _chance_corrected(_unit_mean_agreement(ratings, w), pe, "Conger's kappa")


def brennan_prediger(data=None, *, table=None, counts=None, categories=None, q: int | None = None,
                     weights="identity", rows: str = "coders") -> float:
    """Brennan & Prediger's (1981) coefficient (Bennett's S): chance agreement fixed at T_w/q^2
    (1/q unweighted), T_w the sum of the q x q agreement weights.  ``q`` should be the number of
    categories coders could use; by default the number of categories given or present.  Weights
    need each category's place among all q, so a weighted coefficient with more categories than
    the data show takes ``categories=`` listing all of them, in order, not ``q=``."""
    _check_weights(weights)
    ratings = Ratings.of(data, table, counts, categories, rows)
    _order_for_weights(ratings, weights, "Brennan-Prediger")
    if q is None:
        q = ratings.q
    elif isinstance(q, bool) or not isinstance(q, numbers.Integral) or q < ratings.q:
        raise ValidationError(f"q={q!r}: q is the number of categories coders could choose from, a whole "
                              f"number at least the {ratings.q} categories the data have (fix: give "
                              f"q >= {ratings.q}, or leave q= out)")
    if q != ratings.q and not _unweighted(weights):
        raise ValidationError(f"q={q} with weights={weights if isinstance(weights, str) else 'a matrix'!r}: "
                              f"the data have {ratings.q} categories ({ratings.categories}), and weights "
                              f"need to know where each sits among all {q} (fix: give categories= listing "
                              f"all {q} categories in order, and leave q= out)")
    if q < 2:
        return _undefined("Brennan-Prediger", f"with {q} categor{'y' if q == 1 else 'ies'} chance "
                          "agreement is certain")
    w = agreement_weights(ratings.q, weights)
    pe = 1 / q if _unweighted(weights) else float(w.sum()) / q ** 2
    return _chance_corrected(_unit_mean_agreement(ratings, w), pe, "Brennan-Prediger")


def randolph_kappa(counts=None, *, data=None, q: int | None = None, categories=None,
                   rows: str = "coders") -> float:
    """Randolph's (2005) free-marginal multirater kappa: Brennan-Prediger with Fleiss' p_a."""
    return brennan_prediger(data, counts=counts, categories=categories, q=q, rows=rows)


def gwet_ac1(data=None, *, table=None, counts=None, categories=None, rows: str = "coders") -> float:
    """Gwet's (2008) AC1: p_e = sum_k pi_k (1 - pi_k) / (q - 1)."""
    return gwet_ac2(data, table=table, counts=counts, categories=categories, weights="identity", rows=rows)


def gwet_ac2(data=None, *, table=None, counts=None, categories=None, weights="quadratic",
             rows: str = "coders") -> float:
    """Gwet's AC2 (weighted AC1; Gwet 2014): p_e = T_w/(q (q - 1)) sum_k pi_k (1 - pi_k)."""
    _check_weights(weights)
    ratings = Ratings.of(data, table, counts, categories, rows)
    _order_for_weights(ratings, weights, "Gwet's AC2")
    if ratings.q < 2:
        return _ratio(0.0, 0.0, "Gwet's AC")
    w = agreement_weights(ratings.q, weights)
    pi = _classification(ratings)
    pe = float(w.sum()) * float((pi * (1 - pi)).sum()) / (ratings.q * (ratings.q - 1))
    return _chance_corrected(_unit_mean_agreement(ratings, w), pe, "Gwet's AC")


def coincidence_matrix(data=None, *, table=None, counts=None, categories=None, ratings=None,
                       rows: str = "coders") -> np.ndarray:
    """Krippendorff's coincidence matrix o_ck over pairable units (two or more values)."""
    ratings = ratings or Ratings.of(data, table, counts, categories, rows)
    n, units = ratings.counts, ratings.weights()
    m = n.sum(axis=1)
    keep = m >= 2
    n, m, units = n[keep], m[keep], units[keep]
    scaled = n * (units / (m - 1))[:, None]
    return scaled.T @ n - np.diag(scaled.sum(axis=0))


def _distances(scale: str, categories, totals: np.ndarray, distance=None) -> np.ndarray:
    q = len(categories)
    if distance is not None:
        return np.asarray(distance, dtype=float)
    check_choice("scale", scale, SCALES)
    if scale == "nominal":
        return 1 - np.eye(q)
    if scale == "ordinal":
        cumulative = np.concatenate([[0.0], np.cumsum(totals)])
        k, l = np.indices((q, q))
        low, high = np.minimum(k, l), np.maximum(k, l)
        span = cumulative[high + 1] - cumulative[low]
        return (span - (totals[k] + totals[l]) / 2) ** 2
    try:
        values = np.array(categories, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(f"scale={scale!r} measures distances between the values, which must be "
                              f"numbers, not {categories} (fix: give numbers, or use scale='ordinal' with "
                              f"categories= in order, or scale='nominal')") from None
    if scale == "interval":
        return (values[:, None] - values[None, :]) ** 2
    total = values[:, None] + values[None, :]  # ratio
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total == 0, 0.0, ((values[:, None] - values[None, :]) / total) ** 2)


def krippendorff_alpha(data=None, *, table=None, counts=None, categories=None, scale: str = "nominal",
                       distance=None, level: str | None = None, rows: str = "coders") -> float:
    """Krippendorff's alpha = 1 - D_o/D_e (Krippendorff 2011, 2018), for the measurement ``scale``
    nominal, ordinal, interval or ratio, or a custom ``distance`` matrix (delta^2 between
    categories).  Ordinal alpha and a custom distance on text labels need ``categories=`` in
    order; interval and ratio need numbers.  ``level=`` is the deprecated old name of ``scale=``."""
    scale = old_name("krippendorff_alpha", "level", level, "scale", scale, "nominal")
    check_choice("scale", scale, SCALES)
    ratings = Ratings.of(data, table, counts, categories, rows)
    if distance is not None:
        ratings.require_order("Krippendorff's alpha with a distance matrix")
        if np.shape(distance) != (ratings.q, ratings.q):
            raise ValidationError(f"a distance matrix must be {ratings.q} x {ratings.q} (one row and column "
                                  f"per category), not {np.shape(distance)}")
    elif scale == "ordinal":
        ratings.require_order("ordinal Krippendorff's alpha")
    o = coincidence_matrix(ratings=ratings)
    totals = o.sum(axis=1)
    n = totals.sum()
    delta = _distances(scale, ratings.categories, totals, distance)
    observed = float((o * delta).sum())
    expected = float((np.outer(totals, totals) * delta).sum())
    if n <= 1:
        return _ratio(0.0, 0.0, "Krippendorff's alpha")
    return 1 - _ratio((n - 1) * observed, expected, "Krippendorff's alpha")


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def benchmark_probabilities(coefficient: float, standard_error: float, intervals) -> list[float]:
    """Gwet's (2014) benchmarking: for each interval [a, b] of a scale (listed from the top),
    the cumulative probability that the coefficient lies in it or an earlier one, under a normal
    approximation truncated at 1.  Report the first interval whose cumulative probability
    exceeds 0.95."""
    total = _normal_cdf((1 - coefficient) / standard_error)
    cumulative, out = 0.0, []
    for low, high in intervals:
        cumulative += (_normal_cdf((high - coefficient) / standard_error)
                       - _normal_cdf((low - coefficient) / standard_error)) / total
        out.append(min(1.0, cumulative))
    return out
