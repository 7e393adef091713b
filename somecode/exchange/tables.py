"""Tables for a paper: any analysis result to CSV, XLSX, Markdown, LaTeX (booktabs) or HTML
(figures are in :mod:`~somecode.exchange.figures`).

Cells holding lists (``value="quotes"``) are written one item a line.

>>> import pandas as pd
>>> table = pd.DataFrame({"Ani": [2, 0], "Budi": [1, 3]}, index=pd.Index(["share", "manage"], name="stage"))
>>> print(to_markdown(table))
| stage | Ani | Budi |
| :--- | ---: | ---: |
| share | 2 | 1 |
| manage | 0 | 3 |
>>> print(to_latex(table))
\\begin{tabular}{lrr}
\\toprule
stage & Ani & Budi \\\\
\\midrule
share & 2 & 1 \\\\
manage & 0 & 3 \\\\
\\bottomrule
\\end{tabular}
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Mapping

import pandas as pd

__all__ = ["to_csv", "to_xlsx", "to_markdown", "to_latex", "to_html"]

_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _cell(value, joiner="\n", floatfmt=".2f") -> str:
    if isinstance(value, (list, tuple)):
        return joiner.join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return "" if pd.isna(value) else format(value, floatfmt)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """Index levels become ordinary leading columns (named, or '' when unnamed)."""
    names = [n or "" for n in table.index.names]
    flat = table.copy()
    flat.columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in flat.columns]
    index = pd.DataFrame(list(table.index) if table.index.nlevels > 1 else {names[0]: list(table.index)},
                         columns=names)
    return pd.concat([index, flat.reset_index(drop=True)], axis=1)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _atomic_write(path, write) -> Path:
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    write(partial)
    os.replace(partial, path)
    return path


def to_csv(table: pd.DataFrame, path) -> Path:
    """CSV (UTF-8); list cells one item a line."""
    flat = _flat(table)
    return _atomic_write(path, lambda p: flat.map(_cell).to_csv(p, index=False, encoding="utf-8"))


def to_markdown(table: pd.DataFrame, *, floatfmt: str = ".2f") -> str:
    """A pipe table; numbers right-aligned; list cells joined with ``<br>``."""
    flat = _flat(table)
    header = "| " + " | ".join(flat.columns) + " |"
    rule = "| " + " | ".join("---:" if _numeric(flat[c]) else ":---" for c in flat.columns) + " |"
    rows = ["| " + " | ".join(_cell(v, "<br>", floatfmt).replace("|", r"\|").replace("\n", "<br>")
                              for v in row) + " |" for row in flat.itertuples(index=False)]
    return "\n".join([header, rule] + rows)


def _latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text).replace("\n", r" \newline ")


def to_latex(table: pd.DataFrame, *, caption: str | None = None, label: str | None = None,
             floatfmt: str = ".2f") -> str:
    """A booktabs ``tabular`` (wrapped in a ``table`` float when a caption or label is given)."""
    flat = _flat(table)
    spec = "".join("r" if _numeric(flat[c]) else "l" for c in flat.columns)
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & ".join(_latex_escape(c) for c in flat.columns) + r" \\", r"\midrule"]
    lines += [" & ".join(_latex_escape(_cell(v, "; ", floatfmt)) for v in row) + r" \\"
              for row in flat.itertuples(index=False)]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption or label:
        head = [r"\begin{table}[htbp]", r"\centering"]
        head += [rf"\caption{{{_latex_escape(caption)}}}"] if caption else []
        head += [rf"\label{{{label}}}"] if label else []
        lines = head + lines + [r"\end{table}"]
    return "\n".join(lines)


def to_html(table: pd.DataFrame, *, quotes: pd.DataFrame | None = None, floatfmt: str = ".2f") -> str:
    """An HTML table; numeric cells shaded as a heat map; with ``quotes`` (the same table with
    ``value="quotes"``), hovering a cell shows the coded passages behind it."""
    flat = _flat(table)
    quote_cells = _flat(quotes).reindex(columns=flat.columns) if quotes is not None else None
    numeric = [c for c in flat.columns if _numeric(flat[c])]
    top = max([float(flat[c].max()) for c in numeric if len(flat)] + [0.0]) or 1.0
    head = "".join(f"<th>{html.escape(c)}</th>" for c in flat.columns)
    body = []
    for i, row in enumerate(flat.itertuples(index=False)):
        cells = []
        for column, value in zip(flat.columns, row):
            style, title = "", ""
            if column in numeric and pd.notna(value):
                shade = int(235 - 160 * (float(value) / top))
                style = f' style="background:rgb({shade},{shade + 10},255);text-align:right"'
            if quote_cells is not None and isinstance(quote_cells.iloc[i][column], list):
                title = f' title="{html.escape(chr(10).join(quote_cells.iloc[i][column]))}"'
            text = html.escape(_cell(value, "\n", floatfmt)).replace("\n", "<br>")
            cells.append(f"<td{style}{title}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="somecode-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def to_xlsx(tables: pd.DataFrame | Mapping[str, pd.DataFrame], path) -> Path:
    """An Excel workbook, one sheet per table: frozen header, fitted widths, a colour scale on
    numeric tables, wrapped text for quotes.  Written atomically."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    tables = {"table": tables} if isinstance(tables, pd.DataFrame) else dict(tables)
    book = Workbook()
    book.remove(book.active)
    for name, table in tables.items():
        sheet = book.create_sheet(title=str(name)[:31])
        flat = _flat(table)
        sheet.append(list(flat.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in flat.itertuples(index=False):
            sheet.append([v if isinstance(v, (int, float)) and not isinstance(v, bool) and pd.notna(v)
                          else _cell(v) for v in row])
        sheet.freeze_panes = sheet.cell(row=2, column=table.index.nlevels + 1)
        for n, column in enumerate(flat.columns, start=1):
            texts = [str(column)] + [_cell(v) for v in flat[column]]
            longest = max(len(line) for t in texts for line in (t.split("\n") or [""]))
            sheet.column_dimensions[get_column_letter(n)].width = min(60, max(8, longest + 2))
            if any("\n" in t or len(t) > 60 for t in texts):
                for cell in sheet[get_column_letter(n)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        numeric = [n for n, c in enumerate(flat.columns, start=1) if _numeric(flat[c])]
        if numeric and len(flat):
            area = f"{get_column_letter(numeric[0])}2:{get_column_letter(numeric[-1])}{len(flat) + 1}"
            sheet.conditional_formatting.add(area, ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="5B8DEF"))
    book.properties.creator = "somecode"
    return _atomic_write(path, lambda p: Path(p).write_bytes(_reproducible_xlsx(book)))


_FIXED_TIME = "2020-01-01T00:00:00Z"  # docProps and zip members: the same table, the same bytes


def _reproducible_xlsx(book) -> bytes:
    """The workbook's bytes without the clock: openpyxl stamps the save time into
    ``docProps/core.xml`` (created, modified) and into every zip member; both become fixed."""
    import io
    import re
    import zipfile

    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + _FIXED_TIME.encode() + m.group(3), data)
            info = zipfile.ZipInfo(member.filename, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()
