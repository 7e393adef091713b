"""Matrix benchmark: 1,000,000 codings over 200 informants and 50 codes.

Prints, from one run: the time to build the long table (``codings_frame``);
the time of ``theme_by_informant(value="count")`` and ``value="segments"`` on
that table, each beside a bare ``pandas.crosstab`` of the same long frame
(target: at most 1.5x); and the process's peak memory.  Each timing is the best
of three.

    python benchmarks/bench_matrix.py [--informants 200] [--codings 1000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import best_of, peak_mb  # noqa: E402

TARGET_RATIO = 1.5
STAGES = [f"s{n}" for n in range(10)]
CODES = [(s, None) for s in STAGES] + [(f"{s}.c{n}", s) for s in STAGES for n in range(4)]  # 50 codes


def build(folder: Path, n_informants: int, n_codings: int):
    import somecode
    from somecode.sources.transcript import parse_transcript

    rng = random.Random(0)
    words = "jaminan kesehatan peserta reels konten insight layanan pengaduan edukasi".split()
    project = somecode.Project.create(folder / "matrix.somecode")
    project.add_codes(somecode.Code(c, p) for c, p in CODES)
    per_source = n_codings // n_informants
    sources = []
    for n in range(n_informants):
        lines = []
        for t in range(60):
            speaker = "Peneliti" if t % 3 == 0 else f"Informan {n:03d}"
            lines.append(f"{speaker}: " + " ".join(rng.choice(words) for _ in range(40)))
        text = (f"---\nid: i{n:03d}\nspeakers: {{Peneliti: interviewer, Informan {n:03d}: informant}}\n---\n"
                + "\n".join(lines) + "\n")
        sources.append(parse_transcript(text, f"i{n:03d}.txt"))
    project.add_sources(sources)
    codings = []
    for source in sources:
        informant_turns = [t for t in source.turns if t.informant]
        for i in range(per_source):
            turn = informant_turns[i % len(informant_turns)]
            start = turn.start + (i // len(informant_turns)) % (turn.end - turn.start - 12)
            code = CODES[(i * 7 + len(source.id)) % len(CODES)][0]
            codings.append(somecode.Coding(source.id, start, start + 3 + i % 9, code, "bench"))
    stored = project.add_codings(codings)
    assert stored == n_codings, stored
    return project



def main() -> int:
    import pandas as pd

    from somecode.analysis import codings_frame, theme_by_informant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--informants", type=int, default=200)
    parser.add_argument("--codings", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        project = build(Path(folder), args.informants, args.codings)
        build_seconds = time.perf_counter() - started
        frame_seconds, frame = best_of(lambda: codings_frame(project), repeat=1)
        bare_seconds, bare = best_of(lambda: pd.crosstab(frame["stage"], frame["informant_name"]))
        count_seconds, counts = best_of(lambda: theme_by_informant(project, value="count", frame=frame))
        segment_seconds, segments = best_of(lambda: theme_by_informant(project, value="segments", frame=frame))
        project.close()
    same = (counts.loc[bare.index, bare.columns].to_numpy() == bare.to_numpy()).all()
    assert same and counts.to_numpy().sum() == args.codings, "the matrix disagrees with crosstab"
    assert (segments.to_numpy() <= counts.to_numpy()).all()
    ratios = {"count": count_seconds / bare_seconds, "segments": segment_seconds / bare_seconds}
    peak = peak_mb()
    print(f"bench_matrix: {args.codings:,} codings, {args.informants} informants, {len(CODES)} codes")
    print(f"  build the project (setup)                  {build_seconds:8.2f} s")
    print(f"  codings_frame (the long table)             {frame_seconds:8.2f} s")
    print(f"  bare pandas.crosstab(stage, informant)     {bare_seconds:8.3f} s")
    print(f"  theme_by_informant(value='count')          {count_seconds:8.3f} s   ratio {ratios['count']:.2f} x")
    print(f"  theme_by_informant(value='segments')       {segment_seconds:8.3f} s   ratio {ratios['segments']:.2f} x")
    print(f"  peak memory (whole run)                    {peak:8,.0f} MB")
    missed = [k for k, r in ratios.items() if r > TARGET_RATIO]
    print(f"  {'MISS: ' + ', '.join(missed) if missed else 'PASS'} (target <= {TARGET_RATIO} x)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
