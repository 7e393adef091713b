"""Exports are a function of the project only: two processes with different ``PYTHONHASHSEED``
values, working folders and temporary folders write byte-identical qdpx, qdc, xlsx, notebook and
codebook YAML files (issue #13, scope 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, STUDY

EXPORTS = ["project.qdpx", "codebook.qdc", "tables.xlsx", "analysis.ipynb", "executed.ipynb", "codebook.yaml"]

# Run in each process: open the project, write every export into OUT, report the hash of "x".
WORKER = r"""
import json, sys
from pathlib import Path

import somecode
from somecode.exchange import to_xlsx, write_qdc, write_qdpx

project_path, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
with somecode.Project.open(project_path) as project:
    write_qdpx(project, out / "project.qdpx")
    write_qdc(project.codebook(), out / "codebook.qdc")
    project.codebook().save(out / "codebook.yaml")
    to_xlsx({"stage": somecode.theme_by_informant(project),
             "codes": somecode.theme_by_informant(project, level="code")}, out / "tables.xlsx")
    somecode.write_notebook(project, out / "analysis.ipynb", execute=False)
    somecode.write_notebook(project, out / "executed.ipynb")  # its kernel inherits PYTHONHASHSEED
print(json.dumps({"hash": hash("x")}))
"""


@pytest.fixture(scope="module")
def study_project(tmp_path_factory):
    """The bundled study, with a summary, a proposition and an assessment added, built once."""
    from somecode.study import build_study

    path = tmp_path_factory.mktemp("determinism") / "bpjs.somecode"
    with build_study(STUDY, path) as project:
        informant = project.informants()[0].id
        codes = [c.id for c in project.codes()]
        project.set_summary(informant, codes[0], "Shares the programme's messages widely.", by="tester")
        project.add_proposition(codes[0], "Sharing reaches the members.", id="p1", by="tester")
        project.assess(codes[0], "interviews", "documents", by="tester", rationale="both say so",
                       convergence="agreement")
    return path


def _run(project_path: Path, out: Path, seed: str, workdir: Path) -> subprocess.Popen:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONHASHSEED=seed, TMPDIR=str(workdir / "tmp"),
               PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    return subprocess.Popen([sys.executable, "-c", WORKER, str(project_path), str(out)], cwd=workdir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_exports_are_byte_identical_across_processes(study_project, tmp_path):
    runs = {}
    for seed in ("1", "2"):  # staggered, so that the two write at clock times over 2 s apart (zip resolution)
        runs[seed] = _run(study_project, tmp_path / f"out{seed}", seed, tmp_path / f"cwd{seed}")
        if seed == "1":
            time.sleep(2.5)
    reports = {}
    for seed, process in runs.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        reports[seed] = json.loads(stdout.strip().splitlines()[-1])
    assert reports["1"]["hash"] != reports["2"]["hash"], "the two processes did not get different hash seeds"
    differ = []
    for name in EXPORTS:
        first, second = (tmp_path / f"out{seed}" / name for seed in ("1", "2"))
        assert first.stat().st_size > 0, name
        if first.read_bytes() != second.read_bytes():
            differ.append(name)
    assert not differ, f"these differ between the two processes: {differ}"
    executed = json.loads((tmp_path / "out1" / "executed.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]


def test_notebook_cells_have_stable_ids(study_project, tmp_path):
    import nbformat

    import somecode

    with somecode.Project.open(study_project) as project:
        path = somecode.write_notebook(project, tmp_path / "a.ipynb", execute=False)
    notebook = nbformat.read(str(path), as_version=4)
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids) and ids[0] == "cell-1"
    nbformat.validate(notebook)
