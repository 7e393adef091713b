"""Writing a project as a REFI-QDA project exchange file (``.qdpx``) that other QDA tools read.

The archive holds ``project.qde`` and ``sources/<guid>.txt`` (UTF-8, no BOM, ``\\n`` newlines).
Coders become Users, the code tree the CodeBook, informants Cases with their attributes as
Variables, each source a TextSource with its attributes as VariableValues, each coded span a
PlainTextSelection (code-point offsets, the selected text as ``name``) holding one Coding per
code and coder; memos become Notes.  A Note named ``somecode`` carries, as JSON, what the
standard has no place for (turns and speakers, labels in other languages, matching patterns,
origin and status of codings) so that somecode reads its own files back exactly.  GUIDs are
derived from stable ids, so the same project exports byte-identically; ``basePath`` is never
written.
"""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .. import store as db
from ..model import Coding
from .qdc import _clean, _description, code_guid

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["to_qde", "write_qdpx", "guid", "PROJECT_NS", "SCHEMA_URL", "METADATA_NOTE"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA_URL = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
METADATA_NOTE = "somecode"
_NS = uuid.UUID("1f4b0a52-3c1e-4d0e-8a8e-736f6d65636f")


def guid(kind: str, key) -> str:
    """A GUID that is the same for the same object every time."""
    return str(uuid.uuid5(_NS, f"{kind}:{json.dumps(key, ensure_ascii=False)}"))


def _time(value: str | None) -> str | None:
    if not value:
        return None
    return value.replace("+00:00", "Z")


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool)) and value != ""


class _Builder:
    def __init__(self, project: Project):
        from lxml import etree

        self.etree, self.project = etree, project
        self.sources = project.sources()
        self.codes = project.codes()
        self.coders = project.coders()
        self.informants = project.informants()
        self.records = project.coding_records()
        self.by_source: dict[str, list[Coding]] = {}
        for record in self.records:
            self.by_source.setdefault(record.source_id, []).append(record)
        self.notes: list[tuple[str, str, str]] = []  # guid, name, text

    def element(self, parent, tag, **attributes):
        clean = {k: str(v) for k, v in attributes.items() if v is not None}
        if parent is None:
            return self.etree.Element(f"{{{PROJECT_NS}}}{tag}", clean, nsmap={None: PROJECT_NS, "xsi": XSI})
        return self.etree.SubElement(parent, f"{{{PROJECT_NS}}}{tag}", clean)

    def build(self, name: str):
        from .. import __version__

        created = db.codes.get_setting(self.project.store, "created")
        root = self.element(None, "Project", name=name, origin=f"somecode {__version__}",
                            creationDateTime=_time(created))
        root.set(f"{{{XSI}}}schemaLocation", f"{PROJECT_NS} {SCHEMA_URL}")
        if self.coders:
            users = self.element(root, "Users")
            for coder in self.coders:
                self.element(users, "User", guid=guid("coder", coder.id), name=coder.name or coder.id, id=coder.id)
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
                                                                                   ensure_ascii=False, sort_keys=True)))
        notes = self.element(root, "Notes")
        for note_guid, note_name, text in self.notes:
            note = self.element(notes, "Note", guid=note_guid, name=note_name)
            self.element(note, "PlainTextContent").text = _clean(text)
        for note_guid in visible + [guid("note", METADATA_NOTE)]:
            self.element(root, "NoteRef", targetGUID=note_guid)
        return root, texts

    def _summary_and_proposition_notes(self) -> list[str]:
        """Framework summaries and propositions as project notes other tools can show."""
        made = []
        for (case, code), text in sorted(self.project.summaries().items()):
            made.append(guid("summary", [case, code]))
            self.notes.append((made[-1], f"summary: {case} / {code}", text))
        for row in self.project.propositions().itertuples():
            made.append(guid("proposition", row.proposition))
            self.notes.append((made[-1], f"proposition: {row.code}", row.text))
        return made

    def _codebook(self, book):
        holder = self.element(book, "Codes")
        elements = {}
        for code in self.codes:
            parent = elements.get(code.parent, holder)
            element = self.element(parent, "Code", guid=code_guid(code.id), name=_clean(code.label or code.id),
                                   isCodable="false" if code.attrs.get("codable") is False else "true",
                                   color=code.color.upper() if code.color else None)
            self.element(element, "Description").text = _clean(_description(code))
            elements[code.id] = element

    def _variable_names(self) -> list[str]:
        names = {k for i in self.informants for k, v in i.attrs.items() if _scalar(v)}
        names |= {k for s in self.sources for k, v in s.attrs.items() if _scalar(v)}
        return sorted(names)

    def _values(self, parent, attrs):
        for name in sorted(k for k, v in attrs.items() if _scalar(v)):
            value = self.element(parent, "VariableValue")
            self.element(value, "VariableRef", targetGUID=guid("variable", name))
            self.element(value, "TextValue").text = _clean(str(attrs[name]))

    def _cases(self, holder):
        speaks = {}
        for source in self.sources:
            for informant in source.informants:
                speaks.setdefault(informant, []).append(source.id)
        for informant in self.informants:
            case = self.element(holder, "Case", guid=guid("informant", informant.id), name=informant.name)
            self._values(case, informant.attrs)
            for source_id in speaks.get(informant.id, []):
                self.element(case, "SourceRef", targetGUID=guid("source", source_id))

    def _source(self, holder, source):
        source_guid = guid("source", source.id)
        element = self.element(holder, "TextSource", guid=source_guid, name=source.id,
                               plainTextPath=f"internal://{source_guid}.txt")
        if source.title:
            self.element(element, "Description").text = _clean(source.title)
        spans = {}
        for record in self.by_source.get(source.id, []):
            spans.setdefault((record.start, record.end), []).append(record)
        users = {c.id: guid("coder", c.id) for c in self.coders}
        for (start, end), records in sorted(spans.items()):
            first = min(records, key=lambda r: (r.created or "", r.id))
            selection = self.element(element, "PlainTextSelection", guid=guid("selection", [source.id, start, end]),
                                     name=_clean(source.text[start:end]), startPosition=start, endPosition=end,
                                     creatingUser=users[first.coder_id], creationDateTime=_time(first.created))
            for record in sorted(records, key=lambda r: (r.code_id, r.coder_id)):
                key = self._coding_key(record)
                coding = self.element(selection, "Coding", guid=guid("coding", key),
                                      creatingUser=users[record.coder_id], creationDateTime=_time(record.created))
                self.element(coding, "CodeRef", targetGUID=code_guid(record.code_id))
                if record.memo:
                    note_guid = guid("memo", key)
                    self.notes.append((note_guid, f"memo: {record.code_id}", record.memo))
                    self.element(coding, "NoteRef", targetGUID=note_guid)
        self._values(element, source.attrs)

    @staticmethod
    def _coding_key(record):
        return [record.source_id, record.start, record.end, record.code_id, record.coder_id]

    def _metadata(self) -> dict:
        """What the standard has no place for, so somecode reads its own export back exactly."""
        return {
            "format": 1,
            "coders": {c.id: {"name": c.name, "kind": c.kind} for c in self.coders},
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
        }

    def _analysis_metadata(self) -> dict:
        """Summaries, propositions, stances and assessments, for an exact round trip."""
        store = self.project.store
        keys = {r.id: guid("coding", self._coding_key(r)) for r in self.records}
        return {
            "summaries": db.notes.summary_rows(store),
            "propositions": [list(r) for r in db.notes.proposition_rows(store, with_created=True)],
            "stances": [[keys[c], p, st, m, a, t] for c, p, st, m, a, t in db.notes.stance_rows(store)],
            "assessments": [list(r) for r in db.notes.assessment_rows(store, with_id=False)],
        }


def to_qde(project: Project, *, name: str | None = None) -> str:
    """The project as ``project.qde`` XML text."""
    root, _ = _Builder(project).build(name or project.path.stem)
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def write_qdpx(project: Project, path, *, name: str | None = None) -> Path:
    """Write the project as a ``.qdpx`` archive (atomically: an interrupted write leaves no file)."""
    from lxml import etree

    root, texts = _Builder(project).build(name or project.path.stem)
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, "project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                      pretty_print=True))
        for source_guid, text in sorted(texts.items()):
            _write(archive, f"sources/{source_guid}.txt", text.encode("utf-8"))
    os.replace(partial, path)
    return path


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: byte-identical archives
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
