"""The canonical text policy, and small text helpers shared by readers and the project.

A source's text is decided once, when the file is read: Unicode NFC, ``\\n``
newlines, no byte-order mark.  Every offset in somecode is a Python ``str``
index (a code point) into that text.

>>> canonical_text("\\ufeffCafe\\u0301\\r\\nok\\r")
'Café\\nok\\n'
>>> text_hash("abc")
'a9993e364706816a'
>>> slugify("Agustian Fardianto")
'agustian-fardianto'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["TEXT_POLICY", "CONTROL", "canonical_text", "text_hash", "slugify", "count_words", "some"]

TEXT_POLICY = "NFC; newlines \\r\\n and \\r as \\n; BOM removed"

_NEWLINES = re.compile(r"\r\n?")
# control characters no text source holds (tab, newline, form feed and carriage return are text)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def canonical_text(text: str) -> str:
    """Return ``text`` under the canonical policy (:data:`TEXT_POLICY`)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))


def text_hash(text: str) -> str:
    """A short, stable fingerprint of ``text`` (SHA-1 of its UTF-8, 16 hex digits)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def slugify(name: str) -> str:
    """A stable, readable id from a display name: lower case ASCII, ``-`` between words.

    >>> slugify("Kompas.com 26 Dec 2019")
    'kompas-com-26-dec-2019'
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug or "x" + text_hash(name)[:8]


def count_words(text: str) -> int:
    """Words in ``text`` (runs of letters and digits, inner hyphens kept).

    >>> count_words("Reels ini lebih banyak di-like, kata-nya 2x.")
    7
    """
    return len(_WORD.findall(text))


def some(ids, limit: int = 12) -> str:
    """A short list of ids for a message: the first ``limit`` and how many more.

    >>> some(["a", "b", "c"], limit=2)
    "'a', 'b' and 1 more"
    """
    ids = list(ids)
    if not ids:
        return "none yet"
    shown = ", ".join(map(repr, ids[:limit]))
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
