"""Whisper, faster-whisper and WhisperX output as ``.tsv`` (``start\\tend\\ttext``, times in ms)
and ``.json`` (``{"segments": [{"start", "end", "text", "speaker"?}]}``, times in seconds).

Each segment is one turn with its times; WhisperX's ``speaker`` (``SPEAKER_00``) is its label,
and consecutive segments of one speaker make one turn.

>>> src = parse_whisper_tsv("start\\tend\\ttext\\n0\\t1500\\tHalo.\\n1500\\t3000\\tApa kabar?\\n", "a.tsv")
>>> [(src.slice(t), t.time_start, t.time_end) for t in src.turns]
[('Halo.', 0.0, 1.5), ('Apa kabar?', 1.5, 3.0)]
"""

from __future__ import annotations

import json

from ..errors import SourceReadError
from ..text import canonical_text
from .formats import Reading, Segment
from .transcript import build_source, compose, speaker_map

__all__ = ["parse_whisper_tsv", "parse_whisper_json"]


def parse_whisper_tsv(text: str, path, *, encoding: str = "utf-8", **options):
    """A source from Whisper's TSV output (header ``start``, ``end``, ``text``; optional ``speaker``)."""
    lines = canonical_text(text).split("\n")
    head = [h.strip().lower() for h in lines[0].split("\t")]
    if not {"start", "end", "text"} <= set(head):
        raise SourceReadError(path, "not a Whisper TSV file: the first line must name the columns "
                              "start, end and text", place="line 1",
                              fix="save the transcript with Whisper's --output_format tsv")
    segments = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        row = dict(zip(head, cells))
        try:
            start, end = int(row["start"]) / 1000, int(row["end"]) / 1000
        except (KeyError, ValueError):
            raise SourceReadError(path, f"cannot read the times {row.get('start')!r}, {row.get('end')!r}",
                                  place=f"line {number}", fix="times are whole milliseconds") from None
        segments.append(Segment(row.get("speaker") or None, " ".join(row.get("text", "").split()), start, end))
    return _build(Reading("whisper tsv", segments), path, encoding, options)


def parse_whisper_json(text: str, path, *, encoding: str = "utf-8", **options):
    """A source from Whisper / faster-whisper / WhisperX JSON (``segments`` with start, end, text)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SourceReadError(path, f"not valid JSON ({err.msg})", place=f"line {err.lineno}",
                              fix="check the file is Whisper's JSON output") from None
    found = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(found, list) or not all(isinstance(s, dict) and "text" in s for s in found):
        raise SourceReadError(path, "no Whisper segments: expected {\"segments\": [{\"start\", \"end\", "
                              "\"text\"}...]}", fix="save the transcript with Whisper's --output_format json")
    segments = [Segment(s.get("speaker") or None, " ".join(canonical_text(str(s["text"])).split()),
                        _seconds(s.get("start")), _seconds(s.get("end"))) for s in found]
    return _build(Reading("whisperx json" if any(s.label for s in segments) else "whisper json", segments),
                  path, encoding, options)


def _seconds(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _build(reading: Reading, path, encoding: str, options):
    if not any(s.words for s in reading.segments):
        raise SourceReadError(path, "no segments with text", fix="check the transcription finished")
    speakers = speaker_map(options, path)
    if any(s.label for s in reading.segments):
        text, turns = compose(reading, speakers)
    else:  # no diarisation: one turn per segment, times kept
        pieces, turns, offset = [], [], 0
        from ..model import Turn
        for s in reading.segments:
            if s.words:
                turns.append(Turn(offset, offset + len(s.words), time_start=s.time_start, time_end=s.time_end))
                pieces.append(s.words)
                offset += len(s.words) + 1
        text = "\n".join(pieces) + "\n"
    meta = {"kind": "interview" if any(t.speaker for t in turns) else "document", **options}
    return build_source(text, meta, path, encoding=encoding, turns=turns, reading=reading)
