"""Positions written by other tools, turned into somecode's code-point offsets.

The REFI-QDA standard says selections count Unicode code points from 0; tools differ.  NVivo
counts UTF-16 code units and CRLF as two; ATLAS.ti counts a line break as one.  For each source
:func:`resolve` tries every scheme (code points or UTF-16 units; CRLF as two or one; a BOM counted
or not) and keeps the one under which the selections' quoted text matches best, no selection
splits a character or a CRLF pair or runs past the end, and most selections begin and end on
word boundaries.  :func:`to_canonical` then maps raw code-point positions onto the canonical text
(NFC, ``\\n`` newlines).

>>> raw = "Hai 👍\\r\\nOke."
>>> scheme = resolve(raw, [(8, 11, "Oke")])     # as NVivo counts: the emoji is two UTF-16 units
>>> scheme.unit, scheme.crlf, [raw[a:b] for a, b in scheme.convert(raw, [(8, 11)])]
('utf16', 'two', ['Oke'])
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Scheme", "resolve", "to_canonical"]


@dataclass
class Scheme:
    """How a tool counted positions: ``unit`` (codepoint|utf16), ``crlf`` (two|one), ``bom``."""

    unit: str
    crlf: str
    bom: bool
    score: tuple = field(default=(), compare=False)
    violations: int = field(default=0, compare=False)

    def describe(self) -> str:
        unit = "code points" if self.unit == "codepoint" else "UTF-16 units"
        return f"{unit}, CRLF counted as {'2' if self.crlf == 'two' else '1'}, BOM {'counted' if self.bom else 'not counted'}"

    def convert(self, raw: str, spans) -> list[tuple[int, int]]:
        """Raw code-point ``(start, end)`` for each span in this scheme's units (raises ValueError
        for a position that does not exist under the scheme)."""
        cached = getattr(self, "_cache", None)
        if cached is None or cached[0] is not raw:
            self._cache = cached = (raw, _unit_to_raw(raw, self.unit, self.crlf))
        mapping, shift = cached[1], 1 if self.bom else 0
        return [(_lookup(mapping, start - shift), _lookup(mapping, end - shift)) for start, end in spans]


def _lookup(mapping: np.ndarray, position: int) -> int:
    if position < 0 or position >= len(mapping) or mapping[position] < 0:
        raise ValueError(position)
    return int(mapping[position])


def _unit_to_raw(raw: str, unit: str, crlf: str) -> np.ndarray:
    """For each position in the scheme's units, the raw code-point index (-1 where a position
    falls inside a character or between the two halves of a CRLF pair)."""
    codes = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32) if raw else np.zeros(0, np.uint32)
    widths = np.ones(len(codes), dtype=np.int64)
    if unit == "utf16":
        widths[codes > 0xFFFF] = 2
    pair = np.zeros(len(codes), dtype=bool)  # the \n of each \r\n
    if len(codes) > 1:
        pair[1:] = (codes[1:] == 10) & (codes[:-1] == 13)
    if crlf == "one":
        widths[pair] = 0
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]]) if len(codes) else np.zeros(0, np.int64)
    total = int(widths.sum())
    mapping = np.full(total + 1, -1, dtype=np.int64)
    mapping[starts] = np.arange(len(codes))  # with CRLF as one, the next character overwrites the \n
    mapping[total] = len(codes)
    if crlf == "two":
        mapping[starts[pair]] = -1
    return mapping


def _boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())


def _normal(text: str) -> str:
    return " ".join(text.split())


def resolve(raw: str, selections, origin: str = "") -> Scheme:
    """The scheme that best explains ``selections``: ``(start, end, quoted text or "")`` triples."""
    has_crlf, astral = "\r\n" in raw, any(ord(c) > 0xFFFF for c in raw)
    candidates = [Scheme(u, c, b) for u, c, b in itertools.product(
        ("codepoint", "utf16") if astral else ("codepoint",), ("two", "one") if has_crlf else ("two",),
        (False, True))]
    prior = ("utf16", "two") if "nvivo" in origin.lower() else ("codepoint", "one") if "atlas" in origin.lower() \
        else ("codepoint", "two")
    for scheme in candidates:
        matches = violations = boundaries = 0
        for start, end, quote in selections:
            try:
                (a, b), = scheme.convert(raw, [(start, end)])
            except ValueError:
                violations += 1
                continue
            matches += bool(quote) and _normal(raw[a:b]) == _normal(quote)
            boundaries += _boundary(raw, a) + _boundary(raw, b)
        scheme.violations = violations
        scheme.score = (matches, -violations, boundaries, not scheme.bom, (scheme.unit, scheme.crlf) == prior)
    return max(candidates, key=lambda s: s.score)


def to_canonical(raw: str) -> tuple[str, list[int]]:
    """The canonical text of ``raw`` (BOM already removed) and, for every raw code-point position
    0..len(raw), the canonical position it maps to."""
    positions: list[int] = []
    pieces: list[str] = []
    out = 0
    for line in _lines(raw):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        normal = unicodedata.normalize("NFC", body)
        if normal == body:
            positions.extend(range(out, out + len(body)))
        else:
            positions.extend(len(unicodedata.normalize("NFC", body[:i])) + out for i in range(len(body)))
        out += len(normal)
        pieces.append(normal)
        if ending:
            positions.extend([out] * len(ending))
            pieces.append("\n")
            out += 1
    positions.append(out)
    return "".join(pieces), positions


def _lines(text: str):
    start = 0
    for index, char in enumerate(text):
        if char == "\n" or (char == "\r" and not text.startswith("\r\n", index)):
            yield text[start:index + 1]
            start = index + 1
    if start < len(text):
        yield text[start:]
