"""JupyterLab on 127.0.0.1 with a token, and headless Debian Chromium driven by Playwright, shared by
the end-to-end tests; ``open_notebook`` opens a notebook in a fresh workspace and runs all its cells."""

import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs"
CHROMIUM = "/usr/bin/chromium"
MEASURED: list[str] = []  # measurements a test wants printed at the end of the run


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.write_sep("-", "measured in the browser")
        for line in MEASURED:
            terminalreporter.write_line(line)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def lab():
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen([str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--allow-root",
                               "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: make e2e installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield page
    page.close()


def open_notebook(page, lab, relative: str, *, wait_for: str, timeout: int = 300_000) -> None:
    """Open ``relative`` (a path under the repository) in a fresh workspace, run all cells, and wait
    for ``wait_for`` (a selector) and for the kernel to be idle; JupyterLab's news toast is dismissed."""
    base, token = lab
    workspace = secrets.token_hex(4)  # a fresh workspace: nothing restored from an earlier run
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{relative}?token={token}", timeout=120_000)
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
    time.sleep(2)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(wait_for, timeout=timeout)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)
    news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's "notify me of news" toast
    if news.count():
        news.first.click()
        page.wait_for_timeout(1500)
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                            ":has-text('Traceback')").count()
