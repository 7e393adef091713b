"""REFI-QDA codebooks (``.qdc``): export valid against the official schema, import lenient.

Export writes each code as a ``Code`` with a stable GUID (uuid5 of its id), its
label, colour and a ``Description`` holding the definition, the rules and the
examples; a last line ``[somecode id: ...]`` lets somecode restore its ids.
What the format cannot hold (labels in other languages, matching patterns) is
listed by :func:`qdc_losses`.  Import accepts what real tools write: namespace
variants, invalid files (reported as warnings), ``::`` names, codes inside a
project ``.qde``/``.qdpx``.

>>> from somecode.codebook import Codebook
>>> book = Codebook.from_dict({"codes": [{"id": "share", "label": "Share", "color": "#1F77B4",
...     "definition": "Sharing messages."}, {"id": "share.connect", "parent": "share", "label": "Connect"}]})
>>> again = parse_qdc(to_qdc(book).encode(), "x.qdc")[0]
>>> [(c.id, c.parent, c.label, c.color, c.definition) for c in again]
[('share', None, 'Share', '#1F77B4', 'Sharing messages.'), ('share.connect', 'share', 'Connect', None, '')]
"""

from __future__ import annotations

import functools
import re
import uuid
import warnings
from pathlib import Path
from typing import Any

from ..errors import SomecodeWarning, SourceReadError
from ..model import Code
from ..text import slugify
from .safexml import find_qde, local, parse_xml

__all__ = ["to_qdc", "write_qdc", "parse_qdc", "read_qdc", "codebook_from_qdpx", "qdc_losses",
           "code_guid", "CODEBOOK_NS"]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_URL = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_GUID_NS = uuid.UUID("6b0f4c1e-5a43-4b8e-9d0e-736f6d65636f")  # fixed: same code, same GUID
_MARKER = re.compile(r"^\[somecode id: ([A-Za-z0-9][A-Za-z0-9_.:\-]*)\]$")
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
_RGB = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.lru_cache(maxsize=65536)
def code_guid(code_id: str) -> str:
    """The GUID a code is exported under: the same for the same id, every time."""
    return str(uuid.uuid5(_GUID_NS, f"code:{code_id}"))


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub(" ", text)


def _description(code: Code) -> str:
    lines = [code.definition] if code.definition else []
    lines += [f"Include: {code.include}"] if code.include else []
    lines += [f"Exclude: {code.exclude}"] if code.exclude else []
    for example in code.examples:
        cite = f" ({example['source']})" if example.get("source") else ""
        lines.append(f"Example: “{example['quote']}”{cite}")
    lines.append(f"[somecode id: {code.id}]")
    return "\n".join(lines)


def unique_names(codes) -> dict[str, str]:
    """The name each code is written under, unique across the whole tree (ignoring case).

    Tools that key codes by name merge same-named codes on import (QualCoder reuses the code
    already stored under a name), so a repeated label gets its parent's label, then its id:

    >>> from somecode import Code
    >>> unique_names([Code("a", None, "Privacy"), Code("b", None, "Trust"), Code("c", "b", "privacy")])
    {'a': 'Privacy', 'b': 'Trust', 'c': 'privacy (Trust)'}
    """
    codes = list(codes)
    labels = {c.id: _clean(c.label or c.id) for c in codes}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    names, taken = {}, set()
    for code in codes:  # the first of a repeated label keeps it
        label = labels[code.id]
        name = label
        if label.casefold() in taken:
            parent = labels.get(code.parent) if code.parent else None
            name = f"{label} ({parent})" if parent else f"{label} ({code.id})"
            if name.casefold() in taken or name.casefold() in counts:
                name = f"{label} ({code.id})"
        names[code.id] = name
        taken.add(name.casefold())
    return names


def to_qdc(book, *, origin: str | None = None) -> str:
    """The codebook as ``.qdc`` XML text (UTF-8, namespace ``urn:QDA-XML:codebook:1.0``)."""
    from lxml import etree

    from .. import __version__

    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{CODEBOOK_NS} {SCHEMA_URL}")
    root.set("origin", origin or f"somecode {__version__}")
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    elements: dict[str | None, Any] = {}
    names = unique_names(book)
    for code in book:
        parent = elements.get(code.parent, codes)
        element = etree.SubElement(parent, f"{{{CODEBOOK_NS}}}Code", guid=code_guid(code.id),
                                   name=names[code.id],
                                   isCodable="false" if code.attrs.get("codable") is False else "true")
        if code.color:
            element.set("color", code.color.upper())
        etree.SubElement(element, f"{{{CODEBOOK_NS}}}Description").text = _clean(_description(code))
        elements[code.id] = element
    if not len(codes):
        raise SourceReadError("<codebook>", "an empty codebook cannot be written as .qdc "
                              "(the format needs at least one code)")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def qdc_losses(book) -> list[str]:
    """What a ``.qdc`` cannot carry for this codebook (said, never dropped silently)."""
    losses = []
    for code in book:
        others = sorted(set(code.labels) - {book.languages[0] if book.languages else "en"})
        if others:
            losses.append(f"{code.id}: labels in {', '.join(others)}")
        if code.patterns:
            losses.append(f"{code.id}: matching patterns ({', '.join(sorted(code.patterns))})")
    names = unique_names(book)
    for code in book:
        if names[code.id] != _clean(code.label or code.id):
            losses.append(f"{code.id}: written as {names[code.id]!r}, since another code has the same name")
    return losses


def write_qdc(book, path) -> list[str]:
    """Write ``path`` (atomically); return what the format could not carry (see :func:`qdc_losses`)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(to_qdc(book), encoding="utf-8")
    partial.replace(path)
    return qdc_losses(book)


def read_qdc(path, *, split_names: str | None = None, language: str = "en"):
    """Read a ``.qdc`` file into a :class:`~somecode.codebook.Codebook`; departures from the
    schema are warnings, not errors."""
    data = _read(path)
    book, problems = parse_qdc(data, path, split_names=split_names, language=language)
    for problem in problems:
        warnings.warn(problem, SomecodeWarning, stacklevel=2)
    return book


def codebook_from_qdpx(path, *, split_names: str | None = None, language: str = "en"):
    """The code tree inside a project exchange file (``.qdpx``, or a bare ``.qde``)."""
    data = _read(path) if str(path).lower().endswith(".qde") else find_qde(path)
    book, problems = parse_qdc(data, path, split_names=split_names, language=language)
    for problem in problems:
        warnings.warn(problem, SomecodeWarning, stacklevel=2)
    return book


def _read(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise SourceReadError(path, f"cannot read the file ({err.strerror})") from None


def parse_qdc(data: bytes, path="<qdc>", *, split_names: str | None = None, language: str = "en"):
    """``(Codebook, problems)`` from ``.qdc`` bytes, or from a project ``.qde``'s ``CodeBook``."""
    from ..codebook import Codebook

    root = parse_xml(data, path)
    if local(root) == "Project":
        root = next((c for c in root if local(c) == "CodeBook"), None)
        if root is None:
            return Codebook([], name=Path(str(path)).stem, languages=[language]), []
    if local(root) != "CodeBook":
        raise SourceReadError(path, f"the root element is <{local(root)}>, not <CodeBook>",
                              place="line 1", fix="give a REFI-QDA codebook (.qdc) or project file")
    codes, problems = codes_from_element(root, path, split_names=split_names, language=language)
    return Codebook(codes, name=Path(str(path)).stem, title=root.get("origin") or "",
                    languages=[language]), problems


def codes_from_element(root, path, *, split_names=None, language="en") -> tuple[list[Code], list[str]]:
    """The codes under a ``CodeBook`` element (of a .qdc or a project), and the problems seen."""
    problems: list[str] = []
    containers = [c for c in root if local(c) == "Codes"]
    if not containers or not len(containers[0]):
        problems.append(f"{path}: no codes (the schema needs at least one Code in Codes)")
    _check_sets(root, path, problems)
    codes: list[Code] = []
    for container in containers:
        for element in container:
            if local(element) == "Code":
                _read_code(element, None, codes, problems, path, split_names, language)
    return codes, problems


def _check_sets(root, path, problems) -> None:
    for sets in (c for c in root if local(c) == "Sets"):
        if not len(sets):
            problems.append(f"{path}, line {sets.sourceline}: empty <Sets/> (the schema needs at least "
                            "one Set); ignored")
        for member in sets.iter():
            if local(member) == "MemberCode" and not (member.get("guid") or member.get("targetGUID")):
                problems.append(f"{path}, line {member.sourceline}: MemberCode without guid")
        for group in (s for s in sets if local(s) == "Set"):
            members = sum(1 for m in group if local(m) == "MemberCode")
            problems.append(f"{path}, line {group.sourceline}: code group {group.get('name')!r} ({members} "
                            "codes) is not carried: a codebook here is one tree, without groups beside it "
                            "(the codes themselves are read)")


def _read_code(element, parent, codes, problems, path, split_names, language) -> None:
    where = f"{path}, line {element.sourceline}"
    name = (element.get("name") or "").strip()
    guid = element.get("guid") or ""
    if not name:
        problems.append(f"{where}: Code without a name; called '(unnamed)'")
        name = "(unnamed)"
    if not _GUID.match(guid):
        problems.append(f"{where}: Code {name!r} has no valid guid ({guid!r})")
    codable = element.get("isCodable")
    if codable not in ("true", "false", "1", "0"):
        problems.append(f"{where}: Code {name!r} has isCodable={codable!r}, not a boolean")
    color = _color(element.get("color"), where, name, problems)
    description = next((c.text or "" for c in element if local(c) == "Description"), "")
    fields = _parse_description(description)
    parent_id = parent
    if split_names and split_names in name:
        *groups, name = [part.strip() for part in name.split(split_names)]
        for group in groups:
            parent_id = _ensure_group(codes, parent_id, group, language)
    code_id = fields.pop("id", None) or _unique(codes, parent_id, name)
    codes.append(Code(code_id, parent_id, name, {language: name}, color, attrs={
        **({"codable": False} if codable in ("false", "0") else {}), **({"guid": guid} if guid else {})},
        **fields))
    for child in element:
        if local(child) == "Code":
            _read_code(child, code_id, codes, problems, path, split_names, language)


def _color(value, where, name, problems) -> str | None:
    if not value:
        return None
    if not _RGB.match(value):
        problems.append(f"{where}: Code {name!r} has colour {value!r}, not #RRGGBB; dropped")
        return None
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.upper()


def _parse_description(text: str) -> dict:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    fields: dict = {"definition": [], "examples": []}
    for line in lines:
        marker = _MARKER.match(line)
        if marker:
            fields["id"] = marker.group(1)
        elif line.startswith("Include: "):
            fields["include"] = line[9:]
        elif line.startswith("Exclude: "):
            fields["exclude"] = line[9:]
        elif line.startswith("Example: "):
            found = re.match(r"Example: “(.*)”(?: \((.*)\))?$", line)
            if found:
                example = {"quote": found.group(1)}
                if found.group(2):
                    example["source"] = found.group(2)
                fields["examples"].append(example)
        else:
            fields["definition"].append(line)
    fields["definition"] = " ".join(fields["definition"])
    fields["examples"] = tuple(fields["examples"])
    return fields


def _slug(name: str) -> str:
    return slugify(name).replace("-", "_")


def _unique(codes, parent_id, name) -> str:
    base = f"{parent_id}.{_slug(name)}" if parent_id else _slug(name)
    taken = {c.id for c in codes}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _ensure_group(codes, parent_id, group: str, language: str) -> str:
    for code in codes:
        if code.parent == parent_id and code.label == group:
            return code.id
    code_id = _unique(codes, parent_id, group)
    codes.append(Code(code_id, parent_id, group, {language: group}, attrs={"codable": False}))
    return code_id
