"""Triangulation rules (Farmer et al. 2006) on tiny projects, and the bundled study's silences."""

import pytest

import somecode
from somecode import ValidationError
from somecode.analysis.triangulation import (
    compare_assessors,
    default_groups,
    triangulate,
)
from somecode.sources.transcript import parse_transcript

ANI = ("---\nid: ani\nspeakers: {Ani: {attrs: {role: staff}}, Budi: {attrs: {role: deputy}}}\n---\n"
       "Ani: Reels ramai. Kami pantau insight. Jadwal siang.\n"
       "Budi: Reels bagus. Jadwal sore.\n"
       "Ani: KOL membantu.\n")
NEWS = "---\nid: news\nkind: document\ndoc_type: news\n---\nReels populer.\n\nBuzzer dibatalkan.\n"
CODES = [("optimize", None), ("manage", None), ("engage", None)]


@pytest.fixture
def tri(project):
    project.add_source(parse_transcript(ANI, "ani.md"))
    project.add_source(parse_transcript(NEWS, "news.md"))
    project.add_codes(somecode.Code(c, p) for c, p in CODES)
    for source, quote, code in [("ani", "Reels ramai", "optimize"), ("ani", "pantau insight", "manage"),
                                ("ani", "Jadwal siang", "manage"), ("ani", "KOL membantu", "engage"),
                                ("ani", "Reels bagus", "optimize"), ("ani", "Jadwal sore", "manage"),
                                ("news", "Reels populer", "optimize"), ("news", "Buzzer dibatalkan", "engage")]:
        project.code_quote(source, quote, code, coder="nida")
    return project
# Passages (turns/paragraphs) per group, and ranks (1 = most):
#   Ani (turns 0, 2): optimize 1, manage 1, engage 1  -> ranks 1, 1, 1
#   Budi (turn 1):    optimize 1, manage 1, engage 0  -> ranks 1, 1, -
#   news (2 paras):   optimize 1, manage 0, engage 1  -> ranks 1, -, 1


def _coding(project, quote, code=None):
    [coding] = [c for c in project.coding_records(code=code)
                if project.source(c.source_id).text[c.start:c.end] == quote]
    return coding.id


def cell(result, theme, pair):
    row = result.evidence[(result.evidence["theme"] == theme) & (result.evidence["pair"] == pair)]
    return row.iloc[0]


def test_default_groups_are_informants_and_document_types(tri):
    assert default_groups(tri) == {"Ani": {"informant": "ani"}, "Budi": {"informant": "budi"},
                                   "news": {"doc_type": "news"}}


def test_silence_in_each_direction(tri):
    result = triangulate(tri)
    budi_news = cell(result, "engage", "Budi | news")
    assert (budi_news["category"], budi_news["silent"]) == ("silence", "Budi")
    budi_news_manage = cell(result, "manage", "Budi | news")
    assert (budi_news_manage["category"], budi_news_manage["silent"]) == ("silence", "news")
    assert result.matrix.loc["engage", "Budi | news"] == "silence"


def test_without_propositions_meaning_is_not_assessed_never_guessed(tri):
    result = triangulate(tri)
    row = cell(result, "optimize", "Ani | Budi")
    assert (row["meaning"], row["prominence"], row["category"]) == ("not assessed", "agree", "not assessed")


@pytest.mark.parametrize("stance_a, stance_b, manual_prominence, expected", [
    ("supports", "supports", None, "agreement"),            # meaning agree, prominence agree
    ("supports", "contradicts", None, "partial agreement"),  # meaning disagree, prominence agree
    ("supports", "supports", "disagree", "partial agreement"),
    ("contradicts", "supports", "disagree", "dissonance"),
    ("contradicts", "contradicts", None, "agreement"),      # both reject the claim: same meaning
    ("supports", "qualifies", None, "not assessed"),
])
def test_the_three_categories_from_the_two_components(tri, stance_a, stance_b, manual_prominence, expected):
    tri.add_proposition("optimize", "Reels drive engagement.", id="reels")
    tri.set_stance(_coding(tri, "Reels ramai"), "reels", stance_a)
    tri.set_stance(_coding(tri, "Reels bagus"), "reels", stance_b)
    if manual_prominence:
        tri.assess("optimize", "Budi", "Ani", prominence=manual_prominence, by="nida",
                   rationale="Reels dominate Ani's account of the work, not Budi's.")
    row = cell(triangulate(tri), "optimize", "Ani | Budi")
    assert row["category"] == expected
    assert row["stances"] and row["evidence_a"] == ["“Reels ramai” (ani 5–16)"]


def test_prominence_tolerance(tri):
    tri.code_quote("news", "Reels populer", "engage", coder="nida")  # news: engage 2 passages, optimize 1
    tri.add_proposition("engage", "Influencers help.", id="kol")
    tri.set_stance(_coding(tri, "KOL membantu"), "kol", "supports")
    tri.set_stance(_coding(tri, "Buzzer dibatalkan"), "kol", "supports")
    # optimize: Ani rank 1, news rank 2 (engage leads there with 2 passages)
    tri.add_proposition("optimize", "Reels drive engagement.", id="reels")
    tri.set_stance(_coding(tri, "Reels ramai"), "reels", "supports")
    tri.set_stance(_coding(tri, "Reels populer", "optimize"), "reels", "supports")
    assert cell(triangulate(tri, tolerance=1), "optimize", "Ani | news")["category"] == "agreement"
    strict = cell(triangulate(tri, tolerance=0), "optimize", "Ani | news")
    assert (strict["prominence"], strict["category"]) == ("disagree", "partial agreement")


def test_a_manual_assessment_wins_and_is_logged(tri):
    tri.assess("manage", "Ani", "Budi", convergence="dissonance", by="nida",
               rationale="Ani speaks of monitoring, Budi only of timing.")
    row = cell(triangulate(tri), "manage", "Ani | Budi")
    assert (row["category"], row["decided_by"], row["assessor"]) == ("dissonance", "manual", "nida")
    assert "monitoring" in row["rationale"]
    assert tri.events()["action"].tolist()[-1] == "assess"
    with pytest.raises(ValidationError, match="assessor's name"):
        tri.assess("manage", "Ani", "Budi", convergence="agreement", by="", rationale="")
    with pytest.raises(ValidationError, match="not one of"):
        tri.assess("manage", "Ani", "Budi", convergence="maybe", by="x", rationale="y")


def test_thin_evidence_and_unique_contributions(tri):
    summary = triangulate(tri).summary
    assert summary.loc["manage", "thin_evidence"] == "only interview sources"
    assert summary.loc["engage", "thin_evidence"] == ""  # Ani and the news
    unique = triangulate(tri).unique
    assert unique[(unique["group"] == "news") & (unique["theme"] == "engage")]["silent_group"].iloc[0] == ["Budi"]
    only_ani = triangulate(tri, {"Ani": {"informant": "Ani"}, "Budi": ["ani"]})
    assert only_ani.summary.loc["engage", "thin_evidence"] == "rests on one informant; only interview sources"


def test_groups_by_attribute_and_source_lists(tri):
    result = triangulate(tri, {"staff": {"role": "staff"}, "documents": ["news"]})
    assert list(result.matrix.columns) == ["staff | documents"]
    groups = result.themes.set_index(["group", "theme"])
    assert groups.loc[("staff", "manage"), "passages"] == 1 and groups.loc[("documents", "engage"), "passages"] == 1
    with pytest.raises(ValueError, match="shoe"):
        triangulate(tri, {"x": {"shoe": 1}, "y": ["news"]})


def test_two_assessors_are_compared(tri):
    tri.assess("manage", "Ani", "Budi", convergence="agreement", by="nida", rationale="same practice")
    tri.assess("manage", "Ani", "Budi", convergence="dissonance", by="budi", rationale="different practice")
    table = compare_assessors(tri, "nida", "budi")
    row = table[(table["theme"] == "manage") & (table["pair"] == "Ani | Budi")].iloc[0]
    assert (row["nida"], row["budi"], row["same"]) == ("agreement", "dissonance", False)
    assert table.attrs["percent_agreement"] == pytest.approx(table["same"].mean())
    assert table["same"].sum() == len(table) - 1
    assert 0 < table.attrs["cohen_kappa"] < 1  # all cells but one agree


def test_bundled_study_silences_match_the_paper(tmp_path):
    from conftest import STUDY

    from somecode.study import build_study

    # Which group speaks to which stage, read from the paper (and, for the news group, from the
    # 2019 article): Agustian Fardianto's quotes are presented under Share and Engage plus the
    # opening strategy quote; Muhammad Aditya Yoma's under Share, Optimize, Manage and Engage; the
    # rubric under Share (testimonies) and Manage (posting hours); the Insights figures under
    # Optimize, Manage and Engage; the profile figures under none; the article speaks to Share
    # (channels), Optimize (complaints as input), Manage (monitoring) and Engage (buzzers).
    speaks = {
        "Agustian Fardianto": {"share", "engage", "strategy"},
        "Muhammad Aditya Yoma": {"share", "optimize", "manage", "engage"},
        "content-calendar": {"share", "manage"},
        "news": {"share", "optimize", "manage", "engage"},
        "platform-insights": {"optimize", "manage", "engage"},
        "platform-profile": set(),
    }
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        result = triangulate(project, coders=["paper", "study"])
    expected = {(theme, f"{a} | {b}") for theme in ["share", "optimize", "manage", "engage", "strategy"]
                for a, b in __import__("itertools").combinations(speaks, 2)
                if (theme in speaks[a]) != (theme in speaks[b])}
    got = set(map(tuple, result.evidence[result.evidence["category"] == "silence"][["theme", "pair"]].values))
    assert got == expected
    spoken = result.evidence[~result.evidence["category"].isin(["silence", "absent"])]
    assert len(spoken) and all(len(r.evidence_a) and len(r.evidence_b) for r in spoken.itertuples())
    engage = cell(result, "engage", "Agustian Fardianto | news")
    assert engage["meaning"] == "disagree"  # influencer work against the cancelled buzzer contract
