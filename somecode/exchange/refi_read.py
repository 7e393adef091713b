"""Reading REFI-QDA project files (``.qdpx``, or a bare ``.qde``) from any tool into a new project.

Lenient on input, strict about safety: the archive is checked before anything is read (names,
member count, sizes, compression ratios, bytes counted while inflating); the XML parser refuses
DTDs and entities and never touches the network; ``relative://`` and ``absolute://`` sources are
opened only with ``allow_external=True``.  Positions are resolved per source
(:mod:`somecode.exchange.offsets`).  The result is a new project and a fidelity report: for each
kind of element, how many were read, mapped and dropped, and why.  A failed import leaves no
project file behind.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import SourceReadError
from ..model import Coder, Coding, Informant, Source, Turn
from ..sources.encoding import decode_bytes
from ..sources.units import paragraph_units
from ..text import slugify
from .offsets import resolve, to_canonical
from .qdc import codes_from_element
from .refi_write import METADATA_NOTE
from .safexml import Limits, local, open_archive, parse_xml, read_zip_member

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["read_qdpx", "parse_qde"]

_SKIPPED = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


def _items(element) -> list:
    """The children of an element that may be missing (lxml elements without children are falsy)."""
    return [] if element is None else list(element)


def _guid(value: str | None) -> str:
    return (value or "").strip("{}").lower()


@dataclass
class _Report:
    rows: dict = field(default_factory=lambda: defaultdict(lambda: {"read": 0, "mapped": 0, "dropped": 0,
                                                                     "why": set()}))
    offsets: list = field(default_factory=list)

    def read(self, element, n=1):
        self.rows[element]["read"] += n

    def mapped(self, element, n=1):
        self.rows[element]["mapped"] += n

    def dropped(self, element, why, n=1):
        self.rows[element]["dropped"] += n
        self.rows[element]["why"].add(why)

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([{"element": k, **{**v, "why": "; ".join(sorted(v["why"]))}}
                              for k, v in self.rows.items()], columns=["element", "read", "mapped", "dropped", "why"])
        frame.attrs["offsets"] = pd.DataFrame(self.offsets, columns=["source", "scheme", "selections",
                                                                     "quotes_matched", "violations"])
        return frame


class _Archive:
    """Where a project's files come from: a zip (members by lower-case name) or nothing (bare .qde)."""

    def __init__(self, path, limits):
        self.path, self.limits = Path(path), limits
        self.zip, self.members = (None, {})
        if self.path.suffix.lower() != ".qde":
            self.zip, self.members = open_archive(self.path, limits)

    def qde(self) -> bytes:
        if self.zip is None:
            data = self.path.read_bytes()
            if len(data) > self.limits.member_bytes:
                raise SourceReadError(self.path, "the .qde file is over the size limit")
            return data
        roots = [i for k, i in self.members.items() if "/" not in k and k.endswith(".qde")]
        if len(roots) != 1:
            raise SourceReadError(self.path, f"expected one .qde file at the root, found {len(roots)}",
                                  place="the zip container", fix="export the project again")
        return read_zip_member(self.zip, roots[0], self.path, limit=self.limits.member_bytes)

    def source(self, name: str) -> bytes | None:
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise SourceReadError(self.path, f"source file name {name!r} is not a bare file name",
                                  fix="do not open this file")
        info = self.members.get(f"sources/{name.lower()}")
        return None if info is None else read_zip_member(self.zip, info, self.path, limit=self.limits.member_bytes)

    def close(self):
        if self.zip is not None:
            self.zip.close()


def read_qdpx(path, project_path=None, *, allow_external: bool = False, split_names: str | None = None,
              limits: Limits | None = None):
    """Import ``path`` into a new project at ``project_path`` (default: beside it, ``.somecode``).

    Returns ``(project, report)``; ``report.attrs["offsets"]`` says, per source, how positions
    were counted.
    """
    from ..project import Project

    path = Path(path)
    target = Path(project_path) if project_path else path.with_suffix(".somecode")
    archive = _Archive(path, limits or Limits())
    try:
        parsed = parse_qde(archive.qde(), path, archive=archive, allow_external=allow_external,
                           split_names=split_names)
    finally:
        archive.close()
    # built beside the target and renamed into place when complete: a failed or killed import leaves no project
    project = Project.create(target, fill=lambda new: _store(new, parsed))
    return project, parsed["report"].frame()


def _metadata(text: str, path) -> dict:
    """somecode's own metadata note (exact round trips), or a refusal naming the damage."""
    try:
        meta = json.loads(text)
    except ValueError as err:
        raise SourceReadError(path, f"somecode's metadata note is damaged ({err})", place="the metadata note",
                              fix="export the project again, or delete that note to import without it") from None
    if not isinstance(meta, dict):
        raise SourceReadError(path, "somecode's metadata note is not a mapping", place="the metadata note",
                              fix="export the project again, or delete that note to import without it")
    return meta


def parse_qde(data: bytes, path="<qde>", *, archive=None, allow_external=False, split_names=None) -> dict:
    """Everything a project file holds that somecode can carry, plus the report (no zip needed)."""
    root = parse_xml(data, path)
    if local(root) != "Project":
        raise SourceReadError(path, f"the root element is <{local(root)}>, not <Project>", place="line 1",
                              fix="give a REFI-QDA project file (.qdpx or .qde)")
    report = _Report()
    children = {local(c): c for c in root}
    notes = _notes(children.get("Notes"), archive, report)
    meta = _metadata(notes.pop(_meta_guid(children.get("Notes")), "{}") or "{}", path)
    users = _users(children.get("Users"), meta, report)
    codes, code_ids = _codes(children.get("CodeBook"), path, split_names, meta, report)
    variables = {_guid(v.get("guid")): v.get("name") for v in _items(children.get("Variables"))}
    cases = _cases(children.get("Cases"), variables, meta, report)
    sources: list[Source] = []
    codings: list[Coding] = []
    used_notes: set[str] = set()
    origin = root.get("origin") or ""
    for element in _items(children.get("Sources")):
        kind = local(element)
        if kind in _SKIPPED:
            report.read(kind)
            report.dropped(kind, "only text sources are carried")
            _drop_contents(element, f"inside a {kind}, which is not carried", report)
            continue
        if kind != "TextSource":
            continue
        report.read("TextSource")
        found = _source(element, archive, allow_external, variables, cases, meta, origin, report, path)
        if found is None:
            continue
        source, selections = found
        sources.append(source)
        report.mapped("TextSource")
        codings += _codings(selections, source, code_ids, users, cases, notes, meta, report, used_notes)
    memo_notes = len(used_notes & set(notes))
    if meta:  # somecode's own summary and proposition notes are restored from its metadata
        memo_notes += sum(1 for g, name in _note_names(children.get("Notes")).items()
                          if g in notes and g not in used_notes and name.startswith(("summary: ", "proposition: ")))
    if memo_notes or meta:
        report.mapped("Note", memo_notes + (1 if meta else 0))
    if len(notes) - memo_notes:
        report.dropped("Note", "notes other than coding memos are not carried", len(notes) - memo_notes)
    for kind in ("Links", "Sets", "Graphs"):
        if kind in children:
            report.read(kind, len(children[kind]))
            report.dropped(kind, f"{kind.lower()} are not carried", len(children[kind]))
    return {"users": users, "codes": codes, "cases": cases, "sources": sources, "codings": codings,
            "report": report, "meta": meta}


_CONTENTS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
             "TranscriptSelection", "Coding")


def _drop_contents(element, why: str, report) -> None:
    """Count the selections and codings inside an element that is not carried, as dropped."""
    for inner in element.iter():
        name = local(inner)
        if inner is not element and name in _CONTENTS:
            report.read(name)
            report.dropped(name, why)


def _note_names(notes) -> dict:
    return {_guid(note.get("guid")): note.get("name") or "" for note in _items(notes)}


def _meta_guid(notes) -> str | None:
    for note in _items(notes):
        if note.get("name") == METADATA_NOTE:
            return _guid(note.get("guid"))
    return None


def _notes(holder, archive, report) -> dict:
    out = {}
    for note in _items(holder):
        report.read("Note")
        content = next((c.text or "" for c in note if local(c) == "PlainTextContent"), None)
        if content is None and note.get("plainTextPath") and archive is not None:
            name = note.get("plainTextPath").split("://", 1)[-1]
            data = archive.source(name)
            content = decode_bytes(data, name)[0] if data else None
        out[_guid(note.get("guid"))] = content or ""
    return out


def _users(holder, meta, report) -> dict:
    users, taken = {}, set()
    for user in _items(holder):
        report.read("User")
        wanted = user.get("id") if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*", user.get("id") or "") else None
        base = wanted or slugify(user.get("name") or "") or f"user-{_guid(user.get('guid'))[:8]}"
        coder_id, n = base, 2
        while coder_id in taken:
            coder_id, n = f"{base}-{n}", n + 1
        taken.add(coder_id)
        info = meta.get("coders", {}).get(coder_id, {})
        users[_guid(user.get("guid"))] = Coder(coder_id, info.get("name", user.get("name") or coder_id),
                                               info.get("kind", "human"))
        report.mapped("User")
    return users


def _codes(codebook, path, split_names, meta, report):
    if codebook is None:
        return [], {}
    codes, problems = codes_from_element(codebook, path, split_names=split_names)
    report.read("Code", sum(1 for c in codes if "guid" in c.attrs))
    extra = meta.get("codes", {})
    restored, ids = [], {}
    from dataclasses import replace

    for code in codes:
        if "guid" in code.attrs:
            ids[_guid(code.attrs["guid"])] = code.id
            report.mapped("Code")
        if code.id in extra:
            info = extra[code.id]
            code = replace(code, label=info.get("label", code.label), labels=info.get("labels", code.labels),
                           patterns=info.get("patterns", {}), attrs=info.get("attrs", {}))
        restored.append(code)
    for problem in problems:
        report.rows["Code"]["why"].add(problem.split(": ", 1)[-1])
    return restored, ids


def _values(element, variables) -> dict:
    attrs = {}
    for value in (c for c in element if local(c) == "VariableValue"):
        ref = next((c for c in value if local(c) == "VariableRef"), None)
        name = variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
        data = next((c.text for c in value if local(c) != "VariableRef"), None)
        if name:
            attrs[name] = data or ""
    return attrs


def _cases(holder, variables, meta, report) -> dict:
    cases = {}
    known = meta.get("informants", {})
    for case in _items(holder):
        report.read("Case")
        name = case.get("name") or ""
        informant_id = next((i for i, info in known.items() if info.get("name") == name), None) \
            or slugify(name) if name else f"case-{_guid(case.get('guid'))[:8]}"
        attrs = known.get(informant_id, {}).get("attrs") or _values(case, variables)
        sources = [_guid(c.get("targetGUID")) for c in case if local(c) == "SourceRef"]
        cases[_guid(case.get("guid"))] = (Informant(informant_id, name or informant_id, attrs), sources)
        report.mapped("Case")
    return cases


def _text(element, archive, allow_external, report, path):
    content = next((c.text or "" for c in element if local(c) == "PlainTextContent"), None)
    if content is not None:
        return content.encode("utf-8")
    location = element.get("plainTextPath") or ""
    scheme, _, rest = location.partition("://") if "://" in location else ("internal", "", location)
    if scheme == "internal":
        return archive.source(rest) if archive is not None else None
    if not allow_external:
        report.dropped("TextSource", f"{scheme}:// sources are not opened (pass allow_external=True)")
        return False
    target = Path(rest.lstrip("/") if scheme == "relative" else rest)
    if scheme == "relative":
        target = Path(path).parent / target
    try:
        return target.read_bytes()
    except OSError as err:
        report.dropped("TextSource", f"external source not found ({err.strerror})")
        return False


def _source(element, archive, allow_external, variables, cases, meta, origin, report, path):
    data = _text(element, archive, allow_external, report, path)
    name = element.get("name") or _guid(element.get("guid"))
    if data is False:
        _drop_contents(element, "its source text was not opened", report)
        return None
    if not data:
        report.dropped("TextSource", "no text (missing or empty source file)")
        _drop_contents(element, "its source text is missing", report)
        return None
    raw, _ = decode_bytes(data, f"{path}: source {name}")
    selections = [s for s in element if local(s) == "PlainTextSelection"]
    scheme = resolve(raw, [(int(s.get("startPosition", 0)), int(s.get("endPosition", 0)), s.get("name") or "")
                           for s in selections], origin)
    canonical, positions = to_canonical(raw)
    info = meta.get("sources", {}).get(name)
    source_guid = _guid(element.get("guid"))
    if info:
        turns = tuple(Turn(a, b, sp, inf, ts, te, at) for a, b, sp, inf, ts, te, at in info["turns"])
        source = Source(slugify(name) if not info else name, info["kind"], canonical, info["title"],
                        info["attrs"], turns, info["encoding"], info["text_policy"])
    else:
        speakers = [inf for inf, refs in cases.values() if source_guid in refs]
        turns = paragraph_units(canonical)
        if len(speakers) == 1:
            turns = [Turn(t.start, t.end, speakers[0].name, speakers[0].id) for t in turns]
        attrs = _values(element, variables)
        if speakers:
            attrs["informants"] = {i.id: {"name": i.name, **i.attrs} for i in speakers}
        description = next((c.text for c in element if local(c) == "Description"), None)
        source = Source(slugify(name), "interview" if len(speakers) == 1 else "document", canonical,
                        description or name, attrs, tuple(turns), "utf-8")
    converted = []
    for selection in selections:
        report.read("PlainTextSelection")
        start, end = int(selection.get("startPosition", 0)), int(selection.get("endPosition", 0))
        try:
            (a, b), = scheme.convert(raw, [(start, end)])
        except ValueError:
            report.dropped("PlainTextSelection", "position outside the text or inside a character")
            continue
        converted.append((selection, positions[a], positions[b]))
    matched = sum(1 for s, a, b in converted if s.get("name") and
                  " ".join(canonical[a:b].split()) == " ".join(s.get("name").split()))
    report.offsets.append((source.id, scheme.describe(), len(selections), matched, scheme.violations))
    return source, converted


def _codings(selections, source, code_ids, users, cases, notes, meta, report, used_notes) -> list[Coding]:
    out = []
    case_guids = set(cases)
    info = meta.get("codings", {})
    for selection, start, end in selections:
        codings = [c for c in selection if local(c) == "Coding"]
        if not codings:
            report.dropped("PlainTextSelection", "selection without a coding (an annotation)")
            continue
        if start >= end:
            report.dropped("PlainTextSelection", "zero-length selection")
            continue
        report.mapped("PlainTextSelection")
        description = next((c.text or "" for c in selection if local(c) == "Description"), "")
        for coding in codings:
            report.read("Coding")
            ref = next((c for c in coding if local(c) == "CodeRef"), None)
            target = _guid(ref.get("targetGUID")) if ref is not None else ""
            if target not in code_ids:
                why = "coding of a case, not a code" if target in case_guids else "coding of an unknown code"
                report.dropped("Coding", why)
                continue
            user = users.get(_guid(coding.get("creatingUser") or selection.get("creatingUser")))
            coder = user.id if user else "unknown"
            refs = [_guid(n.get("targetGUID")) for n in coding if local(n) == "NoteRef"]
            used_notes.update(refs)
            memos = [notes.get(ref, "") for ref in refs]
            memo = "\n".join(filter(None, memos + [description.strip()]))
            extra = info.get(_guid(coding.get("guid")), {})
            created = coding.get("creationDateTime") or selection.get("creationDateTime")
            if meta and created and created.endswith("Z"):  # somecode wrote +00:00 as Z
                created = created[:-1] + "+00:00"
            out.append(Coding(source.id, start, end, code_ids[target], coder,
                              origin=extra.get("origin", "manual" if meta else "imported"),
                              status=extra.get("status", "accepted"), memo=memo, created=created,
                              evidence=extra.get("evidence")))
            report.mapped("Coding")
    return out


def _store(project: Project, parsed) -> None:
    """Everything parsed, into the new project, in one transaction."""
    with project.atomic():
        coders = {c.id: c for c in parsed["users"].values()}
        if any(c.coder_id == "unknown" for c in parsed["codings"]) and "unknown" not in coders:
            coders["unknown"] = Coder("unknown", "unknown user (the file names none)")
        for coder in coders.values():
            project.add_coder(coder)
        project.add_codes(parsed["codes"])
        for informant, _ in parsed["cases"].values():
            project.add_informant(informant)
        taken = set()
        for source in parsed["sources"]:
            if source.id in taken:
                raise SourceReadError(project.path, f"two sources share the id {source.id!r}",
                                      fix="rename one of them in the exporting tool")
            taken.add(source.id)
            project.add_source(source)
        project.add_codings(parsed["codings"])
        _restore_analysis(project, parsed["meta"])
        project.log("import_qdpx", {"sources": len(parsed["sources"]), "codings": len(parsed["codings"])})


def _restore_analysis(project: Project, meta: dict) -> None:
    """Summaries, propositions, stances and assessments from somecode's own metadata note."""
    from .. import store as db
    from .refi_write import guid

    stances = meta.get("stances", [])
    ids = ({guid("coding", [c.source_id, c.start, c.end, c.code_id, c.coder_id]): c.id
            for c in project.coding_records()} if stances else {})
    db.notes.restore(project.store, summaries=meta.get("summaries", []), propositions=meta.get("propositions", []),
                     stances=[[ids[key], *rest] for key, *rest in stances if key in ids],
                     assessments=meta.get("assessments", []))
