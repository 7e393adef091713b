"""What each file would give before it is added to a project: layout, encoding, language,
speakers with their turns and roles, the first turn, anything dropped or doubtful.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_text("Interviewer: Sejak kapan?\\nAni: Sejak 2019.\\n", encoding="utf-8")
>>> row = inspect([path]).iloc[0]
>>> row["format"], row["speakers"]
('labels', 'Interviewer 1 (interviewer); Ani 1 (informant)')
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import Any

from ..errors import SomecodeError

__all__ = ["inspect", "COLUMNS"]

COLUMNS = ["file", "format", "encoding", "language", "kind", "turns", "speakers", "first_turn", "notes"]


def _language(source) -> Any:
    """The language column: what the language hook stored, else its detector if it exists, else None."""
    if source.attrs.get("language"):
        return source.attrs["language"]
    try:
        module = importlib.import_module("somecode.sources.language")
    except ImportError:
        return None
    detect = getattr(module, "detect", None) or getattr(module, "detect_language", None)
    if detect is None:
        return None
    found = detect(source.text)
    return getattr(found, "language", found)


def _row(path: Path, options: dict) -> dict[str, Any]:
    from . import read_source

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = read_source(path, **options)
        except SomecodeError as err:
            return {"file": str(path), "notes": f"cannot be read: {err}"}
    reading = source.attrs.get("reading") or {}
    roles = reading.get("roles") or {}
    speakers = "; ".join(f"{label} {n} ({roles.get(label, '?')})"
                         for label, n in (reading.get("speakers") or {}).items())
    first = next((t for t in source.turns if t.speaker), source.turns[0] if source.turns else None)
    first_turn = ""
    if first is not None:
        words = " ".join(source.slice(first).split())
        first_turn = (f"{first.speaker}: " if first.speaker else "") + (words[:60] + "…" if len(words) > 60 else words)
    notes = [f"dropped: {', '.join(reading['dropped'])}"] if reading.get("dropped") else []
    notes += [f"doubtful: {d}" for d in reading.get("doubtful", [])]
    notes += [str(w.message) for w in caught]
    if source.kind == "document":
        notes.append("no speaker labels found: read as a document")
    return {"file": str(path), "format": reading.get("format", "document"), "encoding": source.encoding,
            "language": _language(source), "kind": source.kind, "turns": len(source.turns),
            "speakers": speakers, "first_turn": first_turn, "notes": "; ".join(notes)}


def inspect(paths, **options):
    """One row per file (folders: their files with a known suffix), as a DataFrame with
    :data:`COLUMNS`; nothing is added to any project.  ``options`` go to the readers
    (``speakers``, ``roles``, ``interviewers``, ``encoding``); a file that cannot be read
    gets a row whose ``notes`` say why."""
    import pandas as pd

    from . import READERS, TABLES

    files: list[Path] = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in READERS
                            and p.suffix.lower() not in TABLES and not p.name.startswith("."))
        else:
            files.append(path)
    return pd.DataFrame([_row(f, options) for f in files], columns=COLUMNS)
