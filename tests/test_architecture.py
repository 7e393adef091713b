"""The house: SQL only in the data layer, no import cycles, a layout the README describes,
and adding codes that stays linear."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import somecode

PACKAGE = Path(somecode.__file__).parent
ROOT = PACKAGE.parent
SQL_MARKS = re.compile(r"_conn\b|\.conn\b|execute\(")
SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|WITH)\s")
# Files allowed an ``execute(`` that is not SQL: how many such lines, and why (none today).
NOT_SQL: dict[str, tuple[int, str]] = {}
# Modules that stay at the top of the package, each with the reason.
TOP_LEVEL = {
    "__init__.py": "the curated namespace",
    "errors.py": "the exceptions every part raises",
    "model.py": "the records every part shares",
    "text.py": "the text policy every part shares",
    "vocabulary.py": "the argument checks every part shares",
    "cli.py": "the command line, over the whole library",
    "study.py": "the bundled study, built from the whole library",
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def sql_outside_the_store(path: Path, text: str) -> list[str]:
    """Lines that touch a connection, and string literals that are SQL statements."""
    found = [f"{path}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if SQL_MARKS.search(line)]
    found += [f"{path}:{node.lineno}: {node.value[:40]!r}" for node in ast.walk(ast.parse(text))
              if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value)]
    return found


def test_no_sql_outside_the_data_layer():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("store/"):
            continue
        found = sql_outside_the_store(path.relative_to(PACKAGE), path.read_text(encoding="utf-8"))
        allowed, _ = NOT_SQL.get(relative, (0, ""))
        if len(found) != allowed or any(SQL_TEXT.search(line.split(": ", 1)[1]) for line in found):
            offenders += found
    assert offenders == []


@pytest.mark.parametrize("line", ["rows = project._conn.execute(query)", "conn = project.store.conn",
                                  "db.run('UPDATE codings SET memo = ?', values)",
                                  "project.store.all(\"SELECT id FROM codes\")"])
def test_the_guard_sees_sql(line):
    assert sql_outside_the_store(Path("x.py"), line + "\n")


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.AST):
    """Every import statement, at any depth (lazy imports count), except those only for type checkers."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, within somecode (a submodule's own parent packages are implicit)."""
    found, graph = modules(), nx.DiGraph()
    for name, path in found.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph.add_node(name)
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + [node.module] if node.module else base)
                names = [f"{target}.{a.name}" if f"{target}.{a.name}" in found else target for a in node.names]
            else:
                names = [a.name for a in node.names]
            for other in names:
                if other in found and other != name and not name.startswith(other + "."):
                    graph.add_edge(name, other)
    return graph


def test_no_import_cycles():
    graph = import_graph()
    assert graph.number_of_edges() > 100  # the graph really holds the package's imports
    assert list(nx.simple_cycles(graph)) == []


def test_the_cycle_check_sees_a_cycle(tmp_path):
    graph = import_graph()
    graph.add_edge("somecode.store.codes", "somecode.project.codes")  # a data layer that calls back up
    assert list(nx.simple_cycles(graph))


def test_every_module_imports_in_a_fresh_interpreter():
    # ``import somecode`` runs first whichever module is asked for, so one interpreter sees every order there is
    names = sorted(modules())
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(names) > 60


def test_no_loose_module_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == sorted(TOP_LEVEL)


def test_the_readme_table_matches_the_tree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(somecode/[\w/]+(?:\.py)?)`", section))
    packages = {f"somecode/{p.parent.name}/" for p in PACKAGE.glob("*/__init__.py")}
    modules_named = {f"somecode/{name}" for name in TOP_LEVEL if name != "__init__.py"}
    assert packages | modules_named <= named
    assert all((ROOT / n).exists() for n in named), sorted(n for n in named if not (ROOT / n).exists())


def _work_adding(project, first: int, count: int) -> int:
    """SQLite virtual-machine steps spent adding ``count`` codes (a count of work, not a time)."""
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    project.store.conn.set_progress_handler(tick, 10)
    project.add_codes([somecode.Code(f"c{n}", "root" if n % 2 else None) for n in range(first, first + count)])
    project.store.conn.set_progress_handler(None, 10)
    return steps[0]


def test_adding_codes_is_linear(tmp_path):
    with somecode.Project.create(tmp_path / "p.somecode") as project:
        project.add_code("root")
        early = _work_adding(project, 0, 200)
        _work_adding(project, 200, 1600)
        late = _work_adding(project, 1800, 200)
    # the same 200 codes cost the same with 1,800 codes already there (quadratic work would be ~9x)
    assert late < 1.5 * early, (early, late)


@pytest.mark.parametrize("count", [1000])
def test_a_large_codebook_imports_from_refi_qda_in_well_under_a_second(tmp_path, count):
    import time

    from somecode.exchange import write_qdpx

    with somecode.Project.create(tmp_path / "big.somecode") as project:
        project.add_codes([somecode.Code(f"c{n}", f"c{n // 10}" if n >= 10 else None) for n in range(count)])
        archive = write_qdpx(project, tmp_path / "big.qdpx")
    started = time.perf_counter()
    imported, _ = somecode.read_qdpx(archive, tmp_path / "back.somecode")
    elapsed = time.perf_counter() - started
    assert len(imported.code_ids()) == count
    imported.close()
    assert elapsed < 1.0, elapsed
