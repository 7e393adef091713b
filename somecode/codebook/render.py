"""The codebook as a document for people: Markdown for a methods appendix, HTML for a notebook or a site.

With a project, each code also shows how many codings it has and one exemplar quote.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["codebook_markdown", "codebook_html"]


def _usage(project: Project) -> dict[str, tuple[int, str]]:
    """Code id -> (number of accepted codings, the shortest coded text as an exemplar)."""
    if project is None:
        return {}
    frame = project.codings(status="accepted")
    usage = {}
    for code_id, group in frame.groupby("code"):
        exemplar = min(group["text"], key=len)
        usage[code_id] = (len(group), exemplar)
    return usage


def _labels(book, code) -> str:
    return " / ".join(code.labels.get(lang, "") for lang in book.languages if code.labels.get(lang))


def _rule_fields(code) -> list[tuple[str, str]]:
    """The code's filled-in definition and include/exclude rules, as (heading, text) pairs."""
    fields = (("Definition", code.definition), ("Include", code.include), ("Exclude", code.exclude))
    return [(name, value) for name, value in fields if value]


def codebook_markdown(book, project=None) -> str:
    """A Markdown document: the hierarchy as headings, with definitions, rules and examples."""
    usage = _usage(project)
    lines = [f"# {book.title or book.name or 'Codebook'}", ""]
    if book.description:
        lines += [book.description, ""]
    for code in book:
        level = "#" * min(6, 2 + book.depth(code.id))
        lines += [f"{level} {_labels(book, code)} (`{code.id}`)", ""]
        if code.color:
            lines.append(f"- Colour: `{code.color}`")
        lines += [f"- {name}: {value}" for name, value in _rule_fields(code)]
        for example in code.examples:
            cite = f" ({example['source']})" if example.get("source") else ""
            lines.append(f"- Example: “{example['quote']}”{cite}")
        if code.id in usage:
            count, exemplar = usage[code.id]
            lines.append(f"- Codings: {count}; exemplar: “{exemplar}”")
        elif project is not None:
            lines.append("- Codings: 0")
        lines.append("")
    return "\n".join(lines)


def codebook_html(book, project=None) -> str:
    """An HTML fragment: the tree as nested lists, each code with its colour, definition and rules."""
    title = escape(book.title or book.name or "Codebook")
    return (f'<div class="somecode-codebook"><h2>{title}</h2>'
            f"{_html_level(book, None, _usage(project), project is not None)}</div>")


def _html_level(book, parent, usage, counted: bool) -> str:
    codes = [c for c in book if c.parent == parent]
    if not codes:
        return ""
    items = "".join(f"<li>{_html_code(book, c, usage, counted)}{_html_level(book, c.id, usage, counted)}</li>"
                    for c in codes)
    return f"<ul>{items}</ul>"


def _html_code(book, code, usage, counted: bool) -> str:
    swatch = (f'<span style="display:inline-block;width:0.9em;height:0.9em;'
              f'background:{escape(code.color)};margin-right:0.3em"></span>' if code.color else "")
    body = [f"{swatch}<strong>{escape(_labels(book, code))}</strong> <code>{escape(code.id)}</code>"]
    body += [f"<div><em>{name}:</em> {escape(value)}</div>" for name, value in _rule_fields(code)]
    for example in code.examples:
        cite = f" ({escape(example['source'])})" if example.get("source") else ""
        body.append(f"<blockquote>{escape(example['quote'])}{cite}</blockquote>")
    if counted:
        count, exemplar = usage.get(code.id, (0, ""))
        body.append(f"<div><em>Codings:</em> {count}"
                    + (f"; exemplar: “{escape(exemplar)}”" if exemplar else "") + "</div>")
    return "".join(body)
