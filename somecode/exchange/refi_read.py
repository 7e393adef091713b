"""Reading REFI-QDA project files (``.qdpx``, or a bare ``.qde``) from any tool into a new project.

Lenient on input, strict about safety: the archive is checked before anything is read (names,
member count, sizes, compression ratios, bytes counted while inflating); the XML parser refuses
DTDs and entities and never touches the network; ``relative://`` and ``absolute://`` sources are
opened only with ``allow_external=`` a folder they must lie in, and no source text may pass the
size limit.  Positions are resolved per source
(:mod:`somecode.exchange.offsets`).  The result is a new project and a fidelity report: for each
kind of element, how many were read, mapped and dropped, and why.  A failed import leaves no
project file behind.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import SomecodeError, SomecodeWarning, SourceReadError
from ..model import Coder, Coding, Informant, Source
from ..sources.encoding import decode_bytes
from ..text import slugify
from .qdc import codes_from_element
from .refi_files import Archive, External
from .refi_memos import notes_as_memos, read_memos_and_sets
from .refi_sources import (
    codings_of,
    drop_contents,
    guid_of,
    items,
    merge_identical,
    source_and_selections,
    values,
)
from .refi_write import METADATA_NOTE
from .safexml import Limits, local, parse_xml

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["read_qdpx", "parse_qde"]

_SKIPPED = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


@dataclass
class _Report:
    rows: dict = field(default_factory=lambda: defaultdict(lambda: {"read": 0, "mapped": 0, "merged": 0,
                                                                     "dropped": 0, "why": set()}))
    offsets: list = field(default_factory=list)

    def read(self, element, n=1):
        if n:
            self.rows[element]["read"] += n

    def mapped(self, element, n=1):
        if n:
            self.rows[element]["mapped"] += n

    def merged(self, element, why, n=1):
        self.rows[element]["mapped"] -= n
        self.rows[element]["merged"] += n
        self.rows[element]["why"].add(why)

    def dropped(self, element, why, n=1):
        if n:
            self.rows[element]["dropped"] += n
            self.rows[element]["why"].add(why)

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([{"element": k, **{**v, "why": "; ".join(sorted(v["why"]))}}
                              for k, v in self.rows.items()],
                             columns=["element", "read", "mapped", "merged", "dropped", "why"])
        frame.attrs["offsets"] = pd.DataFrame(self.offsets, columns=["source", "scheme", "selections",
                                                                     "quoted", "quotes_matched", "violations"])
        return frame


def read_qdpx(path, project_path=None, *, allow_external: bool | str | Path = False,
              split_names: str | None = None, limits: Limits | None = None):
    """Import ``path`` into a new project at ``project_path`` (default: beside it, ``.somecode``).

    Returns ``(project, report)``: per kind of element, how many were read, mapped, merged (the
    same coding twice) and dropped, and why; ``report.attrs["offsets"]`` says, per source, how
    positions were counted.  Sources outside the archive (``relative://``, ``absolute://``) are
    opened only with ``allow_external``: a folder they must lie in (``True`` means the folder
    holding ``path``).  ``limits`` caps sizes (:class:`~somecode.exchange.Limits`).
    """
    from ..project import Project

    path = Path(path)
    target = Path(project_path) if project_path else path.with_suffix(".somecode")
    limits = limits or Limits()
    external = None
    if allow_external is not False:
        external = External(path.parent if allow_external is True else allow_external, limits)
    archive = Archive(path, limits)
    try:
        parsed = parse_qde(archive.qde(), path, archive=archive, external=external, split_names=split_names)
    except SomecodeError:
        raise
    except (TypeError, KeyError, ValueError, AttributeError, IndexError) as err:  # contents of an odd shape
        raise SourceReadError(path, f"an element or somecode's metadata note holds what it should not "
                              f"({type(err).__name__}: {err})", fix="export the project again from its tool; "
                              "if somecode wrote it, delete the note named 'somecode' to import without it") from err
    finally:
        archive.close()
    # built beside the target and renamed into place when complete: a failed or killed import leaves no project
    project = Project.create(target, fill=lambda new: _store(new, parsed))
    report = parsed["report"].frame()
    _warn_unmatched_quotes(report.attrs["offsets"], path)
    return project, report


def _warn_unmatched_quotes(offsets: pd.DataFrame, path) -> None:
    """Selections whose quoted text (written by the other tool) is not the text at the position
    read are named in a warning: those codings may sit on the wrong words."""
    off = offsets[offsets["quotes_matched"] < offsets["quoted"]]
    if len(off):
        where = ", ".join(f"{r.source} ({r.quoted - r.quotes_matched} of {r.quoted})" for r in off.itertuples())
        warnings.warn(f"{path}: some selections do not read the text their tool quoted for them, in {where}; "
                      "check those codings (report.attrs['offsets'] says how positions were counted)",
                      SomecodeWarning, stacklevel=2)


# somecode's own note: each key and the shape of its value (rows: lists of that many items)
_META_SHAPES = {"coders": dict, "status_users": dict, "informants": dict, "codes": dict, "sources": dict,
                "codings": dict, "summaries": list, "propositions": list, "stances": list, "assessments": list,
                "notes": list, "memos": (list, 6), "sets": (list, 6), "attributes": (list, 3)}


def _metadata(text: str, path) -> dict:
    """somecode's metadata note (exact round trips), or a refusal naming the damage."""
    fix = "export the project again, or delete that note to import without it"
    try:
        meta = json.loads(text)
    except ValueError as err:
        raise SourceReadError(path, f"somecode's metadata note is damaged ({err})", place="the metadata note",
                              fix=fix) from None
    if not isinstance(meta, dict):
        raise SourceReadError(path, "somecode's metadata note is not a mapping", place="the metadata note", fix=fix)
    for key, shape in _META_SHAPES.items():
        kind, width = shape if isinstance(shape, tuple) else (shape, None)
        value = meta.get(key, kind())
        bad = not isinstance(value, kind) or (width is not None and any(
            not isinstance(row, list) or len(row) != width for row in value))
        if bad:
            raise SourceReadError(path, f"somecode's metadata note is damaged: {key!r} is not a "
                                  f"{kind.__name__}{f' of rows of {width}' if width else ''}",
                                  place=f"the metadata note, {key!r}", fix=fix)
    return meta


def parse_qde(data: bytes, path="<qde>", *, archive=None, external=None, split_names=None) -> dict:
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
    variables = {guid_of(v.get("guid")): v.get("name") for v in items(children.get("Variables"))}
    cases = _cases(children.get("Cases"), variables, meta, report)
    sources: list[Source] = []
    codings: list[Coding] = []
    used_notes: set[str] = set()
    ids = {g: code_id for g, code_id in code_ids.items()} | {g: inf.id for g, (inf, _) in cases.items()}
    origin = root.get("origin") or ""
    for element in items(children.get("Sources")):
        kind = local(element)
        if kind in _SKIPPED:
            report.read(kind)
            report.dropped(kind, "only text sources are carried")
            drop_contents(element, f"inside a {kind}, which is not carried", report)
            continue
        if kind != "TextSource":
            continue
        report.read("TextSource")
        found = source_and_selections(element, archive, external, variables, cases, meta, origin, report, path)
        if found is None:
            continue
        source, selections = found
        sources.append(source)
        ids[guid_of(element.get("guid"))] = source.id
        report.mapped("TextSource")
        codings += codings_of(selections, source, code_ids, users, cases, notes, meta, report, used_notes)
    codings = merge_identical(codings, report)
    memos, sets = _memos_and_sets(root, notes, used_notes, ids, users, meta, report)
    for kind in ("Links", "Graphs"):
        if kind in children:
            report.read(kind, len(children[kind]))
            names = ", ".join(repr(e.get("name") or e.get("guid")) for e in children[kind])
            report.dropped(kind, f"{kind.lower()} are not carried: {names}", len(children[kind]))
    if report.rows["Set"]["dropped"] if "Set" in report.rows else 0:
        warnings.warn(f"{path}: {report.rows['Set']['dropped']} sets (groups of codes or notes) are not carried; "
                      f"the report lists them: {'; '.join(sorted(report.rows['Set']['why']))}",
                      SomecodeWarning, stacklevel=3)
    return {"users": users, "codes": codes, "cases": cases, "sources": sources, "codings": codings,
            "report": report, "meta": meta, "memos": memos, "sets": sets}


def _memos_and_sets(root, notes, used_notes, ids, users, meta, report):
    """Free memos and sets: from somecode's own note, or read from the notes, cases and sets of
    another tool's file; every note is counted in the report."""
    if not meta:
        coding_memos = len(used_notes & set(notes))
        memos, sets = read_memos_and_sets(root, notes, used_notes, ids, users, report)
        free = len(used_notes & set(notes)) - coding_memos
        report.mapped("Note", coding_memos + free)
        report.dropped("Note", "empty notes are not carried", len(notes) - coding_memos - free)
        return memos, sets
    # somecode's own file: its notes are restored from its own note; a note another tool added
    # since (files written before notes were listed count every note as somecode's)
    known = {guid_of(g) for g in meta.get("notes", notes)} | used_notes
    foreign = {g: text for g, text in notes.items() if g not in known}
    memos = [tuple(m) for m in meta.get("memos", [])] + notes_as_memos(root, foreign, set(), ids, users)
    added = len(memos) - len(meta.get("memos", []))
    report.mapped("Note", len(notes) + 1 - len(foreign) + added)
    report.dropped("Note", "empty notes are not carried", len(foreign) - added)
    for _ in items(next((c for c in root if local(c) == "Sets"), None)):
        report.read("Set")
        report.mapped("Set")
    return memos, _own_sets(meta, ids, report)


def _own_sets(meta, ids, report) -> list[tuple]:
    """somecode's sets, each member still in the project (one that is not is reported)."""
    present = set(ids.values())
    sets = []
    for name, members, query, set_ids, author, created in meta.get("sets", []):
        kept = [i for i in set_ids if i in present]
        if len(kept) < len(set_ids):
            report.rows["Set"]["why"].add(f"set {name!r}: members not imported left out: "
                                          f"{', '.join(map(repr, sorted(set(set_ids) - set(kept))))}")
        sets.append((name, members, query, kept, author, created))
    return sets


def _meta_guid(notes) -> str | None:
    for note in items(notes):
        if note.get("name") == METADATA_NOTE:
            return guid_of(note.get("guid"))
    return None


def _notes(holder, archive, report) -> dict:
    out = {}
    for note in items(holder):
        report.read("Note")
        content = next((c.text or "" for c in note if local(c) == "PlainTextContent"), None)
        if content is None and note.get("plainTextPath") and archive is not None:
            name = note.get("plainTextPath").split("://", 1)[-1]
            data = archive.source(name)
            try:
                content = decode_bytes(data, name)[0] if data else None
            except SourceReadError as err:  # one unreadable note does not stop the import
                report.dropped("Note", f"a note's text file could not be read ({err.problem})")
                continue
        out[guid_of(note.get("guid"))] = content or ""
    return out


def _users(holder, meta, report) -> dict:
    users, taken = {}, set()
    status_users = meta.get("status_users", {})
    for user in items(holder):
        report.read("User")
        if guid_of(user.get("guid")) in status_users:  # somecode's user for one coder's suggestions
            continue
        wanted = user.get("id") if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*", user.get("id") or "") else None
        base = wanted or slugify(user.get("name") or "") or f"user-{guid_of(user.get('guid'))[:8]}"
        coder_id, n = base, 2
        while coder_id in taken:
            coder_id, n = f"{base}-{n}", n + 1
        taken.add(coder_id)
        info = meta.get("coders", {}).get(coder_id, {})
        users[guid_of(user.get("guid"))] = Coder(coder_id, info.get("name", user.get("name") or coder_id),
                                               info.get("kind", "human"))
        report.mapped("User")
    for user_guid, coder_id in status_users.items():
        coder = next((c for c in users.values() if c.id == coder_id), None)
        if coder is not None:
            users[guid_of(user_guid)] = coder
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
            ids[guid_of(code.attrs["guid"])] = code.id
            report.mapped("Code")
        if code.id in extra:
            info = extra[code.id]
            code = replace(code, label=info.get("label", code.label), labels=info.get("labels", code.labels),
                           patterns=info.get("patterns", {}), attrs=info.get("attrs", {}))
        restored.append(code)
    for problem in problems:
        report.rows["Code"]["why"].add(problem.split(": ", 1)[-1])
    return restored, ids


def _cases(holder, variables, meta, report) -> dict:
    cases = {}
    known = meta.get("informants", {})
    for case in items(holder):
        report.read("Case")
        name = case.get("name") or ""
        informant_id = next((i for i, info in known.items() if info.get("name") == name), None) \
            or slugify(name) if name else f"case-{guid_of(case.get('guid'))[:8]}"
        attrs = known.get(informant_id, {}).get("attrs") or values(case, variables)
        sources = [guid_of(c.get("targetGUID")) for c in case if local(c) == "SourceRef"]
        cases[guid_of(case.get("guid"))] = (Informant(informant_id, name or informant_id, attrs), sources)
        report.mapped("Case")
    return cases


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
        _restore_memos_and_sets(project, parsed)
        project.log("import_qdpx", {"sources": len(parsed["sources"]), "codings": len(parsed["codings"])})


def _restore_memos_and_sets(project: Project, parsed) -> None:
    """Declared attributes, free memos and sets, with their own authors and times."""
    from .. import store as db
    from ..store.connection import now

    for name, kind, categories in parsed["meta"].get("attributes", []):
        db.attributes.set_attribute(project.store, name, kind, categories)
    db.memos.restore_memos(project.store, [(*row[:4], row[4] or now(), row[5]) for row in parsed["memos"]])
    for name, members, query, ids, author, created in parsed["sets"]:
        db.sets.insert_set(project.store, name, members, query, ids, author, created)


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
