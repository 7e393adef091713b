"""Shared by the benchmarks: interleaved side-by-side timing, peak memory, and the rows of the
``make bench`` table.

Every comparison runs ours and theirs in one process, alternately (ours, theirs, ours, theirs...),
so that a machine getting busier or quieter affects both alike; the ratio is of the minimums, and
the medians are printed beside them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

# Peak memory of a child process: VmHWM after resetting it.  ``resource.ru_maxrss`` is wrong here: on
# Linux it survives exec, so a child of a big parent reports the parent's size.
CHILD_PEAK = """
def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


_reset_peak()
"""


def best_of(function, repeat: int = 3) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def interleaved(ours, theirs, repeat: int = 3) -> tuple[dict, dict]:
    """Run ``ours`` and ``theirs`` alternately ``repeat`` times each; per side ``min``, ``median``
    (seconds), ``times`` and the last ``result``."""
    sides: dict[str, dict] = {"ours": {"times": []}, "theirs": {"times": []}}
    for _ in range(repeat):
        for name, function in (("ours", ours), ("theirs", theirs)):
            started = time.perf_counter()
            sides[name]["result"] = function()
            sides[name]["times"].append(time.perf_counter() - started)
    for side in sides.values():
        side["min"], side["median"] = min(side["times"]), statistics.median(side["times"])
    return sides["ours"], sides["theirs"]


def run_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python (its peak-memory helpers defined first); it prints one JSON
    object last.  Returns that object with ``wall`` (seconds, interpreter start to exit)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD_PEAK + code, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"child failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    return out


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (VmHWM)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(name: str, ratio: float, target: str, note: str = "") -> dict:
    """One row of the ``make bench`` table; ``target`` like ``"<= 1.2"`` or ``">= 0.85"``."""
    return {"name": name, "ratio": ratio, "target": target, "note": note}


def target_text(target) -> str:
    """A target as ``"<= 1.2"`` or ``">= 0.85"``; a bare number is an upper bound (at most)."""
    return f"<= {target:g}" if isinstance(target, (int, float)) else str(target)


def met(entry: dict) -> bool:
    """Whether a table row meets its target."""
    op, bound = target_text(entry["target"]).split()
    return entry["ratio"] <= float(bound) if op == "<=" else entry["ratio"] >= float(bound)


def print_rows(rows: list[dict]) -> None:
    for entry in rows:
        flag = "ok" if met(entry) else "MISS"
        print(f"  {entry['name']:<64} {entry['ratio']:7.2f}  {target_text(entry['target']):>7}  {flag:<4}  "
              f"{entry.get('note', '')}")


def cpu_profile(function, top: int = 12) -> str:
    """The cProfile top lines (by cumulative time) of one call, as text."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(function)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def dump(payload) -> str:
    return json.dumps(payload)
