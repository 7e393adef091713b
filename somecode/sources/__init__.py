"""Reading files into sources, dispatched on the file's suffix.

- :func:`read_source`: one file, one :class:`~somecode.model.Source` (a transcript, a document);
- :func:`read_table`: a table (``.csv``, ``.xlsx``), one source per row, as a list;
- :func:`read_sources`: every file of a folder, tables included, as a list.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ani.txt").write_text("Peneliti: Apa?\\nAni: Reels.\\n", encoding="utf-8")
>>> read_source(folder / "ani.txt")
<Source 'ani' interview, 27 chars, 2 turns>
>>> _ = (folder / "reviews.csv").write_text("text\\nBagus.\\nLambat.\\n", encoding="utf-8")
>>> read_table(folder / "reviews.csv")
[<Source 'reviews-1' document, 6 chars, 1 turns>, <Source 'reviews-2' document, 7 chars, 1 turns>]
>>> sorted(READERS)[:4]
['.csv', '.docx', '.json', '.markdown']
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import ConflictError, SomecodeError, SourceReadError, ValidationError
from ..model import Source
from .captions import parse_captions
from .docx import read_docx
from .encoding import decode_bytes
from .language import with_language
from .pdf import read_pdf
from .plaintext import parse_text
from .tables import read_csv_rows, read_xlsx_rows
from .whisper import parse_whisper_json, parse_whisper_tsv

__all__ = ["read_source", "read_table", "read_sources", "read_path", "READERS", "TABLES", "register_reader"]


def _text_reader(parse: Callable) -> Callable:
    def read(path, *, encoding: str | None = None, **options):
        text, used = decode_bytes(_read_bytes(path), path, encoding)
        return parse(text, path, encoding=used, **options)
    read.__doc__ = parse.__doc__
    return read


def _read_bytes(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise SourceReadError(path, f"cannot read the file ({err.strerror})",
                              fix="check the path and the file's permissions") from None


READERS: dict[str, Callable] = {
    ".txt": _text_reader(parse_text),
    ".md": _text_reader(parse_text),
    ".markdown": _text_reader(parse_text),
    ".vtt": _text_reader(parse_captions),
    ".srt": _text_reader(parse_captions),
    ".docx": read_docx,
    ".csv": read_csv_rows,
    ".xlsx": read_xlsx_rows,
    ".pdf": read_pdf,
    ".tsv": _text_reader(parse_whisper_tsv),
    ".json": _text_reader(parse_whisper_json),
}


TABLES = [".csv", ".xlsx"]  # suffixes whose reader gives one source per row (read_table)
TABLE_OPTIONS = ("text_column", "id_column", "sheet", "delimiter")  # given to table readers only


def register_reader(suffix: str, reader: Callable, *, table: bool = False) -> None:
    """Add or replace the reader for files ending in ``suffix`` (``".odt"``, say).  A ``table``
    reader returns a list of sources (one per row) and is used by :func:`read_table`."""
    suffix = suffix.lower()
    READERS[suffix] = reader
    if table and suffix not in TABLES:
        TABLES.append(suffix)
    elif not table and suffix in TABLES:
        TABLES.remove(suffix)


def _reader(path: Path) -> Callable:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceReadError(path, f"no reader for files ending in {path.suffix or '(nothing)'!r}",
                              fix=f"use one of {', '.join(sorted(READERS))}, or register_reader()")
    return reader


def _is_table(path: Path) -> bool:
    return path.suffix.lower() in TABLES


def read_source(path, **options) -> Source:
    """Read one file into one :class:`~somecode.model.Source`.

    The reader is chosen by the suffix (see :data:`READERS`).  ``options`` go
    to the reader: ``id``, ``kind``, ``title``, ``speakers``, ``encoding``.
    Tables (``.csv``, ``.xlsx``) hold one document per row: read them with
    :func:`read_table`, which returns a list (a :class:`ValidationError` here).
    """
    path = Path(path)
    reader = _reader(path)
    if _is_table(path):
        raise ValidationError(f"{path} is a table ({path.suffix}): one document per row, so "
                              f"read_source() cannot return one source; call somecode.read_table({str(path)!r}) "
                              "for its rows as a list, or read_sources(folder) for a folder")
    if not path.is_file():
        raise SourceReadError(path, "no such file", fix="check the path")
    found = reader(path, **options)
    if isinstance(found, list):
        raise ValidationError(f"the reader for {path.suffix} files gave {len(found)} sources, not one: "
                              f"register it with register_reader({path.suffix!r}, reader, table=True) "
                              "and call read_table()")
    return with_language(found)  # attrs["language"]: stated, else detected (sources/language.py)


def read_table(path, **options) -> list[Source]:
    """Read a table (``.csv``, ``.xlsx``) into a list of sources, one per row with text.

    ``options``: ``text_column`` (default ``text``), ``id_column`` (default:
    ``<file>-<row>``), ``sheet`` (xlsx), ``delimiter`` and ``encoding`` (csv),
    ``kind``; every other column becomes an attr of its row's source.
    """
    path = Path(path)
    reader = _reader(path)
    if not _is_table(path):
        raise ValidationError(f"{path} is not a table (read_table reads {', '.join(TABLES)}); "
                              f"call somecode.read_source({str(path)!r}) for one source")
    if not path.is_file():
        raise SourceReadError(path, "no such file", fix="check the path")
    return [with_language(source) for source in reader(path, **options)]


def read_path(path, **options) -> list[Source]:
    """Every source in ``path``, as a list: a folder (:func:`read_sources`), a table
    (:func:`read_table`) or one file (:func:`read_source`)."""
    path = Path(path)
    if path.is_dir():
        return read_sources(path, **options)
    if _is_table(path):
        return read_table(path, **options)
    return [read_source(path, **options)]


def read_sources(folder, *, pattern: str = "*", recursive: bool = False, **options) -> list[Source]:
    """Read every file with a known suffix in ``folder`` (sorted by name; hidden files skipped).

    All files are read before anything is returned: every unreadable file is
    reported by name in one :class:`ValidationError` (even when its reader fails
    with an unexpected exception), and two files giving one id raise
    :class:`ConflictError`.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceReadError(folder, "not a folder", fix="give the folder that holds the transcripts")
    files = sorted(p for p in (folder.rglob(pattern) if recursive else folder.glob(pattern))
                   if p.is_file() and p.suffix.lower() in READERS
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    sources: list[Source] = []
    problems: list[str] = []
    origin: dict[str, Path] = {}
    for path in files:
        mine = options if path.suffix.lower() in TABLES else {k: v for k, v in options.items()
                                                               if k not in TABLE_OPTIONS}
        try:
            found = read_table(path, **mine) if _is_table(path) else [read_source(path, **mine)]
        except SomecodeError as err:
            problems.append(str(err))
            continue
        except Exception as err:  # a reader's bug must not hide the other files' problems
            problems.append(f"{path}: could not be read ({type(err).__name__}: {err}); this is a bug "
                            "in somecode's reader for this kind of file, please report it with the file")
            continue
        for source in found:
            if source.id in origin:
                raise ConflictError(f"{path} and {origin[source.id]} both give the source id "
                                    f"{source.id!r}; give one of them another 'id:' in its front matter")
            origin[source.id] = path
            sources.append(source)
    if problems:
        raise ValidationError(f"{len(problems)} of {len(files)} files in {folder} could not be read",
                              problems)
    return sources
