"""somecode: qualitative coding of interviews and documents, from a notebook.

Everything a notebook needs is here, one name deep:

>>> import somecode
>>> somecode.Coding("s", 0, 4, "share", "paper").span
(0, 4)
"""

import importlib
import importlib.util
from typing import TYPE_CHECKING

from .errors import (
    ConflictError,
    NotFoundError,
    ProjectDamagedError,
    ProjectError,
    ProjectFullError,
    ProjectLockedError,
    ProjectReadOnlyError,
    SomecodeError,
    SomecodeWarning,
    SourceReadError,
    ValidationError,
)

if TYPE_CHECKING:  # what the names below are, for type checkers; at run time each loads when first used
    from . import agreement, analysis, auto, codebook, exchange, jupyter, reports
    from .agreement import agreement_table, disagreements, reconcile, segment_agreement
    from .analysis import (  # type: ignore[no-redef]  # submodules of the same names
        code_search,
        codings_frame,
        cooccurrence,
        cooccurrence_graph,
        crosstab,
        framework_matrix,
        retrieve,
        saturation,
        search,
        theme_by_informant,
        theme_by_source,
        word_frequencies,
        write_gexf,
        write_graphml,
    )
    from .analysis.triangulation import compare_assessors, triangulate
    from .auto import accept, autocode, evaluate, reject, suggestions
    from .codebook import Codebook
    from .exchange import (
        plot_graph,
        plot_heatmap,
        read_qdpx,
        save_figure,
        to_csv,
        to_html,
        to_latex,
        to_markdown,
        to_xlsx,
        write_qdpx,
    )
    from .exchange.notebook import write_notebook
    from .jupyter import show
    from .model import Code, Coder, Coding, Informant, Source, Turn
    from .project import Project
    from .reports import write_report
    from .sources import read_path, read_source, read_sources, read_table
    from .sources.inspection import inspect
    from .sources.tables import read_survey
    from .study import build_study, bundled_study_dir

# Where each name lives: a name is imported the first time it is used, so `import somecode` costs
# little more than its errors, and a script that builds one table does not load the automatic
# coder, the agreement statistics, the REFI-QDA reader or the widgets.
_SUBPACKAGES = ("agreement", "analysis", "auto", "codebook", "exchange", "jupyter", "reports")
_HOMES = {
    ".agreement": ("agreement_table", "disagreements", "reconcile", "segment_agreement"),
    ".analysis": ("code_search", "codings_frame", "cooccurrence", "cooccurrence_graph", "crosstab",
                  "framework_matrix", "retrieve", "saturation", "search", "theme_by_informant", "theme_by_source",
                  "word_frequencies", "write_gexf", "write_graphml"),
    ".analysis.triangulation": ("compare_assessors", "triangulate"),
    ".auto": ("accept", "autocode", "evaluate", "reject", "suggestions"),
    ".codebook": ("Codebook",),
    ".exchange": ("plot_graph", "plot_heatmap", "read_qdpx", "save_figure", "to_csv", "to_html", "to_latex",
                  "to_markdown", "to_xlsx", "write_qdpx"),
    ".exchange.notebook": ("write_notebook",),
    ".jupyter": ("show", "CodingView", "CodingWidget", "ReviewWidget"),
    ".model": ("Code", "Coder", "Coding", "Informant", "Source", "Turn"),
    ".project": ("Project",),
    ".reports": ("write_report",),
    ".sources": ("read_path", "read_source", "read_sources", "read_table"),
    ".sources.inspection": ("inspect",),
    ".sources.tables": ("read_survey",),
    ".study": ("build_study", "bundled_study_dir"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__version__ = "0.1.0"

__all__ = [
    "Source", "Turn", "Informant", "Code", "Coder", "Coding", "Codebook",
    "read_source", "read_table", "read_sources", "read_path", "read_survey", "inspect", "Project",
    "codings_frame", "theme_by_informant", "theme_by_source", "crosstab", "framework_matrix",
    "retrieve", "cooccurrence", "cooccurrence_graph", "write_graphml", "write_gexf", "saturation",
    "search", "code_search", "word_frequencies",
    "triangulate", "compare_assessors",
    "agreement_table", "disagreements", "reconcile", "segment_agreement",
    "autocode", "suggestions", "accept", "reject", "evaluate",
    "read_qdpx", "write_qdpx", "write_notebook", "show", "CodingView", "CodingWidget", "ReviewWidget",
    "to_csv", "to_xlsx", "to_markdown", "to_latex", "to_html", "plot_heatmap", "plot_graph",
    "save_figure",
    "write_report", "build_study", "bundled_study_dir",
    "agreement", "analysis", "auto", "codebook", "exchange", "jupyter", "reports",
    "SomecodeError", "SourceReadError", "ValidationError", "NotFoundError",
    "ConflictError", "ProjectError", "ProjectLockedError", "ProjectFullError", "ProjectReadOnlyError",
    "ProjectDamagedError", "SomecodeWarning",
]


def __getattr__(name: str):
    """Load a public name (or a submodule) the first time it is asked for, and keep it."""
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name], __name__), name)
    elif name in _SUBPACKAGES or importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'somecode' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
