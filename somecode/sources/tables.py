"""CSV and Excel rows as documents, and surveys as cases.

:func:`read_csv_rows` / :func:`read_xlsx_rows` (behind :func:`somecode.read_table`): one
source per row.  ``text_column`` names the column holding the text (default ``text``);
``id_column`` the column of ids (default: ``<file>-<row>``); every other column becomes an
attr of the row's source.  Rows with an empty text cell are skipped with a warning.

:func:`read_survey`: a table of open answers, one row per respondent.  Each respondent
becomes an informant (a case) with the attribute columns as attrs, and their answers become
turns whose informant is the respondent, so that ``crosstab(project, by="gender")`` works:

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
>>> _ = path.write_text("id,gender,age,like\\nr1,F,34,Cepat.\\nr2,M,41,Ramah.\\n", encoding="utf-8")
>>> [s.id for s in read_survey(path, id_column="id", text_columns="like")]
['r1-like', 'r2-like']
>>> read_survey(path, id_column="id", text_columns="like", layout="question")[0].attrs["informants"]
{'r1': {'name': 'r1', 'gender': 'F', 'age': 34}, 'r2': {'name': 'r2', 'gender': 'M', 'age': 41}}

:func:`read_cells` reads any table as typed cells (for classification sheets and coded columns).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..errors import SomecodeWarning, SourceReadError, ValidationError
from ..model import Source, Turn, check_id
from ..text import canonical_text, slugify
from ..vocabulary import check_choice, did_you_mean
from .encoding import read_decoded
from .units import paragraph_units

__all__ = ["read_csv_rows", "read_xlsx_rows", "read_survey", "read_cells", "Cells", "cell_value", "case_id",
           "SURVEY_LAYOUTS", "TABLE_SUFFIXES"]

SURVEY_LAYOUTS = ("answer", "respondent", "question")
TABLE_SUFFIXES = (".csv", ".xlsx")


def read_csv_rows(path, *, encoding: str | None = None, delimiter: str | None = None,
                  **options) -> list[Source]:
    """Sources from the rows of a CSV file (any encoding :func:`decode_bytes` reads)."""
    rows, used = _csv_cells(path, encoding, delimiter)
    return _sources(path, rows, used, options)


def _csv_cells(path, encoding: str | None, delimiter: str | None) -> tuple[list[list[str]], str]:
    """The rows of a CSV file as lists of strings (header first), and the encoding used."""
    text, used = read_decoded(path, encoding)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise SourceReadError(path, f"not valid CSV: {err}", place=f"line {reader.line_num}",
                              fix="check the quoting on that line (a quote never closed makes one "
                                  "huge field)") from None
    return rows, used


def read_xlsx_rows(path, *, sheet: str | None = None, **options) -> list[Source]:
    """Sources from the rows of one sheet of an ``.xlsx`` workbook (the first, or ``sheet``)."""
    rows = [["" if v is None else str(v) for v in row] for row in _xlsx_cells(path, sheet)]
    return _sources(path, rows, "xlsx", options)


def _xlsx_cells(path, sheet: str | None) -> list[list[Any]]:
    """The rows of one sheet (the first, or ``sheet``) as lists of cell values (header first)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as err:  # zipfile, KeyError and lxml errors on damaged files
        place = "the zip container" if isinstance(err, zipfile.BadZipFile) else "the workbook's XML"
        raise SourceReadError(path, f"not a readable .xlsx workbook ({type(err).__name__}: {err})",
                              place=place, fix="open and re-save it in Excel or LibreOffice") from None
    rows: list[list[Any]] = []
    number = 0  # rows read so far, for the place of a damaged one
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceReadError(path, f"no sheet named {sheet!r}{did_you_mean(sheet, book.sheetnames)}",
                                  place="workbook",
                                  fix=f"use one of {', '.join(map(repr, book.sheetnames))}")
        if not book.worksheets:
            raise SourceReadError(path, "the workbook has no worksheet", place="workbook",
                                  fix="open and re-save it in Excel or LibreOffice")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            rows.append(list(row))
    except SourceReadError:
        raise
    except Exception as err:  # read-only sheets parse lazily: ParseError, IndexError, TypeError, ValueError...
        raise SourceReadError(path, f"the sheet's XML is damaged ({type(err).__name__}: {err})",
                              place=f"after row {number}" if number else "the sheet's XML",
                              fix="open and re-save it in Excel or LibreOffice") from None
    finally:
        _close(book)
    return rows


def _close(book) -> None:
    try:
        book.close()
    except Exception:  # nosec - closing a damaged archive; the read already succeeded or failed
        pass


def _sources(path, rows: list[list[str]], encoding: str, options: dict) -> list[Source]:
    """One source per data row; rows are numbered as a spreadsheet shows them (header = 1)."""
    if not rows:
        raise SourceReadError(path, "the table is empty", fix="check the file has a header row")
    header = [h.strip() for h in rows[0]]
    text_column = options.pop("text_column", "text")
    id_column = options.pop("id_column", None)
    for column in filter(None, (text_column, id_column)):
        if column not in header:
            raise SourceReadError(path, f"no column named {column!r}{did_you_mean(column, header)}",
                                  place="header row",
                                  fix=f"pass text_column=/id_column= as one of {header}")
    kind = options.pop("kind", "document")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    skipped = 0
    for number, row in enumerate(rows[1:], start=2):
        record = dict(zip(header, row + [""] * (len(header) - len(row))))
        text = canonical_text(record.pop(text_column) or "")
        if not text.strip():
            skipped += 1
            continue
        raw_id = record.pop(id_column) if id_column else f"{Path(str(path)).stem}-{number - 1}"
        source_id = slugify(str(raw_id))
        if source_id in seen:
            raise SourceReadError(path, f"duplicate id {raw_id!r} (also in row {seen[source_id]})",
                                  place=f"row {number}", fix=f"make the {id_column!r} values unique")
        seen[source_id] = number
        attrs = {**{k: v for k, v in record.items() if k}, "row": number, **options}
        sources.append(Source(id=source_id, kind=kind, text=text, title=str(raw_id), attrs=attrs,
                              turns=tuple(paragraph_units(text)), encoding=encoding, path=str(path)))
    if skipped:
        warnings.warn(f"{path}: {skipped} row(s) with an empty {text_column!r} cell skipped",
                      SomecodeWarning, stacklevel=3)
    return sources


# ---------------------------------------------------------------- typed cells

_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")  # "007" stays text: a code, not a number
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+\Z")


def cell_value(value: Any) -> str | int | float | bool | None:
    """A cell as an attribute value: numbers as numbers, dates as ISO strings, text stripped;
    ``None`` for an empty cell.

    >>> [cell_value(v) for v in ["34", " 1.5 ", "007", "", dt.datetime(2024, 3, 1), "F"]]
    [34, 1.5, '007', None, '2024-03-01', 'F']
    """
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return None if value != value else value  # NaN: an empty cell
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = canonical_text(str(value)).strip()
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    return text


def case_id(value: Any) -> str | None:
    """The informant id for an id cell: the text itself when it is a valid id, else its slug;
    ``None`` for an empty cell.

    >>> case_id("R001"), case_id(12.0), case_id("Resp 7"), case_id(" ")
    ('R001', '12', 'resp-7', None)
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return check_id(text, "id")
    except ValidationError:
        return slugify(text)


@dataclass(frozen=True)
class Cells:
    """A table's cells: ``header`` (column names), ``rows`` as ``(row number, column -> raw
    value)`` with rows numbered as a spreadsheet shows them (header = 1), and the encoding read."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    encoding: str

    def missing(self, columns: Sequence[str], argument: str) -> list[str]:
        """A problem for each of ``columns`` that is not in the header (``argument`` names the option)."""
        return [f"{self.path}, header row: no column named {c!r}{did_you_mean(c, self.header)} "
                f"(fix: pass {argument} as columns of the header: {', '.join(map(repr, self.header))})"
                for c in columns if c not in self.header]


def read_cells(path, *, sheet: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> Cells:
    """Every row of a ``.csv`` or ``.xlsx`` table as raw cells under its header (rows with no
    value at all are left out).  A header repeating a column name is an error."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise SourceReadError(path, f"not a table ({suffix or 'no suffix'})",
                              fix="save it as .csv (UTF-8) or .xlsx")
    if suffix == ".xlsx":
        if encoding is not None or delimiter is not None:
            raise ValidationError(f"{path}: encoding= and delimiter= are for CSV files, not .xlsx; leave them out")
        grid, used = _xlsx_cells(path, sheet), "xlsx"
    else:
        if sheet is not None:
            raise ValidationError(f"{path}: sheet= is for .xlsx workbooks, not CSV; leave it out")
        rows, used = _csv_cells(path, encoding, delimiter)
        grid = [list(r) for r in rows]
    if not grid:
        raise SourceReadError(path, "the table is empty", fix="check the file has a header row")
    header = ["" if h is None else str(h).strip() for h in grid[0]]
    named = [h for h in header if h]
    repeated = sorted({h for h in named if named.count(h) > 1})
    if repeated:
        raise SourceReadError(path, f"the header names {', '.join(map(repr, repeated))} more than once",
                              place="header row", fix="give every column its own name")
    records = []
    for number, row in enumerate(grid[1:], start=2):
        cells = {h: v for h, v in zip(header, row) if h}
        if any(cell_value(v) is not None for v in cells.values()):
            records.append((number, {h: cells.get(h) for h in named}))
    return Cells(path, named, records, used)


# ---------------------------------------------------------------- surveys

def read_survey(path, *, id_column: str, text_columns: str | Sequence[str],
                attribute_columns: Sequence[str] | None = None, layout: str = "answer",
                sheet: str | None = None, encoding: str | None = None, delimiter: str | None = None,
                kind: str = "document") -> list[Source]:
    """Sources from a survey table of open answers, one row per respondent.

    Each respondent (``id_column``; an id that is not a valid id is slugified) is an informant
    -- a case -- with the ``attribute_columns`` (default: every column that is neither the id
    nor a text column) as attrs, typed by :func:`cell_value` (numbers as numbers, dates as
    ISO strings; empty cells left out).  Every answer (a non-empty cell of ``text_columns``) is
    one turn whose informant is the respondent and whose attrs name the question
    (``{"question": column}``).  ``layout`` says how answers make sources:

    - ``"answer"`` (default): one source per answer, id ``<respondent>-<question slug>``;
    - ``"respondent"``: one source per respondent (id = respondent), one turn per question;
    - ``"question"``: one source per text column (id = its slug), one turn per respondent.

    The respondents travel in each source's ``attrs["informants"]``, so ``project.add_sources``
    registers them; one who answered nothing is still declared (with a warning).  Every
    problem (missing columns, empty or repeated ids) is reported at once in a
    :class:`~somecode.errors.ValidationError`.
    """
    check_choice("layout", layout, SURVEY_LAYOUTS)
    texts = [text_columns] if isinstance(text_columns, str) else list(text_columns)
    if not texts:
        raise ValidationError("read_survey: text_columns= is empty; name the column(s) holding the answers")
    cells = read_cells(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
    path = cells.path
    if attribute_columns is None:
        attributes = [c for c in cells.header if c != id_column and c not in texts]
    else:
        attributes = [attribute_columns] if isinstance(attribute_columns, str) else list(attribute_columns)
    problems = (cells.missing([id_column], "id_column=") + cells.missing(texts, "text_columns=")
                + cells.missing(attributes, "attribute_columns="))
    overlap = sorted((set(texts) & set(attributes)) | ({id_column} & (set(texts) | set(attributes))))
    problems += [f"{path}, header row: column {c!r} is given twice (as id, text or attribute column) "
                 "(fix: give each column one role)" for c in overlap]
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s) with the columns; nothing was read", problems)
    respondents: list[tuple[str, int, dict[str, Any], dict[str, str]]] = []
    seen: dict[str, tuple[int, Any]] = {}
    for number, row in cells.rows:
        raw = row[id_column]
        rid = case_id(raw)
        if rid is None:
            problems.append(f"{path}, row {number}, column {id_column!r}: no respondent id "
                            "(fix: give every row an id, or delete the row)")
            continue
        if rid in seen:
            other, first = seen[rid]
            same = f" (id {rid!r})" if str(first).strip() != str(raw).strip() else ""
            problems.append(f"{path}, row {number}, column {id_column!r}: respondent {str(raw).strip()!r}{same} "
                            f"is also in row {other} (fix: make the {id_column!r} values unique)")
            continue
        seen[rid] = (number, raw)
        info: dict[str, Any] = {"name": str(cell_value(raw))}
        info.update((c, v) for c in attributes if (v := cell_value(row[c])) is not None)
        answers = {c: canonical_text(str(row[c])).strip() for c in texts if row[c] is not None}
        respondents.append((rid, number, info, {c: a for c, a in answers.items() if a}))
    if problems:
        raise ValidationError(f"{path}: {len(problems)} problem(s) with the respondents; nothing was read",
                              problems)
    sources = _survey_sources(path, respondents, texts, layout, kind, cells.encoding)
    silent = [rid for rid, _, _, answers in respondents if not answers]
    if not sources:
        raise ValidationError(f"{path}: no respondent answered any of {', '.join(map(repr, texts))}; nothing "
                              "was read (fix: check text_columns= names the columns of open answers)")
    if silent:
        declared = dict(sources[0].attrs["informants"])
        declared.update((rid, info) for rid, _, info, answers in respondents if not answers)
        sources[0] = sources[0].with_attrs(informants=declared)
        warnings.warn(f"{path}: {len(silent)} respondent(s) answered none of the text columns "
                      f"({', '.join(silent[:10])}{' ...' if len(silent) > 10 else ''}); they are cases "
                      "without text", SomecodeWarning, stacklevel=2)
    return sources


def _survey_sources(path: Path, respondents: list[tuple[str, int, dict[str, Any], dict[str, str]]],
                    texts: list[str], layout: str, kind: str, encoding: str) -> list[Source]:
    survey = path.stem
    common = {"survey": survey}
    found: list[Source] = []
    if layout == "question":
        for column in texts:
            answered = [(rid, info, answers[column]) for rid, _, info, answers in respondents if column in answers]
            if answered:
                text, turns = _joined([(a, info["name"], rid, column) for rid, info, a in answered])
                found.append(Source(id=slugify(column), kind=kind, text=text, title=column, turns=turns,
                                    attrs={**common, "question": column,
                                           "informants": {rid: info for rid, info, _ in answered}},
                                    encoding=encoding, path=str(path)))
        return found
    for rid, number, info, answers in respondents:
        attrs = {**common, "respondent": rid, "row": number, "informants": {rid: info}}
        if layout == "respondent" and answers:
            text, turns = _joined([(a, info["name"], rid, c) for c, a in answers.items()])
            found.append(Source(id=rid, kind=kind, text=text, title=info["name"], turns=turns, attrs=attrs,
                                encoding=encoding, path=str(path)))
        elif layout == "answer":
            for column, answer in answers.items():
                text, turns = _joined([(answer, info["name"], rid, column)])
                found.append(Source(id=f"{rid}-{slugify(column)}", kind=kind, text=text,
                                    title=f"{info['name']}: {column}", turns=turns,
                                    attrs={**attrs, "question": column}, encoding=encoding, path=str(path)))
    ids = [s.id for s in found]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:
        raise ValidationError(f"{path}: two answers would get the same source id "
                              f"({', '.join(map(repr, clashes))}); nothing was read (fix: use layout='respondent' "
                              "or rename the text columns or ids so they differ)")
    return found


def _joined(parts: list[tuple[str, str, str, str]]) -> tuple[str, tuple[Turn, ...]]:
    """Answers ``(text, speaker, informant, question)`` as one text, a blank line between them,
    with one turn per answer."""
    pieces: list[str] = []
    turns: list[Turn] = []
    at = 0
    for text, speaker, informant, question in parts:
        if pieces:
            at += 2
        pieces.append(text)
        turns.append(Turn(at, at + len(text), speaker, informant, attrs={"question": question}))
        at += len(text)
    return "\n\n".join(pieces), tuple(turns)
