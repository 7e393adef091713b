"""Small frozen records: Source, Turn, Informant, Code, Coder, Coding.

Offsets are half-open ``[start, end)`` Python ``str`` indices (code points)
into :attr:`Source.text`; the coded text is always derived from them.

>>> src = Source.from_text("demo", "Peneliti: Apa?\\nAni: Reels 👍 ramai.", kind="interview",
...                        turns=[Turn(10, 14, "Peneliti"), Turn(20, 34, "Ani", informant="ani")])
>>> src.slice(src.turns[1])
'Reels 👍 ramai.'
>>> Coding("demo", 20, 25, "optimize", "paper").span
(20, 25)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Protocol, Sequence, TypeVar

from .errors import ValidationError
from .text import TEXT_POLICY, canonical_text

__all__ = ["Turn", "Source", "Informant", "Code", "Coder", "Coding",
           "SOURCE_KINDS", "ORIGINS", "STATUSES", "CODER_KINDS", "check_id", "tree_order"]

SOURCE_KINDS = ("interview", "document")
ORIGINS = ("manual", "auto", "imported")
STATUSES = ("accepted", "suggested", "rejected")
CODER_KINDS = ("human", "machine")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*\Z")


def check_id(value: Any, what: str) -> str:
    """Return ``value`` if it is a usable id, else raise a :class:`ValidationError`.

    >>> check_id("share.build_trust", "code id")
    'share.build_trust'
    """
    if not isinstance(value, str) or not _ID.match(value):
        raise ValidationError(
            f"{what} {value!r} is not a valid id: use letters, digits and . _ - : "
            "only, starting with a letter or digit (for example 'af-2023-11-21')")
    return value


def _choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True, slots=True)
class Turn:
    """A unit of a source: a speaker's turn in an interview, a paragraph of a document.

    ``speaker`` is the label as written; ``informant`` the informant id it
    belongs to (``None`` for an interviewer or a document); times in seconds.
    """

    start: int
    end: int
    speaker: str | None = None
    informant: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=True, hash=False)

    def __post_init__(self):
        if not (isinstance(self.start, int) and isinstance(self.end, int)
                and 0 <= self.start <= self.end):
            raise ValidationError(f"turn span [{self.start}, {self.end}) is not a valid span")


@dataclass(frozen=True, slots=True)
class Source:
    """A transcript or document with its canonical text and its units (turns).

    Build one with :meth:`from_text` (which canonicalises the text) or a reader
    (:func:`somecode.read_source`).  ``attrs`` holds open-ended metadata:
    title, informant, role, date, language, doc_type, url, pages...
    """

    id: str
    kind: str
    text: str
    title: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)
    turns: tuple[Turn, ...] = ()
    encoding: str = "utf-8"
    text_policy: str = TEXT_POLICY
    path: str | None = field(default=None, compare=False)

    def __post_init__(self):
        check_id(self.id, "source id")
        _choice(self.kind, SOURCE_KINDS, f"source {self.id!r}: kind")
        object.__setattr__(self, "turns", tuple(self.turns))
        problems = _turn_problems(self.turns, len(self.text))
        if problems:
            raise ValidationError(f"source {self.id!r} has turns that do not fit its text", problems)

    @classmethod
    def from_text(cls, id: str, text: str, **fields) -> "Source":
        """A source from a string, canonicalised; offsets in ``turns`` refer to the canonical text."""
        return cls(id=id, text=canonical_text(text), **fields)

    def slice(self, span) -> str:
        """The text of a turn, a coding or a ``(start, end)`` pair."""
        start, end = (span.start, span.end) if hasattr(span, "start") else span
        return self.text[start:end]

    def turn_index(self, offset: int) -> int | None:
        """Index of the turn that contains ``offset``, or ``None`` between turns."""
        for i, turn in enumerate(self.turns):
            if turn.start <= offset < turn.end:
                return i
        return None

    @property
    def informants(self) -> list[str]:
        """Informant ids of this source's turns, in order of first appearance."""
        return list(dict.fromkeys(t.informant for t in self.turns if t.informant))

    def with_attrs(self, **attrs) -> "Source":
        """A copy with ``attrs`` updated (sources are immutable)."""
        return replace(self, attrs={**self.attrs, **attrs})

    def __repr__(self) -> str:
        return (f"<Source {self.id!r} {self.kind}, {len(self.text):,} chars, "
                f"{len(self.turns)} turns>")

    def _repr_html_(self) -> str:
        """The text turn by turn with speaker labels (codings need a project: ``project.show(id)``)."""
        from html import escape

        turns = self.turns or (Turn(0, len(self.text)),)
        body = "".join('<p style="margin:0.3em 0">' + (f"<b>{escape(t.speaker)}:</b> " if t.speaker else "")
                       + escape(self.slice(t)).replace("\n", "<br>") + "</p>" for t in turns)
        return f'<div class="somecode-source"><b>{escape(self.title or self.id)}</b>{body}</div>'



def _turn_problems(turns: Sequence[Turn], length: int) -> list[str]:
    problems, previous_end = [], 0
    for i, turn in enumerate(turns):
        if turn.end > length:
            problems.append(f"turn {i} [{turn.start}, {turn.end}) ends past the text ({length} chars)")
        if turn.start < previous_end:
            problems.append(f"turn {i} starts at {turn.start}, before turn {i - 1} ends ({previous_end})")
        previous_end = max(previous_end, turn.end)
    return problems


@dataclass(frozen=True, slots=True)
class Informant:
    """A person whose words are analysed; ``attrs`` holds role, organisation and the like."""

    id: str
    name: str
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        check_id(self.id, "informant id")


@dataclass(frozen=True, slots=True)
class Code:
    """A code of a codebook; ``parent`` makes the hierarchy, ``labels`` maps language to label.

    ``include`` and ``exclude`` are the rules for applying it, ``examples`` short
    cited quotes (``{"quote": ..., "source": ...}``), ``patterns`` per language
    the phrases (and optional spaCy token patterns) automatic coding may match.
    """

    id: str
    parent: str | None = None
    label: str = ""
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    color: str | None = None
    definition: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)
    include: str = ""
    exclude: str = ""
    examples: tuple[Mapping[str, str], ...] = field(default=(), hash=False)
    patterns: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        check_id(self.id, "code id")
        if self.parent is not None:
            check_id(self.parent, f"code {self.id!r}: parent")
        if self.color is not None and not re.fullmatch(r"#[0-9A-Fa-f]{6}", self.color):
            raise ValidationError(f"code {self.id!r}: colour {self.color!r} is not of the form #RRGGBB")
        object.__setattr__(self, "examples", tuple(self.examples))

    def label_in(self, language: str) -> str:
        """The label in ``language``, falling back to :attr:`label`."""
        return self.labels.get(language) or self.label or self.id


@dataclass(frozen=True, slots=True)
class Coder:
    """Who (or what) made a coding: a person, or a machine such as ``auto:<hash>``."""

    id: str
    name: str = ""
    kind: str = "human"

    def __post_init__(self):
        check_id(self.id, "coder id")
        _choice(self.kind, CODER_KINDS, f"coder {self.id!r}: kind")


@dataclass(frozen=True, slots=True)
class Coding:
    """A coded span: ``code_id`` applied by ``coder_id`` to ``[start, end)`` of a source."""

    source_id: str
    start: int
    end: int
    code_id: str
    coder_id: str
    origin: str = "manual"
    status: str = "accepted"
    memo: str = ""
    created: str | None = None
    text_hash: str | None = None
    evidence: Mapping[str, Any] | None = field(default=None, hash=False)
    id: int | None = field(default=None, compare=False)

    def __post_init__(self):
        if not (isinstance(self.start, int) and isinstance(self.end, int)
                and 0 <= self.start < self.end):
            raise ValidationError(
                f"coding on {self.source_id!r}: span [{self.start}, {self.end}) is not valid; "
                "offsets must be whole numbers with 0 <= start < end")
        _choice(self.origin, ORIGINS, "coding origin")
        _choice(self.status, STATUSES, "coding status")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class _Node(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


N = TypeVar("N", bound=_Node)


def tree_order(nodes: Sequence[N]) -> list[N]:
    """Depth-first from the roots, keeping the given order among siblings (codes, or anything with
    ``id`` and ``parent``); a node whose parent is not among them counts as a root.

    >>> [c.id for c in tree_order([Code("b.1", "b"), Code("a"), Code("b"), Code("a.1", "a")])]
    ['a', 'a.1', 'b', 'b.1']
    """
    children: dict[str | None, list[N]] = {}
    ids = {n.id for n in nodes}
    for node in nodes:
        children.setdefault(node.parent if node.parent in ids else None, []).append(node)
    ordered: list[N] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    return ordered
