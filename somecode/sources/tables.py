"""CSV and Excel rows as documents: one source per row (:func:`somecode.read_table`).

``text_column`` names the column holding the text (default ``text``);
``id_column`` the column of ids (default: ``<file>-<row>``); every other
column becomes an attr of the row's source.  Rows with an empty text cell are
skipped with a warning.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from pathlib import Path

from ..errors import SomecodeWarning, SourceReadError
from ..model import Source
from ..text import canonical_text, slugify
from ..vocabulary import did_you_mean
from .encoding import decode_bytes
from .units import paragraph_units

__all__ = ["read_csv_rows", "read_xlsx_rows"]


def read_csv_rows(path, *, encoding: str | None = None, delimiter: str | None = None,
                  **options) -> list[Source]:
    """Sources from the rows of a CSV file (any encoding :func:`decode_bytes` reads)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise SourceReadError(path, f"cannot read the file ({err.strerror})",
                              fix="check the path and the file's permissions") from None
    text, used = decode_bytes(data, path, encoding)
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
    return _sources(path, rows, used, options)


def read_xlsx_rows(path, *, sheet: str | None = None, **options) -> list[Source]:
    """Sources from the rows of one sheet of an ``.xlsx`` workbook (the first, or ``sheet``)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as err:  # zipfile, KeyError and lxml errors on damaged files
        place = "the zip container" if isinstance(err, zipfile.BadZipFile) else "the workbook's XML"
        raise SourceReadError(path, f"not a readable .xlsx workbook ({type(err).__name__}: {err})",
                              place=place, fix="open and re-save it in Excel or LibreOffice") from None
    rows: list[list[str]] = []
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
            rows.append(["" if v is None else str(v) for v in row])
    except SourceReadError:
        raise
    except Exception as err:  # read-only sheets parse lazily: ParseError, IndexError, TypeError, ValueError...
        raise SourceReadError(path, f"the sheet's XML is damaged ({type(err).__name__}: {err})",
                              place=f"after row {number}" if number else "the sheet's XML",
                              fix="open and re-save it in Excel or LibreOffice") from None
    finally:
        _close(book)
    return _sources(path, rows, "xlsx", options)


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
