"""Soak: 4 writer processes and 1 reader share a project while writers are killed with SIGKILL at
random points.  The project always passes the integrity check and ends with every coding; the
reader never sees part of a transaction.  ``make test`` runs a short soak (8 kills, 600 codings a
writer); ``make soak`` the long one (50 kills, 2,500 codings a writer)."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import somecode

FULL = os.environ.get("SOMECODE_SOAK") == "full"
PER_WRITER, KILLS, BATCH = (2500, 50, 50) if FULL else (600, 8, 50)
TEXT = "".join(f"kalimat {n:05d}. " for n in range(4000))

WRITER = textwrap.dedent("""
    import sys, time, somecode
    path, coder, total, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    project = somecode.Project.open(path)
    done = len(project.coding_records(coder=coder))
    assert done % batch == 0, done
    for first in range(done, total, batch):
        with project.atomic():
            project.add_codings(somecode.Coding("long", n, n + 1 + ord(coder[-1]) % 5, "x", coder)
                                for n in range(first, first + batch))
        print(first + batch, flush=True)
        time.sleep(0.3)  # a writer at work between transactions
""")

READER = textwrap.dedent("""
    import os, sys, time, somecode
    path, stop, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    project = somecode.Project.open(path)
    reads = violations = 0
    last = {}
    while not os.path.exists(stop):
        rows = project.store.conn.execute("SELECT coder_id, count(*) FROM codings GROUP BY coder_id").fetchall()
        for coder, count in rows:
            if count % batch or count < last.get(coder, 0):
                violations += 1
            last[coder] = count
        reads += 1
        time.sleep(0.01)
    print(reads, violations, flush=True)
""")


def _start(script, *args):
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_killed_writers_and_a_reader(tmp_path):
    path = tmp_path / "soak.somecode"
    with somecode.Project.create(path) as project:
        project.add_source(somecode.Source.from_text("long", TEXT, kind="document"))
        project.add_code("x")
    coders = [f"writer{i}" for i in range(4)]
    stop = tmp_path / "stop"
    reader = _start(READER, path, stop, BATCH)
    writers = {c: _start(WRITER, path, c, PER_WRITER, BATCH) for c in coders}
    rng = random.Random(2026)
    kills = 0
    deadline = time.monotonic() + (900 if FULL else 240)
    while time.monotonic() < deadline:
        for coder, process in list(writers.items()):
            if process.poll() is not None:
                assert process.returncode in (0, -signal.SIGKILL), process.stderr.read()
                if process.returncode == 0:
                    del writers[coder]
                else:
                    writers[coder] = _start(WRITER, path, coder, PER_WRITER, BATCH)
        if not writers:
            break
        if kills < KILLS:
            time.sleep(rng.uniform(0.1, 0.6))
            coder = rng.choice(list(writers))
            if writers[coder].poll() is None:
                writers[coder].send_signal(signal.SIGKILL)
                kills += 1
            with somecode.Project.open(path) as check:  # sound after every kill
                assert check.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        else:
            time.sleep(0.2)
    assert not writers, "writers did not finish in time"
    stop.touch()
    reads, violations = map(int, reader.communicate(timeout=60)[0].split())
    assert kills == KILLS and violations == 0 and reads > 10
    with somecode.Project.open(path) as project:
        assert project.check().empty
        counts = dict(project.store.conn.execute("SELECT coder_id, count(*) FROM codings GROUP BY coder_id"))
    assert counts == {c: PER_WRITER for c in coders}
