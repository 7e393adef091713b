"""Codebooks: YAML files checked like code, a tree of codes, exports for people and other tools."""

from .book import Codebook
from .render import codebook_html, codebook_markdown

__all__ = ["Codebook", "codebook_markdown", "codebook_html", "load_codes"]


def load_codes(path):
    """The codes of a YAML codebook, parents before children (see :meth:`Codebook.load`)."""
    return list(Codebook.load(path))
