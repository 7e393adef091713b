"""The schema of a project file and the migrations that bring older files up to it.

Each version is a script (or a function) in :data:`MIGRATIONS`, run in order
inside one transaction when a file is created or opened.

>>> sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
True
"""

from __future__ import annotations

import sqlite3
from typing import Callable

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "run_script", "LEGACY_CODING_COLUMNS"]

_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE informants (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, attrs TEXT NOT NULL DEFAULT '{}');
CREATE TABLE sources (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('interview', 'document')),
    title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, text_hash TEXT NOT NULL,
    attrs TEXT NOT NULL DEFAULT '{}', encoding TEXT NOT NULL, text_policy TEXT NOT NULL,
    path TEXT, added TEXT NOT NULL);
CREATE TABLE turns (
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    speaker TEXT, informant_id TEXT REFERENCES informants(id),
    time_start REAL, time_end REAL, attrs TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (source_id, idx), CHECK (0 <= start AND start <= "end"));
CREATE TABLE codes (
    id TEXT PRIMARY KEY, parent TEXT REFERENCES codes(id), position INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '', labels TEXT NOT NULL DEFAULT '{}', color TEXT,
    definition TEXT NOT NULL DEFAULT '', attrs TEXT NOT NULL DEFAULT '{}');
CREATE TABLE coders (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('human', 'machine')));
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    coder_id TEXT NOT NULL REFERENCES coders(id),
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'auto', 'imported')),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'suggested', 'rejected')),
    memo TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, text_hash TEXT NOT NULL,
    evidence TEXT,
    CHECK (0 <= start AND start < "end"));
CREATE UNIQUE INDEX codings_span ON codings (source_id, start, "end", code_id, coder_id);
CREATE INDEX codings_code ON codings (code_id);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}');
"""

# Version 2: codes keep their rules, examples and patterns; codebook operations can be undone.
_SCHEMA_2 = """
ALTER TABLE codes ADD COLUMN spec TEXT NOT NULL DEFAULT '{}';
CREATE TABLE undo_log (
    seq INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
    statement TEXT NOT NULL);
CREATE INDEX undo_log_event ON undo_log (event_id);
"""

# Version 3: the researcher's summaries for framework matrices (case x code).
_SCHEMA_3 = """
CREATE TABLE summaries (
    case_id TEXT NOT NULL, code_id TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL,
    PRIMARY KEY (case_id, code_id));
"""

# Version 4: triangulation: propositions, stances of codings toward them, and assessments.
_SCHEMA_4 = """
CREATE TABLE propositions (
    id TEXT PRIMARY KEY, code_id TEXT NOT NULL REFERENCES codes(id), text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE stances (
    coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
    proposition_id TEXT NOT NULL REFERENCES propositions(id) ON DELETE CASCADE,
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'qualifies')),
    memo TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
    PRIMARY KEY (coding_id, proposition_id));
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY, theme TEXT NOT NULL, group_a TEXT NOT NULL, group_b TEXT NOT NULL,
    component TEXT NOT NULL CHECK (component IN ('convergence', 'meaning', 'prominence')),
    value TEXT NOT NULL, rationale TEXT NOT NULL DEFAULT '', assessor TEXT NOT NULL,
    created TEXT NOT NULL);
"""

# Version 5: codings that could not be re-anchored after a source changed are kept, not dropped.
_SCHEMA_5 = """
CREATE TABLE orphans (
    id INTEGER PRIMARY KEY, coding_id INTEGER NOT NULL, source_id TEXT NOT NULL,
    old_start INTEGER NOT NULL, old_end INTEGER NOT NULL, code_id TEXT NOT NULL, coder_id TEXT NOT NULL,
    old_text TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, coding TEXT NOT NULL,
    orphaned TEXT NOT NULL);
"""

# Version 6: codes found by their place in the codebook without a scan (adding a code stays cheap).
_SCHEMA_6 = """
CREATE INDEX codes_position ON codes (position);
"""

# Version 7: every undo record says which rows it restores (one row, or rows row..row_to appended in bulk),
# so an undo can tell which later work depends on it.
_SCHEMA_7 = """
ALTER TABLE undo_log ADD COLUMN tbl TEXT;
ALTER TABLE undo_log ADD COLUMN row INTEGER;
ALTER TABLE undo_log ADD COLUMN row_to INTEGER;
CREATE INDEX undo_log_row ON undo_log (tbl, row);
"""

# Version 8: free memos (on the project, a source, a code, a case or a set), declared case attributes with
# their types, and named sets of sources or cases (a static list, or a query over case attributes).
_SCHEMA_8 = """
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    about_kind TEXT NOT NULL CHECK (about_kind IN ('project', 'source', 'code', 'case', 'set')),
    about_id TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL, modified TEXT);
CREATE INDEX memos_about ON memos (about_kind, about_id);
CREATE TABLE attributes (
    name TEXT PRIMARY KEY, type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'category')),
    categories TEXT NOT NULL DEFAULT '[]', position INTEGER NOT NULL);
CREATE TABLE sets (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    members TEXT NOT NULL CHECK (members IN ('sources', 'cases')),
    query TEXT, author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE set_members (
    set_id INTEGER NOT NULL REFERENCES sets(id), member TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (set_id, member));
"""

SCHEMA_VERSION = 8
# version reached -> function that takes the database there from the version before it
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda conn: run_script(conn, _SCHEMA_1),
    2: lambda conn: run_script(conn, _SCHEMA_2),
    3: lambda conn: run_script(conn, _SCHEMA_3),
    4: lambda conn: run_script(conn, _SCHEMA_4),
    5: lambda conn: run_script(conn, _SCHEMA_5),
    6: lambda conn: run_script(conn, _SCHEMA_6),
    7: lambda conn: run_script(conn, _SCHEMA_7),
    8: lambda conn: run_script(conn, _SCHEMA_8),
}


# Files written before records were kept as mappings hold an orphan's coding as a list in the order
# of the ``codings`` columns of schema 1; read them through these names, never by position elsewhere.
LEGACY_CODING_COLUMNS = ("id", "source_id", "start", "end", "code_id", "coder_id", "origin", "status",
                         "memo", "created", "text_hash", "evidence")


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the current transaction
    (``executescript`` would commit it first)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


