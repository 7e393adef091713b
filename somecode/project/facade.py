"""The project: one file holding sources, informants, codes, coders, codings and notes.

:class:`Project` is a thin facade: it opens and closes the file and runs
transactions; every method hands the work to the module that owns it
(:mod:`.sources`, :mod:`.codes`, :mod:`.codeops`, :mod:`.codebook_sync`,
:mod:`.codings`, :mod:`.notes`, :mod:`.memos`, :mod:`.attributes`, :mod:`.sets`,
:mod:`.reanchor`, :mod:`.integrity`), each
of which reaches the file only through :attr:`Project.store`.

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

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .. import store as db
from ..model import Code, Coder, Coding, Informant, Source
from . import (
    attributes,
    classification,
    codebook_sync,
    codeops,
    codes,
    codings,
    history,
    integrity,
    memos,
    notes,
    reanchor,
    sets,
    sources,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..codebook import Codebook

__all__ = ["Project"]


class Project:
    """A research project stored in one file.  Create with :meth:`create`, open with :meth:`open`.

    Every method that changes the project runs in one transaction: it happens
    completely or not at all.  Use ``with project.atomic():`` to group several.
    ``by=`` names the person acting, wherever a change is logged.
    """

    def __init__(self, store: db.Store) -> None:
        self.store = store
        self.default_coder: str | None = None

    # ------------------------------------------------------------ the file
    @classmethod
    def create(cls, path: str | Path, *, timeout: float | None = None,
               fill: Callable[[Project], None] | None = None) -> Project:
        """Make a new, empty project file at ``path`` (refuses to overwrite one).

        The file is built beside ``path`` and gets its name only when complete, so a failure (a full
        disk, a killed process) leaves no project there.  ``fill(project)``, if given, runs before
        that: an import that fails or is interrupted leaves nothing either.  ``timeout`` is how many
        seconds to wait for another program using the file (default
        :data:`somecode.store.connection.BUSY_TIMEOUT_MS`).
        """
        build = None if fill is None else (lambda store: fill(cls(store)))
        return cls(db.Store.create(path, timeout=timeout, fill=build))

    @classmethod
    def open(cls, path: str | Path, *, timeout: float | None = None, read_only: bool = False) -> Project:
        """Open an existing project file, migrating it (after a backup) if it is older.

        A file that cannot be written (read-only, or in a read-only folder), or any file with
        ``read_only=True``, is opened for reading without creating or changing a byte on disk: every
        read works and the first change raises :class:`~somecode.errors.ProjectReadOnlyError`.
        ``timeout``: seconds to wait for another program's write before
        :class:`~somecode.errors.ProjectLockedError`.
        """
        return cls(db.Store.open(path, timeout=timeout, read_only=read_only))

    @property
    def path(self) -> Path:
        return self.store.path

    def atomic(self) -> AbstractContextManager[Any]:
        """A transaction around several calls: all of them happen, or none."""
        return self.store.atomic()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.summary()
        return (f"<Project {self.path.name}: {counts['sources']} sources, "
                f"{counts['informants']} informants, {counts['codes']} codes, "
                f"{counts['codings']} codings>")

    def _repr_html_(self) -> str:
        from ..jupyter.display import project_html

        return project_html(self)

    def show(self, source_id: str, *, coders: str | Iterable[str] | None = None, status: str | None = None) -> Any:
        """A source with its coded spans highlighted, for a notebook (see :mod:`somecode.jupyter.display`)."""
        from ..jupyter.display import HTML, source_html

        return HTML(source_html(self, source_id, coders=coders, status=status))

    def summary(self) -> dict[str, int]:
        """Counts of what the project holds."""
        return db.integrity.counts(self.store)

    def log(self, action: str, payload: dict, *, by: str = "") -> int:
        """Append an event to the project's log; return its id."""
        return db.events.log(self.store, action, payload, by)

    def events(self) -> pd.DataFrame:
        """The event log as a DataFrame: id, at, by, action, payload."""
        import pandas as pd

        return pd.DataFrame(db.events.events(self.store), columns=["id", "at", "by", "action", "payload"])

    # ------------------------------------------------------------ sources and informants
    def add_source(self, source: Source, *, by: str = "") -> Source:
        return sources.add_source(self, source, by=by)

    def add_sources(self, found: Iterable[Source], *, by: str = "") -> list[Source]:
        return sources.add_sources(self, found, by=by)

    def add_path(self, path: str | Path, **options: Any) -> list[Source]:
        return sources.add_path(self, path, **options)

    def source(self, source_id: str) -> Source:
        return sources.source(self, source_id)

    def source_ids(self) -> list[str]:
        return sources.source_ids(self)

    def sources(self, kind: str | None = None) -> list[Source]:
        return sources.sources(self, kind)

    def delete_source(self, source_id: str, *, force: bool = False, by: str = "") -> None:
        sources.delete_source(self, source_id, force=force, by=by)

    def informants(self) -> list[Informant]:
        return sources.informants(self)

    def add_informant(self, informant: Informant, *, by: str = "") -> Informant:
        return sources.add_informant(self, informant, by=by)

    def update_source(self, source_id: str, new: Source | str | Path | None = None, *, text: str | None = None,
                      threshold: float = 0.8, by: str = "") -> pd.DataFrame:
        return reanchor.update_source(self, source_id, new, text=text, threshold=threshold, by=by)

    def orphans(self) -> pd.DataFrame:
        return reanchor.orphans(self)

    def reattach(self, orphan_id: int, start: int, end: int, *, by: str = "") -> Coding:
        return reanchor.reattach(self, orphan_id, start, end, by=by)

    # ------------------------------------------------------------ codebook and coders
    def add_code(self, code: Code | str, *, by: str = "", **fields: Any) -> Code:
        return codes.add_code(self, code, by=by, **fields)

    def add_codes(self, found: Iterable[Code], *, by: str = "") -> list[Code]:
        return codes.add_codes(self, found, by=by)

    def codes(self) -> list[Code]:
        return codes.codes(self)

    def code_ids(self) -> list[str]:
        return codes.code_ids(self)

    def code_by_id(self, code_id: str) -> Code:
        return codes.code_by_id(self, code_id)

    def codebook(self) -> Codebook:
        return codebook_sync.project_codebook(self)

    def codebook_diff(self, codebook: Codebook | str | Path) -> pd.DataFrame:
        return codebook_sync.codebook_diff(self, _book(codebook))

    def set_codebook(self, codebook: Codebook | str | Path, *, reassign: Mapping[str, str] | None = None,
                     by: str = "") -> pd.DataFrame:
        return codebook_sync.set_codebook(self, _book(codebook), reassign=reassign, by=by)

    def relabel_code(self, code_id: str, label: str, *, language: str = "en", by: str = "") -> None:
        codeops.relabel(self, code_id, label, language=language, by=by)

    def move_code(self, code_id: str, parent: str | None, *, by: str = "") -> None:
        codeops.move(self, code_id, parent, by=by)

    def merge_codes(self, code_id: str, *, into: str, by: str = "") -> None:
        codeops.merge(self, code_id, into=into, by=by)

    def split_code(self, code_id: str, parts: Mapping[Any, Iterable[int]], *, by: str = "") -> list[str]:
        return codeops.split(self, code_id, parts, by=by)

    def delete_code(self, code_id: str, *, reassign: str | None = None, force: bool = False, by: str = "") -> None:
        codeops.delete_code(self, code_id, reassign=reassign, force=force, by=by)

    def undo(self, *, operation: int | None = None, cascade: bool = False, by: str = "") -> dict:
        return history.undo(self, operation=operation, cascade=cascade, by=by)

    def redo(self, *, by: str = "") -> dict:
        return history.redo(self, by=by)

    def history(self) -> pd.DataFrame:
        return history.history(self)

    def add_coder(self, coder: Coder | str, **fields: Any) -> Coder:
        return codes.add_coder(self, coder, **fields)

    def coders(self) -> list[Coder]:
        return codes.coders(self)

    def delete_coder(self, coder_id: str, *, by: str = "") -> None:
        codes.delete_coder(self, coder_id, by=by)

    # ------------------------------------------------------------ codings
    def code(self, source_id: str, start: int, end: int, code_id: str, *, coder: str | None = None,
             **fields: Any) -> Coding:
        return codings.code(self, source_id, start, end, code_id, coder=coder, **fields)

    def code_quote(self, source_id: str, quote: str, code_id: str, *, coder: str | None = None,
                   occurrence: int | None = None, memo: str = "", **fields: Any) -> Coding:
        return codings.code_quote(self, source_id, quote, code_id, coder=coder, occurrence=occurrence, memo=memo,
                                  **fields)

    def locate_quote(self, source_id: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
        return codings.locate_quote(self, source_id, quote, occurrence)

    def add_codings(self, found: Iterable[Coding], *, by: str = "") -> int:
        return codings.add_codings(self, found, by=by)

    def load_codings_csv(self, path: str | Path, **options: Any) -> list[Coding]:
        return codings.load_codings_csv(self, path, **options)

    def find_coding(self, source_id: str, start: int, end: int, code_id: str, coder_id: str) -> Coding | None:
        return codings.find_coding(self, source_id, start, end, code_id, coder_id)

    def coding_records(self, *, source: str | None = None, coder: str | None = None,
                       code: str | None = None) -> list[Coding]:
        return codings.coding_records(self, source=source, coder=coder, code=code)

    def delete_coding(self, coding_id: int, *, by: str = "") -> None:
        codings.delete_coding(self, coding_id, by=by)

    def set_memo(self, coding_id: int, memo: str, *, by: str = "") -> Coding:
        return codings.set_memo(self, coding_id, memo, by=by)

    def codings(self, *, status: str | None = "accepted", **filters: Any) -> pd.DataFrame:
        return codings.codings(self, status=status, **filters)

    # ------------------------------------------------------------ cases
    def apply_classification(self, path: str | Path, *, id_column: str, **options: Any) -> list[Informant]:
        return classification.apply_classification(self, path, id_column=id_column, **options)

    def export_classification(self, path: str | Path, *, overwrite: bool = False) -> Path:
        return classification.export_classification(self, path, overwrite=overwrite)

    def import_code_columns(self, path: str | Path, *, id_column: str, code_columns: Any, coder: str,
                            **options: Any) -> list[Coding]:
        return classification.import_code_columns(self, path, id_column=id_column, code_columns=code_columns,
                                                  coder=coder, **options)

    def define_attribute(self, name: str, *, type: str = "text", categories: Iterable[str] | None = None,
                         by: str = "") -> None:
        attributes.define_attribute(self, name, type=type, categories=categories, by=by)

    def delete_attribute(self, name: str, *, by: str = "") -> None:
        attributes.delete_attribute(self, name, by=by)

    def attributes(self) -> pd.DataFrame:
        return attributes.attributes(self)

    def set_attributes(self, case: str, values: Mapping[str, Any] | None = None, /, *, by: str = "",
                       **more: Any) -> Informant:
        return attributes.set_attributes(self, case, values, by=by, **more)

    # ------------------------------------------------------------ sets
    def add_set(self, name: str, *, sources: Iterable[str] | None = None, cases: Iterable[str] | None = None,
                where: str | Mapping[str, Any] | None = None, by: str = "") -> None:
        sets.add_set(self, name, sources=sources, cases=cases, where=where, by=by)

    def sets(self) -> pd.DataFrame:
        return sets.sets(self)

    def set_members(self, name: str) -> list[str]:
        return sets.set_members(self, name)

    def delete_set(self, name: str, *, by: str = "") -> None:
        sets.delete_set(self, name, by=by)

    def rename_set(self, name: str, new: str, *, by: str = "") -> None:
        sets.rename_set(self, name, new, by=by)

    # ------------------------------------------------------------ memos
    def add_memo(self, text: str, *, kind: str | None = None, about: str | None = None, by: str = "") -> int:
        return memos.add_memo(self, text, kind=kind, about=about, by=by)

    def edit_memo(self, memo_id: int, text: str, *, by: str = "") -> None:
        memos.edit_memo(self, memo_id, text, by=by)

    def delete_memo(self, memo_id: int, *, by: str = "") -> None:
        memos.delete_memo(self, memo_id, by=by)

    def memos(self, *, about: str | None = None, kind: str | None = None, contains: str | None = None,
              regex: bool = False, by: str | None = None) -> pd.DataFrame:
        return memos.memos(self, about=about, kind=kind, contains=contains, regex=regex, by=by)

    def add_journal_entry(self, text: str, *, by: str = "") -> int:
        return memos.add_journal_entry(self, text, by=by)

    def journal(self, *, by: str | None = None) -> pd.DataFrame:
        return memos.journal(self, by=by)

    # ------------------------------------------------------------ notes
    def set_summary(self, case: str, code_id: str, text: str, *, by: str = "") -> None:
        notes.set_summary(self, case, code_id, text, by=by)

    def summaries(self) -> dict[tuple[str, str], str]:
        return notes.summaries(self)

    def add_proposition(self, code_id: str, text: str, *, id: str | None = None, by: str = "") -> str:
        return notes.add_proposition(self, code_id, text, id=id, by=by)

    def set_stance(self, coding_id: int, proposition_id: str, stance: str, *, memo: str = "", by: str = "") -> None:
        notes.set_stance(self, coding_id, proposition_id, stance, memo=memo, by=by)

    def assess(self, theme: str, group_a: str, group_b: str, *, by: str, rationale: str, **judgement: str) -> None:
        notes.assess(self, theme, group_a, group_b, by=by, rationale=rationale, **judgement)

    def propositions(self) -> pd.DataFrame:
        return notes.propositions_frame(self)

    def stances(self) -> pd.DataFrame:
        return notes.stances_frame(self)

    def assessments(self, by: str | None = None) -> pd.DataFrame:
        return notes.assessments_frame(self, by)

    # ------------------------------------------------------------ integrity
    def check(self) -> pd.DataFrame:
        return integrity.check(self)


def _book(codebook: Codebook | str | Path) -> Codebook:
    from ..codebook import Codebook

    return codebook if isinstance(codebook, Codebook) else Codebook.load(codebook)


_DOCS = {name: getattr(module, function) for name, module, function in [
    ("add_source", sources, "add_source"), ("add_sources", sources, "add_sources"), ("add_path", sources, "add_path"),
    ("source", sources, "source"), ("sources", sources, "sources"), ("delete_source", sources, "delete_source"),
    ("informants", sources, "informants"), ("add_informant", sources, "add_informant"),
    ("update_source", reanchor, "update_source"), ("orphans", reanchor, "orphans"),
    ("reattach", reanchor, "reattach"), ("add_code", codes, "add_code"), ("add_codes", codes, "add_codes"),
    ("codes", codes, "codes"), ("code_by_id", codes, "code_by_id"), ("codebook", codebook_sync, "project_codebook"),
    ("codebook_diff", codebook_sync, "codebook_diff"), ("set_codebook", codebook_sync, "set_codebook"),
    ("relabel_code", codeops, "relabel"), ("move_code", codeops, "move"), ("merge_codes", codeops, "merge"),
    ("split_code", codeops, "split"), ("delete_code", codeops, "delete_code"), ("undo", history, "undo"),
    ("redo", history, "redo"), ("history", history, "history"),
    ("add_coder", codes, "add_coder"), ("delete_coder", codes, "delete_coder"), ("code", codings, "code"),
    ("code_quote", codings, "code_quote"), ("locate_quote", codings, "locate_quote"),
    ("add_codings", codings, "add_codings"), ("load_codings_csv", codings, "load_codings_csv"),
    ("find_coding", codings, "find_coding"), ("coding_records", codings, "coding_records"),
    ("delete_coding", codings, "delete_coding"), ("set_memo", codings, "set_memo"), ("codings", codings, "codings"),
    ("set_summary", notes, "set_summary"), ("summaries", notes, "summaries"),
    ("add_proposition", notes, "add_proposition"), ("set_stance", notes, "set_stance"),
    ("assess", notes, "assess"), ("propositions", notes, "propositions_frame"),
    ("stances", notes, "stances_frame"), ("assessments", notes, "assessments_frame"), ("check", integrity, "check"),
    ("apply_classification", classification, "apply_classification"),
    ("export_classification", classification, "export_classification"),
    ("import_code_columns", classification, "import_code_columns"),
    ("define_attribute", attributes, "define_attribute"), ("delete_attribute", attributes, "delete_attribute"),
    ("attributes", attributes, "attributes"), ("set_attributes", attributes, "set_attributes"),
    ("add_set", sets, "add_set"), ("sets", sets, "sets"), ("set_members", sets, "set_members"),
    ("delete_set", sets, "delete_set"), ("rename_set", sets, "rename_set"),
    ("add_memo", memos, "add_memo"), ("edit_memo", memos, "edit_memo"), ("delete_memo", memos, "delete_memo"),
    ("memos", memos, "memos"), ("add_journal_entry", memos, "add_journal_entry"), ("journal", memos, "journal"),
]}
for _name, _function in _DOCS.items():  # each method shows the docstring of the function doing the work
    getattr(Project, _name).__doc__ = _function.__doc__
