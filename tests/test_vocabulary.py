"""One vocabulary, checked (issue #13): every choice argument of every public analysis, agreement
and automatic-coding function refuses a misspelt value with an error that names the argument, the
value and the closest choice; unknown ids get the same help; old argument names still work, with
a DeprecationWarning; and a table is read with read_table, not read_source."""

from __future__ import annotations

import inspect
import warnings

import pandas as pd
import pytest

import somecode
from somecode import NotFoundError, ValidationError, agreement, analysis, auto, reports
from somecode.agreement import units as agreement_units
from somecode.analysis import triangulation
from somecode.auto import nlp
from somecode.exchange import figures, graph_figure
from somecode.sources import read_path, read_source, read_sources, read_table
from somecode.sources.transcript import parse_transcript
from somecode.vocabulary import check_level

ANI = ("---\nid: ani\nspeakers: {Ani: {attrs: {role: staff}}, Budi: {attrs: {role: deputy}}}\n---\n"
       "Ani: Reels ramai. Kami pantau insight. Jadwal siang.\n"
       "Budi: Reels bagus. Jadwal sore.\n"
       "Ani: KOL membantu.\n")
NEWS = "---\nid: news\nkind: document\ndoc_type: news\n---\nReels populer.\n\nBuzzer dibatalkan.\n"
CODES = [somecode.Code("optimize", patterns={"id": {"phrases": ["reels"]}}), somecode.Code("manage"),
         somecode.Code("manage.monitoring", "manage"), somecode.Code("engage")]
CODINGS = [("nida", "ani", "Reels ramai", "optimize"), ("nida", "ani", "pantau insight", "manage.monitoring"),
           ("nida", "ani", "KOL membantu", "engage"), ("nida", "news", "Reels populer", "optimize"),
           ("budi", "ani", "Reels ramai", "optimize"), ("budi", "ani", "pantau insight", "manage"),
           ("budi", "news", "Buzzer dibatalkan", "engage")]
DATA = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5], [None, 3, 3, 3, 2, 3, 4, 2, 2, 5]]
TWO = [["a", "b", "a", "b", "a"], ["a", "b", "b", "b", "a"]]


@pytest.fixture(scope="module")
def p(tmp_path_factory):
    """Two sources (an interview of Ani and Budi, a news document), four codes, two coders, one
    assessment: enough for every analysis to run."""
    with somecode.Project.create(tmp_path_factory.mktemp("vocabulary") / "v.somecode") as project:
        project.add_source(parse_transcript(ANI, "ani.md"))
        project.add_source(parse_transcript(NEWS, "news.md"))
        project.add_codes(CODES)
        for coder, source, quote, code in CODINGS:
            project.code_quote(source, quote, code, coder=coder)
        project.assess("manage", "Ani", "Budi", convergence="dissonance", by="nida", rationale="timing vs monitoring")
        yield project


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.csv"
    pd.DataFrame({"id": ["d1", "d2"], "text": ["Reels ramai.", "Tidak ada."]}).to_csv(path, index=False)
    return path


def _graph(p):
    return analysis.cooccurrence_graph(p, unit="overlapp")


def _graph_of(p):
    return analysis.cooccurrence_graph(p)


# (function, argument, bad value, call).  Every bad value is one slip from a valid choice.
CHOICES = [
    ("codings_frame", "status", "acepted", lambda p, tmp: analysis.codings_frame(p, status="acepted")),
    ("codings_frame", "columns", "memmo", lambda p, tmp: analysis.codings_frame(p, columns=["source", "memmo"])),
    ("theme_by_informant", "level", "codes", lambda p, tmp: analysis.theme_by_informant(p, level="codes")),
    ("theme_by_informant", "value", "segmnts", lambda p, tmp: analysis.theme_by_informant(p, value="segmnts")),
    ("theme_by_informant", "status", "acepted", lambda p, tmp: analysis.theme_by_informant(p, status="acepted")),
    ("theme_by_source", "value", "presense", lambda p, tmp: analysis.theme_by_source(p, value="presense")),
    ("theme_by_source", "level", "stages", lambda p, tmp: analysis.theme_by_source(p, level="stages")),
    ("crosstab", "by", "rol", lambda p, tmp: analysis.crosstab(p, by="rol")),
    ("crosstab", "level", "Stage", lambda p, tmp: analysis.crosstab(p, level="Stage")),
    ("crosstab", "value", "quote", lambda p, tmp: analysis.crosstab(p, value="quote")),
    ("framework_matrix", "level", "codez", lambda p, tmp: analysis.framework_matrix(p, level="codez")),
    ("framework_matrix", "cases", "sources", lambda p, tmp: analysis.framework_matrix(p, cases="sources")),
    ("retrieve", "status", "sugested", lambda p, tmp: analysis.retrieve(p, status="sugested")),
    ("cooccurrence", "level", "stages", lambda p, tmp: analysis.cooccurrence(p, level="stages")),
    ("cooccurrence", "unit", "turns", lambda p, tmp: analysis.cooccurrence(p, unit="turns")),
    ("cooccurrence", "measure", "jacard", lambda p, tmp: analysis.cooccurrence(p, measure="jacard")),
    ("cooccurrence_graph", "unit", "overlapp", lambda p, tmp: _graph(p)),
    ("saturation", "status", "rejectd", lambda p, tmp: analysis.saturation(p, status="rejectd")),
    ("triangulate", "level", "codes", lambda p, tmp: triangulation.triangulate(p, level="codes")),
    ("triangulate", "doc_type", "newz",
     lambda p, tmp: triangulation.triangulate(p, {"Ani": {"informant": "ani"}, "N": {"doc_type": "newz"}})),
    ("triangulate", "role", "staf",
     lambda p, tmp: triangulation.triangulate(p, {"S": {"role": "staf"}, "N": ["news"]})),
    ("triangulate", "key", "rol",
     lambda p, tmp: triangulation.triangulate(p, {"S": {"rol": "staff"}, "N": ["news"]})),
    ("compare_assessors", "level", "stagee",
     lambda p, tmp: triangulation.compare_assessors(p, "nida", "nida", level="stagee")),
    ("percent_agreement", "definition", "unit-mean",
     lambda p, tmp: agreement.percent_agreement(DATA, definition="unit-mean")),
    ("weighted_kappa", "weights", "linier", lambda p, tmp: agreement.weighted_kappa(TWO, weights="linier")),
    ("fleiss_kappa", "weights", "quadratc", lambda p, tmp: agreement.fleiss_kappa(DATA, weights="quadratc")),
    ("conger_kappa", "weights", "identiy", lambda p, tmp: agreement.conger_kappa(DATA, weights="identiy")),
    ("brennan_prediger", "weights", "lineer",
     lambda p, tmp: agreement.brennan_prediger(DATA, weights="lineer")),
    ("gwet_ac2", "weights", "quadratik", lambda p, tmp: agreement.gwet_ac2(DATA, weights="quadratik")),
    ("krippendorff_alpha", "scale", "ordinl", lambda p, tmp: agreement.krippendorff_alpha(DATA, scale="ordinl")),
    ("krippendorff_alpha", "scale", "intervall",
     lambda p, tmp: agreement.krippendorff_alpha(DATA, scale="intervall", distance=[[0.0]])),
    ("agreement_weights", "weights", "linar", lambda p, tmp: agreement.agreement_weights(3, "linar")),
    ("bootstrap_alpha", "scale", "ratoi",
     lambda p, tmp: agreement.bootstrap_alpha(agreement.Ratings.from_data(DATA).codes, [1, 2, 3, 4, 5],
                                              samples=5, scale="ratoi")),
    ("agreement_table", "metric", "krippendorf_alpha",
     lambda p, tmp: agreement.agreement_table(p, coders=["nida", "budi"], metric="krippendorf_alpha")),
    ("agreement_table", "unit", "turns",
     lambda p, tmp: agreement.agreement_table(p, coders=["nida", "budi"], unit="turns")),
    ("agreement_table", "level", "stages",
     lambda p, tmp: agreement.agreement_table(p, coders=["nida", "budi"], level="stages")),
    ("disagreements", "unit", "sentense",
     lambda p, tmp: agreement.disagreements(p, coders=["nida", "budi"], unit="sentense")),
    ("disagreements", "level", "codes",
     lambda p, tmp: agreement.disagreements(p, coders=["nida", "budi"], level="codes")),
    ("segment_agreement", "denominator", "shortr",
     lambda p, tmp: agreement.segment_agreement(p, "nida", "budi", denominator="shortr")),
    ("unit_spans", "unit", "sentnce", lambda p, tmp: agreement_units.unit_spans(p, "sentnce")),
    ("coded_units", "level", "stag", lambda p, tmp: agreement_units.coded_units(p, ["nida"], level="stag")),
    ("autocode", "unit", "sentense", lambda p, tmp: auto.autocode(p, unit="sentense")),
    ("autocode", "engine", "dusk", lambda p, tmp: auto.autocode(p, engine="dusk")),
    ("suggestions", "status", "sugested", lambda p, tmp: auto.suggestions(p, status="sugested")),
    ("autocode_frame", "language", "ind",
     lambda p, tmp: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["x"]}), CODES, language="ind")),
    ("autocode_frame", "unit", "turns",
     lambda p, tmp: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["x"]}), CODES, unit="turns")),
    ("autocode_frame", "text_column", "texts",
     lambda p, tmp: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["x"]}), CODES, text_column="texts")),
    ("autocode_corpus", "engine", "dusk", lambda p, tmp: auto.autocode_corpus(tmp, CODES, engine="dusk")),
    ("autocode_corpus", "text_column", "txt", lambda p, tmp: auto.autocode_corpus(tmp, CODES, text_column="txt")),
    ("evaluate", "unit", "turns", lambda p, tmp: auto.evaluate(p, gold="nida", auto="budi", unit="turns")),
    ("evaluate", "level", "codes", lambda p, tmp: auto.evaluate(p, gold="nida", auto="budi", level="codes")),
    ("suggest_variants", "language", "eng", lambda p, tmp: auto.suggest_variants(p, "optimize", language="eng")),
    ("pipeline", "language", "eng", lambda p, tmp: nlp.pipeline("eng")),
    ("lemma", "language", "ind", lambda p, tmp: nlp.lemma("reels", language="ind")),
    ("plot_graph", "layout", "circle", lambda p, tmp: graph_figure.plot_graph(_graph_of(p), layout="circle")),
    ("plot_heatmap", "cmap", "blues", lambda p, tmp: figures.plot_heatmap(analysis.theme_by_source(p), cmap="blues")),
    ("save_figure", "format", "pgn",
     lambda p, tmp: figures.save_figure(figures.plot_heatmap(analysis.theme_by_source(p)), tmp, format="pgn")),
    ("search", "mode", "regexp", lambda p, tmp: analysis.search(p, "reels", mode="regexp")),
    ("search", "language", "eng", lambda p, tmp: analysis.search(p, "reels", mode="variants", language="eng")),
    ("code_search", "unit", "turns", lambda p, tmp: analysis.code_search(p, "reels", code="optimize", unit="turns")),
    ("code_search", "mode", "phrse", lambda p, tmp: analysis.code_search(p, "reels", code="optimize", mode="phrse")),
    ("word_frequencies", "by", "rol", lambda p, tmp: analysis.word_frequencies(p, by="rol")),
    ("word_frequencies", "stop_words", "both_", lambda p, tmp: analysis.word_frequencies(p, stop_words="both_")),
    ("write_report", "format", "htm", lambda p, tmp: reports.write_report(p, tmp.with_suffix(".x"), format="htm")),
    ("write_report", "status", "acepted",
     lambda p, tmp: reports.write_report(p, tmp.with_suffix(".html"), status="acepted")),
    ("write_docx_report", "language", "eng",
     lambda p, tmp: reports.write_docx_report(p, tmp.with_suffix(".docx"), language="eng")),
    ("write_codebook_docx", "status", "rejectd",
     lambda p, tmp: reports.write_codebook_docx(p, tmp.with_suffix(".docx"), status="rejectd")),
    ("write_html_report", "language", "En",
     lambda p, tmp: reports.write_html_report(p, tmp.with_suffix(".html"), language="En")),
    ("to_html_report", "status", "sugested", lambda p, tmp: reports.to_html_report(p, status="sugested")),
    ("report_passages", "status", "acepted", lambda p, tmp: reports.report_passages(p, status="acepted")),
    ("code_counts", "status", "acepted", lambda p, tmp: reports.code_counts(p, status="acepted")),
]

# Public functions with no choice argument, each with the reason.
NO_CHOICE = {
    "units_frame": "the project, and sets= and where= (checked in test_sets_and_where_say_what_is_there)",
    "code_paths": "the project only",
    "write_graphml": "a graph and a path",
    "write_gexf": "a graph and a path",
    "cohen_kappa": "ratings and categories only",
    "scott_pi": "ratings and categories only",
    "randolph_kappa": "ratings, categories and q only",
    "gwet_ac1": "ratings and categories only",
    "coincidence_matrix": "ratings and categories only",
    "benchmark_probabilities": "numbers only",
    "unitized_alpha": "units and numbers only",
    "interpret": "a number only",
    "reconcile": "decisions (ids checked by Project.add_codings) and a new coder name",
    "accept": "filters by id only: code= and source= are checked in test_unknown_ids_say_what_is_there",
    "reject": "filters by id only: code= and source= are checked in test_unknown_ids_say_what_is_there",
    "stem": "one word only",
    "default_groups": "the project only",
    "write_triangulation": "a result and a folder",
    "load_groups": "a path only",
}
# Arguments that name a choice wherever they appear (``by`` is a person almost everywhere, so it is
# not here; crosstab's ``by`` is covered above).
CHOICE_ARGUMENTS = {"level", "scale", "unit", "value", "measure", "cases", "metric", "weights", "definition",
                    "denominator", "engine", "language", "status", "lang", "assessor", "format", "layout",
                    "cmap"}
NOT_YET: dict[str, str] = {}  # functions whose check is still to come, with the reason


def public_functions() -> set[str]:
    """Every public function of the analysis, agreement, automatic-coding and report packages and of
    the figures (classes, such as Ratings and Triangulation, and constants are data, not functions)."""
    modules = [analysis, agreement, agreement_units, auto, nlp, triangulation, reports, figures, graph_figure]
    return {name for module in modules for name in module.__all__
            if callable(getattr(module, name)) and not inspect.isclass(getattr(module, name))}


def uncovered(functions: set[str]) -> set[str]:
    return functions - {name for name, *_ in CHOICES} - set(NO_CHOICE)


def test_every_public_function_is_covered():
    assert uncovered(public_functions()) == set()
    assert {name for name, *_ in CHOICES} <= public_functions()  # no stale names either
    assert set(NO_CHOICE) <= public_functions()
    assert not {name for name, *_ in CHOICES} & set(NO_CHOICE)


def test_the_coverage_check_sees_a_new_function():
    assert uncovered(public_functions() | {"new_analysis"}) == {"new_analysis"}


@pytest.mark.parametrize("name", sorted(NO_CHOICE))
def test_functions_said_to_have_no_choice_really_have_none(name):
    modules = [analysis, agreement, agreement_units, auto, nlp, triangulation, reports, figures, graph_figure]
    function = next(getattr(m, name) for m in modules if name in m.__all__)
    assert not set(inspect.signature(function).parameters) & CHOICE_ARGUMENTS


@pytest.mark.parametrize("name, argument, bad, call", [
    pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}",
                 marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[case[0]])] if case[0] in NOT_YET else [])
    for case in CHOICES])
def test_a_misspelt_choice_is_an_error_that_helps(p, corpus, name, argument, bad, call):
    with pytest.raises(ValidationError) as err:
        call(p, corpus)
    message = str(err.value)
    assert f"{argument}={bad!r}" in message and "did you mean" in message, message
    assert isinstance(err.value, ValueError) and isinstance(err.value, somecode.SomecodeError)


@pytest.mark.parametrize("call", [
    pytest.param(lambda p: triangulation.triangulate(p, level="codes"), id="triangulate-level-codes"),
    pytest.param(lambda p: analysis.cooccurrence(p, level="stages"), id="cooccurrence-level-stages"),
    pytest.param(lambda p: analysis.framework_matrix(p, level="codez"), id="framework_matrix-level-codez"),
])
def test_former_quiet_wrong_answers_are_errors(p, call):
    # these used to give stage-level (or code-level) tables for a misspelt level
    with pytest.raises(ValidationError, match="did you mean"):
        call(p)


@pytest.mark.parametrize("call", [
    pytest.param(lambda p: auto.autocode(p, scheduler="tcp://127.0.0.1:8786"), id="autocode-local-engine"),
    pytest.param(lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["x"]}), CODES,
                                               scheduler="tcp://127.0.0.1:8786"), id="autocode_frame-local-engine"),
    pytest.param(lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["x"]}), CODES, engine="dask",
                                               scheduler=8786), id="autocode_frame-not-an-address"),
])
def test_a_scheduler_is_an_address_for_the_dask_engine(p, call):
    with pytest.raises(ValidationError, match=r"scheduler=.*Fix: pass"):
        call(p)


def test_level_takes_a_depth_only_where_supported():
    assert check_level("stage") == "stage" and check_level(2, max_depth=3) == 2
    with pytest.raises(ValidationError, match="not a depth of this codebook"):
        check_level(4, max_depth=3)
    for bad in (2, True, None):
        with pytest.raises(ValidationError, match="level="):
            check_level(bad)


@pytest.mark.parametrize("call, what, bad", [
    (lambda p: analysis.retrieve(p, code="optimise"), "code", "optimise"),
    (lambda p: analysis.retrieve(p, informant="Anni"), "informant", "Anni"),
    (lambda p: analysis.retrieve(p, source="anni"), "source", "anni"),
    (lambda p: analysis.retrieve(p, coders=["nidaa"]), "coder", "nidaa"),
    (lambda p: analysis.theme_by_informant(p, coders=["nidaa"]), "coder", "nidaa"),
    (lambda p: analysis.theme_by_source(p, coders="nidaa"), "coder", "nidaa"),
    (lambda p: analysis.crosstab(p, coders="budy"), "coder", "budy"),
    (lambda p: analysis.framework_matrix(p, coders="nidaa"), "coder", "nidaa"),
    (lambda p: analysis.cooccurrence(p, coders=["nidaa"]), "coder", "nidaa"),
    (lambda p: analysis.saturation(p, order=["anni"]), "source", "anni"),
    (lambda p: analysis.saturation(p, coders=["budy"]), "coder", "budy"),
    (lambda p: triangulation.triangulate(p, coders=["nidaa"]), "coder", "nidaa"),
    (lambda p: triangulation.triangulate(p, {"A": {"informant": "Anni"}, "N": ["news"]}), "informant", "Anni"),
    (lambda p: triangulation.triangulate(p, {"A": {"informant": "ani"}, "N": ["newz"]}), "source", "newz"),
    (lambda p: triangulation.triangulate(p, by="nidaa"), "assessor", "nidaa"),
    (lambda p: triangulation.compare_assessors(p, "nida", "nidaa"), "assessor", "nidaa"),
    (lambda p: agreement.agreement_table(p, coders=["nida", "budy"]), "coder", "budy"),
    (lambda p: agreement.agreement_table(p, coders=["nida", "budi"], codes=["optimise"]), "code", "optimise"),
    (lambda p: agreement.agreement_table(p, coders=["nida", "budi"], level="stage", codes=["engag"]),
     "stage", "engag"),
    (lambda p: agreement.disagreements(p, coders=["nidaa", "budi"]), "coder", "nidaa"),
    (lambda p: agreement.segment_agreement(p, "nida", "budy"), "coder", "budy"),
    (lambda p: agreement.segment_agreement(p, "nida", "budi", codes=["optimise"]), "code", "optimise"),
    (lambda p: agreement_units.coded_units(p, ["nidaa"]), "coder", "nidaa"),
    (lambda p: auto.autocode(p, codes=["optimise"]), "code", "optimise"),
    (lambda p: auto.autocode(p, sources=["anni"]), "source", "anni"),
    (lambda p: auto.autocode(p, speakers=["Anni"]), "speaker", "Anni"),
    (lambda p: auto.suggestions(p, coder="nidaa"), "coder", "nidaa"),
    (lambda p: auto.accept(p, code="optimise"), "code", "optimise"),
    (lambda p: auto.reject(p, source="newz"), "source", "newz"),
    (lambda p: auto.evaluate(p, gold="nidaa"), "coder", "nidaa"),
    (lambda p: auto.evaluate(p, gold="nida", auto="budy"), "coder", "budy"),
    (lambda p: auto.suggest_variants(p, "optimise"), "code", "optimise"),
    (lambda p: analysis.search(p, "reels", sources=["anni"]), "source", "anni"),
    (lambda p: analysis.code_search(p, "reels", code="optimise"), "code", "optimise"),
    (lambda p: analysis.code_search(p, "reels", code="optimize", sources="newz"), "source", "newz"),
    (lambda p: analysis.word_frequencies(p, sources=["newz"]), "source", "newz"),
])
def test_unknown_ids_say_what_is_there(p, call, what, bad):
    with pytest.raises(NotFoundError) as err:
        call(p)
    message = str(err.value)
    assert f"no {what} {bad!r}" in message and "did you mean" in message, message


# Every analysis restricts itself with sets= and where= (issue #18): a set or a case attribute that is
# not there is an error naming the closest one.
RESTRICTED = ["codings_frame", "units_frame", "theme_by_informant", "theme_by_source", "crosstab",
              "framework_matrix", "retrieve", "cooccurrence", "cooccurrence_graph", "saturation",
              "search", "code_search", "word_frequencies"]
NEEDS = {"search": {"query": "reels"}, "code_search": {"query": "reels", "code": "optimize"}}  # besides p


@pytest.mark.parametrize("name", RESTRICTED)
def test_sets_and_where_say_what_is_there(p, name):
    function = getattr(analysis, name)
    if name != "cooccurrence_graph":  # it passes its options to cooccurrence
        assert {"sets", "where"} <= set(inspect.signature(function).parameters)
    with pytest.raises(ValidationError, match=r"no case attribute 'rol' \(did you mean 'role'\?\)"):
        function(p, where="rol == 'staff'", **NEEDS.get(name, {}))
    with pytest.raises(NotFoundError, match=r"no set 'staf' in the project"):
        function(p, sets="staf", **NEEDS.get(name, {}))


@pytest.mark.parametrize("argument, bad, call", [
    ("type", "nummber", lambda p: p.define_attribute("age", type="nummber")),
    ("kind", "cod", lambda p: p.add_memo("x", kind="cod", about="optimize")),
    ("kind", "projct", lambda p: p.memos(kind="projct")),
])
def test_project_choices_are_checked(p, argument, bad, call):
    with pytest.raises(ValidationError) as err:
        call(p)
    assert f"{argument}={bad!r}" in str(err.value) and "did you mean" in str(err.value)


def test_evaluate_without_an_automatic_run_says_so(p):
    with pytest.raises(NotFoundError, match="run autocode"):
        auto.evaluate(p, gold="nida")


def _same(old, new):
    if isinstance(new, pd.DataFrame):
        pd.testing.assert_frame_equal(old, new)
    else:
        assert old == new or (old != old and new != new)


@pytest.mark.parametrize("old, new", [
    (lambda p: agreement.krippendorff_alpha(DATA, level="ordinal"),
     lambda p: agreement.krippendorff_alpha(DATA, scale="ordinal")),
    (lambda p: agreement.krippendorff_alpha(DATA, level="interval"),
     lambda p: agreement.krippendorff_alpha(DATA, scale="interval")),
    (lambda p: agreement.bootstrap_alpha(agreement.Ratings.from_data(DATA).codes, [1, 2, 3, 4, 5],
                                         samples=50, level="interval"),
     lambda p: agreement.bootstrap_alpha(agreement.Ratings.from_data(DATA).codes, [1, 2, 3, 4, 5],
                                         samples=50, scale="interval")),
    (lambda p: triangulation.triangulate(p, assessor="nida").evidence,
     lambda p: triangulation.triangulate(p, by="nida").evidence),
    (lambda p: agreement.agreement_table(p, ["nida", "budi"], bootstrap=20),
     lambda p: agreement.agreement_table(p, coders=["nida", "budi"], bootstrap=20)),
    (lambda p: agreement.disagreements(p, ["nida", "budi"], level="stage"),
     lambda p: agreement.disagreements(p, coders=["nida", "budi"], level="stage")),
    (lambda p: nlp.lemma("mensosialisasikan", lang="id"), lambda p: nlp.lemma("mensosialisasikan", language="id")),
    (lambda p: id(nlp.pipeline(lang="en")), lambda p: id(nlp.pipeline(language="en"))),
    (lambda p: auto.suggest_variants(p, "optimize", lang="id"),
     lambda p: auto.suggest_variants(p, "optimize", language="id")),
    (lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["Reels ramai."]}), CODES, lang="id"),
     lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["Reels ramai."]}), CODES, language="id")),
    (lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["Reels ramai."], "l": ["id"]}), CODES,
                                   lang_column="l"),
     lambda p: auto.autocode_frame(pd.DataFrame({"id": [1], "text": ["Reels ramai."], "l": ["id"]}), CODES,
                                   language_column="l")),
    (lambda p: auto.coder.AutoCoder(CODES, lang="id").match_text("Reels ramai."),
     lambda p: auto.coder.AutoCoder(CODES, language="id").match_text("Reels ramai.")),
], ids=["alpha-level", "alpha-level-interval", "bootstrap-level", "triangulate-assessor",
        "agreement_table-positional-coders", "disagreements-positional-coders", "lemma-lang", "pipeline-lang",
        "suggest_variants-lang", "autocode_frame-lang", "autocode_frame-lang_column", "AutoCoder-lang"])
def test_old_names_warn_and_give_the_same_answer(p, old, new):
    with pytest.warns(DeprecationWarning, match="deprecated"):
        before = old(p)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        after = new(p)
    _same(before, after)


def test_the_old_and_the_new_name_together_are_refused(p):
    with pytest.raises(TypeError, match="give scale= only"):
        agreement.krippendorff_alpha(DATA, scale="ordinal", level="interval")
    with pytest.raises(TypeError, match="give by= only"):
        triangulation.triangulate(p, by="nida", assessor="nida")
    with pytest.raises(TypeError, match="coders= twice"):
        agreement.agreement_table(p, ["nida", "budi"], coders=["nida", "budi"])


def test_coders_is_a_keyword(p):
    assert "coders" in inspect.signature(agreement.agreement_table).parameters
    for function in (agreement.agreement_table, agreement.disagreements):
        parameter = inspect.signature(function).parameters["coders"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty


def test_read_source_refuses_a_table_and_read_table_reads_it(tmp_path):
    table = tmp_path / "reviews.csv"
    table.write_text("id,text,score\nr1,Aplikasi bagus.,5\nr2,Sering error.,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"read_table\(") as err:
        read_source(table)
    assert "read_sources" in str(err.value)
    rows = read_table(table, id_column="id")
    assert [(s.id, s.text, s.attrs["score"]) for s in rows] == [("r1", "Aplikasi bagus.", "5"),
                                                                ("r2", "Sering error.", "1")]
    transcript = tmp_path / "ani.txt"
    transcript.write_text("Ani: Reels.\n", encoding="utf-8")
    assert read_source(transcript).id == "ani"
    with pytest.raises(ValidationError, match=r"read_source\("):
        read_table(transcript)
    assert [s.id for s in read_sources(tmp_path, id_column="id")] == ["ani", "r1", "r2"]
    assert [s.id for s in read_path(table, id_column="id")] == ["r1", "r2"]
    assert [s.id for s in read_path(transcript)] == ["ani"]
    with pytest.raises(somecode.SourceReadError, match="no column named 'txt' \\(did you mean 'text'\\?\\)"):
        read_table(table, text_column="txt")
