"""The reader of ``.txt`` and ``.md`` files: caption cues saved as text (whisper-ctranslate2's
``MM:SS.mmm --> MM:SS.mmm`` blocks with no ``WEBVTT`` line) go to the captions reader, everything
else to the transcript reader (which recognises the layout by content)."""

from __future__ import annotations

import re

from ..text import canonical_text
from .captions import parse_captions
from .transcript import parse_transcript, split_front_matter

__all__ = ["parse_text"]

_TIMING_LINE = re.compile(r"^[ \t]*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->[ \t]+", re.M)


def parse_text(text: str, path, *, encoding: str = "utf-8", **options):
    """A source from a text file's decoded text (see :func:`parse_transcript`)."""
    canonical = canonical_text(text)
    fence = canonical.find("\n---\n", 3) + 5 if canonical.startswith("---\n") else 0
    if _timing_lines(canonical[:max(fence, 0) + 20000]) >= 2:  # else the transcript reader reads the front matter
        meta, body = split_front_matter(canonical, path)
        if {**meta, **options}.get("kind") != "document" and _timing_lines(body[:20000]) >= 2:
            return parse_captions(body, path, encoding=encoding, header=False, **{**meta, **options})
    return parse_transcript(canonical, path, encoding=encoding, **options)


def _timing_lines(text: str, enough: int = 2) -> int:
    """How many caption timing lines ``text`` has, counting up to ``enough``."""
    found = 0
    for _ in _TIMING_LINE.finditer(text):
        found += 1
        if found >= enough:
            break
    return found
