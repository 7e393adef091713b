"""Krippendorff's alpha for unitizing a continuum (1995/2004 definition; *Content Analysis*,
2nd ed. 2004, pp. 251-256): how well coders agree on where units of each category begin and end.

For a category c, each coder's continuum is a sequence of sections: units of c and the gaps
between them.  Between a section g of one coder and a section h of another the squared distance
is (b_g - b_h)^2 + (e_g - e_h)^2 when both are overlapping units, l_g^2 when unit g lies inside gap
h (and l_h^2 the other way round), and 0 otherwise.  Observed disagreement sums these over coder
pairs, divided by m(m - 1) L^2 / 2; expected disagreement is Krippendorff's expression over all
units and gaps.  alpha_c = 1 - D_o(c)/D_e(c); the overall alpha is 1 - sum D_o / sum D_e.

>>> units = [(0, 225, 295, "c"), (0, 370, 400, "c"), (1, 220, 300, "c"), (1, 355, 375, "c"),
...          (1, 400, 420, "c"), (0, 180, 240, "k"), (0, 300, 350, "k"), (1, 180, 240, "k"),
...          (1, 300, 350, "k")]
>>> result = unitized_alpha(units, begin=150, length=300, coders=2)   # Krippendorff (2004) p. 254
>>> round(result["overall"], 3), round(result["c"]["alpha"], 4), round(result["k"]["alpha"], 4)
(0.859, 0.7286, 1.0)
"""

from __future__ import annotations

import itertools

__all__ = ["unitized_alpha"]


def _sections(units, begin: int, end: int) -> list[tuple[int, int, bool]]:
    """A coder's continuum for one category: (start, end, is_unit), units and the gaps between."""
    out, position = [], begin
    for start, stop in sorted(units):
        if start > position:
            out.append((position, start, False))
        out.append((start, stop, True))
        position = stop
    if position < end:
        out.append((position, end, False))
    return out


def _distance(g, h) -> int:
    (bg, eg, unit_g), (bh, eh, unit_h) = g, h
    if unit_g and unit_h and bg < eh and bh < eg:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def _category(units_by_coder, begin, length, coders):
    end = begin + length
    sections = [_sections(units_by_coder.get(c, []), begin, end) for c in range(coders)]
    observed = sum(_distance(g, h) for a, b in itertools.combinations(range(coders), 2)
                   for g in sections[a] for h in sections[b])
    observed = 2 * observed / (coders * (coders - 1) * length ** 2)
    lengths = [e - s for c in range(coders) for s, e in units_by_coder.get(c, [])]
    gaps = [e - s for coder_sections in sections for s, e, is_unit in coder_sections if not is_unit]
    count = len(lengths)
    total = sum((count - 1) * (2 * l ** 3 - 3 * l ** 2 + l) / 3
                + l ** 2 * sum(g - l + 1 for g in gaps if g >= l) for l in lengths)
    denominator = coders * length * (coders * length - 1) - sum(l * (l - 1) for l in lengths)
    expected = (2 / length) * total / denominator if denominator else 0.0
    return observed, expected


def unitized_alpha(units, *, begin: int, length: int, coders: int) -> dict:
    """``units`` are (coder index, start, end, category) with half-open [start, end); returns
    ``{"overall": alpha, category: {"alpha", "observed_disagreement", "expected_disagreement"}}``.
    A category's alpha is ``nan`` when it has no expected disagreement."""
    by_category: dict = {}
    for coder, start, end, category in units:
        by_category.setdefault(category, {}).setdefault(coder, []).append((start, end))
    result: dict = {}
    observed_sum, expected_sum = 0.0, 0.0
    for category, units_by_coder in by_category.items():
        observed, expected = _category(units_by_coder, begin, length, coders)
        alpha = 1 - observed / expected if expected else float("nan")
        result[category] = {"alpha": alpha, "observed_disagreement": observed,
                            "expected_disagreement": expected}
        observed_sum += observed
        expected_sum += expected
    result["overall"] = 1 - observed_sum / expected_sum if expected_sum else float("nan")
    return result
