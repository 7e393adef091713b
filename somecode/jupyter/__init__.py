"""Jupyter: coded transcripts and tables shown as HTML, and widgets for coding and review.

The widgets need the ``notebook`` extra (ipywidgets, anywidget); they are imported when first used.
``CodingView`` codes a transcript by selecting text (:mod:`.coding_view`); ``CodingWidget`` and
``ReviewWidget`` are the simpler form-based widgets (:mod:`.widgets`).
"""

from .display import show

__all__ = ["show", "CodingView", "CodingWidget", "ReviewWidget"]


def __getattr__(name: str):
    if name in ("CodingWidget", "ReviewWidget"):
        from . import widgets

        return getattr(widgets, name)
    if name == "CodingView":
        from . import coding_view

        return coding_view.CodingView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
