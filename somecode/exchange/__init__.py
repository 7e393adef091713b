"""Exchange: tables and figures for papers (CSV, XLSX, Markdown, LaTeX, HTML; PNG, SVG, PDF) and
REFI-QDA codebooks."""

from .figures import plot_heatmap, save_figure
from .graph_figure import plot_graph
from .qdc import codebook_from_qdpx, parse_qdc, read_qdc, to_qdc, write_qdc
from .refi_read import parse_qde, read_qdpx
from .refi_write import to_qde, write_qdpx
from .tables import (
    to_csv,
    to_html,
    to_latex,
    to_markdown,
    to_xlsx,
)

__all__ = ["to_qdc", "write_qdc", "parse_qdc", "read_qdc", "codebook_from_qdpx",
           "to_qde", "write_qdpx", "parse_qde", "read_qdpx", "project_schema",
           "to_csv", "to_xlsx", "to_markdown", "to_latex", "to_html", "plot_heatmap", "plot_graph",
           "save_figure"]


def project_schema():
    """The REFI-QDA project schema (``Project.xsd``, shipped with somecode) as an lxml ``XMLSchema``,
    to validate exports: ``project_schema().assertValid(lxml.etree.fromstring(to_qde(project).encode()))``."""
    from pathlib import Path

    from lxml import etree

    return etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "Project.xsd")))
