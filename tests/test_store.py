"""The project file's schema version, migrations (with a backup first) and transactions."""

import sqlite3

import pytest

import somecode
from somecode.store import MIGRATIONS, SCHEMA_VERSION, Store


def test_an_old_project_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.somecode"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA application_id = 1397572420")
    conn.execute("BEGIN")
    MIGRATIONS[1](conn)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO codes (id, parent, position) VALUES ('share', NULL, 0)")
    conn.execute("COMMIT")
    conn.close()
    with somecode.Project.open(path) as project:
        assert project.store.schema_version == SCHEMA_VERSION == 8
        assert project.code_ids() == ["share"]
        assert project.code_by_id("share").include == ""
    backup = tmp_path / "old.somecode.v1.bak"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
        assert copy.execute("SELECT id FROM codes").fetchall() == [("share",)]


def test_nested_atomic_blocks_roll_back_only_their_part(tmp_path):
    store = Store.create(tmp_path / "p.somecode")
    with store.atomic() as conn:
        conn.execute("INSERT INTO coders VALUES ('a', '', 'human')")
        with pytest.raises(RuntimeError):
            with store.atomic():
                conn.execute("INSERT INTO coders VALUES ('b', '', 'human')")
                raise RuntimeError("inner")
    assert store.conn.execute("SELECT id FROM coders").fetchall() == [("a",)]
    with pytest.raises(RuntimeError):
        with store.atomic() as conn:
            conn.execute("INSERT INTO coders VALUES ('c', '', 'human')")
            raise RuntimeError("outer")
    assert store.conn.execute("SELECT id FROM coders").fetchall() == [("a",)]
    store.close()


def test_the_file_is_in_wal_mode_with_foreign_keys(tmp_path):
    with somecode.Project.create(tmp_path / "p.somecode") as project:
        conn = project.store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
