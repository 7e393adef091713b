"""The bundled BPJS study: every passage verbatim, every coding exact, the paper's table."""

import csv
import re

import pytest
from conftest import STUDY, shared_file

from somecode.study import build_study, reproduce
from somecode.text import text_hash

PAPER = ("seeds", "000_29eb373d7b48357c.txt")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    project = build_study(STUDY, tmp_path_factory.mktemp("study") / "bpjs.somecode")
    yield project
    project.close()


def _flat(text):
    return " ".join(text.split())


def test_every_turn_is_a_passage_the_paper_quotes(study):
    paper = _flat(shared_file(*PAPER).read_text(encoding="utf-8"))
    quoted = [_flat(q) for q in re.findall(r"“(.*?)”", paper) if len(q) > 100]
    turns = [(s.id, _flat(s.slice(t))) for s in study.sources("interview") for t in s.turns]
    assert sorted(text for _, text in turns) == sorted(quoted)  # all 12 passages, nothing else
    assert len(turns) == 12


def test_each_transcript_holds_only_its_informant(study):
    speakers = {s.id: {(t.speaker, t.informant) for t in s.turns} for s in study.sources("interview")}
    assert speakers == {
        "agustian-fardianto": {("Agustian Fardianto", "agustian-fardianto")},
        "muhammad-aditya-yoma": {("Muhammad Aditya Yoma", "muhammad-aditya-yoma")},
    }
    roles = {i.id: (i.name, i.attrs["role"]) for i in study.informants()}
    assert roles["agustian-fardianto"] == ("Agustian Fardianto",
                                           "Asisten Deputi Bidang Komunikasi Publik dan Hubungan Masyarakat")
    assert roles["muhammad-aditya-yoma"][0] == "Muhammad Aditya Yoma"


def test_every_coding_slices_its_source_exactly_and_matches_its_quote(study):
    with open(STUDY / "codings.paper.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = study.coding_records(coder="paper")
    assert len(records) == len(rows)  # every quote resolved, none merged away
    for row, coding in zip(rows, records):
        source = study.source(coding.source_id)
        coded = source.text[coding.start:coding.end]
        assert (row["source"], row["code"]) == (coding.source_id, coding.code_id)
        assert _flat(coded) == _flat(row["quote"])
        assert coding.text_hash == text_hash(coded)
        turn = source.turns[source.turn_index(coding.start)]
        assert turn.start <= coding.start < coding.end <= turn.end
    frame = study.codings()
    texts = {s.id: s.text for s in study.sources()}
    assert all(texts[r.source][r.start:r.end] == r.text for r in frame.itertuples())


def test_every_turn_slices_its_source(study):
    for source in study.sources():
        for turn in source.turns:
            piece = source.slice(turn)
            assert piece == piece.strip() and piece
            assert source.text.find(piece, turn.start) == turn.start


def test_the_inconsistent_attribution_is_recorded_in_a_memo(study):
    [coding] = [c for c in study.coding_records(coder="paper") if study.source(c.source_id).text[c.start:].startswith(
        "Untuk meningkatkan keterlibatan khalayak")]
    assert coding.source_id == "agustian-fardianto"
    assert "Muhammad Aditya Yoma" in coding.memo and "lead-in" in coding.memo


def test_stage_by_informant_table_matches_the_paper(tmp_path):
    # Derived by hand from the paper (section under which each quote is presented):
    # Agustian Fardianto: the opening strategy quote; Share ("Pertama, kita kan platform");
    #   Engage (Ade Rai; "Untuk meningkatkan keterlibatan", by its lead-in).
    # Muhammad Aditya Yoma: Share (Instagram since 2015; segmentation/trust); Optimize (reels and
    #   MML, one passage); Manage (Insights monitoring; rubric and hours; trends survey);
    #   Engage (KOL; segmentation quoted again).
    result = reproduce(tmp_path / "out", STUDY)
    try:
        expected = {"Agustian Fardianto": [1, 0, 0, 2, 1], "Muhammad Aditya Yoma": [2, 1, 3, 2, 0]}
        assert list(result.table.index) == ["share", "optimize", "manage", "engage", "strategy"]
        assert {c: result.table[c].tolist() for c in result.table.columns} == expected
        written = (tmp_path / "out" / "stage_by_informant.csv").read_text(encoding="utf-8").splitlines()
        assert written[0] == "stage,Agustian Fardianto,Muhammad Aditya Yoma"
        assert written[3] == "manage,0,3"
        assert result.summary["sources"] == 6 and result.summary["informants"] == 2
    finally:
        result.project.close()
