"""Shared fixtures: a fresh project per test, paths to the repository and to ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

import somecode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STUDY = ROOT / "transcripts" / "bpjs"


def shared_file(*parts) -> Path:
    """A file under ../shared, or a clean skip when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is optional)")
    return path


@pytest.fixture
def project(tmp_path):
    with somecode.Project.create(tmp_path / "test.somecode") as p:
        yield p


@pytest.fixture
def interview():
    """A two-speaker interview with an emoji and a combining accent, offsets by hand."""
    text = "Peneliti: Apa fiturnya?\nAni: Reels 👍 paling disukai, kata Jose\u0301.\n"
    return somecode.Source.from_text(
        "ani", text, kind="interview",
        turns=[somecode.Turn(10, 23, "Peneliti"), somecode.Turn(29, 63, "Ani", "ani")],
        attrs={"informants": {"ani": {"name": "Ani", "role": "admin"}}})


@pytest.fixture
def coded(project, interview):
    project.add_source(interview)
    project.add_codes([somecode.Code("optimize"), somecode.Code("optimize.listen_learn", "optimize"),
                       somecode.Code("share")])
    return project


def project_dump(project) -> dict:
    """Every row of every table, to compare a project before and after a failed operation."""
    conn = project.store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
