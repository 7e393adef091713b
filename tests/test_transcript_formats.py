"""Transcript layouts recognised by content (issue #15): fixtures written from each tool's documented
format (tests/fixtures/transcripts/README.md), label conventions, and the failure modes reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import somecode
from somecode.errors import SourceReadError, ValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
TIME_IN_TEXT = re.compile(r"-->|\b\d{1,2}:\d{2}\b|\[SPEAKER_\d+\]|<c>|Transcribed by")


def _turns(source):
    return [(t.speaker, source.slice(t), t.time_start) for t in source.turns]


def _no_times(source):
    for turn in source.turns:
        assert not TIME_IN_TEXT.search(source.slice(turn)), source.slice(turn)


@pytest.mark.parametrize("name, layout, expected", [
    ("teams.vtt", "webvtt", [("Rina Putri", "Terima kasih sudah bersedia.", 1.2),
                             ("Budi Santoso", "Sama-sama, senang bisa ikut. Silakan mulai.", 4.5),
                             ("Rina Putri", "Bagaimana awal mulanya?", 9.4)]),
    ("zoom.vtt", "webvtt", [("Host Dewi", "Selamat pagi semua.", 0.5), ("Arif", "Pagi, Bu. Saya siap.", 3.4)]),
    ("zoom_chat.txt", "zoom transcript", [("Dewi Lestari", "Kita mulai dari pengalaman Anda.", 36135.0),
                                          ("Arif Rahman", "Baik. Saya mulai tahun lalu.", 36151.0),
                                          ("Dewi Lestari", "Apa tantangannya?", 36182.0)]),
    ("whisperx.json", "whisperx json", [("SPEAKER_00", "Apa kabar hari ini?", 0.5),
                                        ("SPEAKER_01", "Baik, terima kasih.\nSaya baru pulang kerja.", 2.5),
                                        ("SPEAKER_00", "Ceritakan pekerjaan Anda.", 6.75)]),
    ("whisperx.srt", "srt", [("SPEAKER_00", "Apa kabar hari ini?", 0.5),
                             ("SPEAKER_01", "Baik, terima kasih. Saya baru pulang kerja.", 2.5)]),
    ("rev.txt", "rev/descript/trint", [("Interviewer", "Thanks for joining me today.", 0.0),
                                       ("Maria Lopez", "Happy to be here.", 4.0),
                                       ("Interviewer", "Tell me about your first year.", 7.0),
                                       ("Maria Lopez", "It was hard at first.", 75.0)]),
    ("otter.txt", "otter", [("Interviewer", "Thanks for coming in.", 0.0), ("Unknown Speaker", "No problem.", 5.0),
                            ("Ana Silva", "I brought my notes.", 9.0), ("Interviewer", "Great, let us start.", 15.0)]),
    ("word_transcribe.txt", "word transcribe", [("Speaker 1", "Good morning, can you hear me?", 3.0),
                                                ("Speaker 2", "Yes, loud and clear.", 6.0),
                                                ("Speaker 1", "Let us begin with your role.", 9.0)]),
    ("stamps.txt", "timestamp lines", [("Interviewer", "How did it start?", 5.0),
                                       ("Ana", "With a phone call.\nIt took a week to decide.", 12.0)]),
])
def test_documented_layouts(name, layout, expected):
    source = somecode.read_source(FIXTURES / name)
    assert source.attrs["reading"]["format"] == layout
    assert _turns(source) == expected
    _no_times(source)


def test_interviewer_roles_are_recognised_in_fixtures():
    rev = somecode.read_source(FIXTURES / "rev.txt")
    assert rev.attrs["reading"]["roles"] == {"Interviewer": "interviewer", "Maria Lopez": "informant"}
    assert rev.informants == ["maria-lopez"]
    otter = somecode.read_source(FIXTURES / "otter.txt")
    assert otter.attrs["reading"]["dropped"] == ["Otter footer"] and "otter.ai" not in otter.text


def test_rolling_auto_captions_collapse_to_clean_text():
    source = somecode.read_source(FIXTURES / "youtube_auto.vtt")
    assert source.attrs["reading"]["format"] == "rolling captions"
    assert [(source.slice(t), t.time_start) for t in source.turns] == [
        ("so today we talk", 0.16), ("about the new clinic", 2.2), ("and its hours", 4.64)]
    _no_times(source)


@pytest.mark.parametrize("text, roles", [
    ("I: How long?\nR: Two years.\nI: Why?\nR: Money.\n", {"I": "interviewer", "R": "informant"}),
    ("Q: How long?\nA: Two years.\nQ: Why?\nA: Money.\n", {"Q": "interviewer", "A": "informant"}),
    ("INTERVIEWER: Where were you born?\nNARRATOR: In Medan.\nINTERVIEWER: When?\nNARRATOR: 1950.\n",
     {"INTERVIEWER": "interviewer", "NARRATOR": "informant"}),
    ("Interviewer: Hello.\nParticipant 3: Hi.\nInterviewer: Ready?\nParticipant 3: Yes.\n",
     {"Interviewer": "interviewer", "Participant 3": "informant"}),
    ("Pewawancara: Sejak kapan?\nNarasumber: Sejak 2019.\nPewawancara: Mengapa?\nInforman: Karena dekat.\n",
     {"Pewawancara": "interviewer", "Narasumber": "informant", "Informan": "informant"}),
    ("P: Sejak kapan?\nJ: Sejak 2019.\nP: Mengapa?\nJ: Dekat.\n", {"P": "interviewer", "J": "informant"}),
    ("T: Sejak kapan?\nJ: Sejak 2019.\nT: Mengapa?\nJ: Dekat.\n", {"T": "interviewer", "J": "informant"}),
    ("Tanya: Sejak kapan?\nJawab: Sejak 2019.\nTanya: Mengapa?\nJawab: Dekat.\n",
     {"Tanya": "interviewer", "Jawab": "informant"}),
    ("**I:** Sejak kapan?\n\n**R1:** Sejak 2019.\n\n**I:** Mengapa?\n\n**R1:** Dekat.\n",
     {"I": "interviewer", "R1": "informant"}),
    ("[0:00:01.5] INT: Since when?\n[0:00:04.0] AB: Since 2019.\n[0:00:09.2] INT: Why?\n",
     {"INT": "interviewer", "AB": "informant"}),
])
def test_label_conventions_and_roles(tmp_path, text, roles):
    path = tmp_path / "interview.md"
    path.write_text(text, encoding="utf-8")
    source = somecode.read_source(path)
    reading = source.attrs["reading"]
    assert reading["roles"] == roles
    assert sum(reading["speakers"].values()) == len(text.strip().split("\n\n" if "**" in text else "\n"))
    for turn in source.turns:
        assert (turn.informant is None) == (roles[turn.speaker] == "interviewer")
    _no_times(source)


def test_declared_speakers_that_never_occur_are_an_error(tmp_path):
    path = tmp_path / "otter.txt"
    path.write_text((FIXTURES / "otter.txt").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"'Ana Silvia' never occurs \(did you mean 'Ana Silva'\?\).*"
                                              r"found: 'Interviewer', 'Unknown Speaker', 'Ana Silva'"):
        somecode.read_source(path, speakers={"Interviewer": "interviewer", "Ana Silvia": "informant"})
    # the right labels are used: Ana Silva's turns carry her informant id
    source = somecode.read_source(path, speakers={"Interviewer": "interviewer", "Ana Silva": "Ana S."})
    assert source.informants == ["ana-s", "unknown-speaker"] or "ana-s" in source.informants


def test_declared_speakers_missing_in_plain_labels(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Peneliti: Apa?\nAni: Reels.\n", encoding="utf-8")
    with pytest.raises(SourceReadError, match="'Budi' never occurs"):
        somecode.read_source(path, speakers={"Peneliti": "interviewer", "Budi": "informant"})


def test_roles_and_interviewers_options(tmp_path):
    path = FIXTURES / "zoom_chat.txt"
    source = somecode.read_source(path, interviewers=["Dewi Lestari"])
    assert source.attrs["reading"]["roles"] == {"Dewi Lestari": "interviewer", "Arif Rahman": "informant"}
    assert source.informants == ["arif-rahman"]
    source = somecode.read_source(path, roles={"Arif Rahman": "other"})
    assert "arif-rahman" not in source.informants
    with pytest.raises(ValidationError, match="did you mean 'interviewer'"):
        somecode.read_source(path, roles={"Dewi Lestari": "interviewr"})


def _docx(path, paragraphs=(), table=None):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold in runs:
            paragraph.add_run(text).bold = bold
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def test_docx_otter_headers_keep_the_interviewer_and_drop_times(tmp_path):
    path = _docx(tmp_path / "i.docx", [[("Interviewer  46:16", False)], [("Sejak kapan?", False)],
                                       [("Ani  46:20", False)], [("Sejak 2019.", False)],
                                       [("Interviewer  46:31", False)], [("Mengapa?", False)]])
    source = somecode.read_source(path)
    assert _turns(source) == [("Interviewer", "Sejak kapan?", 2776.0), ("Ani", "Sejak 2019.", 2780.0),
                              ("Interviewer", "Mengapa?", 2791.0)]
    assert source.informants == ["ani"]
    _no_times(source)


def test_docx_bold_labels_with_times(tmp_path):
    path = _docx(tmp_path / "b.docx", [[("Interviewer", True), (" 46:16 Sejak kapan?", False)],
                                       [("Ani:", True), (" Sejak 2019.", False)],
                                       [("Interviewer", True), (" 46:40 Mengapa?", False)]])
    source = somecode.read_source(path)
    assert _turns(source) == [("Interviewer", "Sejak kapan?", 2776.0), ("Ani", "Sejak 2019.", None),
                              ("Interviewer", "Mengapa?", 2800.0)]
    assert source.informants == ["ani"] and source.attrs["reading"]["roles"]["Interviewer"] == "interviewer"


def test_docx_table_transcript(tmp_path):
    path = _docx(tmp_path / "t.docx", [[("Wawancara", False)]],
                 table=[["00:01", "Pewawancara", "Sejak kapan?"], ["00:05", "Ani", "Sejak 2019."],
                        ["", "", "Dulu di Bandung."], ["00:20", "Pewawancara", "Mengapa?"]])
    source = somecode.read_source(path)
    assert source.attrs["reading"]["format"] == "docx table"
    assert _turns(source) == [("Pewawancara", "Sejak kapan?", 1.0), ("Ani", "Sejak 2019.\nDulu di Bandung.", 5.0),
                              ("Pewawancara", "Mengapa?", 20.0)]


def test_unknown_speaker_is_not_an_informant():
    source = somecode.read_source(FIXTURES / "otter.txt")
    assert source.attrs["reading"]["roles"]["Unknown Speaker"] == "other"
    assert source.informants == ["ana-silva"]


def test_inspect_reports_each_file_without_adding_it(tmp_path, capsys):
    bad = tmp_path / "bad.vtt"
    bad.write_text("no header\n", encoding="utf-8")
    table = somecode.inspect([FIXTURES / "otter.txt", FIXTURES / "youtube_auto.vtt", bad])
    assert list(table["format"][:2]) == ["otter", "rolling captions"]
    otter = table.iloc[0]
    assert otter["speakers"] == "Interviewer 2 (interviewer); Unknown Speaker 1 (other); Ana Silva 1 (informant)"
    assert otter["first_turn"] == "Interviewer: Thanks for coming in." and "Otter footer" in otter["notes"]
    assert "WEBVTT" in table.iloc[2]["notes"]
    from somecode.cli import main
    assert main(["inspect", str(FIXTURES / "rev.txt"), "--interviewer", "Maria Lopez"]) == 0
    out = capsys.readouterr().out
    assert "format: rev/descript/trint" in out and "Maria Lopez 2 (interviewer)" in out
