"""Legacy single-byte encodings beyond cp1252 (issue #15, scope 4): MacRoman, cp1250, latin-2,
latin-1 are read right, or refused or warned about naming the candidates; never silent mojibake."""

from __future__ import annotations

import warnings

import pytest

from somecode import SomecodeWarning, SourceReadError, read_source
from somecode.sources.encoding import decode_bytes

INDONESIAN = "Peneliti: Bagaimana?\nAni: Kami bertemu di “café” dekat kantor, ’kan? Jangkauannya naik.\n"
ENGLISH = "Interviewer: How was it?\nDana: We met at the café, naïve as it sounds; my résumé helped.\n"
GERMAN = "Interviewer: Wie war's?\nAnna: Schön, die Größe der Übung war groß.\n"
CZECH = "Tazatel: Jak se máte?\nPetr: Děkuji, dobře. Příliš žluťoučký kůň úpěl ďábelské ódy.\n"
POLISH = "Ankieter: Jak było?\nOla: Zażółć gęślą jaźń, łódź i śnieg.\n"
SPANISH = "Entrevistador: ¿Cómo fue?\nAni: Jaminan Kesehatan à la carte, señor.\n"

CASES = [
    (INDONESIAN, "mac_roman"), (INDONESIAN, "cp1252"), (INDONESIAN, "cp1250"),
    (ENGLISH, "mac_roman"), (ENGLISH, "cp1252"), (ENGLISH, "latin-1"),
    (GERMAN, "mac_roman"), (GERMAN, "cp1252"), (GERMAN, "cp1250"), (GERMAN, "iso8859_2"), (GERMAN, "latin-1"),
    (CZECH, "cp1250"), (CZECH, "iso8859_2"),
    (POLISH, "cp1250"), (POLISH, "iso8859_2"),
    (SPANISH, "mac_roman"), (SPANISH, "cp1252"), (SPANISH, "latin-1"),
]


@pytest.mark.parametrize("text, encoding", CASES, ids=[f"{t.split()[1]}-{e}" for t, e in CASES])
def test_real_words_in_legacy_encodings_read_back_exactly(tmp_path, text, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(encoding))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = read_source(path)
    assert source.text == text  # no mojibake, warned or not
    # the name reported decodes the bytes to the same text
    assert path.read_bytes().decode(source.encoding) == text
    for warning in caught:
        assert issubclass(warning.category, SomecodeWarning) and "t.txt" in str(warning.message)


def test_macroman_is_detected_with_a_warning_naming_the_other_readings():
    data = "Ani: kami ke “café” tiap pagi.\n".encode("mac_roman")
    assert data.decode("cp1252") == "Ani: kami ke ÒcafŽÓ tiap pagi.\n"  # the garbling of issue #15
    with pytest.warns(SomecodeWarning) as caught:
        text, used = decode_bytes(data, "ani.txt")
    assert (text, used) == ("Ani: kami ke “café” tiap pagi.\n", "mac_roman")
    message = str(caught[0].message)
    assert message.startswith("ani.txt: not UTF-8; read as mac_roman")
    assert "cp1252 would read" in message and "ÒcafŽÓ" in message and "encoding=" in message


def test_cp1252_that_no_other_encoding_reads_as_well_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_bytes(INDONESIAN.encode("cp1252"), "a.txt") == (INDONESIAN, "cp1252")


def test_western_text_that_central_european_code_pages_also_read_is_read_western_and_warned():
    with pytest.warns(SomecodeWarning, match=r"read as cp1252 .* as well as .*cp1250 would read .*seńor"):
        text, used = decode_bytes("Ani: Jaminan Kesehatan à la carte, señor.\n".encode("latin-1"), "s.txt")
    assert (text, used) == ("Ani: Jaminan Kesehatan à la carte, señor.\n", "cp1252")


def test_two_equally_good_different_readings_are_refused_naming_both():
    # byte 0xB9 alone: '¹' in cp1252, 'π' in MacRoman (and the letters 'ą' in cp1250, 'š' in
    # latin-2, less likely in Indonesian or English text): nothing tells the symbols apart
    data = "Ani: ok \xb9 ok\n".encode("latin-1")
    with pytest.raises(SourceReadError) as err:
        decode_bytes(data, "z.txt")
    message = str(err.value)
    assert "z.txt, byte 8" in message and "reads equally well as more than one legacy encoding" in message
    for reading in ["cp1252 (or latin_1, iso8859_15) gives 'Ani: ok ¹ ok", "mac_roman gives 'Ani: ok π ok",
                    "pass encoding='cp1252'"]:
        assert reading in message


def test_a_stated_encoding_still_wins(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(CZECH.encode("iso8859_2"))
    assert read_source(path, encoding="iso8859_2").text == CZECH
