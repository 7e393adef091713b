"""Positions written by other tools, turned into somecode's code-point offsets.

The REFI-QDA standard says selections count Unicode code points from 0; tools differ.  NVivo
counts UTF-16 code units and CRLF as two; ATLAS.ti counts a line break as one.  For each source
:func:`resolve` tries every scheme (code points or UTF-16 units; CRLF as two or one; a BOM counted
or not) and keeps the one under which the selections' quoted text matches best, no selection
splits a character or a CRLF pair or runs past the end, and most selections begin and end on
word boundaries.  :class:`CanonicalMap` then maps raw code-point positions onto the canonical
text (NFC, ``\\n`` newlines).

Memory stays proportional to the text plus the few places where counting differs (characters
outside the Basic Multilingual Plane, CRLF pairs, text that NFC changes): no table with an entry
per character is built, so a 50 MB source costs a few bytes per character to import.

>>> raw = "Hai 👍\\r\\nOke."
>>> scheme = resolve(raw, [(8, 11, "Oke")])     # as NVivo counts: the emoji is two UTF-16 units
>>> scheme.unit, scheme.crlf, [raw[a:b] for a, b in scheme.convert(raw, [(8, 11)])]
('utf16', 'two', ['Oke'])
>>> canonical = CanonicalMap(raw)
>>> canonical.text, canonical.positions([8, 11]).tolist()
('Hai 👍\\nOke.', [7, 10])
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Scheme", "Layout", "CanonicalMap", "resolve", "quote_matches"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A stretch NFC may change: non-ASCII characters with the ASCII character before them (a combining
# mark composes with the letter it follows); a boundary before an ASCII character is always safe,
# since ASCII characters are starters that never compose with what precedes them.
_NFC_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_NEWLINES = re.compile(r"\r\n?")
_CRLF = re.compile("\r\n")


def _indices(pattern: re.Pattern, text: str, shift: int = 0) -> np.ndarray:
    return np.fromiter((m.start() + shift for m in pattern.finditer(text)), dtype=np.int64)


class Layout:
    """Where counting schemes differ in one raw text: its astral characters and CRLF pairs."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.length = len(raw)
        self.astral = _indices(_ASTRAL, raw) if not raw.isascii() else np.zeros(0, np.int64)
        self.crlf_n = _crlf_pairs(raw)


def _crlf_pairs(raw: str) -> np.ndarray:
    """The index of the ``\n`` of every CRLF pair."""
    return _indices(_CRLF, raw, 1) if "\r" in raw else np.zeros(0, np.int64)


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

    def positions(self, layout: Layout, units) -> np.ndarray:
        """The raw code-point index for each position in this scheme's units; ``-1`` where a
        position does not exist (before 0, past the end, inside a character or a CRLF pair)."""
        target = np.asarray(units, dtype=np.int64) - (1 if self.bom else 0)
        wide = layout.astral if self.unit == "utf16" else layout.astral[:0]
        narrow = layout.crlf_n if self.crlf == "one" else layout.crlf_n[:0]
        if len(wide) or len(narrow):
            found = _largest_at_most(layout.length, wide, narrow, target)
            ok = _units(found, wide, narrow) == target
        else:
            found, ok = target.copy(), np.ones(len(target), dtype=bool)
        ok &= (target >= 0) & (found <= layout.length)
        if self.crlf == "two" and len(layout.crlf_n):  # between the \r and the \n of a pair
            ok &= ~np.isin(found, layout.crlf_n)
        return np.where(ok, found, -1)

    def convert(self, raw: str, spans) -> list[tuple[int, int]]:
        """Raw code-point ``(start, end)`` for each span in this scheme's units (raises ValueError
        for a position that does not exist under the scheme)."""
        layout = raw if isinstance(raw, Layout) else Layout(raw)
        spans = list(spans)
        found = self.positions(layout, [p for span in spans for p in span]).reshape(-1, 2)
        if (found < 0).any():
            raise ValueError(spans[int(np.nonzero((found < 0).any(axis=1))[0][0])])
        return [(int(a), int(b)) for a, b in found]


def _units(raw_positions: np.ndarray, wide: np.ndarray, narrow: np.ndarray) -> np.ndarray:
    """The scheme's unit position of each raw position: one more per astral character before it
    (UTF-16), one less per CRLF pair's ``\\n`` before it (CRLF counted as one)."""
    return (raw_positions + np.searchsorted(wide, raw_positions, side="left")
            - np.searchsorted(narrow, raw_positions, side="left"))


def _largest_at_most(length: int, wide: np.ndarray, narrow: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For each target unit position, the largest raw position whose unit position is at most it
    (a vectorised binary search: the unit position never decreases along the text)."""
    low = np.zeros(len(target), dtype=np.int64)
    high = np.full(len(target), length, dtype=np.int64)
    while (low < high).any():
        middle = (low + high + 1) // 2
        below = _units(middle, wide, narrow) <= target
        low = np.where(below, middle, low)
        high = np.where(below, high, middle - 1)
    return low


def _boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())


def _normal(text: str) -> str:
    return " ".join(text.split())


def resolve(raw: str | Layout, selections, origin: str = "") -> Scheme:
    """The scheme that best explains ``selections``: ``(start, end, quoted text or "")`` triples.

    Ranked by quotes matched, then positions that exist, then selections on word boundaries
    (counted only to break a tie), then no BOM counted, then the tool's usual scheme.  When the
    usual scheme matches every quote and every position exists, no other can do better.
    """
    layout = raw if isinstance(raw, Layout) else Layout(raw)
    prior = ("utf16", "two") if "nvivo" in origin.lower() else ("codepoint", "one") if "atlas" in origin.lower() \
        else ("codepoint", "two")
    candidates = [Scheme(u, c, b) for u, c, b in itertools.product(
        ("codepoint", "utf16") if len(layout.astral) else ("codepoint",),
        ("two", "one") if len(layout.crlf_n) else ("two",), (False, True))]
    candidates.sort(key=lambda s: ((s.unit, s.crlf) != prior, s.bom))  # the usual scheme first
    selections = list(selections)
    units = np.array([[start, end] for start, end, _ in selections], dtype=np.int64).reshape(-1, 2)
    quoted = sum(1 for *_, quote in selections if quote)
    found = {}
    for scheme in candidates:
        found[id(scheme)] = scheme.positions(layout, units.ravel()).reshape(-1, 2).tolist()
        matches = _matches(layout.raw, found[id(scheme)], selections)
        scheme.violations = sum(1 for a, b in found[id(scheme)] if a < 0 or b < 0)
        scheme.score = (matches, -scheme.violations)
        if scheme is candidates[0] and quoted and matches == quoted and not scheme.violations:
            return scheme
    best = max(s.score for s in candidates)
    for scheme in candidates:
        boundaries = (sum(_boundary(layout.raw, a) + _boundary(layout.raw, b) for a, b in found[id(scheme)]
                          if a >= 0 and b >= 0) if scheme.score == best else -1)
        scheme.score = (*scheme.score, boundaries, not scheme.bom, (scheme.unit, scheme.crlf) == prior)
    return max(candidates, key=lambda s: s.score)


def _matches(text: str, found: list, selections: list) -> int:
    """How many selections' quoted text is the text at their position (spacing aside)."""
    return sum(1 for (a, b), (_, _, quote) in zip(found, selections)
               if quote and a >= 0 and b >= 0 and quote_matches(text[a:b], quote))


def quote_matches(piece: str, quote: str) -> bool:
    """Whether a selection's quoted text (its ``name``) is ``piece``: spacing aside, and a quote
    cut short with "..." or "…" (ATLAS.ti shortens long ones) matching the start.

    >>> quote_matches("Kami  membagikan konten", "Kami membagikan konten")
    True
    >>> quote_matches("Kami membagikan", "Kami mem..."), quote_matches("Kami membagikan", "Kita...")
    (True, False)
    """
    if piece == quote:
        return True
    piece, quote = _normal(piece), _normal(quote)
    for ellipsis in ("...", "…"):
        if quote.endswith(ellipsis) and len(quote) > len(ellipsis):
            return piece.startswith(quote[:-len(ellipsis)].rstrip())
    return piece == quote


class CanonicalMap:
    """The canonical text of ``raw`` (BOM already removed) and the map from raw code-point
    positions onto it: each CRLF pair becomes one ``\\n``; runs of text that NFC changes are
    mapped character by character (only those runs, and only for the positions asked)."""

    def __init__(self, raw: str, layout: Layout | None = None) -> None:
        self.raw = raw
        self.text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", raw))  # canonical_text, BOM aside
        self.crlf_n = layout.crlf_n if layout is not None and layout.raw is raw else _crlf_pairs(raw)
        self.runs: list[tuple[int, int]] = []   # raw (start, end) of each run NFC changes
        shrink = [0]                              # characters NFC removed before the end of each run
        if not raw.isascii() and not unicodedata.is_normalized("NFC", raw):
            for match in _NFC_RUN.finditer(raw):
                run = match.group()
                if not unicodedata.is_normalized("NFC", run):
                    self.runs.append(match.span())
                    shrink.append(shrink[-1] + len(run) - len(unicodedata.normalize("NFC", run)))
        self.run_starts = np.array([a for a, _ in self.runs], dtype=np.int64)
        self.shrink = np.array(shrink, dtype=np.int64)

    def positions(self, raw_positions) -> np.ndarray:
        """The canonical position of each raw position (``0..len(raw)``); a position between the
        ``\\r`` and ``\\n`` of a pair maps to the ``\\n``."""
        raw_positions = np.asarray(raw_positions, dtype=np.int64)
        out = raw_positions - np.searchsorted(self.crlf_n, raw_positions, side="right")
        if not self.runs:
            return out
        index = np.searchsorted(self.run_starts, raw_positions, side="left")  # runs starting before
        out = out - self.shrink[index]
        for i, (position, run_index) in enumerate(zip(raw_positions.tolist(), index.tolist())):
            if run_index and position < self.runs[run_index - 1][1]:  # inside a run NFC changed
                start, _ = self.runs[run_index - 1]
                inside = position - start
                composed = len(unicodedata.normalize("NFC", self.raw[start:position]))
                out[i] += self.shrink[run_index] - self.shrink[run_index - 1] - inside + composed
        return out
