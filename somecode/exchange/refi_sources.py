"""Source texts and their coded selections, read from a REFI-QDA project.

A source's text comes from the archive, from the element itself, or (only when allowed) from a
file in the folder the caller named; its selections' positions are read as whole numbers
(anything else is refused, naming the element), converted from the tool's way of counting
(:mod:`somecode.exchange.offsets`) to the canonical text, and become codings.  Identical codings
(same span, code and coder) are merged, their memos joined, and the report says so.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..errors import SourceReadError
from ..model import Coding, Source, Turn
from ..sources.encoding import decode_bytes
from ..sources.units import paragraph_units
from ..text import slugify
from .offsets import CanonicalMap, Layout, quote_matches, resolve
from .refi_files import split_location
from .safexml import local

__all__ = ["source_and_selections", "codings_of", "merge_identical", "drop_contents", "values", "items",
           "guid_of", "joined"]


def items(element) -> list:
    """The children of an element that may be missing (lxml elements without children are falsy)."""
    return [] if element is None else list(element)


def guid_of(value: str | None) -> str:
    """A GUID as written anywhere (braces, any case) in the one form references are matched in.

    >>> guid_of("{0A1B2C3D-0000-0000-0000-00000000000A}")
    '0a1b2c3d-0000-0000-0000-00000000000a'
    """
    return (value or "").strip("{}").lower()


_CONTENTS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
             "TranscriptSelection", "Coding")


def drop_contents(element, why: str, report) -> None:
    """Count the selections and codings inside an element that is not carried, as dropped."""
    for inner in element.iter():
        name = local(inner)
        if inner is not element and name in _CONTENTS:
            report.read(name)
            report.dropped(name, why)


def values(element, variables) -> dict:
    """An element's VariableValues as ``{variable name: value text}`` (``variables``: GUID -> name)."""
    attrs = {}
    for value in (c for c in element if local(c) == "VariableValue"):
        ref = next((c for c in value if local(c) == "VariableRef"), None)
        name = variables.get(guid_of(ref.get("targetGUID"))) if ref is not None else None
        data = next((c.text for c in value if local(c) != "VariableRef"), None)
        if name:
            attrs[name] = data or ""
    return attrs


def _text(element, archive, external, report, path):
    content = next((c.text or "" for c in element if local(c) == "PlainTextContent"), None)
    if content is not None:
        return content.encode("utf-8")
    location = element.get("plainTextPath") or ""
    scheme, rest = split_location(location)
    if scheme == "internal":
        return archive.source(rest.lstrip("/")) if archive is not None else None
    if scheme not in ("relative", "absolute"):
        report.dropped("TextSource", f"the path scheme {scheme!r} is not one REFI-QDA defines (internal, relative, "
                                     "absolute); not opened")
        return False
    if external is None:
        report.dropped("TextSource", f"{scheme}:// sources are not opened (pass allow_external= the folder "
                                     "they are in)")
        return False
    try:
        return external.read(location, path)
    except SourceReadError as err:
        if "cannot read" not in err.problem:
            raise
        report.dropped("TextSource", f"external source not found ({err.problem})")
        return False


def source_and_selections(element, archive, external, variables, cases, meta, origin, report, path):
    """A TextSource as ``(Source, [(selection element, start, end), ...])`` with positions on the
    canonical text, or ``None`` when its text is missing or was not opened (reported)."""
    data = _text(element, archive, external, report, path)
    name = element.get("name") or guid_of(element.get("guid"))
    if data is False:
        drop_contents(element, "its source text was not opened", report)
        return None
    if not data:
        report.dropped("TextSource", "no text (missing or empty source file)")
        drop_contents(element, "its source text is missing", report)
        return None
    raw, _ = decode_bytes(data, f"{path}: source {name}")
    del data
    selections = [s for s in element if local(s) == "PlainTextSelection"]
    units = [(_position(s, "startPosition", path), _position(s, "endPosition", path)) for s in selections]
    layout = Layout(raw)
    scheme = resolve(layout, [(a, b, s.get("name") or "") for (a, b), s in zip(units, selections)], origin)
    raw_positions = scheme.positions(layout, [p for span in units for p in span])
    mapping = CanonicalMap(raw, layout)
    canonical = mapping.text
    found = mapping.positions(np.maximum(raw_positions, 0)).reshape(-1, 2)
    raw_positions = raw_positions.reshape(-1, 2)
    del layout, raw
    info = meta.get("sources", {}).get(name)
    source_guid = guid_of(element.get("guid"))
    if info:
        turns = tuple(Turn(a, b, sp, inf, ts, te, at) for a, b, sp, inf, ts, te, at in info["turns"])
        source = Source(slugify(name) if not info else name, info["kind"], canonical, info["title"],
                        info["attrs"], turns, info["encoding"], info["text_policy"])
    else:
        speakers = [inf for inf, refs in cases.values() if source_guid in refs]
        turns = paragraph_units(canonical)
        if len(speakers) == 1:
            turns = [Turn(t.start, t.end, speakers[0].name, speakers[0].id) for t in turns]
        attrs = values(element, variables)
        if speakers:
            attrs["informants"] = {i.id: {"name": i.name, **i.attrs} for i in speakers}
        description = next((c.text for c in element if local(c) == "Description"), None)
        source = Source(slugify(name), "interview" if len(speakers) == 1 else "document", canonical,
                        description or name, attrs, tuple(turns), "utf-8")
    converted = []
    report.read("PlainTextSelection", len(selections))
    for selection, (a, b), (raw_a, raw_b) in zip(selections, found.tolist(), raw_positions.tolist()):
        if raw_a < 0 or raw_b < 0:
            report.dropped("PlainTextSelection", "position outside the text or inside a character")
            continue
        converted.append((selection, a, b))
    quoted = [(s.get("name"), a, b) for s, a, b in converted if s.get("name")]
    matched = sum(1 for quote, a, b in quoted if quote_matches(canonical[a:b], quote))
    report.offsets.append((source.id, scheme.describe(), len(selections), len(quoted), matched,
                           scheme.violations))
    return source, converted


_NUMBER = re.compile(r"\s*\+?[0-9]{1,10}\s*")


def _position(element, attribute: str, path) -> int:
    """A whole-number position from ``element``, or a refusal naming the element and its line."""
    value = element.get(attribute)
    if value is None or not _NUMBER.fullmatch(value) or int(value) > 2 ** 31 - 1:
        shown = "missing" if value is None else repr(value)
        raise SourceReadError(path, f"<{local(element)} guid={element.get('guid')!r}> has {attribute} {shown}, "
                              f"not a whole number from 0 to 2,147,483,647",
                              place=f"line {element.sourceline}",
                              fix="export the project again from its tool, or correct that attribute")
    return int(value)


def codings_of(selections, source, code_ids, users, cases, notes, meta, report, used_notes) -> list[Coding]:
    """The codings of a source's selections: code, coder, memo (notes and Description, each text
    once), time, and from somecode's own note the origin, status and evidence; notes read as
    memos are added to ``used_notes``."""
    out: list[Coding] = []
    case_guids = set(cases)
    info = meta.get("codings", {})
    origin = "manual" if meta else "imported"
    counts: Counter = Counter()
    names: dict = {}  # tag -> local name
    coders: dict = {}  # user attribute as written -> coder id
    for selection, start, end in selections:
        description, codings = "", []
        for child in selection:
            tag = child.tag
            name = names.get(tag) or names.setdefault(tag, local(child))
            if name == "Coding":
                codings.append(child)
            elif name == "Description":
                description = child.text or ""
        if not codings:
            report.dropped("PlainTextSelection", "selection without a coding (an annotation)")
            continue
        if start >= end:
            report.dropped("PlainTextSelection", "zero-length selection")
            continue
        counts["selections"] += 1
        counts["codings"] += len(codings)
        for coding in codings:
            ref, refs = None, []
            for child in coding:
                tag = child.tag
                name = names.get(tag) or names.setdefault(tag, local(child))
                if name == "CodeRef":
                    ref = child
                elif name == "NoteRef":
                    refs.append(guid_of(child.get("targetGUID")))
            target = guid_of(ref.get("targetGUID")) if ref is not None else ""
            if target not in code_ids:
                why = "coding of a case, not a code" if target in case_guids else "coding of an unknown code"
                report.dropped("Coding", why)
                continue
            written = coding.get("creatingUser") or selection.get("creatingUser")
            coder = coders.get(written)
            if coder is None:
                user = users.get(guid_of(written))
                coder = coders.setdefault(written, user.id if user else "unknown")
            used_notes.update(refs)
            memo = joined([notes.get(ref, "") for ref in refs] + [description]) if refs or description else ""
            extra = info.get(guid_of(coding.get("guid")), {}) if info else {}
            created = coding.get("creationDateTime") or selection.get("creationDateTime")
            if meta and created and created.endswith("Z"):  # somecode wrote +00:00 as Z
                created = created[:-1] + "+00:00"
            out.append(Coding(source.id, start, end, code_ids[target], coder,
                              origin=extra.get("origin", origin), status=extra.get("status", "accepted"),
                              memo=memo, created=created, evidence=extra.get("evidence")))
    report.mapped("PlainTextSelection", counts["selections"])
    report.read("Coding", counts["codings"])
    report.mapped("Coding", len(out))
    return out


def joined(memos) -> str:
    """Memos from notes and a Description, each different text once (a memo is often in both)."""
    seen: list[str] = []
    for memo in memos:
        if memo and memo.strip() and memo.strip() not in (m.strip() for m in seen):
            seen.append(memo)
    return "\n\n".join(seen)


def merge_identical(codings: list[Coding], report) -> list[Coding]:
    """One coding per (source, span, code, coder): the project holds each once, so repeats are
    merged, their memos joined, and the report says so."""
    from dataclasses import replace

    kept: dict[tuple, Coding] = {}
    merged = 0
    for coding in codings:
        key = (coding.source_id, coding.start, coding.end, coding.code_id, coding.coder_id)
        first = kept.get(key)
        if first is None:
            kept[key] = coding
            continue
        merged += 1
        kept[key] = replace(first, memo=joined([first.memo, coding.memo]))
    if merged:
        report.merged("Coding", "the same span, code and coder more than once: merged into one coding, "
                                "memos joined", merged)
    return list(kept.values())
