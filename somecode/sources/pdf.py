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

    texts: list[str] = []
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise SourceReadError(path, "the PDF is encrypted", fix="save an unprotected copy first")
        for page in reader.pages:
            texts.append(page.extract_text() or "")
        return texts
    except SourceReadError:
        raise
    except OSError as err:
        raise SourceReadError(path, f"cannot read the file ({err.strerror or err})",
                              fix="check the path and the file's permissions") from None
    except Exception as err:
        # pypdf raises many kinds on damaged files: its own PyPdfError, and ValueError, KeyError,
        # TypeError, AttributeError, NotImplementedError, AssertionError, RecursionError...
        raise SourceReadError(path, f"not a readable PDF ({type(err).__name__}: {_short(err)})",
                              place=f"page {len(texts) + 1}" if texts else None,
                              fix="check the file; re-save it from a PDF viewer") from None


def _short(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 200 else text[:197] + "..."
