"""Analyses: plain functions that take the project first and return pandas objects."""

from .frame import CODING_COLUMNS, codings_frame
from .matrices import theme_by_informant

__all__ = ["codings_frame", "CODING_COLUMNS", "theme_by_informant"]
