"""From a project file to the theme-by-informant table, in a fresh process, beside a researcher's
own pandas script over the same file.

Theirs: ``sqlite3`` + ``pandas.read_sql`` of the tables needed, ``merge_asof`` of the codings onto
the turns they start in, the stage of each code from its parent, and ``pandas.crosstab``.  Ours:
``somecode.theme_by_informant(Project.open(path))``.  Each side runs in its own fresh Python,
alternately, at 10k, 100k and 1M codings (200 informants, 50 codes), and the two tables are
checked equal.  Printed: wall time (interpreter start to exit, imports included), the time after
imports, and peak memory (VmHWM), each ratio against its target (at most 1.2x).

    python benchmarks/bench_table.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import interleaved, print_rows, row, run_child  # noqa: E402

TARGET = 1.2
SIZES = (10_000, 100_000, 1_000_000)

OURS = """
import json, sys, time
started = time.perf_counter()
import somecode
imported = time.perf_counter()
project = somecode.Project.open(sys.argv[1], read_only=True)
table = somecode.theme_by_informant(project)
done = time.perf_counter()
cells = {f"{r}|{c}": int(v) for r, values in table.iterrows() for c, v in values.items() if v}
print(json.dumps({"imports": imported - started, "work": done - imported, "peak": _peak_mb(), "cells": cells}))
"""

# A researcher's script: the tables needed, codings placed on turns with merge_asof, a crosstab.
THEIRS = """
import json, sys, time
started = time.perf_counter()
import sqlite3
import pandas as pd
imported = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
codings = pd.read_sql("SELECT source_id, start, code_id FROM codings WHERE status = 'accepted'", con)
turns = pd.read_sql('SELECT source_id, start AS turn_start, "end" AS turn_end, informant_id FROM turns', con)
names = pd.read_sql("SELECT id AS informant_id, name FROM informants", con)
codes = pd.read_sql("SELECT id, parent FROM codes", con)
parent = dict(zip(codes["id"], codes["parent"]))
def stage(code):
    while isinstance(parent.get(code), str):
        code = parent[code]
    return code
codings = codings.sort_values("start")
turns = turns.sort_values("turn_start")
placed = pd.merge_asof(codings, turns, left_on="start", right_on="turn_start", by="source_id")
placed = placed[placed["start"] < placed["turn_end"]].merge(names, on="informant_id")
placed["stage"] = placed["code_id"].map({c: stage(c) for c in codes["id"]})
table = pd.crosstab(placed["stage"], placed["name"])
done = time.perf_counter()
cells = {f"{r}|{c}": int(v) for r, values in table.iterrows() for c, v in values.items() if v}
print(json.dumps({"imports": imported - started, "work": done - imported, "peak": _peak_mb(), "cells": cells}))
"""


def build(path: Path, n_codings: int, n_informants: int = 200) -> None:
    """A project of ``n_informants`` interviews (60 turns of 40 words) and ``n_codings`` codings."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_matrix import build as build_matrix

    build_matrix(path, n_informants, n_codings).close()


def measure(path: Path, repeat: int) -> dict:
    runs: dict[str, list[dict]] = {"ours": [], "theirs": []}

    def child(name: str, code: str) -> dict:
        runs[name].append(run_child(code, str(path)))
        return runs[name][-1]

    ours, theirs = interleaved(lambda: child("ours", OURS), lambda: child("theirs", THEIRS), repeat)
    assert ours["result"]["cells"] == theirs["result"]["cells"], "the two tables differ"
    out = {}
    for name, side in (("ours", ours), ("theirs", theirs)):  # inner numbers: the best of the runs
        out[name] = {"wall_min": side["min"], "wall_median": side["median"],
                     **{key: min(r[key] for r in runs[name]) for key in ("work", "imports", "peak")}}
    return out


def rows(sizes=SIZES, repeat: int = 3, report=print) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"t{n}"
            path.mkdir()
            build(path, n)
            numbers = measure(path / "matrix.somecode", repeat)
            ours, theirs = numbers["ours"], numbers["theirs"]
            report(f"bench_table {n:>9,} codings: ours {ours['wall_min']:.2f} s (median {ours['wall_median']:.2f}; "
                   f"imports {ours['imports']:.2f}, work {ours['work']:.2f}) {ours['peak']:.0f} MB | theirs "
                   f"{theirs['wall_min']:.2f} s (median {theirs['wall_median']:.2f}; imports "
                   f"{theirs['imports']:.2f}, work {theirs['work']:.2f}) {theirs['peak']:.0f} MB")
            label = f"{n // 1000:,}k" if n < 1_000_000 else f"{n // 1_000_000}M"
            out.append(row(f"(a) table from file, {label} codings: time", ours["wall_min"] / theirs["wall_min"],
                           f"<= {TARGET}", f"medians {ours['wall_median'] / theirs['wall_median']:.2f}x; after "
                           f"imports {ours['work'] / theirs['work']:.2f}x; imports {ours['imports']:.2f} s vs "
                           f"{theirs['imports']:.2f} s"))
            out.append(row(f"(a) table from file, {label} codings: peak memory", ours["peak"] / theirs["peak"],
                           f"<= {TARGET}", f"{ours['peak']:.0f} MB vs {theirs['peak']:.0f} MB"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = rows(args.sizes, args.repeat)
    print_rows(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
