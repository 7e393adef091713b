"""Analyses: plain functions that take the project first and return pandas (or networkx) objects."""

from .cooccurrence import (
           cooccurrence,
           cooccurrence_graph,
           saturation,
           write_gexf,
           write_graphml,
)
from .frame import CODING_COLUMNS, code_paths, codings_frame, units_frame
from .framework import framework_matrix, retrieve
from .matrices import crosstab, theme_by_informant, theme_by_source
from .frequencies import word_frequencies
from .search import search
from .search_codes import code_search

__all__ = ["codings_frame", "units_frame", "code_paths", "CODING_COLUMNS", "theme_by_informant",
           "theme_by_source", "crosstab", "framework_matrix", "retrieve", "cooccurrence",
           "cooccurrence_graph", "write_graphml", "write_gexf", "saturation", "search", "code_search",
           "word_frequencies"]
