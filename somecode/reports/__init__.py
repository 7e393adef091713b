"""Reports for people who do not run somecode: Word documents and one offline HTML page.

One verb, :func:`write_report` (``somecode.write_report``), writes each of them by name:

- ``"docx"``: the coded passages by code (:func:`write_docx_report`);
- ``"codebook"``: the codebook with its counts, as a Word document (:func:`write_codebook_docx`);
- ``"html"``: the whole project as one self-contained HTML file (:func:`write_html_report`;
  :func:`to_html_report` gives the page as a string).

Every report is written through ``PATH.partial`` and renamed when complete.

>>> import somecode, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> p = somecode.Project.create(os.path.join(folder, "p.somecode"))
>>> _ = p.add_code("share")
>>> write_report(p, os.path.join(folder, "report.html")).name
'report.html'
>>> write_report(p, os.path.join(folder, "report.docx"), format="codebok")
Traceback (most recent call last):
...
somecode.errors.ValidationError: format='codebok' is not one of 'docx', 'codebook', 'html' (did you mean 'codebook'?)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import ValidationError
from ..vocabulary import check_choice
from .content import code_counts, report_passages, report_path
from .docx_report import write_codebook_docx, write_docx_report
from .html_report import to_html_report, write_html_report

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["write_report", "write_docx_report", "write_codebook_docx", "write_html_report", "to_html_report",
           "report_passages", "code_counts", "REPORTS"]

# format -> the function writing it (project, path, **options)
REPORTS: dict[str, Callable[..., Path]] = {"docx": write_docx_report, "codebook": write_codebook_docx,
                                           "html": write_html_report}
_SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html"}


def write_report(project: Project, path, *, format: str | None = None, coders=None,
                 status: str | None = "accepted", language: str | None = None) -> Path:
    """Write a report of ``project`` at ``path``; return the path.

    ``format`` is one of :data:`REPORTS` (``"docx"``, ``"codebook"``, ``"html"``); by default it
    follows the file name (``.docx``: the passages by code, ``.html``: the whole project).
    ``coders``, ``status`` and ``language`` choose the codings and the labels' language (see
    :func:`write_docx_report`).
    """
    if format is None:
        format = _SUFFIXES.get(report_path(path).suffix.lower())
        if format is None:
            raise ValidationError(f"{path}: cannot tell the report's format from the file name; give "
                                  f"format= one of {', '.join(map(repr, REPORTS))}, or name the file .docx or .html")
    check_choice("format", format, list(REPORTS))
    return REPORTS[format](project, path, coders=coders, status=status, language=language)
