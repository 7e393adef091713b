"""Agreement coefficients worked by hand where the reference file has no example, edge cases,
and agreement between coders of a project (hand-built unit x coder matrices)."""

import numpy as np
import pytest

import somecode
from somecode import SomecodeWarning, ValidationError
from somecode.agreement import (
    agreement_table,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    disagreements,
    gwet_ac1,
    gwet_ac2,
    krippendorff_alpha,
    percent_agreement,
    reconcile,
    segment_agreement,
)
from somecode.sources.transcript import parse_transcript

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 coders x 12 units.
KRIPP_2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
              [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
              [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
              [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]


def test_published_krippendorff_2011_values_in_every_level():
    assert krippendorff_alpha(KRIPP_2011) == pytest.approx(0.743, abs=0.0005)
    assert krippendorff_alpha(KRIPP_2011, scale="ordinal") == pytest.approx(0.815, abs=0.0005)
    assert krippendorff_alpha(KRIPP_2011, scale="ratio") == pytest.approx(0.797, abs=0.0005)
    assert percent_agreement(KRIPP_2011, definition="coincidence") == pytest.approx(0.8, abs=0.0005)


def test_percent_agreement_definitions_by_hand():
    # unit 1: three coders say a, a, b -> 1 agreeing pair of 3; unit 2: two coders say a, a -> 1 of 1
    data = [["a", "a"], ["a", "a"], ["b", None]]
    assert percent_agreement(data, definition="unit_mean") == pytest.approx((1 / 3 + 1) / 2)
    assert percent_agreement(data, definition="pooled_pairs") == pytest.approx(2 / 4)
    assert percent_agreement(data, definition="all_coders") == pytest.approx(1 / 2)
    # pairs of coders: (1,2) agree on 2 of 2; (1,3) on 0 of 1; (2,3) on 0 of 1 -> mean 1/3
    assert percent_agreement(data, definition="mean_pairwise") == pytest.approx(1 / 3)
    with pytest.raises(ValidationError, match="not one of"):
        percent_agreement(data, definition="holsti")


def test_conger_equals_cohen_for_two_complete_coders():
    # p_e(Conger) = sum_k (mean_k^2 - s2_kk / 2) = sum_k p1k p2k = p_e(Cohen) when nothing is missing
    data = [[1, 1, 2, 2, 3, 1, 2], [1, 2, 2, 3, 3, 1, 1]]
    assert conger_kappa(data) == pytest.approx(cohen_kappa(data))


def test_weighted_forms_reduce_to_their_unweighted_forms():
    data = [[1, 1, 2, 2, 3, 1, 2], [1, 2, 2, 3, 3, 1, 1], [1, 2, 2, 3, None, 1, 2]]
    assert gwet_ac2(data, weights="identity") == pytest.approx(gwet_ac1(data))
    # Brennan-Prediger with 3 categories: p_e = 1/3; p_a by hand = (1/3 + 1 + 1 + 1/3 + 1 + 1 + 1/3)/7 = 5/7
    assert brennan_prediger(data) == pytest.approx((5 / 7 - 1 / 3) / (1 - 1 / 3))
    # the same data if coders could choose among 4 categories: p_e = 1/4
    assert brennan_prediger(data, q=4) == pytest.approx((5 / 7 - 1 / 4) / (1 - 1 / 4))


def test_undefined_values_are_nan_with_a_warning_never_a_crash():
    with pytest.warns(SomecodeWarning, match="undefined"):
        assert np.isnan(krippendorff_alpha([["a", "a", "a"], ["a", "a", "a"]]))
    with pytest.warns(SomecodeWarning):
        assert np.isnan(cohen_kappa(table=[[5, 0], [0, 0]]))
    with pytest.warns(SomecodeWarning):
        assert np.isnan(krippendorff_alpha([[1, None], [None, 2]]))  # no unit with two values
    with pytest.raises(ValidationError, match="two coders"):
        cohen_kappa([[1, 2], [1, 2], [2, 2]])
    with pytest.raises(ValidationError, match="same length"):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValidationError, match="exactly one of"):
        krippendorff_alpha(KRIPP_2011, table=[[1]])


# ------------------------------------------------------------------ from a project
TEXT = "---\nid: s1\nspeakers: {Ani: informant}\n---\nAni: Satu dua.\nAni: Tiga empat.\nAni: Lima enam.\nAni: Tujuh.\n"
OTHER = "---\nid: s2\nspeakers: {Ani: informant}\n---\nAni: Delapan.\nAni: Sembilan.\n"


@pytest.fixture
def two_coders(project):
    project.add_source(parse_transcript(TEXT, "s1.md"))
    project.add_source(parse_transcript(OTHER, "s2.md"))
    project.add_codes([somecode.Code("x"), somecode.Code("y")])
    turns = {t: project.source("s1").turns[t] for t in range(4)}
    for coder, turn, code in [("A", 0, "x"), ("A", 1, "x"), ("A", 2, "y"),
                              ("B", 0, "x"), ("B", 1, "y"), ("B", 2, "y")]:
        project.code("s1", turns[turn].start, turns[turn].end, code, coder=coder)
    s2 = project.source("s2").turns[0]
    project.code("s2", s2.start, s2.end, "x", coder="A")  # B never coded s2: missing, not 0
    return project
# unit x coder (s1 turns 0-3, then s2 turns 0-1; -1 = missing):
#   x: A 1 1 0 0 | 1 0    B 1 0 0 0 | - -
#   y: A 0 0 1 0 | 0 0    B 0 1 1 0 | - -
# x: coincidences o00 = 4, o11 = 2, o01 = o10 = 1; n0 = 5, n1 = 3, n = 8 -> alpha = 1 - 7*1/15 = 8/15
# y: the same counts -> 8/15
# pooled: o00 = 8, o11 = 4, o01 = o10 = 2; n0 = 10, n1 = 6, n = 16 -> alpha = 1 - 15*2/60 = 1/2
# which code: A (x, x, y, none), B (x, y, y, none): o_xx = o_yy = o_nn = 2, o_xy = o_yx = 1;
#   n = (3, 3, 2), n = 8: D_o = 2/8, D_e = 2 (9 + 6 + 6) / 56 = 3/4 -> alpha = 2/3


def test_agreement_table_per_code_pooled_and_which_code(two_coders):
    table = agreement_table(two_coders, coders=["A", "B"], bootstrap=200, seed=1)
    assert table.loc["x", "krippendorff_alpha"] == pytest.approx(8 / 15)
    assert table.loc["y", "krippendorff_alpha"] == pytest.approx(8 / 15)
    assert table.loc["(all codes, pooled)", "krippendorff_alpha"] == pytest.approx(1 / 2)
    assert table.loc["(which code)", "krippendorff_alpha"] == pytest.approx(2 / 3)
    assert table.loc["x", "units"] == 4 and table.loc["x", "percent_agreement"] == pytest.approx(3 / 4)
    assert table.loc["x", "interpretation"] == "unreliable"
    low, high = table.loc["x", ["ci_low", "ci_high"]]
    assert low <= 8 / 15 <= high


def test_excluding_uncoded_units(two_coders):
    # drops s1 turn 3 and s2 turn 1; x over s1 turns 0-2: o00 = 2, o11 = 2, o01 = o10 = 1 -> 1 - 5/9
    table = agreement_table(two_coders, coders=["A", "B"], exclude_uncoded=True, bootstrap=0)
    assert table.loc["x", "krippendorff_alpha"] == pytest.approx(4 / 9)


def test_bootstrap_is_reproducible_with_a_seed(two_coders):
    first = agreement_table(two_coders, coders=["A", "B"], bootstrap=300, seed=7)
    again = agreement_table(two_coders, coders=["A", "B"], bootstrap=300, seed=7)
    other = agreement_table(two_coders, coders=["A", "B"], bootstrap=300, seed=8)
    columns = ["ci_low", "ci_high", "p_below_667"]
    assert first[columns].equals(again[columns])
    assert not first[columns].equals(other[columns])


def test_other_metrics_and_errors(two_coders):
    kappa = agreement_table(two_coders, coders=["A", "B"], metric="cohen_kappa")
    # x over the 4 paired units: A 1 1 0 0, B 1 0 0 0 -> p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2
    assert kappa.loc["x", "cohen_kappa"] == pytest.approx((3 / 4 - 1 / 2) / (1 - 1 / 2))
    with pytest.raises(ValidationError, match="two or more coders"):
        agreement_table(two_coders, coders=["A"])
    with pytest.raises(ValidationError, match="not one of"):
        agreement_table(two_coders, coders=["A", "B"], metric="vibes")


def test_disagreements_and_reconcile(two_coders):
    rows = disagreements(two_coders, coders=["A", "B"])
    assert rows[["source", "unit", "A", "B"]].values.tolist() == [["s1", 1, ["x"], ["y"]]]
    decided = rows.assign(codes=[["y"]], memo="agreed in meeting")
    assert reconcile(two_coders, decided) == 1
    [coding] = two_coders.coding_records(coder="consensus")
    assert (coding.code_id, coding.memo) == ("y", "agreed in meeting")
    assert two_coders.events()["action"].tolist()[-1] == "reconcile"


def test_segment_agreement_for_each_denominator(project):
    project.add_source(somecode.Source.from_text("d", "Reels naik tajam sekali bulan ini.", kind="document"))
    project.add_code("x")
    project.code("d", 0, 10, "x", coder="A")   # 10 characters
    project.code("d", 0, 8, "x", coder="B")    # 8 characters inside it: overlap 8
    # overlap / union = 8/10, / shorter = 8/8, / longer = 8/10
    expected = {"union": 0.0, "shorter": 1.0, "longer": 0.0}
    for denominator, agreement in expected.items():
        table = segment_agreement(project, "A", "B", threshold=0.9, denominator=denominator)
        assert table.loc["x", "agreement"] == agreement, denominator
    loose = segment_agreement(project, "A", "B", threshold=0.8)
    assert loose.loc["x", "agreement"] == 1.0 and loose.attrs["unmatched"].empty
    strict = segment_agreement(project, "A", "B", threshold=0.9)
    assert len(strict.attrs["unmatched"]) == 2


def test_bundled_study_reports_paper_against_recoder(tmp_path):
    from conftest import STUDY

    from somecode.study import build_study

    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        table = agreement_table(project, coders=["paper", "recoder"], level="stage", bootstrap=100)
    assert list(table.index[:5]) == ["share", "optimize", "manage", "engage", "strategy"]
    assert (table["units"] == [12] * 5 + [60, table.loc["(which code)", "units"]]).all()
    assert table["krippendorff_alpha"].between(-1, 1).all()


def test_readme_agreement_figures_match_the_bundled_study(tmp_path):
    from conftest import ROOT, STUDY

    from somecode.study import build_study

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        table = agreement_table(project, coders=["paper", "recoder"], level="stage", bootstrap=0)
    for stage in ["share", "optimize", "manage", "engage", "strategy"]:
        row = table.loc[stage]
        line = (f"| {stage} | {row['krippendorff_alpha']:.2f} | {row['percent_agreement']:.2f} | "
                f"{row['interpretation']} |")
        assert line in readme, line
    pooled = table.loc["(all codes, pooled)"]
    assert f"| all stages, pooled | {pooled['krippendorff_alpha']:.2f} | {pooled['percent_agreement']:.2f} |" in readme
