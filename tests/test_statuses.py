"""Issue #14, scopes 3 and 4: which codings count, and where.

Accepted codings only, unless ``status=`` says otherwise (the long table and every analysis); the
transcript view never draws a rejected coding and marks suggestions; ``autocode`` says how many of
its suggestions are new; an interview without speaker labels belongs to its front-matter
informant; and, over random projects, every accepted coding is counted exactly once.
"""

from __future__ import annotations

import inspect
from collections import Counter

import numpy as np
import pytest

import somecode
from somecode import Code, Coding, Source, Turn
from somecode.errors import ValidationError
from somecode.jupyter.display import source_html
from somecode.project.codings import codings as project_codings
from somecode.sources.transcript import parse_transcript

# ------------------------------------------------------------------ accepted unless status= says
TEXT = "Peneliti: Apa fiturnya?\nAni: Reels naik. Insight turun. Lomba ramai.\n"
# turn 0 Peneliti [10, 23); turn 1 Ani [29, 68): "Reels naik." [29, 40) "Insight turun." [41, 55)
# "Lomba ramai." [56, 68)


@pytest.fixture
def mixed(project):
    project.add_source(Source.from_text("ani", TEXT, kind="interview",
                                        turns=[Turn(10, 23, "Peneliti"), Turn(29, 68, "Ani", "ani")]))
    project.add_codes([Code("optimize", label="Optimize", color="#2CA02C"),
                       Code("manage", label="Manage", color="#FF7F0E"),
                       Code("engage", label="Engage", color="#1F77B4")])
    project.add_codings([
        Coding("ani", 29, 34, "optimize", "nida"),                                     # accepted "Reels"
        Coding("ani", 41, 48, "manage", "auto:x", origin="auto", status="suggested"),  # "Insight"
        Coding("ani", 56, 61, "engage", "auto:x", origin="auto", status="rejected"),   # "Lomba"
    ])
    return project


def test_codings_are_the_accepted_ones_unless_status_says(mixed):
    assert project_codings(mixed)["text"].tolist() == ["Reels"]
    assert project_codings(mixed, status=None)["text"].tolist() == ["Reels", "Insight", "Lomba"]
    assert project_codings(mixed, status="suggested")["text"].tolist() == ["Insight"]
    assert project_codings(mixed, status="rejected")["text"].tolist() == ["Lomba"]


def test_project_codings_are_the_accepted_ones_by_default(mixed):
    assert mixed.codings()["text"].tolist() == ["Reels"]


def test_every_analysis_counts_accepted_codings_by_default(mixed):
    from somecode import analysis
    from somecode.analysis import triangulation

    # by hand: only "Reels" (optimize, Ani's turn) is accepted
    assert somecode.theme_by_informant(mixed).to_dict() == {"Ani": {"optimize": 1, "manage": 0, "engage": 0}}
    assert somecode.theme_by_source(mixed)["ani"].tolist() == [1, 0, 0]
    assert somecode.theme_by_source(mixed, status=None)["ani"].tolist() == [1, 1, 1]
    assert somecode.theme_by_source(mixed, status="suggested")["ani"].tolist() == [0, 1, 0]
    assert analysis.retrieve(mixed)["text"].tolist() == ["Reels"]
    assert analysis.saturation(mixed)["new_codes"].tolist() == [["optimize"]]
    assert analysis.framework_matrix(mixed).loc["Ani"].tolist() == ["“Reels” (ani 29–34)", "", ""]
    assert analysis.cooccurrence(mixed).to_numpy().trace() == 1
    assert triangulation.triangulate(mixed).themes.query("present")["theme"].tolist() == ["optimize"]
    for function in (analysis.codings_frame, analysis.theme_by_informant, analysis.theme_by_source,
                     analysis.crosstab, analysis.framework_matrix, analysis.retrieve, analysis.cooccurrence,
                     analysis.saturation, project_codings):
        assert inspect.signature(function).parameters["status"].default == "accepted", function.__name__


# ------------------------------------------------------------------ the transcript view
def test_rejected_codings_are_never_drawn_and_suggestions_are_marked(mixed):
    html = source_html(mixed, "ani")
    assert html.count("<mark") == 2  # "Reels" and "Insight"; "Lomba" (rejected) is plain text
    assert 'title="Optimize (nida)" data-codes="optimize">Reels</mark>' in html
    assert ('<mark style="background:transparent;text-decoration:underline dashed #FF7F0E 2px;'
            'text-underline-offset:3px" title="Manage (auto:x, suggested)" data-codes="manage" '
            'data-suggested="manage">Insight</mark>') in html
    assert "Lomba" in html and "Engage" not in html and 'data-codes="engage"' not in html
    assert "Manage (suggested)</span>" in html and "dashed: suggested, not yet reviewed" in html
    assert html.count("border-bottom:3px solid") == 1  # the legend's one accepted code
    accepted = source_html(mixed, "ani", status="accepted")
    assert accepted.count("<mark") == 1 and "suggested" not in accepted
    assert source_html(mixed, "ani", status="suggested").count("<mark") == 1
    with pytest.raises(ValidationError, match="rejected codings are never drawn"):
        source_html(mixed, "ani", status="rejected")


def test_a_suggestion_over_an_accepted_coding_keeps_both_marks(mixed):
    mixed.add_codings([Coding("ani", 29, 40, "manage", "auto:x", origin="auto", status="suggested")])
    html = source_html(mixed, "ani")
    # "Reels" [29, 34) under both; " naik." [34, 40) under the suggestion only
    assert ('title="Optimize (nida); Manage (auto:x, suggested)" data-codes="optimize manage" '
            'data-suggested="manage">Reels</mark>') in html
    assert "inset 0 -3px 0 0 #2CA02C;padding-bottom:3px;text-decoration:underline dashed #FF7F0E" in html


# ------------------------------------------------------------------ autocode's counts
INTERVIEW = """---
id: wawancara
language: id
speakers: {Peneliti: interviewer, Ani: informant}
---
Peneliti: Apakah kalian pakai reels? Bagaimana dengan micro influencer?
Ani: Kami pakai reels setiap hari. Kami juga kerja sama dengan micro influencer.
Ani: Gak ada buzzer. Reels bukan iklan berbayar.
Ani: Jangkauannya naik, jangkauan kami luas.
"""
PATTERNED = [
    Code("optimize", patterns={"id": {"phrases": ["reels"], "exclude": ["iklan berbayar"]}}),
    Code("engage", patterns={"id": {"tokens": [[{"LOWER": "micro"}, {"LOWER": "influencer"}]],
                                    "phrases": ["tidak ada buzzer"]}}),
    Code("engage.reach", "engage", patterns={"id": {"phrases": ["jangkauan"]}}),
]
# Ani's sentences: "Kami pakai reels setiap hari." optimize; "... micro influencer." engage;
# "Gak ada buzzer." engage; "Reels bukan iklan berbayar." excluded; "Jangkauannya ..." engage.reach: 4


def _patterned(project):
    project.add_source(parse_transcript(INTERVIEW, "w.md"))
    project.add_codes(PATTERNED)
    project.code_quote("wawancara", "Kami pakai reels setiap hari.", "optimize", coder="nida")
    return project


def test_autocode_counts_new_already_there_and_skipped(project):
    from somecode.auto.coder import autocode, reject, suggestions

    _patterned(project)
    first = autocode(project)
    assert len(first) == 3 and list(first.columns) == ["source", "start", "end", "code"]
    assert first.attrs == {"new": 3, "already": 0, "skipped": 1}  # optimize: a person coded it
    reject(project, code="engage.reach")
    again = autocode(project)
    assert len(again) == 0 and again.attrs == {"new": 0, "already": 3, "skipped": 1}
    assert sorted(suggestions(project, status=None)["status"]) == ["rejected", "suggested", "suggested"]


def test_the_cli_reports_only_new_suggestions_as_stored(tmp_path, capsys):
    from somecode.cli import main

    path = tmp_path / "p.somecode"
    with somecode.Project.create(path) as project:
        _patterned(project)
    assert main(["autocode", str(path)]) == 0
    assert capsys.readouterr().out.startswith(
        "3 new suggestions stored (0 already there, 1 skipped where a person coded)\n")
    assert main(["autocode", str(path)]) == 0
    assert capsys.readouterr().out == "0 new suggestions stored (3 already there, 1 skipped where a person coded)\n"


# ------------------------------------------------------------------ an interview without speaker labels
MANPRO = """---
id: manpro
kind: interview
informant: Manpro
role: manajer program
---
Kami pakai reels setiap hari.

Insight kami pantau tiap pagi.
"""
# paragraph 0 [0, 29) 5 words; paragraph 1 [31, 61) 5 words


def test_an_unlabelled_interview_belongs_to_its_front_matter_informant(mixed):
    mixed.add_source(parse_transcript(MANPRO, "manpro.md"))
    mixed.add_source(Source.from_text("memo", "Reels naik.", kind="document", attrs={"informant": "Manpro"},
                                      turns=[Turn(0, 11)]))
    mixed.add_codings([Coding("manpro", 11, 16, "optimize", "nida"),   # "reels"
                       Coding("manpro", 29, 38, "manage", "nida"),     # between paragraphs: "\n\nInsight"
                       Coding("manpro", 31, 38, "engage", "auto:x", origin="auto", status="suggested"),
                       Coding("memo", 0, 5, "optimize", "nida")])      # a document stays a document
    table = somecode.theme_by_informant(mixed)
    assert table.to_dict() == {"Ani": {"optimize": 1, "manage": 0, "engage": 0},
                               "Manpro": {"optimize": 1, "manage": 1, "engage": 0}}
    documents = somecode.theme_by_informant(mixed, include_documents=True)
    assert list(documents.columns) == ["Ani", "Manpro", "document"]
    assert documents["document"].tolist() == [1, 0, 0]
    assert somecode.theme_by_informant(mixed, value="segments")["Manpro"].tolist() == [1, 1, 0]
    # coverage: "reels" 1 word, "Insight" 1 word (the gap has none) of the 10 words of both paragraphs
    assert somecode.theme_by_informant(mixed, value="coverage").loc["manage", "Manpro"] == pytest.approx(0.1)
    assert somecode.crosstab(mixed, by="role")["manajer program"].tolist() == [1, 1, 0]
    frame = project_codings(mixed, source="manpro")
    assert frame["informant"].tolist() == ["manpro", "manpro"] and frame["speaker"].isna().all()
    assert frame["turn"].iloc[0] == 0 and frame["turn"].isna().tolist() == [False, True]
    assert somecode.analysis.retrieve(mixed, informant="Manpro")["text"].tolist() == ["reels", "\n\nInsight"]


def test_a_front_matter_name_joins_a_known_informant(mixed):
    mixed.add_source(parse_transcript(MANPRO.replace("Manpro", "Ani"), "manpro.md"))
    mixed.add_codings([Coding("manpro", 11, 16, "optimize", "nida")])
    assert somecode.theme_by_informant(mixed).to_dict() == {"Ani": {"optimize": 2, "manage": 0, "engage": 0}}


def test_an_interviewers_turn_stays_no_ones(mixed):
    mixed.add_codings([Coding("ani", 10, 13, "manage", "nida")])  # "Apa", the interviewer's question
    assert somecode.theme_by_informant(mixed, include_documents=True)["Ani"].tolist() == [1, 0, 0]
    assert somecode.theme_by_source(mixed)["ani"].tolist() == [1, 1, 0]


# ------------------------------------------------------------------ every coding counted, over random projects
STAGE_CODES = {"share": ["share.info"], "optimize": ["optimize.reels", "optimize.time"], "engage": []}
CODE_IDS = [c for stage, subs in STAGE_CODES.items() for c in [stage, *subs]]
NAMES = ["Ani", "Budi", "Citra", "Dewi"]
WORDS = ["reels", "insight", "konten", "jangkauan", "peserta", "layanan"]


def _random_project(rng, folder):
    """A project and, apart from it, everything the expected tables need: each source's kind, its
    units (start, end, owner) with owner an informant name or None, its column when nobody speaks
    it (a document type), and the codings made."""
    def words(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    sources, plan, registered = [], {}, set()
    names = list(rng.permutation(NAMES)[:rng.integers(2, 5)])
    for n in range(int(rng.integers(1, 3))):                  # labelled interviews
        people = [str(p) for p in rng.choice(names, size=int(rng.integers(1, 3)), replace=False)]
        registered |= set(people)
        text, turns = "", []
        for _ in range(int(rng.integers(2, 6))):
            speaker = "Peneliti" if rng.random() < 0.35 else str(rng.choice(people))
            text += f"{speaker}: "
            body = words(int(rng.integers(1, 6)))
            turns.append(Turn(len(text), len(text) + len(body), speaker,
                              None if speaker == "Peneliti" else speaker.lower()))
            text += body + "\n"
        sources.append(Source.from_text(f"int{n}", text, kind="interview", turns=turns, attrs={
            "informants": {p.lower(): {"name": p} for p in people}}))
        plan[f"int{n}"] = ("interview", [(t.start, t.end, t.speaker if t.informant else None) for t in turns], None)
    owner = "Manpro" if rng.random() < 0.6 else str(rng.choice(names))  # a new person, or a known one
    paragraphs = [words(int(rng.integers(1, 6))) for _ in range(int(rng.integers(1, 4)))]
    unlabelled = parse_transcript(f"---\nid: solo\nkind: interview\ninformant: {owner}\n---\n"
                                  + "\n\n".join(paragraphs) + "\n", "solo.md")
    spans, at = [], 0
    for paragraph in paragraphs:
        spans.append((at, at + len(paragraph), owner))
        at += len(paragraph) + 2
    assert [(t.start, t.end) for t in unlabelled.turns] == [s[:2] for s in spans]  # the fixture is as meant
    sources.append(unlabelled)
    plan["solo"] = ("interview", spans, None)
    for n in range(int(rng.integers(1, 3))):                  # documents
        doc_type = [None, "report", "news"][int(rng.integers(0, 3))]
        paragraphs = [words(int(rng.integers(1, 6))) for _ in range(int(rng.integers(1, 4)))]
        text = "\n\n".join(paragraphs) + "\n"
        units, at = [], 0
        for paragraph in paragraphs:
            units.append((at, at + len(paragraph), None))
            at += len(paragraph) + 2
        attrs = {"doc_type": doc_type} if doc_type else {}
        if rng.random() < 0.3:
            attrs["informant"] = "Eko"  # a document names someone: still a document
        sources.append(Source.from_text(f"doc{n}", text, kind="document", attrs=attrs,
                                        turns=[Turn(a, b) for a, b, _ in units]))
        plan[f"doc{n}"] = ("document", units, doc_type or "document")
    codings, keys = [], set()
    for _ in range(int(rng.integers(5, 40))):
        source = sources[int(rng.integers(0, len(sources)))]
        start = int(rng.integers(0, len(source.text) - 1))
        gaps = [t.end for t in source.turns if t.end < len(source.text) - 1]
        if gaps and rng.random() < 0.25:
            start = int(rng.choice(gaps))  # just after a unit: between units
        end = int(rng.integers(start + 1, min(len(source.text), start + 30) + 1))  # may cross turns
        code, coder = str(rng.choice(CODE_IDS)), str(rng.choice(["nida", "budi"]))
        status = str(rng.choice(["accepted", "accepted", "suggested", "rejected"]))
        if (source.id, start, end, code, coder) in keys:
            continue
        keys.add((source.id, start, end, code, coder))
        codings.append(Coding(source.id, start, end, code, coder, status=status))
    project = somecode.Project.create(folder / "random.somecode")
    project.add_sources(sources)
    project.add_codes(Code(c, c.split(".")[0] if "." in c else None) for c in CODE_IDS)
    project.add_codings(codings)
    return project, plan, codings, registered, owner


def _place(plan, coding):
    """By hand: the unit a coding starts in (its index, or None between units) and who owns it --
    an informant name, or None for an interviewer's turn or a gap of a labelled interview -- and
    the column it belongs to in the informant table (None: counted only by source)."""
    kind, units, document_column = plan[coding.source_id]
    index = next((i for i, (a, b, _) in enumerate(units) if a <= coding.start < b), None)
    if kind == "document":
        return index, document_column
    if coding.source_id == "solo":
        return index, units[0][2]  # the front-matter informant, wherever it starts
    return index, None if index is None else units[index][2]


def _expected(plan, codings, *, by, level, value):
    """{(theme, column): count} from the raw coding records, for count or segments."""
    cells = Counter()
    seen = set()
    for n, coding in enumerate(codings):
        index, column = _place(plan, coding)
        column = coding.source_id if by == "source" else column
        if column is None:
            continue
        theme = coding.code_id.split(".")[0] if level == "stage" else coding.code_id
        if value == "segments":
            unit = (coding.source_id, index) if index is not None else ("coding", n)
            if (theme, column, unit) in seen:
                continue
            seen.add((theme, column, unit))
        cells[(theme, column)] += 1
    return cells


def _cells(table):
    """{(theme, column): value} of the non-zero cells; at code level the theme is the code."""
    out = {}
    for column in table.columns:
        for row, value in table[column].items():
            if value:
                out[(row[1] if isinstance(row, tuple) else row, column)] = int(value)
    return out


@pytest.mark.parametrize("seed", range(15))
def test_every_accepted_coding_is_counted_exactly_once(seed, tmp_path):
    rng = np.random.default_rng(seed)
    project, plan, codings, registered, owner = _random_project(rng, tmp_path)
    with project:
        accepted = [c for c in codings if c.status == "accepted"]
        people = sorted(registered | {owner}, key=str.lower)  # every informant, by id
        documents = sorted({plan[c.source_id][2] for c in accepted if plan[c.source_id][0] == "document"})
        for level in ("code", "stage"):
            for value in ("count", "segments"):
                by_person = somecode.theme_by_informant(project, level=level, value=value, include_documents=True)
                assert list(by_person.columns) == people + documents
                assert _cells(by_person) == _expected(plan, accepted, by="informant", level=level, value=value)
                by_source = somecode.theme_by_source(project, level=level, value=value)
                assert _cells(by_source) == _expected(plan, accepted, by="source", level=level, value=value)
        # exactly once: each accepted coding is in one informant or document column, or else (an
        # interviewer's turn, a gap between labelled turns) only in its source's column
        nobody = [c for c in accepted if _place(plan, c)[1] is None]
        by_person = somecode.theme_by_informant(project, level="code", include_documents=True, margins=True)
        by_source = somecode.theme_by_source(project, level="code", margins=True)
        assert by_source.loc[("Total", ""), "Total"] == len(accepted)
        assert by_person.loc[("Total", ""), "Total"] == len(accepted) - len(nobody)
        # suggested and rejected codings count only when asked for
        for status in ("suggested", "rejected", None):
            chosen = [c for c in codings if status is None or c.status == status]
            table = somecode.theme_by_informant(project, level="code", include_documents=True, status=status)
            assert _cells(table) == _expected(plan, chosen, by="informant", level="code", value="count")
