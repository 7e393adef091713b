"""The project: sources, informants, codes, coders and codings in one SQLite file.

>>> import tempfile, os, somecode
>>> project = Project.create(os.path.join(tempfile.mkdtemp(), "study.somecode"))
>>> src = project.add_source(somecode.Source.from_text(
...     "ani", "Peneliti: Apa?\\nAni: Kami pakai reels.", kind="interview",
...     turns=[somecode.Turn(10, 14, "Peneliti"), somecode.Turn(20, 37, "Ani", "ani")]))
>>> _ = project.add_code(somecode.Code("optimize", label="Optimize"))
>>> project.code_quote("ani", "pakai reels", "optimize", coder="nida").span
(25, 36)
>>> project.codings()[["source", "speaker", "code", "coder", "text"]].values.tolist()
[['ani', 'Ani', 'optimize', 'nida', 'pakai reels']]
>>> project.close()
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from .errors import ConflictError, NotFoundError, ValidationError
from .model import Code, Coder, Coding, Informant, Source, Turn, check_id
from .quotes import find_quote, nearest_match
from .store import Store, now
from .text import text_hash

__all__ = ["Project"]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Project:
    """A research project stored in one file.  Create with :meth:`create`, open with :meth:`open`.

    Every method that changes the project runs in one transaction: it happens
    completely or not at all.  Use ``with project.atomic():`` to group several.
    """

    def __init__(self, store: Store):
        self._store = store
        self.default_coder: str | None = None

    @classmethod
    def create(cls, path) -> "Project":
        """Make a new, empty project file at ``path`` (refuses to overwrite one)."""
        return cls(Store.create(path))

    @classmethod
    def open(cls, path) -> "Project":
        """Open an existing project file, migrating it (after a backup) if it is older."""
        return cls(Store.open(path))

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def _conn(self):
        return self._store.conn

    def atomic(self):
        """A transaction around several calls: all of them happen, or none."""
        return self._store.atomic()

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.summary()
        return (f"<Project {self.path.name}: {counts['sources']} sources, "
                f"{counts['informants']} informants, {counts['codes']} codes, "
                f"{counts['codings']} codings>")

    def _repr_html_(self) -> str:
        from .display import project_html

        return project_html(self)

    def show(self, source_id: str, *, coders=None, status: str | None = None):
        """A source with its coded spans highlighted, for a notebook (see :mod:`somecode.display`)."""
        from .display import HTML, source_html

        return HTML(source_html(self, source_id, coders=coders, status=status))

    def summary(self) -> dict[str, int]:
        """Counts of what the project holds."""
        tables = ("sources", "informants", "turns", "codes", "coders", "codings")
        return {t: self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def log(self, action: str, payload: dict, actor: str = "") -> int:
        """Append an event to the project's log (bulk actions, deletions); return its id."""
        return self._conn.execute("INSERT INTO events (at, actor, action, payload) VALUES (?, ?, ?, ?)",
                                  (now(), actor, action, _json(payload))).lastrowid

    def events(self):
        """The event log as a DataFrame: when, who, what."""
        import pandas as pd

        rows = self._conn.execute("SELECT id, at, actor, action, payload FROM events ORDER BY id")
        frame = pd.DataFrame(rows.fetchall(), columns=["id", "at", "actor", "action", "payload"])
        frame["payload"] = frame["payload"].map(json.loads)
        return frame

    # ----------------------------------------------------------------- sources
    def add_source(self, source: Source) -> Source:
        """Add a source; adding the identical source again changes nothing.

        A different source under an id that is taken raises :class:`ConflictError`.
        """
        with self.atomic():
            existing = self._find_source(source.id)
            if existing is not None:
                return self._same_or_conflict(existing, source)
            self._upsert_informants(source)
            self._conn.execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source.id, source.kind, source.title, source.text, text_hash(source.text),
                 _json(source.attrs), source.encoding, source.text_policy, source.path, now()))
            self._conn.executemany(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(source.id, i, t.start, t.end, t.speaker, t.informant, t.time_start, t.time_end,
                  _json(t.attrs)) for i, t in enumerate(source.turns)])
        return source

    def add_sources(self, sources: Iterable[Source]) -> list[Source]:
        """Add several sources in one transaction: all of them, or (on any error) none."""
        with self.atomic():
            added = [self.add_source(s) for s in sources]
            self.log("add_sources", {"ids": [s.id for s in added]})
        return added

    def add_path(self, path, **options) -> list[Source]:
        """Read a file or every file of a folder and add the sources, all or nothing."""
        from .sources import read_source, read_sources

        path = Path(path)
        found = read_sources(path, **options) if path.is_dir() else read_source(path, **options)
        return self.add_sources(found if isinstance(found, list) else [found])

    def _same_or_conflict(self, existing: Source, new: Source) -> Source:
        differences = [name for name in ("kind", "title", "text", "turns", "attrs")
                       if getattr(existing, name) != getattr(new, name)]
        if not differences:
            return existing
        raise ConflictError(
            f"source {new.id!r} is already in the project with a different {', '.join(differences)}"
            f"{f' (new file: {new.path})' if new.path else ''}. Nothing was changed. To keep both, "
            "give the new one another id (front matter 'id:' or id=...); to replace it, delete the "
            f"old one first with project.delete_source({new.id!r}, force=True), which also "
            "deletes its codings")

    def _upsert_informants(self, source: Source) -> None:
        for informant_id, info in (source.attrs.get("informants") or {}).items():
            info = dict(info)
            name = str(info.pop("name", informant_id))
            row = self._conn.execute("SELECT attrs FROM informants WHERE id = ?",
                                     (informant_id,)).fetchone()
            if row is None:
                self._conn.execute("INSERT INTO informants VALUES (?, ?, ?)",
                                   (check_id(informant_id, "informant id"), name, _json(info)))
            else:
                merged = {**info, **json.loads(row[0])}
                self._conn.execute("UPDATE informants SET attrs = ? WHERE id = ?",
                                   (_json(merged), informant_id))
        for turn in source.turns:
            if turn.informant and not self._conn.execute(
                    "SELECT 1 FROM informants WHERE id = ?", (turn.informant,)).fetchone():
                self._conn.execute("INSERT INTO informants VALUES (?, ?, '{}')",
                                   (check_id(turn.informant, "informant id"),
                                    turn.speaker or turn.informant))

    def _find_source(self, source_id: str) -> Source | None:
        row = self._conn.execute(
            "SELECT id, kind, text, title, attrs, encoding, text_policy, path FROM sources "
            "WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            return None
        turns = [Turn(s, e, sp, inf, ts, te, json.loads(a)) for s, e, sp, inf, ts, te, a in
                 self._conn.execute('SELECT start, "end", speaker, informant_id, time_start, '
                                    "time_end, attrs FROM turns WHERE source_id = ? ORDER BY idx",
                                    (source_id,))]
        return Source(id=row[0], kind=row[1], text=row[2], title=row[3], attrs=json.loads(row[4]),
                      turns=tuple(turns), encoding=row[5], text_policy=row[6], path=row[7])

    def source(self, source_id: str) -> Source:
        """The source with this id (:class:`NotFoundError` names the ids there are)."""
        found = self._find_source(source_id)
        if found is None:
            raise NotFoundError(f"no source {source_id!r} in the project; it has "
                                f"{_some(self.source_ids())}")
        return found

    def source_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT id FROM sources ORDER BY id")]

    def sources(self, kind: str | None = None) -> list[Source]:
        """All sources (of one ``kind``, if given), ordered by id."""
        return [s for s in map(self.source, self.source_ids()) if kind is None or s.kind == kind]

    def delete_source(self, source_id: str, *, force: bool = False) -> None:
        """Delete a source; refused while it has codings unless ``force=True`` (logged)."""
        self.source(source_id)
        with self.atomic():
            rows = self._conn.execute("SELECT * FROM codings WHERE source_id = ?",
                                      (source_id,)).fetchall()
            if rows and not force:
                raise ConflictError(f"source {source_id!r} has {len(rows)} codings; nothing was "
                                    "deleted. Pass force=True to delete them with it")
            self._conn.execute("DELETE FROM codings WHERE source_id = ?", (source_id,))
            self._conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            self.log("delete_source", {"source": source_id, "codings": rows})

    def informants(self) -> list[Informant]:
        """Every informant, with the attrs their transcripts declared."""
        return [Informant(i, n, json.loads(a)) for i, n, a in
                self._conn.execute("SELECT id, name, attrs FROM informants ORDER BY id")]

    def add_informant(self, informant: Informant) -> Informant:
        """Add an informant (a case) who need not speak in any source yet; attrs merge with an
        existing informant's."""
        with self.atomic():
            self._upsert_informants(Source(id="x", kind="document", text="", attrs={"informants": {
                informant.id: {"name": informant.name, **informant.attrs}}}))
        return informant

    # ------------------------------------------------------------ codes, coders
    def add_code(self, code: Code | str, **fields) -> Code:
        """Add a code (a :class:`Code`, or an id and fields); its parent must exist already."""
        code = code if isinstance(code, Code) else Code(code, **fields)
        with self.atomic():
            if code.parent and code.parent not in self.code_ids():
                raise NotFoundError(f"code {code.id!r}: parent {code.parent!r} is not in the "
                                    "project; add the parent first")
            if code.id in self.code_ids():
                existing = self.code_by_id(code.id)
                if existing != code:
                    raise ConflictError(f"code {code.id!r} already exists with other fields")
                return existing
            position = self._conn.execute("SELECT coalesce(max(position) + 1, 0) FROM codes").fetchone()[0]
            self._conn.execute(
                "INSERT INTO codes (id, parent, position, label, labels, color, definition, attrs, "
                "spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (code.id, code.parent, position, code.label, _json(code.labels), code.color,
                 code.definition, _json(code.attrs), _json(code_spec(code))))
        return code

    def add_codes(self, codes: Iterable[Code]) -> list[Code]:
        """Add codes in order (parents before children), in one transaction."""
        with self.atomic():
            return [self.add_code(c) for c in codes]

    def codes(self) -> list[Code]:
        """Codes in codebook order: each parent followed by its children, siblings in the order
        they were added."""
        from .codebook.book import _tree_order

        return _tree_order([Code(i, p, lab, json.loads(labs), col, d, json.loads(a), **json.loads(spec))
                            for i, p, lab, labs, col, d, a, spec in self._conn.execute(
                                "SELECT id, parent, label, labels, color, definition, attrs, spec "
                                "FROM codes ORDER BY position")])

    def code_ids(self) -> list[str]:
        return [c.id for c in self.codes()]

    def code_by_id(self, code_id: str) -> Code:
        for code in self.codes():
            if code.id == code_id:
                return code
        raise NotFoundError(f"no code {code_id!r}; the project has {_some(self.code_ids())}")

    def codebook(self):
        """The project's codes as a :class:`~somecode.codebook.Codebook`."""
        from .codebook.sync import project_codebook

        return project_codebook(self)

    def codebook_diff(self, codebook):
        """What :meth:`set_codebook` would change, as a DataFrame (nothing is changed)."""
        from .codebook.sync import codebook_diff

        return codebook_diff(self, codebook)

    def set_codebook(self, codebook, *, reassign=None, by: str = ""):
        """Make the project's codes exactly ``codebook`` (a Codebook or a YAML path): one undoable
        operation; codes that would vanish with codings need ``reassign={old: new}``."""
        from .codebook import Codebook
        from .codebook.sync import set_codebook

        book = codebook if isinstance(codebook, Codebook) else Codebook.load(codebook)
        return set_codebook(self, book, reassign=reassign, by=by)

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

    # Codebook operations: one transaction and one logged, undoable event each (see codeops).
    def relabel_code(self, code_id: str, label: str, *, language: str = "en", by: str = "") -> None:
        """Give a code a new label in ``language``; no coding changes."""
        from .codeops import relabel

        relabel(self, code_id, label, language=language, by=by)

    def move_code(self, code_id: str, parent: str | None, *, by: str = "") -> None:
        """Give a code a new parent (``None``: top level)."""
        from .codeops import move

        move(self, code_id, parent, by=by)

    def merge_codes(self, code_id: str, *, into: str, by: str = "") -> None:
        """Merge a code into another: codings and child codes follow; duplicates collapse."""
        from .codeops import merge

        merge(self, code_id, into=into, by=by)

    def split_code(self, code_id: str, parts, *, by: str = "") -> list[str]:
        """Split a code into new codes, each given the coding ids it receives."""
        from .codeops import split

        return split(self, code_id, parts, by=by)

    def delete_code(self, code_id: str, *, reassign: str | None = None, force: bool = False,
                    by: str = "") -> None:
        """Delete a code; refused while it has codings unless ``reassign=`` or ``force=True``."""
        from .codeops import delete_code

        delete_code(self, code_id, reassign=reassign, force=force, by=by)

    def undo(self, *, by: str = "") -> dict:
        """Reverse the last codebook operation exactly; return the event it reversed."""
        from .codeops import undo

        return undo(self, by=by)

    def add_coder(self, coder: Coder | str, **fields) -> Coder:
        """Add a coder (idempotent for the same id and fields)."""
        coder = coder if isinstance(coder, Coder) else Coder(coder, **fields)
        with self.atomic():
            row = self._conn.execute("SELECT id, name, kind FROM coders WHERE id = ?",
                                     (coder.id,)).fetchone()
            if row is None:
                self._conn.execute("INSERT INTO coders VALUES (?, ?, ?)",
                                   (coder.id, coder.name, coder.kind))
            elif Coder(*row) != coder and fields:
                raise ConflictError(f"coder {coder.id!r} already exists as {Coder(*row)}")
        return coder

    def coders(self) -> list[Coder]:
        return [Coder(*r) for r in self._conn.execute("SELECT id, name, kind FROM coders ORDER BY id")]

    def delete_coder(self, coder_id: str) -> None:
        """Delete a coder; refused while the coder has codings."""
        with self.atomic():
            used = self._conn.execute("SELECT count(*) FROM codings WHERE coder_id = ?",
                                      (coder_id,)).fetchone()[0]
            if used:
                raise ConflictError(f"coder {coder_id!r} has {used} codings; nothing was deleted")
            if not self._conn.execute("DELETE FROM coders WHERE id = ?", (coder_id,)).rowcount:
                raise NotFoundError(f"no coder {coder_id!r}")
            self.log("delete_coder", {"coder": coder_id})

    def _coder_id(self, coder: str | None) -> str:
        coder = coder or self.default_coder
        if not coder:
            raise ValidationError("say who is coding: pass coder='your-id' or set "
                                  "project.default_coder = 'your-id'")
        kind = "machine" if coder.startswith("auto:") else "human"
        if not self._conn.execute("SELECT 1 FROM coders WHERE id = ?", (coder,)).fetchone():
            self.add_coder(Coder(coder, coder, kind))
        return coder

    # ----------------------------------------------------------------- codings
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


def code_spec(code: Code) -> dict:
    """The rule fields of a code, as stored in the ``spec`` column."""
    return {"include": code.include, "exclude": code.exclude,
            "examples": [dict(e) for e in code.examples], "patterns": code.patterns}


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


def _some(ids: list[str], limit: int = 12) -> str:
    if not ids:
        return "none yet"
    shown = ", ".join(map(repr, ids[:limit]))
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
