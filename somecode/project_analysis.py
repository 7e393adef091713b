"""Summaries, triangulation material and changed sources of a project (mixed into it)."""

from __future__ import annotations

import json

from .errors import NotFoundError
from .model import Coding
from .store import now
from .project_codes import _some

__all__ = ["AnalysisMixin"]


class AnalysisMixin:
    """Framework summaries, propositions, re-anchoring and checks of a :class:`~somecode.Project`."""

    def set_summary(self, case: str, code_id: str, text: str, *, by: str = "") -> None:
        """Store the researcher's summary for a case (an informant or source id) and a code,
        shown by :func:`somecode.framework_matrix` in place of the quotes (an empty text removes it)."""
        self.code_by_id(code_id)
        known = {i.id for i in self.informants()} | set(self.source_ids())
        if case not in known:
            raise NotFoundError(f"no informant or source {case!r}; the project has {_some(sorted(known))}")
        with self.atomic():
            old = self._conn.execute("SELECT text FROM summaries WHERE case_id = ? AND code_id = ?",
                                     (case, code_id)).fetchone()
            if text.strip():
                self._conn.execute("INSERT INTO summaries VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, "
                                   "code_id) DO UPDATE SET text = excluded.text, author = excluded.author, "
                                   "updated = excluded.updated", (case, code_id, text, by, now()))
            else:
                self._conn.execute("DELETE FROM summaries WHERE case_id = ? AND code_id = ?", (case, code_id))
            self.log("set_summary", {"case": case, "code": code_id, "old": old[0] if old else None,
                                     "new": text}, actor=by)

    def summaries(self) -> dict[tuple[str, str], str]:
        """Every stored summary, keyed by (case, code)."""
        return {(c, k): t for c, k, t in self._conn.execute("SELECT case_id, code_id, text FROM summaries")}

    # Changed sources and the integrity of the file (see reanchor and doctor).
    def update_source(self, source_id: str, new, *, threshold: float = 0.8, by: str = ""):
        """Replace a source's text (a Source, a file, or the new file text) and re-anchor every
        coding; one undoable operation; returns the report (see :mod:`somecode.reanchor`)."""
        from .reanchor import update_source

        return update_source(self, source_id, new, threshold=threshold, by=by)

    def orphans(self):
        """Codings that could not be placed in a changed source, with their old text and context."""
        import pandas as pd

        rows = self._conn.execute("SELECT id, coding_id, source_id, old_start, old_end, code_id, coder_id, "
                                  "old_text, before, after, orphaned FROM orphans ORDER BY id")
        return pd.DataFrame(rows.fetchall(), columns=["id", "coding", "source", "old_start", "old_end", "code",
                                                      "coder", "old_text", "before", "after", "orphaned"])

    def reattach(self, orphan_id: int, start: int, end: int, *, by: str = "") -> Coding:
        """Put an orphaned coding back at ``[start, end)`` of its source (chosen by a person)."""
        row = self._conn.execute("SELECT coding FROM orphans WHERE id = ?", (orphan_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no orphan {orphan_id}")
        (_, source, _, _, code, coder, origin, status, memo, created, _, evidence) = json.loads(row[0])
        with self.atomic():
            coding = self._insert([Coding(source, start, end, code, coder, origin, status, memo, created, None,
                                          None if evidence is None else json.loads(evidence))])[0][0]
            self._conn.execute("DELETE FROM orphans WHERE id = ?", (orphan_id,))
            self.log("reattach", {"orphan": orphan_id, "start": start, "end": end}, actor=by)
        return self.find_coding(*coding[:5])

    def check(self):
        """Integrity check of the whole project (see :func:`somecode.doctor.check`)."""
        from .doctor import check

        return check(self)

    # Triangulation material (see propositions and analysis.triangulation).
    def add_proposition(self, code_id: str, text: str, *, id: str | None = None, by: str = "") -> str:
        """Record a claim about a theme; return its id."""
        from .propositions import add_proposition

        return add_proposition(self, code_id, text, id=id, by=by)

    def set_stance(self, coding_id: int, proposition_id: str, stance: str, *, memo: str = "",
                   by: str = "") -> None:
        """Say how a coding bears on a proposition: supports, contradicts or qualifies."""
        from .propositions import set_stance

        set_stance(self, coding_id, proposition_id, stance, memo=memo, by=by)

    def assess(self, theme: str, group_a: str, group_b: str, *, by: str, rationale: str, **judgement) -> None:
        """Judge one cell of the convergence matrix by hand (wins over any suggestion)."""
        from .propositions import assess

        assess(self, theme, group_a, group_b, by=by, rationale=rationale, **judgement)

    def propositions(self):
        from .propositions import propositions_frame

        return propositions_frame(self)

    def stances(self):
        from .propositions import stances_frame

        return stances_frame(self)

    def assessments(self, assessor: str | None = None):
        from .propositions import assessments_frame

        return assessments_frame(self, assessor)
