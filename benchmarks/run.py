"""``make bench``: every benchmark of a user path, side by side with what a researcher would write
instead, in one table of ratios against their targets; exits non-zero when a target is missed.

Each ``bench_*.py`` with a ``rows()`` function gives rows ``{name, ratio, target, note}`` (a module
without one, such as a benchmark still being written, is skipped and named).  The details each
prints (times, medians, memory, and the profile of a missed target) come first, then the table.

    python benchmarks/run.py [--only table autocode_project ...] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import met, print_rows  # noqa: E402

# in this order; the arguments of a quick run (for trying the harness, not for the record)
ORDER = ["table", "autocode_project", "add_path", "refi", "dask", "store", "agreement"]
QUICK = {"table": {"sizes": (10_000, 100_000)}, "dask": {"sentences": 100_000}, "store": {"n_codings": 100_000},
         "add_path": {"n_files": 200}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=ORDER)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: to try the harness")
    args = parser.parse_args()
    started = datetime.datetime.now()
    table, skipped = [], []
    for name in args.only or ORDER:
        if not (HERE / f"bench_{name}.py").exists():
            skipped.append(f"bench_{name}.py (not there)")
            continue
        module = importlib.import_module(f"bench_{name}")
        rows = getattr(module, "rows", None)
        if rows is None:
            skipped.append(f"bench_{name}.py (no rows())")
            continue
        print(f"--- bench_{name}", flush=True)
        table += rows(**(QUICK.get(name, {}) if args.quick else {}))
    print(f"\nmake bench, started {started:%Y-%m-%d %H:%M}, finished {datetime.datetime.now():%H:%M}; "
          f"os.cpu_count() = {os.cpu_count()}; ratio = ours / theirs (time, memory), or theirs / ours (speed)")
    print(f"  {'benchmark':<64} {'ratio':>7}  {'target':>7}  ok")
    print_rows(table)
    missed = [entry["name"] for entry in table if not met(entry)]
    if skipped:
        print("not in the table: " + ", ".join(skipped))
    print(f"{len(table) - len(missed)} of {len(table)} targets met" + (f"; missed: {'; '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
