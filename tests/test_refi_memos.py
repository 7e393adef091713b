"""Free memos, sets and declared attributes through REFI-QDA: an exact round trip, what other
tools find in our file, and what we read from theirs."""

from __future__ import annotations

import json
import warnings
import zipfile

import pytest
from lxml import etree

import somecode
from somecode import Code, Informant, SomecodeWarning, Source, Turn
from somecode.exchange import project_schema, read_qdpx, write_qdpx

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture()
def memoed(tmp_path):
    project = somecode.Project.create(tmp_path / "m.somecode")
    project.add_informant(Informant("ani", "Ani", {"role": "staf"}))
    project.add_informant(Informant("budi", "Budi", {"role": "peserta"}))
    for source_id, who in (("w1", "ani"), ("w2", "budi")):
        text = f"Wawancara dengan {who}."
        project.add_source(Source(source_id, "interview", text, turns=(Turn(0, len(text), who, who),)))
    project.add_code(Code("share", None, "Share"))
    project.add_coder("nida")
    project.define_attribute("role", type="category", categories=["staf", "peserta"])
    journal = project.add_journal_entry("Mulai koding terbuka.", by="nida")
    project.edit_memo(journal, "Mulai koding terbuka; dua wawancara.", by="nida")
    project.add_memo("Reels paling banyak.", kind="code", about="share", by="nida")
    project.add_memo("Rekaman jelas.", kind="source", about="w1", by="nida")
    project.add_memo("Staf humas.", kind="case", about="ani")
    project.add_set("gelombang-1", sources=["w1", "w2"])
    project.add_set("staf", where="role == 'staf'")
    project.add_memo("Dua wawancara pertama.", kind="set", about="gelombang-1", by="nida")
    yield project
    project.close()


def _write(project, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SomecodeWarning)
        return write_qdpx(project, path, report=True)


def test_memos_sets_and_attributes_round_trip_exactly(memoed, tmp_path):
    path, _ = _write(memoed, tmp_path / "m.qdpx")
    back, report = read_qdpx(path, tmp_path / "back.somecode")
    with back:
        assert back.memos().drop(columns="id").values.tolist() == memoed.memos().drop(columns="id").values.tolist()
        assert back.sets().values.tolist() == memoed.sets().values.tolist()
        assert back.attributes().values.tolist() == memoed.attributes().values.tolist()
        assert back.set_members("staf") == ["ani"]
    counts = report.set_index("element")
    assert counts.loc["Note", "dropped"] == 0 and counts.loc["Set", ["read", "mapped"]].tolist() == [1, 1]


def test_other_tools_find_each_memo_where_they_look(memoed, tmp_path):
    path, report = _write(memoed, tmp_path / "m.qdpx")
    archive = zipfile.ZipFile(path)
    root = etree.fromstring(archive.read("project.qde"))
    project_schema().assertValid(root)
    notes = {n.get("guid"): n for n in root.findall(".//q:Notes/q:Note", NS)}
    texts = {}
    for note in notes.values():
        if note.get("plainTextPath"):  # QualCoder reads these into its journal
            texts[note.get("name")] = archive.read("sources/" + note.get("plainTextPath")[11:]).decode()
            assert note.get("creationDateTime")
    today = memoed.journal()["created"].iloc[0][:10]
    assert texts == {f"journal {today}": "Mulai koding terbuka; dua wawancara.",
                     "memo about code share": "Reels paling banyak.", "memo about source w1": "Rekaman jelas.",
                     "memo about case ani": "Staf humas.", "memo about set gelombang-1": "Dua wawancara pertama."}
    project_refs = {r.get("targetGUID") for r in root.findall("q:NoteRef", NS)}
    assert notes[next(g for g, n in notes.items() if n.get("name").startswith("journal"))].get("guid") in project_refs
    code_refs = [r.get("targetGUID") for r in root.findall(".//q:Code/q:NoteRef", NS)]
    assert [notes[g].get("name") for g in code_refs] == ["memo about code share"]
    source = root.find(".//q:TextSource[@name='w1']", NS)
    assert source.find("q:Description", NS).text.endswith("Rekaman jelas.")
    assert root.find(".//q:Case[@name='Ani']/q:Description", NS).text == "Staf humas."
    (group,) = root.findall(".//q:Sets/q:Set", NS)
    assert group.get("name") == "gelombang-1" and len(group.findall("q:MemberSource", NS)) == 2
    assert group.find("q:Description", NS).text == "Dua wawancara pertama."
    row = report.set_index("element").loc["Set"]
    assert (row["written"], row["left_out"]) == (1, 1) and "'staf'" in row["why"]


SOURCE = "00000000-0000-0000-0000-00000000000a"
OTHER = (f'<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Some Tool 1.0">'
         '<Users><User guid="00000000-0000-0000-0000-0000000000f1" name="Rina"/></Users>'
         '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-0000000000c1" name="Trust" isCodable="true">'
         '<NoteRef targetGUID="00000000-0000-0000-0000-0000000000b2"/></Code></Codes></CodeBook>'
         '<Cases><Case guid="00000000-0000-0000-0000-0000000000d1" name="Rina"><Description>Key informant.'
         f'</Description><SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
         f'<Sources><TextSource guid="{SOURCE}" name="Interview 1" plainTextPath="internal://{SOURCE}.txt">'
         '<NoteRef targetGUID="00000000-0000-0000-0000-0000000000b3"/></TextSource></Sources>'
         '<Notes><Note guid="00000000-0000-0000-0000-0000000000b1" name="Week 1" '
         'plainTextPath="internal://00000000-0000-0000-0000-0000000000b1.txt" '
         'creatingUser="00000000-0000-0000-0000-0000000000f1" creationDateTime="2024-03-01T09:00:00Z"/>'
         '<Note guid="00000000-0000-0000-0000-0000000000b2" name="On trust"><PlainTextContent>Trust is earned.'
         '</PlainTextContent></Note>'
         '<Note guid="00000000-0000-0000-0000-0000000000b3" name=""><PlainTextContent>Noisy recording.'
         '</PlainTextContent></Note></Notes>'
         f'<Sets><Set guid="00000000-0000-0000-0000-0000000000e1" name="Wave 1"><MemberSource targetGUID="{SOURCE}"/>'
         '</Set><Set guid="00000000-0000-0000-0000-0000000000e2" name="Feelings">'
         '<MemberCode targetGUID="00000000-0000-0000-0000-0000000000c1"/></Set></Sets></Project>')


def test_notes_cases_and_sets_from_another_tool_become_memos_and_sets(tmp_path):
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", OTHER)
        archive.writestr(f"sources/{SOURCE}.txt", "Saya percaya pada BPJS.")
        archive.writestr("sources/00000000-0000-0000-0000-0000000000b1.txt", "Started open coding.")
    with pytest.warns(SomecodeWarning, match="'Feelings'"):
        project, report = read_qdpx(path, tmp_path / "p.somecode")
    with project:
        rows = project.memos()[["about_kind", "about_id", "text", "by", "created"]].values.tolist()
        created = {r[2]: r[4] for r in rows}
        assert sorted(r[:4] for r in rows) == sorted([
            ["project", "", "Week 1\n\nStarted open coding.", "rina"],
            ["code", "trust", "On trust\n\nTrust is earned.", ""],
            ["source", "interview-1", "Noisy recording.", ""],
            ["case", "rina", "Key informant.", ""]])
        assert created["Week 1\n\nStarted open coding."] == "2024-03-01T09:00:00Z"
        assert project.set_members("Wave 1") == ["interview-1"]
    counts = report.set_index("element")
    assert counts.loc["Note", ["read", "mapped", "dropped"]].tolist() == [3, 3, 0]
    assert counts.loc["Set", ["read", "mapped", "dropped"]].tolist() == [2, 1, 1]


def _rewritten(path, target, change):
    """A copy of the archive whose ``project.qde`` is ``change(root)`` (another tool's edit)."""
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "project.qde":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(info, data)
    return target


def _drop_somecode_note(root) -> None:
    for note in root.findall(".//q:Notes/q:Note[@name='somecode']", NS):
        root.remove(root.find(f"q:NoteRef[@targetGUID='{note.get('guid')}']", NS))
        note.getparent().remove(note)


def _without_somecode_note(path, target):
    """The archive as another tool would pass it on: somecode's own note removed."""
    return _rewritten(path, target, _drop_somecode_note)


def test_without_somecode_note_each_memo_comes_back_about_the_same_thing(memoed, tmp_path):
    path, _ = _write(memoed, tmp_path / "m.qdpx")
    back, report = read_qdpx(_without_somecode_note(path, tmp_path / "plain.qdpx"), tmp_path / "back.somecode")
    with back:
        got = sorted((k, a, t.split("\n\n")[-1]) for k, a, t in back.memos()[["about_kind", "about_id", "text"]].values)
        # a set's memo is its Description and a note nothing refers to: without somecode's note it
        # is a memo about the project; a case's memo, its Description (the note repeating it is not
        # read twice)
        assert got == sorted([("project", "", "Mulai koding terbuka; dua wawancara."),
                              ("code", "share", "Reels paling banyak."), ("source", "w1", "Rekaman jelas."),
                              ("case", "ani", "Staf humas."), ("project", "", "Dua wawancara pertama.")])
        assert back.set_members("gelombang-1") == ["w1", "w2"]


def test_a_note_another_tool_added_to_our_file_becomes_a_memo(memoed, tmp_path):
    path, _ = _write(memoed, tmp_path / "m.qdpx")
    def add_note(root):
        note = etree.SubElement(root.find("q:Notes", NS), f"{{{NS['q']}}}Note", name="Rapat",
                                guid="00000000-0000-0000-0000-0000000000b9", creationDateTime="2025-01-02T03:04:05Z")
        etree.SubElement(note, f"{{{NS['q']}}}PlainTextContent").text = "Dibahas bersama."

    added = _rewritten(path, tmp_path / "added.qdpx", add_note)
    back, report = read_qdpx(added, tmp_path / "back.somecode")
    with back:
        texts = back.memos()["text"].tolist()
        assert "Rapat\n\nDibahas bersama." in texts and len(texts) == len(memoed.memos()) + 1
    assert report.set_index("element").loc["Note", ["mapped", "dropped"]].tolist() == [
        report.set_index("element").loc["Note", "read"], 0]


def test_control_characters_in_memos_are_written_as_spaces_and_reported(memoed, tmp_path):
    memoed.add_memo("Baris\x01dua.", kind="set", about="gelombang-1", by="nida")
    path, report = _write(memoed, tmp_path / "m.qdpx")
    project_schema().assertValid(etree.fromstring(zipfile.ZipFile(path).read("project.qde")))
    assert report.set_index("element").loc["Text", "written"] >= 1
    back, _ = read_qdpx(path, tmp_path / "back.somecode")
    with back:  # somecode's own note keeps the exact text
        assert "Baris\x01dua." in back.memos()["text"].tolist()


@pytest.mark.parametrize("damage", ['"sets": [["x"]]', '"memos": [1]', '"coders": []', '"attributes": [["a", "number"]]',
                                    '"sources": {"w1": {"kind": "interview"}}'])
def test_a_damaged_metadata_note_is_refused_naming_it(memoed, tmp_path, damage):
    path, _ = _write(memoed, tmp_path / "m.qdpx")
    def damage_note(root):
        note = root.find(".//q:Notes/q:Note[@name='somecode']/q:PlainTextContent", NS)
        key = damage.split('"')[1]
        meta = json.loads(note.text)
        meta[key] = json.loads("{" + damage + "}")[key]
        note.text = json.dumps(meta)

    broken = _rewritten(path, tmp_path / "broken.qdpx", damage_note)
    with pytest.raises(somecode.SourceReadError, match="metadata note"):
        read_qdpx(broken, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


def test_export_refuses_an_empty_include_and_a_missing_folder(memoed, tmp_path):
    with pytest.raises(somecode.ValidationError, match="no coding at all"):
        write_qdpx(memoed, tmp_path / "x.qdpx", include=())
    with pytest.raises(somecode.ValidationError, match="give the coding statuses"):
        write_qdpx(memoed, tmp_path / "x.qdpx", include=None)
    with pytest.raises(somecode.ValidationError, match="does not exist"):
        write_qdpx(memoed, tmp_path / "nowhere" / "x.qdpx")
