"""Realistic corrections of real transcripts: every coding lands exactly where the edit put its words,
or is orphaned; never elsewhere.

The corpus: the bundled study's transcripts with the paper's codings, and the real transcripts in
../shared/transcripts/ (Markdown and text ones) with codings drawn inside their paragraphs.  Each kind
of correction a transcriber makes is applied with its true position map (old character -> new
character, or gone), and each coding is judged against that map:

- exact: placed at ``(map[start], map[end - 1] + 1)``, both edges kept and the coded words in order;
- orphaned: not placed;
- misplaced: anything else (the count that must be 0).
"""

from __future__ import annotations

import random
import re
from collections import Counter

import numpy as np
import pytest
from conftest import SHARED, STUDY

import somecode
from somecode.project.anchoring import reanchor
from somecode.sources.transcript import parse_transcript, split_front_matter

RESULTS: Counter = Counter()


def _study_cases():
    with _built() as project:
        for source in project.sources(kind="interview"):
            raw = (STUDY / "sources" / f"{source.id}.md").read_text(encoding="utf-8")
            spans = [(c.start, c.end) for c in project.coding_records(source=source.id)]
            yield source.id, raw, spans


class _built:
    def __enter__(self):
        import tempfile

        self.folder = tempfile.TemporaryDirectory()
        self.project = somecode.build_study(STUDY, f"{self.folder.name}/bpjs.somecode")
        return self.project

    def __exit__(self, *exc):
        self.project.close()
        self.folder.cleanup()


def _shared_cases():
    folder = SHARED / "transcripts"
    for path in sorted(folder.glob("*.md")) + sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="strict")
        source = parse_transcript(raw, path)
        rng = random.Random(path.name)
        spans = []
        for turn in source.turns:
            if turn.end - turn.start < 20:
                continue
            a = rng.randrange(turn.start, turn.end - 10)
            b = rng.randrange(a + 5, min(turn.end, a + 300) + 1)
            spans.append((a, b))
        yield path.name, raw, spans[:150]


def cases():
    found = list(_study_cases())
    if (SHARED / "transcripts").is_dir():
        found += list(_shared_cases())
    return found


# ------------------------------------------------------------------ corrections and their true maps
def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, np.ndarray]:
    """Replace non-overlapping ``[a, b)`` by strings; the map sends replaced characters to -1."""
    mapping = np.full(len(text), -1, dtype=np.int64)
    out, at, shift = [], 0, 0
    for a, b, new in sorted(edits):
        out.append(text[at:a])
        mapping[at:a] = np.arange(at, a) + shift
        out.append(new)
        shift += len(new) - (b - a)
        at = b
    out.append(text[at:])
    mapping[at:] = np.arange(at, len(text)) + shift
    return "".join(out), mapping


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def typo_inside(text, spans, rng):
    a, b = rng.choice(spans)
    if b - a < 5:
        return []
    at = rng.randrange(a + 1, b - 1)
    return [(at, at + 1, "x" if text[at] != "x" else "y")]


def typo_around(text, spans, rng):
    a, b = rng.choice(spans)
    at = min(len(text) - 1, b + rng.randrange(0, 5))
    return [(at, at + 1, "q" if text[at] != "q" else "z")]


def merge_turns(text, spans, rng):
    joins = [m.start() for m in re.finditer(r"\n(?=\S)", text)]
    at = rng.choice(joins) if joins else 0
    return [(at, at + 1, " ")] if joins else []


def split_turn(text, spans, rng):
    spaces = [m.start() for m in re.finditer(r"(?<=[.?!]) ", text)]
    return [(at := rng.choice(spaces), at + 1, "\n\n")] if spaces else []


def rename_speaker(text, spans, rng):
    labels = [m for m in re.finditer(r"^([A-Z][\w .]{1,30}?):", text, re.M)]
    if not labels:
        return []
    name = rng.choice(labels).group(1)
    return [(m.start(1), m.end(1), "Informan") for m in labels if m.group(1) == name]


def insert_paragraph(text, spans, rng):
    ends = [m.end() for m in re.finditer(r"\n", text)]
    at = rng.choice(ends) if ends else len(text)
    return [(at, at, "Catatan transkrip: bagian ini ditambahkan kemudian.\n\n")]


def delete_paragraph(text, spans, rng):
    a, b = rng.choice(_lines(text))
    return [(a, min(len(text), b + 1), "")]


def quote_style(text, spans, rng):
    pairs = {"'": "\u2019", '"': "\u201d", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    return [(m.start(), m.end(), pairs[m.group()]) for m in re.finditer("['\"\u2019\u201c\u201d]", text)]


def whitespace(text, spans, rng):
    edits = [(m.start() + 1, m.end(), "") for m in re.finditer(r"  +", text)]
    edits += [(m.start(), m.end(), "") for m in re.finditer(r"[ \t]+(?=\n)", text)]
    return _merge(edits)


def _merge(edits):
    merged = []
    for a, b, new in sorted(edits):
        if merged and a < merged[-1][1]:
            continue
        merged.append((a, b, new))
    return merged


def reorder(text, spans, rng):
    """Swap two neighbouring paragraphs; the map follows each character to its new place."""
    lines = _lines(text)
    if len(lines) < 3:
        return None
    i = rng.randrange(len(lines) - 1)
    (a1, b1), (a2, b2) = lines[i], lines[i + 1]
    new = text[:a1] + text[a2:b2] + text[b1:a2] + text[a1:b1] + text[b2:]
    mapping = np.arange(len(text))
    mapping[a1:b1] = np.arange(a1, b1) + (b2 - b1)
    mapping[b1:a2] = np.arange(b1, a2) + (b2 - a2) - (b1 - a1)
    mapping[a2:b2] = np.arange(a2, b2) - (a2 - a1)
    return new, mapping


EDITS = {f.__name__: f for f in (typo_inside, typo_around, merge_turns, split_turn, rename_speaker,
                                 insert_paragraph, delete_paragraph, quote_style, whitespace)}


def judge(mapping: np.ndarray, span: tuple[int, int], placed, old: str, new: str) -> str:
    start, end = span
    if placed[0] is None:
        return "orphaned"
    image = mapping[start:end]
    kept = image[image >= 0]
    in_order = bool((np.diff(kept) > 0).all())
    first, last = int(mapping[start]), int(mapping[end - 1])
    if first >= 0 and last >= 0 and in_order and (placed[0], placed[1]) == (first, last + 1):
        return "exact"
    # A deletion that could slide (one of two spaces) has two right answers: the same words, placed
    # between the nearest characters that survived on either side of the span, are in the same place.
    before = [int(m) for m in mapping[:start] if m >= 0]
    after = [int(m) for m in mapping[end:] if m >= 0]
    low, high = (before[-1] + 1 if before else 0), (after[0] if after else len(new))
    while low > 0 and new[low - 1] == old[start]:  # the deleted character could have been its twin beside it
        low -= 1
    while high < len(new) and new[high] == old[end - 1]:
        high += 1
    if new[placed[0]:placed[1]] == old[start:end] and low <= placed[0] and placed[1] <= high:
        return "exact"
    return "misplaced"


def _reparse(raw: str, body: str, name: str):
    front = raw[:len(raw) - len(split_front_matter(raw, name)[1])]
    return parse_transcript(front + body, name)


@pytest.mark.parametrize("kind", [*EDITS, "reorder"])
def test_corrections_place_every_coding_exactly_or_orphan_it(kind):
    misplaced = []
    for name, raw, spans in cases():
        if not spans:
            continue
        old = _reparse(raw, split_front_matter(raw, name)[1], name)
        rng = random.Random(f"{name}-{kind}")
        for _ in range(3):
            if kind == "reorder":
                done = reorder(old.text, spans, rng)
                if done is None:
                    continue
                text, mapping = done
            else:
                edits = EDITS[kind](old.text, spans, rng)
                if not edits:
                    continue
                text, mapping = _apply(old.text, edits)
            front = raw[:len(raw) - len(split_front_matter(raw, name)[1])]
            if kind == "rename_speaker":  # the researcher renames the declared speaker too
                renamed = old.text[edits[0][0]:edits[0][1]]
                front = front.replace(f"{renamed}:", "Informan:")
            new = parse_transcript(front + text, name)
            if new.text != text:  # the reader would read the corrected file differently: map it from there
                continue
            placed = reanchor(old.text, new.text, spans, old_turns=old.turns, new_turns=new.turns)
            for span, where in zip(spans, placed):
                verdict = judge(mapping, span, where, old.text, new.text)
                RESULTS[(kind, verdict)] += 1
                if verdict == "misplaced":
                    misplaced.append((name, span, where, old.text[span[0]:span[1]][:60]))
    assert misplaced == []
    assert RESULTS[(kind, "exact")] + RESULTS[(kind, "orphaned")] > 0


def test_untouched_codings_are_all_placed():
    """A correction far from a coding never orphans it (the rules are strict, not timid)."""
    for name, raw, spans in cases()[:2]:
        old = _reparse(raw, split_front_matter(raw, name)[1], name)
        text = old.text + "\n\nCatatan penutup.\n"
        new = _reparse(raw, text, name)
        placed = reanchor(old.text, new.text, spans, old_turns=old.turns, new_turns=new.turns)
        assert all(p[2] in ("unchanged", "shifted") for p in placed), name


def test_report_counts(capsys):
    """Prints the corpus counts (exact / orphaned / misplaced per kind of correction) for the notes."""
    with capsys.disabled():
        kinds = sorted({k for k, _ in RESULTS})
        for kind in kinds:
            print(f"\n{kind:18} exact {RESULTS[(kind, 'exact')]:5}  orphaned {RESULTS[(kind, 'orphaned')]:5}  "
                  f"misplaced {RESULTS[(kind, 'misplaced')]:3}", end="")
    assert all(RESULTS[(k, "misplaced")] == 0 for k, _ in RESULTS)
