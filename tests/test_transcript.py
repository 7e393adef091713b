"""Text and Markdown transcripts: front matter, turns, timestamps, speakers, documents."""

import pytest

from somecode import SourceReadError, read_source
from somecode.sources.transcript import parse_transcript

FRONT = """---
id: af-2023
informant: Agustian Fardianto
role: Asisten Deputi
date: 2023-11-21
speakers: {Peneliti: interviewer, Agustian Fardianto: informant}
---
"""


def test_front_matter_turns_and_informant():
    body = ("[00:00:05] Peneliti: Apa strategi khusus?\n"
            "[00:01:10] Agustian Fardianto: Isi kontennya harus menarik,\n"
            "lalu produksi dan tayang.\n\n"
            "Peneliti: Followers?\n"
            "Agustian Fardianto: Reach yang penting.\n")
    source = parse_transcript(FRONT + body, "af.md")
    assert source.id == "af-2023" and source.kind == "interview"
    assert source.text == body
    got = [(t.speaker, t.informant, t.time_start, source.slice(t)) for t in source.turns]
    assert got == [
        ("Peneliti", None, 5.0, "Apa strategi khusus?"),
        ("Agustian Fardianto", "agustian-fardianto", 70.0,
         "Isi kontennya harus menarik,\nlalu produksi dan tayang."),
        ("Peneliti", None, None, "Followers?"),
        ("Agustian Fardianto", "agustian-fardianto", None, "Reach yang penting."),
    ]
    assert source.attrs["date"] == "2023-11-21"
    assert source.attrs["informants"] == {
        "agustian-fardianto": {"name": "Agustian Fardianto", "role": "Asisten Deputi"}}


def test_declared_speakers_are_the_only_labels():
    body = "Agustian Fardianto: Rubrik kami:\nHari Senin: informasi.\nPeneliti: Lalu?\n"
    source = parse_transcript(FRONT + body, "af.md")
    assert [source.slice(t) for t in source.turns] == ["Rubrik kami:\nHari Senin: informasi.", "Lalu?"]


def test_speaker_map_can_name_the_informant():
    text = "---\nspeakers: {AF: Agustian Fardianto, P: interviewer}\n---\nP: Apa?\nAF: Konten.\n"
    source = parse_transcript(text, "af.txt")
    assert [(t.speaker, t.informant) for t in source.turns] == [("P", None), ("AF", "agustian-fardianto")]
    assert source.attrs["informants"]["agustian-fardianto"]["name"] == "Agustian Fardianto"


def test_undeclared_labels_and_interviewer_names():
    text = "Interviewer: Kapan?\nAni: Jam 12.\nHari Senin: info\nInterviewer: Lalu?\nAni: Sore.\n"
    source = parse_transcript(text, "ani.txt")
    assert [(t.speaker, t.informant) for t in source.turns] == [
        ("Interviewer", None), ("Ani", "ani"), ("Interviewer", None), ("Ani", "ani")]
    assert source.slice(source.turns[1]) == "Jam 12.\nHari Senin: info"


def test_text_without_labels_is_one_document_of_paragraphs():
    source = parse_transcript("Judul\n\nParagraf satu,\nbaris dua.\n\n- butir a\n- butir b\n", "doc.txt")
    assert source.kind == "document" and source.id == "doc"
    assert [source.slice(t) for t in source.turns] == [
        "Judul", "Paragraf satu,\nbaris dua.", "- butir a", "- butir b"]


def test_crlf_and_bom_are_canonicalised(tmp_path):
    path = tmp_path / "Wawancara Ani.txt"
    path.write_bytes("\ufeffPeneliti: Apa?\r\nAni: Reels\r\nsaja.\r\n".encode("utf-8"))
    source = read_source(path)
    assert source.id == "wawancara-ani"
    assert source.text == "Peneliti: Apa?\nAni: Reels\nsaja.\n"
    assert source.slice(source.turns[1]) == "Reels\nsaja."


def test_bad_yaml_front_matter_names_line_and_column():
    with pytest.raises(SourceReadError) as err:
        parse_transcript("---\nid: a\nspeakers: {Ani: [informant\n---\nAni: x\n", "bad.md")
    assert err.value.path == "bad.md"
    assert err.value.place.startswith("line 4")


def test_unclosed_front_matter_is_an_error():
    with pytest.raises(SourceReadError, match="never closed"):
        parse_transcript("---\nid: a\nAni: x\n", "open.md")


def test_bad_kind_is_an_error():
    with pytest.raises(SourceReadError, match="kind 'memo'"):
        parse_transcript("---\nkind: memo\n---\ntext\n", "k.md")


def test_group_interview_speakers_carry_their_own_attributes():
    text = ("---\nspeakers:\n  P: interviewer\n  Ani: {role: informant, attrs: {role: staff, unit: humas}}\n"
            "  Budi: {attrs: {role: deputy}}\n---\nP: Apa?\nAni: Reels.\nBudi: Insight.\n")
    source = parse_transcript(text, "group.md")
    assert source.attrs["informants"] == {"ani": {"name": "Ani", "role": "staff", "unit": "humas"},
                                          "budi": {"name": "Budi", "role": "deputy"}}
