"""Adding a folder of transcripts: ``project.add_path`` beside the bare minimum of the same work.

1,000 interview transcripts of about 5,000 words (front matter, two speakers, 100 turns).  Ours:
``add_path(folder)`` into a new project (read, decode, canonicalise, parse turns and speakers,
detect the language, hash, store the sources, turns and informants in one undoable operation).
Theirs: read each file, decode, canonicalise (BOM, newlines, NFC), hash, and insert id, text and
hash into a new SQLite table in one transaction.  Alternately, min and median of 3; target: at
most 1.5x.

    python benchmarks/bench_add_path.py [--files 1000] [--words 5000] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import cpu_profile, print_rows, row  # noqa: E402

TARGET = 1.5
WORDS = ("jaminan kesehatan peserta layanan pengaduan informasi edukasi konten media sosial rumah sakit "
         "antrean obat dokter kartu iuran kepesertaan aplikasi mobile bpjs puskesmas rujukan").split()


def write_transcripts(folder: Path, n_files: int, words: int) -> None:
    rng = random.Random(0)
    per_turn = max(1, words // 100)
    for n in range(n_files):
        turns = []
        for t in range(100):
            speaker = "Peneliti" if t % 2 == 0 else f"Informan {n:04d}"
            body = " ".join(rng.choice(WORDS) for _ in range(per_turn))
            turns.append(f"{speaker}: {body.capitalize()}.")
        front = (f"---\nid: t{n:04d}\nlanguage: id\nspeakers: {{Peneliti: interviewer, Informan {n:04d}: "
                 "informant}\n---\n")
        (folder / f"t{n:04d}.txt").write_text(front + "\n".join(turns) + "\n", encoding="utf-8")


def ours(folder: Path, work: Path) -> float:
    import somecode

    target = work / "ours.somecode"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    project = somecode.Project.create(target)
    started = time.perf_counter()
    project.add_path(folder)
    seconds = time.perf_counter() - started
    project.close()
    return seconds


def bare(folder: Path, work: Path) -> float:
    from somecode.text import canonical_text, text_hash

    target = work / "bare.sqlite"
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE sources (id TEXT PRIMARY KEY, text TEXT NOT NULL, text_hash TEXT NOT NULL)")
    started = time.perf_counter()
    rows = []
    for path in sorted(folder.glob("*.txt")):
        text = canonical_text(path.read_bytes().decode("utf-8"))
        rows.append((path.stem, text, text_hash(text)))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def rows(n_files: int = 1000, words: int = 5000, repeat: int = 3, profile: bool = False, report=print) -> list[dict]:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        folder = work / "transcripts"
        folder.mkdir()
        write_transcripts(folder, n_files, words)
        ours(folder, work)  # warm the page cache and the imports alike
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeat):
            times[0].append(ours(folder, work))
            times[1].append(bare(folder, work))
        mine, theirs = sorted(times[0]), sorted(times[1])
        ratio = mine[0] / theirs[0]
        report(f"bench_add_path: {n_files:,} transcripts of ~{words:,} words; add_path {mine[0]:.2f} s (median "
               f"{mine[len(mine) // 2]:.2f}), bare read+canonicalise+hash+insert {theirs[0]:.2f} s (median "
               f"{theirs[len(theirs) // 2]:.2f})")
        if profile or ratio > TARGET:
            report(cpu_profile(lambda: ours(folder, work), top=20))
    return [row(f"(d) add_path of {n_files:,} transcripts vs bare insert", ratio, f"<= {TARGET}",
                f"medians {mine[len(mine) // 2] / theirs[len(theirs) // 2]:.2f}x")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print_rows(rows(args.files, args.words, args.repeat, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
