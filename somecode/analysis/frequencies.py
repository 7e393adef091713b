"""Word frequencies: how often each word occurs in the turns of a project, per informant, source,
speaker, document type or case attribute, with stop words for Indonesian and English.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Peneliti: Apa?\\nAni: Reels dan reels lagi.",
...     kind="interview", turns=[somecode.Turn(10, 14, "Peneliti"), somecode.Turn(20, 41, "Ani", "ani")]))
>>> word_frequencies(p)["Ani"].to_dict()                # "dan" and "lagi" are stop words
{'reels': 2}
>>> word_frequencies(p, stop_words=None)["Ani"].to_dict()
{'reels': 2, 'dan': 1, 'lagi': 1}
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Hashable, Iterable

import pandas as pd

from ..errors import ValidationError
from ..model import Source
from ..sources.language import source_language
from ..vocabulary import check_choice
from .frame import analysis_informants
from .search import WORD, fold, units
from .stopwords import stop_words

if TYPE_CHECKING:
    from ..project import Project
    from .search import _Unit

__all__ = ["word_frequencies", "STOP_WORD_LISTS", "TOTAL"]

STOP_WORD_LISTS = ("language", "id", "en", "both")
TOTAL = "total"  # the name of the column of totals, never a group's


def word_frequencies(project: Project, *, by: str = "informant", sources=None, sets=None, where=None,
                     stop_words: str | Iterable[str] | None = "language", min_length: int = 1,
                     top: int | None = None, skip_interviewer: bool = True) -> pd.DataFrame:
    """How often each word occurs, per informant, source, speaker or attribute.

    Words are runs of letters with their combining marks (inner hyphens and apostrophes kept:
    ``kata-kata``, ``it's``), case-folded (:func:`~somecode.analysis.search.fold`: ``İstanbul``
    and ``istanbul`` are one word); numbers are not words.  ``by``: ``"informant"`` (a column per
    informant, headed by the name; two informants of one name are told apart by their ids,
    ``Ani (ani2)``; turns of no informant, such as documents, are left out), ``"source"``,
    ``"speaker"``, ``"doc_type"`` or an informant attribute (``role``...), whose values become the
    columns (units without a value are left out).  A group that would be headed ``total`` is
    headed with what it is, ``total (source)``, as ``total`` is the column of totals.

    ``sources``, ``sets`` and ``where`` choose the turns counted, as in
    :func:`~somecode.analysis.search.search`.

    ``stop_words``: ``"language"`` (the default) drops each source's language's stop words
    (:mod:`somecode.analysis.stopwords`; both lists for a source of undetermined language),
    ``"id"``, ``"en"`` or ``"both"`` one list everywhere, ``None`` none, or your own collection
    of words.  ``min_length`` drops shorter words; ``top`` keeps the most frequent.  Interviewers'
    turns are left out unless ``skip_interviewer=False``.

    Returns words (rows, most frequent first, then alphabetically) by groups (columns), and a
    ``total`` column; ``.attrs["words"]`` is how many words were counted, ``.attrs["stopped"]``
    how many were stop words.
    """
    people = analysis_informants(project)
    keys = sorted({k for i in people for k, v in i.attrs.items() if isinstance(v, (str, int, float, bool))})
    check_choice("by", by, ["informant", "source", "speaker", "doc_type", *keys])
    _check_options(stop_words, min_length, top)
    chosen = units(project, sources, sets=sets, where=where, skip_interviewer=skip_interviewer)
    attrs = {i.id: i.attrs for i in people}
    counts, counted, stopped = _count(chosen, by, attrs, stop_words, min_length)
    order = [i.id for i in people if i.id in counts] if by == "informant" else list(counts)
    labels = _labels(order, by, {i.id: i.name for i in people})
    table = pd.DataFrame({labels[group]: counts[group] for group in order}).fillna(0).astype("int64")
    table[TOTAL] = table.sum(axis=1).astype("int64")
    table.index.name, table.columns.name = "word", by
    table = table.sort_index().sort_values(TOTAL, ascending=False, kind="stable")
    if top is not None:
        table = table.head(top)
    table.attrs.update(words=counted, stopped=stopped)
    return table


def _check_options(stop_words, min_length, top) -> None:
    if isinstance(stop_words, str):
        check_choice("stop_words", stop_words, STOP_WORD_LISTS)
    elif stop_words is not None and not isinstance(stop_words, (list, tuple, set, frozenset)):
        raise ValidationError(f"stop_words={stop_words!r}: give one of {', '.join(map(repr, STOP_WORD_LISTS))}, "
                              "None, or your own list of words")
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 1:
        raise ValidationError(f"min_length={min_length!r} is not a number of letters (1 or more)")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValidationError(f"top={top!r} is not a number of words (1 or more, or None for all)")


def _count(chosen: list[_Unit], by: str, attrs: dict, choice, min_length: int
           ) -> tuple[dict[Hashable, Counter[str]], int, int]:
    """Each group's word counts (groups in the order met), how many words were counted and stopped."""
    counts: dict[Hashable, Counter[str]] = {}
    stops: dict[str, frozenset[str]] = {}
    counted = stopped = 0
    for unit in chosen:
        group = _group(unit, by, attrs)
        if group is None:
            continue
        if unit.source.id not in stops:
            stops[unit.source.id] = _stops(choice, unit.source)
        stopping, tally = stops[unit.source.id], counts.setdefault(group, Counter())
        for found in WORD.finditer(unit.text):
            word = fold(found.group())
            if word in stopping:
                stopped += 1
            elif len(word) >= min_length:
                tally[word] += 1
                counted += 1
    return counts, counted, stopped


def _group(unit: _Unit, by: str, attrs: dict) -> Hashable:
    """The group a unit is counted in (an informant's id, a source's id, a value), or ``None``."""
    if by == "source":
        return unit.source.id
    if by == "speaker":
        return unit.speaker
    if by == "doc_type":
        return unit.source.attrs.get("doc_type")
    if unit.informant is None:
        return None
    if by == "informant":
        return unit.informant
    return attrs.get(unit.informant, {}).get(by)


def _labels(groups: list, by: str, names: dict[str, str]) -> dict:
    """Each group's column heading: an informant's name (with the id when two share it), a value as it
    is, and never the heading of the totals."""
    if by != "informant":
        return {g: f"{g} ({by})" if g == TOTAL else g for g in groups}
    shown = {g: names.get(g, g) for g in groups}
    shared = Counter(shown.values())
    return {g: f"{name} ({g})" if shared[name] > 1 or name == TOTAL else name for g, name in shown.items()}


def _stops(choice, source: Source) -> frozenset[str]:
    if choice is None:
        return frozenset()
    if not isinstance(choice, str):
        return frozenset(fold(str(w)) for w in choice)
    if choice == "language":
        return stop_words(source_language(source))
    return stop_words("und" if choice == "both" else choice)
