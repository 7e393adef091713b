"""Building a project from a study folder, and reproducing the bundled BPJS study.

A study folder holds a ``study.yaml`` that names the codebook, the folder of
sources and the codings files.  :func:`build_study` turns it into a project;
:func:`reproduce` also writes the stage-by-informant table; :func:`write_figures` draws the
README's pictures of it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .analysis import theme_by_informant
from .analysis.triangulation import Triangulation, triangulate, write_triangulation
from .errors import SourceReadError
from .model import Coder
from .project import Project
from .sources.yamlsafe import load_yaml, read_yaml_text
from .store.records import stored_id

if TYPE_CHECKING:
    from .project import Project

__all__ = ["build_study", "reproduce", "bundled_study_dir", "Reproduction", "load_triangulation",
           "write_figures"]


def bundled_study_dir() -> Path:
    """The bundled BPJS study: ``transcripts/bpjs`` of the working folder or of the source tree."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        candidate = base / "transcripts" / "bpjs"
        if (candidate / "study.yaml").is_file():
            return candidate
    raise SourceReadError("transcripts/bpjs", "the bundled study was not found",
                          fix="run from the somecode source folder, or pass --study DIR")


def build_study(folder, project_path) -> Project:
    """Create a project at ``project_path`` from the study in ``folder`` (all or nothing)."""
    folder = Path(folder)
    spec = _spec(folder)
    project = Project.create(project_path)
    try:
        with project.atomic():
            project.set_codebook(folder / spec["codebook"], by="reproduce")
            for n, coder in enumerate(spec.get("coders") or []):
                project.add_coder(_coder(coder, folder, n))
            project.add_path(folder / spec.get("sources", "sources"))
            for codings in spec.get("codings") or []:
                project.load_codings_csv(folder / codings)
            if spec.get("triangulation"):
                load_triangulation(project, folder / spec["triangulation"])
    except BaseException:
        project.close()
        Path(project_path).unlink(missing_ok=True)
        raise
    return project


def _coder(entry: object, folder: Path, n: int) -> Coder:
    """A coder from the study file's ``coders`` list, or a refusal naming the entry."""
    known = ("id", "name", "kind")
    if not isinstance(entry, dict) or "id" not in entry or set(entry) - set(known):
        raise SourceReadError(folder / "study.yaml", f"coder {n + 1} must be a mapping with 'id' and optionally "
                              f"'name' and 'kind', not {entry!r}", place=f"coders, entry {n + 1}",
                              fix="write e.g. '- {id: paper, name: the paper's authors}'")
    return Coder(**entry)


def load_triangulation(project: Project, path) -> int:
    """Add the propositions and stances of a triangulation YAML file, all or nothing.

    Each stance names its coding by ``source``, ``quote``, ``code`` and
    ``coder``; every stance that cannot be placed is reported at once.
    """
    from .errors import SomecodeError, ValidationError

    data = load_yaml(read_yaml_text(path, what="triangulation file"), path) or {}
    if not isinstance(data, dict):
        raise SourceReadError(path, "a triangulation file is a mapping with 'propositions' and 'stances'",
                              place="line 1", fix="write propositions: [...] and stances: [...]")
    problems, placed = [], []
    with project.atomic():
        for n, item in enumerate(data.get("propositions") or [], start=1):
            try:
                project.add_proposition(item["code"], item["text"], id=item.get("id"))
            except (SomecodeError, KeyError, TypeError) as err:
                problems.append(f"{path}, proposition {n}: {err}")
        for n, item in enumerate(data.get("stances") or [], start=1):
            try:
                start, end = project.locate_quote(item["source"], item["quote"])
                coding = project.find_coding(item["source"], start, end, item["code"], item.get("coder", "paper"))
                if coding is None:
                    raise ValidationError(f"no {item['code']!r} coding by {item.get('coder', 'paper')!r} "
                                          "on that quote; code it first")
                project.set_stance(stored_id(coding), item["proposition"], item["stance"], memo=item.get("memo", ""))
                placed.append(coding.id)
            except (SomecodeError, KeyError, TypeError) as err:
                problems.append(f"{path}, stance {n}: {err}")
        if problems:
            raise ValidationError(f"{path}: {len(problems)} problem(s); nothing from it was stored", problems)
    return len(placed)


def _spec(folder: Path) -> dict:
    path = folder / "study.yaml"
    if not path.is_file():
        raise SourceReadError(path, "no study.yaml in the study folder",
                              fix="give a folder with a study.yaml (see transcripts/bpjs)")
    spec = load_yaml(read_yaml_text(path, what="study file"), path)
    if not isinstance(spec, dict) or "codebook" not in spec:
        raise SourceReadError(path, "study.yaml must name a 'codebook'", place="top level",
                              fix="add codebook: path/to/codebook.yaml")
    for key, kind, example in _SPEC_SHAPES:
        value = spec.get(key)
        if key not in spec or (value is None and key not in ("codebook", "sources")):
            continue
        if not (isinstance(value, kind) and (
                kind is not list or all(isinstance(v, str if key == "codings" else dict) for v in value))):
            raise SourceReadError(path, f"{key!r} has the wrong shape ({type(value).__name__})",
                                  place=f"key {key!r}", fix=f"write {key}: {example}")
    return spec


# The shape of each study.yaml key that is used: (key, type, an example).
_SPEC_SHAPES = (("codebook", str, "path/to/codebook.yaml"), ("sources", str, "sources"),
                ("codings", list, "[codings.csv, ...]"), ("coders", list, "[{id: paper, name: ...}]"),
                ("triangulation", str, "triangulation.yaml"))


@dataclass
class Reproduction:
    """What :func:`reproduce` made: the project, its counts, the table and where it was written."""

    project: Project
    summary: dict
    table: pd.DataFrame
    outputs: list[Path]
    triangulation: Triangulation | None = None


def reproduce(out_dir="outputs", study=None) -> Reproduction:
    """Build the study's project in ``out_dir`` and write the stage-by-informant table as CSV.

    The table counts coded passages (distinct turns) of the coder ``paper``
    per SOME stage and informant.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    project_path = out / "bpjs.somecode"
    for leftover in (project_path, Path(f"{project_path}-wal"), Path(f"{project_path}-shm")):
        leftover.unlink(missing_ok=True)
    project = build_study(study or bundled_study_dir(), project_path)
    table = theme_by_informant(project, level="stage", value="segments", coders="paper")
    target = out / "stage_by_informant.csv"
    partial = target.with_name(target.name + ".partial")
    table.to_csv(partial)
    os.replace(partial, target)
    triangulation = triangulate(project, coders=["paper", "study"])
    written = write_triangulation(triangulation, out)
    return Reproduction(project, project.summary(), table, [project_path, target, *written], triangulation)


def write_figures(folder, project: Project | None = None, *, dpi: float = 150) -> list[Path]:
    """The README's pictures of the bundled study, as PNG and SVG in ``folder`` (the ``plot`` extra):
    its co-occurrence graph (codes coded in one turn, every coder) and the coded passages of the
    coder ``paper`` per code and informant as a heat map in the codebook's colours.  ``project``:
    the study already built (else it is built in a temporary folder)."""
    import tempfile

    from .analysis import cooccurrence_graph
    from .exchange.figures import plot_heatmap, save_figure
    from .exchange.graph_figure import plot_graph

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        built = project or build_study(bundled_study_dir(), Path(scratch) / "bpjs.somecode")
        try:
            graph = plot_graph(cooccurrence_graph(built), dpi=dpi)
            table = theme_by_informant(built, level="code", value="segments", coders="paper", margins=True)
            heatmap = plot_heatmap(table, codebook=built, dpi=dpi)
        finally:
            if project is None:
                built.close()
    written = [save_figure(figure, out / f"{name}.{suffix}")
               for name, figure in (("cooccurrence", graph.figure), ("theme_by_informant", heatmap.figure))
               for suffix in ("png", "svg")]
    pyplot = __import__("matplotlib.pyplot", fromlist=["close"])
    for figure in (graph.figure, heatmap.figure):
        pyplot.close(figure)
    return written
