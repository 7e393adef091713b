"""The researcher's propositions about a theme, the stance of coded passages toward them, and
hand assessments of convergence: the material triangulation reasons from.

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

import pandas as pd

from .errors import ConflictError, NotFoundError, ValidationError
from .model import check_id
from .store import now
from .text import slugify

__all__ = ["add_proposition", "set_stance", "assess", "STANCES", "CATEGORIES", "COMPONENT_VALUES"]

STANCES = ("supports", "contradicts", "qualifies")
CATEGORIES = ("agreement", "partial agreement", "dissonance", "silence")
COMPONENT_VALUES = ("agree", "disagree", "not assessed")


def add_proposition(project, code_id: str, text: str, *, id: str | None = None, by: str = "") -> str:
    """Record a claim about a theme (a code or a stage); return its id."""
    project.code_by_id(code_id)
    proposition_id = check_id(id or slugify(text)[:40], "proposition id")
    with project.atomic():
        row = project._conn.execute("SELECT code_id, text FROM propositions WHERE id = ?",
                                    (proposition_id,)).fetchone()
        if row is not None:
            if tuple(row) != (code_id, text):
                raise ConflictError(f"proposition {proposition_id!r} exists with another code or text")
            return proposition_id
        project._conn.execute("INSERT INTO propositions VALUES (?, ?, ?, ?, ?)",
                              (proposition_id, code_id, text, by, now()))
        project.log("add_proposition", {"id": proposition_id, "code": code_id, "text": text}, actor=by)
    return proposition_id


def set_stance(project, coding_id: int, proposition_id: str, stance: str, *, memo: str = "",
               by: str = "") -> None:
    """Say how a coded passage bears on a proposition: ``supports``, ``contradicts`` or ``qualifies``."""
    if stance not in STANCES:
        raise ValidationError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
    conn = project._conn
    if not conn.execute("SELECT 1 FROM codings WHERE id = ?", (coding_id,)).fetchone():
        raise NotFoundError(f"no coding with id {coding_id}")
    if not conn.execute("SELECT 1 FROM propositions WHERE id = ?", (proposition_id,)).fetchone():
        raise NotFoundError(f"no proposition {proposition_id!r}; add it with project.add_proposition()")
    with project.atomic():
        conn.execute("INSERT INTO stances VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (coding_id, proposition_id) "
                     "DO UPDATE SET stance = excluded.stance, memo = excluded.memo, "
                     "author = excluded.author, created = excluded.created",
                     (coding_id, proposition_id, stance, memo, by, now()))
        project.log("set_stance", {"coding": coding_id, "proposition": proposition_id,
                                   "stance": stance, "memo": memo}, actor=by)


def assess(project, theme: str, group_a: str, group_b: str, *, by: str, rationale: str,
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
    given = {"convergence": convergence, "meaning": meaning, "prominence": prominence}
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        raise ValidationError("say what you assess: convergence=, meaning= or prominence=")
    for component, value in given.items():
        allowed = CATEGORIES if component == "convergence" else COMPONENT_VALUES[:2]
        if value not in allowed:
            raise ValidationError(f"{component} {value!r} is not one of {', '.join(allowed)}")
    project.code_by_id(theme)
    group_a, group_b = sorted((group_a, group_b))
    with project.atomic():
        for component, value in given.items():
            project._conn.execute(
                "INSERT INTO assessments (theme, group_a, group_b, component, value, rationale, assessor, "
                "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (theme, group_a, group_b, component, value, rationale, by, now()))
        project.log("assess", {"theme": theme, "groups": [group_a, group_b], **given,
                               "rationale": rationale}, actor=by)


def propositions_frame(project) -> pd.DataFrame:
    rows = project._conn.execute("SELECT id, code_id, text, author FROM propositions ORDER BY created, id")
    return pd.DataFrame(rows.fetchall(), columns=["proposition", "code", "text", "author"])


def stances_frame(project) -> pd.DataFrame:
    """One row per stance: the coding, its source and text, the proposition and the stance."""
    rows = project._conn.execute(
        'SELECT s.coding_id, s.proposition_id, s.stance, s.memo, s.author, c.source_id, c.start, c."end", '
        "c.code_id, c.coder_id FROM stances s JOIN codings c ON c.id = s.coding_id ORDER BY c.source_id, c.start")
    frame = pd.DataFrame(rows.fetchall(), columns=["coding_id", "proposition", "stance", "memo", "author",
                                                   "source", "start", "end", "code", "coder"])
    texts = {s: project.source(s).text for s in frame["source"].unique()}
    frame["text"] = [texts[s][a:b] for s, a, b in zip(frame["source"], frame["start"], frame["end"])]
    return frame


def assessments_frame(project, assessor: str | None = None) -> pd.DataFrame:
    """Every assessment, oldest first (the latest for a cell and component is the one in force)."""
    query = ("SELECT id, theme, group_a, group_b, component, value, rationale, assessor, created "
             "FROM assessments")
    rows = project._conn.execute(query + (" WHERE assessor = ?" if assessor else "") + " ORDER BY id",
                                 (assessor,) if assessor else ())
    return pd.DataFrame(rows.fetchall(), columns=["id", "theme", "group_a", "group_b", "component", "value",
                                                  "rationale", "assessor", "created"])
