"""somecode: qualitative coding of interviews and documents, from a notebook.

Everything a notebook needs is here, one name deep:

>>> import somecode
>>> somecode.Coding("s", 0, 4, "share", "paper").span
(0, 4)
"""

from .errors import (ConflictError, NotFoundError, ProjectError, SomecodeError,
                     SomecodeWarning, SourceReadError, ValidationError)
from .model import Code, Coder, Coding, Informant, Source, Turn
from .sources import read_source, read_sources
from .project import Project
from .codebook import Codebook
from .analysis import (codings_frame, cooccurrence, cooccurrence_graph, crosstab, framework_matrix,
                       retrieve, saturation, theme_by_informant, theme_by_source, write_gexf,
                       write_graphml)
from .analysis.triangulation import compare_assessors, triangulate
from . import agreement, analysis, auto, codebook, exchange, jupyter
from .agreement import agreement_table, disagreements, reconcile, segment_agreement
from .auto import accept, autocode, evaluate, reject, suggestions
from .exchange import read_qdpx, write_qdpx
from .exchange.notebook import write_notebook
from .jupyter import show

__version__ = "0.1.0"

__all__ = [
    "Source", "Turn", "Informant", "Code", "Coder", "Coding", "Codebook",
    "read_source", "read_sources", "Project",
    "codings_frame", "theme_by_informant", "theme_by_source", "crosstab", "framework_matrix",
    "retrieve", "cooccurrence", "cooccurrence_graph", "write_graphml", "write_gexf", "saturation",
    "triangulate", "compare_assessors",
    "agreement_table", "disagreements", "reconcile", "segment_agreement",
    "autocode", "suggestions", "accept", "reject", "evaluate",
    "read_qdpx", "write_qdpx", "write_notebook", "show", "CodingWidget", "ReviewWidget",
    "agreement", "analysis", "auto", "codebook", "exchange", "jupyter",
    "SomecodeError", "SourceReadError", "ValidationError", "NotFoundError",
    "ConflictError", "ProjectError", "SomecodeWarning",
]


def __getattr__(name: str):
    """The widgets load ipywidgets, so they are imported when first asked for."""
    if name in ("CodingWidget", "ReviewWidget"):
        from .jupyter import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'somecode' has no attribute {name!r}")
