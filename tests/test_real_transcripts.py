"""Every real transcript in ../shared/transcripts read against its MANIFEST.csv (skipped when absent).

The files are never copied into the project; only counts, labels and times are checked here.
"""

from __future__ import annotations

import csv
import re
import warnings

import pytest

import somecode
from conftest import SHARED

FOLDER = SHARED / "transcripts"
# A timestamp where a header, a cue timing or a leading '[0:41.2]' would leave one in the words.
TIMING = re.compile(r"-->|^\s*\\?[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\\?[\])]?\s*$|"
                    r"^\s*\\?\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\\?\]", re.M)


def _manifest() -> list[dict]:
    path = FOLDER / "MANIFEST.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _manifest()


def _read(name: str):
    path = FOLDER / name
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is optional)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return somecode.read_source(path)


def test_manifest_is_present_or_skipped():
    if not ROWS:
        pytest.skip(f"{FOLDER} is not present (../shared is optional)")
    assert {r["name"] for r in ROWS} == {p.name for p in FOLDER.iterdir() if p.name.startswith("A")}


@pytest.mark.parametrize("row", [r for r in ROWS if r["turns"].isdigit()], ids=lambda r: r["name"][:3])
def test_speakers_and_turns_match_the_manifest(row):
    source = _read(row["name"])
    reading = source.attrs["reading"]
    # a turn is a maximal run of one label; the manifest counts labels, not people
    assert len(reading["speakers"]) == int(row["speakers"]), reading
    assert sum(reading["speakers"].values()) == int(row["turns"]), reading
    assert source.kind == "interview"
    for turn in source.turns:
        assert not TIMING.search(source.slice(turn)), (row["name"], source.slice(turn)[:80])


# Labels the manifest writes in their Markdown dress ('**Ali**', 'D:'); the reader keeps the name.
def _labels(row) -> set[str]:
    text = row["speaker_labels"].split("(as ")[0].split("(+")[0]
    return {re.sub(r"^\*\*|:?\*\*:?$|:$", "", part.strip()) for part in text.split("|") if part.strip()}


@pytest.mark.parametrize("row", [r for r in ROWS if r["turns"].isdigit() and not r["name"].startswith("A13")],
                         ids=lambda r: r["name"][:3])
def test_speaker_labels_are_the_manifests(row):
    # A13 is left out: its questions carry no label at all (the manifest lists only header words);
    # the reader calls them 'Interviewer' and the answers 'Narasumber' (checked below)
    assert set(_read(row["name"]).attrs["reading"]["speakers"]) == _labels(row)


def test_indonesian_numbered_interview_has_roles():
    reading = _read("A13_id_elisitasi_simkip_wawancara.txt").attrs["reading"]
    assert reading["format"] == "question and answer"
    assert reading["roles"] == {"Interviewer": "interviewer", "Narasumber": "informant"}
    # the two answers written on their question's line are split off and reported as doubtful
    assert len(reading["doubtful"]) == 2


def test_otter_footer_is_dropped_and_times_kept():
    source = _read("A01_otter_ladybug_security.md")
    assert "otter.ai" not in source.text
    assert source.attrs["reading"]["dropped"] == ["Otter footer"]
    times = [t.time_start for t in source.turns if t.speaker]
    assert times[0] == 0.0 and times == sorted(times) and None not in times
    assert "Unknown Speaker" in source.attrs["reading"]["speakers"]


def _cue_count(row) -> int:
    found = re.search(r"(\d+) (?:cues|rows|timestamp lines)", row["notes"])
    assert found, row["notes"]
    return int(found.group(1))


@pytest.mark.parametrize("row", [r for r in ROWS if not r["turns"].isdigit()], ids=lambda r: r["name"][:3])
def test_unlabelled_output_keeps_every_cue_with_its_times(row):
    source = _read(row["name"])
    assert source.kind == "document" and not any(t.speaker for t in source.turns)
    assert len(source.turns) == _cue_count(row)
    assert all(t.time_start is not None and t.time_end is not None and t.time_start <= t.time_end
               for t in source.turns)
    starts = [t.time_start for t in source.turns]
    assert starts == sorted(starts)
    for turn in source.turns:
        words = source.slice(turn)
        assert words and not TIMING.search(words) and "NOTE" not in words


def test_faster_whisper_vtt_and_tsv_agree():
    vtt, tsv = _read("A06_fasterwhisper_hitsave_goodboy.vtt"), _read("A07_fasterwhisper_hitsave_goodboy.tsv")
    assert vtt.turns[0].time_start == tsv.turns[0].time_start == pytest.approx(43.81)
    assert [vtt.slice(t) for t in vtt.turns] == [tsv.slice(t) for t in tsv.turns]
    assert [t.time_end for t in vtt.turns] == pytest.approx([t.time_end for t in tsv.turns])
