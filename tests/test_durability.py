"""Nothing lost: failed imports change nothing, concurrent writers all land, a killed writer
leaves a sound project with every committed coding."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import project_dump

import somecode

TEXT = "".join(f"kalimata {n:05d}. " for n in range(2000))  # 34,000 characters


def _seeded_project(path):
    with somecode.Project.create(path) as p:
        p.add_source(somecode.Source.from_text("long", TEXT, kind="document"))
        p.add_code("x")


def _child(script: str, *args) -> subprocess.Popen:
    code = "import sys, time, somecode\n" + textwrap.dedent(script)
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_import_that_fails_midway_leaves_the_project_as_it_was(project, tmp_path, monkeypatch):
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(5):
        (folder / f"s{n}.txt").write_text(f"Ani: jawaban {n}\nBudi: ya {n}\n")
    project.add_source(somecode.Source.from_text("old", "Sudah ada.", kind="document"))
    before = project_dump(project)
    from somecode.project import sources as part  # the module that writes each source's informants

    original, calls = part.register_informants, []

    def failing(project, source):
        calls.append(source.id)
        if len(calls) == 4:
            raise OSError("disk full (simulated)")
        return original(project, source)

    monkeypatch.setattr(part, "register_informants", failing)
    with pytest.raises(OSError, match="simulated"):
        project.add_path(folder)
    assert len(calls) == 4  # three sources' informants were written inside the transaction before the failure
    assert project_dump(project) == before


def test_two_processes_adding_5000_codings_each_end_with_10000(tmp_path):
    path = tmp_path / "shared.somecode"
    _seeded_project(path)
    script = """
        project = somecode.Project.open(sys.argv[1])
        width = int(sys.argv[2])
        for start in range(5000):
            project.code("long", start, start + width, "x", coder=f"writer{width}")
        print("done")
    """
    writers = [_child(script, path, width) for width in (1, 2)]
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with somecode.Project.open(path) as p:
        frame = p.codings()
        assert len(frame) == 10_000
        assert frame.groupby("coder").size().to_dict() == {"writer1": 5000, "writer2": 5000}
        assert (frame["text"] == [TEXT[s:e] for s, e in zip(frame["start"], frame["end"])]).all()


KILLED_WRITER = """
    project = somecode.Project.open(sys.argv[1])
    batch = 200
    for k in range(10_000):
        with project.atomic():
            for n in range(batch):
                start = (k * batch + n) % 30_000
                project.code("long", start, start + 1 + k // 150, "x", coder=sys.argv[3])
            print("inside", k, flush=True)
            time.sleep(float(sys.argv[2]))
        print("committed", k, flush=True)
"""


def _committed_count(path):
    with somecode.Project.open(path) as p:
        assert p.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return p.summary()["codings"]


def test_a_writer_killed_inside_a_transaction_loses_only_that_transaction(tmp_path):
    path = tmp_path / "killed.somecode"
    _seeded_project(path)
    writer = _child(KILLED_WRITER, path, 0.5, "w")
    for line in writer.stdout:
        if line.split() == ["inside", "3"]:
            os.kill(writer.pid, signal.SIGKILL)  # batch 3 is written but not committed
            break
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    assert _committed_count(path) == 3 * 200


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_writers_killed_at_random_points_keep_every_committed_coding(tmp_path, seed):
    path = tmp_path / "random.somecode"
    _seeded_project(path)
    rng = random.Random(seed)
    stored = 0
    for run in range(3):
        writer = _child(KILLED_WRITER, path, 0.0, f"w{run}")
        first = writer.stdout.readline() + writer.stdout.readline()  # inside 0, committed 0
        assert first.split() == ["inside", "0", "committed", "0"], writer.stderr.read()
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
        lines = (first + writer.stdout.read()).splitlines()
        reported = sum(1 for line in lines if line.startswith("committed"))
        count = _committed_count(path)
        # every batch reported as committed is there; at most one more (killed between
        # its commit and its report); never part of a batch
        assert stored + 200 * reported <= count <= stored + 200 * (reported + 1)
        assert count % 200 == 0
        stored = count
