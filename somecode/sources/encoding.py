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
from pathlib import Path

from ..errors import SourceReadError

__all__ = ["decode_bytes", "read_decoded", "LEGACY_ENCODINGS"]

# Tried in this order when the bytes are not UTF-8; the first of equally good readings giving the
# same text names it.  Western (cp1252, latin-1/-15), Central European (cp1250, latin-2), Mac.
LEGACY_ENCODINGS = ("cp1252", "cp1250", "iso8859_2", "mac_roman", "latin_1", "iso8859_15")
_MAX_MESS = 0.2   # the best reading must be at least this clean (charset-normalizer's own threshold)
_TIE = 0.02       # readings this close to the best are as good
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
    single-byte encoding (:data:`LEGACY_ENCODINGS`: cp1252, cp1250, latin-2, MacRoman, latin-1),
    the one whose reading looks least like mojibake (charset-normalizer's mess ratio, plus symbols
    inside words and capitals after small letters).  A reading other than cp1252 comes with a
    :class:`SomecodeWarning` naming it and the others; when two encodings read the bytes equally
    well into different texts the file is refused, naming them.
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
    """Decode as a legacy single-byte encoding, or raise naming the first non-UTF-8 byte (or,
    when two encodings read the bytes equally well into different texts, naming both)."""
    readings = _readings(data)
    if readings:
        best = min(score for score, _, _ in readings.values())
        if best <= _MAX_MESS:
            winners = {name: text for name, (score, text, _) in readings.items() if score <= best + _TIE}
            if len(set(winners.values())) > 1:  # equally clean, different texts: Western letters first
                fewest = min(_central_share(text) for text in winners.values())
                winners = {name: text for name, text in winners.items() if _central_share(text) == fewest}
            texts = set(winners.values())
            if len(texts) == 1:
                name = next(iter(winners))  # LEGACY_ENCODINGS order: the usual one first
                text = winners[name]
                if any(other != text for _, other, _ in readings.values() if other is not None):
                    _warn_guess(path, name, text, readings, best)
                return text, name
            raise SourceReadError(
                path, "the file is not UTF-8 and reads equally well as more than one legacy encoding: "
                + "; ".join(f"{name} gives {_sample(text, texts)!r}" for name, text in _distinct(winners)),
                place=f"byte {utf8_error.start}",
                fix=f"pass encoding='{next(iter(winners))}' (or another of {', '.join(winners)}) if you "
                "know which one the file was saved in, or save it as UTF-8")
    offset = utf8_error.start
    raise SourceReadError(
        path, f"bytes {data[offset:offset + 4]!r} are not valid UTF-8 and the file does not "
        "read as a legacy single-byte encoding either (binary data or a damaged file?)",
        place=f"byte {offset}", fix=_FIX)


def _distinct(readings: dict[str, str]) -> list[tuple[str, str]]:
    """One (names, text) per distinct text: ``"cp1252 (or latin_1)"``."""
    names: dict[str, list[str]] = {}
    for name, text in readings.items():
        names.setdefault(text, []).append(name)
    return [(f"{same[0]} (or {', '.join(same[1:])})" if len(same) > 1 else same[0], text)
            for text, same in names.items()]


def _readings(data: bytes) -> dict[str, tuple[float, str, str]]:
    """Each legacy encoding that decodes ``data`` into text: (mess score, text, sample)."""
    from charset_normalizer.md import mess_ratio

    sample_bytes = _non_ascii_lines(data)
    found: dict[str, tuple[float, str, str]] = {}
    for name in LEGACY_ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            continue
        sample = sample_bytes.decode(name)
        found[name] = (mess_ratio(sample, maximum_threshold=1.0) + _odd(sample), text, sample)
    return found


def _non_ascii_lines(data: bytes, limit: int = 20_000) -> bytes:
    """The lines of ``data`` that hold non-ASCII bytes, up to ``limit`` bytes: what tells encodings apart."""
    lines = [line for line in data.splitlines() if any(b > 0x7F for b in line)]
    return b"\n".join(lines)[:limit]


_INSIDE_WORD_OK = "\u2019\u00b7\u2010\u2011"  # ’ · and hyphens are fine between letters


def _odd(text: str) -> float:
    """Signs of a wrong code page that mess_ratio misses, per non-ASCII character: a symbol between
    two letters (``žlu»oučký``), and an upper-case accented letter after a lower-case one (``cafŽ``)."""
    odd = total = 0
    for i, char in enumerate(text):
        if ord(char) < 0x80:
            continue
        total += 1
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if not char.isalpha() and char not in _INSIDE_WORD_OK and before.isalpha() and after.isalpha():
            odd += 1
        elif char.isupper() and before.islower():
            odd += 1
    return odd / total if total else 0.0


def _sample(text: str, texts: set[str]) -> str:
    """The words around the first place where ``text`` differs from the other readings."""
    others = [t for t in texts if t != text]
    at = min(next((i for i, (a, b) in enumerate(zip(text, other)) if a != b), 0) for other in others)
    start = max(text.rfind(" ", 0, max(0, at - 12)) + 1, 0)
    stop = text.find(" ", at + 12)
    return text[start:stop if stop != -1 else len(text)][:40]


def _warn_guess(path, name: str, text: str, readings, best: float) -> None:
    """Warn when other legacy encodings would have given another text, naming them (with the
    words where their reading differs) unless their reading is plainly worse (cp1252 reads
    MacRoman's curly quotes as ``Ò``/``Ó``: that is said too, as what was avoided)."""
    import warnings

    from ..errors import SomecodeWarning

    others = {n: t for n, (_, t, _) in readings.items() if t != text}
    close = [n for n in others if readings[n][0] <= best + _TIE]
    if name == "cp1252" and not close:
        return  # the usual encoding, and every other reading is clearly garbled
    shown = "; ".join(f"{n} would read {_sample(t, {t, text})!r}" for n, t in list(others.items())[:3])
    how = "as well as" if close else "better than"
    warnings.warn(SomecodeWarning(
        f"{path}: not UTF-8; read as {name} ({_sample(text, set(others.values()) | {text})!r}), which "
        f"fits its bytes {how} the other legacy encodings: {shown}. Fix: check the text; pass "
        f"encoding='...' if it is wrong, or save the file as UTF-8"), stacklevel=4)


_CENTRAL = frozenset("čďěňřšťžąęłńśźżőűăşţŕĺľČĎĚŇŘŠŤŽĄĘŁŃŚŹŻŐŰĂŞŢŔĹĽ")


def _central_share(text: str) -> float:
    """Share of the non-ASCII letters that only Central European alphabets use (``č ř ł ő``...):
    between equally clean readings, Indonesian and English text more likely holds Western ones
    (``café``, ``señor``)."""
    letters = [c for c in text if ord(c) > 0x7F and c.isalpha()]
    return sum(c in _CENTRAL for c in letters) / len(letters) if letters else 0.0


def _refuse_controls(text: str, path, name: str) -> None:
    found = _CONTROL.search(text)
    if found:
        char = found.group()
        raise SourceReadError(
            path, f"control character U+{ord(char):04X} found: this looks like binary data, "
            f"not {name} text", place=f"character {found.start()}",
            fix="check the file is a text file; convert documents with their own reader (.docx, .pdf)")


def read_decoded(path, encoding: str | None = None) -> tuple[str, str]:
    """A file's text and the encoding it was read in (see :func:`decode_bytes`), or our error."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise SourceReadError(path, f"cannot read the file ({err.strerror})",
                              fix="check the path and the file's permissions") from None
    return decode_bytes(data, path, encoding)
