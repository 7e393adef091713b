"""Codings by quote, the form researchers keep in spreadsheets: ``source, quote, code, coder, memo``.

Each row's quote is found in its source (white space is flexible; an
``occurrence`` column picks one of several matches).  The file is applied
completely or not at all: every bad row is reported in one error, with its
line, and the nearest passage when a quote is not found.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from ..errors import SomecodeError, SourceReadError, ValidationError
from ..model import Coding
from ..sources.encoding import read_decoded
from .history import operation
from .quotes import find_quote

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
    resolver = _Resolver(project)
    for line, row in rows:
        try:
            coding = resolver.coding(row, coder)
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
    text, _ = read_decoded(path, encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as err:  # a header field over csv.field_size_limit(), an unclosed quote...
        raise SourceReadError(path, f"the header is not valid CSV ({err})", place="line 1",
                              fix="check the quoting of the header row") from None
    header = [h.strip().lower() for h in fieldnames or []]
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


# Missing quotes whose error shows the nearest passage: each costs a fuzzy search of about
# len(text) x len(quote) steps, so at most this many, and this many steps in all (about a second).
HINTED_QUOTES = 20
HINTED_LENGTH = 2_000  # characters of a quote
HINT_BUDGET = 100_000_000
_OCCURRENCE = re.compile(r"[0-9]{1,9}\Z")  # ASCII digits only: int() refuses '²', and huge numbers


class _Resolver:
    """Turns rows into codings, reading the project once per file, not once per row.

    The code ids are read once; each source's text once; each (source, quote)
    is located once.  A row that cannot be resolved goes through
    :meth:`Project.locate_quote`, so its error says why exactly as elsewhere, and
    shows the nearest passage for the first missing quotes (:data:`HINTED_QUOTES`,
    :data:`HINTED_LENGTH`, :data:`HINT_BUDGET`).
    """

    def __init__(self, project: Project):
        self.project = project
        self.codes = set(project.code_ids())
        self.texts: dict[str, str | None] = {}
        self.spans: dict[tuple[str, str], list[tuple[int, int]] | None] = {}
        self.missing, self.hint_cost = 0, 0

    def coding(self, row: dict[str, str], default_coder: str | None) -> Coding:
        for column in REQUIRED_COLUMNS:
            if not row.get(column):
                raise ValidationError(f"the {column!r} cell is empty")
        occurrence = row.get("occurrence") or None
        if occurrence is not None and not _OCCURRENCE.match(occurrence):
            raise ValidationError(f"occurrence {occurrence!r} is not a whole number (1, 2, 3...)")
        source_id, code_id = row["source"], row["code"]
        if code_id not in self.codes:
            raise ValidationError(f"no code {code_id!r} in the project (add it to the codebook first)")
        start, end = self.locate(source_id, row["quote"], int(occurrence) if occurrence else None)
        coder = row.get("coder") or default_coder or self.project.default_coder
        if not coder:
            raise ValidationError("no coder: fill the 'coder' cell or pass coder=...")
        return Coding(source_id, start, end, code_id, coder, memo=row.get("memo", ""))

    def locate(self, source_id: str, quote: str, occurrence: int | None) -> tuple[int, int]:
        if source_id not in self.texts:
            try:
                self.texts[source_id] = self.project.source(source_id).text
            except SomecodeError:
                self.texts[source_id] = None
        text = self.texts[source_id]
        if text is not None:
            key = (source_id, quote)
            if key not in self.spans:
                self.spans[key] = find_quote(text, quote)
            spans = self.spans[key]
            index = (occurrence or 1) - 1
            if spans and (occurrence is not None or len(spans) == 1) and 0 <= index < len(spans):
                return spans[index]
            if spans is None:
                self.missing += 1
                self.hint_cost += len(text) * len(quote)  # what the search for the nearest passage costs
                if self.missing > HINTED_QUOTES or self.hint_cost > HINT_BUDGET or len(quote) > HINTED_LENGTH:
                    short = quote if len(quote) <= 60 else quote[:57] + "..."
                    raise ValidationError(f"quote {short!r} is not in source {source_id!r} (the nearest "
                                          "passage is shown for the first missing quotes, and short ones, only)")
        return self.project.locate_quote(source_id, quote, occurrence)  # raises, saying why
