"""Text search, search hits as suggestions, and word frequencies (issue #18, part 1).

Every expected row below was worked out by hand from the small texts in this file: the offsets
by counting characters (code points), the frequency tables by counting words after taking out
the stop words.  Only the bundled-study test compares with something computed: a plain regular
expression over the study's files.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

import somecode
from somecode import NotFoundError, ValidationError
from somecode.analysis.frequencies import word_frequencies
from somecode.analysis.search import search
from somecode.analysis.search_codes import code_search, search_coder
from somecode.analysis.stopwords import STOP_WORDS
from somecode.cli import main
from somecode.model import Source, Turn

# 0         1         2          3         4         5         6          7         8          9        10
# 0123456789012345678901234567 8901234567890123456789012345678901234 5678901234567890 12345678901234567890 1
MAYA = "Interviewer: Do you share?\nMaya: We share posts. Sharing helps.\nMaya: Our SHARE\n  grew fast; share it."
BUDI = ("Peneliti: Apa yang dibagikan?\n"                       # turn 0: [10, 29)
        "Budi: Kami membagikan konten setiap hari.\n"            # turn 1: [36, 71)
        "Budi: Warga berbagi, lalu pembagian kontennya jelas.")  # turn 2: [78, 124)
EMOJI = "👍🏽 x\u0301x reels\u0331 🇮🇩 Reels!"  # 2 + 1 + 3 (x, mark, x) ... 23 code points, 27 in UTF-16


def _maya() -> Source:
    return Source.from_text("maya", MAYA, kind="interview", attrs={"language": "en"},
                            turns=[Turn(13, 26, "Interviewer"), Turn(33, 63, "Maya", "maya"),
                                   Turn(70, 102, "Maya", "maya")])


def _budi() -> Source:
    return Source.from_text("budi", BUDI, kind="interview", attrs={"language": "id"},
                            turns=[Turn(10, 29, "Peneliti"), Turn(36, 71, "Budi", "budi"),
                                   Turn(78, 124, "Budi", "budi")])


@pytest.fixture
def p(project):
    project.add_source(_maya())
    project.add_source(_budi())
    project.add_source(Source.from_text("emoji", EMOJI, kind="document"))  # no turns: the whole text
    project.add_source(Source.from_text("wati", "Kami pakai reels.", kind="interview",
                                        attrs={"informant": "Wati", "language": "id"}, turns=[Turn(0, 17)]))
    project.add_code("share")
    return project


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns or ["source", "start", "end", "match"])].itertuples(index=False)]


def test_the_texts_are_what_the_offsets_were_counted_on(p):
    assert p.source("maya").text == MAYA and len(MAYA) == 102
    assert p.source("budi").text == BUDI and len(BUDI) == 124
    assert p.source("emoji").text == EMOJI and len(EMOJI) == 23  # NFC leaves the marks alone


# ------------------------------------------------------------------ words, phrases, regular expressions
def test_words_match_whole_words_in_any_case_with_speaker_informant_and_turn(p):
    found = search(p, "share", sources="maya", context=5)
    assert rows(found, "source", "informant", "speaker", "turn", "start", "end", "match", "term", "via") == [
        ("maya", None, "Interviewer", 0, 20, 25, "share", "share", "exact"),
        ("maya", "maya", "Maya", 1, 36, 41, "share", "share", "exact"),   # not "Sharing" at 49
        ("maya", "maya", "Maya", 2, 74, 79, "SHARE", "share", "exact"),
        ("maya", "maya", "Maya", 2, 93, 98, "share", "share", "exact")]
    assert found.loc[1, ["left", "right"]].tolist() == [": We ", " post"]
    assert list(found.columns) == ["source", "informant", "speaker", "turn", "start", "end", "left", "match",
                                   "right", "term", "via"]


def test_several_words_find_any_of_them_and_interviewers_can_be_left_out(p):
    found = search(p, "posts grew", sources=["maya"], skip_interviewer=True)
    assert rows(found, "start", "end", "match", "term") == [(42, 47, "posts", "posts"), (82, 86, "grew", "grew")]
    assert rows(search(p, "share", sources="maya", skip_interviewer=True), "start") == [(36,), (74,), (93,)]


def test_case_sensitive(p):
    assert rows(search(p, "SHARE", case_sensitive=True), "start", "end") == [(74, 79)]


def test_a_phrase_runs_across_white_space_and_line_breaks_but_not_across_turns(p):
    found = search(p, "share   grew", mode="phrase")
    assert rows(found) == [("maya", 74, 86, "SHARE\n  grew")]
    # "helps." ends turn 1 and "Our" starts turn 2: the label between them is not searched
    assert search(p, "helps. Our", mode="phrase").empty


def test_a_regular_expression(p):
    assert rows(search(p, r"shar\w+", mode="regex", sources="maya"), "start", "end", "match", "via") == [
        (20, 25, "share", "pattern"), (36, 41, "share", "pattern"), (49, 56, "Sharing", "pattern"),
        (74, 79, "SHARE", "pattern"), (93, 98, "share", "pattern")]
    assert rows(search(p, r"shar\w+", mode="regex", case_sensitive=True), "start") == [(20,), (36,), (93,)]
    assert search(p, r"x*", mode="regex", sources="maya").empty  # empty matches are no passages


def test_offsets_are_code_points_after_emoji_and_combining_marks(p):
    found = search(p, "reels", sources="emoji")
    # "reels" at 7 has a combining macron below after it: not a whole word; "Reels" starts at code point 17
    assert rows(found, "source", "turn", "start", "end", "match") == [("emoji", pd.NA, 17, 22, "Reels")]
    assert search(p, "x", sources="emoji").empty  # x + combining acute, then x: no whole word "x"
    found = search(p, "reels", mode="regex", sources="emoji")
    # the pattern stops before the macron at 12, inside the character "s̱": the hit takes the whole of it
    assert rows(found, "start", "end") == [(7, 13), (17, 22)]
    for row in found.itertuples():
        assert EMOJI[row.start:row.end] == row.match


def test_an_unlabelled_interview_belongs_to_its_front_matter_informant(p):
    assert rows(search(p, "reels", sources="wati"), "source", "informant", "speaker", "start", "end") == [
        ("wati", "wati", None, 11, 16)]


# ------------------------------------------------------------------ Indonesian and English morphology
BAGI = [("budi", 19, 28, "dibagikan"), ("budi", 41, 51, "membagikan"), ("budi", 84, 91, "berbagi"),
        ("budi", 98, 107, "pembagian")]


def test_variants_find_affixed_indonesian_forms_of_a_root_and_the_root_finds_them(p):
    assert search(p, "bagi", sources="budi").empty  # as a plain word "bagi" is not in the text
    found = search(p, "bagi", mode="variants", sources="budi")
    assert rows(found) == BAGI
    assert set(found["via"]) <= {"lemma", "stem"} and set(found["term"]) == {"bagi"}
    assert rows(found, "speaker", "informant") == [("Peneliti", None), ("Budi", "budi"), ("Budi", "budi"),
                                                   ("Budi", "budi")]


def test_an_affixed_form_finds_the_others_through_its_root(p):
    found = search(p, "membagikan", mode="variants", sources="budi", skip_interviewer=True)
    assert rows(found) == BAGI[1:]
    assert found.loc[0, "via"] == "exact"


def test_the_suffix_nya(p):
    assert rows(search(p, "konten", sources="budi")) == [("budi", 52, 58, "konten")]
    assert rows(search(p, "konten", mode="variants", sources="budi")) == [
        ("budi", 52, 58, "konten"), ("budi", 108, 117, "kontennya")]


def test_english_variants_through_the_lemma_table(p):
    found = search(p, "share", mode="variants", sources="maya")
    assert rows(found, "start", "end", "match", "via") == [
        (20, 25, "share", "exact"), (36, 41, "share", "exact"), (49, 56, "Sharing", "lemma"),
        (74, 79, "SHARE", "exact"), (93, 98, "share", "exact")]


def test_a_known_stem_collision_never_matches(p):
    p.add_source(Source.from_text("serta", "Kepesertaan naik, serta iuran.", kind="document",
                                  attrs={"language": "id"}, turns=[Turn(0, 30)]))
    assert rows(search(p, "serta", mode="variants", sources="serta"), "match") == [("serta",)]


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("call, message", [
    (lambda p: search(p, "(share", mode="regex"), "query '(share' is not a valid regular expression: missing )"),
    (lambda p: search(p, "share", mode="regexp"), "mode='regexp' is not one of"),
    (lambda p: search(p, "  "), "query '  ' is empty"),
    (lambda p: search(p, "share", context=-1), "context=-1"),
    (lambda p: search(p, "share", mode="variants", case_sensitive=True), "case_sensitive=True cannot"),
    (lambda p: search(p, "share", language="en"), "only used with mode='variants'"),
    (lambda p: search(p, "2023", mode="variants"), "no word to find variants of"),
    (lambda p: code_search(p, "share", code="share", unit="turns"), "unit='turns'"),
    (lambda p: word_frequencies(p, by="rol"), "by='rol'"),
    (lambda p: word_frequencies(p, stop_words="indonesian"), "stop_words='indonesian'"),
    (lambda p: word_frequencies(p, top=0), "top=0"),
    (lambda p: search(p, "share", sources=5), "sources=5 is not a source id: give a source's id or a list of them"),
    (lambda p: word_frequencies(p, stop_words=5), "stop_words=5: give one of 'language', 'id', 'en', 'both', None"),
    (lambda p: code_search(p, "share", code=5), "code=5: give the id of the one code to suggest"),
    (lambda p: search(p, '"kami pakai'), "opens a quotation without closing it"),
    (lambda p: search(p, '"kami pakai"', mode="variants"), "quotes make a phrase with mode='words'"),
])
def test_bad_values_say_what_and_how(p, call, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        call(p)


def test_unknown_ids_say_what_is_there(p):
    with pytest.raises(NotFoundError, match="no source 'mya' in the project \\(did you mean 'maya'\\?\\)"):
        search(p, "share", sources=["mya"])
    with pytest.raises(NotFoundError, match="no code 'shar' in the project \\(did you mean 'share'\\?\\)"):
        code_search(p, "share", code="shar")
    with pytest.raises(NotFoundError, match="no source 'bud'"):
        word_frequencies(p, sources="bud")


# ------------------------------------------------------------------ hits as suggestions
def test_code_search_stores_suggestions_with_the_search_as_evidence_and_undo_takes_them_back(p):
    before = len(p.coding_records())
    made = code_search(p, "share", code="share", sources="maya", by="nida")
    coder = search_coder("share")
    # the interviewer's question is left out by default
    assert rows(made, "source", "start", "end", "code", "text") == [
        ("maya", 36, 41, "share", "share"), ("maya", 74, 79, "share", "SHARE"), ("maya", 93, 98, "share", "share")]
    assert made.attrs == {"hits": 3, "new": 3, "already": 0, "skipped": 0, "coder": coder}
    records = p.coding_records(coder=coder)
    assert [(c.start, c.end, c.status, c.origin) for c in records] == [
        (36, 41, "suggested", "auto"), (74, 79, "suggested", "auto"), (93, 98, "suggested", "auto")]
    evidence = records[1].evidence
    assert evidence["search"] == {"query": "share", "mode": "words", "case_sensitive": False, "language": None,
                                  "unit": "match"}
    assert evidence["matches"] == [{"rule": "search:words:share", "text": "SHARE", "start": 74, "end": 79,
                                    "term": "share", "via": "exact"}]
    assert p.codings().empty  # nothing accepted
    assert somecode.suggestions(p)["rules"].tolist() == [["search:words:share"]] * 3
    assert p.history()["action"].iloc[-1] == "code_search"
    p.undo()
    assert len(p.coding_records()) == before
    assert coder not in [c.id for c in p.coders()]


def test_code_search_again_stores_nothing_twice_and_skips_what_a_person_coded(p):
    p.code("maya", 74, 79, "share", coder="nida")
    made = code_search(p, "share", code="share", sources="maya")
    assert rows(made, "start", "end") == [(36, 41), (93, 98)]
    assert (made.attrs["new"], made.attrs["skipped"]) == (2, 1)
    again = code_search(p, "share", code="share", sources="maya")
    assert again.empty and (again.attrs["already"], again.attrs["skipped"]) == (2, 1)
    assert somecode.accept(p, rule="search:words:share") == 2
    assert len(p.codings(coders=search_coder("share"))) == 2


def test_code_search_by_turn_gathers_the_hits_of_a_turn(p):
    made = code_search(p, "bagi", code="share", mode="variants", unit="turn", sources="budi")
    assert rows(made, "start", "end") == [(36, 71), (78, 124)]  # turns 1 and 2; turn 0 is the interviewer's
    record = p.find_coding("budi", 78, 124, "share", search_coder("bagi", "variants"))
    assert [m["text"] for m in record.evidence["matches"]] == ["berbagi", "pembagian"]


# ------------------------------------------------------------------ word frequencies
ANI = "Peneliti: Konten apa yang ramai?\nAni: Konten reels ramai, konten foto tidak.\nAni: Reels itu ramai di TikTok juga."
RUDI = "Interviewer: What is popular?\nRudi: The reels are popular, and the reels are short."


@pytest.fixture
def f(project):
    """Ani (Indonesian, role humas), Rudi (English, role manager), and a news document."""
    project.add_source(Source.from_text(
        "ani", ANI, kind="interview", attrs={"language": "id", "informants": {"ani": {"name": "Ani", "role": "humas"}}},
        turns=[Turn(10, 32, "Peneliti"), Turn(38, 76, "Ani", "ani"), Turn(82, 113, "Ani", "ani")]))
    project.add_source(Source.from_text(
        "rudi", RUDI, kind="interview",
        attrs={"language": "en", "informants": {"rudi": {"name": "Rudi", "role": "manager"}}},
        turns=[Turn(13, 29, "Interviewer"), Turn(36, 83, "Rudi", "rudi")]))
    project.add_source(Source.from_text("news", "Reels makin populer.", kind="document",
                                        attrs={"language": "id", "doc_type": "news"}, turns=[Turn(0, 20)]))
    return project


def test_the_frequency_texts_are_cut_where_counted(f):
    assert [f.source("ani").slice(t) for t in f.source("ani").turns] == [
        "Konten apa yang ramai?", "Konten reels ramai, konten foto tidak.", "Reels itu ramai di TikTok juga."]
    assert [f.source("rudi").slice(t) for t in f.source("rudi").turns] == [
        "What is popular?", "The reels are popular, and the reels are short."]


def test_word_frequencies_per_informant_without_stop_words(f):
    table = word_frequencies(f)
    # Ani: konten 2, reels 2, ramai 2, foto 1, tiktok 1 (tidak, itu, di, juga stopped);
    # Rudi: reels 2, popular 1, short 1 (the, are, and, the, are stopped); interviewers left out
    expected = pd.DataFrame({"Ani": [2, 2, 2, 1, 0, 0, 1], "Rudi": [2, 0, 0, 0, 1, 1, 0],
                             "total": [4, 2, 2, 1, 1, 1, 1]},
                            index=pd.Index(["reels", "konten", "ramai", "foto", "popular", "short", "tiktok"],
                                           name="word"))
    expected.columns.name = "informant"
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == {"words": 12, "stopped": 9}


def test_word_frequencies_per_source_attribute_and_document_type(f):
    by_source = word_frequencies(f, by="source")
    assert list(by_source.columns) == ["ani", "news", "rudi", "total"]
    assert by_source.loc["reels"].tolist() == [2, 1, 2, 5]
    assert by_source.loc["populer"].tolist() == [0, 1, 0, 1]
    assert word_frequencies(f, by="role").loc["reels"].to_dict() == {"humas": 2, "manager": 2, "total": 4}
    assert word_frequencies(f, by="doc_type")["news"].to_dict() == {"makin": 1, "populer": 1, "reels": 1}


def test_word_frequencies_with_other_stop_words_and_limits(f):
    everything = word_frequencies(f, stop_words=None, sources="ani")
    assert everything["Ani"].to_dict() == {"konten": 2, "ramai": 2, "reels": 2, "di": 1, "foto": 1, "itu": 1,
                                           "juga": 1, "tidak": 1, "tiktok": 1}
    own = word_frequencies(f, stop_words={"reels", "Konten"}, sources="ani")
    assert "reels" not in own.index and "konten" not in own.index and own.loc["tidak", "Ani"] == 1
    assert word_frequencies(f, top=2).index.tolist() == ["reels", "konten"]
    assert word_frequencies(f, min_length=6).index.tolist() == ["konten", "popular", "tiktok"]
    with_interviewers = word_frequencies(f, by="speaker", skip_interviewer=False)
    assert with_interviewers.loc["popular"].to_dict() == {"Peneliti": 0, "Ani": 0, "Interviewer": 1, "Rudi": 1,
                                                          "total": 2}


def test_the_stop_word_lists_are_short_and_keep_theme_words():
    assert len(STOP_WORDS["id"]) < 200 and len(STOP_WORDS["en"]) < 200
    assert not {"bagi", "berbagi", "konten", "share", "like", "post"} & (STOP_WORDS["id"] | STOP_WORDS["en"])


# ------------------------------------------------------------------ the bundled study and the command line
@pytest.fixture(scope="module")
def study(tmp_path_factory):
    with somecode.build_study(somecode.bundled_study_dir(), tmp_path_factory.mktemp("study") / "s.somecode") as p:
        yield p


def _bodies() -> list[str]:
    """The study's source files without their front matter, read as plain files."""
    folder = somecode.bundled_study_dir() / "sources"
    return [path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.glob("*.md"))]


def test_the_bundled_study_count_matches_a_plain_regular_expression(study):
    expected = sum(len(re.findall(r"\bkonten\b", body, re.IGNORECASE)) for body in _bodies())
    assert expected > 5
    found = search(study, "konten")
    assert len(found) == expected
    texts = {s.id: s.text for s in study.sources()}
    assert all(texts[r.source][r.start:r.end].lower() == "konten" for r in found.itertuples())
    assert len(search(study, "konten", mode="variants")) > expected  # kontennya, ...


def test_the_command_line_searches(study, tmp_path, capsys):
    path = str(study.path)
    assert main(["search", path, "konten", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col=0)
    assert len(table) == len(search(study, "konten"))
    assert main(["search", path, "konten", "--variants", "--source", "agustian-fardianto"]) == 0
    assert "kontennya" in capsys.readouterr().out
    assert main(["search", path, "(konten", "--regex"]) == 1
    assert "'(konten' is not a valid regular expression" in capsys.readouterr().err


# ------------------------------------------------------------------ sets and case attributes
# Three sources in two sets of sources: a focus group (an interviewer, Ani and Citra) and a news
# document in "wave 1", Budi's interview in "wave 2".  Ani is staff aged 34, Citra staff aged 50,
# Budi a deputy aged 45.  "Reels" at the start of every turn, offsets counted by hand.
FOCUS_TEXT = "Peneliti: Reels apa?\nAni: Reels ramai.\nCitra: Reels juga.\n"  # turns [10, 20) [26, 38) [46, 57)
KANTOR_TEXT = "Budi: Reels sepi.\n"                                     # turn [6, 17)
NEWS_TEXT = "Reels populer.\n"                                          # paragraph [0, 14)
AT_PENELITI, AT_ANI, AT_CITRA = ("focus", 10, 15), ("focus", 26, 31), ("focus", 46, 51)
AT_BUDI, AT_NEWS = ("kantor", 6, 11), ("news", 0, 5)


@pytest.fixture
def waves(project):
    project.define_attribute("role", type="category", categories=["staff", "deputy"])
    project.define_attribute("age", type="number")
    for case, role, age in (("ani", "staff", 34), ("budi", "deputy", 45), ("citra", "staff", 50)):
        project.add_informant(somecode.Informant(case, case.title(), {"role": role, "age": age}))
    project.add_source(Source.from_text("focus", FOCUS_TEXT, kind="interview", attrs={"language": "id"}, turns=[
        Turn(10, 20, "Peneliti"), Turn(26, 38, "Ani", "ani"), Turn(46, 57, "Citra", "citra")]))
    project.add_source(Source.from_text("kantor", KANTOR_TEXT, kind="interview", attrs={"language": "id"},
                                        turns=[Turn(6, 17, "Budi", "budi")]))
    project.add_source(Source.from_text("news", NEWS_TEXT, kind="document", attrs={"language": "id"},
                                        turns=[Turn(0, 14)]))
    project.add_set("wave 1", sources=["focus", "news"])
    project.add_set("wave 2", sources=["kantor"])
    project.add_set("seniors", where="age >= 40")
    project.add_code("share")
    return project


def test_the_wave_texts_are_what_the_offsets_were_counted_on(waves):
    texts = {s.id: s.text for s in waves.sources()}
    assert [texts[s][a:b] for s, a, b in (AT_PENELITI, AT_ANI, AT_CITRA, AT_BUDI, AT_NEWS)] == ["Reels"] * 5
    assert [waves.source("focus").slice(t) for t in waves.source("focus").turns] == [
        "Reels apa?", "Reels ramai.", "Reels juga."]
    assert waves.set_members("seniors") == ["budi", "citra"]


@pytest.mark.parametrize("options, expected", [
    ({}, [AT_PENELITI, AT_ANI, AT_CITRA, AT_BUDI, AT_NEWS]),
    # a set of sources keeps every turn of its sources, the interviewer's and the document's too
    ({"sets": "wave 1"}, [AT_PENELITI, AT_ANI, AT_CITRA, AT_NEWS]),
    ({"sets": "wave 2"}, [AT_BUDI]),
    ({"sets": ["wave 1", "wave 2"]}, [AT_PENELITI, AT_ANI, AT_CITRA, AT_BUDI, AT_NEWS]),  # sets of a kind add up
    # where= keeps the turns of the cases it selects: never an interviewer's or a document's
    ({"where": "role == 'staff'"}, [AT_ANI, AT_CITRA]),
    ({"where": "age >= 40"}, [AT_CITRA, AT_BUDI]),
    ({"where": {"role": "deputy"}}, [AT_BUDI]),
    # a set and a query both apply
    ({"sets": "wave 1", "where": "age >= 40"}, [AT_CITRA]),
    ({"sets": "wave 2", "where": "role == 'staff'"}, []),
    ({"sets": ["wave 1", "seniors"]}, [AT_CITRA]),  # a set of sources and a set of cases (a query)
    ({"sets": "seniors", "where": "role == 'staff'"}, [AT_CITRA]),
    ({"sets": "wave 1", "sources": "news"}, [AT_NEWS]),  # sources= too
    ({"sets": "wave 2", "sources": "news"}, []),
])
def test_search_restricted_by_sets_and_case_attributes(waves, options, expected):
    found = search(waves, "reels", **options)
    assert rows(found, "source", "start", "end") == expected
    assert set(found["match"]) <= {"Reels"}


def test_the_restriction_is_the_one_every_analysis_makes(waves):
    # the turns searched are the units units_frame keeps under the same sets and where
    for options in ({"sets": "wave 1"}, {"where": "age >= 40"}, {"sets": ["wave 1", "seniors"]}):
        units = somecode.analysis.units_frame(waves, **options)
        found = search(waves, "reels", **options)
        assert rows(found, "source", "turn") == list(zip(units["source"], units["turn"]))


def test_an_unknown_set_or_attribute_says_what_is_there(waves):
    with pytest.raises(NotFoundError, match=r"no set 'wave1' in the project \(did you mean 'wave 1'\?\)"):
        search(waves, "reels", sets="wave1")
    with pytest.raises(NotFoundError, match=r"no set 'wave 3' in the project \(did you mean 'wave 2'\?\)"):
        word_frequencies(waves, sets=["wave 2", "wave 3"])
    with pytest.raises(NotFoundError, match=r"no set 'senior'"):
        code_search(waves, "reels", code="share", sets="senior")
    with pytest.raises(ValidationError, match=r"no case attribute 'rol' \(did you mean 'role'\?\)"):
        search(waves, "reels", where="rol == 'staff'")
    with pytest.raises(ValidationError, match=r"sets=\[\] names no set"):
        search(waves, "reels", sets=[])
    assert waves.coding_records() == []  # nothing stored by a refused search


def test_word_frequencies_restricted_by_sets_and_case_attributes(waves):
    staff = word_frequencies(waves, where="role == 'staff'", stop_words=None)
    # Ani: reels ramai; Citra: reels juga (the interviewer and Budi left out)
    expected = pd.DataFrame({"Ani": [1, 0, 1], "Citra": [1, 1, 0], "total": [2, 1, 1]},
                            index=pd.Index(["reels", "juga", "ramai"], name="word"))
    expected.columns.name = "informant"
    pd.testing.assert_frame_equal(staff, expected)
    assert staff.attrs == {"words": 4, "stopped": 0}
    by_source = word_frequencies(waves, by="source", sets="wave 1", stop_words=None)
    # focus: Ani's and Citra's turns (the interviewer's skipped by default); news: reels populer
    assert by_source.to_dict("index") == {
        "reels": {"focus": 2, "news": 1, "total": 3}, "juga": {"focus": 1, "news": 0, "total": 1},
        "populer": {"focus": 0, "news": 1, "total": 1}, "ramai": {"focus": 1, "news": 0, "total": 1}}
    both = word_frequencies(waves, by="source", sets="wave 2", where="age >= 40", stop_words=None)
    assert both.to_dict("index") == {"reels": {"kantor": 1, "total": 1}, "sepi": {"kantor": 1, "total": 1}}


def test_code_search_in_a_set_keeps_the_set_in_its_evidence(waves):
    made = code_search(waves, "reels", code="share", sets="wave 1", where="age >= 40")
    assert rows(made, "source", "start", "end", "text") == [(*AT_CITRA, "Reels")]
    record = waves.coding_records(coder=search_coder("reels"))[0]
    assert record.evidence["search"] == {"query": "reels", "mode": "words", "case_sensitive": False,
                                         "language": None, "unit": "match", "sets": "wave 1",
                                         "where": "age >= 40"}
    waves.undo()
    assert code_search(waves, "reels", code="share", sets=["wave 2"]).attrs["new"] == 1


def test_the_command_line_searches_in_sets_and_cases(waves, capsys):
    path = str(waves.path)
    assert main(["search", path, "reels", "--set", "wave 1", "--set", "wave 2", "--where", "age >= 40",
                 "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col=0)
    assert rows(table, "source", "start", "end") == [AT_CITRA, AT_BUDI]
    assert main(["search", path, "reels", "--set", "wave1"]) == 1
    err = capsys.readouterr().err
    assert "no set 'wave1' in the project (did you mean 'wave 1'?)" in err and len(err.splitlines()) == 1
    assert main(["search", path, "reels", "--where", "age >> 40"]) == 1
    assert "age >> 40" in capsys.readouterr().err


# ------------------------------------------------------------------ review of issue #18
def test_quotes_in_a_words_query_make_a_phrase(p):
    # "Kami pakai reels." : Kami pakai at [0, 10), reels at [11, 16)
    found = search(p, '"kami pakai" reels', sources="wati")
    assert rows(found, "start", "end", "match", "term") == [(0, 10, "Kami pakai", "kami pakai"),
                                                           (11, 16, "reels", "reels")]
    assert rows(search(p, '"kami pakai"', mode="phrase", sources="wati"), "start", "end") == [(0, 10)]
    assert search(p, '"pakai kami"', sources="wati").empty  # the words in order, not either of them


def test_words_of_any_script_keep_their_marks(project):
    project.add_source(Source.from_text("dev", "हिन्दी भाषा", kind="document"))   # vowel signs and a virama
    project.add_source(Source.from_text("arab", "كَتَبَ كتب", kind="document"))    # short-vowel marks
    table = word_frequencies(project, by="source", stop_words=None)
    assert table["dev"][table["dev"] > 0].to_dict() == {"भाषा": 1, "हिन्दी": 1}
    assert table["arab"][table["arab"] > 0].to_dict() == {"كتب": 1, "كَتَبَ": 1}
    assert rows(search(project, "हिन्दी"), "start", "end") == [(0, 6)]


def test_a_hit_never_cuts_an_emoji_or_a_flag_and_code_search_stores_whole_ones(project):
    # 0-4 "Ani: ", 5-6 thumbs up + skin tone, 8-12 reels, 14-18 man ZWJ woman ZWJ girl, 20-21 ok,
    # 23-26 two flags (regional indicators I D, M Y)
    text = "Ani: 👍🏽 reels 👨\u200d👩\u200d👧 ok 🇮🇩🇲🇾"
    project.add_source(Source.from_text("e", text, kind="document"))
    project.add_code("emoji")
    found = search(project, r"[^\x00-\x7f]", mode="regex", context=0)
    assert rows(found, "start", "end") == [(5, 7), (14, 19), (23, 25), (25, 27)]
    assert found["match"].tolist() == ["👍🏽", "👨\u200d👩\u200d👧", "🇮🇩", "🇲🇾"]
    made = code_search(project, r"[^\x00-\x7f]", code="emoji", mode="regex")
    assert rows(made, "start", "end") == [(5, 7), (14, 19), (23, 25), (25, 27)]


def test_the_dotted_capital_i_is_folded_as_search_finds_it(project):
    # "İstanbul dan istanbul." : [0, 8) and [13, 21)
    project.add_source(Source.from_text("turk", "İstanbul dan istanbul.", kind="document"))
    assert rows(search(project, "istanbul"), "start", "end") == [(0, 8), (13, 21)]
    assert rows(search(project, "istanbul", mode="variants"), "start", "end", "via") == [
        (0, 8, "exact"), (13, 21, "exact")]
    assert word_frequencies(project, by="source", stop_words=None)["turk"].to_dict() == {"istanbul": 2, "dan": 1}


def test_word_frequencies_tell_informants_of_one_name_apart_and_keep_total_for_the_totals(project):
    project.add_informant(somecode.Informant("ani1", "Ani"))
    project.add_informant(somecode.Informant("ani2", "Ani"))
    project.add_source(Source.from_text("i1", "Ani: reels reels.", kind="interview", turns=[Turn(5, 17, "Ani", "ani1")]))
    project.add_source(Source.from_text("i2", "Ani: tiktok.", kind="interview", turns=[Turn(5, 12, "Ani", "ani2")]))
    project.add_source(Source.from_text("total", "Some document reels reels reels.", kind="document"))
    table = word_frequencies(project, stop_words=None)
    assert table.columns.tolist() == ["Ani (ani1)", "Ani (ani2)", "total"]
    assert table.to_dict("index") == {"reels": {"Ani (ani1)": 2, "Ani (ani2)": 0, "total": 2},
                                      "tiktok": {"Ani (ani1)": 0, "Ani (ani2)": 1, "total": 1}}
    table = word_frequencies(project, by="source", stop_words=None)
    assert table.columns.tolist() == ["i1", "i2", "total (source)", "total"]
    assert table.values.tolist() == [[2, 0, 3, 5], [0, 0, 1, 1], [0, 0, 1, 1], [0, 1, 0, 1]]
    assert table.index.tolist() == ["reels", "document", "some", "tiktok"]
