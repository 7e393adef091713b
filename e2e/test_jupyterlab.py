"""End to end: notebook 01 in a real JupyterLab in headless Chromium.

Starts JupyterLab on 127.0.0.1 with a token, opens notebook 01, runs all cells, checks that the
highlighted transcript and the matrix are rendered, adds a coding with the coding widget and
checks it is in the project, and saves screenshots to ``outputs/``.
"""

import shutil
import sqlite3

from conftest import OUT, ROOT, open_notebook


def test_notebook_01_runs_renders_and_codes(lab, page):
    copy = OUT / "e2e" / "01_reproduce_bpjs_study.ipynb"  # JupyterLab saves what it runs: not the original
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "notebooks" / copy.name, copy)
    open_notebook(page, lab, f"outputs/e2e/{copy.name}", wait_for=".widget-button:has-text('Save coding')")
    transcript = page.locator(".somecode-source").first
    transcript.scroll_into_view_if_needed()
    assert transcript.locator("mark[data-codes]").count() > 5
    transcript.screenshot(path=str(OUT / "e2e_transcript.png"))
    matrix = page.locator("table.somecode-table").first
    matrix.scroll_into_view_if_needed()
    assert "Agustian Fardianto" in matrix.inner_text() and "Total" in matrix.inner_text()
    matrix.screenshot(path=str(OUT / "e2e_matrix.png"))
    # the coding widget: passage 2 of Agustian Fardianto, code engage.reach, a memo, save
    widget = page.locator(".widget-vbox:has(.widget-button:has-text('Save coding'))").last
    widget.scroll_into_view_if_needed()
    widget.locator(".widget-dropdown select").select_option(index=2)
    widget.locator(".widget-select-multiple select").select_option(label="  How to reach them")
    widget.locator("textarea").fill("coded in the browser")
    widget.locator(".widget-button:has-text('Save coding')").click()
    page.wait_for_selector("text=saved 1 coding(s) on passage 2", timeout=60_000)
    widget.screenshot(path=str(OUT / "e2e_widget.png"))
    page.screenshot(path=str(OUT / "e2e_notebook.png"), full_page=False)
    with sqlite3.connect(ROOT / "outputs" / "notebooks" / "bpjs.somecode") as conn:
        rows = conn.execute("SELECT code_id, memo FROM codings WHERE coder_id = 'browser'").fetchall()
    assert rows == [("engage.reach", "coded in the browser")]
