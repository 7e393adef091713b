"""Agreement coefficients against independent implementations, on generated data.

Every expected value here comes from another package or from a formula written out in this
file, never from somecode itself:

- Krippendorff's alpha (nominal, ordinal, interval, ratio): ``krippendorff.alpha``;
- Cohen's kappa and weighted kappa (linear, quadratic): ``sklearn.metrics.cohen_kappa_score``
  on the units both coders rated;
- Fleiss' kappa on complete data, and Scott's pi (Fleiss' kappa of the two coders on the units
  both rated): ``statsmodels.stats.inter_rater.fleiss_kappa``;
- Conger's kappa, Gwet's AC1/AC2, Brennan-Prediger and Fleiss' kappa with missing ratings:
  ``irrCAC`` when it is installed (it pins pandas < 3 and scipy == 1.12, so it is not a declared
  test dependency), and hand derivations in the regression tests below, which do not need it.

Where the independent package gives nan (or refuses: no pairable unit, one value only) the
coefficient is undefined, and somecode must give nan with a SomecodeWarning; where it gives a
number, somecode must give the same number to 1e-12 and warn about nothing.

The data are generated with a seeded numpy RNG (the same cases every run), plus the degenerate
cases by hand: no unit coded by two coders, one category only, a coder with no values, all
missing, one unit.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

import somecode
from somecode import SomecodeWarning, ValidationError
from somecode import agreement as ag
from somecode.sources.transcript import parse_transcript

krippendorff = pytest.importorskip("krippendorff")
sk_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")

NAN = float("nan")


# ------------------------------------------------------------------ the generated cases
def _generated(count: int = 240, seed: int = 20260614) -> list[np.ndarray]:
    """coders x units float arrays, nan for missing; category values increasing but, in half of
    the cases, unevenly spaced (so interval and ratio alpha see the values, not the ranks)."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        coders, units, q = int(rng.integers(2, 6)), int(rng.integers(1, 16)), int(rng.integers(1, 6))
        if rng.random() < 0.5:
            levels = np.arange(1, q + 1, dtype=float)
        else:
            levels = np.sort(rng.choice(np.arange(0, 30), size=q, replace=False)).astype(float)
        shares = rng.dirichlet(np.ones(q) * rng.choice([0.3, 1.0, 5.0]))
        data = levels[rng.choice(q, size=(coders, units), p=shares)]
        data[rng.random((coders, units)) < rng.choice([0.0, 0.0, 0.2, 0.5, 0.8])] = NAN
        cases.append(data)
    return cases


DEGENERATE = {
    "no_overlap_two_coders": [[1, 2, NAN, NAN], [NAN, NAN, 1, 2]],
    "no_overlap_three_coders": [[1, NAN, NAN], [NAN, 2, NAN], [NAN, NAN, 3]],
    "one_category": [[2, 2, 2, 2], [2, 2, 2, 2]],
    "one_category_with_missing": [[3, NAN, 3], [3, 3, NAN], [NAN, 3, 3]],
    "coder_with_no_values": [[1, 2, 1, 3, 2], [NAN] * 5, [1, 2, 2, 3, 3]],
    "coder_with_no_values_of_four": [[1, 2, 1, 3, 2], [NAN] * 5, [1, 2, 2, 3, 3], [1, 1, 2, 3, 2]],
    "all_missing": [[NAN, NAN, NAN], [NAN, NAN, NAN]],
    "one_unit": [[1], [2], [2]],
    "perfect": [[1, 2, 3, 1], [1, 2, 3, 1]],
    "opposite": [[1, 2, 1, 2], [2, 1, 2, 1]],
}
CASES = {**{f"gen{i:03d}": c for i, c in enumerate(_generated())},
         **{k: np.array(v, dtype=float) for k, v in DEGENERATE.items()}}


def _as_input(name: str, data: np.ndarray):
    """The same data in each form somecode accepts: lists with None, a float array with nan,
    a DataFrame (coders as rows, as the list form)."""
    form = sum(map(ord, name)) % 3
    if form == 0:
        return [[None if np.isnan(v) else (int(v) if v == int(v) else v) for v in row] for row in data]
    if form == 1:
        return data
    return pd.DataFrame(data, index=[f"c{i}" for i in range(len(data))])


def _present(data: np.ndarray) -> list[float]:
    return sorted(set(data[~np.isnan(data)].tolist()))


def _check(call, expected: float, tolerance: float = 1e-12) -> None:
    """somecode's value equals the independent one; nan (undefined) comes with a SomecodeWarning
    and a number with no warning at all."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = call()
    kinds = [w.category.__name__ for w in caught]
    if np.isnan(expected):
        assert np.isnan(got), f"expected nan (undefined), got {got}"
        assert caught and all(issubclass(w.category, SomecodeWarning) for w in caught), kinds
    else:
        assert got == pytest.approx(expected, rel=tolerance, abs=tolerance)
        assert not caught, kinds


def _quiet(function, *args, **kwargs) -> float:
    """An independent package's value; its refusals (no pairable unit, one value) are nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = function(*args, **kwargs)
        except (ValueError, ZeroDivisionError, AssertionError):
            return NAN
    return float(value) if value is not None else NAN


# ------------------------------------------------------------------ Krippendorff's alpha
@pytest.mark.parametrize("name", list(CASES))
def test_alpha_matches_krippendorff_package(name):
    data = CASES[name]
    given = _as_input(name, data)
    for scale in ("nominal", "ordinal", "interval", "ratio"):
        expected = _quiet(krippendorff.alpha, reliability_data=data, level_of_measurement=scale,
                          value_domain=_present(data) or None)
        _check(lambda: ag.krippendorff_alpha(given, scale=scale), expected)


# ------------------------------------------------------------------ two coders
def _pairs(name: str, data: np.ndarray):
    """Pairs of coders of a case, each as its own two-coder data set: every pair of the first
    three for the cases by hand and every third generated case, else the first two (sklearn
    takes milliseconds a call)."""
    every = not name.startswith("gen") or int(name[3:]) % 3 == 0
    for a, b in itertools.combinations(range(min(len(data), 3 if every else 2)), 2):
        yield data[[a, b]]


def _both(pair: np.ndarray):
    both = ~np.isnan(pair).any(axis=0)
    return pair[0, both], pair[1, both]


@pytest.mark.parametrize("name", list(CASES))
def test_cohen_and_weighted_kappa_match_sklearn(name):
    for pair in _pairs(name, CASES[name]):
        given = _as_input(name, pair)
        labels = _present(pair)
        first, second = _both(pair)
        for weights in ("identity", "linear", "quadratic"):
            if not len(first):  # no unit coded by both: kappa is undefined
                expected = NAN
            else:
                expected = _quiet(sk_metrics.cohen_kappa_score, first, second, labels=labels,
                                  weights=None if weights == "identity" else weights)
            if weights == "identity":
                _check(lambda: ag.cohen_kappa(given), expected)
            _check(lambda: ag.weighted_kappa(given, weights=weights), expected)


def _statsmodels_fleiss(data: np.ndarray, categories) -> float:
    counts = np.array([[np.sum(column == c) for c in categories] for column in data.T])
    if not len(counts):
        return NAN
    return _quiet(inter_rater.fleiss_kappa, counts, method="fleiss")


@pytest.mark.parametrize("name", list(CASES))
def test_scott_pi_matches_statsmodels_fleiss_on_the_units_both_coded(name):
    # Fleiss' kappa of two coders is Scott's pi (Fleiss 1971); on the units both coded
    for pair in _pairs(name, CASES[name]):
        first, second = _both(pair)
        _check(lambda: ag.scott_pi(_as_input(name, pair)),
               _statsmodels_fleiss(np.vstack([first, second]), _present(pair)))


def _complete(data: np.ndarray) -> np.ndarray:
    return data[:, ~np.isnan(data).any(axis=0)]


@pytest.mark.parametrize("name", [n for n in CASES if _complete(CASES[n]).size])
def test_fleiss_kappa_matches_statsmodels_on_complete_data(name):
    complete = _complete(CASES[name])
    categories = _present(complete)
    expected = _statsmodels_fleiss(complete, categories)
    _check(lambda: ag.fleiss_kappa(_as_input(name, complete)), expected)
    counts = [[int(np.sum(column == c)) for c in categories] for column in complete.T]
    _check(lambda: ag.fleiss_kappa(counts=counts), expected)


# ------------------------------------------------------------------ irrCAC (when installed)
def _irr(data: np.ndarray, weights: str, methods, positions: bool = True) -> dict:
    """irrCAC's CAC on units x raters: {method: value, or None when irrCAC fails}.  The categories
    are given (irrCAC's own default counts nan as a category under pandas 3) and, for weights over
    category positions, the values are recoded to their positions."""
    irr_raw = pytest.importorskip("irrCAC.raw")
    categories = _present(data)
    if positions:
        data = np.where(np.isnan(data), NAN, np.searchsorted(categories, data))
        categories = list(map(float, range(len(categories))))
    frame = pd.DataFrame(data.T, columns=[f"r{i}" for i in range(len(data))])
    values: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cac = irr_raw.CAC(frame, weights=weights, categories=categories, digits=20)
        except Exception:  # noqa: BLE001 - no category at all
            return dict.fromkeys(methods)
        for method in methods:
            try:
                values[method] = float(getattr(cac, method)()["est"]["coefficient_value"])
            except Exception:  # noqa: BLE001 - e.g. its variance divides by n - 1 = 0 for one unit
                values[method] = None
    return values


IRR_CASES = [n for n in CASES if not n.startswith("gen") or int(n[3:]) % 4 == 0]
COMPARED: dict = {}


def _against(call, expected) -> None:
    if expected is not None:
        _check(call, expected)
        COMPARED["irrCAC"] = COMPARED.get("irrCAC", 0) + 1


@pytest.mark.parametrize("name", IRR_CASES)
def test_multi_coder_coefficients_match_irrcac(name):
    data = CASES[name]
    given = _as_input(name, data)
    one = len(_present(data)) < 2
    for weights in ("identity", "linear", "quadratic"):
        irr = _irr(data, weights, ("fleiss", "gwet", "bp"))
        # one category: chance agreement is 1 (Fleiss, Brennan-Prediger) or divides by q - 1 = 0
        # (Gwet), so each is undefined (irrCAC's p_e comes out 1 - 2e-16 and its kappa 1.0)
        _against(lambda: ag.fleiss_kappa(given, weights=weights), NAN if one else irr["fleiss"])
        _against(lambda: ag.gwet_ac2(given, weights=weights), NAN if one else irr["gwet"])
        _against(lambda: ag.brennan_prediger(given, weights=weights), NAN if one else irr["bp"])
    # Conger's kappa over the coders who gave values (a coder with none has no margins)
    coders = data[~np.isnan(data).all(axis=1)]
    expected = _irr(coders, "identity", ("conger",), positions=False)["conger"] if len(coders) >= 2 else NAN
    _against(lambda: ag.conger_kappa(given), NAN if one and expected is not None else expected)


def test_irrcac_comparisons_ran():
    """The comparisons above are not vacuous: irrCAC gave a value (or nan) for nearly all."""
    pytest.importorskip("irrCAC.raw")
    total = len(IRR_CASES) * 10
    if not COMPARED:
        pytest.skip("run with the irrCAC comparisons (not alone)")
    assert COMPARED["irrCAC"] >= 0.9 * total, (COMPARED, total)


# ------------------------------------------------------------------ the regression tests (issue #14)
def test_two_coder_kappas_are_nan_with_a_warning_when_no_unit_was_coded_by_both():
    data = [[1, 2, None, None], [None, None, 1, 2]]
    for call in (lambda: ag.cohen_kappa(data), lambda: ag.scott_pi(data),
                 lambda: ag.weighted_kappa(data, weights="linear"),
                 lambda: ag.weighted_kappa(data, weights="quadratic"),
                 lambda: ag.weighted_kappa(data, disagreement=[[0, 1], [1, 0]])):
        with pytest.warns(SomecodeWarning, match="undefined"):
            assert np.isnan(call())
    # sklearn refuses the same data (there is nothing to compare)
    with pytest.raises(ValueError):
        sk_metrics.cohen_kappa_score([], [], labels=[1, 2])


TEXT = "---\nid: s1\nspeakers: {Ani: informant}\n---\nAni: Satu dua.\nAni: Tiga empat.\n"
OTHER = "---\nid: s2\nspeakers: {Ani: informant}\n---\nAni: Delapan.\nAni: Sembilan.\n"


def test_project_kappa_is_nan_not_zero_when_coders_share_no_unit(project):
    project.add_source(parse_transcript(TEXT, "s1.md"))
    project.add_source(parse_transcript(OTHER, "s2.md"))
    project.add_codes([somecode.Code("x"), somecode.Code("y")])
    for coder, source, turn, code in [("A", "s1", 0, "x"), ("A", "s1", 1, "y"),
                                      ("B", "s2", 0, "x"), ("B", "s2", 1, "x")]:
        span = project.source(source).turns[turn]
        project.code(source, span.start, span.end, code, coder=coder)
    for metric in ("cohen_kappa", "scott_pi"):
        table = _no_bootstrap_table(project, metric)
        assert (table["units"] == 0).all()
        assert table[metric].isna().all(), table[metric].tolist()


def _no_bootstrap_table(project, metric):
    return ag.agreement_table(project, coders=["A", "B"], metric=metric, bootstrap=0)


def _conger_by_hand(rows) -> float:
    """Conger (1980): p_e is the mean over coder pairs of sum_k p_gk p_hk (each coder's own
    shares); p_a is Fleiss' mean share of agreeing pairs over units rated twice or more."""
    categories = sorted({v for row in rows for v in row if v is not None})
    shares = [[sum(v == c for v in row) / sum(v is not None for v in row) for c in categories]
              for row in rows]
    pe = np.mean([sum(a * b for a, b in zip(shares[g], shares[h]))
                  for g, h in itertools.combinations(range(len(rows)), 2)])
    per_unit = []
    for unit in zip(*rows):
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            pairs = list(itertools.combinations(values, 2))
            per_unit.append(sum(a == b for a, b in pairs) / len(pairs))
    pa = np.mean(per_unit)
    return (pa - pe) / (1 - pe)


def test_conger_leaves_out_a_coder_who_gave_no_values():
    first, second = [1, 2, 1, 3, 2, 1], [1, 2, 2, 3, 3, 1]
    # two coders with values: Conger = Cohen (sklearn)
    expected = sk_metrics.cohen_kappa_score(first, second)
    assert ag.conger_kappa([first, [None] * 6, second]) == pytest.approx(expected, abs=1e-12)
    assert ag.conger_kappa([[None] * 6, first, second, [None] * 6]) == pytest.approx(expected, abs=1e-12)
    # three coders with values and one without
    third = [1, 1, 2, 3, 2, None]
    assert ag.conger_kappa([first, [None] * 6, second, third]) == pytest.approx(
        _conger_by_hand([first, second, third]), abs=1e-12)
    # one coder with values: undefined
    with pytest.warns(SomecodeWarning, match="undefined"):
        assert np.isnan(ag.conger_kappa([first, [None] * 6]))


def test_brennan_prediger_weighted_needs_every_category_when_q_exceeds_those_present():
    data = [[1, 2, 3, 1, 2], [1, 3, 3, 2, 2], [2, 2, 3, 1, None]]
    with pytest.raises(ValidationError, match="categories="):
        ag.brennan_prediger(data, q=6, weights="linear")
    # by hand over six categories 1..6: w_kl = 1 - |k - l|/5; T_w = sum w = 6 + 2 sum_d (6 - d)(1 - d/5)
    t_w = 6 + 2 * sum((6 - d) * (1 - d / 5) for d in range(1, 6))
    per_unit = []
    for unit in zip(*data):
        values = [v for v in unit if v is not None]
        pairs = list(itertools.permutations(values, 2))
        per_unit.append(sum(1 - abs(a - b) / 5 for a, b in pairs) / len(pairs))
    pa, pe = np.mean(per_unit), t_w / 36
    got = ag.brennan_prediger(data, categories=[1, 2, 3, 4, 5, 6], weights="linear")
    assert got == pytest.approx((pa - pe) / (1 - pe), abs=1e-12)
    assert ag.brennan_prediger(data, categories=[1, 2, 3, 4, 5, 6], q=6, weights="linear") == got
    # unweighted, q beyond those present stays allowed: p_e = 1/q
    with pytest.raises(ValidationError, match="q=2"):
        ag.brennan_prediger(data, q=2)


PAPER = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]


def _numeric(rows) -> np.ndarray:
    return np.array([[NAN if v is None else v for v in row] for row in rows], dtype=float)


def test_a_dataframe_is_coders_by_units_and_units_by_coders_with_rows():
    expected = krippendorff.alpha(reliability_data=_numeric(PAPER), level_of_measurement="nominal")
    frame = pd.DataFrame(_numeric(PAPER), index=["w", "x", "y", "z"])
    assert ag.krippendorff_alpha(frame) == pytest.approx(expected, abs=1e-12)
    assert ag.krippendorff_alpha(frame.T, rows="units") == pytest.approx(expected, abs=1e-12)
    assert ag.fleiss_kappa(frame.T, rows="units") == pytest.approx(ag.fleiss_kappa(PAPER), abs=1e-12)
    two = pd.DataFrame({"u1": ["a", "b"], "u2": ["a", "a"], "u3": ["b", "b"], "u4": ["b", "a"]},
                       index=["ani", "budi"])
    expected = sk_metrics.cohen_kappa_score(["a", "a", "b", "b"], ["b", "a", "b", "a"])
    assert ag.cohen_kappa(two) == pytest.approx(expected, abs=1e-12)
    assert ag.cohen_kappa(two.T, rows="units") == pytest.approx(expected, abs=1e-12)
    with pytest.raises(ValidationError, match="rows='unit'.*did you mean 'units'"):
        ag.cohen_kappa(two, rows="unit")


def test_every_pandas_form_of_missing_is_missing_not_a_category():
    forms = [None, NAN, np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT"), "", "  ",
             "nan", "NaN"]
    expected = krippendorff.alpha(reliability_data=_numeric(PAPER), level_of_measurement="nominal")
    for form in forms:
        data = [[form if v is None else v for v in row] for row in PAPER]
        assert ag.krippendorff_alpha(data) == pytest.approx(expected, abs=1e-12), repr(form)
    text = [["a", "b", pd.NA, "", "b"], ["a", "nan", "b", None, "b"], [pd.NaT, "b", "b", "a", NAN]]
    clean = [["a", "b", None, None, "b"], ["a", None, "b", None, "b"], [None, "b", "b", "a", None]]
    assert ag.Ratings.from_data(text).categories == ["a", "b"]
    assert ag.fleiss_kappa(text) == pytest.approx(ag.fleiss_kappa(clean), abs=1e-12)
    codes = {"a": 0.0, "b": 1.0}
    numeric = np.array([[codes.get(v, NAN) if isinstance(v, str) else NAN for v in row] for row in clean])
    assert ag.krippendorff_alpha(text) == pytest.approx(
        krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal"), abs=1e-12)
    # nullable pandas columns: Int64 and string dtypes hold pd.NA
    frame = pd.DataFrame(_numeric(PAPER)).T.astype("Int64")
    assert frame.isna().sum().sum() == 7
    assert ag.krippendorff_alpha(frame, rows="units") == pytest.approx(expected, abs=1e-12)
    strings = pd.DataFrame(text).astype("string")
    assert ag.fleiss_kappa(strings) == pytest.approx(ag.fleiss_kappa(clean), abs=1e-12)


def test_order_dependent_measures_on_text_labels_need_an_explicit_order():
    numbers = [[1, 2, 10, 2, 1, 10], [1, 10, 10, 2, 2, 2], [2, 2, 10, None, 1, 10]]
    text = [[None if v is None else str(v) for v in row] for row in numbers]
    with pytest.raises(ValidationError, match="categories="):
        ag.krippendorff_alpha(text, scale="ordinal")
    expected = krippendorff.alpha(reliability_data=_numeric(numbers), level_of_measurement="ordinal")
    assert ag.krippendorff_alpha(text, scale="ordinal", categories=["1", "2", "10"]) == pytest.approx(
        expected, abs=1e-12)
    assert ag.krippendorff_alpha(numbers, scale="ordinal") == pytest.approx(expected, abs=1e-12)
    # nominal needs no order
    assert ag.krippendorff_alpha(text) == pytest.approx(
        krippendorff.alpha(reliability_data=_numeric(numbers), level_of_measurement="nominal"), abs=1e-12)

    first = ["low", "medium", "high", "high", "low", "medium", "medium"]
    second = ["low", "high", "high", "medium", "medium", "medium", "low"]
    order = ["low", "medium", "high"]
    for weights in ("linear", "quadratic"):
        with pytest.raises(ValidationError, match="categories="):
            ag.weighted_kappa([first, second], weights=weights)
        assert ag.weighted_kappa([first, second], weights=weights, categories=order) == pytest.approx(
            sk_metrics.cohen_kappa_score(first, second, labels=order, weights=weights), abs=1e-12)
        for measure in (ag.fleiss_kappa, ag.gwet_ac2, ag.brennan_prediger, ag.conger_kappa):
            with pytest.raises(ValidationError, match="categories="):
                measure([first, second], weights=weights)
    # unweighted measures need no order
    assert ag.cohen_kappa([first, second]) == pytest.approx(
        sk_metrics.cohen_kappa_score(first, second), abs=1e-12)
    # numbers keep their numeric order (1 < 2 < 10), as sklearn's labels= does
    a, b = numbers[0], numbers[1]
    assert ag.weighted_kappa([a, b], weights="linear") == pytest.approx(
        sk_metrics.cohen_kappa_score(a, b, labels=[1, 2, 10], weights="linear"), abs=1e-12)


def test_negative_counts_are_refused():
    with pytest.raises(ValidationError, match="negative"):
        ag.fleiss_kappa(counts=[[3, -1], [1, 1], [0, 2]])
    with pytest.raises(ValidationError, match="negative"):
        ag.cohen_kappa(table=[[3, -1], [1, 4]])
    with pytest.raises(ValidationError, match="negative"):
        ag.Ratings.from_counts([[1, 1], [2, -0.5]])
    # statsmodels agrees on a valid table of the same shape
    counts = [[3, 0], [1, 2], [0, 3]]
    assert ag.fleiss_kappa(counts=counts) == pytest.approx(
        inter_rater.fleiss_kappa(np.array(counts), method="fleiss"), abs=1e-12)
