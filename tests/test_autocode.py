"""Automatic coding: each rule kind, exclusions, speaker rules, human codings untouched, review and
undo, variants behind the protected list, workers, and the evaluation against a human coder."""

import pytest

import somecode
from somecode import Code
from somecode.auto.coder import AutoCoder, accept, autocode, reject, suggestions
from somecode.auto.evaluation import evaluate
from somecode.auto.variants import suggest_variants
from somecode.sources.transcript import parse_transcript

INTERVIEW = """---
id: wawancara
language: id
speakers: {Peneliti: interviewer, Ani: informant}
---
Peneliti: Apakah kalian pakai reels? Bagaimana dengan micro influencer?
Ani: Kami pakai reels setiap hari. Kami juga kerja sama dengan micro influencer.
Ani: Gak ada buzzer. Reels bukan iklan berbayar.
Ani: Jangkauannya naik, jangkauan kami luas.
"""
CODES = [
    Code("optimize", label="Optimize", patterns={"id": {"phrases": ["reels"], "exclude": ["iklan berbayar"]}}),
    Code("engage", label="Engage", patterns={"id": {"tokens": [[{"LOWER": "micro"}, {"LOWER": "influencer"}]],
                                                        "phrases": ["tidak ada buzzer"]}}),
    Code("engage.reach", "engage", "Reach", patterns={"id": {"phrases": ["jangkauan", "kepesertaan"]}}),
]


@pytest.fixture
def auto(project):
    project.add_source(parse_transcript(INTERVIEW, "w.md"))
    project.add_codes(CODES)
    return project


def by_code(project):
    table = suggestions(project)
    return {code: sorted(group["text"]) for code, group in table.groupby("code")}


def test_phrases_token_patterns_slang_norms_and_exclusions(auto):
    autocode(auto, unit="sentence")
    got = by_code(auto)
    assert got["optimize"] == ["Kami pakai reels setiap hari."]          # excluded: 'iklan berbayar'
    assert got["engage"] == ["Gak ada buzzer.", "Kami juga kerja sama dengan micro influencer."]  # gak = tidak
    assert got["engage.reach"] == ["Jangkauannya naik, jangkauan kami luas."]  # 'jangkauan' only, not the stem
    [row] = suggestions(auto, status="suggested").query("code == 'engage.reach'").itertuples()
    assert row.matched == ["jangkauan"] and row.rules == ["phrase"] and row.coder.startswith("auto:")


def test_interviewer_turns_are_skipped_unless_asked(auto):
    autocode(auto)
    assert all(s != "Peneliti" for s in suggestions(auto)["text"].str[:8])
    assert "Apakah kalian pakai reels?" not in by_code(auto)["optimize"]
    autocode(auto, skip_interviewer=False)
    assert "Apakah kalian pakai reels?" in by_code(auto)["optimize"]


def test_speaker_filter_and_turn_units(auto):
    autocode(auto, unit="turn", speakers=["Ani"])
    texts = by_code(auto)["optimize"]
    assert texts == ["Kami pakai reels setiap hari. Kami juga kerja sama dengan micro influencer."]


def test_human_codings_are_never_changed_nor_repeated(auto):
    human = auto.code_quote("wawancara", "Kami pakai reels setiap hari.", "optimize", coder="nida")
    before = auto.coding_records(coder="nida")
    autocode(auto)
    assert auto.coding_records(coder="nida") == before == [human]
    assert "optimize" not in by_code(auto)  # a person already coded that passage
    autocode(auto, skip_coded=False)        # blind run, for evaluation: its own layer
    assert by_code(auto)["optimize"] == ["Kami pakai reels setiap hari."]
    assert auto.coding_records(coder="nida") == before


def test_accept_reject_and_undo_a_whole_run(auto):
    before = auto.coding_records()
    autocode(auto)
    assert accept(auto, code="engage") == 2
    assert reject(auto, rule="phrase", code="optimize") == 1
    statuses = {r.code_id: r.status for r in auto.coding_records() if r.origin == "auto"}
    assert statuses == {"engage": "accepted", "optimize": "rejected", "engage.reach": "suggested"}
    assert auto.undo()["action"] == "reject_suggestions"
    assert auto.undo()["action"] == "accept_suggestions"
    assert auto.undo()["action"] == "autocode"
    assert auto.coding_records() == before


def test_two_workers_give_the_same_suggestions(auto):
    coder = AutoCoder(CODES, "id")
    from somecode.auto import coder as module

    module._CODERS["test"] = coder
    items = [("wawancara", 0, sentence) for sentence in INTERVIEW.splitlines()[5:]] * 50
    one = module.run_coder("test", "sentence", items, workers=1, chunk=20)
    two = module.run_coder("test", "sentence", items, workers=2, chunk=20)
    assert one == two and len(one) == 6 * 50  # 2 + 2 + 1 + 1 matched sentences per round


def test_variants_respect_the_protected_list(auto):
    variants = suggest_variants(auto, "engage.reach")
    assert variants[["word", "keyword", "via"]].values.tolist() == [["jangkauannya", "jangkauan", "lemma"]]
    auto.add_source(somecode.Source.from_text("doc", "Kepesertaan dan serta peserta.", kind="document"))
    words = set(suggest_variants(auto, "engage.reach")["word"])
    assert "serta" not in words and "peserta" not in words  # kepesertaan is protected


def test_evaluation_against_a_human_coder(auto):
    # gold: optimize on turn 1, engage on turn 2 (Ani's turns 1 and 2 of 0..3)
    text = auto.source("wawancara").text
    turns = auto.source("wawancara").turns
    auto.code("wawancara", turns[1].start, turns[1].end, "optimize", coder="gold")
    auto.code("wawancara", turns[2].start, turns[2].end, "engage", coder="gold")
    autocode(auto, unit="turn", skip_coded=False)
    table = evaluate(auto, gold="gold", unit="turn")
    # auto: optimize on turn 1 (turn 2 excluded by 'iklan berbayar'); engage on turns 1 and 2;
    # engage.reach on turn 3.  Units: the 4 turns.
    assert table.loc["optimize", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert table.loc["engage", ["tp", "fp", "fn"]].tolist() == [1, 1, 0]
    assert table.loc["engage", "precision"] == pytest.approx(0.5)
    assert table.loc["engage.reach", ["tp", "fp", "fn"]].tolist() == [0, 1, 0]
    assert table.loc["(all codes)", ["tp", "fp", "fn"]].tolist() == [2, 2, 0]
    assert table.loc["optimize", "krippendorff_alpha"] == pytest.approx(1.0)
    assert "Gak" in text


def test_readme_evaluation_figures_match_the_bundled_study(tmp_path):
    from conftest import ROOT, STUDY

    from somecode.study import build_study

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        autocode(project, unit="turn", skip_coded=False)
        table = evaluate(project, gold="paper", level="stage")
    for stage in ["share", "optimize", "manage", "engage", "strategy"]:
        r = table.loc[stage]
        line = (f"| {stage} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | "
                f"{r['krippendorff_alpha']:.2f} |")
        assert line in readme, line
    assert table.loc["(all codes)", "units"] == 50


def test_a_pipeline_is_built_once_per_process_and_language(auto, monkeypatch):
    import spacy

    from somecode.auto import coder, nlp

    built: list[str] = []
    blank = spacy.blank
    monkeypatch.setattr(spacy, "blank", lambda lang, *a, **k: built.append(lang) or blank(lang, *a, **k))
    monkeypatch.setattr(coder, "_CODERS", {})
    nlp._pipeline.cache_clear()
    try:
        autocode(auto)
        autocode(auto, codes=["optimize"])  # another coder, the same pipeline
        AutoCoder(CODES, "id").match_text("Reels ramai.")
        coder.autocode_frame(__import__("pandas").DataFrame({"id": [1], "text": ["Reels."]}), CODES)
        AutoCoder(CODES, "en")
        AutoCoder(CODES, "en")
    finally:
        nlp._pipeline.cache_clear()  # the next test builds its own, with the real spacy.blank
    assert sorted(built) == ["en", "id"]
