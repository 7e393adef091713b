"""Figures for a paper: heat maps of any table (in the codebook's colours where its rows or columns
are codes) and the co-occurrence graph (:func:`~somecode.exchange.graph_figure.plot_graph`), saved
as PNG, SVG or PDF at a chosen size.

A figure's size is chosen when it is drawn (``size=(width, height)`` in inches, ``dpi=``), because
where labels go depends on it; :func:`save_figure` writes it at exactly that size (a PNG of
``size * dpi`` pixels), with no clock or random id in the file: the same figure, the same bytes.

>>> import pandas as pd
>>> table = pd.DataFrame({"Ani": [2, 0], "Total": [2, 1]},
...                      index=pd.MultiIndex.from_tuples([("share", "share"), ("Total", "")]))
>>> tick_labels(table.index)
['share', 'Total']
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ValidationError
from ..vocabulary import check_choice

__all__ = ["plot_heatmap", "save_figure", "FORMATS"]

FORMATS = ("png", "svg", "pdf")
TOTAL = "Total"
_NO_COLOUR = "#7F7F7F"
_PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF",
            "#BCBD22")


def pyplot():
    """matplotlib's pyplot on a non-interactive backend unless one is chosen (the ``plot`` extra)."""
    try:
        import matplotlib

        matplotlib.use(os.environ.get("MPLBACKEND", "Agg"), force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("figures need matplotlib: pip install 'somecode[plot]'") from None
    return plt


def check_size(size, dpi) -> tuple[float, float] | None:
    """``size`` as (width, height) in inches (or ``None``); ``dpi`` a positive number."""
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 2400:
        raise ValidationError(f"dpi={dpi!r} is not a resolution: give dots per inch between 10 and 2400, "
                              "such as dpi=300 for print")
    if size is None:
        return None
    try:
        width, height = (float(v) for v in size)
    except (TypeError, ValueError):
        raise ValidationError(f"size={size!r} is not (width, height) in inches: give two numbers, "
                              "such as size=(7, 5)") from None
    if not (0.5 <= width <= 100 and 0.5 <= height <= 100):
        raise ValidationError(f"size={size!r}: width and height are inches between 0.5 and 100, "
                              "such as size=(7, 5)")
    return width, height


def save_figure(figure, path, *, format: str | None = None, dpi: float | None = None) -> Path:
    """Write a figure (or the figure of an ``Axes``) as PNG, SVG or PDF, atomically.

    ``format`` defaults to the file's suffix; ``dpi`` to the figure's own (a PNG is then exactly
    the figure's size times its dpi, in pixels).  No date, tool version or random id is written.
    """
    plt = pyplot()
    figure = getattr(figure, "figure", figure)
    path = Path(path)
    chosen = format if format is not None else path.suffix.lstrip(".").lower()
    check_choice("format", chosen, FORMATS,
                 problem=f"cannot tell how to save {path.name!r}: " if format is None else "")
    resolution = figure.dpi if dpi is None else dpi
    check_size(None, resolution)
    metadata: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                                "pdf": {"CreationDate": None, "ModDate": None, "Creator": None,
                                        "Producer": None}}[str(chosen)]
    partial = path.with_name(path.name + ".partial")
    with plt.rc_context({"svg.hashsalt": "somecode", "svg.fonttype": "path"}):
        figure.savefig(partial, format=chosen, dpi=resolution, metadata=metadata)
    os.replace(partial, path)
    return path


def tick_labels(index: pd.Index, names: dict[str, str] | None = None, width: int = 0) -> list[str]:
    """One label per row: a code's name (``names``) or the value; a tuple's last filled part (a code
    under its top-level code indented when ``names`` are given); ``width`` > 0 wraps long labels."""
    out = []
    for item in index:
        parts = [str(p) for p in (item if isinstance(item, tuple) else (item,)) if str(p) != ""]
        last = parts[-1] if parts else ""
        text = (names or {}).get(last, last)
        lines = textwrap.wrap(text, width, break_long_words=False) if width and text else [text]
        indent = "\u2003" if names and len(parts) > 1 and parts[0] != last else ""
        out.append("\n".join(indent + line for line in lines))
    return out


def _code_colours(codebook) -> tuple[dict[str, str], dict[str, str]]:
    """Each code's colour (its own, else its nearest coloured ancestor's, else one of a palette per
    top-level code) and its label, from a Project or a Codebook."""
    codes = list(codebook.codes() if hasattr(codebook, "codes") and callable(codebook.codes) else codebook)
    by_id = {c.id: c for c in codes}
    colours: dict[str, str] = {}
    roots = [c.id for c in codes if c.parent is None]
    for code in codes:
        here: Any = code
        while here is not None and not here.color:
            here = by_id.get(here.parent) if here.parent else None
        if here is not None:
            colours[code.id] = here.color
        else:
            top = code
            while top.parent in by_id:
                top = by_id[top.parent]
            colours[code.id] = _PALETTE[roots.index(top.id) % len(_PALETTE)] if top.id in roots else _NO_COLOUR
    return colours, {c.id: c.label or c.id for c in codes}


def _key(item) -> str:
    parts = [str(p) for p in (item if isinstance(item, tuple) else (item,)) if str(p) != ""]
    return parts[-1] if parts else ""


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def plot_heatmap(table: pd.DataFrame, *, codebook=None, ax=None, cmap: str = "Blues", size=None,
                 dpi: float = 150, font_size: float = 8, path=None):
    """A heat map of a numeric table, the numbers written in the cells; return the ``Axes``.

    With ``codebook`` (a Project or a Codebook), rows that are codes are shaded from white to
    their code's colour and labelled with the code's name (columns, when they are the codes and
    the rows are not); a ``Total`` row or column is shaded in grey on its own scale.  Otherwise
    one colour map (``cmap``) and a colour bar.  ``size`` (inches) defaults to fit the table;
    ``path`` also saves the figure (:func:`save_figure`).
    """
    plt = pyplot()
    import matplotlib

    check_choice("cmap", cmap, sorted(matplotlib.colormaps))
    chosen = check_size(size, dpi)
    values = table.astype(float)
    colours, names = _code_colours(codebook) if codebook is not None else ({}, {})
    rows = [_key(i) for i in table.index]
    columns = [_key(c) for c in table.columns]
    by = "rows" if sum(r in colours for r in rows) > len(rows) / 2 else (
        "columns" if colours and sum(c in colours for c in columns) > len(columns) / 2 else None)
    created = ax is None
    if ax is None:
        fitted = chosen or (1.6 + min(3.5, 0.07 * max((len(t) for t in tick_labels(table.index, names)),
                                                       default=4)) + 0.8 * len(table.columns),
                           1.0 + 0.32 * len(table) + 0.08 * max((len(str(c)) for c in table.columns),
                                                                  default=4))
        _, ax = plt.subplots(figsize=fitted, dpi=dpi)
    image = _shades(values, rows, columns, colours, by)
    if image is None:
        shown = ax.imshow(values.to_numpy(), cmap=cmap, aspect="auto")
        ax.figure.colorbar(shown, ax=ax)
        top = float(values.max().max()) if values.size else 0.0
        dark = [[v > 0.6 * top for v in row] for row in values.to_numpy()]
    else:
        ax.imshow(image, aspect="auto")
        dark = [[0.299 * r + 0.587 * g + 0.114 * b < 0.5 for r, g, b in row] for row in image]
    ax.set_xticks(range(len(table.columns)), tick_labels(table.columns, names if by == "columns" else None, 18),
                  rotation=30, ha="right", fontsize=font_size)
    ax.set_yticks(range(len(table.index)), tick_labels(table.index, names if by == "rows" else None, 32),
                  fontsize=font_size)
    for (row, column), value in pd.DataFrame(values.to_numpy()).stack().items():
        ax.text(column, row, f"{value:g}", ha="center", va="center", fontsize=font_size,
                color="white" if dark[row][column] else "black")
    if created:
        ax.figure.tight_layout()
    if path is not None:
        save_figure(ax.figure, path)
    return ax


def _shades(values: pd.DataFrame, rows, columns, colours, by):
    """RGB cells: white to the row's (or column's) code colour, totals grey on their own scale;
    ``None`` when neither rows nor columns are codes."""
    if by is None:
        return None
    import numpy as np

    grid = values.to_numpy(dtype=float)
    total = np.zeros(grid.shape, dtype=bool)
    total[[n for n, r in enumerate(rows) if r == TOTAL], :] = True
    total[:, [n for n, c in enumerate(columns) if c == TOTAL]] = True
    finite = np.nan_to_num(grid, nan=0.0)
    inner = float(finite[~total].max()) if (~total).any() else 0.0
    outer = float(finite[total].max()) if total.any() else 0.0
    image = np.ones(grid.shape + (3,))
    for r in range(grid.shape[0]):
        for c in range(grid.shape[1]):
            key = rows[r] if by == "rows" else columns[c]
            colour = _rgb("#555555") if total[r, c] else _rgb(colours.get(key, _NO_COLOUR))
            top = outer if total[r, c] else inner
            share = finite[r, c] / top if top > 0 else 0.0
            image[r, c] = [1 - share * (1 - channel) for channel in colour]
    return image
