"""The transcript coding view's model logic, in-process: the browser's messages handed straight to the
widget's handler (no browser, no kernel), and what it stores, refuses, and sends back to be drawn.
e2e/test_coding_view.py drives the same view in JupyterLab with the mouse."""

from __future__ import annotations

import json

import pytest

import somecode
from somecode.errors import ConflictError, NotFoundError, ValidationError

pytest.importorskip("anywidget")

from somecode.jupyter.coding_view import CodingView, snap_to_words  # noqa: E402

# emoji with a skin tone and a zero-width joiner (5 code points, 7 UTF-16 units), a flag, an
# n with a combining diaeresis that NFC keeps as two code points, and Javanese script with its signs
TEXT = ("Peneliti: Konten apa yang ramai?\n"
        "Rina: Video Reels 👩🏽\u200d💻 paling ramai 😂. Kami pakai aksara n\u0308 dan ꦱꦸꦒꦼꦁ di caption 🇮🇩.\n")


@pytest.fixture
def project(tmp_path):
    with somecode.Project.create(tmp_path / "view.somecode") as project:
        start = TEXT.index("Video")
        project.add_source(somecode.Source.from_text("rina", TEXT, kind="interview", turns=[
            somecode.Turn(10, 32, "Peneliti", time_start=5.0), somecode.Turn(start, len(TEXT) - 1, "Rina", "rina",
                                                                              time_start=3725.0)]))
        project.add_codes([somecode.Code("optimize", label="Optimize", color="#2CA02C"),
                           somecode.Code("engage", label="Engage"),
                           somecode.Code("engage.reach", "engage", label="How to reach them"),
                           somecode.Code("manage", label="Manage")])
        yield project


def suggest(project, passage, code, rule):
    start = TEXT.index(passage)
    return project.code("rina", start, start + len(passage), code, coder="auto:test", origin="auto",
                        status="suggested", evidence={"unit": "sentence", "matches": [
                            {"rule": rule, "text": passage.split()[0], "start": start, "end": start + 3}]})


class Browser:
    """Sends what the JavaScript sends, keeps what the widget sends back."""

    def __init__(self, view):
        self.view, self.replies, self.req = view, [], 0
        view.send = lambda content, buffers=None: self.replies.append(content)

    def __call__(self, **message):
        self.req += 1
        self.view._on_msg(self.view, {**message, "req": self.req}, [])
        reply = self.replies[-1]
        assert reply["req"] == self.req
        return reply

    def code(self, passage, code, **extra):
        start = TEXT.index(passage)
        return self(type="code", start=start, end=start + len(passage), code=code, text=passage, **extra)


@pytest.fixture
def view(project):
    return CodingView(project, "rina", coder="nida")


@pytest.fixture
def browser(view):
    return Browser(view)


def drawn(view, **match):
    return [c for c in view.codings if all(c[k] == v for k, v in match.items())]


@pytest.mark.parametrize("passage", ["Reels 👩🏽\u200d💻 paling", "aksara n\u0308", "n\u0308", "ꦱꦸꦒꦼꦁ di caption 🇮🇩",
                                     "😂", "\u0308 dan"])
def test_a_selection_is_stored_at_its_exact_code_point_offsets(project, view, browser, passage):
    reply = browser.code(passage, "engage.reach", memo="from the browser")
    assert reply["ok"] and reply["action"] == "code"
    [stored] = project.coding_records(coder="nida")
    assert stored.id == reply["id"] and TEXT[stored.start:stored.end] == passage
    assert (stored.code_id, stored.memo, stored.status) == ("engage.reach", "from the browser", "accepted")
    assert [(c["id"], c["start"], c["end"]) for c in view.codings] == [(stored.id, stored.start, stored.end)]
    assert project.history()["action"].iloc[-1] == "code"
    assert "How to reach them" in view.message


@pytest.mark.parametrize("start, end, problem", [
    (-1, 5, "0 <= start < end"), (5, 5, "0 <= start < end"), (9, 4, "0 <= start < end"),
    (0, len(TEXT) + 1, "0 <= start < end"), (1.0, 5, "whole number"), (True, 5, "whole number"),
    ("3", 5, "whole number"), (None, 5, "whole number")])
def test_offsets_outside_the_text_are_refused_and_nothing_is_stored(project, view, browser, start, end, problem):
    before = project.history()
    reply = browser(type="code", start=start, end=end, code="optimize")
    assert not reply["ok"] and problem in reply["message"]
    assert project.coding_records() == [] and len(project.history()) == len(before)
    assert problem in view.error and view.codings == []


def test_a_selection_whose_text_is_not_the_sources_is_refused(project, browser):
    start = TEXT.index("Reels")
    # what a view that counted UTF-16 units instead of code points would send: the offsets are off by two
    wrong = TEXT[start:start + 10]
    reply = browser(type="code", start=start + 2, end=start + 12, code="optimize", text=wrong)
    assert not reply["ok"] and "not the text at" in reply["message"]
    assert project.coding_records() == []


def test_unknown_codes_and_messages_are_errors_not_crashes(project, view, browser):
    reply = browser.code("Reels", "no.such.code")
    assert not reply["ok"] and "no.such.code" in reply["message"]
    assert not browser(type="explode")["ok"]
    assert not browser(type="recode", id="7", code="optimize")["ok"]
    assert not browser(type="uncode", id=999)["ok"]
    assert project.coding_records() == []


def test_snapping_to_whole_words_is_an_option(project, view, browser):
    start = TEXT.index("eels 👩")
    assert browser(type="code", start=start, end=start + 3, code="optimize", text="eel")["ok"]
    assert TEXT[slice(*project.coding_records()[0].span)] == "eel"  # exact by default
    view.snap_words = True
    start = TEXT.index("ksara n")
    assert browser(type="code", start=start, end=start + 7, code="manage", text="ksara n")["ok"]
    snapped = [c for c in project.coding_records() if c.code_id == "manage"][0]
    assert TEXT[snapped.start:snapped.end] == "aksara n\u0308"  # the combining mark belongs to its letter
    assert snap_to_words("  Reels, ok ", 0, 5) == (2, 7)


def test_recode_is_one_undoable_operation_keeping_span_and_memo(project, view, browser):
    first = browser.code("paling ramai", "optimize", memo="why")
    reply = browser(type="recode", id=first["id"], code="manage")
    assert reply["ok"]
    [coding] = project.coding_records()
    assert (coding.code_id, coding.memo, TEXT[coding.start:coding.end]) == ("manage", "why", "paling ramai")
    assert [c["code"] for c in view.codings] == ["manage"]
    assert project.history()["action"].tolist()[-2:] == ["code", "recode"]
    project.undo()
    assert [(c.code_id, c.memo) for c in project.coding_records()] == [("optimize", "why")]
    # the view still shows the recoded coding (ids are reused): it refuses to act on what it no longer sees
    reply = browser(type="uncode", id=reply["id"])
    assert not reply["ok"] and "changed outside this view" in reply["message"]
    assert [(c.code_id, c.memo) for c in project.coding_records()] == [("optimize", "why")]
    assert [c["code"] for c in view.codings] == ["optimize"]  # and it is redrawn
    assert browser(type="recode", id=view.codings[0]["id"], code="manage")["ok"]


def test_uncode_memo_and_undo_from_the_view(project, view, browser):
    coding = browser.code("Video", "optimize")
    assert browser(type="memo", id=coding["id"], memo="a new memo")["ok"]
    assert project.coding_records()[0].memo == "a new memo" and view.codings[0]["memo"] == "a new memo"
    assert browser(type="uncode", id=coding["id"])["ok"]
    assert project.coding_records() == [] and view.codings == []
    assert browser(type="undo")["ok"]
    assert [c.memo for c in project.coding_records()] == ["a new memo"] and len(view.codings) == 1
    assert "undid delete_coding" in view.message


def test_the_interviewers_turn_is_coded_with_a_warning(project, view, browser):
    assert browser.code("Konten apa", "optimize")["ok"]
    assert "Peneliti's turn, an interviewer" in view.message and "do not count it" in view.message


def test_review_accept_reject_recode_and_adjust_suggestions(project, view, browser):
    a = suggest(project, "Video Reels", "optimize", "reels")
    b = suggest(project, "paling ramai", "engage.reach", "ramai")
    c = suggest(project, "pakai aksara", "manage", "pakai")
    d = suggest(project, "di caption", "engage.reach", "caption")
    view.refresh()
    assert {x["id"] for x in drawn(view, status="suggested")} == {a.id, b.id, c.id, d.id}
    assert drawn(view, id=a.id)[0]["rules"] == ["reels"] and drawn(view, id=a.id)[0]["matched"] == ["Video"]
    assert browser(type="accept", id=a.id)["ok"]
    assert browser(type="reject", id=b.id)["ok"]
    statuses = {x.id: x.status for x in project.coding_records()}
    assert statuses[a.id] == "accepted" and statuses[b.id] == "rejected"
    assert not drawn(view, id=b.id)  # a rejected suggestion is not drawn as a coding
    view.rejected = "struck"
    assert drawn(view, id=b.id)[0]["status"] == "rejected"
    view.rejected = "hidden"
    # recode a suggestion: it is rejected, and the reviewer's own coding takes its place, one operation
    assert browser(type="recode", id=c.id, code="optimize")["ok"]
    mine = project.coding_records(coder="nida")
    assert [(m.code_id, m.span) for m in mine] == [("optimize", c.span)] and "suggestion manage" in mine[0].memo
    assert {x.id: x.status for x in project.coding_records()}[c.id] == "rejected"
    assert project.history()["action"].iloc[-1] == "recode"
    # adjust a suggestion's span
    start = TEXT.index("caption 🇮🇩")
    assert browser(type="adjust", id=d.id, start=start, end=start + len("caption 🇮🇩"), text="caption 🇮🇩")["ok"]
    moved = [m for m in project.coding_records(coder="nida") if m.code_id == "engage.reach"]
    assert TEXT[moved[0].start:moved[0].end] == "caption 🇮🇩"
    project.undo()
    assert {x.id: x.status for x in project.coding_records()}[d.id] == "suggested"
    assert not browser(type="accept", id=mine[0].id)["ok"]  # only suggestions are accepted or rejected
    with pytest.raises(ValidationError):
        view.rejected = "shown"


def test_suggestions_filtered_by_code_or_rule(project, view):
    a = suggest(project, "Video Reels", "optimize", "reels")
    b = suggest(project, "paling ramai", "engage.reach", "ramai")
    c = suggest(project, "di caption", "engage.reach", "caption")
    view.refresh()
    assert view.rules == ["caption", "ramai", "reels"]
    view.review_code = "engage.reach"
    assert [x.id for x in view.suggestions()] == [b.id, c.id]
    view.review_rule = "caption"
    assert [x.id for x in view.suggestions()] == [c.id]
    view.review_code = view.review_rule = ""
    view.show_suggestions = False
    assert view.suggestions() == [] and view.codings == []
    view.show_suggestions = True
    assert [x.id for x in view.suggestions()] == [a.id, b.id, c.id]
    counts = {x["id"]: (x["count"], x["suggested"]) for x in view.codes}
    assert counts["engage.reach"] == (0, 2) and counts["optimize"] == (0, 1)


def test_several_coders_some_or_all_and_blind(project):
    for coder, passage, code in (("nida", "Video", "optimize"), ("budi", "Reels", "optimize"),
                                 ("citra", "paling", "manage")):
        start = TEXT.index(passage)
        project.code("rina", start, start + len(passage), code, coder=coder)
    suggest(project, "di caption", "engage.reach", "caption")
    view = CodingView(project, "rina", coder="nida")
    assert {c["coder"] for c in view.codings} == {"nida", "budi", "citra", "auto:test"}
    assert {c["id"]: c["count"] for c in view.coders} == {"auto:test": 0, "budi": 1, "citra": 1, "nida": 1}
    view.show_coders("budi")
    assert {c["coder"] for c in view.codings} == {"budi", "auto:test"}  # suggestions stay for review
    assert [c["id"] for c in view.coders if c["visible"]] == ["budi"]
    view.show_coders()
    assert len(view.codings) == 4
    with pytest.raises(NotFoundError):
        view.show_coders("nobody")
    blind = CodingView(project, "rina", coder="budi", blind=True)
    assert {c["coder"] for c in blind.codings} == {"budi", "auto:test"}
    assert "nida" not in blind.codings_json and [c["id"] for c in blind.coders] == ["budi"]
    blind.blind = False
    assert "nida" in blind.codings_json


def test_other_coders_codings_are_read_only_unless_asked(project):
    start = TEXT.index("Video")
    theirs = project.code("rina", start, start + 5, "optimize", coder="budi")
    view = CodingView(project, "rina", coder="nida")
    browser = Browser(view)
    assert drawn(view, id=theirs.id)[0]["editable"] is False
    reply = browser(type="uncode", id=theirs.id)
    assert not reply["ok"] and "budi's" in reply["message"]
    assert project.coding_records() == [theirs]
    editor = CodingView(project, "rina", coder="nida", edit_others=True)
    assert Browser(editor)(type="recode", id=theirs.id, code="manage")["ok"]
    assert [(c.code_id, c.coder_id) for c in project.coding_records()] == [("manage", "budi")]


def test_what_the_browser_gets(project, view):
    assert view.text == TEXT and view.source_id == "rina"
    assert [(t["speaker"], t["time"], t["role"]) for t in view.turns] == [
        ("Peneliti", "00:05", "interviewer"), ("Rina", "1:02:05", "informant")]
    assert [(c["id"], c["depth"], c["color"]) for c in view.codes][:3] == [
        ("optimize", 0, "#2CA02C"), ("engage", 0, view.codes[1]["color"]), ("engage.reach", 1, view.codes[2]["color"])]
    hotkeys = [c["hotkey"] for c in view.codes]
    assert sorted(h for h in hotkeys if h) == list(range(1, 5))
    assert json.loads(view.codings_json) == view.codings == []
    assert "data-lm-suppress-shortcuts" in view._esm and "stopPropagation" in view._esm  # JupyterLab's keys
    assert "data-jp-suppress-context-menu" in view._esm and "contextmenu" in view._esm
    assert ".sc-pane" in view._css


def test_hotkeys_go_to_the_most_used_codes(project):
    for n in range(3):
        start = TEXT.index("Video") + n
        project.code("rina", start, start + 3, "manage", coder="nida")
    start = TEXT.index("paling")
    project.code("rina", start, start + 3, "engage.reach", coder="budi")
    view = CodingView(project, "rina", coder="nida")
    keys = {c["id"]: c["hotkey"] for c in view.codes}
    assert keys["manage"] == 1 and keys["engage.reach"] == 2


def test_the_view_is_exported_lazily():
    assert somecode.CodingView is CodingView and somecode.jupyter.CodingView is CodingView
    assert "CodingView" in somecode.__all__


# ------------------------------------------------------------------ the form-based widgets' fixes
def test_coding_widget_names_the_speaker_warns_about_interviewers_and_saves_once(project):
    pytest.importorskip("ipywidgets")
    from somecode.jupyter.widgets import CodingWidget

    widget = CodingWidget(project, "rina", coder="nida")
    labels = [label for label, _ in widget.unit_picker.options]
    assert labels[0].startswith("0. Peneliti 00:05, interviewer: Konten apa")
    assert labels[1].startswith("1. Rina 1:02:05: Video Reels") and "caption" in labels[1]  # not cut at 70
    assert "max_height" in widget.view.layout.keys and widget.view.layout.max_height == "420px"
    widget.select_unit(0)
    widget.choose_codes(["optimize", "manage"])
    assert len(widget.save()) == 2 and "interviewer" in widget.status.value
    assert project.history()["action"].iloc[-1] == "code"
    project.undo()  # both codings of the one save
    assert project.coding_records() == []


def test_review_widget_shows_context_and_labels_and_recodes(project):
    pytest.importorskip("ipywidgets")
    from somecode.jupyter.widgets import ReviewWidget

    a = suggest(project, "paling ramai", "optimize", "ramai")
    b = suggest(project, "di caption", "engage.reach", "caption")
    project.default_coder = "nida"
    widget = ReviewWidget(project)
    assert "Optimize" in widget.card.value and "Video Reels" in widget.card.value  # the passage in its turn
    assert "<b>Rina:</b>" in widget.card.value and "rule ramai" in widget.card.value
    widget.skip()
    assert "How to reach them" in widget.card.value
    widget.recode_to.value = "manage"
    widget.keys.value = "c"
    records = {c.id: c for c in project.coding_records()}
    assert records[b.id].status == "rejected" and records[a.id].status == "suggested"
    [mine] = project.coding_records(coder="nida")
    assert (mine.code_id, mine.span) == ("manage", b.span)
    assert project.history()["action"].iloc[-1] == "recode" and "All 2 suggestions reviewed" in widget.card.value


# ------------------------------------------------------------------ notebook 02 can be run again
def _run(notebook_path, where):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(str(notebook_path), as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(where)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors


@pytest.mark.slow
def test_running_notebook_02_again_keeps_every_coding_made_by_hand(tmp_path):
    """Run all cells, code by hand (a coding, a memo, a decision), run all cells again: all of it is still
    there, and the notebook's own codings are not doubled.  In a copy of the repository's layout, so that
    a project of one's own under outputs/ is never touched."""
    import shutil

    from conftest import ROOT

    (tmp_path / "transcripts" / "bpjs").mkdir(parents=True)
    (tmp_path / "codebooks").mkdir()
    shutil.copy(ROOT / "codebooks" / "some.yaml", tmp_path / "codebooks" / "some.yaml")
    notebook = tmp_path / "notebooks" / "02_code_your_own_interviews.ipynb"
    notebook.parent.mkdir()
    shutil.copy(ROOT / "notebooks" / notebook.name, notebook)
    _run(notebook, notebook.parent)
    path = tmp_path / "outputs" / "notebooks" / "my_project.somecode"
    with somecode.Project.open(path) as project:
        before = {(c.source_id, c.span, c.code_id, c.coder_id, c.status) for c in project.coding_records()}
        assert before
        start, end = project.locate_quote("rina", "pantau insight setiap minggu")
        by_hand = project.code("rina", start, end, "manage.media_monitoring", coder="hand", memo="coded by hand")
        mine = project.coding_records(coder="me")[0]
        project.set_memo(mine.id, "a memo by hand", by="hand")
        decided = [c for c in project.coding_records() if c.status == "rejected"][0]
        project.delete_coding(decided.id, by="hand")  # a reviewer removing a rejected suggestion
        kept = {(c.source_id, c.span, c.code_id, c.coder_id, c.status, c.memo) for c in project.coding_records()}
    _run(notebook, notebook.parent)
    with somecode.Project.open(path) as project:
        after = {(c.source_id, c.span, c.code_id, c.coder_id, c.status, c.memo) for c in project.coding_records()}
        assert kept <= after  # every coding made by hand, with its memo, survived
        assert [(c.code_id, c.memo) for c in project.coding_records(coder="hand")] == [
            ("manage.media_monitoring", "coded by hand")]
        assert by_hand.span == project.coding_records(coder="hand")[0].span
        assert len(project.coding_records(coder="me")) == len([c for c in before if c[3] == "me"])  # not doubled
