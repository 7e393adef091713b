"""Exports a paper can use: exact Markdown and LaTeX for a tiny project, a well-formed workbook,
an HTML heat map with the quotes behind each cell, and the plots."""

import openpyxl
from test_analysis import tiny  # noqa: F401  (the fixture)

from somecode.analysis import cooccurrence_graph, theme_by_informant
from somecode.exchange import (
    plot_graph,
    plot_heatmap,
    to_csv,
    to_html,
    to_latex,
    to_markdown,
    to_xlsx,
)

MARKDOWN = """\
| theme | Ani | Budi | Citra |
| :--- | ---: | ---: | ---: |
| share | 0 | 0 | 0 |
| optimize | 2 | 0 | 0 |
| manage | 0 | 1 | 0 |
| engage | 3 | 0 | 0 |"""

LATEX = r"""\begin{table}[htbp]
\centering
\caption{Codings per stage \& informant}
\label{tab:stages}
\begin{tabular}{lrrr}
\toprule
theme & Ani & Budi & Citra \\
\midrule
share & 0 & 0 & 0 \\
optimize & 2 & 0 & 0 \\
manage & 0 & 1 & 0 \\
engage & 3 & 0 & 0 \\
\bottomrule
\end{tabular}
\end{table}"""


def test_markdown_and_latex_are_exact(tiny):
    counts = theme_by_informant(tiny)
    assert to_markdown(counts) == MARKDOWN
    assert to_latex(counts, caption="Codings per stage & informant", label="tab:stages") == LATEX


def test_markdown_of_quotes_and_code_level(tiny):
    quotes = theme_by_informant(tiny, value="quotes")
    assert "| optimize | Reels<br>Reels paling disukai |  |  |" in to_markdown(quotes)
    coverage = to_markdown(theme_by_informant(tiny, value="coverage"))
    assert "| optimize | 0.43 | 0.00 | 0.00 |" in coverage
    levels = to_markdown(theme_by_informant(tiny, level="code"))
    assert levels.splitlines()[0] == "| theme | code | Ani | Budi | Citra |"
    assert "| engage | engage.reach | 2 | 0 | 0 |" in levels


def test_xlsx_has_the_sheets_cells_and_formatting(tiny, tmp_path):
    path = to_xlsx({"count": theme_by_informant(tiny), "quotes": theme_by_informant(tiny, value="quotes")},
                   tmp_path / "tables.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["count", "quotes"]
    count = book["count"]
    assert [c.value for c in count[1]] == ["theme", "Ani", "Budi", "Citra"]
    assert [c.value for c in count[5]] == ["engage", 3, 0, 0]
    assert count.freeze_panes == "B2"
    assert len(count.conditional_formatting) == 1
    quotes = book["quotes"]
    assert quotes["B3"].value == "Reels\nReels paling disukai" and quotes["B3"].alignment.wrap_text
    assert not list(tmp_path.glob("*.partial"))


def test_csv_and_html(tiny, tmp_path):
    to_csv(theme_by_informant(tiny), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[2] == "optimize,2,0,0"
    page = to_html(theme_by_informant(tiny), quotes=theme_by_informant(tiny, value="quotes"))
    assert 'title="Lomba&#10;Lomba&#10;testimoni peserta"' in page.replace("\n", "&#10;")
    assert "background:rgb(" in page and page.startswith('<table class="somecode-table">')


def test_plots_draw(tiny):
    axes = plot_heatmap(theme_by_informant(tiny))
    assert [t.get_text() for t in axes.get_xticklabels()] == ["Ani", "Budi", "Citra"]
    graph_axes = plot_graph(cooccurrence_graph(tiny))
    assert len(graph_axes.collections) >= 2  # nodes and edges were drawn


def test_cli_matrix_formats(tiny, tmp_path, capsys):
    from somecode.cli import main

    path = str(tiny.path)
    assert main(["matrix", path, "--format", "md"]) == 0
    assert capsys.readouterr().out.strip() == MARKDOWN
    assert main(["matrix", path, "--by", "role", "--value", "informants"]) == 0
    assert "staff" in capsys.readouterr().out
    assert main(["matrix", path, "--format", "xlsx"]) == 1
    assert "needs -o FILE.xlsx" in capsys.readouterr().err
    assert main(["matrix", path, "--format", "xlsx", "-o", str(tmp_path / "m.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "m.xlsx")["table"]["B3"].value == 2
    assert main(["cooccurrence", path, "--unit", "window", "--window", "5", "--graphml",
                 str(tmp_path / "g.graphml")]) == 0
    assert (tmp_path / "g.graphml").is_file()
    assert main(["retrieve", path, "--code", "engage", "--context", "4", "--format", "csv"]) == 0
    assert "testimoni peserta" in capsys.readouterr().out
