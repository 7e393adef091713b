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
from pathlib import Path
from typing import Iterable

from .errors import ConflictError, NotFoundError
from .model import Informant, Source, Turn, check_id
from .project_analysis import AnalysisMixin
from .project_codes import CodebookMixin, _json, _some, code_spec  # noqa: F401 (code_spec: public here)
from .project_codings import CodingsMixin
from .store import Store, now
from .text import text_hash

__all__ = ["Project", "code_spec"]


class Project(CodebookMixin, CodingsMixin, AnalysisMixin):
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

