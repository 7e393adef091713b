"""Store benchmark: 1,000 synthetic sources and 1,000,000 codings.

Prints, from one run on this machine: the time to add the sources; the time
for ``project.add_codings`` to store the codings, beside a bare ``sqlite3``
``executemany`` of the same rows into the same tables (target: at most 1.5x);
the time for ``project.codings()`` to return every row; and each phase's peak
memory (each phase runs in its own process, so the peaks do not mix).

    python benchmarks/bench_store.py [--sources 1000] [--codings 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("jaminan kesehatan peserta reels konten insight layanan pengaduan informasi edukasi "
         "testimoni jadwal followers engagement influencer").split()
CODES = ["share", "share.participate", "share.connect", "share.build_trust", "optimize",
         "optimize.listen_learn", "manage", "manage.media_monitoring", "engage", "engage.reach"]
TARGET_RATIO = 1.5


def make_project(path: Path, n_sources: int):
    import somecode

    rng = random.Random(0)
    project = somecode.Project.create(path)
    project.add_codes(somecode.Code(c, c.split(".")[0] if "." in c else None) for c in CODES)
    sources = []
    for n in range(n_sources):
        lines = [f"{'Peneliti' if t % 2 == 0 else 'Informan'}: " +
                 " ".join(rng.choice(WORDS) for _ in range(40)) for t in range(20)]
        sources.append(somecode.sources.transcript.parse_transcript(
            f"---\nid: s{n:04d}\nspeakers: {{Peneliti: interviewer, Informan: informant}}\n---\n"
            + "\n".join(lines) + "\n", f"s{n}.txt"))
    started = time.perf_counter()
    project.add_sources(sources)
    return project, sources, time.perf_counter() - started


def spans(sources, n_codings: int):
    per_source = n_codings // len(sources)
    for source in sources:
        assert len(source.text) - 12 > 5 * per_source, "synthetic text too short for unique spans"
        for i in range(per_source):
            start = i * 5
            yield source.id, start, start + 3 + i % 9, CODES[i % len(CODES)]


def phase_ours(folder: Path, n_sources: int, n_codings: int) -> dict:
    import somecode

    project, sources, source_seconds = make_project(folder / "ours.somecode", n_sources)
    started = time.perf_counter()
    codings = [somecode.Coding(s, a, b, c, "bench") for s, a, b, c in spans(sources, n_codings)]
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    stored = project.add_codings(codings)
    store_seconds = time.perf_counter() - started
    del codings
    started = time.perf_counter()
    frame = project.codings()
    frame_seconds = time.perf_counter() - started
    assert stored == len(frame) == n_codings, (stored, len(frame))
    return {"sources_s": source_seconds, "records_s": build_seconds, "store_s": store_seconds,
            "frame_s": frame_seconds, "rows": len(frame), "peak_mb": _peak_mb()}


def phase_bare(folder: Path, n_sources: int, n_codings: int) -> dict:
    from somecode.store import now
    from somecode.text import text_hash

    project, sources, _ = make_project(folder / "bare.somecode", n_sources)
    project.add_coder("bench")
    texts = {s.id: s.text for s in sources}
    stamp = now()
    rows = [(s, a, b, c, "bench", "manual", "accepted", "", stamp, text_hash(texts[s][a:b]), None)
            for s, a, b, c in spans(sources, n_codings)]
    conn = project.store.conn
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany('INSERT INTO codings (source_id, start, "end", code_id, coder_id, origin, status, '
                     "memo, created, text_hash, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    store_seconds = time.perf_counter() - started
    count = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    assert count == n_codings
    return {"store_s": store_seconds, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(name: str, args) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([sys.executable, __file__, "--phase", name, "--folder", folder,
                              "--sources", str(args.sources), "--codings", str(args.codings)],
                             check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows(n_sources: int = 1000, n_codings: int = 1_000_000, repeat: int = 3, report=print) -> list[dict]:
    """``add_codings`` beside bare ``executemany``, each phase in its own process, alternately."""
    args = argparse.Namespace(sources=n_sources, codings=n_codings)
    ours, bare = [], []
    for _ in range(repeat):
        ours.append(run_phase("ours", args)["store_s"])
        bare.append(run_phase("bare", args)["store_s"])
    ours.sort()
    bare.sort()
    report(f"bench_store: {n_codings:,} codings; add_codings {ours[0]:.2f} s (median {ours[len(ours) // 2]:.2f}), "
           f"bare executemany {bare[0]:.2f} s (median {bare[len(bare) // 2]:.2f})")
    return [{"name": f"add_codings of {n_codings / 1e6:g}M vs bare executemany", "ratio": ours[0] / bare[0],
             "target": f"<= {TARGET_RATIO}", "note": f"medians {ours[len(ours) // 2] / bare[len(bare) // 2]:.2f}x"}]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["ours", "bare"])
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.phase:
        phase = phase_ours if args.phase == "ours" else phase_bare
        print(json.dumps(phase(Path(args.folder), args.sources, args.codings)))
        return 0
    bare, ours = run_phase("bare", args), run_phase("ours", args)
    ratio = ours["store_s"] / bare["store_s"]
    print(f"bench_store: {args.sources:,} sources, {args.codings:,} codings")
    print(f"  add sources (parsed, one transaction)   {ours['sources_s']:8.2f} s")
    print(f"  build Coding records (validated)        {ours['records_s']:8.2f} s")
    print(f"  project.add_codings                     {ours['store_s']:8.2f} s")
    print(f"  bare sqlite3 executemany, same tables   {bare['store_s']:8.2f} s")
    print(f"  ratio add_codings / bare                {ratio:8.2f} x   (target <= {TARGET_RATIO})")
    print(f"  project.codings(), {ours['rows']:,} rows      {ours['frame_s']:8.2f} s")
    print(f"  peak memory: somecode phase {ours['peak_mb']:,.0f} MB, bare phase {bare['peak_mb']:,.0f} MB")
    print(f"  {'PASS' if ratio <= TARGET_RATIO else 'MISS'}: store ratio {ratio:.2f} x")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
