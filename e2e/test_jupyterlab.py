"""End to end: notebook 01 in a real JupyterLab in headless Chromium.

Starts JupyterLab on 127.0.0.1 with a token, opens notebook 01, runs all cells, checks that the
highlighted transcript and the matrix are rendered, adds a coding with the coding widget and
checks it is in the project, and saves screenshots to ``outputs/``.
"""

import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen([str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--allow-root", "--ip=127.0.0.1",
                               f"--port={port}", f"--IdentityProvider.token={token}",
                               f"--ServerApp.root_dir={ROOT}", "--ServerApp.open_browser=False"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    yield base, token
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def page(lab):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: make e2e installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def test_notebook_01_runs_renders_and_codes(lab, page):
    base, token = lab
    copy = OUT / "e2e" / "01_reproduce_bpjs_study.ipynb"  # JupyterLab saves what it runs: not the original
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "notebooks" / copy.name, copy)
    workspace = secrets.token_hex(4)  # a fresh workspace: nothing restored from an earlier run
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/outputs/e2e/{copy.name}?token={token}", timeout=120_000)
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
    time.sleep(2)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(".widget-button:has-text('Save coding')", timeout=300_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=300_000)
    news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's "notify me of news" toast
    if news.count():
        news.first.click()
        page.wait_for_timeout(1500)
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                            ":has-text('Traceback')").count()
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
