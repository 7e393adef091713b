"""Cases from tables: classification sheets (informant attributes) and survey columns holding codes.

- :func:`apply_classification`: a CSV/XLSX of case attributes, one row per informant, merged
  into the informants' attrs (unknown ids reported, or added with ``add_unknown=True``);
- :func:`export_classification`: the informants and their attributes as such a sheet;
- :func:`import_code_columns`: survey columns that already hold codes (1/0, yes/no, or code ids)
  as codings, by an existing coder, of each respondent's answer
  (read with :func:`somecode.sources.tables.read_survey`).

Each is one undoable operation, and all or nothing: every problem of the sheet is listed in one
:class:`~somecode.errors.ValidationError` (file, row, column and the fix) and nothing is changed.

>>> import somecode, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> p = somecode.Project.create(folder / "p.somecode")
>>> _ = p.add_informant(somecode.Informant("r1", "r1"))
>>> _ = (folder / "cases.csv").write_text("id,gender,age\\nr1,F,34\\n", encoding="utf-8")
>>> [(i.id, dict(i.attrs)) for i in apply_classification(p, folder / "cases.csv", id_column="id")]
[('r1', {'age': 34, 'gender': 'F'})]
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import store as db
from ..errors import ConflictError, ValidationError
from ..model import Coding, Informant
from ..sources.tables import TABLE_SUFFIXES, case_id, cell_value, read_cells
from ..text import canonical_text, some
from ..vocabulary import did_you_mean, unknown
from .attributes import declared, typed_value
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["apply_classification", "export_classification", "import_code_columns", "YES", "NO"]

YES = ("1", "yes", "y", "true", "x", "ya", "iya", "ja", "oui", "si", "sí", "✓", "✔")
NO = ("0", "no", "n", "false", "tidak", "nein", "non")


# ---------------------------------------------------------------- classification sheets

def apply_classification(project: Project, path: str | Path, *, id_column: str,
                         columns: Sequence[str] | None = None, sheet: str | None = None,
                         add_unknown: bool = False, encoding: str | None = None, delimiter: str | None = None,
                         by: str = "") -> list[Informant]:
    """Merge a sheet of case attributes (CSV or XLSX, one row per informant) into the informants.

    ``id_column`` holds informant ids; ``columns`` the attributes to take (default: every
    other column except ``name``).  Values are typed (numbers as numbers, dates as ISO strings,
    text as text); an empty cell leaves the attribute as it was; a value replaces the one held.
    An id that is no informant is a problem (with the closest id), unless ``add_unknown=True``
    adds it as a new case (named by a ``name`` column, if any).  A column of a declared attribute
    (:meth:`Project.define_attribute`) is checked against its type, each cell that does not fit
    reported with its row and column, and stored in the type's form.  All problems are reported at
    once and then nothing is changed; otherwise one undoable operation.  Returns the informants
    changed or added, as they are now.
    """
    cells = read_cells(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
    path = cells.path
    taken = [c for c in cells.header if c not in (id_column, "name")] if columns is None else list(columns)
    problems = cells.missing([id_column], "id_column=") + cells.missing(taken, "columns=")
    if id_column in taken:
        problems.append(f"{path}, header row: {id_column!r} is both the id column and an attribute "
                        "(fix: leave it out of columns=)")
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s) with the columns; nothing was changed", problems)
    known = {i.id: i for i in project.informants()}
    types = declared(project)
    changes: dict[str, tuple[str, dict[str, Any]]] = {}
    for number, row, informant_id in _identified_rows(cells, id_column, "informant", problems):
        raw = row[id_column]
        place = f"{path}, row {number}, column {id_column!r}"
        if informant_id not in known and not add_unknown:
            problems.append(f"{place}: no informant {str(raw).strip()!r} in the project"
                            f"{did_you_mean(informant_id, known)} (fix: correct the id, or pass "
                            "add_unknown=True to add it as a new case)")
            continue
        name = cell_value(row.get("name")) if "name" in cells.header else None
        attrs = {c: v for c in taken if (v := cell_value(row[c])) is not None}
        for column in sorted(set(attrs) & set(types), key=taken.index):
            raw_cell = row[column]  # text as written ("1.50" stays "1.50"), anything else as typed
            as_text = types[column][0] == "text" and isinstance(raw_cell, str)
            cell = canonical_text(raw_cell) if as_text else attrs[column]
            try:
                attrs[column] = typed_value(cell, *types[column])
            except ValueError as err:
                problems.append(f"{path}, row {number}, column {column!r}: {str(row[column]).strip()!r} is not "
                                f"{err}, as the declared {types[column][0]} attribute {column!r} needs (fix: "
                                "correct the cell, or declare the attribute with another type)")
        changes[informant_id] = (str(name) if name is not None else str(cell_value(raw)), attrs)
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s); nothing was changed", problems)
    added = [i for i in changes if i not in known]
    changed = [i for i in changes if i in known and {**known[i].attrs, **changes[i][1]} != dict(known[i].attrs)]
    if not changed and not added:
        return []
    payload = {"path": str(path), "changed": changed, "added": added}
    with operation(project, "apply_classification", payload, by):
        for informant_id in changed:
            db.sources.set_informant_attrs(project.store, informant_id,
                                           {**known[informant_id].attrs, **changes[informant_id][1]})
        for informant_id in added:
            name, attrs = changes[informant_id]
            project.add_informant(Informant(informant_id, name, attrs), by=by)
    now = {i.id: i for i in project.informants()}
    return [now[i] for i in changes if i in changed or i in added]


def export_classification(project: Project, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the informants as a classification sheet (``.csv`` in UTF-8, or ``.xlsx``): columns
    ``id``, ``name`` and every declared attribute or attribute holding a number, text or yes/no
    value, sorted; one row
    per informant.  :func:`apply_classification` reads it back (``id_column="id"``)."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise ValidationError(f"{path}: a classification sheet is written as .csv or .xlsx, not "
                              f"{path.suffix or 'a file without suffix'} (fix: change the suffix)")
    if path.exists() and not overwrite:
        raise ConflictError(f"{path} exists already; nothing was written (fix: pass overwrite=True, or "
                            "choose another name)")
    people = project.informants()
    keys = sorted(({k for i in people for k, v in i.attrs.items() if _scalar(v)} | set(declared(project)))
                  - {"id", "name"})
    rows: list[list[Any]] = [["id", "name", *keys]]
    rows += [[i.id, i.name, *(v if _scalar(v := i.attrs.get(k)) else None for k in keys)] for i in people]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        worksheet = book.active
        assert worksheet is not None
        worksheet.title = "informants"
        for row in rows:
            worksheet.append(row)
        book.save(str(path))
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


# ---------------------------------------------------------------- survey columns holding codes

def import_code_columns(project: Project, path: str | Path, *, id_column: str,
                        code_columns: Mapping[str, str | None] | Sequence[str], coder: str,
                        question: str | Mapping[str, str] | None = None, separator: str = ";",
                        sheet: str | None = None, encoding: str | None = None, delimiter: str | None = None,
                        by: str = "") -> list[Coding]:
    """Codings from survey columns that already hold codes, by ``coder`` (an existing coder).

    ``code_columns`` maps a column to a code id, whose cells say yes or no (1/0, yes/no,
    true/false, x, ya/tidak; empty = no), or to ``None`` for a column whose cells hold code ids
    separated by ``separator`` (a list of columns: all of that kind).  Each code applies to the
    respondent's answer (``id_column`` holds the respondents of :func:`read_survey`): the whole
    turn answering ``question`` (a text column of the survey; a mapping gives one per code
    column; it may be left out when the project's survey turns answer one question only).

    Unknown codes (with the closest), unknown respondents, values that are not yes/no and a
    code for an answer left empty are all reported at once, and then nothing is stored;
    otherwise one undoable operation.  Returns the codings (origin ``imported``).
    """
    coders = [c.id for c in project.coders()]
    if coder not in coders:
        raise unknown("coder", coder, coders, fix=f"add them first: project.add_coder({coder!r}, name=...)")
    kinds: dict[str, str | None] = (dict(code_columns) if isinstance(code_columns, Mapping)
                                    else {c: None for c in ([code_columns] if isinstance(code_columns, str)
                                                            else code_columns)})
    if not kinds:
        raise ValidationError("import_code_columns: code_columns= is empty; name the columns holding codes")
    cells = read_cells(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
    path = cells.path
    problems = cells.missing([id_column], "id_column=") + cells.missing(list(kinds), "code_columns=")
    codes = project.code_ids()
    known_codes = set(codes)
    for column, code_id in kinds.items():
        if code_id is not None and code_id not in known_codes:
            problems.append(f"{path}, column {column!r}: code_columns maps it to {code_id!r}, which is no code in "
                            f"the project{did_you_mean(code_id, codes)} (fix: add the code with "
                            "project.add_code(...), or map the column to a code the project has)")
    answers, questions = _answers(project)
    asked = _questions(path, kinds, question, questions, problems)
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s); no coding was stored", problems)
    respondents = sorted({r for r, _ in answers})
    people = {i.id for i in project.informants()}
    wanted: list[Coding] = []
    for number, row, respondent in _identified_rows(cells, id_column, "respondent", problems):
        raw = row[id_column]
        place = f"{path}, row {number}"
        if respondent not in people:
            problems.append(f"{place}, column {id_column!r}: no respondent {str(raw).strip()!r} in the project"
                            f"{did_you_mean(respondent, respondents)} (fix: correct the id, or add the survey's "
                            "answers first with project.add_sources(read_survey(...)))")
            continue
        for column, code_id in kinds.items():
            found = _cell_codes(row[column], code_id, separator, codes, known_codes)
            if isinstance(found, str):
                problems.append(f"{place}, column {column!r}: {found}")
                continue
            spans = answers.get((respondent, asked[column]), [])
            if found and not spans:
                problems.append(f"{place}, column {column!r}: respondent {respondent!r} has no answer to "
                                f"{asked[column]!r} to code with {', '.join(map(repr, found))} (fix: clear the "
                                "cell, or check the id and question=)")
                continue
            wanted += [Coding(source_id, start, end, code, coder, origin="imported")
                       for code in found for source_id, start, end in spans]
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s); no coding was stored", problems)
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return []
    payload = {"path": str(path), "coder": coder, "codings": len(wanted)}
    with operation(project, "import_code_columns", payload, by):
        project.add_codings(wanted, by=by)
    return wanted


def _answers(project: Project) -> tuple[dict[tuple[str, str], list[tuple[str, int, int]]], list[str]]:
    """(respondent, question) -> the spans of their answers, and the questions, in order of first sight."""
    answers: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for source in project.sources():
        for turn in source.turns:
            asked = turn.attrs.get("question") if turn.attrs else None
            if turn.informant and isinstance(asked, str) and turn.end > turn.start:
                answers.setdefault((turn.informant, asked), []).append((source.id, turn.start, turn.end))
    return answers, list(dict.fromkeys(q for _, q in answers))


def _questions(path: Path, kinds: Mapping[str, str | None], question: str | Mapping[str, str] | None,
               questions: list[str], problems: list[str]) -> dict[str, str]:
    """The question each code column codes the answers to (problems appended)."""
    fix = f"the project's survey answers are to {some(questions)}" if questions else \
        "the project holds no survey answers: add them first with project.add_sources(read_survey(...))"
    given = question if isinstance(question, Mapping) else {c: question for c in kinds}
    asked: dict[str, str] = {}
    for column in kinds:
        chosen = given.get(column)
        if chosen is None and len(questions) == 1:
            chosen = questions[0]
        if chosen is None:
            problems.append(f"{path}, column {column!r}: which question's answers does it code? (fix: pass "
                            f"question=...; {fix})")
        elif chosen not in questions:
            problems.append(f"{path}, column {column!r}: no answers to question {chosen!r} in the project"
                            f"{did_you_mean(chosen, questions)} (fix: {fix})")
        else:
            asked[column] = chosen
    extra = sorted(set(given) - set(kinds)) if isinstance(question, Mapping) else []
    problems += [f"{path}: question= names {c!r}, which is not one of code_columns= (fix: leave it out)"
                 for c in extra]
    return asked


def _cell_codes(value: Any, code_id: str | None, separator: str, codes: list[str],
                known: set[str]) -> list[str] | str:
    """The codes a cell applies, or a problem (text) saying why it cannot be read."""
    typed = cell_value(value)
    if code_id is not None:
        if typed is None:
            return []
        word = str(typed).lower() if not isinstance(typed, bool) else str(int(typed))
        if isinstance(typed, float) and typed in (0.0, 1.0):
            word = str(int(typed))
        if word in YES:
            return [code_id]
        if word in NO:
            return []
        return (f"{str(value).strip()!r} is not a yes/no value for code {code_id!r} (fix: use 1/0, yes/no or "
                "true/false, or leave the cell empty for no)")
    if typed is None:
        return []
    found = [part.strip() for part in str(value).split(separator) if part.strip()]
    missing = [c for c in found if c not in known]
    if missing:
        return "; ".join(f"no code {c!r} in the project{did_you_mean(c, codes)}" for c in missing) + \
            f" (fix: correct the cell, or add the code with project.add_code({missing[0]!r}))"
    return list(dict.fromkeys(found))


def _identified_rows(cells, id_column: str, what: str, problems: list[str]):
    """``(row number, row, id)`` of each row with an id not seen in an earlier row; a missing or
    repeated id is added to ``problems`` and its row skipped."""
    first: dict[str, int] = {}
    for number, row in cells.rows:
        found = case_id(row[id_column])
        place = f"{cells.path}, row {number}, column {id_column!r}"
        if found is None:
            problems.append(f"{place}: no {what} id (fix: give every row an id, or delete the row)")
        elif found in first:
            problems.append(f"{place}: {what} {found!r} is also in row {first[found]} "
                            f"(fix: keep one row per {what})")
        else:
            first[found] = number
            yield number, row, found
