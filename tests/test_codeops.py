"""Codebook operations on a project: each one transaction and one event; undo restores exactly."""

from collections import Counter

import pytest
from conftest import ROOT, project_dump
from hypothesis import given, settings
from hypothesis import strategies as st

import somecode
from somecode import Code, ConflictError, NotFoundError, SomecodeError, ValidationError
from somecode.codebook import Codebook

TEXT = "Reels disukai. Insight dipantau. Lomba untuk umum. KOL diajak kerja sama."


def spans(project):
    return Counter((c.source_id, c.start, c.end, c.code_id, c.coder_id) for c in project.coding_records())


def state(project):
    dump = project_dump(project)
    return {k: dump[k] for k in ("codes", "codings")}


@pytest.fixture
def book(project):
    project.add_source(somecode.Source.from_text("doc", TEXT, kind="document"))
    project.add_codes([Code("optimize", label="Optimize", labels={"en": "Optimize"}),
                       Code("optimize.reels", "optimize", "Reels"),
                       Code("manage", label="Manage"), Code("manage.insight", "manage", "Insight"),
                       Code("engage", label="Engage")])
    project.code("doc", 0, 5, "optimize.reels", coder="nida", memo="fitur")
    project.code("doc", 0, 5, "optimize", coder="nida", memo="stage")
    project.code("doc", 15, 22, "manage.insight", coder="budi")
    return project


def test_relabel_keeps_codings_and_is_logged(book):
    before = spans(book)
    book.relabel_code("optimize", "Optimalisasi", language="id", by="nida")
    code = book.code_by_id("optimize")
    assert code.labels == {"en": "Optimize", "id": "Optimalisasi"} and code.label == "Optimize"
    assert spans(book) == before
    event = book.events().iloc[-1]
    assert (event["by"], event["action"], event["payload"]["new"]) == ("nida", "relabel", "Optimalisasi")


def test_move_refuses_cycles(book):
    book.move_code("manage.insight", "optimize")
    assert book.code_by_id("manage.insight").parent == "optimize"
    with pytest.raises(ValidationError, match="own descendants"):
        book.move_code("optimize", "manage.insight")
    with pytest.raises(NotFoundError):
        book.move_code("optimize", "nowhere")


def test_merge_moves_codings_collapses_duplicates_and_keeps_memos(book):
    book.merge_codes("optimize.reels", into="optimize")
    records = book.coding_records(code="optimize")
    assert [(c.start, c.end, c.coder_id) for c in records] == [(0, 5, "nida")]
    assert records[0].memo == "stage\nfitur"
    assert "optimize.reels" not in book.code_ids()
    assert book.events().iloc[-1]["payload"]["collapsed"] == 1


def test_split_moves_only_the_listed_codings(book):
    second = book.code("doc", 33, 38, "optimize.reels", coder="nida")
    first = book.coding_records(code="optimize.reels")[0]
    book.split_code("optimize.reels", {Code("optimize.reels_video", "optimize", "Reels video"): [second.id]})
    assert [c.id for c in book.coding_records(code="optimize.reels_video")] == [second.id]
    assert [c.id for c in book.coding_records(code="optimize.reels")] == [first.id]
    with pytest.raises(ValidationError, match="not a coding of 'optimize.reels'"):
        book.split_code("optimize.reels", {"optimize.other": [second.id]})
    assert "optimize.other" not in book.code_ids()


def test_delete_is_refused_then_reassigned_or_forced_and_undone(book):
    before = state(book)
    with pytest.raises(ConflictError, match="has 1 codings"):
        book.delete_code("manage.insight")
    assert state(book) == before
    book.delete_code("manage.insight", reassign="manage")
    assert [c.code_id for c in book.coding_records(coder="budi")] == ["manage"]
    book.undo()
    assert state(book) == before
    book.delete_code("manage.insight", force=True)
    assert not book.coding_records(coder="budi")
    assert book.undo()["action"] == "delete_code"
    assert state(book) == before


def test_undo_goes_back_step_by_step_and_says_when_there_is_nothing(book):
    states = [state(book)]
    setup, logged = len(book.history()), len(book.events())  # the fixture's own operations come first
    book.relabel_code("engage", "Keterlibatan", language="id")
    states.append(state(book))
    book.merge_codes("optimize.reels", into="optimize")
    assert book.undo()["action"] == "merge"
    assert state(book) == states[1]
    assert book.undo()["action"] == "relabel"
    assert state(book) == states[0]
    for _ in range(setup):
        book.undo()
    with pytest.raises(SomecodeError, match="nothing to undo"):
        book.undo()
    assert book.events()["action"].tolist()[logged:logged + 4] == ["relabel", "merge", "undo", "undo"]


def test_undo_refuses_when_later_work_depends_on_it(book):
    book.delete_code("manage.insight", force=True)
    deleted = int(book.history()["id"].iloc[-1])
    book.add_code(Code("manage.insight", "engage", "A new code under the old id"))
    before = state(book)
    with pytest.raises(ConflictError, match="cannot undo delete_code.*add_code.*Nothing was changed"):
        book.undo(operation=deleted)
    assert state(book) == before


def test_set_codebook_shows_the_difference_and_blocks_lost_codings(book):
    new = Codebook([Code("optimize", label="Optimize", labels={"en": "Optimize"}),
                    Code("manage", label="Manage"), Code("manage.insight", "optimize", "Insight"),
                    Code("engage", label="Engage", labels={"en": "Engage", "id": "Keterlibatan"}),
                    Code("engage.reach", "engage", "Reach")])
    diff = book.codebook_diff(new)
    assert sorted(map(tuple, diff[["code", "change", "codings"]].values.tolist())) == [
        ("engage", "relabelled", 0), ("engage.reach", "added", 0), ("manage.insight", "moved", 1),
        ("optimize.reels", "removed", 1)]
    before = state(book)
    with pytest.raises(ConflictError, match=r"optimize.reels \(1 codings\)"):
        book.set_codebook(new)
    assert state(book) == before
    book.set_codebook(new, reassign={"optimize.reels": "optimize"})
    assert book.code_ids() == ["optimize", "manage.insight", "manage", "engage", "engage.reach"]
    assert sum(spans(book).values()) == 2  # the reels coding collapsed into the stage coding
    book.undo()
    assert state(book) == before


def test_loading_the_some_codebook_into_a_project(project):
    diff = project.set_codebook(ROOT / "codebooks" / "some.yaml")
    assert (diff["change"] == "added").sum() == 19
    assert project.codebook() == Codebook.load(ROOT / "codebooks" / "some.yaml")
    assert project.set_codebook(ROOT / "codebooks" / "some.yaml").empty  # nothing changes


# ---------------------------------------------------------------- property test
CODE_IDS = ["a", "a.x", "a.y", "b", "b.z", "c"]


@st.composite
def projects_and_operations(draw):
    codings = draw(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 10), st.sampled_from(CODE_IDS),
                                      st.sampled_from(["nida", "budi"])), max_size=25))
    ops = draw(st.lists(st.tuples(st.sampled_from(["relabel", "move", "merge", "split", "delete",
                                                   "delete_force", "delete_reassign", "undo"]),
                                  st.sampled_from(CODE_IDS), st.sampled_from(CODE_IDS + [None]),
                                  st.integers(0, 1000)), max_size=8))
    return codings, ops


def _expected_after(op, target, other, before: Counter, moved_ids, records_before) -> Counter | None:
    """The multiset of coded spans each operation must leave (None: not checked here)."""
    def remap(new):
        return Counter({(s, a, b, new if c == target else c, k): 1 for (s, a, b, c, k) in before})
    if op in ("relabel", "move"):
        return before
    if op in ("merge", "delete_reassign"):
        return remap(other)
    if op == "delete_force":
        return Counter({k: n for k, n in before.items() if k[3] != target})
    if op == "split":
        return Counter((c.source_id, c.start, c.end, f"{target}_part" if c.id in moved_ids else c.code_id,
                        c.coder_id) for c in records_before)
    return None


@settings(max_examples=60, deadline=None)
@given(projects_and_operations())
def test_random_operations_keep_every_coding_and_undo_restores_exactly(tmp_path_factory, case):
    codings, ops = case
    path = tmp_path_factory.mktemp("ops") / "p.somecode"
    with somecode.Project.create(path) as project:
        project.add_source(somecode.Source.from_text("doc", TEXT, kind="document"))
        project.add_codes(Code(c, c.split(".")[0] if "." in c else None, c.upper()) for c in CODE_IDS)
        project.add_codings(somecode.Coding("doc", s, s + n, c, k) for s, n, c, k in codings)
        history = []
        for op, target, other, seed in ops:
            before, snapshot, all_before = spans(project), state(project), project.coding_records()
            records = project.coding_records(code=target) if target in project.code_ids() else []
            moved = {r.id for i, r in enumerate(records) if (seed >> i) & 1}
            if op == "undo" and not history:
                continue  # undo would reach the set-up above, which this test does not track
            try:
                if op == "relabel":
                    project.relabel_code(target, f"L{seed}")
                elif op == "move":
                    project.move_code(target, other)
                elif op == "merge":
                    project.merge_codes(target, into=other)
                elif op == "split":
                    project.split_code(target, {f"{target}_part": sorted(moved)})
                elif op == "delete":
                    project.delete_code(target)
                elif op == "delete_force":
                    project.delete_code(target, force=True)
                elif op == "delete_reassign":
                    project.delete_code(target, reassign=other)
                else:
                    project.undo()
            except SomecodeError:
                assert state(project) == snapshot  # a refused operation changes nothing
                continue
            if op == "undo":
                assert state(project) == history.pop()
                continue
            history.append(snapshot)
            expected = _expected_after(op, target, other, before, moved, all_before)
            if op == "delete":
                expected = before  # allowed only without codings
            if expected is not None:
                assert spans(project) == expected, (op, target, other)
        while history:
            project.undo()
            assert state(project) == history.pop()
