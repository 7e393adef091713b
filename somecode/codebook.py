"""Codebooks written in YAML: a tree of codes with labels per language.

>>> codes = codes_from_dict({"codes": [{"id": "share", "label": {"en": "Share", "id": "Berbagi"},
...     "children": [{"id": "share.connect", "label": {"en": "Connect"}}]}]})
>>> [(c.id, c.parent, c.label) for c in codes]
[('share', None, 'Share'), ('share.connect', 'share', 'Connect')]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import SomecodeError, SourceReadError, ValidationError
from .model import Code

__all__ = ["load_codes", "codes_from_dict"]

_FIELDS = {"id", "label", "color", "definition", "children"}


def load_codes(path) -> list[Code]:
    """The codes of a YAML codebook file, parents before children."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceReadError(path, f"not valid YAML: {getattr(err, 'problem', err)}",
                              place=f"line {mark.line + 1}, column {mark.column + 1}" if mark else None,
                              fix="check the indentation and quoting there") from None
    except OSError as err:
        raise SourceReadError(path, f"cannot read the codebook ({err.strerror})") from None
    try:
        return codes_from_dict(data)
    except ValidationError as err:
        raise ValidationError(f"{path}: {err}") from None


def codes_from_dict(data: Mapping[str, Any]) -> list[Code]:
    """Codes from a codebook mapping with a ``codes`` list; every problem is reported at once."""
    if not isinstance(data, Mapping) or not isinstance(data.get("codes"), list):
        raise ValidationError("a codebook is a mapping with a 'codes' list")
    codes, problems = [], []
    _walk(data["codes"], None, codes, problems)
    seen = set()
    for code in codes:
        if code.id in seen:
            problems.append(f"duplicate code id {code.id!r}")
        seen.add(code.id)
    if problems:
        raise ValidationError(f"{len(problems)} problem(s) in the codebook", problems)
    return codes


def _walk(entries, parent: str | None, codes: list[Code], problems: list[str]) -> None:
    for n, entry in enumerate(entries):
        where = f"code {n + 1} under {parent!r}" if parent else f"top-level code {n + 1}"
        if not isinstance(entry, Mapping) or "id" not in entry:
            problems.append(f"{where}: every code needs an 'id'")
            continue
        labels = entry.get("label") or {}
        labels = labels if isinstance(labels, Mapping) else {"en": str(labels)}
        try:
            codes.append(Code(str(entry["id"]), parent, str(labels.get("en") or entry["id"]),
                              {str(k): str(v) for k, v in labels.items()}, entry.get("color"),
                              str(entry.get("definition") or "").strip(),
                              {k: v for k, v in entry.items() if k not in _FIELDS}))
        except SomecodeError as err:
            problems.append(f"{where}: {err}")
            continue
        _walk(entry.get("children") or [], str(entry["id"]), codes, problems)
