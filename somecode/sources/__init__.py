"""Reading files into sources: one entry point that dispatches on the file's suffix.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ani.txt").write_text("Peneliti: Apa?\\nAni: Reels.\\n", encoding="utf-8")
>>> read_source(folder / "ani.txt")
<Source 'ani' interview, 27 chars, 2 turns>
>>> sorted(READERS)[:4]
['.csv', '.docx', '.markdown', '.md']
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import ConflictError, SomecodeError, SourceReadError, ValidationError
from ..model import Source
from .captions import parse_captions
from .docx import read_docx
from .encoding import decode_bytes
from .pdf import read_pdf
from .tables import read_csv_rows, read_xlsx_rows
from .transcript import parse_transcript

__all__ = ["read_source", "read_sources", "READERS", "register_reader"]


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
    ".txt": _text_reader(parse_transcript),
    ".md": _text_reader(parse_transcript),
    ".markdown": _text_reader(parse_transcript),
    ".vtt": _text_reader(parse_captions),
    ".srt": _text_reader(parse_captions),
    ".docx": read_docx,
    ".csv": read_csv_rows,
    ".xlsx": read_xlsx_rows,
    ".pdf": read_pdf,
}


TABLES = (".csv", ".xlsx")
TABLE_OPTIONS = ("text_column", "id_column", "sheet", "delimiter")  # given to table readers only


def register_reader(suffix: str, reader: Callable) -> None:
    """Add or replace the reader for files ending in ``suffix`` (``".odt"``, say)."""
    READERS[suffix.lower()] = reader


def read_source(path, **options) -> Source | list[Source]:
    """Read one file into a :class:`~somecode.model.Source`.

    The reader is chosen by the suffix (see :data:`READERS`).  Tables
    (``.csv``, ``.xlsx``) hold one document per row and return a list.
    ``options`` go to the reader: ``id``, ``kind``, ``title``, ``speakers``,
    ``encoding`` for text files; ``text_column``, ``id_column``, ``sheet`` for tables.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceReadError(path, f"no reader for files ending in {path.suffix or '(nothing)'!r}",
                              fix=f"use one of {', '.join(sorted(READERS))}, or register_reader()")
    if not path.is_file():
        raise SourceReadError(path, "no such file", fix="check the path")
    return reader(path, **options)


def read_sources(folder, *, pattern: str = "*", recursive: bool = False, **options) -> list[Source]:
    """Read every file with a known suffix in ``folder`` (sorted by name; hidden files skipped).

    All files are read before anything is returned: every unreadable file is
    reported in one :class:`ValidationError`, and two files giving one id raise
    :class:`ConflictError`.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceReadError(folder, "not a folder", fix="give the folder that holds the transcripts")
    files = sorted(p for p in (folder.rglob(pattern) if recursive else folder.glob(pattern))
                   if p.is_file() and p.suffix.lower() in READERS
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    sources, problems, origin = [], [], {}
    for path in files:
        mine = options if path.suffix.lower() in TABLES else {k: v for k, v in options.items()
                                                               if k not in TABLE_OPTIONS}
        try:
            found = read_source(path, **mine)
        except SomecodeError as err:
            problems.append(str(err))
            continue
        for source in found if isinstance(found, list) else [found]:
            if source.id in origin:
                raise ConflictError(f"{path} and {origin[source.id]} both give the source id "
                                    f"{source.id!r}; give one of them another 'id:' in its front matter")
            origin[source.id] = path
            sources.append(source)
    if problems:
        raise ValidationError(f"{len(problems)} of {len(files)} files in {folder} could not be read",
                              problems)
    return sources
