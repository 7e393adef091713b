"""Turning a file's bytes into text: BOMs, UTF-8, and legacy single-byte encodings.

The rule is strict: a file decodes exactly or not at all.  Nothing is ever
replaced by U+FFFD.

>>> decode_bytes("Bisa lihat 👍".encode("utf-8"), "a.txt")
('Bisa lihat 👍', 'utf-8')
>>> decode_bytes("Café".encode("utf-16"), "a.txt")
('Café', 'utf-16')
>>> decode_bytes("Caf\\xe9 \\u201cok\\u201d".encode("cp1252"), "a.txt")
('Café “ok”', 'cp1252')
"""

from __future__ import annotations

import codecs
import re

from ..errors import SourceReadError

__all__ = ["decode_bytes", "LEGACY_ENCODINGS"]

LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in a text file (tab, newlines and form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_FIX = "save the file as UTF-8, or pass encoding='...' if you know its encoding"


def decode_bytes(data: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; return ``(text, encoding used)``.

    With ``encoding`` given, only that encoding is tried.  Otherwise: a BOM
    decides (UTF-8, UTF-16, UTF-32); then strict UTF-8; then a legacy
    single-byte encoding (cp1252, latin-1) when the bytes are plainly text.
    Raises :class:`SourceReadError` naming the byte offset of the first bad byte.
    """
    if not data:
        raise SourceReadError(path, "the file is empty", place="byte 0",
                              fix="check that the right file was given")
    if encoding:
        return _decode_as(data, encoding, path), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _decode_as(data, name, path)
            return text, "utf-8" if name == "utf-8-sig" else name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return _decode_legacy(data, path, err)
    _refuse_controls(text, path, "utf-8")
    return text, "utf-8"


def _decode_as(data: bytes, name: str, path) -> str:
    try:
        text = data.decode(name)
    except LookupError:
        raise SourceReadError(path, f"unknown encoding {name!r}",
                              fix="use a name Python knows, such as 'utf-8' or 'cp1252'") from None
    except UnicodeDecodeError as err:
        raise SourceReadError(path, f"bytes {data[err.start:err.start + 4]!r} are not valid {name}",
                              place=f"byte {err.start}", fix=_FIX) from None
    text = text.removeprefix("\ufeff")
    _refuse_controls(text, path, name)
    return text


def _decode_legacy(data: bytes, path, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Decode as a legacy single-byte encoding, or raise naming the first non-UTF-8 byte."""
    guess = _guess_single_byte(data)
    if guess is not None:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            text = None
        if text is not None and not _CONTROL.search(text):
            return text, guess
    offset = utf8_error.start
    raise SourceReadError(
        path, f"bytes {data[offset:offset + 4]!r} are not valid UTF-8 and the file does not "
        "read as a legacy single-byte encoding either (binary data or a damaged file?)",
        place=f"byte {offset}", fix=_FIX)


def _guess_single_byte(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    # cp1252 is a superset of latin-1 for printable text; prefer it when it decodes.
    if name in ("latin-1", "iso8859-1", "iso8859-15"):
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return name
    return name


def _refuse_controls(text: str, path, name: str) -> None:
    found = _CONTROL.search(text)
    if found:
        char = found.group()
        raise SourceReadError(
            path, f"control character U+{ord(char):04X} found: this looks like binary data, "
            f"not {name} text", place=f"character {found.start()}",
            fix="check the file is a text file; convert documents with their own reader (.docx, .pdf)")
