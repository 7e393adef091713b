"""Transcript layouts recognised by content: each rule finds *segments* (a label, its words, its time).

A rule returns a :class:`Reading` or ``None``; :func:`recognise` tries them in order.  Times
found on header lines (``Emma  0:34``, ``**Kelly** [0:18]``, ``[Ani] 00:01:02``) become segment
times and never stay in the words; footers such as Otter's ``Transcribed by https://otter.ai``
are dropped and listed in :attr:`Reading.dropped`.

>>> r = recognise("Emma  0:00  \\nHalo semua.\\n\\nUnknown Speaker  0:35  \\nHalo.\\n\\nTranscribed by https://otter.ai\\n")
>>> r.format, [(s.label, s.words, s.time_start) for s in r.segments], r.dropped
('otter', [('Emma', 'Halo semua.', 0.0), ('Unknown Speaker', 'Halo.', 35.0)], ['Otter footer'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .units import parse_timestamp

__all__ = ["Segment", "Reading", "recognise", "RULES"]

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w.'’()\-]*(?:[ ][\w.'’()\-]+){0,5}"


@dataclass
class Segment:
    """One labelled unit as written: a header and its paragraphs, a cue, a row."""

    label: str | None
    words: str
    time_start: float | None = None
    time_end: float | None = None


@dataclass
class Reading:
    """What a rule found: the layout's name, text before the first segment, the segments."""

    format: str
    segments: list[Segment]
    preamble: str = ""
    dropped: list[str] = field(default_factory=list)
    doubtful: list[str] = field(default_factory=list)


def _clean(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip()


def _headed(text: str, header: re.Pattern, name: str, *, minimum: int = 2,
            ok: Callable[[re.Match], bool] = lambda m: True) -> Reading | None:
    """Segments that start at a header line (label and time alone on a line) and run to the next."""
    lines = text.split("\n")
    heads = []
    for i, line in enumerate(lines):
        found = header.match(line)
        if found and ok(found) and (i == 0 or not lines[i - 1].strip() or _is_head(lines[i - 1], header)):
            heads.append((i, found))
    if len(heads) < minimum:
        return None
    dropped: list[str] = []
    segments = []
    for n, (i, found) in enumerate(heads):
        body = lines[i + 1:heads[n + 1][0] if n + 1 < len(heads) else len(lines)]
        body, footer = _strip_footer(body)
        dropped += footer
        time = found.groupdict().get("time")
        label = found.group("label").strip()
        segments.append(Segment(label, _clean(body), parse_timestamp(time) if time else None))
    return Reading(name, segments, _clean(lines[:heads[0][0]]), dropped)


def _is_head(line: str, header: re.Pattern) -> bool:
    return bool(header.match(line))


_FOOTER = re.compile(r"^\s*(?:Transcribed by https?://otter\.ai|Transcribed by Otter\.ai.*)\s*$", re.I)


def _strip_footer(body: list[str]) -> tuple[list[str], list[str]]:
    for k, line in enumerate(body):
        if _FOOTER.match(line):
            return body[:k], ["Otter footer"]
    return body, []


# Otter.ai (txt, docx), Teams "Transcribe" docx: 'Name  0:34' alone on a line, words below.
_OTTER = re.compile(rf"^(?P<label>{_NAME})[ \t]+(?P<time>{_TIME})[ \t]*$")
# Otter without timestamps: 'Name' plus two trailing spaces, words below.
_OTTER_BARE = re.compile(rf"^(?P<label>{_NAME})  $")
# Rev / Descript / Trint: 'Name (00:01):' or 'Name [00:01:02]' alone on a line.
_REV = re.compile(rf"^(?P<label>{_NAME})[ \t]+[(\[](?P<time>{_TIME})[)\]]:?[ \t]*$")
# Word 'Transcribe' docx: '00:00:03 Speaker 1' alone on a line.
_WORD = re.compile(rf"^(?P<time>{_TIME})[ \t]+(?P<label>{_NAME})[ \t]*$")
# Zoom's chat-style transcript: '[Name] 10:02:15' alone on a line.
_ZOOM = re.compile(rf"^\[(?P<label>[^\]\n]{{1,60}})\][ \t]+(?P<time>{_TIME})[ \t]*$")
# '**Name** [m:ss]' alone on a line (Markdown hand-formatted from Otter).
_BOLD_HEAD = re.compile(rf"^\*\*(?P<label>[^*\n]{{1,60}}?)\*\*:?[ \t]*(?:\\?\[(?P<time>{_TIME})\\?\])?[ \t]*$")
# '**Name:** words' (Changelog, many hand transcripts).
_BOLD_INLINE = re.compile(r"^\*\*(?P<label>[^*\n]{1,60}?)(?::\*\*|\*\*[ \t]*:)[ \t]*")
_LEAD_TIME = re.compile(rf"^\\?\[(?P<time>{_TIME})\\?\][ \t]*")
_MARKERS = {"break", "music", "intro", "outro", "applause", "pause", "end"}


def _capitalised(found: re.Match) -> bool:
    words = found.group("label").split()
    return 0 < len(words) <= 5 and all(w[0].isupper() or w[0].isdigit() for w in words)


def _otter(text: str) -> Reading | None:
    reading = _headed(text, _OTTER, "otter", ok=_capitalised)
    if reading is None:
        return None
    labels = {s.label for s in reading.segments}
    if len(reading.segments) < 3 and not reading.dropped and len(labels) < 2:
        return None
    return reading


def _otter_bare(text: str) -> Reading | None:
    reading = _headed(text, _OTTER_BARE, "otter (no times)", minimum=3, ok=_capitalised)
    if reading is None:
        return None
    counts: dict[str, int] = {}
    for s in reading.segments:
        counts[s.label or ""] = counts.get(s.label or "", 0) + 1
    if not any(n > 1 for n in counts.values()):
        return None
    return reading


def _bold(text: str) -> Reading | None:
    lines = text.split("\n")
    marks = []  # (line, label, time, words on the line)
    for i, line in enumerate(lines):
        head = _BOLD_HEAD.match(line)
        if head:
            marks.append((i, head.group("label").strip().rstrip(":"), head.group("time"), ""))
            continue
        inline = _BOLD_INLINE.match(line)
        if inline:
            marks.append((i, inline.group("label").strip(), None, line[inline.end():]))
    if len(marks) < 2:
        return None
    segments: list[Segment] = []
    dropped: list[str] = []
    for n, (i, label, time, first) in enumerate(marks):
        lead = _LEAD_TIME.match(first)
        if lead:
            time, first = time or lead.group("time"), first[lead.end():]
        body = [first] + lines[i + 1:marks[n + 1][0] if n + 1 < len(marks) else len(lines)]
        for k, line in enumerate(body):  # '\\[24:12\\] words' inside a turn: the time is not words
            inner = _LEAD_TIME.match(line)
            if inner:
                body[k] = line[inner.end():]
                time = time or inner.group("time")
                dropped.append("timestamps inside turns")
        words = _clean(body)
        if label.lower() in _MARKERS:
            dropped.append(f"marker {label!r}")
            segments.append(Segment(None, words, parse_timestamp(time) if time else None))
            continue
        segments.append(Segment(label, words, parse_timestamp(time) if time else None))
    return Reading("bold labels", segments, _clean(lines[:marks[0][0]]), dropped)


def _zoom(text: str) -> Reading | None:
    return _headed(text, _ZOOM, "zoom transcript")


def _rev(text: str) -> Reading | None:
    return _headed(text, _REV, "rev/descript/trint", ok=_capitalised)


def _word(text: str) -> Reading | None:
    return _headed(text, _WORD, "word transcribe", ok=_capitalised)


# A timestamp alone on a line, then 'Name: words' or words of the speaker before.
_STAMP = re.compile(rf"^[ \t]*[\[(]?(?P<time>{_TIME})[\])]?[ \t]*$")
_INLINE_LABEL = re.compile(r"^(?P<label>[^\W\d_][\w.'’\- ]{0,40}?)[ \t]*:[ \t]+")


def _stamps(text: str) -> Reading | None:
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if _STAMP.match(line)]
    if len(heads) < 3:
        return None
    segments = []
    label: str | None = None
    for n, i in enumerate(heads):
        body = _clean(lines[i + 1:heads[n + 1] if n + 1 < len(heads) else len(lines)])
        found = _INLINE_LABEL.match(body)
        if found:
            label, body = found.group("label").strip(), body[found.end():]
        segments.append(Segment(label, body, parse_timestamp(_STAMP.match(lines[i])["time"])))  # type: ignore[index]
    return Reading("timestamp lines", segments, _clean(lines[:heads[0]]))


# Numbered or listed questions with 'Jawaban:'/'Jawab:'/'Answer:' answers (and unlabelled ones).
_ANSWER = re.compile(r"^[ \t]*(?:Jawaban|Jawab|Answer|A)[ \t]*:[ \t]*", re.I)
_HEADING = re.compile(r"^[ \t]*(?:(?:Bagian|Section|Part)[ \t]+\d+\b|\d{1,2}\.[ \t]|#|Pertanyaan Penggali)", re.I)


def _qa(text: str) -> Reading | None:
    lines = text.split("\n")
    if sum(1 for line in lines if _ANSWER.match(line)) < 3:
        return None
    first = next((i for i, line in enumerate(lines) if line.rstrip().endswith("?") or
                  (i + 1 < len(lines) and _ANSWER.match(lines[i + 1]))), None)
    if first is None:
        return None
    asker, answerer = "Interviewer", "Narasumber"
    segments: list[Segment] = []
    doubtful: list[str] = []
    state = "heading"
    for number, line in enumerate(lines[first:], start=first + 1):
        line = line.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        if answer:
            segments.append(Segment(answerer, line[answer.end():].strip()))
            state = "answer"
        elif _HEADING.match(line):
            segments.append(Segment(None, line))
            state = "heading"
        elif _is_question(line):
            question, _, rest = line.rpartition("?")
            rest = rest.strip()
            if rest and not rest.startswith("(") and any(c.isalpha() for c in rest):
                segments += [Segment(asker, question + "?"), Segment(answerer, rest)]
                doubtful.append(f"line {number}: answer written after its question")
                state = "answer"
            else:
                segments.append(Segment(asker, line))
                state = "question"
        elif state in ("question", "answer"):
            segments.append(Segment(answerer, line))
            state = "answer"
        else:
            segments.append(Segment(None, line))
    return Reading("question and answer", segments, _clean(lines[:first]), doubtful=doubtful)


def _is_question(line: str) -> bool:
    """Ends with '?', with '?' and a bracketed aside, or with '?' and a few words of answer."""
    if "?" not in line:
        return False
    rest = line.rpartition("?")[2].strip()
    return not rest or rest.rstrip(".").startswith("(") and rest.rstrip(".").endswith(")") or \
        (len(rest.split()) <= 3 and not rest.startswith("("))


RULES: list[tuple[str, Callable[[str], Reading | None]]] = [
    ("otter", _otter), ("zoom", _zoom), ("rev", _rev), ("word", _word), ("bold", _bold),
    ("otter-bare", _otter_bare), ("qa", _qa), ("stamps", _stamps),
]


def recognise(text: str) -> Reading | None:
    """The first rule that finds segments in ``text``, or ``None`` (plain ``Name:`` lines or a document)."""
    for _, rule in RULES:
        reading = rule(text)
        if reading is not None and any(s.label for s in reading.segments):
            return reading
    return None
