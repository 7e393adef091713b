"""Cutting a text into units: speaker turns for interviews, paragraphs for documents.

>>> text = "Peneliti: Apa strateginya?\\nAni: Konten harus menarik,\\nlalu tayang.\\n"
>>> [(t.speaker, text[t.start:t.end]) for t in speaker_turns(text, SpeakerMap())]
[('Peneliti', 'Apa strateginya?'), ('Ani', 'Konten harus menarik,\\nlalu tayang.')]
>>> doc = "Satu.\\n\\n- dua\\n- tiga\\n"
>>> [doc[u.start:u.end] for u in paragraph_units(doc)]
['Satu.', '- dua', '- tiga']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from ..errors import SourceReadError
from ..model import Turn
from ..text import slugify

__all__ = ["SpeakerMap", "Mark", "speaker_turns", "turns_from_marks", "paragraph_units", "parse_timestamp", "LABEL_LINE"]

INTERVIEWER_LABELS = {"interviewer", "peneliti", "pewawancara", "penanya", "moderator",
                      "researcher", "int", "i", "q", "p", "tanya", "host", "pertanyaan", "t", "iv"}
ROLES = ("informant", "interviewer", "other")
OTHER_LABELS = {"unknown speaker", "announcer", "narrator (announcer)"}  # not an informant, not asking
LABEL_LINE = re.compile(
    r"^(?:\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\][ \t]*)?"
    r"(?P<label>[^\W\d_][\w.'’\- ]{0,58}?)[ \t]*:(?:[ \t]+|$)", re.M)
_ROLES = ("informant", "interviewer", "other")
OTHER_LABELS = {"unknown speaker", "announcer", "narrator (announcer)"}  # not an informant, not asking


def parse_timestamp(value: str) -> float:
    """Seconds from ``hh:mm:ss``, ``mm:ss`` or with a fraction.

    >>> parse_timestamp("01:02:03.5")
    3723.5
    """
    seconds = 0.0
    for part in value.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


@dataclass
class SpeakerMap:
    """Who each speaker label is: an informant (with an id and name) or an interviewer.

    ``declared`` maps labels to a role or to an informant's name, as in a
    transcript's front matter ``speakers: {Peneliti: interviewer, Ani: informant}``.
    With a declaration, only declared labels start a turn.
    """

    declared: Mapping[str, Any] = field(default_factory=dict)
    path: str = "<text>"
    roles: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.declared, Mapping):
            raise SourceReadError(self.path, "'speakers' must map each speaker label to a role",
                                  place="front matter",
                                  fix="write speakers: {Peneliti: interviewer, Ani: informant}")
        for label, value in self.declared.items():
            problem = _speaker_problem(value)
            if problem:
                raise SourceReadError(self.path, f"speaker {label!r}: {problem}", place="front matter, 'speakers'",
                                      fix="write Label: interviewer, Label: informant, Label: Full Name, or "
                                          "Label: {name: Full Name, role: informant, informant: id, attrs: {...}}")

    def accepts(self, label: str) -> bool:
        if self.declared:
            return label in self.declared
        return len(label.split()) <= 5 and all(w[0].isupper() or w.isdigit() for w in label.split())

    def attrs(self, label: str) -> dict:
        """An informant's attributes declared with the label (``{Ani: {attrs: {role: staff}}}``)."""
        value = self.declared.get(label)
        return dict(value.get("attrs") or {}) if isinstance(value, Mapping) else {}

    def role(self, label: str) -> str:
        """``interviewer``, ``informant`` or ``other`` for a label (``roles=`` first, then the
        declaration, then the common interviewer labels: Interviewer, I, Q, Peneliti, Host...)."""
        if label in self.roles:
            return self.roles[label]
        if self.resolve(label)[0] is not None:
            return "informant"
        value = self.declared.get(label)
        other = value == "other" or (value is None and label.lower() in OTHER_LABELS)
        return "other" if other else "interviewer"

    def resolve(self, label: str) -> tuple[str | None, str | None]:
        """``(informant id, informant name)`` for a label; ``(None, None)`` for an interviewer."""
        if self.roles.get(label) in ("interviewer", "other"):
            return None, None
        value = self.declared.get(label)
        if value is None and self.roles.get(label) == "informant":
            return slugify(label), label
        if value is None:
            return (None, None) if label.lower() in INTERVIEWER_LABELS | OTHER_LABELS else (slugify(label), label)
        if isinstance(value, Mapping):
            role = value.get("role", "informant")
            name = value.get("name", label)
            return (value.get("informant", slugify(name)), name) if role == "informant" else (None, None)
        if value in ("interviewer", "other"):
            return None, None
        name = label if value == "informant" else str(value)
        return slugify(name), name


def _speaker_problem(value) -> str | None:
    """Why a declared speaker's value cannot be used, or ``None``: text, a number, or a mapping
    of ``name``/``informant`` (text), ``role`` and ``attrs`` (a mapping)."""
    if value is None or isinstance(value, (str, int, float)):
        return None
    if not isinstance(value, Mapping):
        return f"{type(value).__name__} {value!r:.60} is not a role, a name or a mapping"
    for key in ("name", "informant", "role"):
        if key in value and not isinstance(value[key], str) and not (key == "role" and value[key] is None):
            return f"{key!r} must be text, not {value[key]!r:.60}"
    if value.get("attrs") is not None and not isinstance(value["attrs"], Mapping):
        return f"'attrs' must be a mapping of names to values, not {value['attrs']!r:.60}"
    return None


def speaker_turns(text: str, speakers: SpeakerMap) -> list[Turn] | None:
    """Turns of ``text``: a turn starts at a ``Name:`` line and runs until the next one.

    Text before the first label becomes a unit with no speaker.  Each turn's
    span covers its words only (label, timestamp and trailing blanks excluded);
    a label with no words makes no turn.  ``None`` when no label is found.
    """
    marks = [Mark(m.start(), m.end(), m.group("label").strip(),
                  parse_timestamp(m.group("time")) if m.group("time") else None)
             for m in LABEL_LINE.finditer(text)]
    marks = [m for m in marks if speakers.accepts(m.label)]
    if not speakers.declared:
        marks = _recurring(marks)
    return turns_from_marks(text, marks, speakers) if marks else None


@dataclass(frozen=True)
class Mark:
    """Where a speaker's turn begins: the label's position and where its words start."""

    at: int
    content: int
    label: str
    time: float | None = None


def turns_from_marks(text: str, marks: list[Mark], speakers: SpeakerMap) -> list[Turn]:
    """Turns running from each mark to the next; text before the first is unlabelled units."""
    turns = []
    if marks and text[:marks[0].at].strip():
        turns.extend(paragraph_units(text[:marks[0].at]))
    for i, mark in enumerate(marks):
        start, end = _trim(text, mark.content, marks[i + 1].at if i + 1 < len(marks) else len(text))
        if start < end:
            informant, _ = speakers.resolve(mark.label)
            turns.append(Turn(start, end, mark.label, informant, time_start=mark.time))
    return turns


def _recurring(marks: list[Mark]) -> list[Mark]:
    """Undeclared labels: once some informant speaks more than once, a label that
    occurs only once (``Hari Senin: ...`` inside a turn) is text, not a speaker."""
    counts = {m.label: sum(1 for n in marks if n.label == m.label) for m in marks}
    if not any(n > 1 and label.lower() not in INTERVIEWER_LABELS for label, n in counts.items()):
        return marks
    return [m for m in marks if counts[m.label] > 1 or m.label.lower() in INTERVIEWER_LABELS]


def paragraph_units(text: str, offset: int = 0) -> list[Turn]:
    """Paragraphs separated by blank lines; list items and table rows are units of their own."""
    return [Turn(s + offset, e + offset) for s, e in _paragraph_spans(text)]


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_FIRST_VISIBLE = re.compile(r"\S")
_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)]|\|)[ \t]")


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each run of text between blank lines, from its first visible character
    (found with small matches only: a pattern spanning a whole paragraph costs the regular
    expression engine about a hundred bytes per character)."""
    start = 0
    for gap in itertools.chain(_BLANK_LINES.finditer(text), [None]):
        end = gap.start() if gap else len(text)
        visible = _FIRST_VISIBLE.search(text, start, end)
        if visible:
            yield visible.start(), end
        start = gap.end() if gap else end


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    for block_start, block_end in _blocks(text):
        lines = text[block_start:block_end].split("\n")
        if len(lines) > 1 and any(_ITEM.match(line) for line in lines):
            position = block_start
            for line in lines:
                start, end = _trim(text, position, position + len(line))
                if start < end:
                    yield start, end
                position += len(line) + 1
        else:
            yield _trim(text, block_start, block_end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
