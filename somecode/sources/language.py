"""The language of a source: Indonesian or English, decided from its function words.

Every source read is given ``attrs["language"]``.  A language the file states (front matter
``language:``, a table's ``language`` column, ``source.with_attrs(language="en")``) is kept as it
is: it overrides detection, and no ``language_detected`` is added.  Otherwise the text decides, and
``attrs["language_detected"]`` records how: ``{"language": "en", "confidence": 0.97, "method":
"function-words", "hits": {"en": 40, "id": 0}}``.  A text with too little evidence (fewer than
:data:`MIN_HITS` function words, or a confidence below :data:`MIN_CONFIDENCE`) is *undetermined*:
``language_detected["language"] == "und"`` and ``attrs["language"]`` is left unset, so automatic
coding uses its stated default for it and says so (see :func:`somecode.auto.coder.autocode`).

The method: the text's words are counted against two lists of function words (pronouns,
prepositions, conjunctions, particles, the common informal spellings ``gak``, ``yg``, ``udah``...),
words that carry no topic and that the two languages do not share.  The confidence is the
Laplace-smoothed share of the winning language, ``(hits + 1) / (all hits + 2)``, so three words
of one language and none of the other give 0.80, forty give 0.98.  Why not a library: the choice is
between two languages only; langdetect is randomised and often calls short Indonesian text Malay,
Tagalog or Somali; lingua's wheel is very large; fasttext needs a model download.  Measured on the
shared corpora (tests/test_language.py): every determined document right (Indonesian reviews,
tweets and news; the English think-aloud segments).

>>> detect_language("Kami pakai reels setiap hari, jadi jangkauan kami naik.").language
'id'
>>> found = detect_language("We use reels every day, so our reach has grown a lot.")
>>> found.language, found.confidence
('en', 0.83)
>>> detect_language("Mantap!").language
'und'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from ..model import Source

__all__ = ["detect_language", "Detection", "with_language", "normalise_language", "source_language",
           "MIN_HITS", "MIN_CONFIDENCE", "UNDETERMINED"]

UNDETERMINED = "und"
MIN_HITS = 3            # function words needed before a language is decided
MIN_CONFIDENCE = 0.75   # smoothed share of the winning language needed
_MAX_CHARS = 20_000     # a long text is judged on its first 20,000 characters

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "id": frozenset("""
        yang dan di ke dari ini itu dengan untuk tidak ada akan pada juga saya kami kita mereka dia
        adalah bisa sudah belum atau karena jadi tapi tetapi kalau seperti dalam oleh lebih sangat
        hanya masih harus sebagai bagi agar supaya apa bagaimana kenapa mengapa sih aja saja gak ga
        nggak enggak tdk yg udah sdh dgn utk krn kalo bgt banget dong deh lagi mau sama aku kamu
        terus trus lah punya tak bukan setelah sebelum kapan mana sini begitu gimana kok nih tuh jd
        dpt dapat tersebut para telah bahwa secara yaitu namun hingga sampai semua setiap antara serta
        kalian beliau anda kenapa ketika saat sehingga walaupun meskipun tentang tanpa masing sendiri
        sudah pun nya banyak sekali makin semakin bila jika maka lalu kemudian begini kayak biar
        udh blm jg klo ngga gk tp tpi sy bs dr krna trs gitu gini mulu pas buat cuma cm kan kah dulu
        """.split()),
    "en": frozenset("""
        the and of to is are was were an in on it that this for with as at by be have has had not
        but or we you they he she my our your their what which who how why when there so if do does
        did can could would should will just about from very really because think know also been
        into some any all more than then them its it's i'm don't didn't doesn't can't isn't yeah
        these those here where while would've there's that's what's you're we're they're i've
        we've i'd me us his her him who's being am out up only other such each most much
        """.split()),
}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NAMES = {"indonesian": "id", "bahasa indonesia": "id", "bahasa": "id", "indonesia": "id", "ind": "id",
          "in": "id", "english": "en", "eng": "en", "inggris": "en", "bahasa inggris": "en"}


@dataclass(frozen=True)
class Detection:
    """What :func:`detect_language` decided: ``language`` (``id``, ``en`` or ``und``), its
    ``confidence`` (0.5 to 1) and the function words counted per language."""

    language: str
    confidence: float
    hits: Mapping[str, int]

    def as_attr(self) -> dict[str, Any]:
        """The plain record stored as ``attrs["language_detected"]``."""
        return {"language": self.language, "confidence": self.confidence, "method": "function-words",
                "hits": dict(self.hits)}


def detect_language(text: str) -> Detection:
    """The language of ``text`` by its function words (see the module docstring)."""
    hits = {lang: 0 for lang in FUNCTION_WORDS}
    for word in _WORD.findall(text[:_MAX_CHARS].lower().replace("\u2019", "'")):
        for lang, words in FUNCTION_WORDS.items():
            if word in words:
                hits[lang] += 1
    best = max(hits, key=lambda lang: (hits[lang], lang == "id"))
    total = sum(hits.values())
    confidence = round((hits[best] + 1) / (total + 2), 2)
    if total < MIN_HITS or confidence < MIN_CONFIDENCE:
        return Detection(UNDETERMINED, confidence, hits)
    return Detection(best, confidence, hits)


def normalise_language(value: object) -> str:
    """A stated language as a short code: ``"en-US"``, ``"English"`` -> ``en``; ``"Bahasa
    Indonesia"``, ``"ind"`` -> ``id``; anything else lower-cased as it is (``"fr"``)."""
    text = str(value).strip().lower().replace("_", "-")
    if text in _NAMES:
        return _NAMES[text]
    return _NAMES.get(text.split("-")[0], text.split("-")[0])


def with_language(source: Source) -> Source:
    """``source`` with ``attrs["language"]`` set (see the module docstring); a stated language is
    kept as the file gives it."""
    if source.attrs.get("language"):
        return source
    found = detect_language(source.text)
    attrs: dict[str, Any] = {"language_detected": found.as_attr()}
    if found.language != UNDETERMINED:
        attrs["language"] = found.language
    return source.with_attrs(**attrs)


def source_language(source: Source) -> str:
    """The language of a source as a short code: its stated or stored ``attrs["language"]``,
    else detected now from its text (``und`` when undetermined)."""
    stated = source.attrs.get("language")
    if stated:
        return normalise_language(stated)
    return detect_language(source.text).language
