"""Codings by quote, the form researchers keep in spreadsheets: ``source, quote, code, coder, memo``.

Each row's quote is found in its source (white space is flexible; an
``occurrence`` column picks one of several matches).  The file is applied
completely or not at all: every bad row is reported in one error, with its
line, and the nearest passage when a quote is not found.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SomecodeError, ValidationError
from ..model import Coding
from ..sources.encoding import decode_bytes
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["load_codings_csv", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("source", "quote", "code")
OPTIONAL_COLUMNS = ("coder", "memo", "occurrence")


def load_codings_csv(project: Project, path, *, coder: str | None = None,
                     encoding: str | None = None) -> list[Coding]:
    """Resolve every row of ``path`` and store the codings in one transaction.

    ``coder`` is used for rows whose ``coder`` cell is empty.  Returns the
    stored codings in row order.
    """
    rows = _rows(path, encoding)
    codings: list[Coding] = []
    problems: list[str] = []
    seen: dict[tuple, int] = {}
    for line, row in rows:
        try:
            coding = _coding(project, row, coder)
        except SomecodeError as err:
            problems.append(f"{path}, line {line}: {err}")
            continue
        key = (coding.source_id, coding.start, coding.end, coding.code_id, coding.coder_id)
        if key in seen:
            problems.append(f"{path}, line {line}: the same coding as line {seen[key]}")
            continue
        seen[key] = line
        codings.append(coding)
    if problems:
        raise ValidationError(f"{path}: {len(problems)} of {len(rows)} rows cannot be applied; "
                              "nothing from this file was stored", problems)
    with operation(project, "load_codings_csv", {"file": str(path), "rows": len(codings)}):
        project.add_codings(codings)
        found = [project.find_coding(*key) for key in seen]
    return [c for c in found if c is not None]


def _rows(path, encoding: str | None) -> list[tuple[int, dict[str, str]]]:
    text, _ = decode_bytes(Path(path).read_bytes(), path, encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(f"{path}, line 1: missing column(s) {', '.join(missing)}; the header "
                              f"must hold {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}")
    rows, line = [], 1
    try:
        for raw in reader:
            rows.append((line + 1, {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}))
            line = reader.line_num
    except csv.Error as err:
        raise ValidationError(f"{path}, line {reader.line_num}: not valid CSV ({err})") from None
    return rows


def _coding(project: Project, row: dict[str, str], default_coder: str | None) -> Coding:
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise ValidationError(f"the {column!r} cell is empty")
    occurrence = row.get("occurrence") or None
    if occurrence is not None and not occurrence.isdigit():
        raise ValidationError(f"occurrence {occurrence!r} is not a whole number")
    source_id, code_id = row["source"], row["code"]
    if code_id not in project.code_ids():
        raise ValidationError(f"no code {code_id!r} in the project (add it to the codebook first)")
    start, end = project.locate_quote(source_id, row["quote"], int(occurrence) if occurrence else None)
    coder = row.get("coder") or default_coder or project.default_coder
    if not coder:
        raise ValidationError("no coder: fill the 'coder' cell or pass coder=...")
    return Coding(source_id, start, end, code_id, coder, memo=row.get("memo", ""))
