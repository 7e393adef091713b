"""Text search: keyword in context over the turns of a project's sources.

:func:`search` finds words, phrases, regular expressions or a word's variants in the turns of
every source (or of some sources, sets or cases) and returns one row per hit: where it is (source,
informant, speaker, turn, code-point offsets into the source's text) and its context.  Hits as
suggested codings are :func:`somecode.analysis.search_codes.code_search`; counts of words,
:func:`somecode.analysis.frequencies.word_frequencies`.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Peneliti: Apa?\\nAni: Reels dan reels lagi.",
...     kind="interview", turns=[somecode.Turn(10, 14, "Peneliti"), somecode.Turn(20, 41, "Ani", "ani")]))
>>> search(p, "reels", context=4)[["informant", "turn", "start", "end", "left", "match", "right"]].values.tolist()
[['ani', 1, 20, 25, 'ni: ', 'Reels', ' dan'], ['ani', 1, 30, 35, 'dan ', 'reels', ' lag']]
>>> search(p, '"dan reels" lagi', context=0)[["match", "term"]].values.tolist()   # quotes: a phrase
[['dan reels', 'dan reels'], ['lagi', 'lagi']]

Hits lie inside one turn (a speaker's turn, a document's paragraph; the whole text of a source
without turns): the speaker labels between turns are not searched, and a phrase never runs from
one speaker into the next.  Words are runs of letters with their combining marks (any script:
Latin accents, Devanagari vowel signs, Arabic vowel marks), and a hit never cuts a character as
people see it (a letter and its marks, an emoji with its skin tone, a family of emoji joined by
zero-width joiners, a flag): a regular expression's hit that would is widened to the whole of it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import pandas as pd

from ..errors import ValidationError
from ..model import Source
from ..sources.language import source_language
from ..vocabulary import check_choice, check_ids
from .frame import front_matter_informant, restrict

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["search", "compile_query", "fold", "snap", "WORD", "MODES", "SEARCH_COLUMNS"]

MODES = ("words", "phrase", "regex", "variants")
SEARCH_COLUMNS = ["source", "informant", "speaker", "turn", "start", "end", "left", "match", "right",
                  "term", "via"]


def _mark_class() -> str:
    """The code points of Unicode's combining marks (categories Mn, Mc, Me), as a regex class body."""
    points = [cp for cp in itertools.chain(range(0x300, 0x20000), range(0xE0100, 0xE01F0))
              if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")]
    ranges = []
    for _, run in itertools.groupby(enumerate(points), lambda pair: pair[1] - pair[0]):
        block = [cp for _, cp in run]
        ranges.append(f"\\U{block[0]:08x}" + (f"-\\U{block[-1]:08x}" if len(block) > 1 else ""))
    return "".join(ranges)


# Combining marks belong to the letter before them: a hit never starts or ends inside a word.
_MARKS = _mark_class()
_LETTERS = rf"[^\W\d_][{_MARKS}]*"
WORD = re.compile(rf"(?:{_LETTERS})+(?:['’\-](?:{_LETTERS})+)*")
_BEFORE, _AFTER = rf"(?<![\w{_MARKS}])", rf"(?![\w{_MARKS}])"
_JOINS_PREVIOUS = re.compile(rf"[{_MARKS}\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_REGIONAL = re.compile(r"[\U0001f1e6-\U0001f1ff]")


def fold(word: str) -> str:
    """The one form words are compared and counted in: case-folded, NFC, with a plain apostrophe
    and the dotted capital I folded to ``i`` (so ``İstanbul`` and ``istanbul`` are one word, as a
    case-blind search finds them).

    >>> fold("İstanbul") == fold("ISTANBUL") == "istanbul", fold("It’s")
    (True, "it's")
    """
    return unicodedata.normalize("NFC", word.casefold()).replace("i\u0307", "i").replace("’", "'")


def _inside(text: str, at: int) -> bool:
    """Whether offset ``at`` falls inside a character as people see it (a grapheme cluster)."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    if (before, after) == ("\r", "\n") or _JOINS_PREVIOUS.match(after):
        return True
    if before == "\u200d" and unicodedata.category(after) == "So":  # an emoji ZWJ sequence
        return True
    if _REGIONAL.match(before) and _REGIONAL.match(after):  # flags are pairs of regional indicators
        run = at - 1
        while run > 0 and _REGIONAL.match(text[run - 1]):
            run -= 1
        return (at - run) % 2 == 1
    return False


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole characters as people see them.

    >>> snap("a 👍🏽 b", 2, 3), snap("cafe\\u0301!", 0, 4), snap("🇮🇩🇲🇾", 1, 3)
    ((2, 4), (0, 5), (0, 4))
    """
    while _inside(text, start):
        start -= 1
    while _inside(text, end):
        end += 1
    return start, end


@dataclass(frozen=True)
class _Unit:
    """A stretch of a source that is searched and counted: a turn, or a whole text without turns."""

    source: Source
    turn: int | None
    start: int
    end: int
    speaker: str | None
    informant: str | None

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    term: str
    via: str


# ------------------------------------------------------------------ units
def units(project: Project, sources=None, *, sets=None, where=None, skip_interviewer: bool = False) -> list[_Unit]:
    """Every turn of the chosen sources with its speaker and informant (the informant of the turn,
    or the one informant an unlabelled interview's front matter names, as in the tables).
    ``sets`` and ``where`` keep the units of those sources and cases, as every analysis does
    (:func:`~somecode.analysis.frame.restrict`, on a table of the units' sources and informants)."""
    if sources is not None:
        check_ids("source", sources, project.source_ids(), argument="sources")
    known = {i.id: i for i in project.informants()}
    wanted = None if sources is None else set([sources] if isinstance(sources, str) else sources)
    found = []
    for source in project.sources():
        if wanted is not None and source.id not in wanted:
            continue
        owner = front_matter_informant(source.kind, source.attrs, source.turns, known)
        if not source.turns:
            found.append(_Unit(source, None, 0, len(source.text), None, owner.id if owner else None))
        for index, turn in enumerate(source.turns):
            if skip_interviewer and source.kind == "interview" and turn.speaker and not turn.informant:
                continue
            found.append(_Unit(source, index, turn.start, turn.end, turn.speaker,
                               owner.id if owner else turn.informant))
    if sets is None and where is None:
        return found
    table = pd.DataFrame({"source": [u.source.id for u in found], "informant": [u.informant for u in found]},
                         columns=["source", "informant"], dtype=object)
    return [found[i] for i in restrict(project, table, sets=sets, where=where).index]


# ------------------------------------------------------------------ queries
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def _terms(query: str, mode: str) -> list[str]:
    """The terms of a query, in order, without repeats (NFC, as the texts are): words, and in
    ``words`` mode the phrases written in double quotes (one space between their words)."""
    if mode == "variants":
        if re.search(r'["“”]', query):
            raise ValidationError(f"query {query!r}: quotes make a phrase with mode='words' or mode='phrase', "
                                  "not with mode='variants', which finds the forms of single words")
        words = [fold(w) for w in WORD.findall(query)]
        if not words:
            raise ValidationError(f"query {query!r} has no word to find variants of (letters only); "
                                  "use mode='words' or mode='regex' for numbers and symbols")
        return list(dict.fromkeys(words))
    if mode == "phrase":
        return list(dict.fromkeys(query.strip().strip('"“”').split()))
    if query.count('"') % 2 or query.count("“") != query.count("”"):
        raise ValidationError(f"query {query!r} opens a quotation without closing it: write a phrase as "
                              '"kami pakai", in a pair of double quotes')
    terms = [" ".join((quoted or curly or word).split()) for quoted, curly, word in _QUOTED.findall(query)]
    return list(dict.fromkeys(t for t in terms if t))


def compile_query(query: str, mode: str = "words", *, case_sensitive: bool = False) -> re.Pattern:
    """The regular expression of a ``words``, ``phrase`` or ``regex`` query.

    Words and phrases match whole words only, any of the words (``words``; a phrase in double
    quotes is one of them) or all of them in order with any white space, line breaks included,
    between them (``phrase``).

    >>> compile_query("kami  pakai", "phrase").pattern.count(r"\\s+")
    1
    >>> compile_query("(reels", "regex")
    Traceback (most recent call last):
    ...
    somecode.errors.ValidationError: query '(reels' is not a valid regular expression: missing ), unterminated subpattern at position 0 (fix: correct the pattern, or search for it as words with mode='words')
    """
    flags = 0 if case_sensitive else re.IGNORECASE
    if mode == "regex":
        try:
            return re.compile(query, flags)
        except re.error as err:
            raise ValidationError(f"query {query!r} is not a valid regular expression: {err.msg} at position "
                                  f"{err.pos} (fix: correct the pattern, or search for it as words with "
                                  "mode='words')") from None
    terms = _terms(query, mode)
    if not terms:
        raise ValidationError(f"query {query!r} has nothing to search for between its quotes")
    if mode == "phrase":
        body = r"\s+".join(re.escape(t) for t in terms)
    else:
        body = "|".join(r"\s+".join(map(re.escape, t.split())) for t in sorted(terms, key=len, reverse=True))
    return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", flags)


def _pattern_hits(unit: _Unit, pattern: re.Pattern, mode: str, query: str, terms: dict[str, str]) -> Iterator[_Hit]:
    """The hits of a compiled query in one unit; ``terms`` maps each folded term of a words query to the term."""
    text, seen = unit.text, set()
    for found in pattern.finditer(text):
        if found.end() > found.start():  # an empty match is no passage
            start, end = snap(text, found.start(), found.end())
            if (start, end) in seen:  # two pieces of one character are one hit
                continue
            seen.add((start, end))
            term = terms.get(fold(" ".join(found.group().split())), found.group()) if mode == "words" else query
            yield _Hit(unit.start + start, unit.start + end, term, "pattern" if mode == "regex" else "exact")


class _Variants:
    """Word forms that share a query word's lookup lemma or, in Indonesian, its Sastrawi stem
    (never a stem that is one of the known collisions, :data:`somecode.auto.variants.PROTECTED`)."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        self.cache: dict[tuple[str, str], tuple[str, str] | None] = {}

    def match(self, word: str, language: str) -> tuple[str, str] | None:
        """``(query word, via)`` for a folded corpus word, via ``exact``, ``lemma`` or ``stem``."""
        key = (word, language)
        if key not in self.cache:
            self.cache[key] = self._match(word, language)
        return self.cache[key]

    def _match(self, word: str, language: str) -> tuple[str, str] | None:
        from ..auto.nlp import _lemma, stem
        from ..auto.variants import PROTECTED

        languages = [language] if language in ("id", "en") else ["id", "en"]
        for term in self.terms:
            if word == term:
                return term, "exact"
        for term in self.terms:
            if any(_lemma(word, lang) == _lemma(term, lang) for lang in languages):
                return term, "lemma"
        if "id" in languages and word not in PROTECTED:
            for term in self.terms:
                if term not in PROTECTED and stem(word) == stem(term):
                    return term, "stem"
        return None


def _variant_hits(unit: _Unit, variants: _Variants, language: str) -> Iterator[_Hit]:
    for found in WORD.finditer(unit.text):
        matched = variants.match(fold(found.group()), language)
        if matched is not None:
            yield _Hit(unit.start + found.start(), unit.start + found.end(), *matched)


# ------------------------------------------------------------------ search
def search(project: Project, query: str, *, mode: str = "words", sources=None, sets=None, where=None,
           context: int = 40, case_sensitive: bool = False, language: str | None = None,
           skip_interviewer: bool = False) -> pd.DataFrame:
    """Every passage of the project's turns that matches ``query``, keyword in context.

    ``mode``:

    - ``"words"`` (the default): any of the query's words, as whole words (``reels insight``
      finds both words; ``media`` does not find ``multimedia``, but finds ``media-sosial``);
      words in double quotes are a phrase (``"kami pakai" reels`` finds the phrase or the word),
      as people type in NVivo or a web search;
    - ``"phrase"``: the query's words in order, as whole words, with any white space between
      them (a line break inside a turn too);
    - ``"regex"``: a Python regular expression (empty matches are not hits; a hit that would cut a
      character as people see it is widened to the whole character);
    - ``"variants"``: any of the query's words or a form of it: a word that shares its lookup
      lemma (spaCy's tables) or, in Indonesian, its Sastrawi stem, so ``membagikan`` finds
      ``bagi``, ``berbagi`` and ``dibagikan`` and the other way round.  Stems over-reach
      (``bagiannya`` shares the stem of ``bagi``); the ``via`` column says how each hit was
      found, and the known collisions (:data:`somecode.auto.variants.PROTECTED`) never match by
      stem.  Each source is taken in its own language (``language=`` forces one); a source of
      undetermined language is matched with both languages' tables.

    Matching ignores case unless ``case_sensitive=True`` (not with variants, which compare
    case-folded forms, :func:`fold`).  ``sources``: a source id or a list of them (default: all).
    ``sets`` (a set name or a list) and ``where`` (a query over case attributes,
    ``"role == 'staff'"``, or a mapping) keep the turns of those sources and cases, as in every
    analysis (:func:`~somecode.analysis.frame.restrict`: a set of cases or ``where`` keeps its
    cases' turns, never a document or an interviewer's turn); with ``sources`` too, all of them
    apply.  ``skip_interviewer=True`` leaves the interviewers' turns out.

    One row per hit, in source and text order (:data:`SEARCH_COLUMNS`): source, informant (id;
    missing for an interviewer or a document), speaker, turn (index into the source's turns;
    missing for a source without turns), ``start`` and ``end`` (code points into the source's
    text, so ``text[start:end] == match``), ``context`` characters of ``left`` and ``right``
    context, the query ``term`` that matched (the phrase or the whole query for phrases and
    regular expressions) and ``via`` (``exact``, ``pattern``, ``lemma`` or ``stem``).
    """
    _check_options(query, mode, context, case_sensitive, language)
    query = unicodedata.normalize("NFC", query)
    chosen = units(project, sources, sets=sets, where=where, skip_interviewer=skip_interviewer)
    rows = []
    for unit, hit in _hits(query, mode, chosen, case_sensitive, language):
        text = unit.source.text
        rows.append((unit.source.id, unit.informant, unit.speaker, unit.turn, hit.start, hit.end,
                     text[max(0, hit.start - context):hit.start], text[hit.start:hit.end],
                     text[hit.end:hit.end + context], hit.term, hit.via))
    frame = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    frame["turn"] = frame["turn"].astype("Int64")
    for column in ("informant", "speaker"):  # missing is None, as in the records
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _check_options(query, mode, context, case_sensitive, language) -> None:
    """Every option of :func:`search` that does not depend on the project."""
    check_choice("mode", mode, MODES)
    if language is not None:
        check_choice("language", language, ("id", "en"))
        if mode != "variants":
            raise ValidationError(f"language={language!r} is only used with mode='variants' "
                                  f"(mode={mode!r} matches the words as written); leave it out")
    if not isinstance(query, str) or not query.strip():
        raise ValidationError(f"query {query!r} is empty: give a word, a phrase or a pattern to search for")
    if isinstance(context, bool) or not isinstance(context, int) or context < 0:
        raise ValidationError(f"context={context!r} is not a number of characters (0 or more)")
    if case_sensitive and mode == "variants":
        raise ValidationError("case_sensitive=True cannot be used with mode='variants', which compares "
                              "case-folded word forms; use mode='words' to match the case as written")


def _hits(query: str, mode: str, chosen: list[_Unit], case_sensitive: bool,
          language: str | None) -> Iterator[tuple[_Unit, _Hit]]:
    """``(unit, hit)`` for every hit of a checked query in the units ``chosen``."""
    if mode == "variants":
        variants = _Variants(_terms(query, mode))
        languages: dict[str, str] = {}
        for unit in chosen:
            source = unit.source
            if source.id not in languages:
                languages[source.id] = language or source_language(source)
            for hit in _variant_hits(unit, variants, languages[source.id]):
                yield unit, hit
        return
    pattern = compile_query(query, mode, case_sensitive=case_sensitive)
    terms = {fold(t): t for t in _terms(query, mode)} if mode == "words" else {}
    for unit in chosen:
        for hit in _pattern_hits(unit, pattern, mode, query, terms):
            yield unit, hit
