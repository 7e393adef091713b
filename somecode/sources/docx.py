"""Word ``.docx`` transcripts: one line of text per paragraph, speakers from ``Name:`` or a bold name.

The source text is the document's paragraphs joined by newlines.  A turn
starts at a paragraph that begins with a speaker label, written ``Name:`` or
as a leading bold run (``**Ani** Jam 12 siang.``); paragraphs without a label
continue the turn before them.  Tables are not read, and a warning says so.
"""

from __future__ import annotations

import re
import warnings
import zipfile

from ..errors import SomecodeWarning, SourceReadError
from ..text import canonical_text
from .formats import Reading, Segment, recognise
from .transcript import build_source, compose, speaker_map
from .units import (
    LABEL_LINE,
    Mark,
    SpeakerMap,
    paragraph_units,
    parse_timestamp,
    turns_from_marks,
)

__all__ = ["read_docx"]


def read_docx(path, **options):
    """Read a ``.docx`` file; options as for :func:`somecode.sources.transcript.build_source`."""
    title, tables, paragraphs, bolds = _contents(path)
    meta = {"title": title, **options}
    rows = _table_rows(path) if tables else []
    reading = None
    if meta.get("kind") != "document":
        reading = _table_reading(rows) or recognise("\n\n".join(p for p in paragraphs if p.strip()))
    if reading is not None:
        text, turns = compose(reading, speaker_map(meta, path))
        return build_source(text, meta, path, turns=turns, reading=reading)
    if tables:
        warnings.warn(f"{path}: {tables} table(s) ignored; only paragraphs are read "
                      "(copy table text into paragraphs to code it)", SomecodeWarning, stacklevel=3)
    text = "\n".join(paragraphs)
    if not text.strip():
        raise SourceReadError(path, "the document has no text in its paragraphs",
                              fix="check the file; text inside tables or text boxes is not read")
    speakers = speaker_map(meta, path)
    marks = _marks(bolds, paragraphs, speakers)
    turns = None
    if meta.get("kind") != "document":
        turns = turns_from_marks(text, marks, speakers) if marks else paragraph_units(text)
    return build_source(text, meta, path, turns=turns, reading="docx labels" if marks else None)


_CELL_TIME = re.compile(r"^\[?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?$")


def _table_rows(path) -> list[list[str]]:
    try:
        return [[canonical_text(cell.text).strip() for cell in row.cells]
                for table in _open(path).tables for row in table.rows]
    except Exception:  # a damaged table: read the paragraphs as before
        return []


def _table_reading(rows: list[list[str]]) -> Reading | None:
    """A transcript laid out as a table: rows of (speaker, words), (time, speaker, words) or
    (speaker, time, words); a row with an empty speaker continues the speaker before."""
    segments: list[Segment] = []
    for row in rows:
        cells = [c for c in row if c]
        time = next((c for c in cells if _CELL_TIME.match(c)), None)
        rest = [c for c in cells if c is not time]
        label: str | None
        if len(rest) == 2 and len(rest[0]) <= 40 and len(rest[0].split()) <= 5:
            label, words = rest[0].rstrip(":"), rest[1]
        elif len(rest) == 1 and segments:
            label, words = segments[-1].label, rest[0]
        else:
            continue
        found = _CELL_TIME.match(time) if time else None
        segments.append(Segment(label, words, parse_timestamp(found.group(1)) if found else None))
    labels = {s.label for s in segments}
    if len(segments) < 2 or len(labels) > len(segments) / 2 + 1:
        return None
    return Reading("docx table", segments)


def _contents(path) -> tuple[str, int, list[str], list[str]]:
    """``(title, number of tables, paragraph texts, each paragraph's leading bold text)``.

    python-docx reads parts lazily, so a damaged part can fail at any of these
    steps (``AttributeError``, ``KeyError``, lxml errors...): each is a
    :class:`SourceReadError`.
    """
    document = _open(path)
    step = "the document's properties"
    try:
        title = document.core_properties.title or ""
        title = title if isinstance(title, str) else str(title)
        step = "the document's tables"
        tables = len(document.tables)
        paragraphs, bolds = [], []
        for number, paragraph in enumerate(document.paragraphs, start=1):
            step = f"paragraph {number}"
            paragraphs.append(canonical_text(paragraph.text))
            bolds.append(_leading_bold(paragraph))
    except Exception as err:  # lxml and python-docx raise many kinds on damaged parts
        raise SourceReadError(path, f"the document's XML is damaged ({type(err).__name__}: {err})",
                              place=step, fix="open and re-save it in Word or LibreOffice") from None
    return title, tables, paragraphs, bolds


def _open(path):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as err:
        raise SourceReadError(path, f"not a readable .docx file ({type(err).__name__}: {err})",
                              place="the zip container",
                              fix="open and re-save it in Word or LibreOffice; the file may be "
                                  "truncated or not a .docx at all") from None
    except Exception as err:  # lxml and python-docx raise many kinds on damaged parts
        raise SourceReadError(path, f"the document's XML is damaged ({type(err).__name__}: {err})",
                              fix="open and re-save it in Word or LibreOffice") from None


def _marks(bolds: list[str], texts: list[str], speakers: SpeakerMap) -> list[Mark]:
    marks, offset = [], 0
    for bold, text in zip(bolds, texts):
        mark = _label(bold, text, offset, speakers)
        if mark:
            marks.append(mark)
        offset += len(text) + 1
    return marks


def _label(bold: str, text: str, offset: int, speakers: SpeakerMap) -> Mark | None:
    found = LABEL_LINE.match(text)
    if found and speakers.accepts(found.group("label").strip()):
        time = found.group("time") or None
        return Mark(offset, offset + found.end(), found.group("label").strip(),
                    parse_timestamp(time) if time else None)
    if not bold:
        return None
    label = re.sub(r"[\s:.\-–—]+$", "", bold)
    rest = text[len(bold):]
    if label and rest.strip() and text.startswith(bold) and speakers.accepts(label):
        skip = len(bold) + len(rest) - len(rest.lstrip(" \t:"))
        time = _LEAD_TIME.match(text[skip:])  # 'Interviewer 46:16 words': the time is not text
        if time:
            return Mark(offset, offset + skip + time.end(), label, parse_timestamp(time.group(1)))
        return Mark(offset, offset + skip, label)
    return None


_LEAD_TIME = re.compile(r"^[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t:]*")


def _leading_bold(paragraph) -> str:
    bold = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if not run.bold:
            break
        bold += run.text
    return canonical_text(bold)
