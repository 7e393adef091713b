"""Corrected sources: the ways re-anchoring used to put codings on the wrong words, each refused now."""

from __future__ import annotations

import time

import pytest
from conftest import STUDY, project_dump

import somecode
from somecode import SourceReadError
from somecode.project.anchoring import position_map

ANSWER = "kami pakai reels setiap hari"  # 28 characters: long enough to count as distinctive
TEXT = (f"Peneliti: Jadi {ANSWER}?\n"
        f"Ani: Ya, {ANSWER}.\n"
        "Peneliti: Oke, terima kasih.\n")


def _turns(text: str) -> list[somecode.Turn]:
    turns, at = [], 0
    for line in text.splitlines(keepends=True):
        label, _, rest = line.partition(": ")
        start = at + len(label) + 2
        turns.append(somecode.Turn(start, start + len(rest.rstrip("\n")), label,
                                   "ani" if label == "Ani" else None))
        at += len(line)
    return turns


def _interview(text: str) -> somecode.Source:
    return somecode.Source.from_text("ani", text, kind="interview", turns=_turns(text))


@pytest.fixture
def coded(project):
    project.add_source(_interview(TEXT))
    project.add_code("optimize")
    project.code_quote("ani", ANSWER, "optimize", coder="nida", occurrence=2)
    return project


def test_a_deleted_answer_is_not_moved_onto_the_interviewers_question(coded):
    without_answer = TEXT.replace(f"Ani: Ya, {ANSWER}.\n", "")
    report = coded.update_source("ani", _interview(without_answer))
    assert report["method"].tolist() == ["orphaned"]
    assert coded.coding_records() == []
    assert coded.orphans()["old_text"].tolist() == [ANSWER]


def _study_text(project, source_id):
    raw = (STUDY / "sources" / f"{source_id}.md").read_text(encoding="utf-8")
    body = project.source(source_id).text
    return raw[:len(raw) - len(body)] if raw.endswith(body) else None, body


@pytest.fixture
def study(tmp_path):
    with somecode.build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        yield project


def _placed_texts(project, source_id):
    text = project.source(source_id).text
    return {c.id: text[c.start:c.end] for c in project.coding_records(source=source_id)}


def test_a_typo_fix_and_a_new_paragraph_do_not_grow_a_coding(study):
    source_id = "muhammad-aditya-yoma"
    front, body = _study_text(study, source_id)
    before = _placed_texts(study, source_id)
    coding = study.coding_records(source=source_id)[0]
    turn_end = body.index("\n", coding.end) if "\n" in body[coding.end:] else len(body)
    typo = body.index(" ", coding.start + 5)
    added = "\n\nCatatan: paragraf baru yang tidak dikode siapa pun di sini."
    corrected = body[:typo] + "  " + body[typo + 1:turn_end] + added + body[turn_end:]
    study.update_source(source_id, text=front + corrected)
    after = _placed_texts(study, source_id)
    for coding_id, words in after.items():
        assert "paragraf baru" not in words
        assert len(words) <= len(before[coding_id]) + 1


def test_reordered_paragraphs_move_no_word_into_another_turn(study):
    source_id = "agustian-fardianto"
    front, body = _study_text(study, source_id)
    paragraphs = body.split("\n\n")
    assert len(paragraphs) >= 3
    paragraphs[0], paragraphs[1] = paragraphs[1], paragraphs[0]
    before = _placed_texts(study, source_id)
    study.update_source(source_id, text=front + "\n\n".join(paragraphs))
    source = study.source(source_id)
    for coding in study.coding_records(source=source_id):
        assert source.text[coding.start:coding.end] == before[coding.id]
        inside = [t for t in source.turns if t.start < coding.end and coding.start < t.end]
        assert len({t.informant for t in inside}) == 1


def test_a_misspelt_file_name_is_an_error_not_the_new_text(coded):
    before = project_dump(coded)
    with pytest.raises(SourceReadError, match="ani-v2.md: no such file.*text="):
        coded.update_source("ani", "transcripts/ani-v2.md")
    assert project_dump(coded) == before


def test_a_long_string_is_taken_for_a_path_and_refused_as_ours(coded):
    before = project_dump(coded)
    with pytest.raises(SourceReadError):
        coded.update_source("ani", "x" * 300)
    assert project_dump(coded) == before


def test_text_with_a_nul_is_refused(coded):
    before = project_dump(coded)
    with pytest.raises(SourceReadError, match="U\\+0000"):
        coded.update_source("ani", text=TEXT.replace("Oke", "O\x00ke"))
    assert project_dump(coded) == before


def test_the_new_version_is_given_once(coded):
    with pytest.raises(somecode.ValidationError, match="once"):
        coded.update_source("ani")
    with pytest.raises(somecode.ValidationError, match="once"):
        coded.update_source("ani", "a.md", text=TEXT)


def _best_of(runs, function, *args):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return min(times)


def test_alignment_grows_with_the_length_not_its_square():
    paragraph = "Kami pakai reels setiap hari, dan insight kami pantau tiap minggu bersama tim.\n"
    short = paragraph * 1_300                 # ~100 KB
    long = paragraph * 13_000                 # ~1 MB
    edits = lambda text: text[:len(text) // 3] + "x" + text[len(text) // 3 + 1:len(text) // 2] + "yy" + text[len(text) // 2:]  # noqa: E731
    small = _best_of(3, position_map, short, edits(short))
    large = _best_of(3, position_map, long, edits(long))
    assert large < 40 * max(small, 1e-3), (small, large)  # ten times the text: ~10x, never ~100x
    assert large < 10.0


def test_a_one_character_fix_in_a_50_kb_transcript_is_quick(project):
    body = "".join(f"Ani: Jawaban nomor {n} tentang reels dan insight setiap minggu.\n" for n in range(800))
    project.add_source(somecode.Source.from_text("long", body, kind="document"))
    project.add_code("optimize")
    project.code("long", 100, 140, "optimize", coder="nida")
    started = time.perf_counter()
    project.update_source("long", somecode.Source.from_text("long", body.replace("nomor 400", "nomer 400"),
                                                            kind="document"))
    assert time.perf_counter() - started < 5.0
