"""somecode: qualitative coding of interviews and documents, from a notebook.

>>> import somecode
>>> somecode.Coding("s", 0, 4, "share", "paper").span
(0, 4)
"""

from .errors import (ConflictError, NotFoundError, ProjectError, SomecodeError,
                     SomecodeWarning, SourceReadError, ValidationError)
from .model import Code, Coder, Coding, Informant, Source, Turn
from .sources import read_source, read_sources
from .project import Project
from .analysis import (codings_frame, cooccurrence, cooccurrence_graph, crosstab, framework_matrix,
                       retrieve, saturation, theme_by_informant, theme_by_source, write_gexf,
                       write_graphml)
from . import agreement, codebook, quotes
from .agreement import agreement_table, disagreements, reconcile
from .display import show
from .exchange.notebook import write_notebook

__version__ = "0.1.0"

__all__ = [
    "Source", "Turn", "Informant", "Code", "Coder", "Coding",
    "read_source", "read_sources", "Project",
    "codings_frame", "theme_by_informant", "theme_by_source", "crosstab", "framework_matrix",
    "retrieve", "cooccurrence", "cooccurrence_graph", "write_graphml", "write_gexf", "saturation",
    "agreement_table", "disagreements", "reconcile", "show", "write_notebook",
    "SomecodeError", "SourceReadError", "ValidationError", "NotFoundError",
    "ConflictError", "ProjectError", "SomecodeWarning",
]
