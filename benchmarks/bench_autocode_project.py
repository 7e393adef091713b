"""Automatic coding through a project, end to end, beside a bare spaCy pass over the same texts.

Ours: ``somecode.autocode(project)`` on a fresh copy of the project each time (reading the
sources, tokenising, splitting sentences, matching every phrase and token pattern, and storing
every suggestion with its evidence in one undoable operation).  Theirs: ``spacy.blank("id")`` with
a sentencizer over the same turns' texts, every sentence visited.  Both pipelines are built once,
before the timings, as a session would.  Run alternately (ours, theirs...), min and median of 3;
target: ours at least 0.85x the speed of the bare pass.

Corpora: the bundled study's informant turns, expanded to 100 interviews of about 200 sentences;
and the real Mobile JKN reviews in ../shared/corpora, one document per 40 reviews (skipped when
absent).  Then the 2-worker speed-up of ``autocode(project, workers=2)`` over 1 worker, in the same
run, with the core count (the ceiling: 2 cores, at most 2x).

    python benchmarks/bench_autocode_project.py [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import cpu_profile, print_rows, row  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
TARGET, SPEEDUP = 0.85, 1.8


def study_interviews(n_sources: int = 100, sentences: int = 200) -> list[str]:
    """Interviews made of the bundled study's informant turns, each of about ``sentences`` sentences."""
    from somecode.sources import read_sources

    turns = [s.slice(t) for s in read_sources(ROOT / "transcripts" / "bpjs" / "sources") for t in s.turns
             if t.informant and s.slice(t).strip()]
    texts = []
    for n in range(n_sources):
        lines, count, k = [], 0, n
        while count < sentences:
            lines.append("Peneliti: Bagaimana pendapat Anda?")
            turn = " ".join(turns[k % len(turns)].split())
            lines.append(f"Informan {n:03d}: {turn}")
            count += 1 + max(1, turn.count(". ") + turn.count("? "))
            k += 7
        texts.append(f"---\nid: x{n:03d}\nlanguage: id\nspeakers: {{Peneliti: interviewer, Informan {n:03d}: "
                     f"informant}}\n---\n" + "\n".join(lines) + "\n")
    return texts


def review_documents(per_document: int = 40) -> list[str]:
    """The Mobile JKN reviews, ``per_document`` to a document (paragraph each); [] when absent."""
    path = CORPORA / "adha20_mobile_jkn_reviews.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reviews = [" ".join(r["content"].split()) for r in csv.DictReader(handle) if r["content"].strip()]
    return ["\n\n".join(reviews[i:i + per_document]) for i in range(0, len(reviews), per_document)]


def paragraphs(text: str):
    """The paragraphs of a document (separated by blank lines) as turns."""
    import somecode

    turns, start = [], 0
    for part in text.split("\n\n"):
        turns.append(somecode.Turn(start, start + len(part)))
        start += len(part) + 2
    return tuple(turns)


def build(path: Path, texts: list[str], kind: str) -> None:
    import somecode
    from somecode.sources.transcript import parse_transcript

    project = somecode.Project.create(path)
    project.set_codebook(ROOT / "codebooks" / "some.yaml")
    if kind == "interview":
        sources = [parse_transcript(t, f"x{n:03d}.txt") for n, t in enumerate(texts)]
    else:
        sources = [somecode.Source(f"r{n:04d}", "document", text, turns=paragraphs(text), attrs={"language": "id"})
                   for n, text in enumerate(texts)]
    project.add_sources(sources)
    project.close()


def unit_texts(path: Path) -> list[str]:
    """The texts autocode codes: informants' turns, every paragraph of a document."""
    import somecode

    project = somecode.Project.open(path, read_only=True)
    texts = [s.slice(t) for s in project.sources() for t in s.turns
             if not (s.kind == "interview" and t.speaker and not t.informant)]
    project.close()
    return texts


def run_ours(path: Path, folder: Path, workers: int = 1):
    """autocode on a fresh copy of the project (copied outside the timing): seconds, suggestions."""
    import time

    import somecode

    copy = folder / f"run-{workers}.somecode"
    shutil.copyfile(path, copy)
    project = somecode.Project.open(copy)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = somecode.autocode(project, workers=workers)
    seconds = time.perf_counter() - started
    project.close()
    copy.unlink()
    return seconds, len(table)


def alternate(first, second, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds of ``first`` and ``second`` (each returns its own timing), run alternately, sorted."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        times[0].append(first())
        times[1].append(second())
    return sorted(times[0]), sorted(times[1])


def bare_pass(bare, texts: list[str]) -> float:
    import time

    started = time.perf_counter()
    for doc in bare.pipe(texts, batch_size=1000):
        for _ in doc.sents:
            pass
    return time.perf_counter() - started


def corpus_rows(name: str, path: Path, folder: Path, bare, repeat: int, profile: bool, report) -> list[dict]:
    texts = unit_texts(path)
    run_ours(path, folder)  # the first run builds the pipelines, once per process
    ours, theirs = alternate(lambda: run_ours(path, folder)[0], lambda: bare_pass(bare, texts), repeat)
    _, found = run_ours(path, folder)
    sentences = sum(1 for doc in bare.pipe(texts, batch_size=1000) for _ in doc.sents)
    ratio = theirs[0] / ours[0]
    report(f"bench_autocode_project {name}: {len(texts):,} units, {sentences:,} sentences, {found:,} "
           f"suggestions; ours {ours[0]:.2f} s (median {ours[len(ours) // 2]:.2f}), bare "
           f"{theirs[0]:.2f} s (median {theirs[len(theirs) // 2]:.2f})")
    if profile or ratio < TARGET:
        report(cpu_profile(lambda: run_ours(path, folder), top=18))
    return [row(f"(b) autocode(project) vs bare spaCy, {name}", ratio, f">= {TARGET}",
                f"{found:,} suggestions stored; medians {theirs[len(theirs) // 2] / ours[len(ours) // 2]:.2f}x")]


def speedup_rows(path: Path, folder: Path, repeat: int, report) -> list[dict]:
    one, two = alternate(lambda: run_ours(path, folder, 1)[0], lambda: run_ours(path, folder, 2)[0], repeat)
    cores = os.cpu_count() or 1
    ceiling = f"os.cpu_count() = {cores}: at most {min(cores, 2)}x"
    report(f"bench_autocode_project workers: {ceiling}; 1 worker {one[0]:.2f} s, 2 workers {two[0]:.2f} s")
    stage_one, stage_two = matching_stage(path, repeat)
    report(f"  the matching stage alone (run_coder): 1 worker {stage_one[0]:.2f} s, 2 workers {stage_two[0]:.2f} s")
    return [row("(e) autocode(project), 2 workers vs 1, one run", one[0] / two[0], f">= {SPEEDUP}",
                f"{ceiling}; medians {one[len(one) // 2] / two[len(two) // 2]:.2f}x; reading and storing are serial"),
            row("(e) its matching stage, 2 workers vs 1, one run", stage_one[0] / stage_two[0], f">= {SPEEDUP}",
                f"{ceiling}; medians {stage_one[len(stage_one) // 2] / stage_two[len(stage_two) // 2]:.2f}x")]


def matching_stage(path: Path, repeat: int) -> tuple[list[float], list[float]]:
    """The turns through the registered coder (what the workers share), 1 and 2 workers, alternately."""
    import time

    import somecode
    from somecode.auto import coder as engine

    project = somecode.Project.open(path, read_only=True)
    read = project.sources()
    items = [(s, offset, text) for s, _, offset, text in engine._units(read, None, True, engine._source_languages(read))]
    key = next(k for k in engine._CODERS if isinstance(k, tuple) and str(k[0]).startswith("auto:"))
    project.close()

    def timed(workers: int) -> float:
        started = time.perf_counter()
        engine.run_coder(key, "sentence", items, workers=workers)
        return time.perf_counter() - started

    return alternate(lambda: timed(1), lambda: timed(2), repeat)


def rows(repeat: int = 3, profile: bool = False, report=print) -> list[dict]:
    import spacy

    bare = spacy.blank("id")
    bare.add_pipe("sentencizer")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        study = folder / "study.somecode"
        build(study, study_interviews(), "interview")
        out += corpus_rows("bundled study x100 sources", study, folder, bare, repeat, profile, report)
        reviews = review_documents()
        if reviews:
            path = folder / "reviews.somecode"
            build(path, reviews, "document")
            out += corpus_rows("Mobile JKN reviews (12,000)", path, folder, bare, repeat, profile, report)
        else:
            report("bench_autocode_project: ../shared/corpora absent, the review corpus is skipped")
        out += speedup_rows(study, folder, repeat, report)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print_rows(rows(args.repeat, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
