"""Jupyter: coded transcripts and tables shown as HTML, and widgets for coding and review.

The widgets need the ``notebook`` extra (ipywidgets); they are imported when first used.
"""

from .display import show

__all__ = ["show", "CodingWidget", "ReviewWidget"]


def __getattr__(name: str):
    if name in ("CodingWidget", "ReviewWidget"):
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
