"""Theme matrices, crosstab, framework matrix, retrieval, co-occurrence and saturation on a tiny
project whose expected tables are worked out by hand below (offsets in the comments)."""

import networkx as nx
import pandas as pd
import pytest

import somecode
from somecode.analysis import (
    cooccurrence,
    cooccurrence_graph,
    crosstab,
    framework_matrix,
    retrieve,
    saturation,
    theme_by_informant,
    theme_by_source,
    write_graphml,
)
from somecode.sources.transcript import parse_transcript

INTERVIEW = """---
id: group
date: 2024-01-10
speakers:
  Peneliti: interviewer
  Ani: {attrs: {role: staff}}
  Budi: {attrs: {role: deputy}}
  Citra: {attrs: {role: staff}}
---
Peneliti: Apa fiturnya?
Ani: Reels paling disukai.
Budi: Kami pantau insight harian.
Ani: Lomba dan testimoni peserta.
Citra: Tidak tahu.
"""
# turn 0 Peneliti "Apa fiturnya?" [10, 23)      words 2
# turn 1 Ani      "Reels paling disukai." [29, 50)   words 3
# turn 2 Budi     "Kami pantau insight harian." [57, 84)  words 4
# turn 3 Ani      "Lomba dan testimoni peserta." [90, 118)  words 4
# turn 4 Citra    "Tidak tahu." [126, 137)  words 2
DOCUMENT = "---\nid: insights\nkind: document\ndoc_type: platform-insights\n---\nReels naik 130%.\n\nPost turun 15%.\n"
CODES = [("share", None), ("optimize", None), ("optimize.features", "optimize"), ("manage", None),
         ("manage.monitoring", "manage"), ("engage", None), ("engage.reach", "engage"),
         ("engage.audience", "engage")]
CODINGS = [  # source, quote, code, coder
    ("group", "Reels", "optimize.features", "nida"),                  # 1  [29, 34)
    ("group", "Reels paling disukai", "optimize", "nida"),            # 2  [29, 49) overlaps 1
    ("group", "pantau insight", "manage.monitoring", "nida"),         # 3  [62, 76)
    ("group", "Lomba", "engage.reach", "nida"),                       # 4  [90, 95)
    ("group", "testimoni peserta", "engage.audience", "nida"),        # 5  [100, 117) turn 3 again
    ("group", "Lomba", "engage.reach", "budi"),                       # 6  second coder
    ("group", "fiturnya", "optimize", "nida"),                        # 7  interviewer's turn
    ("insights", "Reels naik 130%", "optimize.features", "nida"),     # 8  document paragraph 0
    ("insights", "Post turun 15%", "manage.monitoring", "nida"),      # 9  document paragraph 1
]
STAGES = ["share", "optimize", "manage", "engage"]
PEOPLE = ["Ani", "Budi", "Citra"]


@pytest.fixture
def tiny(project):
    project.add_source(parse_transcript(INTERVIEW, "group.md"))
    project.add_source(parse_transcript(DOCUMENT, "insights.md"))
    project.add_codes(somecode.Code(c, p, c.title()) for c, p in CODES)
    for source, quote, code, coder in CODINGS:
        project.code_quote(source, quote, code, coder=coder)
    return project


def table(rows, columns=PEOPLE, index=STAGES, name="theme"):  # no level names in the codebook
    frame = pd.DataFrame(rows, index=pd.Index(index, name=name), columns=columns)
    return frame


@pytest.mark.parametrize("value, expected", [
    ("count", [[0, 0, 0], [2, 0, 0], [0, 1, 0], [3, 0, 0]]),
    ("segments", [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0]]),
    ("presence", [[False] * 3, [True, False, False], [False, True, False], [True, False, False]]),
    ("informants", [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0]]),
    ("words", [[0, 0, 0], [3, 0, 0], [0, 2, 0], [3, 0, 0]]),
    ("coverage", [[0.0] * 3, [3 / 7, 0.0, 0.0], [0.0, 2 / 4, 0.0], [3 / 7, 0.0, 0.0]]),
    ("quotes", [[[], [], []], [["Reels", "Reels paling disukai"], [], []], [[], ["pantau insight"], []],
                [["Lomba", "Lomba", "testimoni peserta"], [], []]]),
])
def test_theme_by_informant_every_value(tiny, value, expected):
    got = theme_by_informant(tiny, value=value)
    pd.testing.assert_frame_equal(got, table(expected), check_dtype=False)


def test_one_coder_documents_and_margins(tiny):
    pd.testing.assert_frame_equal(theme_by_informant(tiny, coders="nida"),
                                  table([[0, 0, 0], [2, 0, 0], [0, 1, 0], [2, 0, 0]]), check_dtype=False)
    with_documents = theme_by_informant(tiny, include_documents=True)
    assert list(with_documents.columns) == PEOPLE + ["platform-insights"]
    assert with_documents["platform-insights"].tolist() == [0, 1, 1, 0]
    margins = theme_by_informant(tiny, value="segments", margins=True)
    assert margins.loc["Total"].tolist() == [2, 1, 0, 3]  # Ani: turns 1 and 3; all: 3 turns
    assert margins["Total"].tolist() == [0, 1, 1, 1, 3]
    counts = theme_by_informant(tiny, value="count", margins=True)
    assert counts.loc["Total", "Total"] == 6 and counts.loc["engage", "Total"] == 3


def test_code_level_rows_are_stage_and_code(tiny):
    got = theme_by_informant(tiny, level="code")
    assert list(got.index) == [("share", "share"), ("optimize", "optimize"), ("optimize", "optimize.features"),
                               ("manage", "manage"), ("manage", "manage.monitoring"), ("engage", "engage"),
                               ("engage", "engage.reach"), ("engage", "engage.audience")]
    assert got["Ani"].tolist() == [0, 1, 1, 0, 0, 0, 2, 1]
    assert got["Budi"].tolist() == [0, 0, 0, 0, 1, 0, 0, 0]


def test_theme_by_source_counts_everything_in_a_source(tiny):
    got = theme_by_source(tiny)
    pd.testing.assert_frame_equal(got, table([[0, 0], [3, 1], [1, 1], [3, 0]], columns=["group", "insights"]),
                                  check_dtype=False)


def test_crosstab_by_informant_role(tiny):
    counts = crosstab(tiny, by="role")
    pd.testing.assert_frame_equal(counts, table([[0, 0], [0, 2], [1, 0], [0, 3]], columns=["deputy", "staff"]),
                                  check_dtype=False)
    assert crosstab(tiny, by="role", value="informants")["staff"].tolist() == [0, 1, 0, 1]
    coverage = crosstab(tiny, by="role", value="coverage")
    assert coverage.loc["optimize", "staff"] == pytest.approx(3 / 9)  # Ani 7 words + Citra 2
    assert crosstab(tiny, by="kind")["document"].tolist() == [0, 1, 1, 0]
    with pytest.raises(ValueError, match="cannot cross by 'shoe_size'"):
        crosstab(tiny, by="shoe_size")


def test_framework_matrix_shows_summaries_or_quotes(tiny):
    tiny.set_summary("budi", "manage.monitoring", "Watches Insights daily.", by="nida")
    got = framework_matrix(tiny)
    assert got.loc["Ani", "engage.audience"] == "“testimoni peserta” (group 100–117)"
    assert got.loc["Budi", "manage.monitoring"] == "Watches Insights daily."
    assert got.loc["Citra", "optimize"] == ""
    stage = framework_matrix(tiny, level="stage")
    assert stage.loc["Ani", "optimize"] == "“Reels” (group 29–34)\n“Reels paling disukai” (group 29–49)"
    with pytest.raises(somecode.NotFoundError):
        tiny.set_summary("nobody", "share", "x")


def test_retrieve_in_context_with_sub_codes(tiny):
    rows = retrieve(tiny, code="engage", informant="Ani", context=4)
    assert rows[["left", "text", "right", "coder"]].values.tolist() == [
        ["ni: ", "Lomba", " dan", "nida"],
        ["ni: ", "Lomba", " dan", "budi"],
        ["dan ", "testimoni peserta", ".\nCi", "nida"]]
    assert len(retrieve(tiny, code="engage", children=False)) == 0


@pytest.mark.parametrize("unit, window, measure, expected", [
    ("turn", None, "count", {("optimize", "optimize"): 2, ("optimize.features", "optimize.features"): 2,
                             ("optimize", "optimize.features"): 1, ("engage.reach", "engage.audience"): 1,
                             ("engage.reach", "engage.reach"): 1, ("manage.monitoring", "manage.monitoring"): 2}),
    ("turn", None, "jaccard", {("optimize", "optimize.features"): 1 / 3, ("engage.reach", "engage.audience"): 1.0}),
    ("overlap", None, "count", {("optimize", "optimize.features"): 1, ("engage.reach", "engage.audience"): 0,
                                ("engage.reach", "engage.reach"): 2, ("engage.audience", "engage.audience"): 1}),
    ("window", 5, "count", {("optimize", "optimize.features"): 1, ("engage.reach", "engage.audience"): 2}),
    ("window", 4, "count", {("engage.reach", "engage.audience"): 0}),
    ("window", 5, "jaccard", {("optimize", "optimize.features"): 0.5, ("engage.reach", "engage.audience"): 1.0}),
])
def test_cooccurrence_units(tiny, unit, window, measure, expected):
    got = cooccurrence(tiny, unit=unit, window=window, measure=measure)
    assert (got == got.T).all().all()
    for (a, b), value in expected.items():
        assert got.loc[a, b] == pytest.approx(value), (a, b)
    assert got.loc["share"].sum() == 0


def test_cooccurrence_graph_round_trips_through_graphml(tiny, tmp_path):
    graph = cooccurrence_graph(tiny)
    assert sorted(graph.edges) == [("engage.reach", "engage.audience"), ("optimize", "optimize.features")]
    write_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))  # reading adds only defaults
    assert back.adj == graph.adj
    assert back.nodes["optimize"]["count"] == 2.0 and back.edges["optimize", "optimize.features"]["weight"] == 1.0


def test_saturation_counts_new_codes_per_interview(tiny):
    tiny.add_source(parse_transcript("---\nid: later\ndate: 2024-02-01\n---\nDewi: Reels dan KOL.\n"
                                     "Dewi: Lagi.\n", "later.md"))
    tiny.code_quote("later", "Reels", "optimize.features", coder="nida")
    tiny.code_quote("later", "KOL", "engage", coder="nida")
    got = saturation(tiny)
    assert got[["source", "codes", "new", "cumulative"]].values.tolist() == [
        ["group", 5, 5, 5], ["later", 2, 1, 6]]
    assert got.loc[1, "new_codes"] == ["engage"]
    assert saturation(tiny, order=["later", "group"])["new"].tolist() == [2, 4]


def test_presence_on_the_bundled_study_matches_the_paper(tmp_path):
    from conftest import STUDY

    from somecode.study import build_study

    # Read from the paper: which SOME stage each informant's quotes are presented under.
    # Agustian Fardianto: strategy (opening quote), Share, Engage (twice); never Optimize or Manage.
    # Muhammad Aditya Yoma: Share, Optimize, Manage, Engage; not the opening strategy quote.
    expected = table([[True, True], [False, True], [False, True], [True, True], [True, False]],
                     columns=["Agustian Fardianto", "Muhammad Aditya Yoma"],
                     index=["share", "optimize", "manage", "engage", "strategy"],
                     name="stage")  # the SOME codebook names its top level "stage"
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        got = theme_by_informant(project, level="stage", value="presence", coders="paper")
    pd.testing.assert_frame_equal(got, expected)


def _coding_reads(project, call) -> list[str]:
    """The SQL statements that read the codings table while ``call`` runs."""
    statements: list[str] = []
    project.store.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        project.store.conn.set_trace_callback(None)
    return [s for s in statements if "FROM codings" in s and s.lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("value", ["count", "segments", "presence", "informants", "words", "coverage", "quotes"])
def test_a_matrix_reads_no_memo_nor_time_of_a_coding(tiny, value):
    reads = _coding_reads(tiny, lambda: theme_by_informant(tiny, value=value))
    assert reads and not [s for s in reads if "memo" in s or "created" in s]


def test_the_long_table_reads_memo_time_and_text_only_when_asked(tiny):
    from somecode.analysis import codings_frame

    few = ["source", "informant_name", "stage"]
    reads = _coding_reads(tiny, lambda: codings_frame(tiny, columns=few))
    assert reads and not [s for s in reads if "memo" in s or "created" in s]
    assert _coding_reads(tiny, lambda: codings_frame(tiny, columns=few + ["memo"]))[0].count("memo") == 1
    full = codings_frame(tiny)
    assert {"memo", "created", "text", "words"} <= set(full.columns)
    narrow = codings_frame(tiny, columns=few)
    assert not {"memo", "created", "text", "words"} & set(narrow.columns)
    same = full[narrow.columns].reset_index(drop=True)  # the columns asked for are the full table's
    pd.testing.assert_frame_equal(narrow.reset_index(drop=True), same)
