"""Positions from other tools onto the canonical text: the run-based map against a brute-force
reference (the canonical text of every prefix), and counting schemes against a per-character
walk; then a file as another tool writes it (decomposed accents, CRLF, emoji) imported whole."""

from __future__ import annotations

import unicodedata
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from somecode.exchange import read_qdpx
from somecode.exchange.offsets import CanonicalMap, Layout, Scheme, resolve

PIECES = ["a", "e", " ", "\n", "\r", "\r\n", "\u0301", "\u0327", "é", "e\u0301", "A\u030a", "\u1100\u1161",
          "\u1100", "\u1161", "👍", "🏽", "ق", "\u0651", "x\u0323\u0307", "\ufb01", "İ"]
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def _reference(raw: str, position: int) -> int:
    """Where a raw position falls in the canonical text, by normalising the prefix before it
    (between the two halves of a CRLF pair: on the newline)."""
    prefix = raw[:position].replace("\r\n", "\n").replace("\r", "\n")
    inside_pair = 0 < position < len(raw) and raw[position - 1] == "\r" and raw[position] == "\n"
    return len(unicodedata.normalize("NFC", prefix)) - inside_pair


@settings(max_examples=400, deadline=None)
@given(texts)
def test_canonical_positions_match_normalising_each_prefix(raw):
    mapped = CanonicalMap(raw)
    assert mapped.text == unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    assert mapped.positions(range(len(raw) + 1)).tolist() == [_reference(raw, p) for p in range(len(raw) + 1)]


def _walk(raw: str, unit: str, crlf: str) -> dict[int, int]:
    """Each unit position -> raw position, character by character (the later one when two
    raw positions share a unit position; none inside a character or a counted CRLF pair)."""
    out, units = {}, 0
    for index, char in enumerate(raw):
        pair = char == "\n" and index > 0 and raw[index - 1] == "\r"
        if pair and crlf == "two":
            out.pop(units, None)
        elif not (pair and crlf == "one"):
            out[units] = index
        if pair and crlf == "one":
            out[units] = index + 1 if index + 1 <= len(raw) else index
        units += 0 if pair and crlf == "one" else 2 if unit == "utf16" and ord(char) > 0xFFFF else 1
    out[units] = len(raw)
    return out


@settings(max_examples=300, deadline=None)
@given(texts)
def test_schemes_match_a_character_by_character_walk(raw):
    layout = Layout(raw)
    for unit in ("codepoint", "utf16"):
        for crlf in ("two", "one"):
            expected = _walk(raw, unit, crlf)
            last = max(expected)
            got = Scheme(unit, crlf, False).positions(layout, range(-1, last + 3)).tolist()
            assert got == [expected.get(u, -1) for u in range(-1, last + 3)], (unit, crlf)


def test_a_decomposed_accent_does_not_shift_what_follows():
    mapped = CanonicalMap("cafe\u0301 reels")
    start, end = mapped.positions([6, 11]).tolist()
    assert mapped.text[start:end] == "reels"


SOURCE = "00000000-0000-0000-0000-00000000000a"


def test_a_file_from_another_tool_with_nfd_crlf_and_emoji_lands_on_the_right_words(tmp_path):
    """Written as a macOS tool would (NFD accents) on Windows (CRLF), counting UTF-16 units as
    NVivo does; the positions below were counted by hand on that raw text."""
    raw = "Cafe\u0301 👍 di Jakarta.\r\nKami membagikan konten.\r\n"
    # UTF-16 units: "Cafe\u0301 " is 6, the emoji 2, " di " 4 -> "Jakarta" at 12..19;
    # line 1 is 20 units + CRLF (2) -> "membagikan" at 22 + 5 = 27..37.
    assert raw.encode("utf-16-le")[24:38].decode("utf-16-le") == "Jakarta"
    assert raw.encode("utf-16-le")[54:74].decode("utf-16-le") == "membagikan"
    qde = (f'<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="NVivo 12">'
           f'<Users><User guid="00000000-0000-0000-0000-0000000000f1" name="Rina"/></Users>'
           f'<CodeBook><Codes><Code guid="00000000-0000-0000-0000-0000000000c1" name="Place" isCodable="true"/>'
           f'<Code guid="00000000-0000-0000-0000-0000000000c2" name="Share" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{SOURCE}" name="Wawancara" plainTextPath="internal://{SOURCE}.txt">'
           + "".join(f'<PlainTextSelection guid="00000000-0000-0000-0000-00000000000{n}" startPosition="{a}" '
                     f'endPosition="{b}" name="" creatingUser="00000000-0000-0000-0000-0000000000f1">'
                     f'<Coding guid="00000000-0000-0000-0001-00000000000{n}"><CodeRef '
                     f'targetGUID="00000000-0000-0000-0000-0000000000c{n}"/></Coding></PlainTextSelection>'
                     for n, (a, b) in ((1, (12, 19)), (2, (27, 37))))
           + '</TextSource></Sources></Project>')
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{SOURCE}.txt", "\ufeff".encode() + raw.encode("utf-8"))
    project, report = read_qdpx(path, tmp_path / "p.somecode")
    with project:
        text = project.source("wawancara").text
        assert text == "Café 👍 di Jakarta.\nKami membagikan konten.\n"
        assert sorted(text[c.start:c.end] for c in project.coding_records()) == ["Jakarta", "membagikan"]
    assert report.attrs["offsets"]["scheme"].tolist() == ["UTF-16 units, CRLF counted as 2, BOM not counted"]


def test_resolve_prefers_the_scheme_the_quotes_confirm():
    raw = "Halo 👍\r\nOke semua."
    assert resolve(raw, [(9, 12, "Oke")], "some tool").describe() == "UTF-16 units, CRLF counted as 2, BOM not counted"
    assert resolve(raw, [(7, 10, "Oke")], "some tool").describe() == "code points, CRLF counted as 1, BOM not counted"
