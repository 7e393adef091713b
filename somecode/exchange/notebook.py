"""An analysis notebook for a project, pre-filled and executed, so it opens with its outputs
(``somecode notebook PROJECT -o FILE.ipynb``; tested in ``tests/test_notebooks.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["write_notebook", "analysis_cells"]


def analysis_cells(project_path: str, *, level: str = "stage", coders=None) -> list[tuple[str, str]]:
    """The notebook's cells as ``(kind, source)`` pairs (``kind`` is "markdown" or "code")."""
    coders_arg = f", coders={list(coders)!r}" if coders else ""
    return [
        ("markdown", f"# Analysis of `{Path(project_path).name}`\n\nMade by `somecode.write_notebook`; "
                     "every table below is computed from the project when the notebook runs."),
        ("code", "import somecode\nfrom somecode.analysis.triangulation import triangulate\n"
                 f"project = somecode.Project.open({str(project_path)!r})\nproject"),
        ("markdown", "## Coded passages per theme and informant"),
        ("code", f"somecode.show(somecode.theme_by_informant(project, level={level!r}, value='segments', "
                 f"margins=True{coders_arg}))"),
        ("markdown", "## Which informants speak to which theme"),
        ("code", f"somecode.theme_by_informant(project, level={level!r}, value='presence'{coders_arg})"),
        ("markdown", "## Framework matrix (summaries, or the coded quotes with their offsets)"),
        ("code", f"somecode.framework_matrix(project, level={level!r}{coders_arg})"),
        ("markdown", "## Codes that occur together"),
        ("code", "from somecode.exchange import plot_graph\n"
                 f"graph = somecode.cooccurrence_graph(project, level={level!r}{coders_arg})\n"
                 "plot_graph(graph);"),
        ("markdown", "## Source triangulation (Farmer et al. 2006)"),
        ("code", f"result = triangulate(project, level={level!r}{coders_arg})\nresult"),
        ("code", "result.summary"),
    ]


def _run_cells(notebook, folder: Path, timeout: int) -> None:
    """Run every code cell in a fresh kernel started in ``folder``; a failing cell raises
    nbclient's CellExecutionError.  No per-cell timestamps (record_timing): the same project, the
    same bytes."""
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(folder.resolve())}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)


def write_notebook(project: Project, path, *, level: str = "stage", coders=None, execute: bool = True,
                   timeout: int = 600) -> Path:
    """Write (and by default execute) an analysis notebook for ``project`` at ``path``."""
    import nbformat

    path = Path(path)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = analysis_cells(str(Path(project.path).resolve()), level=level, coders=coders)
    for number, (kind, source) in enumerate(cells, start=1):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source, id=f"cell-{number}"))  # fixed ids: nbformat's are random
    if execute:
        _run_cells(notebook, path.parent, timeout)
    partial = path.with_name(path.name + ".partial")
    nbformat.write(notebook, str(partial))
    partial.replace(path)
    return path
