"""HTML for notebooks and the coding widgets, driven in-process."""

import pytest

import somecode
from somecode.jupyter.display import coding_html, source_html, table_html

TEXT = "Ani: Reels 👍 ramai sekali.\nBudi: Insight naik."


@pytest.fixture
def shown(project):
    project.add_source(somecode.Source.from_text("a", TEXT, kind="interview", turns=[
        somecode.Turn(5, 26, "Ani", "ani"), somecode.Turn(33, 45, "Budi", "budi")]))
    project.add_codes([somecode.Code("optimize", label="Optimize", color="#2CA02C"),
                       somecode.Code("manage", label="Manage", color="#FF7F0E")])
    project.code("a", 5, 12, "optimize", coder="nida")    # "Reels 👍"
    project.code("a", 11, 18, "manage", coder="budi")     # "👍 ramai", overlapping
    return project


def test_source_html_highlights_overlaps_with_labels_and_colours(shown):
    html = source_html(shown, "a")
    assert html.count("<mark") == 3  # "Reels ", "👍" (both codes), " ramai"
    assert 'title="Optimize (nida)" data-codes="optimize">Reels </mark>' in html
    assert 'title="Optimize (nida); Manage (budi)" data-codes="optimize manage">👍</mark>' in html
    assert 'title="Manage (budi)" data-codes="manage"> ramai</mark>' in html
    assert "inset 0 -3px 0 0 #2CA02C, inset 0 -6px 0 0 #FF7F0E" in html
    assert '<span style="color:#555;font-weight:bold">Budi:</span>' in html
    assert html.count("border-bottom:3px solid") == 2  # legend: both codes


def test_other_displays(shown):
    [first, _] = shown.coding_records()
    assert "<mark" in coding_html(shown, first) and "Reels 👍" in coding_html(shown, first)
    assert "somecode-project" in shown._repr_html_()
    assert "<b>Ani:</b> Reels 👍 ramai sekali." in shown.source("a")._repr_html_()
    assert shown.show("a")._repr_html_() == source_html(shown, "a")
    table = somecode.theme_by_informant(shown, value="count")
    page = table_html(table)
    assert "background:rgb(" in page
    from somecode.analysis.triangulation import triangulate

    triangulation = triangulate(shown)
    assert "Convergence coding matrix" in triangulation._repr_html_()
    assert 'style="background:#B7E4B0">agreement' not in page


def test_coding_widget_saves_at_once(shown):
    pytest.importorskip("ipywidgets")
    from somecode.jupyter.widgets import CodingWidget

    widget = CodingWidget(shown, "a", coder="citra")
    widget.select_unit(1)
    widget.choose_codes(["manage"])
    widget.memo.value = "Insight"
    saved = widget.save()
    assert [(c.start, c.end, c.code_id, c.coder_id, c.memo) for c in saved] == [(33, 45, "manage", "citra", "Insight")]
    assert shown.coding_records(coder="citra") == saved
    assert "saved 1 coding" in widget.status.value and 'title="Manage (citra)"' in widget.view.value
    widget.choose_codes([])
    assert widget.save() == [] and "choose at least one code" in widget.status.value


def test_review_widget_steps_through_suggestions(project):
    pytest.importorskip("ipywidgets")
    from somecode.auto.coder import autocode
    from somecode.jupyter.widgets import ReviewWidget

    project.add_source(somecode.Source.from_text("d", "Reels naik. Insight turun. Reels lagi.", kind="document",
                                                 attrs={"language": "id"}, turns=[somecode.Turn(0, 38)]))
    project.add_codes([somecode.Code("optimize", patterns={"id": {"phrases": ["reels"]}}),
                       somecode.Code("manage", patterns={"id": {"phrases": ["insight"]}})])
    autocode(project)
    widget = ReviewWidget(project)
    assert len(widget.queue) == 3 and "1 of 3" in widget.card.value
    widget.keys.value = "a"  # the keyboard box
    assert widget.keys.value == "" and widget.decided == 1
    widget.reject()
    widget.skip()
    statuses = sorted(c.status for c in project.coding_records())
    assert statuses == ["accepted", "rejected", "suggested"]
    assert widget.progress.value == 3 and "All 3 suggestions reviewed" in widget.card.value
