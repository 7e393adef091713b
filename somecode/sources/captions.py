"""WebVTT and SubRip captions: cues merged into one turn per stretch of one speaker.

The speaker comes from a voice tag (``<v Ani>``) or a ``Name:`` prefix; a cue
without one continues the current speaker.  The source text is one line per
turn, ``Name: words``, and each turn keeps the start of its first cue and the
end of its last.

>>> src = parse_captions('''WEBVTT
...
... 00:00:01.000 --> 00:00:03.000
... <v Peneliti>Kapan diunggah?
...
... 00:00:03.500 --> 00:00:05.000
... <v Ani>Jam 12 siang,
...
... 00:00:05.000 --> 00:00:07.250
... atau sore.''', "a.vtt")
>>> [(t.speaker, src.slice(t), t.time_start, t.time_end) for t in src.turns]
[('Peneliti', 'Kapan diunggah?', 1.0, 3.0), ('Ani', 'Jam 12 siang, atau sore.', 3.5, 7.25)]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..errors import SourceReadError
from ..model import Turn
from ..text import canonical_text
from .formats import Reading
from .transcript import build_source, speaker_map
from .units import LABEL_LINE, parse_timestamp

__all__ = ["parse_captions"]

_TIMING = re.compile(r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->\s+"
                     r"(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s.*)?$")
_VOICE = re.compile(r"^<v(?:\.[\w.\-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>|\{\\[^}]*\}")
_BRACKET = re.compile(r"^\[(?P<label>[^\]\n]{1,40})\]:?[ \t]*")  # WhisperX: '[SPEAKER_00]: words'
_WORD_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?\.\d{3}>")


@dataclass
class _Cue:
    start: float
    end: float
    speaker: str | None
    words: str
    lines: list[str] = field(default_factory=list)


def parse_captions(text: str, path, *, encoding: str = "utf-8", header: bool = True, **options):
    """A source from the decoded text of a ``.vtt`` or ``.srt`` file (``header=False``: cues found
    in another file, such as whisper-ctranslate2 output saved as ``.md``, with no ``WEBVTT`` line).

    Rolling auto-captions (YouTube, Stream: each cue repeats the line shown before it, with
    ``<c>`` word tags) are collapsed so that every line of speech is kept once, with its time.
    """
    text = canonical_text(text)
    is_vtt = str(path).lower().endswith(".vtt")
    if header and is_vtt and not text.lstrip().startswith("WEBVTT"):
        raise SourceReadError(path, "a WebVTT file must begin with 'WEBVTT'", place="line 1",
                              fix="add a first line 'WEBVTT', or save subtitles as .srt")
    cues = list(_cues(text, path))
    rolling = _is_rolling(text, cues)
    if rolling:
        cues = _collapse(cues)
    if not cues:
        raise SourceReadError(path, "no caption cues found", fix="check the file has timing lines "
                              "such as '00:00:01.000 --> 00:00:04.000'")
    speakers = speaker_map(options, path)
    pieces, turns, offset = [], [], 0
    for speaker, group in _merge(cues):
        words = " ".join(c.words for c in group)
        prefix = f"{speaker}: " if speaker else ""
        informant = speakers.resolve(speaker)[0] if speaker else None
        start = offset + len(prefix)
        turns.append(Turn(start, start + len(words), speaker, informant,
                          time_start=group[0].start, time_end=group[-1].end))
        pieces.append(prefix + words)
        offset += len(prefix) + len(words) + 1
    meta = {"kind": "interview" if any(t.speaker for t in turns) else "document", **options}
    layout = ("rolling captions" if rolling else "webvtt" if text.lstrip().startswith("WEBVTT")
              else "srt" if re.search(r"^\s*\d+\s*\n[^\n]*-->", text, re.M) else "cues")
    return build_source("\n".join(pieces) + "\n", meta, path, encoding=encoding, turns=turns,
                        reading=Reading(layout, [], dropped=["rolling duplicate lines"] if rolling else []))


def _cues(text: str, path):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        timing = _TIMING.match(lines[i])
        if not timing:
            if "-->" in lines[i]:
                raise SourceReadError(path, f"cannot read the timing line {lines[i].strip()!r}",
                                      place=f"line {i + 1}",
                                      fix="write it as 00:00:01.000 --> 00:00:04.000")
            i = _skip_block(lines, i) if lines[i].startswith(("NOTE", "STYLE", "REGION")) else i + 1
            continue
        start, end = parse_timestamp(timing["a"]), parse_timestamp(timing["b"])
        if end < start:
            raise SourceReadError(path, f"cue ends ({timing['b']}) before it starts ({timing['a']})",
                                  place=f"line {i + 1}", fix="correct the cue's times")
        payload, i = [], i + 1
        if i + 1 < len(lines) and lines[i] and not lines[i].strip() and lines[i + 1].strip() \
                and not _TIMING.match(lines[i + 1]):
            i += 1  # YouTube opens a cue with a line holding one space
        while i < len(lines) and lines[i].strip():
            payload.append(lines[i].strip())
            i += 1
        cue = _cue(start, end, payload)
        if cue.words:
            yield cue


def _skip_block(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _cue(start: float, end: float, payload: list[str]) -> _Cue:
    first = payload[0] if payload else ""
    speaker = None
    voice = _VOICE.match(first)
    bracket = _BRACKET.match(first)
    if voice:
        speaker = voice.group(1).strip()
    elif bracket and not bracket.group("label").strip().lower() in ("music", "applause", "laughter"):
        speaker = bracket.group("label").strip()
        payload = [first[bracket.end():]] + payload[1:]
    else:
        label = LABEL_LINE.match(_TAG.sub("", first))
        if label:
            speaker = label.group("label").strip()
            payload = [_TAG.sub("", first)[label.end():]] + payload[1:]
    lines = [" ".join(html.unescape(_TAG.sub("", line)).split()) for line in payload]
    lines = [line for line in lines if line]
    return _Cue(start, end, speaker, " ".join(lines), lines)


def _is_rolling(text: str, cues: list[_Cue]) -> bool:
    """YouTube-style captions: ``<c>`` word tags, or most cues repeating the line before them."""
    if "<c>" in text or _WORD_TIME.search(text):
        return True
    repeats = sum(1 for a, b in zip(cues, cues[1:]) if a.lines and b.lines and b.lines[0] == a.lines[-1])
    return len(cues) > 3 and repeats * 2 > len(cues)


def _collapse(cues: list[_Cue]) -> list[_Cue]:
    """Each line of speech once: drop lines a cue repeats from the cue before it, and cues left empty."""
    kept: list[_Cue] = []
    shown: list[str] = []
    for cue in cues:
        new = [line for line in cue.lines if line not in shown[-3:]]
        shown += new
        if new:
            kept.append(_Cue(cue.start, cue.end, cue.speaker, " ".join(" ".join(new).split()), new))
        elif kept and cue.end > kept[-1].end:
            kept[-1].end = cue.end
    return kept


def _merge(cues: list[_Cue]):
    groups: list[tuple[str | None, list[_Cue]]] = []
    for cue in cues:
        speaker = cue.speaker or (groups[-1][0] if groups else None)
        if groups and speaker is not None and groups[-1][0] == speaker:
            groups[-1][1].append(cue)
        else:
            groups.append((speaker, [cue]))
    return groups
