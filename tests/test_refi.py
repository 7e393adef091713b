"""REFI-QDA project exchange: schema-valid, deterministic export; exact round trip; every real
sample imports with a correct fidelity report; NVivo's UTF-16 offsets; a hardened importer."""

import zipfile

import pytest
from conftest import STUDY, shared_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import somecode
from somecode import SourceReadError
from somecode.exchange import project_schema, read_qdpx, to_qde, write_qdpx
from somecode.exchange.safexml import Limits
from somecode.study import build_study


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    with build_study(STUDY, tmp_path_factory.mktemp("s") / "bpjs.somecode") as project:
        yield project


def _state(project):
    key = lambda c: (c.source_id, c.start, c.end, c.code_id, c.coder_id)
    stances = project.stances()[["source", "start", "end", "code", "coder", "proposition", "stance", "memo"]]
    return (project.sources(), project.codes(), project.coders(), project.informants(),
            sorted((key(c), c.memo, c.origin, c.status, c.created, c.evidence) for c in project.coding_records()),
            project.summaries(), project.propositions().values.tolist(), sorted(stances.values.tolist()),
            project.assessments().drop(columns="id").values.tolist())


def test_export_is_valid_against_the_shipped_schema_and_byte_identical(study, tmp_path):
    project_schema().assertValid(etree.fromstring(to_qde(study).encode()))
    first = write_qdpx(study, tmp_path / "a.qdpx").read_bytes()
    assert first == write_qdpx(study, tmp_path / "b.qdpx").read_bytes()
    names = zipfile.ZipFile(tmp_path / "a.qdpx").namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
    assert b"basePath" not in zipfile.ZipFile(tmp_path / "a.qdpx").read("project.qde")


def test_the_bundled_study_round_trips_exactly(study, tmp_path):
    study.set_summary("agustian-fardianto", "engage", "Influencers, carefully chosen.", by="nida")
    study.assess("engage", "Agustian Fardianto", "news", convergence="dissonance", by="nida",
                 rationale="buzzers were cancelled")
    write_qdpx(study, tmp_path / "s.qdpx")
    project_schema().assertValid(etree.fromstring(zipfile.ZipFile(tmp_path / "s.qdpx").read("project.qde")))
    back, report = read_qdpx(tmp_path / "s.qdpx", tmp_path / "back.somecode")
    with back:
        assert _state(back) == _state(study)
    counts = report.set_index("element")
    assert counts.loc["Coding", ["read", "mapped", "dropped"]].tolist() == [48, 48, 0]
    assert counts.loc["Note", "dropped"] == 0  # memos, summaries, propositions and somecode's own note


texts = st.lists(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["👍", "e\u0301", "\n"]),
                 min_size=1, max_size=60).map(lambda t: somecode.text.canonical_text("".join(t))).filter(str.strip)


@st.composite
def random_projects(draw):
    sources = draw(st.lists(texts, min_size=1, max_size=3))
    n_codes = draw(st.integers(1, 5))
    parents = [None] + [draw(st.sampled_from([None] + [f"c{j}" for j in range(i)])) for i in range(1, n_codes)]
    coders = draw(st.lists(st.sampled_from(["ana", "budi", "citra"]), min_size=1, max_size=3, unique=True))
    codings = []
    for s, text in enumerate(sources):
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            codings.append((s, start, end, f"c{draw(st.integers(0, n_codes - 1))}", draw(st.sampled_from(coders)),
                            draw(st.sampled_from(["", "memo ✓", "dua\nbaris"]))))
    attrs = draw(st.dictionaries(st.sampled_from(["date", "role", "tempat"]), st.text(max_size=8), max_size=2))
    return sources, parents, codings, attrs


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_projects())
def test_random_projects_round_trip(tmp_path_factory, case):
    sources, parents, codings, attrs = case
    folder = tmp_path_factory.mktemp("rt")
    with somecode.Project.create(folder / "p.somecode") as project:
        for i, text in enumerate(sources):
            project.add_source(somecode.Source(f"s{i}", "interview", text, attrs=dict(attrs, informants={
                f"inf{i}": {"name": f"Informan {i}", "role": "staf"}}),
                turns=(somecode.Turn(0, len(text), f"Informan {i}", f"inf{i}"),)))
        project.add_codes(somecode.Code(f"c{i}", p, f"Kode {i}", {"en": f"Code {i}", "id": f"Kode {i}"},
                                        "#1F77B4" if i % 2 else None) for i, p in enumerate(parents))
        for s, start, end, code, coder, memo in codings:
            project.code(f"s{s}", start, end, code, coder=coder, memo=memo)
        project_schema().assertValid(etree.fromstring(to_qde(project).encode()))
        write_qdpx(project, folder / "p.qdpx")
        back, _ = read_qdpx(folder / "p.qdpx", folder / "back.somecode")
        with back:
            assert _state(back) == _state(project)


def test_an_independent_reader_sees_the_same_project(study, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda")
    write_qdpx(study, tmp_path / "s.qdpx")
    other = pyrefiqda.RefiProject.load(str(tmp_path / "s.qdpx"), extract_dir=str(tmp_path / "x"))

    def count(codes):
        return sum(1 + count(c.code or []) for c in codes)

    assert count(other.code_book.codes.code) == len(study.codes())
    assert len(other.sources.text_source) == len(study.sources())
    selections = [s for t in other.sources.text_source for s in (t.plain_text_selection or [])]
    assert sum(len(s.coding) for s in selections) == len(study.coding_records())
    texts = {s.id: s.text for s in study.sources()}
    by_guid = {t.guid: t.name for t in other.sources.text_source}
    for source in other.sources.text_source:
        for selection in source.plain_text_selection or []:
            assert selection.name == texts[by_guid[source.guid]][selection.start_position:selection.end_position]


# Counts read by hand from each sample's XML (elements of each kind).
SAMPLES = {
    "nvivo12-win_youtube-comments-coded.qdpx": {"User": 2, "Code": 152, "TextSource": 2,
                                                "PlainTextSelection": 303, "Coding": 303},
    "nvivo15-mac_qc-roundtrip.qdpx": {"User": 2, "Code": 262, "TextSource": 2},
    "atlasti8.4_refi-spec-example.qdpx": {"User": 3, "Code": 14, "TextSource": 6, "PlainTextSelection": 8,
                                          "Coding": 16, "PDFSource": 2, "PictureSource": 1, "AudioSource": 1,
                                          "VideoSource": 2, "PDFSelection": 4, "PictureSelection": 1,
                                          "VideoSelection": 2, "Note": 2, "Links": 1, "Set": 16, "Graphs": 1},
    "atlasti23-win_target-project.qdpx": {"User": 2, "Code": 3},
    "atlasti23-win_blank-project.qdpx": {"User": 2},
    "maxqda24_project.qde": {"User": 1, "Code": 307, "TextSource": 10, "Set": 2},
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_imports_with_a_correct_report(name, tmp_path):
    path = shared_file("refi-qda", "samples", name)
    project, report = read_qdpx(path, tmp_path / "imported.somecode")
    project.close()
    counts = report.set_index("element")
    assert counts["read"].to_dict() == SAMPLES[name]
    assert (counts["read"] == counts["mapped"] + counts["merged"] + counts["dropped"]).all()
    assert all(counts.loc[counts["dropped"] > 0, "why"].str.len() > 0)


def test_nvivo_offsets_are_utf16_with_crlf_as_two(tmp_path):
    path = shared_file("refi-qda", "samples", "nvivo12-win_youtube-comments-coded.qdpx")
    project, report = read_qdpx(path, tmp_path / "nvivo.somecode")
    with project:
        offsets = report.attrs["offsets"].set_index("selections")
        assert offsets.loc[303, "scheme"] == "UTF-16 units, CRLF counted as 2, BOM not counted"
        assert offsets["violations"].sum() == 0
        records = project.coding_records()
        texts = {s.id: s.text for s in project.sources()}

        def word_edge(text, i):
            return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())

        def line_edge(text, i):
            return i <= 0 or i >= len(text) or "\n" in (text[i - 1], text[i])

        on_words = sum(word_edge(texts[c.source_id], c.start) and word_edge(texts[c.source_id], c.end) for c in records)
        on_lines = sum(line_edge(texts[c.source_id], c.start) and line_edge(texts[c.source_id], c.end) for c in records)
        assert len(records) == 303 and on_words >= 300 and on_lines >= 274


# ----------------------------------------------------------------------------- security
def _archive(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


PROJECT = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "boom">]><Project name="&e;"/>',
    b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><Project name="&e;"/>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Project name="&c;"/>',
])
def test_entities_and_dtds_are_refused(tmp_path, xml):
    path = _archive(tmp_path / "evil.qdpx", {"project.qde": xml})
    with pytest.raises(SourceReadError, match="DOCTYPE"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


@pytest.mark.parametrize("member", ["../escape.txt", "/etc/evil.txt", "sources/../../x.txt", "C:/x.txt"])
def test_zip_slip_is_refused(tmp_path, member):
    path = _archive(tmp_path / "slip.qdpx", {"project.qde": PROJECT, member: b"x"})
    with pytest.raises(SourceReadError, match="unsafe member name"):
        read_qdpx(path, tmp_path / "p.somecode")


def test_zip_bombs_by_ratio_and_by_size_and_too_many_files(tmp_path):
    bomb = _archive(tmp_path / "ratio.qdpx", {"project.qde": PROJECT, "sources/a.txt": b"a" * 5_000_000})
    with pytest.raises(SourceReadError, match="compressed .* to 1, over the limit"):
        read_qdpx(bomb, tmp_path / "p.somecode")
    big = _archive(tmp_path / "size.qdpx", {"project.qde": PROJECT, "sources/a.txt": b"a" * 50_000},
                   compression=zipfile.ZIP_STORED)
    with pytest.raises(SourceReadError, match="over the limit 10,000"):
        read_qdpx(big, tmp_path / "p.somecode", limits=Limits(member_bytes=10_000))
    many = _archive(tmp_path / "many.qdpx", {"project.qde": PROJECT, **{f"sources/{i}.txt": b"x" for i in range(30)}})
    with pytest.raises(SourceReadError, match="31 entries, more than the limit 20"):
        read_qdpx(many, tmp_path / "p.somecode", limits=Limits(entries=20))
    assert not (tmp_path / "p.somecode").exists()


def test_external_sources_are_opened_only_when_allowed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Rahasia sekali.", encoding="utf-8")
    qde = (f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           f'<TextSource guid="00000000-0000-0000-0000-000000000001" name="secret" '
           f'plainTextPath="absolute://{outside}"/></Sources></Project>').encode()
    path = _archive(tmp_path / "ext.qdpx", {"project.qde": qde})
    project, report = read_qdpx(path, tmp_path / "closed.somecode")
    with project:
        assert project.source_ids() == []
        assert "not opened (pass allow_external=" in report.set_index("element").loc["TextSource", "why"]
    project, _ = read_qdpx(path, tmp_path / "open.somecode", allow_external=tmp_path)
    with project:
        assert project.source("secret").text == "Rahasia sekali."


def test_a_failed_import_leaves_nothing(tmp_path):
    qde = (b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
           b'<TextSource guid="00000000-0000-0000-0000-000000000001" name="a" plainTextPath="internal://a.txt"/>'
           b'<TextSource guid="00000000-0000-0000-0000-000000000002" name="A" plainTextPath="internal://b.txt"/>'
           b'</Sources></Project>')
    path = _archive(tmp_path / "dup.qdpx", {"project.qde": qde, "sources/a.txt": b"satu", "sources/b.txt": b"dua"})
    with pytest.raises(SourceReadError, match="two sources share the id 'a'"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert list(tmp_path.glob("p.somecode*")) == []


def test_the_import_hashes_no_coding_when_there_is_no_stance_to_restore(tmp_path, monkeypatch):
    """Codings' GUIDs are recomputed on import only to re-attach stances."""
    from somecode.exchange import refi_write

    project = somecode.Project.create(tmp_path / "p.somecode")
    project.add_source(somecode.Source("doc", "document", "Satu dua tiga empat.", turns=()))
    project.add_code("share")
    for start in range(0, 15, 5):
        project.code("doc", start, start + 4, "share", coder="nida")
    write_qdpx(project, tmp_path / "s.qdpx")
    calls = []
    real = refi_write.guid
    monkeypatch.setattr(refi_write, "guid", lambda kind, key: calls.append(kind) or real(kind, key))
    read_qdpx(tmp_path / "s.qdpx", tmp_path / "back.somecode")[0].close()
    assert calls == []
    project.add_proposition("share", "Sharing is counting.", id="p1", by="nida")
    project.set_stance(project.coding_records()[0].id, "p1", "supports", by="nida")
    write_qdpx(project, tmp_path / "t.qdpx")
    calls.clear()
    back, _ = read_qdpx(tmp_path / "t.qdpx", tmp_path / "back2.somecode")
    with back:
        assert len(back.stances()) == 1
    assert calls.count("coding") == 3
    project.close()
