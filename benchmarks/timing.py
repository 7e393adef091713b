"""Shared by the benchmarks: best-of-N timing and peak memory."""

from __future__ import annotations

import resource
import time


def best_of(function, repeat: int = 3) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (seconds) and the last result: this machine's timings vary
    by about 20% from run to run."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
