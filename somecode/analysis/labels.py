"""What a table's rows and margins are called: the codebook's own names for its levels, and one ``Total``.

A table of themes is indexed by top-level codes (``level="stage"``) or by (top-level code, code)
pairs (``level="code"``).  The top level is called what the codebook calls it (its ``levels:``
list, such as ``[stage, sub-theme]`` in the SOME codebook), else ``theme``; the second level is
always ``code``, since it holds codes of every depth.  A margin is one ``Total`` row and column;
with two index levels the total row is ``("Total", "")``, so it reads "Total" once.

>>> theme_index_names([], "stage"), theme_index_names(["stage", "sub-theme"], "code")
(['theme'], ['stage', 'code'])
>>> total_row([("share", "share")]), total_row(["share"])
(('Total', ''), 'Total')
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["theme_index_names", "codebook_levels", "total_row", "row_key", "informant_labels", "TOTAL", "THEME",
           "CODE"]

TOTAL = "Total"
THEME = "theme"  # the top level's name when the codebook names none
CODE = "code"


def codebook_levels(project: Project) -> list[str]:
    """The names the project's codebook gives its levels, top first (``[]`` when it names none)."""
    return list(project.codebook().levels)


def theme_index_names(levels: Sequence[str], level: str) -> list[str]:
    """Index level names of a table of themes at ``level`` ("stage" or "code")."""
    top = levels[0] if levels else THEME
    return [top] if level == "stage" else [top, CODE]


def total_row(rows: Sequence) -> tuple[str, str] | str:
    """The margin row's label for a table with these row labels."""
    return (TOTAL, "") if rows and isinstance(rows[0], tuple) else TOTAL


def row_key(row) -> str:
    """The theme a row label stands for: the code of a (top, code) pair, ``Total`` for the margin."""
    if isinstance(row, tuple):
        return row[1] or row[0]
    return row


def informant_labels(informants, reserved: Sequence[str] = ()) -> dict[str, str]:
    """The column label of each informant (by id): the name, or "name (id)" where two informants
    share the name or it is a reserved label such as the margins' ``Total``.

    >>> from somecode import Informant
    >>> informant_labels([Informant("a", "Ani"), Informant("b", "Ani"), Informant("c", "Budi")])
    {'a': 'Ani (a)', 'b': 'Ani (b)', 'c': 'Budi'}
    """
    informants = list(informants)
    counts = Counter(i.name for i in informants)
    return {i.id: i.name if counts[i.name] == 1 and i.name not in reserved else f"{i.name} ({i.id})"
            for i in informants}
