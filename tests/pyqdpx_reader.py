"""What pyqdpx reads from a .qdpx: one row per selection it keeps (source name, start, end, code
name, user name, description, selected text).  Imported by the tests, or run by another Python
(pyqdpx 0.1.8 needs Python 3.12 or newer): ``python tests/pyqdpx_reader.py FILE.qdpx`` prints JSON."""

from __future__ import annotations

import json
import sys


def read(path: str) -> list[list]:
    import pyqdpx

    project = pyqdpx.QDPX(path).get_project()
    rows = []
    for source in project.sources.values():
        for selection in source.coded_selections.values():
            rows.append([source.name, selection.start, selection.end, selection.code.name, selection.user.name,
                         selection.description or "", selection.text, source.text_content])
    return rows


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout, ensure_ascii=False)
