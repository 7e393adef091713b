"""The codings of a project: coding, quotes, bulk loads, records and the long table."""

from __future__ import annotations

import json
from typing import Iterable

from .errors import NotFoundError, ValidationError
from .model import Coding
from .quotes import find_quote, nearest_match
from .store import now
from .text import text_hash

from .project_codes import _json

__all__ = ["CodingsMixin"]


class CodingsMixin:
    """Codings of a :class:`~somecode.Project` (mixed into it)."""

    def code(self, source_id: str, start: int, end: int, code_id: str, *, coder: str | None = None,
             memo: str = "", origin: str = "manual", status: str = "accepted",
             created: str | None = None, evidence: dict | None = None) -> Coding:
        """Code ``[start, end)`` of a source; coding the same span again returns the first coding."""
        with self.atomic():
            coding = Coding(source_id, start, end, code_id, self._coder_id(coder), origin, status,
                            memo, created, None, evidence)
            return self.find_coding(*self._insert([coding])[0][0][:5])

    def add_codings(self, codings: Iterable[Coding]) -> int:
        """Store many codings in one transaction; return how many were new.

        Each is checked against its source's text, and every problem is
        reported at once (:class:`ValidationError`): nothing is stored unless
        all are valid.  A coding identical in span, code and coder to one
        stored already is not stored twice.
        """
        with self.atomic():
            return self._insert(list(codings))[1]

    def _insert(self, codings: list[Coding]) -> tuple[list[tuple], int]:
        """Check and store codings; return their rows and how many of them were new."""
        texts = self._texts({c.source_id for c in codings})
        known_codes = set(self.code_ids())
        for coder in {c.coder_id for c in codings}:
            self._coder_id(coder)
        stamp, rows, problems = now(), [], []
        for n, c in enumerate(codings):
            problem = _coding_problem(c, texts, known_codes)
            if problem:
                problems.append(f"coding {n} ({c.source_id} [{c.start}, {c.end}) {c.code_id}): {problem}")
                continue
            digest = text_hash(texts[c.source_id][c.start:c.end])
            if c.text_hash is not None and c.text_hash != digest:
                problems.append(f"coding {n}: text hash {c.text_hash} does not match the text "
                                f"at [{c.start}, {c.end}) (the source changed?)")
            rows.append((c.source_id, c.start, c.end, c.code_id, c.coder_id, c.origin, c.status,
                         c.memo, c.created or stamp, digest,
                         None if c.evidence is None else _json(c.evidence)))
        if problems:
            raise ValidationError(f"{len(problems)} of {len(codings)} codings are not valid; "
                                  "none was stored", problems)
        cursor = self._conn.executemany(
            'INSERT INTO codings (source_id, start, "end", code_id, coder_id, origin, status, '
            "memo, created, text_hash, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            'ON CONFLICT (source_id, start, "end", code_id, coder_id) DO NOTHING', rows)
        return rows, cursor.rowcount

    def find_coding(self, source_id: str, start: int, end: int, code_id: str,
                    coder_id: str) -> Coding | None:
        """The stored coding with exactly this span, code and coder, or ``None``."""
        found = self._conn.execute(
            'SELECT id, source_id, start, "end", code_id, coder_id, origin, status, memo, '
            "created, text_hash, evidence FROM codings WHERE source_id = ? AND start = ? AND "
            '"end" = ? AND code_id = ? AND coder_id = ?',
            (source_id, start, end, code_id, coder_id)).fetchone()
        return None if found is None else _coding(found)

    def _texts(self, source_ids) -> dict[str, str]:
        texts = {}
        for source_id in source_ids:
            row = self._conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
            if row is not None:
                texts[source_id] = row[0]
        return texts

    def code_quote(self, source_id: str, quote: str, code_id: str, *, coder: str | None = None,
                   occurrence: int | None = None, memo: str = "", **fields) -> Coding:
        """Code the passage of a source that reads ``quote`` (white space is flexible).

        When the quote occurs more than once, ``occurrence`` (1 for the first)
        says which; a missing quote raises an error showing the nearest passage.
        """
        start, end = self.locate_quote(source_id, quote, occurrence)
        return self.code(source_id, start, end, code_id, coder=coder, memo=memo, **fields)

    def locate_quote(self, source_id: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
        """``(start, end)`` of ``quote`` in a source, or a :class:`ValidationError` saying why not."""
        text = self.source(source_id).text
        spans = find_quote(text, quote)
        short = quote if len(quote) <= 60 else quote[:57] + "..."
        if spans is None:
            near = nearest_match(text, quote)
            hint = (f"; nearest passage at [{near[0]}, {near[1]}): {near[2][:120]!r}" if near
                    else "")
            raise ValidationError(f"quote {short!r} is not in source {source_id!r}{hint}")
        if occurrence is None and len(spans) > 1:
            raise ValidationError(f"quote {short!r} occurs {len(spans)} times in {source_id!r} "
                                  f"(at {', '.join(str(s[0]) for s in spans)}); pass occurrence=1.."
                                  f"{len(spans)} or quote a longer passage")
        index = (occurrence or 1) - 1
        if not 0 <= index < len(spans):
            raise ValidationError(f"quote {short!r} occurs {len(spans)} times in {source_id!r}; "
                                  f"occurrence {occurrence} does not exist")
        return spans[index]

    def load_codings_csv(self, path, **options) -> list[Coding]:
        """Apply a ``source, quote, code, coder, memo`` CSV: every row, or none (see :mod:`somecode.codings_csv`)."""
        from .codings_csv import load_codings_csv

        return load_codings_csv(self, path, **options)

    def coding_records(self, *, source: str | None = None, coder: str | None = None,
                       code: str | None = None) -> list[Coding]:
        """Stored codings as :class:`Coding` records, optionally filtered, in storage order."""
        clauses, values = [], []
        for column, value in (("source_id", source), ("coder_id", coder), ("code_id", code)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            'SELECT id, source_id, start, "end", code_id, coder_id, origin, status, memo, created, '
            f"text_hash, evidence FROM codings{where} ORDER BY id", values)
        return [_coding(r) for r in rows]

    def delete_coding(self, coding_id: int) -> None:
        """Delete one coding (kept in the event log, so nothing is lost)."""
        with self.atomic():
            row = self._conn.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no coding with id {coding_id}")
            self._conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
            self.log("delete_coding", {"coding": row})

    def codings(self, *, status: str | None = None, **filters):
        """Every coding as the long table (see :func:`somecode.analysis.codings_frame`);
        unlike the analyses, suggested and rejected codings are included unless ``status=`` says."""
        from .analysis.frame import codings_frame

        return codings_frame(self, status=status, **filters)


def _coding(row) -> Coding:
    (id_, source, start, end, code, coder, origin, status, memo, created, digest, evidence) = row
    return Coding(source, start, end, code, coder, origin, status, memo, created, digest,
                  None if evidence is None else json.loads(evidence), id_)


def _coding_problem(c: Coding, texts: dict[str, str], codes: set[str]) -> str | None:
    if c.source_id not in texts:
        return f"no source {c.source_id!r} in the project"
    if c.end > len(texts[c.source_id]):
        return f"ends past the text of {c.source_id!r} ({len(texts[c.source_id])} characters)"
    if c.code_id not in codes:
        return f"no code {c.code_id!r} in the project"
    return None

