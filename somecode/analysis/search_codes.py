"""Search hits as suggested codings: :func:`code_search` stores the hits of
:func:`~somecode.analysis.search.search` as *suggestions* of a code, with the search as their
evidence, for review like any automatic suggestion (never straight into accepted codings).

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("d", "Kami pakai reels. Reels ramai.", kind="document"))
>>> _ = p.add_code("reels")
>>> made = code_search(p, "reels", code="reels")
>>> made[["start", "end", "text"]].values.tolist(), made.attrs["new"]
([[11, 16, 'reels'], [18, 23, 'Reels']], 2)
>>> [c.status for c in p.coding_records(coder=search_coder("reels"))]
['suggested', 'suggested']
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ValidationError
from ..model import Coding
from ..vocabulary import check_choice, check_ids
from .search import search

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["code_search", "search_coder", "SEARCH_UNITS"]

SEARCH_UNITS = ("match", "turn")


def search_coder(query: str, mode: str = "words", *, case_sensitive: bool = False,
                 language: str | None = None) -> str:
    """The machine coder of one search: ``auto:search:<10 hex digits>``, the same for the same search.

    >>> search_coder("membagikan", "variants")
    'auto:search:8e4fd396eb'
    """
    key = json.dumps([unicodedata.normalize("NFC", query), mode, case_sensitive, language])
    return "auto:search:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def code_search(project: Project, query: str, *, code: str, mode: str = "words", sources=None, sets=None,
                where=None, unit: str = "match", case_sensitive: bool = False, language: str | None = None,
                skip_interviewer: bool = True, skip_coded: bool = True, by: str = "") -> pd.DataFrame:
    """Store the hits of :func:`~somecode.analysis.search.search` as suggested codings of ``code``,
    never accepted ones.

    Each suggestion (status ``suggested``, origin ``auto``) belongs to the search's own machine
    coder (:func:`search_coder`, named after the query) and keeps the search as its evidence: the
    query, mode and options, and every hit in it with its offsets and how it was found.  Review
    them as any automatic suggestion (:func:`somecode.suggestions`, :func:`somecode.accept`
    with ``rule="search:<mode>:<query>"``, :func:`somecode.reject`, the coding view); the whole
    run is one operation that ``project.undo()`` takes back.

    ``sources``, ``sets`` and ``where`` choose the turns searched, as in ``search`` (the
    evidence keeps ``sets`` and ``where`` when given).  ``unit="match"`` suggests the matched
    words (whole characters as people see them: a hit never cuts an emoji or a letter from its
    accents); ``unit="turn"`` the turn they are in (one suggestion per turn, however many hits).
    Interviewers' turns are skipped unless ``skip_interviewer=False``; with ``skip_coded`` (the
    default) no hit is suggested where an accepted coding of ``code`` already overlaps it.

    Returns one row per suggestion stored by this run (source, start, end, code, text); its
    ``.attrs`` count the ``hits``, the suggestions ``new`` now, ``already`` stored by the same
    search before (whatever their review since), and ``skipped`` (already coded).
    """
    check_choice("unit", unit, SEARCH_UNITS)
    if not isinstance(code, str):
        raise ValidationError(f"code={code!r}: give the id of the one code to suggest")
    check_ids("code", code, project.code_ids(), argument="code")
    hits = search(project, query, mode=mode, sources=sources, sets=sets, where=where, context=0,
                  case_sensitive=case_sensitive, language=language, skip_interviewer=skip_interviewer)
    coder = search_coder(query, mode, case_sensitive=case_sensitive, language=language)
    evidence = {"query": query, "mode": mode, "case_sensitive": case_sensitive, "language": language,
                "unit": unit, **{k: v for k, v in (("sets", sets), ("where", where)) if v is not None}}
    made, already, skipped = _suggestions(project, hits, code, coder, unit, evidence, skip_coded)
    from ..project.history import operation

    with operation(project, "code_search", {"coder": coder, "query": query, "mode": mode, "code": code,
                                            "suggestions": len(made)}, by):
        project.add_coder(coder, name=f"search ({mode}): {query}"[:200], kind="machine")
        new = project.add_codings(made)
    texts = {s.id: s.text for s in project.sources() if s.id in {c.source_id for c in made}}
    table = pd.DataFrame([(c.source_id, c.start, c.end, c.code_id, texts[c.source_id][c.start:c.end])
                          for c in made], columns=["source", "start", "end", "code", "text"])
    table.attrs.update(hits=len(hits), new=new, already=already, skipped=skipped, coder=coder)
    return table


def _suggestions(project: Project, hits: pd.DataFrame, code: str, coder: str, unit: str, evidence: dict,
                 skip_coded: bool) -> tuple[list[Coding], int, int]:
    """The new suggestions of a search's hits, and how many were stored ``already`` or ``skipped``."""
    rule = f"search:{evidence['mode']}:{unicodedata.normalize('NFC', evidence['query'])}"
    coded = _accepted_spans(project, code)
    stored = {(c.source_id, c.start, c.end) for c in project.coding_records(coder=coder, code=code)}
    made, already, skipped = [], 0, 0
    for (source, start, end), found in _suggested_spans(project, hits, unit).items():
        if skip_coded and any(a < end and start < b for a, b in coded.get(source, [])):
            skipped += 1
            continue
        if (source, start, end) in stored:
            already += 1
            continue
        matches = [{"rule": rule, "text": h.match, "start": h.start, "end": h.end, "term": h.term, "via": h.via}
                   for h in found]
        made.append(Coding(source, start, end, code, coder, origin="auto", status="suggested",
                           evidence={"search": evidence, "matches": matches}))
    return made, already, skipped


def _suggested_spans(project: Project, hits: pd.DataFrame, unit: str) -> dict:
    """``(source, start, end)`` of each suggestion -> the hits it rests on, in text order."""
    spans: dict = {}
    turns = {}
    if unit == "turn":
        turns = {s.id: s for s in project.sources() if s.id in set(hits["source"])}
    for hit in hits.itertuples(index=False):
        if unit == "match":
            key = (hit.source, hit.start, hit.end)
        elif pd.isna(hit.turn):  # a source without turns: its whole text is the unit
            key = (hit.source, 0, len(turns[hit.source].text))
        else:
            turn = turns[hit.source].turns[int(hit.turn)]
            key = (hit.source, turn.start, turn.end)
        spans.setdefault(key, []).append(hit)
    return spans


def _accepted_spans(project: Project, code: str) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for coding in project.coding_records(code=code):
        if coding.status == "accepted":
            spans.setdefault(coding.source_id, []).append((coding.start, coding.end))
    return spans
