"""End to end: the HTML report (``somecode.write_report(project, "report.html")``) opened from disk in
headless Chromium, with no server.

The report of the bundled study, with one more passage whose text is a script tag, is opened by its
``file://`` address; every request the page makes is recorded and must be the file itself (no
script, style, font or image fetched from anywhere), the section and code headings must render, the
passage that reads like a script must be shown as text and not run (as must a code memo and a journal
entry that read like one), and the inline style must apply
(the Content-Security-Policy blocks fetching, not the page's own style).  A screenshot goes to
``outputs/e2e_report.png``.
"""

from __future__ import annotations

from conftest import OUT, ROOT

import somecode

SCRIPT = "<script>window.somecodeRan = 1</script>"


def build_report(folder):
    for leftover in folder.glob("report.somecode*"):
        leftover.unlink()
    project = somecode.build_study(ROOT / "transcripts" / "bpjs", folder / "report.somecode")
    with project:
        text = f"Ani: Kami tulis {SCRIPT} di caption & bio.\n"
        start = text.index(SCRIPT)
        project.add_source(somecode.Source.from_text("markup", text, kind="interview", turns=[
            somecode.Turn(5, len(text) - 1, "Ani", "ani")]))
        project.code("markup", start, start + len(SCRIPT), "share", coder="paper", memo="<b>not bold</b>")
        project.add_memo(f"Share memo {SCRIPT} 👩🏽‍💻", kind="code", about="share", by="nida")
        project.add_journal_entry(f"Day 1 {SCRIPT}", by="nida")
        book = project.codebook()
        count = len(somecode.codings_frame(project))
        path = somecode.write_report(project, folder / "report.html")
    return path, book, count


def test_the_html_report_renders_offline_and_fetches_nothing(browser):
    folder = OUT / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    path, book, count = build_report(folder)
    url = path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        sections = page.locator("h2").all_inner_texts()
        assert sections == ["Contents", "Codebook", "Themes by informant", "Coded passages by code", "Sources",
                            "Sets", "Research journal"]
        headings = page.locator("section#passages :is(h3, h4, h5, h6)").all_inner_texts()
        assert [" ".join(h.split()) for h in headings] == [f"{c.label_in('en')} {c.id}" for c in book]
        assert page.locator("section#passages h3").first.is_visible()
        passages = page.locator("blockquote.passage").all_inner_texts()
        assert len(passages) == count and SCRIPT in passages  # shown as text
        assert page.evaluate("window.somecodeRan") is None and page.locator("script").count() == 0
        assert "<b>not bold</b>" in page.locator("section#passages").inner_text()
        assert page.locator("section#passages .memo-text").all_inner_texts() == [f"Share memo {SCRIPT} 👩🏽‍💻"]
        assert page.locator("section#journal .memo-text").all_inner_texts() == [f"Day 1 {SCRIPT}"]
        assert page.locator("section#journal .memo-text").first.is_visible()
        assert page.locator("section#themes table tr").count() == 7  # header, five stages, Total
        quote = page.locator("blockquote.passage").first
        assert quote.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"  # the inline style applies
        page.screenshot(path=str(OUT / "e2e_report.png"), full_page=False)
    finally:
        context.close()
    assert requests == [url], requests
    assert errors == [], errors
