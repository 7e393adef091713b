"""PDF documents: the text of each page, pages separated by a blank line.

Page boundaries are kept in ``attrs["pages"]`` as ``[start, end]`` offsets;
units are paragraphs.  A PDF with no extractable text (a scan) is an error
that says to run OCR first.
"""

from __future__ import annotations

from ..errors import SourceReadError
from ..text import canonical_text
from .transcript import build_source
from .units import paragraph_units

__all__ = ["read_pdf"]


def read_pdf(path, **options):
    """Read a ``.pdf`` file as a document source."""
    pages = [canonical_text(page).strip("\n") for page in _page_texts(path)]
    text, spans = "", []
    for page in pages:
        if text:
            text += "\n\n"
        spans.append([len(text), len(text) + len(page)])
        text += page
    if not text.strip():
        raise SourceReadError(path, "the PDF has no extractable text (a scanned image?)",
                              fix="run OCR on it first, for example with ocrmypdf")
    meta = {"kind": "document", **options, "pages": spans}
    return build_source(text + "\n", meta, path, turns=paragraph_units(text))


def _page_texts(path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise SourceReadError(path, "the PDF is encrypted", fix="save an unprotected copy first")
        return [page.extract_text() or "" for page in reader.pages]
    except SourceReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError) as err:
        raise SourceReadError(path, f"not a readable PDF ({type(err).__name__}: {err})",
                              fix="check the file; re-save it from a PDF viewer") from None
