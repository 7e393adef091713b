"""Reports (issue #18, part 4): the Word report of coded passages by code, the codebook document and
the offline HTML report, checked by opening what was written: headings per code in codebook order,
every passage verbatim (against slices of the source text at offsets chosen by hand), counts per
code derived by hand and equal to theme_by_informant, nothing fetched from outside, all text escaped."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import docx
import pytest
from conftest import STUDY

import somecode
from somecode import Code, Coding, Source, Turn
from somecode.cli import main
from somecode.reports import code_counts, content, to_html_report, write_codebook_docx, write_docx_report

# An interview with an emoji (one grapheme, five code points), a combining mark and markup in its
# text; a second informant; a document.  Offsets are code points, counted by hand.
ANI = ("Peneliti: Apa yang ramai?\n"
       "Ani: Reels 👩🏽‍💻 ramai, kata n\u0308 <script>alert(1)</script> di caption.\n"
       "Peneliti: Lalu?\n"
       "Ani: Kami balas komentar & DM cepat.\n")
BUDI = "Budi: Jadwal sore.\n"
NEWS = "Reels populer.\n\nBuzzer dibatalkan.\n"
TEXTS = {"ani": ANI, "budi": BUDI, "news": NEWS}
# (source, start, end, code, coder, memo), and the text each span must be
CODINGS = [
    ("ani", 31, 47, "optimize", "nida", "emoji kept", "Reels 👩🏽‍💻 ramai"),
    ("ani", 57, 82, "share.connect", "nida", "<b>not bold</b>", "<script>alert(1)</script>"),
    ("ani", 116, 147, "share.connect", "nida", "", "Kami balas komentar & DM cepat."),
    ("ani", 121, 135, "share", "nida", "", "balas komentar"),
    ("budi", 6, 18, "share", "nida", "", "Jadwal sore."),
    ("news", 0, 14, "optimize", "nida", "", "Reels populer."),
    ("ani", 10, 25, "share", "nida", "the interviewer's words", "Apa yang ramai?"),
    ("ani", 31, 47, "optimize", "rui", "", "Reels 👩🏽‍💻 ramai"),
]
HEADINGS = [("Heading 1", "Share (share)"), ("Heading 2", "Connect (share.connect)"),
            ("Heading 1", "Optimize (optimize)"), ("Heading 1", "Manage (manage)")]
# after the codes, the passages report lists these (each thing with its memos)
LISTS = [("Heading 1", "Sources"), ("Heading 1", "Cases"), ("Heading 1", "Sets"), ("Heading 1", "Research journal")]
# per code, counted by hand from CODINGS: own passages, with sub-codes, sources, informants (the
# interviewer's turn and the document belong to no informant)
COUNTS = {"share": (3, 5, 2, 2), "share.connect": (2, 2, 1, 1), "optimize": (3, 3, 2, 1), "manage": (0, 0, 0, 0)}
# stage x informant, by hand: share has Ani's 57-82, 116-147, 121-135 and Budi's 6-18; optimize Ani's twice
THEMES = {"share": {"Ani": 3, "Budi": 1, "Total": 4}, "optimize": {"Ani": 2, "Budi": 0, "Total": 2},
          "manage": {"Ani": 0, "Budi": 0, "Total": 0}, "Total": {"Ani": 5, "Budi": 1, "Total": 6}}


@pytest.fixture
def hand(tmp_path):
    with somecode.Project.create(tmp_path / "hand.somecode") as project:
        project.add_source(Source.from_text("ani", ANI, kind="interview", title="Interview with Ani", turns=[
            Turn(10, 25, "Peneliti", time_start=5.0, time_end=12.0),
            Turn(31, 94, "Ani", "ani", time_start=12.0, time_end=100.0),
            Turn(105, 110, "Peneliti", time_start=100.0),
            Turn(116, 147, "Ani", "ani", time_start=112.0)]))
        project.add_source(Source.from_text("budi", BUDI, kind="interview", turns=[Turn(6, 18, "Budi", "budi")]))
        project.add_source(Source.from_text("news", NEWS, kind="document", attrs={"doc_type": "news"},
                                            turns=[Turn(0, 14), Turn(16, 34)]))
        project.add_codes([
            Code("share", label="Share", labels={"en": "Share", "id": "Berbagi"}, definition="Sharing <things>.",
                 include="posts & stories", exclude="replies", examples=({"quote": "Reels <3", "source": "p. 4"},)),
            Code("share.connect", "share", label="Connect"),
            Code("optimize", label="Optimize", color="#FF7F0E"), Code("manage", label="Manage")])
        project.add_codings([Coding(s, a, b, code, coder, memo=memo) for s, a, b, code, coder, memo, _ in CODINGS])
        yield project


def test_the_hand_offsets_are_the_texts_meant():
    assert [TEXTS[s][a:b] for s, a, b, *_, text in CODINGS] == [c[-1] for c in CODINGS]


def _by_heading(path):
    """Word document -> [(style, heading, [(caption, quote, memo)...])] in document order."""
    sections = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name
        if style.startswith("Heading"):
            sections.append((style, paragraph.text, []))
        elif sections and style == "Caption":
            sections[-1][2].append([paragraph.text, None, ""])
        elif sections and style == "Quote" and sections[-1][2]:
            sections[-1][2][-1][1] = paragraph.text
        elif sections and paragraph.text.startswith("Memo: ") and sections[-1][2]:
            sections[-1][2][-1][2] = paragraph.text.removeprefix("Memo: ")
    return sections


def _expected_passages(codings):
    """Per code, the passages in report order (source, start, end, then as coded), text sliced here."""
    by_code = {}
    ordered = sorted(enumerate(codings), key=lambda c: (c[1][0], c[1][1], c[1][2], c[0]))
    for _, (source, start, end, code, coder, memo, _) in ordered:
        by_code.setdefault(code, []).append((TEXTS[source][start:end], memo, f"characters {start}–{end}", coder))
    return by_code


def test_docx_report_has_a_heading_per_code_and_every_passage_verbatim(hand, tmp_path):
    sections = _by_heading(write_docx_report(hand, tmp_path / "passages.docx"))
    assert [(style, text) for style, text, _ in sections] == HEADINGS + LISTS
    expected = _expected_passages(CODINGS)
    for (_, heading, found), code in zip(sections, ["share", "share.connect", "optimize", "manage"]):
        want = expected.get(code, [])
        assert [quote for _, quote, _ in found] == [text for text, *_ in want], heading
        assert [memo for *_, memo in found] == [memo for _, memo, *_ in want]
        for (caption, *_), (_, _, offsets, coder) in zip(found, want):
            assert offsets in caption and caption.endswith(f"coder {coder}")
    captions = {c for _, _, found in sections for c, *_ in found}
    assert ("source ani · informant Ani · speaker Ani · turn 2 at 0:00:12–0:01:40 · characters 31–47 · "
            "coder rui") in captions
    assert "source news · document (news) · paragraph 1 · characters 0–14 · coder nida" in captions
    assert "source ani · speaker Peneliti · turn 1 at 0:00:05–0:00:12 · characters 10–25 · coder nida" in captions


def test_docx_report_of_one_coder(hand, tmp_path):
    sections = _by_heading(write_docx_report(hand, tmp_path / "rui.docx", coders="rui"))
    assert [quote for _, _, found in sections for _, quote, _ in found] == ["Reels 👩🏽‍💻 ramai"]
    text = [p.text for p in docx.Document(str(tmp_path / "rui.docx")).paragraphs]
    assert "1 coded passage, in 1 source(s), from 1 informant(s)" in text


def test_counts_per_code_are_the_hand_counts_and_theme_by_informant(hand, tmp_path):
    counts = code_counts(hand)
    assert {c: tuple(row) for c, row in counts.iterrows()} == COUNTS
    by_source = somecode.theme_by_source(hand, level="code").sum(axis=1)
    assert {code: int(n) for (_, code), n in by_source.items()} == {c: v[0] for c, v in COUNTS.items()}
    themes = somecode.theme_by_informant(hand, margins=True)
    assert themes.to_dict("index") == THEMES
    document = docx.Document(str(write_codebook_docx(hand, tmp_path / "codebook.docx")))
    per_code, informants = ([[cell.text for cell in row.cells] for row in table.rows] for table in document.tables)
    assert per_code[0] == ["code", "passages", "with sub-codes", "sources", "informants"]
    assert {row[0]: tuple(map(int, row[1:])) for row in per_code[1:]} == {
        "Share (share)": COUNTS["share"], "Connect (share.connect)": COUNTS["share.connect"],
        "Optimize (optimize)": COUNTS["optimize"], "Manage (manage)": COUNTS["manage"]}
    assert informants[0][1:] == [str(c) for c in themes.columns]
    assert {row[0]: dict(zip(informants[0][1:], map(int, row[1:]))) for row in informants[1:]} == THEMES
    # each stage's passages with its sub-codes, less those of no informant, are its Total
    no_informant = {"share": 1, "optimize": 1, "manage": 0}  # the interviewer's turn; the news document
    for stage, (_, family, _, _) in ((c, v) for c, v in COUNTS.items() if "." not in c):
        assert family - no_informant[stage] == THEMES[stage]["Total"]


def test_codebook_docx_has_definitions_rules_examples_and_counts(hand, tmp_path):
    document = docx.Document(str(write_codebook_docx(hand, tmp_path / "codebook.docx", language="id")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["Berbagi (share)", "Connect (share.connect)", "Optimize (optimize)", "Manage (manage)",
                        "Coded passages per code", "Themes by informant"]
    texts = [text for _, text in paragraphs]
    assert "Definition: Sharing <things>." in texts and "Include: posts & stories" in texts
    assert "Exclude: replies" in texts and "Colour: #FF7F0E" in texts
    assert ("Quote", "“Reels <3” (p. 4)") in paragraphs
    assert "Coded passages: 3 coded passages (5 with its sub-codes), in 2 source(s), from 2 informant(s)" in texts
    assert "Coded passages: 0 coded passages, in 0 source(s), from 0 informant(s)" in texts


class _Page(HTMLParser):
    """Every start tag with its attributes, style text, and the text of each passage and of each cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.styles, self.passages, self.headings, self.rows = [], [], [], [], []
        self._in = None
        self._cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "blockquote" and attrs.get("class") == "passage":
            self._in = ("passage", [])
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in = ("heading", [])
        elif tag == "style":
            self._in = ("style", [])
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")
            self._cell = True

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = False
        if self._in and tag in ("blockquote", "style") or (self._in and self._in[0] == "heading" and tag[0] == "h"):
            kind, parts = self._in
            {"passage": self.passages, "heading": self.headings, "style": self.styles}[kind].append("".join(parts))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._in[1].append(data)
        if self._cell:
            self.rows[-1][-1] += data


def _parsed(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|file:|data:text/html)", re.I)


def assert_nothing_external(page: str, parsed: _Page) -> None:
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "iframe", "img", "object", "embed", "base"), tag
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            assert not EXTERNAL.match(attrs.get(name) or ""), (tag, attrs)
            if name == "href" and attrs.get("href"):
                assert attrs["href"].startswith("#"), attrs  # only links within the page
        assert "url(" not in (attrs.get("style") or "") and "@import" not in (attrs.get("style") or "")
    for style in parsed.styles:
        assert "url(" not in style and "@import" not in style
    assert not re.search(r"https?://", page)


def test_html_report_is_self_contained_and_escaped(hand):
    page = to_html_report(hand)
    parsed = _parsed(page)
    assert_nothing_external(page, parsed)
    assert not [tag for tag, _ in parsed.tags if tag == "script"]
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>not bold</b>" not in page and "<things>" not in page
    expected = _expected_passages(CODINGS)
    assert parsed.passages == [text for code in ("share", "share.connect", "optimize")
                               for text, *_ in expected[code]]
    assert "<script>alert(1)</script>" in parsed.passages  # shown as text
    assert parsed.headings[:2] == ["Project: hand.somecode", "Contents"]
    for section in ("Codebook", "Themes by informant", "Coded passages by code", "Sources"):
        assert section in parsed.headings
    assert parsed.headings.count("Connect share.connect") == 2  # in the codebook and over its passages
    table = [row for row in parsed.rows if row and row[0] in THEMES]
    assert {row[0]: dict(zip(["Ani", "Budi", "Total"], map(int, row[1:]))) for row in table} == THEMES


def test_html_report_lists_the_sources(hand):
    rows = {row[0]: row for row in _parsed(to_html_report(hand)).rows if row and row[0] in TEXTS}
    assert rows["ani"] == ["ani", "Interview with Ani", "interview", "ani", "4", str(len(ANI)), "6"]
    assert rows["news"][2:] == ["document", "", "2", str(len(NEWS)), "1"]


def test_reports_of_the_bundled_study(tmp_path):
    with somecode.build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        frame = somecode.codings_frame(project)
        book = project.codebook()
        passages = write_docx_report(project, tmp_path / "passages.docx")
        codebook = write_codebook_docx(project, tmp_path / "codebook.docx")
        page = somecode.write_report(project, tmp_path / "report.html")
        themes = somecode.theme_by_informant(project, margins=True)
        texts = {s.id: s.text for s in project.sources()}
    sections = _by_heading(passages)
    assert [text for _, text, _ in sections] == [content.code_heading(c, "en") for c in book] + [
        text for _, text in LISTS]
    for (_, _, found), code in zip(sections, book):
        rows = frame[frame["code"] == code.id]
        assert [quote for _, quote, _ in found] == [texts[s][a:b] for s, a, b in
                                                     zip(rows["source"], rows["start"], rows["end"])]
    assert sum(len(found) for *_, found in sections) == len(frame) > 40
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(codebook)).tables]
    assert sum(int(row[1]) for row in tables[0][1:]) == len(frame)
    assert tables[1][-1][-1] == str(themes.loc["Total", "Total"]) == "36"
    parsed = _parsed(page.read_text(encoding="utf-8"))
    assert_nothing_external(page.read_text(encoding="utf-8"), parsed)
    assert len(parsed.passages) == len(frame)


def test_same_project_same_bytes(hand, tmp_path):
    for fmt, suffix in (("docx", "docx"), ("codebook", "docx"), ("html", "html")):
        first = somecode.write_report(hand, tmp_path / f"a.{suffix}", format=fmt).read_bytes()
        second = somecode.write_report(hand, tmp_path / f"b.{suffix}", format=fmt).read_bytes()
        assert first == second, fmt


def test_a_form_feed_cannot_go_into_word_and_is_shown_as_a_replacement(project, tmp_path):
    project.add_source(Source.from_text("doc", "Satu\x0cdua.", kind="document"))
    project.add_code("share")
    project.code("doc", 0, 9, "share", coder="nida")
    sections = _by_heading(write_docx_report(project, tmp_path / "r.docx"))
    assert sections[0][2][0][1] == "Satu\ufffddua."
    assert "Satu\ufffddua." in _parsed(to_html_report(project)).passages


def test_a_failed_write_keeps_the_old_file_and_leaves_no_partial(hand, tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(content.os, "replace", fail)
    with pytest.raises(OSError):
        somecode.write_report(hand, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob("report*.partial"))


def test_format_follows_the_file_name_or_is_refused(hand, tmp_path):
    assert docx.Document(str(somecode.write_report(hand, tmp_path / "r.DOCX"))).paragraphs
    with pytest.raises(somecode.ValidationError, match=r"r\.pdf: cannot tell the report's format"):
        somecode.write_report(hand, tmp_path / "r.pdf")
    with pytest.raises(somecode.ValidationError, match="did you mean 'html'"):
        somecode.write_report(hand, tmp_path / "r.pdf", format="htm")
    with pytest.raises(somecode.SomecodeError, match="is a folder"):
        somecode.write_report(hand, tmp_path, format="html")
    with pytest.raises(somecode.ValidationError, match="language='fr'"):
        somecode.write_report(hand, tmp_path / "r.docx", language="fr")
    with pytest.raises(somecode.NotFoundError, match="no coder 'nidaa'"):
        somecode.write_report(hand, tmp_path / "r.docx", coders=["nidaa"])
    assert not list(tmp_path.glob("r.*[!X]"))  # nothing written by a refused call


def test_cli_report(hand, tmp_path, capsys):
    hand.close()
    for fmt in ("docx", "html", "codebook"):
        out = tmp_path / f"out-{fmt}.{'html' if fmt == 'html' else 'docx'}"
        assert main(["report", str(tmp_path / "hand.somecode"), str(out), "--format", fmt]) == 0
        assert out.is_file() and f"written: {out}" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "hand.somecode"), str(tmp_path / "rui.docx"), "--coder", "rui"]) == 0
    assert len([q for *_, found in _by_heading(tmp_path / "rui.docx") for q in found]) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert os.path.getsize(tmp_path / "out-html.html") > 1000


# ------------------------------------------------------------------ free memos (issue #18, part 2 in reports)
# Memos about a code (one with a script tag, one with an emoji and a line break), a source, a case,
# a set, the project (the research journal), and a set deleted since: each must be shown verbatim,
# with what it is about.
MEMOS = {
    "share": ("code", "share", "Share is <script>alert(2)</script> & more", "nida"),
    "optimize": ("code", "optimize", "Reels 👩🏽‍💻 lead\nsecond line", "rui"),
    "source": ("source", "ani", "Long interview; <i>noisy</i> audio.", "nida"),
    "case": ("case", "ani", "Ani runs the account 🇮🇩.", "rui"),
    "set": ("set", "interviews", "Both from the Jakarta office.", "nida"),
    "day 1": ("project", "", "Day 1: began open coding.", "nida"),
    "day 2": ("project", "", "Day 2: <b>second</b> coder joined 👍🏽.", "rui"),
    "gone": ("set", "old", "The old set's memo.", "nida"),
}


@pytest.fixture
def memoed(hand):
    hand.add_set("interviews", sources=["ani", "budi"])
    hand.add_set("old", sources=["news"])
    for name, (kind, about, text, by) in MEMOS.items():
        if kind == "project":
            hand.add_journal_entry(text, by=by)
        else:
            hand.add_memo(text, kind=kind, about=about, by=by)
    hand.delete_set("old")  # its memo stays, and must not be lost from the report
    return hand


def _bylines(project) -> dict[str, str]:
    """Memo name -> how the reports introduce it: 'YYYY-MM-DD, author' (the day it was written)."""
    rows = project.memos()
    return {name: content.memo_byline(rows[rows["text"] == text].iloc[0].to_dict())
            for name, (_, _, text, _) in MEMOS.items()}


def test_memo_bylines_are_the_day_and_the_author(memoed):
    rows = memoed.memos()
    assert len(rows) == len(MEMOS)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}, (nida|rui)", line) for line in _bylines(memoed).values())


def _under_headings(document) -> list[tuple[str, str]]:
    """(the heading a paragraph is under, the paragraph's text), in document order."""
    out, heading = [], ""
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            heading = paragraph.text
        else:
            out.append((heading, paragraph.text))
    return out


def test_docx_report_shows_every_memo_with_what_it_is_about(memoed, tmp_path):
    by = _bylines(memoed)
    paragraphs = _under_headings(docx.Document(str(write_docx_report(memoed, tmp_path / "memos.docx"))))

    def memo(name, label="Memo"):
        text = MEMOS[name][2]
        return f"{label} ({by[name]}): {text}" if label else f"{by[name]}: {text}"

    # under the code's heading, after its counts, before its passages
    share = [text for heading, text in paragraphs if heading == "Share (share)"]
    assert share[:3] == ["3 coded passages (5 with its sub-codes), in 2 source(s), from 2 informant(s)",
                         memo("share"), share[2]] and share[2].startswith("source ani")
    optimize = [text for heading, text in paragraphs if heading == "Optimize (optimize)"]
    assert optimize[1] == memo("optimize") and "👩🏽‍💻 lead\nsecond line" in optimize[1]
    assert [text for heading, text in paragraphs if heading == "Connect (share.connect)"][1].startswith("source")
    # beside the source, the case and the set they are about
    sources = [text for heading, text in paragraphs if heading == "Sources"]
    assert sources[sources.index("ani: Interview with Ani (interview; informants ani; 4 units; "
                                 "6 coded passages)") + 1] == memo("source")
    assert [text for heading, text in paragraphs if heading == "Cases"] == [
        "Ani (ani): no attributes", memo("case"), "Budi (budi): no attributes"]
    assert [text for heading, text in paragraphs if heading == "Sets"] == [
        "interviews: sources: ani, budi", memo("set")]
    assert [text for heading, text in paragraphs if heading == "Research journal"] == [
        memo("day 1", ""), memo("day 2", "")]
    assert [text for heading, text in paragraphs if heading == "Memos about what is no longer in the project"] == [
        memo("gone", "Memo about the set old")]
    every = [text for _, text in paragraphs]
    for name, (_, _, text, _) in MEMOS.items():  # each memo once, verbatim
        assert sum(text in paragraph for paragraph in every) == 1, name


def test_codebook_docx_gives_each_codes_memos_after_its_definition(memoed, tmp_path):
    by = _bylines(memoed)
    paragraphs = _under_headings(docx.Document(str(write_codebook_docx(memoed, tmp_path / "codebook.docx"))))
    share = [text for heading, text in paragraphs if heading == "Share (share)"]
    assert share == ["Labels: Share (en)", "Definition: Sharing <things>.",
                     "Include: posts & stories", "Exclude: replies", "“Reels <3” (p. 4)",
                     f"Memo ({by['share']}): Share is <script>alert(2)</script> & more",
                     "Coded passages: 3 coded passages (5 with its sub-codes), in 2 source(s), from 2 informant(s)"]
    optimize = [text for heading, text in paragraphs if heading == "Optimize (optimize)"]
    assert optimize[-2] == f"Memo ({by['optimize']}): Reels 👩🏽‍💻 lead\nsecond line"
    assert not [text for heading, text in paragraphs if heading == "Manage (manage)" and "Memo" in text]


class _Memos(HTMLParser):
    """Each free memo of a page: (section id, the last heading's text, data-about, memo text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.memos, self.section, self.heading = [], "", ""
        self._heading: list[str] | None = None
        self._text: list[str] | None = None
        self._about = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section, self.heading = attrs.get("id") or "", ""
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "div" and "data-memo" in attrs:
            self._about = attrs.get("data-about") or ""
        elif tag == "span" and attrs.get("class") == "memo-text":
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.heading, self._heading = " ".join("".join(self._heading).split()), None
        elif tag == "span" and self._text is not None:
            self.memos.append((self.section, self.heading, self._about, "".join(self._text)))
            self._text = None

    def handle_data(self, data):
        for part in (self._heading, self._text):
            if part is not None:
                part.append(data)


def test_html_report_shows_every_memo_escaped_where_it_belongs(memoed):
    page = to_html_report(memoed)
    parsed = _parsed(page)
    assert_nothing_external(page, parsed)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "i")]
    assert "<script>alert(2)</script>" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<b>second</b>" not in page and "&lt;b&gt;second&lt;/b&gt; coder joined 👍🏽." in page
    memos = _Memos()
    memos.feed(page)
    assert memos.memos == [
        ("themes", "Ani ani", "case:ani", MEMOS["case"][2]),
        ("passages", "Share share", "code:share", MEMOS["share"][2]),
        ("passages", "Optimize optimize", "code:optimize", MEMOS["optimize"][2]),
        ("sources", "ani: Interview with Ani", "source:ani", MEMOS["source"][2]),
        ("sets", "interviews", "set:interviews", MEMOS["set"][2]),
        ("journal", "Research journal", "project:", MEMOS["day 1"][2]),
        ("journal", "Research journal", "project:", MEMOS["day 2"][2]),
        ("other-memos", "Memos about what is no longer in the project", "set:old", MEMOS["gone"][2]),
    ]
    by = _bylines(memoed)
    assert f"{by['day 1']}:</span>" in page and f"Memo, {by['share']}:</span>" in page
    for section in ("Sets", "Research journal", "Memos about what is no longer in the project"):
        assert section in parsed.headings


def test_reports_without_memos_say_there_are_none(hand, tmp_path):
    page = _parsed(to_html_report(hand))
    assert page.headings[-2:] == ["Sets", "Research journal"]
    assert "Memos about what is no longer in the project" not in page.headings
    paragraphs = _under_headings(docx.Document(str(write_docx_report(hand, tmp_path / "r.docx"))))
    assert [text for heading, text in paragraphs if heading in ("Sets", "Research journal")] == [
        "No sets.", "No journal entries."]


def test_reports_with_memos_are_the_same_bytes_each_time(memoed, tmp_path):
    for fmt, suffix in (("docx", "docx"), ("codebook", "docx"), ("html", "html")):
        first = somecode.write_report(memoed, tmp_path / f"a.{suffix}", format=fmt).read_bytes()
        second = somecode.write_report(memoed, tmp_path / f"b.{suffix}", format=fmt).read_bytes()
        assert first == second, fmt


def test_a_report_path_or_folder_that_cannot_be_written_is_our_error(hand, tmp_path):
    from somecode.errors import SomecodeError, ValidationError
    from somecode.reports import write_report

    with pytest.raises(ValidationError, match=r"path=5 is not a file name"):
        write_report(hand, 5)
    with pytest.raises(ValidationError, match=r"coders=5 is not a coder id"):
        write_report(hand, tmp_path / "r.html", coders=5)
    missing = tmp_path / "no" / "such"
    for name in ("r.html", "r.docx"):
        with pytest.raises(SomecodeError, match=re.escape(f"the folder {missing} does not exist (fix: create it")):
            write_report(hand, missing / name)
    assert not any(p.name.startswith("r.") for p in tmp_path.rglob("*"))  # nothing written, no folder made
    assert not (tmp_path / "no").exists()
