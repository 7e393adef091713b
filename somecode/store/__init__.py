"""The data layer: every SQL statement of somecode lives in this package.

:class:`Store` is the connection to one project file (transactions, schema
version, migrations, backups, read-only opening, and SQLite's errors about the file
raised as :class:`~somecode.errors.ProjectError` subclasses); the modules beside it read and write one family
of tables each and speak in records (:mod:`somecode.model`), never in rows:

========================  ==================================================
:mod:`.sources`           sources, turns, informants
:mod:`.codes`             codes, coders, project settings
:mod:`.codings`           codings
:mod:`.notes`             summaries, propositions, stances, assessments
:mod:`.memos`             free memos on the project, a source, a code, a case or a set
:mod:`.attributes`        declared case attributes and their types
:mod:`.sets`              named sets of sources or cases
:mod:`.orphans`           codings that lost their place
:mod:`.events`            the log
:mod:`.undo`              recording and reversing an operation's changes
:mod:`.integrity`         SQLite's own checks, table counts
:mod:`.records`           the JSON encoder and codings as named fields
:mod:`.schema`            the schema and its migrations
========================  ==================================================
"""

from . import attributes, codes, codings, events, integrity, memos, notes, orphans, records, sets, sources, undo
from .connection import APPLICATION_ID, Store, now
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "SCHEMA_VERSION", "MIGRATIONS", "APPLICATION_ID", "now", "codes", "codings", "events",
           "integrity", "notes", "orphans", "records", "sources", "undo", "memos", "attributes", "sets"]
