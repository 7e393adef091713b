"""The tutorial notebooks: stored without outputs, importing only the top level, each running headless
without an error."""

import re

import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_three_notebooks():
    assert [n.name for n in NOTEBOOKS] == ["01_reproduce_bpjs_study.ipynb", "02_code_your_own_interviews.ipynb",
                                           "03_agreement_and_triangulation.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


DEEPER = re.compile(r"^\s*(from\s+somecode\.|import\s+somecode\.)", re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_imports_nothing_deeper_than_somecode(path):
    notebook = nbformat.read(str(path), as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "somecode" in code
    assert DEEPER.findall(code) == []


def test_the_import_check_sees_a_deep_import():
    assert DEEPER.findall("import os\nfrom somecode.auto.coder import autocode\n")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_without_error(path):
    from nbclient import NotebookClient

    notebook = nbformat.read(str(path), as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_write_notebook_for_a_project(tmp_path):
    from conftest import STUDY

    import somecode
    from somecode.study import build_study

    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        path = somecode.write_notebook(project, tmp_path / "analysis.ipynb", coders=["paper"])
    notebook = nbformat.read(str(path), as_version=4)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Muhammad Aditya Yoma" in html and "Convergence coding matrix" in html
