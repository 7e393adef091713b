"""Figures for a paper (issue #18, part 5), checked by measuring the rendered figure, not by eye.

The co-occurrence graph, on the bundled study and on a codebook of 40 long code names with random
co-occurrences: every label's box (``Text.get_window_extent`` on the figure's renderer) is apart
from every other, lies inside the figure, and holds the label's whole text; node areas grow with
the codes' counts and edge widths with the weights; files come out at the size asked for and parse
as PNG, SVG and PDF, the same bytes each time.  Heat maps shade code rows in the codebook's colours.
"""

from __future__ import annotations

import itertools
import random
import warnings
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("matplotlib")

from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

import somecode  # noqa: E402
from somecode import SomecodeWarning, ValidationError  # noqa: E402
from somecode.exchange import plot_graph, plot_heatmap, save_figure  # noqa: E402
from somecode.exchange.graph_figure import MIN_FONT  # noqa: E402

WORDS = ("privacy", "confidentiality", "of", "members", "complaints", "handled", "through", "official",
         "channels", "influencer", "relations", "with", "local", "health", "workers", "audience", "reach",
         "outside", "big", "cities", "content", "production", "schedule", "and", "prime", "time", "posts",
         "quick", "response", "to", "viral", "misinformation", "real-time", "monitoring", "sentiment")


def long_names(count: int, seed: int = 18) -> list[str]:
    """``count`` different code names of 30 to 60 characters, made of plain words."""
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        words = [rng.choice(WORDS).capitalize()]
        while len(" ".join(words)) < rng.randint(30, 60):
            words.append(rng.choice(WORDS))
        name = " ".join(words)
        if 30 <= len(name) <= 60 and name not in names:
            names.append(name)
    return names


@pytest.fixture(scope="module")
def forty(tmp_path_factory):
    """A project whose codebook has 4 themes and 36 codes under them, 40 long names in all, and an
    interview of 60 turns each coded with 1 to 4 codes at random (seeded)."""
    rng = random.Random(40)
    names = long_names(40)
    codes = [{"id": f"t{n}", "label": names[n]} for n in range(4)]
    codes += [{"id": f"t{n % 4}.c{n}", "parent": f"t{n % 4}", "label": names[n]} for n in range(4, 40)]
    book = somecode.Codebook.from_dict({"codebook": "forty", "codes": codes})
    turns = [f"Ani: Kalimat nomor {n} tentang layanan." for n in range(60)]
    project = somecode.Project.create(tmp_path_factory.mktemp("forty") / "forty.somecode")
    project.set_codebook(book)
    offsets, start = [], 0
    for line in turns:
        offsets.append((start + len("Ani: "), start + len(line)))
        start += len(line) + 1
    source = somecode.Source.from_text("ani", "\n".join(turns), kind="interview",
                                       turns=[somecode.Turn(a, b, "Ani", "ani") for a, b in offsets])
    project.add_source(source)
    ids = [c.id for c in book]
    for start, end in offsets:
        for code in rng.sample(ids, rng.randint(1, 4)):
            project.code("ani", start, end, code, coder="nida")
    yield project
    project.close()


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    project = somecode.build_study(somecode.bundled_study_dir(), tmp_path_factory.mktemp("study") / "s.somecode")
    yield project
    project.close()


def measured(ax):
    """Each label's gid (its node), drawn text and box in display pixels, after a full draw."""
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [(t.get_gid(), t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]


def gap(a, b) -> float:
    """Pixels between two boxes (negative: they intersect)."""
    return max(a.x0 - b.x1, b.x0 - a.x1, a.y0 - b.y1, b.y0 - a.y1)


def assert_readable(ax, graph) -> float:
    """No two label boxes meet, every box is inside the figure, every label is drawn whole and not
    clipped; return the smallest gap between two label boxes, in points."""
    labels = measured(ax)
    assert sorted(gid for gid, _, _ in labels) == sorted(map(str, graph))
    for gid, text, _ in labels:
        assert text.split() == str(graph.nodes[gid]["label"]).split(), gid  # the whole text, wrapped
    area = ax.figure.bbox
    for gid, _, box in labels:
        assert area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1, (gid, box)
    assert not any(t.get_clip_on() for t in ax.texts)
    gaps = [gap(a[2], b[2]) for a, b in itertools.combinations(labels, 2)]
    assert min(gaps) > 0, min(gaps)
    return min(gaps) * 72 / ax.figure.dpi


def node_sizes(ax):
    [nodes] = [c for c in ax.collections if isinstance(c, PathCollection)]
    return list(nodes.get_sizes())


def test_the_study_graph_is_readable(study):
    graph = somecode.cooccurrence_graph(study)
    ax = plot_graph(graph)
    assert assert_readable(ax, graph) >= 2.0
    assert any(len(str(graph.nodes[n]["label"])) > 30 for n in graph)  # "Take part in authentic conversations"


@pytest.mark.parametrize("size, dpi", [(None, 100), ((7, 6), 100), ((10, 8), 200)])
def test_forty_long_names_are_readable(forty, size, dpi):
    graph = somecode.cooccurrence_graph(forty)
    assert len(graph) == 40 and graph.number_of_edges() > 60
    assert all(30 <= len(graph.nodes[n]["label"]) <= 60 for n in graph)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SomecodeWarning)  # it fits: no warning
        ax = plot_graph(graph, size=size, dpi=dpi)
    assert assert_readable(ax, graph) >= 2.0
    if size is not None:
        assert tuple(ax.figure.get_size_inches()) == size  # the size asked for is kept ...
        assert min(t.get_fontsize() for t in ax.texts) >= MIN_FONT  # ... with a font no smaller than this
    assert any("\n" in t.get_text() for t in ax.texts)  # long names are wrapped


def test_a_size_too_small_for_the_labels_warns(forty):
    with pytest.warns(SomecodeWarning, match="do not all fit"):
        plot_graph(somecode.cooccurrence_graph(forty), size=(3, 2))


def test_node_size_follows_frequency_and_edge_width_follows_weight(forty):
    graph = somecode.cooccurrence_graph(forty)
    ax = plot_graph(graph)
    counts = [graph.nodes[n]["count"] for n in graph]
    sizes = node_sizes(ax)
    assert len(set(counts)) > 3
    for (c1, s1), (c2, s2) in itertools.combinations(zip(counts, sizes), 2):
        assert (c1 < c2) == (s1 < s2) and (c1 == c2) == (s1 == s2)
    [edges] = [c for c in ax.collections if isinstance(c, LineCollection)]
    weights = [w for _, _, w in graph.edges(data="weight")]
    for (w1, l1), (w2, l2) in itertools.combinations(zip(weights, edges.get_linewidths()), 2):
        assert (w1 < w2) == (l1 < l2)


def test_node_colours_are_the_codebooks(study):
    graph = somecode.cooccurrence_graph(study)
    ax = plot_graph(graph, size=(6, 4))
    [nodes] = [c for c in ax.collections if isinstance(c, PathCollection)]
    share = list(graph).index("share")
    assert tuple(nodes.get_facecolors()[share][:3]) == pytest.approx(to_rgb("#1F77B4"))


def test_files_have_the_size_asked_for_and_parse(study, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    graph = somecode.cooccurrence_graph(study)
    for suffix in ("png", "svg", "pdf"):
        plot_graph(graph, size=(4, 3), dpi=120, path=tmp_path / f"graph.{suffix}")
    with Image.open(tmp_path / "graph.png") as image:
        assert image.size == (480, 360)
    svg = ET.parse(tmp_path / "graph.svg").getroot()
    assert svg.tag.endswith("svg") and (svg.get("width"), svg.get("height")) == ("288pt", "216pt")
    page = PdfReader(tmp_path / "graph.pdf").pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288, 216)
    assert not list(tmp_path.glob("*.partial"))
    again = plot_graph(graph, size=(4, 3), dpi=120)
    for suffix in ("png", "svg", "pdf"):  # the same figure, the same bytes: no date, no random id
        save_figure(again, tmp_path / f"again.{suffix}")
        assert (tmp_path / f"again.{suffix}").read_bytes() == (tmp_path / f"graph.{suffix}").read_bytes()
    save_figure(again, tmp_path / "big.png", dpi=300)
    with Image.open(tmp_path / "big.png") as image:
        assert image.size == (1200, 900)


@pytest.mark.parametrize("call, message", [
    (lambda g, tmp: plot_graph(g, size=(0, 3)), "size=(0, 3)"),
    (lambda g, tmp: plot_graph(g, size="big"), "size='big'"),
    (lambda g, tmp: plot_graph(g, dpi=0), "dpi=0"),
    (lambda g, tmp: plot_graph(g, wrap=3), "wrap=3"),
    (lambda g, tmp: plot_graph(g, font_size=2), "font_size=2"),
    (lambda g, tmp: plot_graph(g, layout="sprng"), "did you mean 'spring'"),
    (lambda g, tmp: plot_graph(g, path=tmp / "graph.jpg"), "format='jpg' is not one of 'png', 'svg', 'pdf'"),
    (lambda g, tmp: save_figure(plot_graph(g), tmp / "graph.svg", format="sgv"), "did you mean 'svg'"),
])
def test_bad_figure_arguments_say_what_to_give(study, tmp_path, call, message):
    with pytest.raises(ValidationError) as err:
        call(somecode.cooccurrence_graph(study), tmp_path)
    assert message in str(err.value)


def test_heatmap_in_the_codebooks_colours(study):
    table = somecode.theme_by_informant(study, level="code", value="segments", coders="paper", margins=True)
    ax = plot_heatmap(table, codebook=study)
    image = ax.images[0].get_array()
    rows = list(table.index)
    share, connect = rows.index(("share", "share")), rows.index(("share", "share.connect"))
    total = rows.index(("Total", ""))
    assert [t.get_text() for t in ax.get_yticklabels()][share] == "Share"
    assert [t.get_text() for t in ax.get_yticklabels()][total] == "Total"
    assert [t.get_text() for t in ax.get_yticklabels()][connect].strip() == "Connect"  # indented under Share
    top = table.drop(index=[("Total", "")], columns=["Total"]).to_numpy().max()
    for column, value in enumerate(table.loc[("share", "share")].drop("Total")):
        expected = [1 - value / top * (1 - c) for c in to_rgb("#1F77B4")]  # white to the code's colour
        assert list(image[share, column]) == pytest.approx(expected)
    assert list(image[total, -1]) == pytest.approx(to_rgb("#555555"))  # the grand total: darkest grey
    without = plot_heatmap(table)  # no codebook: one colour map and a colour bar
    assert [t.get_text() for t in without.get_yticklabels()][connect] == "share.connect"
    assert len(without.figure.axes) == 2


def test_heatmap_size_and_colour_map_are_checked(study, tmp_path):
    table = somecode.theme_by_informant(study)
    ax = plot_heatmap(table, size=(5, 3), dpi=100, path=tmp_path / "heat.png")
    assert tuple(ax.figure.get_size_inches()) == (5, 3)
    from PIL import Image

    with Image.open(tmp_path / "heat.png") as image:
        assert image.size == (500, 300)
    with pytest.raises(ValidationError, match="did you mean 'Blues'"):
        plot_heatmap(table, cmap="Blus")
