"""The codebook: a validated tree of codes, loaded from and saved to YAML.

>>> book = Codebook.from_dict({"languages": ["en", "id"], "codes": [
...     {"id": "share", "label": {"en": "Share", "id": "Berbagi"}},
...     {"id": "share.connect", "parent": "share", "label": {"en": "Connect", "id": "Terhubung"}}]})
>>> [c.id for c in book], book.depth("share.connect"), book.find("terhubung").id
(['share', 'share.connect'], 1, 'share.connect')
>>> book.ancestors("share.connect"), book.descendants("share")
(['share'], ['share.connect'])
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import yaml

from ..errors import NotFoundError, ValidationError
from ..model import Code, tree_order
from ..sources.yamlsafe import read_yaml_text
from .parse import codes_from_mapping, read_yaml

__all__ = ["Codebook"]


class Codebook:
    """Codes in codebook order (each parent before its children), with tree look-ups."""

    def __init__(self, codes: Iterable[Code], *, name: str = "", title: str = "",
                 languages: Iterable[str] = ("en",), description: str = "", path=None,
                 levels: Iterable[str] = ()):
        self.name, self.title, self.description = name, title, description
        self.languages = list(languages)
        self.levels = list(levels)  # what the depths are called, top first ("stage"...); [] when unnamed
        self.path = None if path is None else Path(path)
        codes = list(codes)
        ordered = tree_order(codes)
        self._codes = {c.id: c for c in ordered}
        if len(self._codes) != len(codes):
            lost = sorted({c.id for c in codes} - {c.id for c in ordered}) or "duplicates"
            raise ValidationError(f"codes repeated or not reachable from a top-level code (a cycle?): {lost}")

    # ------------------------------------------------------------ load, save
    @classmethod
    def load(cls, path) -> "Codebook":
        """Read and validate a YAML codebook; every problem is reported with its line and column."""
        path = Path(path)
        data, duplicates = read_yaml(read_yaml_text(path, what="codebook"), path)
        try:
            header, codes = codes_from_mapping(data, path)
        except ValidationError as err:
            raise ValidationError(f"{path}: {len(duplicates) + len(err.problems)} problem(s) in the "
                                  "codebook", duplicates + err.problems) from None
        if duplicates:
            raise ValidationError(f"{path}: {len(duplicates)} problem(s) in the codebook", duplicates)
        return cls._from_header(header, codes, path)

    @classmethod
    def from_dict(cls, data: Mapping, path="<dict>") -> "Codebook":
        """A codebook from the same structure the YAML file holds."""
        header, codes = codes_from_mapping(data, path)
        return cls._from_header(header, codes, None)

    @classmethod
    def _from_header(cls, header: dict, codes, path) -> "Codebook":
        return cls(codes, name=str(header.get("codebook") or ""), title=str(header.get("title") or ""),
                   languages=header["languages"], description=str(header.get("description") or ""),
                   path=path, levels=header.get("levels") or ())

    def to_dict(self) -> dict:
        """The codebook as plain data, in the canonical flat form :meth:`save` writes."""
        head = {"codebook": self.name, "title": self.title, "description": self.description,
                "languages": self.languages, "levels": self.levels}
        data: dict[str, Any] = {k: v for k, v in head.items() if v}
        data["codes"] = [_code_dict(c) for c in self]
        return data

    def save(self, path) -> Path:
        """Write the codebook as YAML (atomically: a failed write leaves the old file)."""
        path = Path(path)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False,
                                          width=100), encoding="utf-8")
        os.replace(partial, path)
        return path

    def content_hash(self) -> str:
        """A fingerprint of the content (not of comments or layout)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    # ------------------------------------------------------------------ tree
    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code_id) -> bool:
        return code_id in self._codes

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._codes[code_id]
        except KeyError:
            raise NotFoundError(f"no code {code_id!r} in the codebook") from None

    def __eq__(self, other) -> bool:
        return isinstance(other, Codebook) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"<Codebook {self.name or '(unnamed)'}: {len(self)} codes, {len(self.roots())} top-level>"

    def _repr_html_(self) -> str:
        from .render import codebook_html

        return codebook_html(self)

    @property
    def ids(self) -> list[str]:
        return list(self._codes)

    def find(self, label: str) -> Code:
        """The code with this id or label (in any language, case-insensitive)."""
        if label in self._codes:
            return self._codes[label]
        wanted = label.casefold()
        for code in self:
            if wanted in {code.label.casefold(), *(v.casefold() for v in code.labels.values())}:
                return code
        raise NotFoundError(f"no code with id or label {label!r} in the codebook")

    def roots(self) -> list[Code]:
        return [c for c in self if c.parent is None]

    def children(self, code_id: str) -> list[Code]:
        return [c for c in self if c.parent == self[code_id].id]

    def ancestors(self, code_id: str) -> list[str]:
        """Ids from the root down to the parent of ``code_id``."""
        chain: list[str] = []
        parent = self[code_id].parent
        while parent is not None:
            chain.insert(0, parent)
            parent = self[parent].parent
        return chain

    def descendants(self, code_id: str) -> list[str]:
        """Ids of every code below ``code_id``, in codebook order."""
        found, frontier = [], {self[code_id].id}
        for code in self:
            if code.parent in frontier:
                found.append(code.id)
                frontier.add(code.id)
        return found

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def to_frame(self):
        """One row per code: id, parent, depth, stage, labels, colour, definition, rules, examples."""
        import pandas as pd

        rows = []
        for code in self:
            row = {"id": code.id, "parent": code.parent, "depth": self.depth(code.id),
                   "stage": (self.ancestors(code.id) or [code.id])[0]}
            row.update({f"label_{lang}": code.labels.get(lang, "") for lang in self.languages})
            row.update({"color": code.color, "definition": code.definition, "include": code.include,
                        "exclude": code.exclude, "examples": len(code.examples),
                        "pattern_languages": ", ".join(sorted(code.patterns))})
            rows.append(row)
        return pd.DataFrame(rows).set_index("id")


def _code_dict(code: Code) -> dict:
    data = {"id": code.id, "parent": code.parent, "label": dict(code.labels) or code.label,
            "color": code.color, "definition": code.definition, "include": code.include,
            "exclude": code.exclude, "examples": [dict(e) for e in code.examples],
            "patterns": {k: dict(v) for k, v in code.patterns.items()}, "attrs": dict(code.attrs)}
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}
