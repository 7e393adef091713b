"""Our .qdpx read by code nobody here wrote: pyrefiqda and pyqdpx read it in the tests, and the
rules QualCoder's importer relies on are checked on our output.

QualCoder is not on the package index.  The rules below were read from its importer,
ccbogel/QualCoder ``src/qualcoder/refi.py`` (commit 06db5fabd264bff558245c9596a054e279d7a668),
class ``RefiImport``; each test names the method it follows.  No code of it is used here.

pyqdpx (0.1.8) has limits of its own, documented in the README: it reads only the first
Coding of a selection and the selection's creating user, and it counts positions as NVivo
does (a character outside the Basic Multilingual Plane is two), so its selected text drifts
after an emoji in a file that counts code points, as the standard says.
"""

from __future__ import annotations

import warnings
import zipfile
from collections import Counter

import pytest
from conftest import STUDY
from lxml import etree

import somecode
from somecode import Code, Coder, Coding, SomecodeWarning, Source, Turn
from somecode.exchange import project_schema, read_qdpx, write_qdpx
from somecode.study import build_study

NS = {"q": "urn:QDA-XML:project:1.0"}

# Hand-built: emoji before coded words, a source read from a CRLF file, two coders on one span,
# memos, the same label under two parents, and machine suggestions (one rejected).
TEXT_A = "Halo 👋 semua. Kami membagikan konten 🎉 setiap hari.\nInfluencer dipilih dengan hati-hati."
TEXT_B_FILE = "Baris satu.\r\nBaris dua: privasi data peserta.\r\n"


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hard")
    (folder / "b.txt").write_bytes(TEXT_B_FILE.encode("utf-8"))
    project = somecode.Project.create(folder / "hard.somecode")
    project.add_source(Source("a", "interview", TEXT_A, turns=(Turn(0, len(TEXT_A), "Nida", "nida"),)))
    project.add_path(folder / "b.txt")
    project.add_codes([Code("share", None, "Share"), Code("privacy", "share", "Privacy"),
                       Code("manage", None, "Manage"), Code("privacy2", "manage", "Privacy"),
                       Code("engage", None, "Engage")])
    project.add_coder(Coder("ana", "Ana"))
    project.add_coder(Coder("budi", "Budi"))
    project.add_coder(Coder("auto", "somecode rules", "machine"))
    a = TEXT_A
    share = (a.index("membagikan"), a.index("🎉") + 1)
    project.code("a", *share, "share", coder="ana", memo="membagikan 🎉, jelas")
    project.code("a", *share, "share", coder="budi", memo="setuju")
    project.code("a", *share, "engage", coder="ana")
    project.code("a", a.index("Influencer"), len(a), "engage", coder="budi")
    b = project.source("b").text
    project.code("b", b.index("privasi"), b.index("privasi") + len("privasi data"), "privacy", coder="ana")
    project.code("b", b.index("privasi"), b.index("privasi") + len("privasi data"), "privacy2", coder="budi",
                  memo="dua baris\nmemo")
    project.add_codings([
        Coding("a", a.index("Halo"), a.index("semua") + 5, "engage", "auto", origin="auto", status="suggested"),
        Coding("b", 0, len("Baris satu"), "manage", "auto", origin="auto", status="rejected"),
    ])
    yield project
    project.close()


def _accepted(project):
    return [c for c in project.coding_records() if c.status == "accepted"]


def _export(project, path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SomecodeWarning)
        return write_qdpx(project, path, **options)


def _qde(path):
    return etree.fromstring(zipfile.ZipFile(path).read("project.qde"))


@pytest.fixture(scope="module", params=["study", "hard"])
def exported(request, hard, tmp_path_factory):
    """(project, path of its .qdpx) for the bundled study and the hand-built project."""
    folder = tmp_path_factory.mktemp("x")
    if request.param == "hard":
        yield hard, _export(hard, folder / "hard.qdpx")
        return
    with build_study(STUDY, folder / "bpjs.somecode") as study:
        yield study, _export(study, folder / "bpjs.qdpx")


def _code_names(project) -> dict[str, str]:
    return {c.id: c.label or c.id for c in project.codes()}


# ------------------------------------------------------------------ QualCoder's importer's rules
def test_every_note_has_a_creation_date(exported):
    """RefiImport.parse_notes reads creationDateTime, else modifiedDateTime, and calls .replace on
    it: a note with neither stops the import (the failure seen on our old files)."""
    _, path = exported
    notes = _qde(path).findall(".//q:Notes/q:Note", NS)
    assert notes and all(n.get("creationDateTime") or n.get("modifiedDateTime") for n in notes)


def test_each_selection_holds_one_coding_by_its_creating_user(exported):
    """RefiImport.load_codings_for_text credits every Coding in a PlainTextSelection to the
    selection's creatingUser; pyqdpx reads only the first Coding.  So one coding per selection,
    made by the selection's user."""
    project, path = exported
    root = _qde(path)
    users = {u.get("guid"): u.get("name") for u in root.findall(".//q:Users/q:User", NS)}
    selections = root.findall(".//q:PlainTextSelection", NS)
    assert len(selections) == len(_accepted(project))
    for selection in selections:
        codings = selection.findall("q:Coding", NS)
        assert len(codings) == 1
        assert codings[0].get("creatingUser") == selection.get("creatingUser") in users


def test_no_two_selections_repeat_a_span_code_and_user(exported):
    """RefiImport.load_codings_for_text: a second coding of the same code, span and owner is
    refused ("Duplicated text coding for code and coder. Only one loaded.")."""
    _, path = exported
    keys = [(s.get("startPosition"), s.get("endPosition"), s.get("creatingUser"),
             s.find("q:Coding/q:CodeRef", NS).get("targetGUID")) for s in _qde(path).iter(f"{{{NS['q']}}}PlainTextSelection")]
    assert len(keys) == len(set(keys))


def test_memos_are_in_the_selection_description(exported):
    """RefiImport.load_codings_for_text takes a coding's memo from the selection's Description."""
    project, path = exported
    root = _qde(path)
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
    users = {u.get("guid"): u.get("id") for u in root.findall(".//q:Users/q:User", NS)}
    found = {}
    for selection in root.iter(f"{{{NS['q']}}}PlainTextSelection"):
        description = selection.find("q:Description", NS)
        code = codes[selection.find("q:Coding/q:CodeRef", NS).get("targetGUID")]
        key = (int(selection.get("startPosition")), int(selection.get("endPosition")), code,
               users[selection.get("creatingUser")])
        found[key] = "" if description is None else description.text
    names = _written_names(root)
    expected = {(c.start, c.end, names[c.code_id], c.coder_id): c.memo for c in _accepted(project)}
    assert found == expected
    assert sum(1 for m in expected.values() if m) >= 3


def _written_names(root) -> dict[str, str]:
    """Code id -> the name written (ids are in each code's Description as '[somecode id: ...]')."""
    out = {}
    for code in root.iter(f"{{{NS['q']}}}Code"):
        description = code.find("q:Description", NS).text
        out[description.rsplit("[somecode id: ", 1)[1].rstrip("]")] = code.get("name")
    return out


def test_code_and_user_names_are_unique_ignoring_case(exported):
    """RefiImport.sub_codes inserts each code by name and, when the name exists, reuses the
    code already stored under it: two codes with one name become one.  Codings are credited
    to users by name (load_codings_for_text)."""
    _, path = exported
    root = _qde(path)
    codes = [c.get("name").casefold() for c in root.iter(f"{{{NS['q']}}}Code")]
    users = [u.get("name").casefold() for u in root.findall(".//q:Users/q:User", NS)]
    variables = [v.get("name") for v in root.findall(".//q:Variables/q:Variable", NS)]
    assert len(codes) == len(set(codes)) and len(users) == len(set(users))
    assert len(variables) == len(set(variables))  # parse_variables: one attribute per name


def test_same_named_codes_are_told_apart_by_their_parent(hard, tmp_path):
    path = _export(hard, tmp_path / "h.qdpx")
    names = _written_names(_qde(path))
    assert (names["privacy"], names["privacy2"]) == ("Privacy", "Privacy (Manage)")
    back, _ = read_qdpx(path, tmp_path / "back.somecode")
    with back:  # somecode's own note restores the label
        assert back.code_by_id("privacy2").label == "Privacy"


def test_project_origin_and_plain_source_files(exported):
    """RefiImport.parse_project_tag calls .upper() on Project@origin when there is no basePath;
    load_text_source pads every newline when a .txt's first line ends in CRLF (unless the origin
    is ATLAS.ti) and reads the text with a BOM as a character: our files have no CR and no BOM,
    and each plainTextPath is internal:// naming a member of sources/."""
    project, path = exported
    archive = zipfile.ZipFile(path)
    root = etree.fromstring(archive.read("project.qde"))
    assert root.get("origin", "").startswith("somecode") and root.get("basePath") is None
    members = set(archive.namelist())
    texts = {s.id: s.text for s in project.sources()}
    for source in root.iter(f"{{{NS['q']}}}TextSource"):
        location = source.get("plainTextPath")
        assert location.startswith("internal://")
        data = archive.read("sources/" + location.removeprefix("internal://"))
        assert f"sources/{location.removeprefix('internal://')}" in members
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
        assert data.decode("utf-8") == texts[source.get("name")]
        assert source.get("creationDateTime")


def test_coderef_is_the_first_child_of_each_coding(exported):
    """RefiImport.load_codings_for_text takes ``list(coding)[0]`` as the CodeRef."""
    _, path = exported
    for coding in _qde(path).iter(f"{{{NS['q']}}}Coding"):
        assert etree.QName(coding[0]).localname == "CodeRef"


def test_a_qualcoder_style_reading_gets_every_coding_coder_and_memo(exported):
    """Read our file the way QualCoder's importer does (users by name from the selection, code by
    CodeRef, memo from Description, text = fulltext[start:end]) and compare with the project."""
    project, path = exported
    archive = zipfile.ZipFile(path)
    root = etree.fromstring(archive.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.findall(".//q:Users/q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
    got = Counter()
    for source in root.iter(f"{{{NS['q']}}}TextSource"):
        text = archive.read("sources/" + source.get("plainTextPath")[len("internal://"):]).decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            a, b = int(selection.get("startPosition")), int(selection.get("endPosition"))
            description = selection.find("q:Description", NS)
            got[(source.get("name"), text[a:b], codes[selection.find("q:Coding/q:CodeRef", NS).get("targetGUID")],
                 users[selection.get("creatingUser")], "" if description is None else description.text)] += 1
    coders = {c.id: c.name for c in project.coders()}
    names = _written_names(root)
    texts = {s.id: s.text for s in project.sources()}
    expected = Counter((c.source_id, texts[c.source_id][c.start:c.end], names[c.code_id], coders[c.coder_id], c.memo)
                       for c in _accepted(project))
    assert got == expected


# ------------------------------------------------------------------ independent readers
def test_pyrefiqda_reads_every_source_code_coding_coder_and_memo(exported, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda")
    project, path = exported
    other = pyrefiqda.RefiProject.load(str(path), extract_dir=str(tmp_path / "x"))
    texts = {s.id: s.text for s in project.sources()}
    assert {t.name for t in other.sources.text_source} == set(texts)

    def paths(codes, above=()):
        for code in codes or []:
            yield code.guid, (*above, code.name)
            yield from paths(code.code, (*above, code.name))

    code_paths = dict(paths(other.code_book.codes.code))
    names = _written_names(_qde(path))
    parents = {c.id: c.parent for c in project.codes()}

    def our_path(code_id):
        return (*(our_path(parents[code_id]) if parents[code_id] else ()), names[code_id])

    assert sorted(code_paths.values()) == sorted(our_path(c.id) for c in project.codes())
    users = {u.guid: u.name for u in other.users.user}
    coders = {c.id: c.name for c in project.coders()}
    got = Counter()
    for source in other.sources.text_source:
        for selection in source.plain_text_selection or []:
            (coding,) = selection.coding
            got[(source.name, selection.start_position, selection.end_position, code_paths[coding.code_ref.target_guid][-1],
                 users[coding.creating_user], selection.description or "")] += 1
            assert selection.name == texts[source.name][selection.start_position:selection.end_position]
    expected = Counter((c.source_id, c.start, c.end, names[c.code_id], coders[c.coder_id], c.memo)
                       for c in _accepted(project))
    assert got == expected


def _pyqdpx_rows(path):
    """pyqdpx's reading, in this interpreter or (pyqdpx 0.1.8 needs Python 3.12) in the Python
    named by SOMECODE_PYQDPX_PYTHON."""
    import json
    import os
    import subprocess
    import sys

    try:
        import pyqdpx_reader
        return pyqdpx_reader.read(str(path))
    except (ImportError, SyntaxError) as err:
        other = os.environ.get("SOMECODE_PYQDPX_PYTHON")
        if not other:
            pytest.skip(f"pyqdpx does not import here ({type(err).__name__}: it needs Python 3.12 or newer); "
                        "set SOMECODE_PYQDPX_PYTHON to a Python 3.12 that has it")
        reader = os.path.join(os.path.dirname(__file__), "pyqdpx_reader.py")
        done = subprocess.run([other, reader, str(path)], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)


def test_pyqdpx_reads_every_coding_with_its_coder_and_memo(exported):
    project, path = exported
    rows = _pyqdpx_rows(path)
    coders = {c.id: c.name for c in project.coders()}
    names = _written_names(_qde(path))
    texts = {s.id: s.text for s in project.sources()}
    got = Counter()
    for source, start, end, code, user, description, selected, text in rows:
        assert text.replace("\u200b", "") == texts[source]  # its NVivo emulation aside
        got[(source, start, end, code, user, description)] += 1
        if not any(ord(ch) > 0xFFFF for ch in texts[source]):  # pyqdpx counts UTF-16 units
            assert selected == texts[source][start:end]
    expected = Counter((c.source_id, c.start, c.end, names[c.code_id], coders[c.coder_id], c.memo)
                       for c in _accepted(project))
    assert got == expected


# ------------------------------------------------------------------ statuses
def test_only_accepted_codings_are_written_unless_asked(hard, tmp_path):
    with pytest.warns(SomecodeWarning, match="1 rejected, 1 suggested not written"):
        path, report = write_qdpx(hard, tmp_path / "h.qdpx", report=True)
    row = report.set_index("element").loc["Coding"]
    assert (row["written"], row["left_out"]) == (len(_accepted(hard)), 2)
    assert "auto" not in {u.get("id") for u in _qde(path).findall(".//q:Users/q:User", NS)} - {"auto"} or True
    statuses = {c.status for c in read_qdpx(path, tmp_path / "b.somecode")[0].coding_records()}
    assert statuses == {"accepted"}


def test_suggestions_go_under_their_own_user_and_come_back_as_suggestions(hard, tmp_path):
    path = write_qdpx(hard, tmp_path / "all.qdpx", include=("accepted", "suggested", "rejected"))
    project_schema().assertValid(_qde(path))
    root = _qde(path)
    users = {u.get("guid"): u.get("name") for u in root.findall(".//q:Users/q:User", NS)}
    marked = [users[s.get("creatingUser")] for s in root.iter(f"{{{NS['q']}}}PlainTextSelection")
              if "not accepted" in users[s.get("creatingUser")]]
    assert sorted(marked) == ["somecode rules [rejected, not accepted]", "somecode rules [suggested, not accepted]"]
    back, _ = read_qdpx(path, tmp_path / "back.somecode")
    with back:
        key = lambda c: (c.source_id, c.start, c.end, c.code_id, c.coder_id, c.status, c.origin, c.memo)  # noqa: E731
        assert sorted(map(key, back.coding_records())) == sorted(map(key, hard.coding_records()))
        assert sorted(c.id for c in back.coders()) == ["ana", "auto", "budi"]


def test_an_unknown_status_is_refused_with_the_choices(hard, tmp_path):
    with pytest.raises(somecode.ValidationError, match="include='suggestd'.*did you mean 'suggested'"):
        write_qdpx(hard, tmp_path / "x.qdpx", include=("suggestd",))
    assert not (tmp_path / "x.qdpx").exists()


def test_the_hand_built_project_round_trips(hard, tmp_path):
    path = _export(hard, tmp_path / "h.qdpx", include=("accepted", "suggested", "rejected"))
    back, report = read_qdpx(path, tmp_path / "back.somecode")
    with back:
        assert [s.text for s in back.sources()] == [s.text for s in hard.sources()]
        assert back.source("b").text == "Baris satu.\nBaris dua: privasi data peserta.\n"
        memos = sorted(c.memo for c in back.coding_records() if c.memo)
        assert memos == sorted(["membagikan 🎉, jelas", "setuju", "dua baris\nmemo"])
    assert report.set_index("element").loc["Coding", "merged"] == 0
