"""The set-up the README promises: two commands, matching dependency lists, CI calling the tests."""

import re

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

from conftest import ROOT


def _names(requirements):
    return {re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower(): r.replace(" ", "") for r in requirements}


def _environment_names(deps):
    """environment.yml's conda and `pip:` requirements, with conda-forge's dask + distributed
    read back as pyproject's dask[distributed]."""
    reqs = [d for d in deps if isinstance(d, str)]
    reqs += [r for d in deps if isinstance(d, dict) for r in d.get("pip", []) if not r.startswith("-")]
    names = {k: v for k, v in _names(reqs).items() if k not in ("python", "pip")}
    spec = names.get("dask", "")[len("dask"):]
    if "dask" in names and names.get("distributed") == "distributed" + spec:
        del names["dask"], names["distributed"]
        names["dask[distributed]"] = "dask[distributed]" + spec
    return names


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        wanted += extra
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = _environment_names(env)
    assert conda == _names(wanted)


def test_readme_first_screen_has_exactly_the_setup_commands():
    first_screen = (ROOT / "README.md").read_text().splitlines()[:25]
    commands = [line.split("#")[0].strip() for line in first_screen if line.startswith("make ")]
    assert commands == ["make reproduce", "make test", "make lab"]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", script, re.M)
    assert "set -euo pipefail" in script
