"""The mapping between records and rows: one JSON encoder, and codings as named fields.

>>> to_json({"b": 1, "a": "é"})
'{"a": "é", "b": 1}'
>>> coding_from_mapping({"source_id": "d", "start": 0, "end": 4, "code_id": "share",
...                      "coder_id": "nida", "evidence": None}).span
(0, 4)
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import ProjectError
from ..model import Coding
from .schema import LEGACY_CODING_COLUMNS

__all__ = ["to_json", "from_json", "CODING_COLUMNS", "CODING_SELECT", "coding_from_row", "stored_id",
           "coding_to_mapping", "coding_from_mapping"]

# the columns of ``codings`` a Coding is made from, in the order of CODING_SELECT
CODING_COLUMNS = ("id", "source_id", "start", "end", "code_id", "coder_id", "origin", "status", "memo",
                  "created", "text_hash", "evidence")
CODING_SELECT = ", ".join(f'"{c}"' for c in CODING_COLUMNS)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # made once: json.dumps with options makes one a call


def to_json(value: Any) -> str:
    """The one JSON form of everything the store keeps: keys sorted, text as written."""
    return _ENCODER.encode(value)


def from_json(text: str | None) -> Any:
    if text == "{}":  # most attrs: no parse
        return {}
    return None if text is None else json.loads(text)


def coding_from_row(row: tuple) -> Coding:
    """A Coding from a row selected with :data:`CODING_SELECT`."""
    return coding_from_mapping(dict(zip(CODING_COLUMNS, row)), evidence_is_json=True)


def stored_id(coding: Coding) -> int:
    """The id of a coding read from the store (one without an id was never stored)."""
    if coding.id is None:
        raise ProjectError(f"coding {coding.source_id} [{coding.start}, {coding.end}) {coding.code_id} is not "
                           "stored: it has no id")
    return coding.id


def coding_to_mapping(coding: Coding) -> dict[str, Any]:
    """Every field of a stored coding by name (what the log and the orphans keep)."""
    return {"id": coding.id, "source_id": coding.source_id, "start": coding.start, "end": coding.end,
            "code_id": coding.code_id, "coder_id": coding.coder_id, "origin": coding.origin,
            "status": coding.status, "memo": coding.memo, "created": coding.created,
            "text_hash": coding.text_hash,
            "evidence": None if coding.evidence is None else dict(coding.evidence)}


def coding_from_mapping(fields: Mapping[str, Any] | list, *, evidence_is_json: bool = False) -> Coding:
    """A Coding from named fields (or from a list written by an older somecode, read by name)."""
    if isinstance(fields, list):
        fields, evidence_is_json = dict(zip(LEGACY_CODING_COLUMNS, fields)), True
    evidence = fields.get("evidence")
    if evidence_is_json and isinstance(evidence, str):
        evidence = json.loads(evidence)
    return Coding(fields["source_id"], fields["start"], fields["end"], fields["code_id"], fields["coder_id"],
                  fields.get("origin", "manual"), fields.get("status", "accepted"), fields.get("memo", ""),
                  fields.get("created"), fields.get("text_hash"), evidence, fields.get("id"))
