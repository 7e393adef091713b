"""Building a project from a study folder, and reproducing the bundled BPJS study.

A study folder holds a ``study.yaml`` that names the codebook, the folder of
sources and the codings files.  :func:`build_study` turns it into a project;
:func:`reproduce` also writes the stage-by-informant table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from .analysis import theme_by_informant
from .analysis.triangulation import Triangulation, triangulate, write_triangulation
from .errors import SourceReadError
from .model import Coder
from .project import Project
from .store.records import stored_id

if TYPE_CHECKING:
    from .project import Project

__all__ = ["build_study", "reproduce", "bundled_study_dir", "Reproduction", "load_triangulation"]


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
            for coder in spec.get("coders") or []:
                project.add_coder(Coder(**coder))
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


def load_triangulation(project: Project, path) -> int:
    """Add the propositions and stances of a triangulation YAML file, all or nothing.

    Each stance names its coding by ``source``, ``quote``, ``code`` and
    ``coder``; every stance that cannot be placed is reported at once.
    """
    from .errors import SomecodeError, ValidationError

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise SourceReadError(path, f"cannot read the triangulation file: {err}") from None
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
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise SourceReadError(path, "no study.yaml in the study folder",
                              fix="give a folder with a study.yaml (see transcripts/bpjs)") from None
    except yaml.YAMLError as err:
        raise SourceReadError(path, f"not valid YAML: {err}") from None
    if not isinstance(spec, dict) or "codebook" not in spec:
        raise SourceReadError(path, "study.yaml must name a 'codebook'", place="top level",
                              fix="add codebook: path/to/codebook.yaml")
    return spec


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
