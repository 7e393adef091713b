"""REFI-QDA codebook exchange: schema-valid export, faithful round trip, every real sample imports,
and a parser that refuses hostile files."""

import warnings
import zipfile

import pytest
from conftest import ROOT, SHARED, shared_file

from somecode import SourceReadError
from somecode.codebook import Codebook
from somecode.exchange import codebook_from_qdpx, parse_qdc, read_qdc, to_qdc, write_qdc
from somecode.exchange.qdc import code_guid

SOME = ROOT / "codebooks" / "some.yaml"
SAMPLES = SHARED / "refi-qda" / "samples"
TREE_FIELDS = ("id", "parent", "label", "color", "definition", "include", "exclude", "examples")


def _schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(shared_file("refi-qda", "Codebook.xsd"))))


def test_some_qdc_is_valid_against_the_official_schema():
    from lxml import etree

    schema = _schema()
    document = etree.fromstring(to_qdc(Codebook.load(SOME)).encode())
    assert schema.validate(document), schema.error_log


def test_write_then_read_gives_the_same_tree(tmp_path):
    book = Codebook.load(SOME)
    losses = write_qdc(book, tmp_path / "some.qdc")
    again = read_qdc(tmp_path / "some.qdc")
    assert [tuple(getattr(c, f) for f in TREE_FIELDS) for c in again] == \
           [tuple(getattr(c, f) for f in TREE_FIELDS) for c in book]
    assert "share: labels in id" in losses and "share: matching patterns (en, id)" in losses


def test_export_is_byte_identical_and_guids_are_stable():
    book = Codebook.load(SOME)
    assert to_qdc(book) == to_qdc(Codebook.load(SOME))
    assert code_guid("share") == code_guid("share") != code_guid("optimize")
    assert f'guid="{code_guid("share.build_trust")}"' in to_qdc(book)


def test_non_ascii_names_round_trip(tmp_path):
    book = Codebook.from_dict({"codes": [{"id": "a", "label": "Kepercayaan “publik” & <mutu>",
                                          "definition": "Café, naïve, 👍"}]})
    again = parse_qdc(to_qdc(book).encode(), "x")[0]
    assert [(c.label, c.definition) for c in again] == [("Kepercayaan “publik” & <mutu>", "Café, naïve, 👍")]


@pytest.mark.parametrize("name, codes, top", [
    ("taguette1.4.1_codebook.qdc", 3, 3),
    ("atlasti23-win_blank-project.qdpx", 0, 0),
    ("atlasti23-win_target-project.qdpx", 3, 1),
    ("atlasti8.4_refi-spec-example.qdpx", 14, 14),
    ("maxqda24_project.qde", 307, 18),
    ("nvivo12-win_youtube-comments-coded.qdpx", 152, 12),
    ("nvivo15-mac_qc-roundtrip.qdpx", 262, 3),
])
def test_every_sample_codebook_imports(name, codes, top):
    path = shared_file("refi-qda", "samples", name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = read_qdc(path) if name.endswith(".qdc") else codebook_from_qdpx(path)
    assert (len(book), len(book.roots())) == (codes, top)
    if name.startswith("taguette"):  # the one sample that is not schema-valid
        assert any("empty <Sets/>" in str(w.message) for w in caught)
        assert not _schema().validate(__import__("lxml.etree").etree.parse(str(path)))


def test_nvivo_sample_keeps_depth_colour_and_folders():
    book = codebook_from_qdpx(shared_file("refi-qda", "samples", "nvivo12-win_youtube-comments-coded.qdpx"))
    assert max(book.depth(c.id) for c in book) == 3  # nested four deep
    assert sum(1 for c in book if c.attrs.get("codable") is False) == 1


def test_hierarchy_in_names_can_be_split():
    path = shared_file("refi-qda", "samples", "atlasti8.4_refi-spec-example.qdpx")
    book = codebook_from_qdpx(path, split_names="::")
    parents = {c.label: c.parent for c in book}
    assert parents.get("diet Coke") == "coke"
    assert book["coke"].attrs == {"codable": False}


def test_colours_are_normalised_or_dropped_with_a_warning():
    xml = (b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
           b'<Code guid="00000000-0000-0000-0000-000000000001" name="A" isCodable="true" color="#abc"/>'
           b'<Code guid="00000000-0000-0000-0000-000000000002" name="B" isCodable="true" color="rgb(1,2,3)"/>'
           b"</Codes></CodeBook>")
    book, problems = parse_qdc(xml, "x.qdc")
    assert [c.color for c in book] == ["#AABBCC", None]
    assert problems == ["x.qdc, line 1: Code 'B' has colour 'rgb(1,2,3)', not #RRGGBB; dropped"]


def test_doctype_and_entities_are_refused(tmp_path):
    evil = tmp_path / "evil.qdc"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="00000000-0000-0000-'
                     b'0000-000000000001" name="&x;" isCodable="true"/></Codes></CodeBook>')
    with pytest.raises(SourceReadError, match="DOCTYPE"):
        read_qdc(evil)


def test_malformed_xml_names_the_line(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n<Code name="a"\n</CodeBook>')
    with pytest.raises(SourceReadError, match=r"bad.qdc, line \d: not well-formed XML"):
        read_qdc(bad)


@pytest.mark.parametrize("member", ["../escape.qde", "/abs/project.qde", "a\\b.qde"])
def test_unsafe_zip_members_are_refused(tmp_path, member):
    path = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, "<Project/>")
    with pytest.raises(SourceReadError, match="unsafe member name"):
        codebook_from_qdpx(path)


def test_an_oversized_member_is_refused_before_it_is_inflated(tmp_path):
    import somecode.exchange.safexml as safexml

    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project>" + b" " * 1_000_000 + b"</Project>")
    with pytest.raises(SourceReadError, match="declares 1,000,019 bytes, over the limit 10,000"):
        safexml.read_zip_member(zipfile.ZipFile(path), zipfile.ZipFile(path).infolist()[0], path,
                                limit=10_000)


def test_a_qdpx_needs_exactly_one_qde(tmp_path):
    path = tmp_path / "two.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.qde", "<Project/>")
        archive.writestr("B.QDE", "<Project/>")
    with pytest.raises(SourceReadError, match="expected one .qde file at the root, found 2"):
        codebook_from_qdpx(path)
