"""Agreement benchmark: Krippendorff's alpha for 10 coders x 100,000 units x 20 categories.

Prints the time of :func:`somecode.agreement.krippendorff_alpha` beside the ``krippendorff``
package on the same data in the same run (target: no slower), checks that both give the same
value, and prints the peak memory.  Each timing is the best of three.

    python benchmarks/bench_agreement.py [--coders 10] [--units 100000] [--categories 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from timing import best_of, peak_mb  # noqa: E402

TARGET_RATIO = 1.0



def rows(n_coders: int = 10, n_units: int = 100_000, n_categories: int = 20, repeat: int = 3,
         report=print) -> list[dict]:
    """somecode's Krippendorff's alpha beside the krippendorff package, alternately."""
    import krippendorff

    from somecode.agreement import krippendorff_alpha
    from timing import interleaved

    rng = np.random.default_rng(0)
    truth = rng.integers(0, n_categories, n_units)
    noise = rng.integers(0, n_categories, (n_coders, n_units))
    values = np.where(rng.random((n_coders, n_units)) < 0.7, truth, noise).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    data = [[None if np.isnan(v) else int(v) for v in row] for row in values]
    ours, theirs = interleaved(lambda: krippendorff_alpha(data), lambda: krippendorff.alpha(
        reliability_data=values, level_of_measurement="nominal"), repeat)
    assert abs(ours["result"] - theirs["result"]) < 1e-9
    report(f"bench_agreement: alpha {ours['min']:.3f} s (median {ours['median']:.3f}), krippendorff package "
           f"{theirs['min']:.3f} s (median {theirs['median']:.3f})")
    return [{"name": "Krippendorff's alpha vs the krippendorff package", "ratio": ours["min"] / theirs["min"],
             "target": f"<= {TARGET_RATIO}", "note": f"medians {ours['median'] / theirs['median']:.2f}x"}]


def main() -> int:
    import krippendorff

    from somecode.agreement import krippendorff_alpha

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=10)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--categories", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    truth = rng.integers(0, args.categories, args.units)
    noise = rng.integers(0, args.categories, (args.coders, args.units))
    agree = rng.random((args.coders, args.units)) < 0.7
    values = np.where(agree, truth, noise).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan  # 10% missing
    data = [[None if np.isnan(v) else int(v) for v in row] for row in values]  # the plain-list form
    ours_seconds, ours = best_of(lambda: krippendorff_alpha(data))
    theirs_seconds, theirs = best_of(lambda: krippendorff.alpha(reliability_data=values,
                                                                level_of_measurement="nominal"))
    assert abs(ours - theirs) < 1e-9, (ours, theirs)
    ratio = ours_seconds / theirs_seconds
    peak = peak_mb()
    print(f"bench_agreement: {args.coders} coders x {args.units:,} units x {args.categories} categories, 10% missing")
    print(f"  somecode krippendorff_alpha (lists with None)  {ours_seconds:8.3f} s   alpha {ours:.6f}")
    print(f"  krippendorff package (numpy array with NaN)    {theirs_seconds:8.3f} s   alpha {theirs:.6f}")
    print(f"  ratio                                          {ratio:8.2f} x   (target <= {TARGET_RATIO})")
    print(f"  peak memory (whole run)                        {peak:8,.0f} MB")
    print(f"  {'PASS' if ratio <= TARGET_RATIO else 'MISS'}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
