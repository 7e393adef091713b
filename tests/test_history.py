"""Undo as people mean it: the last operation, whatever it was; redo; history; dependants."""

from __future__ import annotations

import pytest
from conftest import project_dump

import somecode
from somecode import ConflictError, SomecodeError

TEXT = "Peneliti: Apa yang kalian pakai?\nAni: Kami pakai reels setiap hari. Insight kami pantau.\n"
TURNS = [somecode.Turn(10, 32, "Peneliti"), somecode.Turn(38, 87, "Ani", "ani")]


@pytest.fixture
def study(project):
    project.add_source(somecode.Source.from_text("ani", TEXT, kind="interview", turns=TURNS))
    project.set_codebook(somecode.Codebook([somecode.Code("optimize", label="Optimize"),
                                            somecode.Code("manage", label="Manage")]))
    return project


def content(project) -> dict:
    """What the project holds, without its log."""
    return {k: v for k, v in project_dump(project).items() if k not in ("events", "undo_log")}


def test_undo_after_code_quote_undoes_the_coding(study):
    before = content(study)
    study.code_quote("ani", "pakai reels", "optimize", coder="nida")
    assert study.undo()["action"] == "code"
    assert content(study) == before


def test_undo_after_a_relabel_and_a_coding_undoes_the_coding(study):
    study.relabel_code("optimize", "Optimalisasi", language="id")
    relabelled = content(study)
    study.code_quote("ani", "Insight", "manage", coder="nida")
    assert study.undo()["action"] == "code"
    assert content(study) == relabelled
    assert study.code_by_id("optimize").labels["id"] == "Optimalisasi"


def test_undo_after_a_widget_save_undoes_the_save_not_an_earlier_accept(study):
    from somecode import CodingWidget

    study.code("ani", 43, 48, "optimize", coder="auto:x", origin="auto", status="suggested")
    somecode.accept(study, code="optimize")
    accepted = content(study)
    widget = CodingWidget(study, "ani", coder="nida")
    widget.select_unit(1)
    widget.choose_codes(["manage"])
    widget.save()
    assert len(study.coding_records(coder="nida")) == 1
    study.undo()
    assert content(study) == accepted
    assert [c.status for c in study.coding_records(coder="auto:x")] == ["accepted"]


def test_delete_coding_can_be_undone_and_redone(study):
    coding = study.code_quote("ani", "pakai reels", "optimize", coder="nida", memo="fitur")
    coded = content(study)
    study.delete_coding(coding.id, by="nida")
    assert study.coding_records() == []
    assert study.undo()["action"] == "delete_coding"
    assert content(study) == coded
    assert study.redo()["action"] == "delete_coding"
    assert study.coding_records() == []


def test_a_memo_edit_is_an_operation(study):
    coding = study.code_quote("ani", "pakai reels", "optimize", coder="nida")
    study.set_memo(coding.id, "reels are the main format", by="nida")
    assert study.coding_records()[0].memo == "reels are the main format"
    study.undo()
    assert study.coding_records()[0].memo == ""


def test_redo_is_lost_once_something_new_is_done(study):
    study.code_quote("ani", "pakai reels", "optimize", coder="nida")
    study.undo()
    study.code_quote("ani", "Insight", "manage", coder="nida")
    with pytest.raises(SomecodeError, match="nothing to redo"):
        study.redo()


def test_history_lists_operations_and_what_is_undone(study):
    study.code_quote("ani", "pakai reels", "optimize", coder="nida")
    study.code_quote("ani", "Insight", "manage", coder="nida")
    study.undo()
    table = study.history()
    assert table["action"].tolist() == ["add_source", "set_codebook", "code", "code"]
    assert table["undone"].tolist() == [False, False, False, True]


def test_an_earlier_operation_with_dependants_is_refused_unless_cascading(study):
    study.add_coder("nida")  # else the first coding would add the coder, and the second depend on it
    study.add_code("engage", label="Engage")
    added = int(study.history()["id"].iloc[-1])
    study.code_quote("ani", "Insight", "engage", coder="nida")
    study.code_quote("ani", "pakai reels", "optimize", coder="nida")  # does not depend on engage
    before = content(study)
    with pytest.raises(ConflictError, match=r"later operations depend on it: \d+ \(code\)\. Nothing was changed"):
        study.undo(operation=added)
    assert content(study) == before
    study.undo(operation=added, cascade=True)
    assert "engage" not in study.code_ids()
    assert [c.code_id for c in study.coding_records()] == ["optimize"]


def test_a_stance_depends_on_its_coding(study):
    coding = study.code_quote("ani", "pakai reels", "optimize", coder="nida")
    coded = int(study.history()["id"].iloc[-1])
    study.add_proposition("optimize", "Reels drive engagement.", id="reels")
    study.set_stance(coding.id, "reels", "supports", by="nida")
    with pytest.raises(ConflictError, match=r"set_stance"):
        study.undo(operation=coded)


def test_undoing_a_correction_moves_later_codings_back_onto_the_old_words(study):
    corrected = TEXT.replace("Ani: Kami", "Ani: Ya, kami").replace("Kami pakai", "kami pakai")
    study.update_source("ani", text=corrected)
    update = int(study.history()["id"].iloc[-1])
    later = study.code_quote("ani", "pakai reels setiap hari", "optimize", coder="nida")
    assert study.source("ani").text[later.start:later.end] == "pakai reels setiap hari"
    study.undo(operation=update)
    [moved] = study.coding_records()
    assert study.source("ani").text == TEXT
    assert TEXT[moved.start:moved.end] == "pakai reels setiap hari"
    assert study.check().empty


def test_undoing_a_correction_orphans_a_later_coding_on_words_it_added(study):
    corrected = TEXT.replace("setiap hari.", "setiap hari, terutama video pendek.")
    study.update_source("ani", text=corrected)
    update = int(study.history()["id"].iloc[-1])
    study.code_quote("ani", "terutama video pendek", "optimize", coder="nida")
    study.undo(operation=update)
    assert study.coding_records() == []
    assert study.orphans()["old_text"].tolist() == ["terutama video pendek"]
    assert study.check()["what"].tolist() == ["notice"]


def test_nothing_to_undo_on_a_new_project(project):
    with pytest.raises(SomecodeError, match="nothing to undo"):
        project.undo()
