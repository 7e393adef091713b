"""Plain-text and Markdown transcripts: optional YAML front matter, then ``Name:`` turns.

>>> src = parse_transcript('''---
... id: ani-2024
... informant: Ani
... role: admin
... speakers: {Peneliti: interviewer, Ani: informant}
... ---
... Peneliti: Kapan konten diunggah?
... Ani: Jam 12 siang.
... ''', "ani.md")
>>> src.kind, src.informants, [src.slice(t) for t in src.turns]
('interview', ['ani'], ['Kapan konten diunggah?', 'Jam 12 siang.'])
>>> src.attrs["informants"]["ani"]
{'name': 'Ani', 'role': 'admin'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..errors import SourceReadError, ValidationError
from ..model import SOURCE_KINDS, Source, Turn, check_id
from ..text import TEXT_POLICY, canonical_text, slugify
from .formats import Reading, recognise
from .units import ROLES, SpeakerMap, paragraph_units, speaker_turns
from .yamlsafe import load_yaml

__all__ = ["parse_transcript", "split_front_matter", "build_source", "compose", "speaker_map"]

# Front-matter keys that describe the informant rather than the source.
INFORMANT_KEYS = ("role", "organisation", "organization", "gender", "age", "position")
_RESERVED = ("id", "kind", "title", "speakers", "roles", "interviewers")


def split_front_matter(text: str, path) -> tuple[dict[str, Any], str]:
    """Split ``---``-fenced YAML front matter from the body; ``({}, text)`` without one."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    closing = 5
    if end < 0 and text.endswith("\n---"):
        end, closing = len(text) - 4, 4
    if end < 0:
        raise SourceReadError(path, "front matter opened with '---' is never closed", place="line 1",
                              fix="end the front matter with a line holding only '---'")
    meta = load_yaml(text[4:end + 1], path, first_line=2, what="front matter is not valid YAML") or {}
    if not isinstance(meta, dict):
        raise SourceReadError(path, "front matter must be a mapping of keys to values", place="line 2",
                              fix="write one 'key: value' per line")
    return meta, text[end + closing:]


def parse_transcript(text: str, path, *, encoding: str = "utf-8", **options) -> Source:
    """A source from a transcript's text (already decoded); see :func:`build_source` for options."""
    meta, body = split_front_matter(canonical_text(text), path)
    meta = {**meta, **options}
    if meta.get("kind") != "document":
        reading = recognise(body)
        if reading is not None:
            text, turns = compose(reading, speaker_map(meta, path))
            return build_source(text, meta, path, encoding=encoding, turns=turns, reading=reading)
    return build_source(body, meta, path, encoding=encoding)


def compose(reading: Reading, speakers: SpeakerMap) -> tuple[str, list[Turn]]:
    """The text of a recognised transcript and its turns: the preamble's paragraphs, then one
    ``Label: words`` block per turn (consecutive segments of one label make one turn); times and
    header lines are not in the text, the turns keep the times."""
    pieces: list[str] = []
    turns: list[Turn] = []
    offset = 0

    def add(piece: str) -> int:
        nonlocal offset
        start = offset
        pieces.append(piece)
        offset += len(piece) + 2
        return start

    if reading.preamble:
        start = add(reading.preamble)
        turns += paragraph_units(reading.preamble, start)
    groups: list[list] = []
    for segment in reading.segments:
        if not segment.words:
            if segment.label and groups and groups[-1][0].label == segment.label:
                continue
            if segment.label is None:
                groups.append([segment])  # a marker (Break) ends the turn before it
            continue
        if groups and segment.label and groups[-1][0].label == segment.label:
            groups[-1].append(segment)
        else:
            groups.append([segment])
    for group in groups:
        label = group[0].label
        words = "\n".join(s.words for s in group if s.words)
        if not words:
            continue
        prefix = f"{label}: " if label else ""
        start = add(prefix + words) + len(prefix)
        times = [s.time_start for s in group if s.time_start is not None]
        ends = [s.time_end for s in group if s.time_end is not None]
        if label:
            turns.append(Turn(start, start + len(words), label, speakers.resolve(label)[0],
                              time_start=times[0] if times else None, time_end=ends[-1] if ends else None))
        else:
            turns += paragraph_units(words, start)
    return "\n\n".join(pieces) + "\n", turns


def build_source(text: str, meta: Mapping[str, Any], path, *, encoding: str = "utf-8",
                 turns=None, reading: Reading | str | None = None) -> Source:
    """Make a :class:`Source` of canonical ``text`` and its metadata.

    ``meta`` keys: ``id`` (default: the file name as a slug), ``kind``
    (``interview`` when speaker labels are found, else ``document``),
    ``title``, ``speakers`` (label -> ``interviewer``/``informant``/a name);
    ``informant`` and informant keys (``role``, ``organisation``...) describe the
    informant; ``roles`` (label -> interviewer/informant/other) and ``interviewers``
    (labels) set roles without limiting which labels start a turn; everything else goes
    to ``attrs``.  ``turns`` skips turn finding; ``reading`` names the layout recognised.
    ``attrs["reading"]`` reports the layout, each speaker's turns and role, and what was
    dropped; a declared speaker that never occurs is a :class:`SourceReadError`.
    """
    meta = dict(meta)
    speakers = speaker_map(meta, path)
    kind = meta.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        raise SourceReadError(path, f"kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}",
                              place="front matter", fix="write kind: interview or kind: document")
    labelled = False
    if turns is None:
        turns = None if kind == "document" else speaker_turns(text, speakers)
        labelled = turns is not None
        turns = paragraph_units(text) if turns is None else turns
    kind = kind or ("interview" if labelled or any(t.speaker for t in turns) else "document")
    source_id = str(meta.get("id") or slugify(Path(str(path)).stem))
    try:
        check_id(source_id, "source id")
    except ValidationError as err:
        given = bool(meta.get("id"))
        raise SourceReadError(path, str(err), place="front matter, 'id'" if given else "file name",
                              fix="give the source an id such as 'ani-2024' (front matter 'id:' or id=...)"
                              ) from None
    attrs = {k: v for k, v in meta.items() if k not in _RESERVED}
    found = _speaker_turns(turns)
    _check_declared(speakers, found, path, text)
    if found or isinstance(reading, Reading):
        attrs["reading"] = _reading(reading, found, speakers)
    informants = _informants(turns, speakers, meta)
    if informants:
        attrs["informants"] = informants
    return Source(id=source_id, kind=kind, text=text, title=str(meta.get("title") or ""),
                  attrs=_plain(attrs), turns=tuple(turns), encoding=encoding,
                  text_policy=TEXT_POLICY, path=str(path))


def speaker_map(meta: Mapping[str, Any], path) -> SpeakerMap:
    """The speakers declared in ``meta`` (``speakers``) with the ``roles``/``interviewers`` options."""
    return SpeakerMap(meta.get("speakers") or {}, str(path), _roles(meta, path))


def _roles(meta: Mapping[str, Any], path) -> dict[str, str]:
    """``roles`` and ``interviewers`` options as one label -> role mapping, checked."""
    from ..vocabulary import check_choice

    roles = meta.get("roles") or {}
    if not isinstance(roles, Mapping):
        raise SourceReadError(path, "'roles' must map speaker labels to roles",
                              fix="write roles: {Jonas Rosland: interviewer}")
    found = {str(label): str(check_choice("roles", role, ROLES, problem=f"speaker {label!r}: "))
             for label, role in roles.items()}
    interviewers = meta.get("interviewers") or []
    for label in [interviewers] if isinstance(interviewers, str) else interviewers:
        found[str(label)] = "interviewer"
    return found


def _speaker_turns(turns) -> dict[str, int]:
    """Each label with its number of turns (a run of consecutive units of one label is one turn)."""
    counts: dict[str, int] = {}
    before = None
    for turn in turns:
        if turn.speaker and turn.speaker != before:
            counts[turn.speaker] = counts.get(turn.speaker, 0) + 1
        before = turn.speaker or before
    return counts


def _check_declared(speakers: SpeakerMap, found: Mapping[str, int], path, text: str = "") -> None:
    """A declared speaker label that never occurs is a mistake (a typo, another convention); a label
    written with nothing after it still occurs."""
    import re

    from ..vocabulary import did_you_mean

    missing = [label for label in speakers.declared if label not in found
               and not re.search(rf"^[ \t]*{re.escape(label)}[ \t]*:", text, re.M)]
    if missing:
        label = missing[0]
        labels = ", ".join(repr(f) for f in found) or "none"
        raise SourceReadError(path, f"declared speaker {label!r} never occurs{did_you_mean(label, found)}; "
                              f"speaker labels found: {labels}", place="speakers",
                              fix="declare the labels as they are written in the transcript, or remove "
                                  f"{', '.join(repr(m) for m in missing)}")


def _reading(reading: Reading | str | None, found: Mapping[str, int], speakers: SpeakerMap) -> dict:
    """What the reader recognised: the layout, each speaker's turns and role, what it dropped."""
    layout = reading.format if isinstance(reading, Reading) else (reading or "labels")
    report: dict[str, Any] = {"format": layout, "speakers": dict(found),
                              "roles": {label: speakers.role(label) for label in found}}
    if isinstance(reading, Reading):
        if reading.dropped:
            report["dropped"] = sorted(set(reading.dropped))
        if reading.doubtful:
            report["doubtful"] = list(reading.doubtful)
    return report


def _informants(turns, speakers: SpeakerMap, meta) -> dict[str, dict[str, Any]]:
    """Informant id -> name and attrs, for every informant who speaks."""
    found: dict[str, dict[str, Any]] = {}
    main = meta.get("informant")
    for turn in turns:
        if turn.informant and turn.informant not in found:
            _, name = speakers.resolve(turn.speaker)
            found[turn.informant] = {"name": name or turn.speaker, **speakers.attrs(turn.speaker)}
    if main is not None:
        entry = found.get(slugify(str(main)))
        if entry is not None or len(found) == 1:
            entry = entry if entry is not None else next(iter(found.values()))
            entry["name"] = str(main)
            entry.update({k: meta[k] for k in INFORMANT_KEYS if k in meta})
    return found


def _plain(value):
    """YAML gives dates as ``datetime.date``; attrs are stored as JSON, so keep them as text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
