"""Finding a quoted passage in a source's text, exactly, and saying what is nearest when it is not there.

A quote matches when its words and punctuation match; runs of white space
(spaces, newlines, a page break) on either side count as one space.

>>> find_quote("Reels  ini\\nlebih disukai. Reels ini lebih disukai.", "reels", ) is None
True
>>> find_quote("Jam 12 siang,\\natau sore.", "siang, atau sore")
[(7, 23)]
>>> nearest_match("Konten reels lebih banyak disukai followers.", "konten rels lebih banyak")
(0, 25, 'Konten reels lebih banyak')
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

__all__ = ["find_quote", "nearest_match"]


def find_quote(text: str, quote: str) -> list[tuple[int, int]] | None:
    """Every ``(start, end)`` where ``quote`` occurs in ``text``; ``None`` when it does not.

    Matching is case-sensitive; white space is flexible (see the module docstring).
    """
    words = unicodedata.normalize("NFC", quote).split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    return spans or None


def nearest_match(text: str, quote: str) -> tuple[int, int, str] | None:
    """The passage of ``text`` most like ``quote``: ``(start, end, passage)``, for error messages."""
    quote = " ".join(unicodedata.normalize("NFC", quote).split())
    if not quote or not text:
        return None
    matcher = SequenceMatcher(None, text, quote, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(quote))
    if block.size == 0:
        return None
    start = max(0, block.a - block.b)
    end = min(len(text), start + len(quote))
    start, end = _widen_to_words(text, start, end)
    return start, end, text[start:end]


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end - 1].isalnum():
        end += 1
    return start, end
