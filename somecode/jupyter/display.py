"""HTML for notebooks: transcripts with their coded spans, codings, projects, and tables as heat maps.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("a", "Ani: Reels 👍 ramai.", kind="interview",
...                  turns=[somecode.Turn(5, 18, "Ani", "ani")]))
>>> _ = p.add_code(somecode.Code("optimize", label="Optimize", color="#2CA02C"))
>>> _ = p.code("a", 5, 12, "optimize", coder="nida")
>>> html = source_html(p, "a")
>>> '<mark' in html and 'title="Optimize (nida)"' in html and "#2CA02C" in html
True
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..vocabulary import check_choice

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["source_html", "coding_html", "project_html", "table_html", "HTML", "show"]

DRAWN = ("accepted", "suggested", None)  # the statuses a transcript draws (``None``: both)
_PALETTE = ["#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#17BECF"]


class HTML:
    """Rich HTML for Jupyter (``_repr_html_``) that is also a plain string (``str(...)``)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<HTML {len(self.html):,} characters>"


def _colours(project: Project) -> dict[str, str]:
    return {c.id: c.color or _PALETTE[i % len(_PALETTE)] for i, c in enumerate(project.codes())}


def source_html(project: Project, source_id: str, *, coders=None, status: str | None = None) -> str:
    """A source with its turns (speaker labels) and its coded spans highlighted in their code's
    colour; overlapping codings stack as underlines; hovering shows the codes and coders.

    Accepted codings are drawn solid; suggestions (``status="suggested"``, from automatic
    coding) with a dashed underline and no fill, marked "suggested" on hover and in the legend.
    Rejected codings are never drawn.  ``status`` keeps only accepted or only suggested
    codings (``None``: both).
    """
    check_choice("status", status, DRAWN,
                 problem="rejected codings are never drawn (suggestions(project, status='rejected') "
                         "lists them); " if status == "rejected" else "")
    source = project.source(source_id)
    colours = _colours(project)
    labels = {c.id: c.label or c.id for c in project.codes()}
    coders = [coders] if isinstance(coders, str) else coders
    codings = [c for c in project.coding_records(source=source_id)
               if (coders is None or c.coder_id in coders) and c.status in DRAWN
               and (status is None or c.status == status)]
    units = list(source.turns) or []
    parts = [f'<div class="somecode-source"><div style="font-weight:bold">{escape(source.title or source.id)}'
             f' <code>{escape(source.id)}</code></div>']
    for turn in units:
        speaker = f'<span style="color:#555;font-weight:bold">{escape(turn.speaker)}:</span> ' if turn.speaker else ""
        inside = [c for c in codings if c.start < turn.end and turn.start < c.end]
        parts.append(f'<p style="margin:0.3em 0">{speaker}{_spans(source.text, turn.start, turn.end, inside, colours, labels)}</p>')
    if not units:
        parts.append(f"<p>{_spans(source.text, 0, len(source.text), codings, colours, labels)}</p>")
    order = list(colours).index
    accepted = sorted({c.code_id for c in codings if c.status == "accepted"}, key=order)
    suggested = sorted({c.code_id for c in codings if c.status == "suggested"} - set(accepted), key=order)
    legend = [f'<span style="background:{colours[c]}33;border-bottom:3px solid {colours[c]};'
              f'padding:0 0.3em">{escape(labels[c])}</span>' for c in accepted]
    legend += [f'<span class="somecode-suggested" style="border-bottom:2px dashed {colours[c]};'
               f'padding:0 0.3em">{escape(labels[c])} (suggested)</span>' for c in suggested]
    if any(c.status == "suggested" for c in codings):
        legend.append('<span style="border-bottom:2px dashed #555;padding:0 0.3em;color:#555">'
                      'dashed: suggested, not yet reviewed</span>')
    parts.append(f'<div style="margin-top:0.5em;font-size:90%">{" ".join(legend)}</div></div>')
    return "".join(parts)


def _spans(text: str, start: int, end: int, codings, colours, labels) -> str:
    cuts = sorted({start, end} | {max(start, min(end, p)) for c in codings for p in (c.start, c.end)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b]).replace("\n", "<br>")
        over = [c for c in codings if c.start <= a and b <= c.end]
        if not over:
            out.append(piece)
            continue
        solid = [c for c in over if c.status != "suggested"]
        dashed = [c for c in over if c.status == "suggested"]
        style = []
        if solid:
            lines = ", ".join(f"inset 0 -{3 * (i + 1)}px 0 0 {colours[c.code_id]}" for i, c in enumerate(solid))
            style.append(f"background:{colours[solid[0].code_id]}33;box-shadow:{lines};"
                         f"padding-bottom:{3 * len(solid)}px")
        else:
            style.append("background:transparent")
        if dashed:
            style.append(f"text-decoration:underline dashed {colours[dashed[0].code_id]} 2px;"
                         f"text-underline-offset:{3 * len(solid) + 3}px")
        title = "; ".join(f"{labels[c.code_id]} ({c.coder_id}{', suggested' if c.status == 'suggested' else ''})"
                          for c in solid + dashed)
        marks = f' data-suggested="{escape(" ".join(c.code_id for c in dashed))}"' if dashed else ""
        out.append(f'<mark style="{";".join(style)}" title="{escape(title)}" '
                   f'data-codes="{escape(" ".join(c.code_id for c in solid + dashed))}"{marks}>{piece}</mark>')
    return "".join(out)


def coding_html(project: Project, coding) -> str:
    """One coding: its code, coder, status and the coded text in context."""
    text = project.source(coding.source_id).text
    colour = _colours(project).get(coding.code_id, "#999999")
    before, after = escape(text[max(0, coding.start - 60):coding.start]), escape(text[coding.end:coding.end + 60])
    return (f'<div class="somecode-coding"><b>{escape(coding.code_id)}</b> by {escape(coding.coder_id)} '
            f'({coding.status}, {coding.origin}) in <code>{escape(coding.source_id)}</code> '
            f'[{coding.start}, {coding.end})<br>…{before}<mark style="background:{colour}55">'
            f'{escape(text[coding.start:coding.end])}</mark>{after}…</div>')


def project_html(project: Project) -> str:
    """A project at a glance: counts, sources, coders."""
    counts = project.summary()
    rows = "".join(f"<tr><td>{escape(k)}</td><td style='text-align:right'>{v:,}</td></tr>" for k, v in counts.items())
    sources = ", ".join(escape(s) for s in project.source_ids()[:20])
    return (f'<div class="somecode-project"><b>{escape(project.path.name)}</b><table>{rows}</table>'
            f"<div>Sources: {sources}</div></div>")


def table_html(table, *, quotes=None) -> str:
    """A matrix as a heat map (the quotes behind each cell on hover when ``quotes`` is given);
    triangulation categories are coloured."""
    from ..exchange.tables import to_html

    page = to_html(table, quotes=quotes)
    for category, colour in (("partial agreement", "#FFE8A3"), ("agreement", "#B7E4B0"),
                             ("dissonance", "#F4A6A6"), ("silence", "#E0E0E0"), ("not assessed", "#FFFFFF")):
        page = page.replace(f"<td>{category}</td>", f'<td style="background:{colour}">{category}</td>')
    return page


def show(obj, **options) -> HTML:
    """A table as a heat map in a notebook (``quotes=`` the same table with ``value="quotes"``)."""
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return HTML(table_html(obj, **options))
    raise TypeError("show() takes a DataFrame; use project.show(source_id) for transcripts")
