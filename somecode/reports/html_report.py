"""A whole project as one HTML file that opens in any browser, offline: the codebook, the themes by
informant with the memos about each case, the coded passages by code with the memos about each
code, the list of sources with the memos about each, the sets with theirs, and the research journal.

The file is self-contained: its style is inline, it has no script, and it names no other file or
address (a Content-Security-Policy also tells the browser to fetch nothing).  Every piece of text
from the project is HTML-escaped, so a passage that reads ``<script>`` is shown, not run.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: <b>Reels</b> ramai.", kind="interview",
...                  turns=[somecode.Turn(5, 24, "Ani", "ani")]))
>>> _ = p.add_code(somecode.Code("optimize", label="Optimize"))
>>> _ = p.code("ani", 5, 17, "optimize", coder="nida")
>>> page = to_html_report(p)
>>> '<blockquote class="passage">&lt;b&gt;Reels&lt;/b&gt;</blockquote>' in page, "<b>Reels" in page
(True, False)
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .content import (
    atomic_write,
    check_options,
    code_counts,
    code_heading,
    count_line,
    informant_table,
    SOURCE_COLUMNS,
    memo_byline,
    report_memos,
    report_passages,
    scope_line,
    set_rows,
    source_rows,
    table_rows,
    unplaced_memos,
    xml_safe,
)

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..project import Project

__all__ = ["to_html_report", "write_html_report"]

# nothing may be fetched: no scripts, fonts, images or frames from anywhere; only the inline style
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 60em;
       padding: 1em 2em; color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #444; }
h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em; border: 1px solid #888;
          vertical-align: baseline; }
.code-id { font-family: ui-monospace, monospace; font-size: 0.85em; color: #555; }
.field { margin: 0.2em 0; }
.field b { display: inline-block; min-width: 7em; }
.count { color: #555; }
figure { margin: 0.8em 0 1.2em 0; }
figcaption { font-size: 0.85em; color: #555; }
blockquote { margin: 0.3em 0; padding: 0.3em 0.8em; border-left: 4px solid #999; background: #f6f6f6;
             white-space: pre-wrap; }
.memo { font-size: 0.9em; margin: 0.2em 0; }
.memo-by { color: #555; }
.memo-text { white-space: pre-wrap; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _e(text) -> str:
    return escape(xml_safe(str(text)), quote=True)


def to_html_report(project: Project, *, coders=None, status: str | None = "accepted",
                   language: str | None = None) -> str:
    """The project as one self-contained HTML page (a string).  Options as in
    :func:`~somecode.reports.write_docx_report`."""
    language = check_options(project, coders, status, language)
    book = project.codebook()
    passages = report_passages(project, coders=coders, status=status)
    counts = code_counts(project, passages=passages)
    memos = report_memos(project)
    others = unplaced_memos(project, memos)
    title = f"{book.title or book.name or 'Project'}: {project.path.name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(scope_line(project, coders, status))} It holds {_e(_summary(project))}.</p>",
        _contents(book, language, bool(others)),
        _codebook(book, counts, language),
        _informants(project, coders, status, memos),
        _passages(book, passages, counts, language, memos),
        _sources(project, passages, memos),
        _sets(project, memos),
        _journal(memos),
        _others(others),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def write_html_report(project: Project, path, *, coders=None, status: str | None = "accepted",
                      language: str | None = None) -> Path:
    """Write :func:`to_html_report` to ``path`` (UTF-8, atomically); return the path."""
    page = to_html_report(project, coders=coders, status=status, language=language)
    return atomic_write(path, lambda partial: partial.write_text(page, encoding="utf-8", newline="\n"))


def _summary(project: Project) -> str:
    return ", ".join(f"{n} {name}" for name, n in project.summary().items())


def _contents(book: Codebook, language: str, others: bool) -> str:
    items = "".join(f'<li><a href="#code-{_e(c.id)}">{_e(code_heading(c, language))}</a></li>'
                    for c in book if c.parent is None)
    other = '<li><a href="#other-memos">Memos about what is no longer in the project</a></li>' if others else ""
    return ('<nav><h2 id="contents">Contents</h2><ol><li><a href="#codebook">Codebook</a></li>'
            '<li><a href="#themes">Themes by informant</a></li>'
            f'<li><a href="#passages">Coded passages by code</a><ul>{items}</ul></li>'
            '<li><a href="#sources">Sources</a></li><li><a href="#sets">Sets</a></li>'
            f'<li><a href="#journal">Research journal</a></li>{other}</ol></nav>')


def _memo(memo: dict, label: str = "Memo, ") -> str:
    """One free memo: who wrote it and when, then its text (kept as written, line breaks too)."""
    return (f'<div class="memo" data-memo="{int(memo["id"])}" '
            f'data-about="{_e(memo["about_kind"])}:{_e(memo["about_id"])}">'
            f'<span class="memo-by">{_e(label + memo_byline(memo))}:</span> '
            f'<span class="memo-text">{_e(memo["text"])}</span></div>')


def _memos(found: list[dict]) -> str:
    return "".join(_memo(memo) for memo in found)


def _heading(book: Codebook, code, language: str, anchor: str) -> str:
    level = min(6, 3 + book.depth(code.id))
    swatch = f'<span class="swatch" style="background:{_e(code.color)}"></span>' if code.color else ""
    return (f'<h{level} id="{anchor}-{_e(code.id)}">{swatch}{_e(code.label_in(language))} '
            f'<span class="code-id">{_e(code.id)}</span></h{level}>')


def _codebook(book: Codebook, counts: pd.DataFrame, language: str) -> str:
    out = ['<section id="codebook"><h2>Codebook</h2>']
    if book.description:
        out.append(f"<p>{_e(book.description)}</p>")
    for code in book:
        out.append(_heading(book, code, language, "codebook"))
        labels = " / ".join(f"{code.labels[lang]} ({lang})" for lang in book.languages if code.labels.get(lang))
        for name, value in (("Labels", labels), ("Definition", code.definition), ("Include", code.include),
                            ("Exclude", code.exclude)):
            if value:
                out.append(f'<p class="field"><b>{name}:</b> {_e(value)}</p>')
        for example in code.examples:
            cite = f" ({example['source']})" if example.get("source") else ""
            out.append(f'<blockquote class="example">“{_e(example.get("quote", ""))}”{_e(cite)}</blockquote>')
        out.append(f'<p class="field count"><b>Coded passages:</b> '
                   f'<a href="#code-{_e(code.id)}">{_e(count_line(counts.loc[code.id], bool(book.children(code.id))))}'
                   "</a></p>")
    out.append("</section>")
    return "\n".join(out)


def _table(frame: pd.DataFrame, caption: str = "") -> str:
    header, rows = table_rows(frame)
    keys = frame.index.nlevels
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{_e(v)}</th>' for v in row[:keys]]
        cells += [f'<td class="number">{_e(v)}</td>' if v.replace(".", "", 1).isdigit() else f"<td>{_e(v)}</td>"
                  for v in row[keys:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _informants(project: Project, coders, status, memos: dict) -> str:
    table = informant_table(project, coders=coders, status=status)
    cases = [(person, memos["case"][person.id]) for person in project.informants() if person.id in memos["case"]]
    noted = "".join(f'<h3 id="case-{_e(person.id)}">{_e(person.name)} <span class="code-id">{_e(person.id)}</span>'
                    f"</h3>{_memos(found)}" for person, found in cases)
    return ('<section id="themes"><h2>Themes by informant</h2>'
            "<p>Coded passages per theme and informant, with totals; passages in documents or in an "
            "interviewer's turns belong to no informant.</p>"
            f"{_table(table)}{'<p>Memos about the cases:</p>' if cases else ''}{noted}</section>")


def _passages(book: Codebook, passages: pd.DataFrame, counts: pd.DataFrame, language: str, memos: dict) -> str:
    out = ['<section id="passages"><h2>Coded passages by code</h2>']
    by_code = {code: group for code, group in passages.groupby(passages["code"].astype(object), observed=True)}
    for code in book:
        out.append(_heading(book, code, language, "code"))
        out.append(f'<p class="count">{_e(count_line(counts.loc[code.id], bool(book.children(code.id))))}</p>')
        out.append(_memos(memos["code"].get(code.id, [])))
        for row in by_code.get(code.id, passages.iloc[:0]).to_dict("records"):
            memo = (f'<p class="memo"><b>Memo:</b> {_e(row["memo"])}</p>'
                    if isinstance(row["memo"], str) and row["memo"] else "")
            out.append(f'<figure data-coding="{int(row["coding_id"])}"><figcaption>{_e(row["where"])}</figcaption>'
                       f'<blockquote class="passage">{_e(row["text"])}</blockquote>{memo}</figure>')
    out.append("</section>")
    return "\n".join(out)


def _sources(project: Project, passages: pd.DataFrame, memos: dict) -> str:
    rows = source_rows(project, passages)
    frame = pd.DataFrame(rows, columns=SOURCE_COLUMNS).set_index("source")
    noted = "".join(f'<h3 id="source-{_e(row["source"])}">{_e(row["source"])}: {_e(row["title"])}</h3>'
                    f'{_memos(memos["source"][row["source"]])}' for row in rows if row["source"] in memos["source"])
    return (f'<section id="sources"><h2>Sources</h2>{_table(frame)}'
            f"{'<p>Memos about the sources:</p>' if noted else ''}{noted}</section>")


def _sets(project: Project, memos: dict) -> str:
    sets = set_rows(project)
    out = ['<section id="sets"><h2>Sets</h2>']
    if not sets:
        out.append("<p>No sets.</p>")
    for name, held in sets:
        out.append(f'<h3>{_e(name)}</h3><p class="field">{_e(held)}</p>{_memos(memos["set"].get(name, []))}')
    out.append("</section>")
    return "\n".join(out)


def _journal(memos: dict) -> str:
    entries = "".join(_memo(memo, label="") for memo in memos["project"].get("", []))
    return ('<section id="journal"><h2>Research journal</h2>'
            f"{entries or '<p>No journal entries.</p>'}</section>")


def _others(others: list[dict]) -> str:
    if not others:
        return ""
    entries = "".join(_memo(memo, label=f"About the {memo['about_kind']} {memo['about_id']}, ") for memo in others)
    return ('<section id="other-memos"><h2>Memos about what is no longer in the project</h2>'
            f"{entries}</section>")
