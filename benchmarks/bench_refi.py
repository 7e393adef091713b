"""REFI-QDA benchmark: export and import of a project with 100,000 codings over 500 sources.

Prints the export time, our import time (a new project, offsets resolved, everything checked),
and beside it the time the independent reader ``pyrefiqda`` takes to parse the same file into its
models, measured in the same run, with the ratio.  There is no pass/fail target here: the two do
different amounts of work (pyrefiqda builds objects; somecode also resolves offsets and stores a
project), and the ratio is printed for the record.

    python benchmarks/bench_refi.py [--sources 500] [--codings 100000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def build(folder: Path, n_sources: int, n_codings: int):
    import somecode

    project = somecode.Project.create(folder / "refi.somecode")
    project.add_codes(somecode.Code(f"c{i}", None if i < 5 else f"c{i % 5}", f"Kode {i}") for i in range(25))
    words = "jaminan kesehatan peserta reels konten insight layanan pengaduan edukasi 👍".split()
    sources = []
    for n in range(n_sources):
        text = "\n".join(" ".join(words[(n + i + j) % len(words)] for j in range(12)) for i in range(60))
        sources.append(somecode.Source(f"s{n:03d}", "document", text + "\n", turns=()))
    project.add_sources(sources)
    per_source = n_codings // n_sources
    codings = [somecode.Coding(s.id, i * 7, i * 7 + 5 + i % 11, f"c{(i + k) % 25}", f"coder{i % 3}")
               for k, s in enumerate(sources) for i in range(per_source)]
    project.add_codings(codings)
    return project


def main() -> int:
    from pyrefiqda import RefiProject

    from somecode.exchange import read_qdpx, write_qdpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--codings", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        project = build(folder, args.sources, args.codings)
        started = time.perf_counter()
        write_qdpx(project, folder / "p.qdpx")
        export_seconds = time.perf_counter() - started
        started = time.perf_counter()
        imported, report = read_qdpx(folder / "p.qdpx", folder / "back.somecode")
        import_seconds = time.perf_counter() - started
        count = imported.summary()["codings"]
        imported.close()
        project.close()
        started = time.perf_counter()
        other = RefiProject.load(str(folder / "p.qdpx"), extract_dir=str(folder / "extracted"))
        other_seconds = time.perf_counter() - started
        other_codings = sum(len(s.coding) for t in other.sources.text_source for s in t.plain_text_selection or [])
    assert count == other_codings == args.codings, (count, other_codings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench_refi: {args.sources} sources, {args.codings:,} codings")
    print(f"  write_qdpx                                  {export_seconds:8.2f} s")
    print(f"  read_qdpx (new project, offsets, checks)    {import_seconds:8.2f} s")
    print(f"  pyrefiqda RefiProject.load (parse only)     {other_seconds:8.2f} s")
    print(f"  ratio read_qdpx / pyrefiqda                 {import_seconds / other_seconds:8.2f} x")
    print(f"  peak memory (whole run)                     {peak:8,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
