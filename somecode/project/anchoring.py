"""Placing coded spans of an old text in a new version of it: exact, or not at all.

When a source's text changes, each coded span is placed again, in order of confidence:

1. ``unchanged``/``shifted``: every coded character survives the edit, contiguously, together with a
   character or two beside it (a diff of the old and new text gives the position map);
2. ``moved``: the coded text occurs exactly once in the new text, and is either long enough to be
   distinctive (25 characters) or has the same context on both sides (a passage moved);
3. ``fuzzy``: the first and last three coded characters survive, the text between them is still at
   least ``threshold`` similar, and nothing was inserted inside it but small corrections (a typo
   fixed): no inserted line, no inserted word;
4. otherwise ``orphaned``: never guessed at.

Whatever the method, a span stays with its speaker: when the turns of both versions are given, the
new span must lie in turns of the same informant (and, for a moved or fuzzy span, the same speaker
label) as the old one, in the same order; a span between turns stays between turns.

The position map comes from Myers' diff (``diff-match-patch``: line mode first, then characters in
the changed lines), whose cost grows with the length times the number of changes, not with the
square of the length.

>>> old = "Ani: Kami pakai reels. Budi: Kami juga."
>>> reanchor(old, "Ani: Kami selalu pakai reels. Budi: Kami juga.", [(10, 21)])
[(17, 28, 'shifted', 1.0)]
"""

from __future__ import annotations

from bisect import bisect_right
from difflib import SequenceMatcher
from typing import Sequence

import numpy as np

from ..model import Turn

__all__ = ["position_map", "reanchor", "Placement", "CONTEXT", "DISTINCTIVE"]

CONTEXT = 30
DISTINCTIVE = 25  # characters: a passage at least this long, found exactly once, is itself
SMALL = 3  # characters: the most a correction may insert beyond what it replaced
EDGE = 3  # characters at each end of a span that must survive for a fuzzy placement
CONTEXT_KEPT = 2  # characters beside a span that must survive with it, on one side, for it to stay put

Placement = tuple[int | None, int | None, str, float]
Identity = tuple[tuple[str | None, str | None], ...]


def position_map(old: str, new: str) -> np.ndarray:
    """For each character of ``old``, its position in ``new``, or -1 where it did not survive.

    >>> position_map("abc", "xabc").tolist()
    [1, 2, 3]
    """
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = 0  # an exact diff; line mode keeps it fast on long texts with few changes
    mapping = np.full(len(old), -1, dtype=np.int64)
    a = b = 0
    for op, piece in differ.diff_main(old, new, True):
        size = len(piece)
        if op == 0:
            mapping[a:a + size] = np.arange(b, b + size)
            a, b = a + size, b + size
        elif op < 0:
            a += size
        else:
            b += size
    return mapping


class _Turns:
    """The turns of one version of a text, to ask which speakers a span lies in."""

    def __init__(self, turns: Sequence[Turn] | None):
        self.turns = list(turns) if turns is not None else None
        self.starts = [t.start for t in self.turns or []]

    def identity(self, start: int, end: int, *, labels: bool) -> Identity | None:
        """The (informant, speaker label) of each turn the span overlaps, in order (``None`` without turns)."""
        if self.turns is None:
            return None
        found = []
        for i in range(max(0, bisect_right(self.starts, start) - 1), len(self.turns)):
            turn = self.turns[i]
            if turn.start >= end:
                break
            if turn.end > start:
                found.append((turn.informant, turn.speaker if labels else None))
        return tuple(found)


def _same_speakers(old: _Turns, new: _Turns, span: tuple[int, int], placed: tuple[int, int], labels: bool) -> bool:
    before = old.identity(*span, labels=labels)
    return before is None or new.identity(*placed, labels=labels) in (None, before)


def _context_matches(old: str, new: str, start: int, end: int, found: int) -> bool:
    before = old[max(0, start - CONTEXT):start]
    after = old[end:end + CONTEXT]
    new_before = new[max(0, found - len(before)):found]
    new_after = new[found + end - start:found + end - start + len(after)]
    return SequenceMatcher(None, before + "\0" + after, new_before + "\0" + new_after, autojunk=False).ratio() >= 0.8


def _only_corrections(mapping: np.ndarray, new: str, start: int, end: int) -> bool:
    """Whether everything inserted inside the new span replaces something deleted there, by at most
    :data:`SMALL` characters more, with no line break; or is a few characters inside a word."""
    inside = mapping[start:end]
    kept = np.flatnonzero(inside >= 0)
    for left, right in zip(kept[:-1], kept[1:]):
        new_left, new_right = int(inside[left]), int(inside[right])
        inserted = new[new_left + 1:new_right]
        if not inserted:
            continue
        deleted = int(right - left - 1)
        if "\n" in inserted or len(inserted) > deleted + SMALL:
            return False
        if deleted == 0 and any(ch.isspace() for ch in inserted):
            return False
    return True


def _occurrences(text: str, piece: str, limit: int = 2) -> list[int]:
    hits: list[int] = []
    at = text.find(piece)
    while at >= 0 and len(hits) < limit:
        hits.append(at)
        at = text.find(piece, at + 1)
    return hits


def reanchor(old: str, new: str, spans: Sequence[tuple[int, int]], threshold: float = 0.8, mapping=None,
             old_turns: Sequence[Turn] | None = None, new_turns: Sequence[Turn] | None = None) -> list[Placement]:
    """Place each ``(start, end)`` of ``old`` in ``new``: ``(new_start, new_end, method, score)``, with
    ``None`` positions for an orphan (see the module docstring for the rules)."""
    mapping = position_map(old, new) if mapping is None else mapping
    before, after = _Turns(old_turns), _Turns(new_turns)
    return [_place(old, new, mapping, before, after, start, end, threshold) for start, end in spans]


def _contiguous(mapping: np.ndarray, start: int, end: int) -> bool:
    """Whether old ``[start, end)`` survives as one unbroken run of the new text."""
    run = mapping[start:end]
    return bool(len(run)) and bool((run >= 0).all()) and int(run[-1]) - int(run[0]) == end - 1 - start


def _in_place(mapping: np.ndarray, start: int, end: int) -> bool:
    """Whether the run the span survives in goes on past it on one side at least (or the span touches an
    end of the text): the words stayed where they were, rather than being matched to a copy elsewhere."""
    n = len(mapping)
    left = start == 0 or (_contiguous(mapping, max(0, start - CONTEXT_KEPT), end))
    right = end == n or _contiguous(mapping, start, min(n, end + CONTEXT_KEPT))
    return left or right


def _edges_kept(mapping: np.ndarray, start: int, end: int) -> bool:
    """Whether the first and last few coded characters survive as runs (not one stray matching letter)."""
    k = max(1, min(EDGE, (end - start) // 3))
    return _contiguous(mapping, start, start + k) and _contiguous(mapping, end - k, end)


def _place(old: str, new: str, mapping: np.ndarray, before: _Turns, after: _Turns, start: int, end: int,
           threshold: float) -> Placement:
    first, last = int(mapping[start]), int(mapping[end - 1])
    if _contiguous(mapping, start, end) and _in_place(mapping, start, end):
        if _same_speakers(before, after, (start, end), (first, last + 1), labels=False):
            method = "unchanged" if first == start and len(old) == len(new) else "shifted"
            return first, last + 1, method, 1.0
        return None, None, "orphaned", 0.0
    piece = old[start:end]
    hits = _occurrences(new, piece)
    if len(hits) == 1 and (len(piece) >= DISTINCTIVE or _context_matches(old, new, start, end, hits[0])):
        if _same_speakers(before, after, (start, end), (hits[0], hits[0] + len(piece)), labels=True):
            return hits[0], hits[0] + len(piece), "moved", 1.0
    if 0 <= first <= last and _edges_kept(mapping, start, end) and _only_corrections(mapping, new, start, end):
        score = SequenceMatcher(None, piece, new[first:last + 1], autojunk=False).ratio()
        if score >= threshold and _same_speakers(before, after, (start, end), (first, last + 1), labels=True):
            return first, last + 1, "fuzzy", round(score, 4)
    return None, None, "orphaned", 0.0
