"""Free memos on the project, a source, a code, a case or a set, and the research journal
(issue #18, part 2): written, edited (the creation time kept), deleted, found, listed, and every
change undone and redone through the project's history."""

from __future__ import annotations

import time

import pytest
from conftest import project_dump

import somecode
from somecode import Informant, Source, Turn
from somecode.errors import ConflictError, NotFoundError, ValidationError
from somecode.store.memos import restore_memos

COLUMNS = ["id", "about_kind", "about_id", "text", "by", "created", "modified"]


@pytest.fixture
def p(tmp_path):
    with somecode.Project.create(tmp_path / "memos.somecode") as project:
        project.add_source(Source.from_text("ani-1", "Ani: Reels ramai.", kind="interview",
                                            turns=[Turn(5, 17, "Ani", "ani")]))
        project.add_code("optimize")
        project.add_informant(Informant("budi", "Budi", {"role": "deputy"}))
        project.add_set("deputies", where="role == 'deputy'")
        yield project


def test_memos_on_each_kind_of_thing(p):
    ids = [p.add_memo("Started open coding.", by="nida"),
           p.add_memo("Talks about reels only.", kind="source", about="ani-1", by="nida"),
           p.add_memo("Reels, KOLs, schedules.", about="optimize", by="budi"),  # the kind is found from the id
           p.add_memo("Deputy of the unit.", kind="case", about="budi"),
           p.add_memo("One member so far.", kind="set", about="deputies", by="nida")]
    frame = p.memos()
    assert frame.columns.tolist() == COLUMNS
    assert frame.drop(columns=["created"]).values.tolist() == [
        [ids[0], "project", "", "Started open coding.", "nida", None],
        [ids[1], "source", "ani-1", "Talks about reels only.", "nida", None],
        [ids[2], "code", "optimize", "Reels, KOLs, schedules.", "budi", None],
        [ids[3], "case", "budi", "Deputy of the unit.", "", None],
        [ids[4], "set", "deputies", "One member so far.", "nida", None]]
    assert frame["created"].is_monotonic_increasing  # oldest first, ISO times (the order is tested below)
    assert p.memos(kind="source")["about_id"].tolist() == ["ani-1"]
    assert p.memos(about="budi")["text"].tolist() == ["Deputy of the unit."]
    assert p.memos(by="budi")["id"].tolist() == [ids[2]]
    assert p.memos(contains="REELS")["id"].tolist() == [ids[1], ids[2]]  # ignoring case
    assert p.memos(contains=r"^(one|deputy)\b", regex=True)["id"].tolist() == [ids[3], ids[4]]
    assert p.memos(contains="(one", regex=False).empty
    with pytest.raises(ValidationError, match=r"contains='\(one' is not a regular expression"):
        p.memos(contains="(one", regex=True)


def test_bad_memos_are_refused_and_change_nothing(p):
    p.add_set("budi", cases=["budi"])  # 'budi' names a case and a set now
    before = project_dump(p)
    with pytest.raises(ValidationError, match=r"names a case and a set; say which with kind='case'"):
        p.add_memo("Which one?", about="budi")
    with pytest.raises(NotFoundError, match=r"no source 'ani-2' in the project \(did you mean 'ani-1'\?\)"):
        p.add_memo("x", kind="source", about="ani-2")
    with pytest.raises(NotFoundError, match="no source, code, case or set has that id"):
        p.add_memo("x", about="nobody")
    with pytest.raises(ValidationError, match=r"kind='sorce' is not one of .*\(did you mean 'source'\?\)"):
        p.add_memo("x", kind="sorce", about="ani-1")
    with pytest.raises(ValidationError, match="needs about="):
        p.add_memo("x", kind="code")
    with pytest.raises(ValidationError, match="needs some text"):
        p.add_memo("  ")
    with pytest.raises(NotFoundError, match="no memo 99"):
        p.edit_memo(99, "x")
    with pytest.raises(ValidationError, match=r"kind='cases' is not one of .*\(did you mean 'case'\?\)"):
        p.memos(kind="cases")
    assert project_dump(p) == before


def test_edit_keeps_the_creation_time_and_every_write_is_undone_and_redone(p):
    memo = p.add_memo("First thought.", kind="code", about="optimize", by="nida")
    created = p.memos().loc[0, "created"]
    time.sleep(0.002)
    p.edit_memo(memo, "Second thought.", by="nida")
    row = p.memos().loc[0]
    assert (row["text"], row["by"], row["created"]) == ("Second thought.", "nida", created)
    assert row["modified"] > created
    assert p.history()["action"].tolist()[-2:] == ["add_memo", "edit_memo"]
    with pytest.raises(ConflictError, match="later operations depend on it"):  # the edit stands on the memo
        p.undo(operation=int(p.history()["id"].iloc[-2]))
    p.undo()
    assert p.memos()[["text", "modified"]].values.tolist() == [["First thought.", None]]
    p.redo()
    assert p.memos()["text"].tolist() == ["Second thought."]
    p.delete_memo(memo, by="nida")
    assert p.memos().empty
    p.undo()
    restored = p.memos().loc[0]
    assert (restored["id"], restored["text"], restored["created"]) == (memo, "Second thought.", created)
    p.undo()  # the edit
    p.undo()  # the memo itself
    assert p.memos().empty
    p.redo()
    assert p.memos()["text"].tolist() == ["First thought."]


def test_the_research_journal_is_the_dated_project_memos_in_order(p):
    p.add_journal_entry("Day one: read all transcripts.", by="nida")
    p.add_memo("About a source, not the journal.", about="ani-1")
    p.add_memo("Day two: first codes.", by="nida")
    journal = p.journal()
    assert journal.columns.tolist() == ["date", *COLUMNS]
    assert journal["text"].tolist() == ["Day one: read all transcripts.", "Day two: first codes."]
    assert journal["date"].tolist() == [c[:10] for c in journal["created"]]
    assert len(journal["date"].iloc[0]) == 10 and journal["date"].iloc[0][4] == "-"


def test_memos_about_a_set_follow_its_new_name(p):
    p.add_memo("A query set.", kind="set", about="deputies")
    p.rename_set("deputies", "the deputies")
    assert p.memos(kind="set")["about_id"].tolist() == ["the deputies"]
    p.undo()
    assert p.memos(kind="set")["about_id"].tolist() == ["deputies"]


def test_the_coding_view_shows_the_sources_memos(p):
    pytest.importorskip("anywidget")
    from somecode.jupyter.coding_view import CodingView

    p.add_memo("Recorded in a noisy room.", about="ani-1", by="nida")
    p.add_memo("Not about this source.")
    view = CodingView(p, "ani-1", coder="nida")
    assert [(m["text"], m["by"]) for m in view.memos] == [("Recorded in a noisy room.", "nida")]
    p.add_memo("Second visit planned.", about="ani-1")
    view.refresh()
    assert [m["text"] for m in view.memos] == ["Recorded in a noisy room.", "Second visit planned."]


def test_memos_are_listed_oldest_first_whatever_order_they_were_stored_in(p):
    # stored out of order (as an import may store them): the listing follows the times, not the ids
    with p.atomic():
        restore_memos(p.store, [("project", "", "third", "nida", "2024-03-03T00:00:00+00:00", None),
                                ("project", "", "first", "nida", "2024-01-01T00:00:00+00:00", None),
                                ("code", "optimize", "second", "budi", "2024-02-02T00:00:00+00:00", None)])
    assert p.memos()["text"].tolist() == ["first", "second", "third"]
    assert p.journal()[["date", "text"]].values.tolist() == [["2024-01-01", "first"], ["2024-03-03", "third"]]


def test_a_filter_that_leaves_no_memo_keeps_the_columns(p):
    p.add_memo("Started open coding.", by="nida")
    for frame in (p.memos(contains="zzz"), p.memos(by="budi", contains="x"), p.memos(contains="z+", regex=True)):
        assert frame.empty and frame.columns.tolist() == COLUMNS
    with pytest.raises(ValidationError, match="contains=5: give the text to look for"):
        p.memos(contains=5)
