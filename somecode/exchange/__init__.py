"""Exchange: tables for papers (CSV, XLSX, Markdown, LaTeX, HTML) and REFI-QDA codebooks."""

from .qdc import codebook_from_qdpx, parse_qdc, read_qdc, to_qdc, write_qdc
from .tables import plot_graph, plot_heatmap, to_csv, to_html, to_latex, to_markdown, to_xlsx

__all__ = ["to_qdc", "write_qdc", "parse_qdc", "read_qdc", "codebook_from_qdpx",
           "to_csv", "to_xlsx", "to_markdown", "to_latex", "to_html", "plot_heatmap", "plot_graph"]
