"""Shared fixtures: a fresh project per test, paths to the repository and to ../shared."""

from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import HealthCheck, settings

import somecode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STUDY = ROOT / "transcripts" / "bpjs"


# Hypothesis: "ci" (the default, and what CI=true gets) is derandomised, so a run is repeatable and
# a failure prints its reproduction blob; "fuzz" (``make fuzz``: HYPOTHESIS_PROFILE=fuzz) draws
# random examples, many more of them.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("fuzz", derandomize=False, max_examples=400, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "ci"
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items):
    """Apply the profile's seed policy to every Hypothesis test, also to those whose module loads a
    profile of its own (test_properties.py does, and that would otherwise leak into later modules)."""
    active = settings.get_profile(PROFILE)
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or not getattr(test, "is_hypothesis_test", False):
            continue
        examples = max(own.max_examples, active.max_examples) if PROFILE == "fuzz" else own.max_examples
        test._hypothesis_internal_use_settings = settings(
            own, derandomize=active.derandomize, database=active.database, print_blob=active.print_blob,
            max_examples=examples)


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
