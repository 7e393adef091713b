"""Bytes to text: every supported encoding, and a clear refusal of everything else."""

import pytest

from somecode import SourceReadError, read_source
from somecode.sources.encoding import decode_bytes

TEXT = "Peneliti: Bagaimana?\nAni: Kami pakai café “reels”.\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16-le").join([b"\xff\xfe", b""])),
    ("utf-16", TEXT.encode("utf-16-be").join([b"\xfe\xff", b""])),
    ("cp1252", TEXT.encode("cp1252")),
])
def test_each_encoding_reads_to_the_same_text(tmp_path, encoding, data):
    path = tmp_path / "ani.txt"
    path.write_bytes(data)
    source = read_source(path)
    assert source.text == TEXT
    assert source.encoding == encoding
    assert [source.slice(t) for t in source.turns] == ["Bagaimana?", "Kami pakai café “reels”."]


def test_latin1_text_without_cp1252_only_characters_reads():
    text, used = decode_bytes("Jaminan Kesehatan à la carte, señor".encode("latin-1"), "x.txt")
    assert text == "Jaminan Kesehatan à la carte, señor"
    assert used in ("cp1252", "latin-1", "iso8859-15")


def test_undecodable_bytes_name_the_file_and_the_byte_offset(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Ani: halo \x81\x8d\x9d\x00 dunia")
    with pytest.raises(SourceReadError) as err:
        read_source(path)
    assert err.value.path == str(path)
    assert err.value.place == "byte 10"
    assert "broken.txt, byte 10" in str(err.value)


def test_binary_junk_is_refused(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SourceReadError, match="junk.txt, byte 128"):
        read_source(path)


def test_valid_utf8_with_control_bytes_is_refused_as_binary(tmp_path):
    path = tmp_path / "nul.md"
    path.write_bytes(b"Ani: halo\x00\x01 dunia")
    with pytest.raises(SourceReadError, match=r"nul.md, character 9: control character U\+0000"):
        read_source(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(SourceReadError, match="empty.txt, byte 0: the file is empty"):
        read_source(path)


def test_a_stated_encoding_is_used_and_checked(tmp_path):
    path = tmp_path / "ani.txt"
    path.write_bytes("Ani: ok ü".encode("utf-8"))
    assert read_source(path, encoding="latin-1").text == "Ani: ok Ã¼"
    with pytest.raises(SourceReadError, match="unknown encoding"):
        read_source(path, encoding="no-such-codec")


def test_no_replacement_characters_ever(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Ani: café ".encode("utf-8") + b"\xe9t\xe9 \x81")
    with pytest.raises(SourceReadError):
        read_source(path)
