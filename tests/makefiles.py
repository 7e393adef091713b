"""Small files of each format, made in the test run (no binary fixtures in the repository)."""

from __future__ import annotations

from pathlib import Path


def make_docx(path: Path, paragraphs, *, table: bool = False, title: str = "") -> Path:
    """``paragraphs`` are strings, or ``(bold, rest)`` pairs for a bold speaker name."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    for item in paragraphs:
        paragraph = document.add_paragraph()
        if isinstance(item, tuple):
            paragraph.add_run(item[0]).bold = True
            paragraph.add_run(item[1])
        else:
            paragraph.add_run(item)
    if table:
        document.add_table(rows=1, cols=2).rows[0].cells[0].text = "not read"
    document.save(str(path))
    return path


def make_xlsx(path: Path, rows) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "reviews"
    for row in rows:
        sheet.append(list(row))
    book.save(str(path))
    return path


def make_pdf(path: Path, pages) -> Path:
    """A minimal PDF with one Helvetica text line per entry of each page (ASCII text)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ops = ["BT /F1 12 Tf 72 720 Td 14 TL"]
        ops += [f"({line.replace('(', '[').replace(')', ']')}) Tj T*" for line in lines]
        stream = "\n".join(ops + ["ET"])
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(out)
    return path
