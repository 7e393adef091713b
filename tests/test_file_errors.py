"""Errors that are not ours (issue #14, scope 5): another program holding the file, a full disk,
a read-only file or folder, an interrupted init or import, a damaged file, and propositions in
the way of codebook operations.  Each becomes a SomecodeError that says what to do, and leaves the
project as it was."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from conftest import project_dump

import somecode
from somecode.codebook import Codebook
from somecode.errors import (
    ConflictError,
    ProjectDamagedError,
    ProjectError,
    ProjectFullError,
    ProjectLockedError,
    ProjectReadOnlyError,
    SomecodeError,
)
from somecode.store import connection

TEXT = "".join(f"Peneliti: Pertanyaan {k}?\nAni: Jawaban nomor {k} tentang reels dan insight.\n" for k in range(40))


def _small_project(path: Path) -> Path:
    """A small but real project: sources, a code tree, codings with memos, a summary, a proposition."""
    with somecode.Project.create(path) as p:
        for n in range(3):
            p.add_source(somecode.Source.from_text(f"s{n}", TEXT, kind="document"))
        p.add_codes([somecode.Code("optimize"), somecode.Code("optimize.reels", "optimize"), somecode.Code("share")])
        for n in range(3):
            for k in range(0, 2000, 97):
                p.code(f"s{n}", k, k + 20, ["optimize", "share", "optimize.reels"][k % 3], coder="nida",
                       memo=f"memo {k}")
        p.set_summary("s0", "share", "Shares daily.")
        p.add_proposition("share", "People share what they learn.", id="p1")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# ------------------------------------------------------------------ another program holds the file
HOLDER = """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO coders VALUES ('holder', '', 'human')")
    print("holding", flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize("how", ["timeout argument", "module constant"])
def test_a_file_held_by_another_writer_is_in_use_after_the_timeout_not_a_raw_lock(tmp_path, monkeypatch, how):
    path = _small_project(tmp_path / "held.somecode")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLDER), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        if how == "module constant":
            monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
            project = somecode.Project.open(path)
        else:
            project = somecode.Project.open(path, timeout=0.3)
        with project:
            before = project_dump(project)  # reading works while the other program writes (WAL)
            started = time.monotonic()
            with pytest.raises(ProjectLockedError, match="in use by another program") as caught:
                project.add_code("late")
            assert time.monotonic() - started < 20
            assert "close it" in str(caught.value).lower() and str(path) in str(caught.value)
            assert project_dump(project) == before
            holder.kill()
            holder.wait(timeout=30)
            project.add_code("late")  # once the other program is gone, the same call works
            assert "late" in project.code_ids()
    finally:
        holder.kill()
        holder.wait(timeout=30)


# ------------------------------------------------------------------ a full disk
def _cap(project) -> None:
    """Let the file grow by no page at all: SQLite then says 'database or disk is full'."""
    conn = project.store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_while_coding_is_our_error_and_nothing_is_half_written(tmp_path):
    with somecode.Project.open(_small_project(tmp_path / "full.somecode")) as project:
        before = project_dump(project)
        _cap(project)
        with pytest.raises(ProjectFullError, match="disk is full") as caught:
            project.code_quote("s1", "Jawaban nomor 7", "share", coder="budi", memo="panjang " * 20_000)
        assert "nothing was changed" in str(caught.value)
        with pytest.raises(ProjectFullError):
            project.add_codings([somecode.Coding("s2", k, k + 3, "share", "budi", memo="x" * 5000)
                                 for k in range(0, 600, 3)])
        with pytest.raises(ProjectFullError):
            with project.atomic():  # a batch the caller groups: all of it goes
                project.add_code("new.one")
                project.add_source(somecode.Source.from_text("big", "kata " * 100_000, kind="document"))
        assert not project.store.conn.in_transaction
        assert project_dump(project) == before
        project.store.conn.execute("PRAGMA max_page_count = 1073741823")  # space again: the same call works
        project.code_quote("s1", "Jawaban nomor 7", "share", coder="budi", memo="panjang")
        assert project.check().empty


def _small_disk(monkeypatch, pages: int = 3) -> None:
    original = connection._connect

    def capped(*args, **kwargs):
        conn = original(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(connection, "_connect", capped)


def test_init_on_a_full_disk_leaves_nothing_and_a_later_init_works(tmp_path, monkeypatch, capsys):
    from somecode.cli import main

    path = tmp_path / "new.somecode"
    _small_disk(monkeypatch)
    with pytest.raises(ProjectFullError, match="disk is full"):
        somecode.Project.create(path)
    assert _beside(path) == []
    assert main(["init", str(path)]) == 1
    assert "disk is full" in capsys.readouterr().err
    assert _beside(path) == []
    monkeypatch.undo()
    with somecode.Project.create(path) as project:  # nothing half-made stands in the way
        assert project.check().empty
    assert _beside(path) == ["new.somecode"]


def test_a_create_killed_before_the_end_leaves_no_project_and_blocks_nothing(tmp_path):
    path = tmp_path / "p.somecode"
    (tmp_path / "p.somecode.partial").write_bytes(b"\0" * 4096)  # what a killed create leaves
    with somecode.Project.create(path) as project:
        assert project.code_ids() == []
    assert _beside(path) == ["p.somecode"]


# ------------------------------------------------------------------ read-only files and folders
def test_read_only_open_reads_everything_changes_no_byte_and_refuses_the_first_write(tmp_path):
    path = _small_project(tmp_path / "ro.somecode")
    digest = _sha(path)
    with somecode.Project.open(path, read_only=True) as project:
        assert len(project.codings()) == 63 and len(project.sources()) == 3
        assert project.check().empty
        assert project.propositions()["proposition"].tolist() == ["p1"]
        with pytest.raises(ProjectReadOnlyError, match="read-only") as caught:
            project.add_code("new")
        assert "read_only=True" in str(caught.value)
        with pytest.raises(ProjectReadOnlyError):
            project.code("s0", 0, 5, "share", coder="nida")
        assert len(project.codings()) == 63  # still readable after the refused write
    assert _sha(path) == digest
    assert _beside(path) == ["ro.somecode"]  # no -wal, no -shm


def test_read_only_open_neither_migrates_nor_backs_up_an_older_file(tmp_path):
    path = tmp_path / "old.somecode"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {connection.APPLICATION_ID}")
    conn.execute("BEGIN")
    somecode.store.MIGRATIONS[1](conn)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("COMMIT")
    conn.close()
    digest = _sha(path)
    with somecode.Project.open(path, read_only=True) as project:
        rows = project.check()
    expected = ("schema", "meta", f"version 1, expected {somecode.store.SCHEMA_VERSION}")
    assert expected in list(map(tuple, rows.values.tolist()))
    assert _sha(path) == digest and _beside(path) == ["old.somecode"]


def _unprivileged() -> list[str]:
    """A command prefix that runs a process as a user who cannot write what root made, or a skip."""
    if os.geteuid() != 0:
        return []  # chmod binds us already
    for prefix in (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
                   ["runuser", "-u", "nobody", "--"]):
        if shutil.which(prefix[0]) is None:
            continue
        probe = subprocess.run([*prefix, sys.executable, "-c", "import somecode"], capture_output=True,
                               text=True, cwd=tempfile.gettempdir())
        if probe.returncode == 0:
            return prefix
    pytest.skip("running as root, and neither setpriv nor runuser can start an unprivileged Python "
                "that imports somecode, so a read-only file cannot be made (root ignores chmod)")


READER = """
    import json, sys
    import somecode
    out = {}
    with somecode.Project.open(sys.argv[1]) as project:
        out["read_only"] = getattr(project.store, "read_only", None)
        out["codings"] = len(project.codings())
        out["sources"] = len(project.sources())
        out["check"] = project.check().values.tolist()
        try:
            project.add_code("new")
        except Exception as err:
            out["write"] = [type(err).__name__, str(err)]
        out["after"] = len(project.codings())
    print(json.dumps(out))
"""


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_opens_for_reading_and_the_first_write_says_so(tmp_path, what):
    prefix = _unprivileged()
    folder = Path(tempfile.mkdtemp(prefix="somecode-ro-"))
    try:
        path = _small_project(folder / "shared.somecode")
        digest = _sha(path)
        if what == "file":  # the folder is writable, the file is not
            os.chmod(folder, 0o777)
            os.chmod(path, 0o444)
        else:  # the file is writable by its owner, but the reader may write neither it nor the folder
            os.chmod(folder, 0o555 if not prefix else 0o755)
            os.chmod(path, 0o444 if not prefix else 0o644)
        result = subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(READER), str(path)],
                                capture_output=True, text=True, cwd=tempfile.gettempdir(), timeout=300)
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout)
        assert out["codings"] == out["after"] == 63 and out["sources"] == 3 and out["check"] == []
        kind, message = out["write"]
        assert kind == "ProjectReadOnlyError", message
        assert "read-only" in message and str(path) in message
        assert ("folder" in message) if what == "folder" else ("chmod u+w" in message)
        assert _sha(path) == digest
        assert _beside(path) == ["shared.somecode"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ an import killed midway
KILLED_IMPORT = """
    import sys, time
    from somecode.exchange import read_qdpx, refi_read

    def stall(project, meta):  # the last step of storing: everything else is written by now
        print("storing", flush=True)
        time.sleep(120)

    refi_read._restore_analysis = stall
    read_qdpx(sys.argv[1], sys.argv[2])
"""


def test_an_import_killed_midway_leaves_no_project_and_runs_again(tmp_path):
    from somecode.exchange import read_qdpx, write_qdpx

    source = tmp_path / "src"
    source.mkdir()
    with somecode.Project.open(_small_project(source / "p.somecode")) as project:
        qdpx = write_qdpx(project, tmp_path / "study.qdpx")
        expected = len(project.codings())
    target = tmp_path / "imported.somecode"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KILLED_IMPORT), str(qdpx), str(target)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "storing", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert not target.exists()
    project, _ = read_qdpx(qdpx, target)
    with project:
        assert len(project.codings()) == expected
        assert project.propositions()["proposition"].tolist() == ["p1"]
        assert project.check().empty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imported.somecode", "src", "study.qdpx"]


# ------------------------------------------------------------------ propositions in the way
@pytest.fixture
def claimed(project):
    project.add_source(somecode.Source.from_text("d", "Reels dan insight setiap hari.", kind="document"))
    project.add_codes([somecode.Code("optimize"), somecode.Code("reels", "optimize"), somecode.Code("share")])
    first = project.code("d", 0, 5, "reels", coder="nida")
    project.code("d", 0, 5, "optimize", coder="nida")  # the twin reels' coding collapses into
    project.add_proposition("reels", "Reels teach.", id="p.reels")
    project.set_stance(first.id, "p.reels", "supports")
    return project


def _claims(project):
    return project.propositions()[["proposition", "code"]].values.tolist()


def _research(project) -> dict:
    """The researcher's work, without the log (an undo adds to the log)."""
    return {t: rows for t, rows in project_dump(project).items() if t not in ("events", "undo_log")}


def test_merge_moves_propositions_and_keeps_stances_of_collapsed_codings(claimed):
    before = _research(claimed)
    claimed.merge_codes("reels", into="optimize")
    assert _claims(claimed) == [["p.reels", "optimize"]]
    stances = claimed.stances()
    assert stances[["code", "proposition", "stance"]].values.tolist() == [["optimize", "p.reels", "supports"]]
    assert claimed.check().empty
    claimed.undo()
    assert _research(claimed) == before


def test_delete_code_with_reassign_moves_its_propositions(claimed):
    claimed.delete_code("reels", reassign="share")
    assert _claims(claimed) == [["p.reels", "share"]]
    assert claimed.stances()["proposition"].tolist() == ["p.reels"]


def test_a_forced_delete_of_a_code_with_propositions_is_refused_naming_them(claimed):
    before = project_dump(claimed)
    with pytest.raises(ConflictError, match="p.reels") as caught:
        claimed.delete_code("reels", force=True)
    assert "reassign=" in str(caught.value)
    claimed.add_code("idle")
    claimed.add_proposition("idle", "Nothing coded yet.", id="p.idle")
    with pytest.raises(ConflictError, match="p.idle"):
        claimed.delete_code("idle")  # no codings, but a proposition
    claimed.delete_code("idle", reassign="share")
    assert ["p.idle", "share"] in _claims(claimed)
    assert project_dump(claimed)["codings"] == before["codings"]


def test_set_codebook_moves_propositions_with_reassign_and_names_them_without(claimed):
    book = claimed.codebook()
    smaller = Codebook([c for c in book if c.id != "reels"], name=book.name)
    before = project_dump(claimed)
    with pytest.raises(ConflictError, match="p.reels"):
        claimed.set_codebook(smaller)
    assert project_dump(claimed) == before
    claimed.set_codebook(smaller, reassign={"reels": "optimize"})
    assert _claims(claimed) == [["p.reels", "optimize"]]
    assert claimed.check().empty


# ------------------------------------------------------------------ a damaged file
def _flipped(data: bytes, trial: int) -> bytes:
    rng = random.Random(trial)
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 100)):
        damaged[rng.randrange(len(damaged))] ^= rng.randint(1, 255)
    return bytes(damaged)


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    return _small_project(tmp_path_factory.mktemp("good") / "good.somecode").read_bytes()


def test_reads_of_a_damaged_project_raise_only_our_errors(good_bytes, tmp_path):
    path = tmp_path / "damaged.somecode"
    raw, ours = [], set()
    for trial in range(60):
        for leftover in tmp_path.iterdir():
            leftover.unlink()
        path.write_bytes(_flipped(good_bytes, trial))
        try:
            project = somecode.Project.open(path)
        except ProjectError as err:
            ours.add(type(err).__name__)
            continue
        with project:
            for read in (project.codings, project.sources, project.check):
                try:
                    read()
                except SomecodeError as err:
                    ours.add(type(err).__name__)
                    assert isinstance(err, ProjectError) and str(path) in str(err)
                    if isinstance(err, ProjectDamagedError):
                        assert "somecode doctor" in str(err)
                except Exception as err:  # noqa: BLE001 - collected for the message
                    raw.append(f"trial {trial}, {read.__name__}: {type(err).__name__}: {str(err)[:80]}")
    assert raw == []
    assert "ProjectDamagedError" in ours  # the loop reached damage, not only good files


def test_check_of_a_damaged_file_opened_read_only_changes_no_byte_and_reports_rows(good_bytes, tmp_path):
    path = tmp_path / "damaged.somecode"
    found = 0
    for trial in range(60):
        for leftover in tmp_path.iterdir():
            leftover.unlink()
        path.write_bytes(_flipped(good_bytes, trial))
        digest = _sha(path)
        try:
            project = somecode.Project.open(path, read_only=True)
        except ProjectError:
            pass  # not even a readable header: nothing to check
        else:
            with project:
                rows = project.check()  # never raises
            found += int((rows["what"] != "notice").any())
        assert _sha(path) == digest, trial
        assert _beside(path) == ["damaged.somecode"], trial
    assert found >= 30


def test_the_file_is_damaged_message_names_the_file_and_the_doctor(good_bytes, tmp_path):
    path = tmp_path / "x.somecode"
    path.write_bytes(good_bytes)
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'codings'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(good_bytes)
    start = (root - 1) * size
    data[start:start + 12] = b"\xff" * 12  # the codings table's page header: not a b-tree page any more
    path.write_bytes(bytes(data))
    with somecode.Project.open(path) as project:
        assert len(project.sources()) == 3  # the rest of the file reads
        with pytest.raises(ProjectDamagedError, match=r"x\.somecode is damaged .*somecode doctor"):
            project.codings()
    digest = _sha(path)
    with somecode.Project.open(path, read_only=True) as project:
        rows = project.check()
    assert "codings" in rows[rows["what"] == "damage"]["where"].tolist()
    assert _sha(path) == digest
