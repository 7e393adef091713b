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
from ..model import SOURCE_KINDS, Source, check_id
from ..text import TEXT_POLICY, canonical_text, slugify
from .units import SpeakerMap, paragraph_units, speaker_turns
from .yamlsafe import load_yaml

__all__ = ["parse_transcript", "split_front_matter", "build_source"]

# Front-matter keys that describe the informant rather than the source.
INFORMANT_KEYS = ("role", "organisation", "organization", "gender", "age", "position")
_RESERVED = ("id", "kind", "title", "speakers")


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
    return build_source(body, {**meta, **options}, path, encoding=encoding)


def build_source(text: str, meta: Mapping[str, Any], path, *, encoding: str = "utf-8",
                 turns=None) -> Source:
    """Make a :class:`Source` of canonical ``text`` and its metadata.

    ``meta`` keys: ``id`` (default: the file name as a slug), ``kind``
    (``interview`` when speaker labels are found, else ``document``),
    ``title``, ``speakers`` (label -> ``interviewer``/``informant``/a name);
    ``informant`` and informant keys (``role``, ``organisation``...) describe the
    informant; everything else goes to ``attrs``.  ``turns`` skips turn finding.
    """
    meta = dict(meta)
    speakers = SpeakerMap(meta.get("speakers") or {}, str(path))
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
    informants = _informants(turns, speakers, meta)
    if informants:
        attrs["informants"] = informants
    return Source(id=source_id, kind=kind, text=text, title=str(meta.get("title") or ""),
                  attrs=_plain(attrs), turns=tuple(turns), encoding=encoding,
                  text_policy=TEXT_POLICY, path=str(path))


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
