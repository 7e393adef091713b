"""Codings that survive corrected transcripts: each re-anchoring method, orphans, undo, doctor, and
200 random edits to the bundled transcripts checked against their known edit maps."""

import numpy as np
import pytest
from conftest import STUDY, project_dump
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import somecode
from somecode.project.reanchor import reanchor
from somecode.sources.transcript import split_front_matter
from somecode.study import build_study

OLD = "Ani: Kami pakai reels setiap hari. Insight dipantau tiap minggu. Reels disukai."


def test_each_method_by_hand():
    spans = [(16, 21), (29, 34), (35, 42), (65, 70)]
    assert [OLD[a:b] for a, b in spans] == ["reels", "hari.", "Insight", "Reels"]
    new = "Ani: Kami memakai reels setiap hari!! Insight dipantau tiap minggu."
    placed = reanchor(OLD, new, spans)
    # "reels": 2 characters ("me") inserted before it -> shifted to [18, 23)
    assert placed[0] == (18, 23, "shifted", 1.0) and new[18:23] == "reels"
    # "hari.": its last character became "!!" -> an edge was edited -> orphaned, never guessed
    assert placed[1][2] == "orphaned"
    # "Insight": 3 characters more before it -> [38, 45)
    assert placed[2] == (38, 45, "shifted", 1.0) and new[38:45] == "Insight"
    # "Reels": the last sentence was deleted -> orphaned
    assert placed[3][2] == "orphaned"


def test_fuzzy_and_moved():
    old = "Pertama kami pakai reels. Kedua, kami pantau insight setiap minggu."
    fixed_typo = "Pertama kami pakai reels. Kedua, kami pantau insigth setiap minggu."
    [(start, end, method, score)] = reanchor(old, fixed_typo, [(33, 67)])
    assert (start, end, method) == (33, 67, "fuzzy") and score > 0.9
    moved = "Kedua, kami pantau insight setiap minggu. Pertama kami pakai reels."
    [(start, end, method, _)] = reanchor(old, moved, [(0, 25)])
    assert (moved[start:end], method) == ("Pertama kami pakai reels.", "moved")


@pytest.fixture
def coded(project):
    project.add_source(somecode.Source.from_text("s", OLD, kind="interview",
                                                 turns=[somecode.Turn(5, len(OLD), "Ani", "ani")]))
    project.add_codes([somecode.Code("optimize"), somecode.Code("manage")])
    project.code("s", 16, 21, "optimize", coder="nida", memo="fitur")   # reels
    project.code("s", 35, 42, "manage", coder="nida")                  # Insight
    project.code("s", 65, 70, "optimize", coder="nida")                 # Reels
    return project


def _data(project):
    """The project's content, without the append-only log and undo records."""
    return {k: v for k, v in project_dump(project).items() if k not in ("events", "undo_log")}


def test_update_source_reports_keeps_orphans_and_undoes(coded):
    before = _data(coded)
    new = "Ani: Kami memakai reels setiap hari. Insight dipantau tiap minggu."
    report = coded.update_source("s", somecode.Source.from_text(
        "s", new, kind="interview", turns=[somecode.Turn(5, len(new), "Ani", "ani")]))
    assert report["method"].tolist() == ["shifted", "shifted", "orphaned"]
    assert [coded.source("s").text[c.start:c.end] for c in coded.coding_records()] == ["reels", "Insight"]
    orphans = coded.orphans()
    assert orphans[["code", "old_text"]].values.tolist() == [["optimize", "Reels"]]
    assert coded.check()["what"].tolist() == ["notice"]
    coded.undo()
    assert _data(coded) == before


def test_an_orphan_can_be_reattached_by_hand(coded):
    new = "Ani: Kami pakai reels setiap hari. Insight dipantau tiap minggu. Video pendek disukai."
    coded.update_source("s", somecode.Source.from_text("s", new, kind="interview",
                                                        turns=[somecode.Turn(5, len(new), "Ani", "ani")]))
    [orphan] = coded.orphans().itertuples()
    coding = coded.reattach(orphan.id, 65, 77, by="nida")
    assert coded.source("s").text[coding.start:coding.end] == "Video pendek" and coding.code_id == "optimize"
    assert coded.orphans().empty and coded.check().empty


def test_speaker_relabelling_rebuilds_turns(tmp_path):
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        raw = (STUDY / "sources" / "agustian-fardianto.md").read_text(encoding="utf-8")
        relabelled = raw.replace("speakers: {Agustian Fardianto: informant}",
                                 "speakers: {AF: Agustian Fardianto}").replace("Agustian Fardianto: ", "AF: ")
        report = project.update_source("agustian-fardianto", text=relabelled)
        assert set(report["method"]) == {"shifted"}
        frame = project.codings(coders="paper", source="agustian-fardianto")
        assert set(frame["speaker"]) == {"AF"} and set(frame["informant"]) == {"agustian-fardianto"}
        assert project.check().empty


def test_doctor_finds_a_damaged_coding(coded, capsys):
    from somecode.cli import main

    assert coded.check().empty
    coded.store.conn.execute("UPDATE codings SET text_hash = '0000000000000000' WHERE id = 1")
    problems = coded.check()
    assert problems[["what", "where"]].values.tolist() == [["coding", "coding 1"]]
    assert main(["doctor", str(coded.path)]) == 1
    assert "changed since it was coded" in capsys.readouterr().out


# ------------------------------------------------------------------ 200 random edits
PRIVATE = "\ue000\ue001\ue002\ue003"  # characters no transcript holds: inserted text cannot be
# mistaken for old text, so the edit map is the only right answer


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    with build_study(STUDY, tmp_path_factory.mktemp("edits") / "bpjs.somecode") as project:
        yield project


@st.composite
def edits(draw, text):
    kind = draw(st.sampled_from(["insert", "delete", "substitute", "rewrap", "relabel"]))
    n = len(text)
    if kind == "insert":
        at = draw(st.integers(0, n))
        return at, at, draw(st.text(PRIVATE, min_size=1, max_size=30))
    if kind in ("delete", "substitute"):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, min(n, a + 400)))
        # a deleted block that could slide (old[a] == old[b]) has two right answers; keep one
        assume(b == n or text[a] != text[b])
        assume(a == 0 or text[a - 1] != text[b - 1])
        return a, b, "" if kind == "delete" else draw(st.text(PRIVATE, min_size=1, max_size=30))
    if kind == "rewrap":
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        at = draw(st.sampled_from(spaces))
        return at, at + 1, "\n"
    labels = [i for i in range(n) if text.startswith("Muhammad Aditya Yoma:", i) or
              text.startswith("Agustian Fardianto:", i)]
    at = draw(st.sampled_from(labels))
    end = text.index(":", at)
    return at, end, draw(st.sampled_from(["MAY", "Informan", "Agus"]))


def speakers(turns, start, end):
    """The informants of the turns a span overlaps."""
    return [t.informant for t in turns if t.start < end and start < t.end]


def edit_map(n, a, b, inserted):
    mapping = np.arange(n)
    mapping[a:b] = -1
    mapping[b:] += len(inserted) - (b - a)
    return mapping


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.filter_too_much])
@given(st.data())
def test_random_edits_anchor_exactly_or_orphan(study, data):
    source_id = data.draw(st.sampled_from(["agustian-fardianto", "muhammad-aditya-yoma"]))
    raw = (STUDY / "sources" / f"{source_id}.md").read_text(encoding="utf-8")
    front = raw[:len(raw) - len(split_front_matter(raw, "x")[1])]
    old = study.source(source_id).text
    a, b, inserted = data.draw(edits(old))
    new = old[:a] + inserted + old[b:]
    mapping = edit_map(len(old), a, b, inserted)
    before = {c.id: c for c in study.coding_records(source=source_id)}
    old_turns = study.source(source_id).turns
    report = study.update_source(source_id, text=front + new)
    try:
        for row in report.itertuples():
            old_coding = before[row.coding]
            first, last = mapping[old_coding.start], mapping[old_coding.end - 1]
            # untouched: every coded character survives and nothing was inserted between them
            untouched = (mapping[old_coding.start:old_coding.end] >= 0).all() and (
                last - first == old_coding.end - 1 - old_coding.start)
            if row.method == "orphaned":
                # an untouched coding is orphaned only when the edit took its words from their speaker
                assert not untouched or speakers(old_turns, old_coding.start, old_coding.end) != speakers(
                    study.source(source_id).turns, first, last + 1), "an untouched coding must never be orphaned"
                continue
            assert first >= 0 and last >= 0, f"{row.method} anchor for a coding whose edge was edited"
            assert (row.new_start, row.new_end) == (first, last + 1), row.method
        assert study.check().empty or set(study.check()["what"]) == {"notice"}
    finally:
        study.undo()
    assert study.source(source_id).text == old
    assert {c.id: c for c in study.coding_records(source=source_id)} == before
