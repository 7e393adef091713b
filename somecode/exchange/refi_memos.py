"""Free memos, sets and declared attributes in REFI-QDA files, both ways.

Written so that other tools show them: every memo is a Note whose text is a file in
``sources/`` (QualCoder reads such notes into its journal; NVivo and ATLAS.ti list notes), named
for what it is about ("journal 2026-11-30", "memo about code share"); project and code memos are
also referred to from the Project and the Code; memos about a source, a case or a set are also
that element's Description (QualCoder's memo field for each).  A set of sources is a ``Set`` of
``MemberSource``; a set of cases has no REFI-QDA form (sets hold codes, sources and notes) and is
reported as left out.  somecode's own note carries all of it for an exact round trip.

Read from other tools: notes the Project or a Code refers to, or that nothing refers to, become
memos about the project or that code; notes a TextSource refers to, memos about that source; a
Case's Description, a memo about that case; a Set whose members are all sources, a set of
sources.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import store as db
from .refi_sources import guid_of
from .safexml import local

__all__ = ["MemoWriter", "read_memos_and_sets", "notes_as_memos"]


def _name(kind: str, about: str, created: str) -> str:
    return f"journal {created[:10]}" if kind == "project" else f"memo about {kind} {about}"


class MemoWriter:
    """What a project's free memos and sets become in a ``.qde``; ``guid`` makes stable GUIDs,
    ``user`` gives the user GUID of an author (or ``None``)."""

    def __init__(self, store, guid: Callable[[str, Any], str], user: Callable[[str], str | None]) -> None:
        self.rows = db.memos.memo_rows(store)  # id, kind, about, text, by, created, modified
        self.sets = db.sets.set_rows(store)   # name, members, query, ids, author, created
        self.attributes = db.attributes.attribute_rows(store)
        self.guid, self.user = guid, user

    def notes(self) -> list[tuple[str, str, str, str | None, str, str | None]]:
        """``(guid, name, text, user, created, modified)`` of each memo's Note."""
        return [(self.guid("free-memo", memo_id), _name(kind, about, created), text, self.user(by), created,
                 modified) for memo_id, kind, about, text, by, created, modified in self.rows]

    def refs(self, kind: str, about: str = "") -> list[str]:
        """GUIDs of the notes about one thing (for NoteRefs)."""
        return [self.guid("free-memo", r[0]) for r in self.rows if r[1] == kind and r[2] == about]

    def text(self, kind: str, about: str) -> str:
        """The memos about one thing, joined (for a Description)."""
        return "\n\n".join(r[3] for r in self.rows if r[1] == kind and r[2] == about)

    def write_sets(self, element: Callable[..., Any], root, source_guid: Callable[[str], str],
                   known_sources: set[str], clean: Callable[[str], str]) -> list[str]:
        """Sets of sources as ``Set``/``MemberSource`` (texts passed through ``clean``); returns
        the names of sets left out."""
        written = [(name, [i for i in ids if i in known_sources]) for name, members, query, ids, *_ in self.sets
                   if members == "sources" and query is None]
        written = [(name, ids) for name, ids in written if ids]
        if written:
            holder = element(root, "Sets")
            for name, ids in written:
                item = element(holder, "Set", guid=self.guid("set", name), name=clean(name))
                if self.text("set", name):
                    element(item, "Description").text = clean(self.text("set", name))
                for source_id in ids:
                    element(item, "MemberSource", targetGUID=source_guid(source_id))
        done = {name for name, _ in written}
        return [name for name, *_ in self.sets if name not in done]

    def metadata(self) -> dict:
        return {"memos": [list(r[1:]) for r in self.rows],
                "sets": [[name, members, query, ids, author, created]
                         for name, members, query, ids, author, created in self.sets],
                "attributes": [list(r) for r in self.attributes]}


def _referrers(root) -> dict[str, tuple[str, str]]:
    """Note GUID -> (kind of element referring to it, that element's GUID), for the Project,
    Codes and TextSources (the first referrer wins)."""
    out: dict[str, tuple[str, str]] = {}
    for element in root.iter():
        kind = local(element)
        if kind not in ("Project", "Code", "TextSource"):
            continue
        for ref in element:
            if local(ref) == "NoteRef":
                out.setdefault(guid_of(ref.get("targetGUID")), (kind, guid_of(element.get("guid"))))
    return out


def read_memos_and_sets(root, notes: dict[str, str], used: set[str], ids: dict[str, str], users: dict,
                        report) -> tuple[list[tuple], list[tuple]]:
    """Memos and sets of a file written by another tool: ``(memo rows, set rows)`` in the shapes
    of :func:`somecode.store.memos.restore_memos` and ``insert_set`` (times ``None`` where the file
    gives none).  ``notes`` maps note GUIDs to their text; ``used`` holds the notes already read
    as coding memos; ``ids`` maps GUIDs of sources, codes and cases to somecode ids; ``users``
    user GUIDs to coders."""
    cases = []
    for case in root.iter():
        if local(case) == "Case" and guid_of(case.get("guid")) in ids:
            description = next((c.text for c in case if local(c) == "Description"), None)
            if description and description.strip():
                cases.append(("case", ids[guid_of(case.get("guid"))], description, "", None, None))
    said = {row[2].strip() for row in cases}  # a note repeating a case's Description (as somecode writes it)
    used.update(g for g, text in notes.items() if text.strip() in said)
    memos = notes_as_memos(root, notes, used, ids, users) + cases
    return memos, _source_sets(root, ids, report)


def notes_as_memos(root, notes: dict[str, str], used: set[str], ids: dict[str, str], users: dict) -> list[tuple]:
    """The notes in ``notes`` not in ``used``, as memos about what refers to them (the project
    when nothing does); each one read is added to ``used``."""
    kinds = {"Project": "project", "Code": "code", "TextSource": "source"}
    referrers = _referrers(root)
    memos = []
    for note in (n for holder in root if local(holder) == "Notes" for n in holder):
        note_guid = guid_of(note.get("guid"))
        text = notes.get(note_guid, "")
        if note_guid not in notes or note_guid in used or not text.strip():
            continue
        referrer, target = referrers.get(note_guid, ("Project", ""))
        kind, about = kinds[referrer], ids.get(target, "")
        if kind == "project" or not about:
            kind, about = "project", ""
        name = note.get("name") or ""
        author = users.get(guid_of(note.get("creatingUser") or note.get("modifyingUser")))
        memos.append((kind, about, f"{name}\n\n{text}" if name and name not in text else text,
                      author.id if author else "", note.get("creationDateTime") or note.get("modifiedDateTime"),
                      note.get("modifiedDateTime")))
        used.add(note_guid)
    return memos


def _source_sets(root, ids: dict[str, str], report) -> list[tuple]:
    sets, taken = [], set()
    left: dict[str, list[str]] = {}
    for item in root.iter():
        if local(item) != "Set" or local(item.getparent()) != "Sets":
            continue
        report.read("Set")
        members = [m for m in item if local(m).startswith("Member")]
        sources = [ids.get(guid_of(m.get("targetGUID"))) for m in members if local(m) == "MemberSource"]
        name = (item.get("name") or "").strip()
        if not members or len(sources) != len(members):
            left.setdefault("only sets of sources are carried, not sets of codes or notes", []).append(name)
        elif not all(sources):
            left.setdefault("a set of sources that were not imported", []).append(name)
        elif not name or name in taken:
            left.setdefault("a set without a name of its own", []).append(name)
        else:
            sets.append((name, "sources", None, sources, "", None))
            taken.add(name)
            report.mapped("Set")
    for why, names in left.items():
        report.dropped("Set", f"{why}: {', '.join(map(repr, names))}", len(names))
    return sets
