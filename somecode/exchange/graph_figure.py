"""The co-occurrence graph as a figure for a paper, every label whole and readable.

Each node and its label (the code's name, wrapped at ``wrap`` characters, centred under the node)
make one box.  From a networkx layout scaled to the drawing area, the boxes are pushed apart --
each overlapping pair along the axis where they overlap least, half each way -- and kept inside
the area, until every two boxes are at least :data:`GAP` points apart.  Nodes move with their
labels, so no label needs a leader line and the edges follow.  Where the boxes cannot all fit, a
figure of automatic size grows; a figure of a chosen ``size`` uses a smaller font (down to
:data:`MIN_FONT` points) and warns when even that does not fit.

Node area grows linearly with the code's ``count`` (a node with a larger count is never smaller),
edge width with the edge's ``weight``; node colours are the codebook's.

>>> import networkx as nx
>>> graph = nx.Graph()
>>> graph.add_node("a", label="Privacy and confidentiality of members", count=3, color="#1F77B4")
>>> graph.add_node("b", label="Quick response", count=1)
>>> graph.add_edge("a", "b", weight=2)
>>> ax = plot_graph(graph, size=(3, 2))
>>> sorted(t.get_text() for t in ax.texts)
['Privacy and\\nconfidentiality of\\nmembers', 'Quick response']
"""

from __future__ import annotations

import math
import textwrap
import warnings

import numpy as np

from ..errors import SomecodeWarning, ValidationError
from ..vocabulary import check_choice
from .figures import check_size, pyplot, save_figure

__all__ = ["plot_graph", "LAYOUTS", "GAP", "MIN_FONT"]

LAYOUTS = ("spring", "circular", "shell")
GAP = 3.0  # points between any two node-and-label boxes, and between a box and the edge of the figure
MIN_FONT = 5.0  # points: the smallest font a label is set in to make a figure of a chosen size fit
_LABEL_GAP = 1.5  # points between a node and its label
_STEP = 2.0  # points between the places a jammed box may be moved to
_PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF")


def plot_graph(graph, *, ax=None, size=None, dpi: float = 150, layout: str = "spring", seed: int = 0,
               font_size: float = 8.0, wrap: int = 20, path=None):
    """Draw a co-occurrence graph (:func:`~somecode.analysis.cooccurrence_graph`); return the ``Axes``.

    ``size``: (width, height) in inches, or ``None`` to fit the labels at ``font_size``;
    ``dpi``: the figure's resolution; ``layout``: a networkx layout (:data:`LAYOUTS`), ``seed``
    making ``spring`` repeatable; ``wrap``: the longest label line, in characters (a longer
    word stays whole); ``path``: also save it (``.png``, ``.svg``, ``.pdf``).  With ``ax``, the
    graph fills that ``Axes`` and its size is the Axes' own.  Each label is a ``Text`` whose
    ``gid`` is the node.
    """
    plt = pyplot()
    check_choice("layout", layout, LAYOUTS)
    chosen = check_size(size, dpi)
    if isinstance(wrap, bool) or not isinstance(wrap, int) or wrap < 8:
        raise ValidationError(f"wrap={wrap!r}: give the longest label line in characters, 8 or more")
    if isinstance(font_size, bool) or not isinstance(font_size, (int, float)) or not MIN_FONT <= font_size <= 72:
        raise ValidationError(f"font_size={font_size!r}: give points between {MIN_FONT:g} and 72")
    fitting = ax is None and chosen is None
    if ax is None:
        _, ax = plt.subplots(figsize=chosen or (5.0, 3.75), dpi=dpi)
        ax.set_position((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    nodes = list(graph)
    counts = np.array([float(graph.nodes[n].get("count", 1) or 0) for n in nodes])
    sizes = node_sizes(counts)
    radius = np.sqrt(sizes) / 2 + 0.4  # the marker and half its white outline
    texts = [ax.text(0, 0, _wrapped(str(graph.nodes[n].get("label") or n), wrap), ha="center", va="top",
                     fontsize=font_size, zorder=3, clip_on=False, gid=str(n),
                     bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
                           "alpha": 0.75})
             for n in nodes]
    start = _start(graph, layout, seed)
    order = sorted(range(len(nodes)), key=lambda i: (-counts[i], i))
    font = float(font_size)
    for _ in range(40):
        half, offset = _boxes(ax, texts, radius)
        if fitting:
            _fit(ax.figure, half)
        width, height = _extent(ax)
        centres, fitted = _separate(start, half, width, height, order)
        if fitted or not nodes:
            break
        if fitting:
            ax.figure.set_size_inches(*(ax.figure.get_size_inches() * 1.12))
        elif font > MIN_FONT:
            font = max(MIN_FONT, font * 0.9)
            for text in texts:
                text.set_fontsize(font)
        else:
            warnings.warn(f"the labels of {len(nodes)} codes do not all fit a {width / 72:.1f} x "
                          f"{height / 72:.1f} inch graph even at {MIN_FONT:g} pt: give a larger size=, "
                          "a smaller wrap=, or fewer codes", SomecodeWarning, stacklevel=2)
            break
    positions = centres - offset if nodes else np.zeros((0, 2))
    _draw(ax, graph, nodes, positions, sizes)
    for text, (x, y), r in zip(texts, positions, radius):
        text.set_position((x, y - r - _LABEL_GAP))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    if path is not None:
        save_figure(ax.figure, path)
    return ax


def node_sizes(counts, smallest: float = 40.0) -> np.ndarray:
    """Marker areas (points squared) growing linearly with ``counts``; the largest shrinks as the
    graph grows, so large graphs still leave room for their labels."""
    counts = np.asarray(counts, dtype=float)
    largest = 700.0 if len(counts) <= 12 else 450.0 if len(counts) <= 30 else 300.0
    top = counts.max() if len(counts) and counts.max() > 0 else 1.0
    return smallest + (largest - smallest) * np.clip(counts, 0, None) / top


def _wrapped(label: str, wrap: int) -> str:
    words = " ".join(label.split())
    return "\n".join(textwrap.wrap(words, wrap, break_long_words=False, break_on_hyphens=False)) or words


def _start(graph, layout: str, seed: int) -> np.ndarray:
    """The networkx layout, each axis scaled to 0..1 (a single node in the middle)."""
    import networkx as nx

    if not len(graph):
        return np.zeros((0, 2))
    if layout == "spring":
        placed = nx.spring_layout(graph, seed=seed, weight="weight")
    elif layout == "circular":
        placed = nx.circular_layout(graph)
    else:
        placed = nx.shell_layout(graph)
    points = np.array([placed[n] for n in graph], dtype=float)
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    return np.where(span > 0, (points - low) / np.where(span > 0, span, 1), 0.5)


def _extent(ax) -> tuple[float, float]:
    """The Axes' width and height in points (its data units once the limits are set)."""
    box = ax.get_window_extent()
    scale = 72.0 / ax.figure.dpi
    return box.width * scale, box.height * scale


def _boxes(ax, texts, radius) -> tuple[np.ndarray, np.ndarray]:
    """Half the width and height of each node-and-label box, and the box's centre relative to its
    node, in points, measured on the figure's renderer."""
    renderer = ax.figure.canvas.get_renderer()
    scale = 72.0 / ax.figure.dpi
    extents = [t.get_window_extent(renderer) for t in texts]
    measured = np.array([[e.width * scale, e.height * scale] for e in extents]).reshape(-1, 2)
    half_width = np.maximum(radius, measured[:, 0] / 2)
    depth = 2 * radius + _LABEL_GAP + measured[:, 1]
    half = np.column_stack([half_width, depth / 2])
    offset = np.column_stack([np.zeros(len(texts)), radius - depth / 2])  # box centre - node centre
    return half, offset


def _fit(figure, half) -> None:
    """Grow a figure of automatic size to about 1.6 times the area of the boxes, 4:3."""
    area = float(((2 * half[:, 0] + GAP) * (2 * half[:, 1] + GAP)).sum()) * 1.6 if len(half) else 0.0
    height = max(math.sqrt(area * 3 / 4) / 72, float(2 * half[:, 1].max() + 2 * GAP) / 72 if len(half) else 0)
    width = max(height * 4 / 3, float(2 * half[:, 0].max() + 2 * GAP) / 72 if len(half) else 0)
    now = figure.get_size_inches()
    figure.set_size_inches(max(now[0], width), max(now[1], height))


def _separate(start: np.ndarray, half: np.ndarray, width: float, height: float, order,
              rounds: int = 1500) -> tuple[np.ndarray, bool]:
    """Box centres from ``start`` (0..1) with no two boxes closer than GAP, all inside the area:
    pushed apart, then settled one by one if pushing jams (:func:`_settle`)."""
    n = len(start)
    low, high = half + GAP, np.array([width, height]) - half - GAP
    if n == 0:
        return np.zeros((0, 2)), True
    if (low > high).any():
        return np.clip(low + start * (high - low), 0, None), False
    centres = low + start * (high - low)
    later = np.where(np.arange(n)[:, None] > np.arange(n)[None, :], 1.0, -1.0)  # breaks exact ties
    need = half[:, None, :] + half[None, :, :] + GAP
    for _ in range(rounds):
        apart = centres[:, None, :] - centres[None, :, :]
        overlap = need - np.abs(apart)
        hit = (overlap > 0).all(axis=2)
        np.fill_diagonal(hit, False)
        if not hit.any():
            return centres, True
        axis = np.argmin(overlap, axis=2)
        along = np.take_along_axis(apart, axis[..., None], 2)[..., 0]
        amount = np.take_along_axis(overlap, axis[..., None], 2)[..., 0] / 2 + 0.25
        push = np.where(along == 0, later, np.sign(along)) * amount * hit
        share = np.maximum(1, hit.sum(axis=1))[:, None]
        move = np.column_stack([(push * (axis == 0)).sum(axis=1), (push * (axis == 1)).sum(axis=1)])
        centres = np.clip(centres + move / np.sqrt(share), low, high)
    return _settle(centres, half, width, height, order)


def _settle(centres: np.ndarray, half: np.ndarray, width: float, height: float,
            order) -> tuple[np.ndarray, bool]:
    """Where pushing jams, place the boxes one by one (``order``: the most frequent codes first):
    each stays where it is if it is clear of those placed before it, else goes to the nearest
    clear point of a grid of :data:`_STEP` points; ``False`` when some box finds no clear point."""
    grid = np.stack(np.meshgrid(np.arange(0, width, _STEP), np.arange(0, height, _STEP)), -1).reshape(-1, 2)
    out = centres.copy()
    placed: list[int] = []

    def clear(points: np.ndarray, i: int) -> np.ndarray:
        apart = np.abs(points[:, None, :] - out[placed][None, :, :]) >= (half[i] + half[placed] + GAP)[None]
        return apart.any(axis=2).all(axis=1)

    for i in order:
        low, high = half[i] + GAP, np.array([width, height]) - half[i] - GAP
        here = np.clip(out[i], low, high)
        if not clear(here[None, :], i)[0]:
            inside = grid[(grid >= low).all(axis=1) & (grid <= high).all(axis=1)]
            free = inside[clear(inside, i)]
            if not len(free):
                return out, False
            here = free[np.argmin(((free - here) ** 2).sum(axis=1))]
        out[i] = here
        placed.append(i)
    return out, True


def _draw(ax, graph, nodes, positions, sizes) -> None:
    from matplotlib.collections import LineCollection

    index = {n: i for i, n in enumerate(nodes)}
    edges = list(graph.edges(data="weight", default=1.0))
    if edges:
        weights = np.array([float(w or 0) for _, _, w in edges])
        top = weights.max() if weights.max() > 0 else 1.0
        segments = [(positions[index[a]], positions[index[b]]) for a, b, _ in edges]
        ax.add_collection(LineCollection(segments, linewidths=0.6 + 4.4 * weights / top, colors="#8C8C8C",
                                         alpha=0.6, zorder=1, capstyle="round"))
    stages = sorted({str(graph.nodes[n].get("stage", "")) for n in nodes})
    colours = [graph.nodes[n].get("color") or _PALETTE[stages.index(str(graph.nodes[n].get("stage", "")))
                                                         % len(_PALETTE)] for n in nodes]
    if nodes:
        ax.scatter(positions[:, 0], positions[:, 1], s=sizes, c=colours, edgecolors="white", linewidths=0.8,
                   zorder=2)
