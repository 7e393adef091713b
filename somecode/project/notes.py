"""The researcher's notes on the codings: framework summaries (case x code), propositions about a
theme, the stance of coded passages toward them, and hand assessments of convergence (the material
triangulation reasons from).

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("d", "Reels naik 130%.", kind="document"))
>>> _ = p.add_code("optimize")
>>> coding = p.code("d", 0, 15, "optimize", coder="nida")
>>> p.add_proposition("optimize", "Reels drive engagement.", id="reels")
'reels'
>>> p.set_stance(coding.id, "reels", "supports", by="nida")
>>> p.stances()[["proposition", "stance", "text"]].values.tolist()
[['reels', 'supports', 'Reels naik 130%']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import store as db
from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import check_id
from ..text import slugify
from ..vocabulary import check_choice, unknown
from .codes import need_code
from .history import operation
from .sources import informants, source, source_ids

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["set_summary", "summaries", "add_proposition", "set_stance", "assess", "propositions_frame",
           "stances_frame", "assessments_frame", "STANCES", "CATEGORIES", "COMPONENT_VALUES"]

STANCES = ("supports", "contradicts", "qualifies")
CATEGORIES = ("agreement", "partial agreement", "dissonance", "silence")
COMPONENT_VALUES = ("agree", "disagree", "not assessed")


def set_summary(project: Project, case: str, code_id: str, text: str, *, by: str = "") -> None:
    """Store the researcher's summary for a case (an informant or source id) and a code, shown by
    :func:`somecode.framework_matrix` in place of the quotes (an empty text removes it)."""
    need_code(project, code_id)
    known = sorted({i.id for i in informants(project)} | set(source_ids(project)))
    if case not in known:
        raise unknown("informant or source", case, known)
    store = project.store
    old = db.notes.summary_text(store, case, code_id)
    with operation(project, "set_summary", {"case": case, "code": code_id, "old": old, "new": text}, by):
        if text.strip():
            db.notes.set_summary(store, case, code_id, text, by)
        else:
            db.notes.delete_summary(store, case, code_id)


def summaries(project: Project) -> dict[tuple[str, str], str]:
    """Every stored summary, keyed by (case, code)."""
    return db.notes.summaries(project.store)


def add_proposition(project: Project, code_id: str, text: str, *, id: str | None = None, by: str = "") -> str:
    """Record a claim about a theme (a code or a stage); return its id."""
    need_code(project, code_id)
    proposition_id = check_id(id or slugify(text)[:40], "proposition id")
    store = project.store
    found = db.notes.get_proposition(store, proposition_id)
    if found is not None:
        if found != (code_id, text):
            raise ConflictError(f"proposition {proposition_id!r} exists with another code or text")
        return proposition_id
    with operation(project, "add_proposition", {"id": proposition_id, "code": code_id, "text": text}, by):
        db.notes.insert_proposition(store, proposition_id, code_id, text, by)
    return proposition_id


def set_stance(project: Project, coding_id: int, proposition_id: str, stance: str, *, memo: str = "",
               by: str = "") -> None:
    """Say how a coded passage bears on a proposition: ``supports``, ``contradicts`` or ``qualifies``."""
    check_choice("stance", stance, STANCES)
    store = project.store
    if db.codings.get_coding(store, coding_id) is None:
        raise NotFoundError(f"no coding with id {coding_id}")
    if not db.notes.proposition_exists(store, proposition_id):
        raise unknown("proposition", proposition_id, [r[0] for r in db.notes.proposition_rows(store)],
                      fix="add it with project.add_proposition()")
    with operation(project, "set_stance", {"coding": coding_id, "proposition": proposition_id,
                                           "stance": stance, "memo": memo}, by):
        db.notes.set_stance(store, coding_id, proposition_id, stance, memo, by)


def assess(project: Project, theme: str, group_a: str, group_b: str, *, by: str, rationale: str,
           convergence: str | None = None, meaning: str | None = None,
           prominence: str | None = None) -> None:
    """Record a researcher's judgement for one cell of the convergence matrix.

    ``convergence`` sets the cell itself (one of :data:`CATEGORIES`);
    ``meaning`` and ``prominence`` set a component (``agree``/``disagree``).
    A judgement always wins over a suggestion; the latest one of an assessor
    counts; every one is kept, with its rationale, in the event log.
    """
    if not by or not rationale.strip():
        raise ValidationError("an assessment needs the assessor's name (by=) and a rationale")
    offered = {"convergence": convergence, "meaning": meaning, "prominence": prominence}
    given = {k: v for k, v in offered.items() if v is not None}
    if not given:
        raise ValidationError("say what you assess: convergence=, meaning= or prominence=")
    for component, value in given.items():
        check_choice(component, value, CATEGORIES if component == "convergence" else COMPONENT_VALUES[:2])
    need_code(project, theme)
    group_a, group_b = sorted((group_a, group_b))
    with operation(project, "assess", {"theme": theme, "groups": [group_a, group_b], **given,
                                       "rationale": rationale}, by):
        for component, value in given.items():
            db.notes.insert_assessment(project.store, theme, group_a, group_b, component, value, rationale, by)


def propositions_frame(project: Project) -> pd.DataFrame:
    """Every proposition, oldest first."""
    return pd.DataFrame(db.notes.proposition_rows(project.store), columns=["proposition", "code", "text", "author"])


def stances_frame(project: Project) -> pd.DataFrame:
    """One row per stance: the coding, its source and text, the proposition and the stance."""
    frame = pd.DataFrame(db.notes.stances_with_codings(project.store), columns=["coding_id", "proposition", "stance", "memo", "author",
                                                   "source", "start", "end", "code", "coder"])
    texts = {s: source(project, s).text for s in frame["source"].unique()}
    frame["text"] = [texts[s][a:b] for s, a, b in zip(frame["source"], frame["start"], frame["end"])]
    return frame


def assessments_frame(project: Project, by: str | None = None) -> pd.DataFrame:
    """Every assessment (of one assessor, ``by``), oldest first; the latest for a cell and component is the
    one in force."""
    return pd.DataFrame(db.notes.assessment_rows(project.store, by=by), columns=["id", "theme", "group_a", "group_b", "component", "value",
                                                  "rationale", "assessor", "created"])
