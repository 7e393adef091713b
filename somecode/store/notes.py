"""Summaries, propositions, stances and assessments: the researcher's notes on the codings.

>>> import tempfile, os
>>> from ..model import Code
>>> from . import codes
>>> from .connection import Store
>>> store = Store.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> with store.atomic():
...     codes.insert_code(store, Code("share"), 0)
...     set_summary(store, "ani", "share", "Shares daily.", "nida")
>>> summaries(store)
{('ani', 'share'): 'Shares daily.'}
>>> store.close()
"""

from __future__ import annotations

from typing import Any, Iterable

from .connection import Store, now

__all__ = ["summary_text", "set_summary", "delete_summary", "summaries", "summary_rows", "move_summaries",
           "get_proposition", "insert_proposition", "proposition_rows", "proposition_exists", "code_propositions",
           "move_propositions", "set_stance",
           "stance_rows", "stance_theme_rows", "stances_with_codings", "move_stances", "delete_stances",
           "insert_assessment", "assessment_rows", "restore"]


def summary_text(store: Store, case: str, code_id: str) -> str | None:
    row = store.one("SELECT text FROM summaries WHERE case_id = ? AND code_id = ?", (case, code_id))
    return None if row is None else row[0]


def set_summary(store: Store, case: str, code_id: str, text: str, by: str) -> None:
    store.run("INSERT INTO summaries (case_id, code_id, text, author, updated) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (case_id, code_id) DO UPDATE SET text = excluded.text, author = excluded.author, "
              "updated = excluded.updated", (case, code_id, text, by, now()))


def delete_summary(store: Store, case: str, code_id: str) -> None:
    store.run("DELETE FROM summaries WHERE case_id = ? AND code_id = ?", (case, code_id))


def summaries(store: Store) -> dict[tuple[str, str], str]:
    return {(c, k): t for c, k, t in store.all("SELECT case_id, code_id, text FROM summaries")}


def summary_rows(store: Store) -> list[list[Any]]:
    """``[case, code, text, author, updated]`` of every summary, in a stable order."""
    return [list(r) for r in store.all("SELECT case_id, code_id, text, author, updated FROM summaries "
                                       "ORDER BY case_id, code_id")]


def move_summaries(store: Store, old: str, new: str) -> None:
    """A merged code's summaries join the receiving code's (both texts kept)."""
    for case, text in store.all("SELECT case_id, text FROM summaries WHERE code_id = ?", (old,)):
        twin = summary_text(store, case, new)
        if twin is None:
            store.run("UPDATE summaries SET code_id = ? WHERE case_id = ? AND code_id = ?", (new, case, old))
        else:
            store.run("UPDATE summaries SET text = ? WHERE case_id = ? AND code_id = ?", (f"{twin}\n{text}", case, new))
            delete_summary(store, case, old)


def get_proposition(store: Store, proposition_id: str) -> tuple[str, str] | None:
    """``(code, text)`` of a proposition."""
    row = store.one("SELECT code_id, text FROM propositions WHERE id = ?", (proposition_id,))
    return None if row is None else (row[0], row[1])


def proposition_exists(store: Store, proposition_id: str) -> bool:
    return get_proposition(store, proposition_id) is not None


def insert_proposition(store: Store, proposition_id: str, code_id: str, text: str, by: str) -> None:
    store.run("INSERT INTO propositions (id, code_id, text, author, created) VALUES (?, ?, ?, ?, ?)",
              (proposition_id, code_id, text, by, now()))


def proposition_rows(store: Store, *, with_created: bool = False) -> list[tuple]:
    """``(id, code, text, author[, created])`` of every proposition, oldest first."""
    if with_created:
        return store.all("SELECT id, code_id, text, author, created FROM propositions ORDER BY id")
    return store.all("SELECT id, code_id, text, author FROM propositions ORDER BY created, id")


def code_propositions(store: Store, code_id: str) -> list[str]:
    """Ids of the propositions made about a code, oldest first."""
    return [r[0] for r in store.all("SELECT id FROM propositions WHERE code_id = ? ORDER BY created, id",
                                    (code_id,))]


def move_propositions(store: Store, old: str, new: str) -> int:
    """A merged or reassigned code's propositions go to the receiving code; return how many."""
    return store.run("UPDATE propositions SET code_id = ? WHERE code_id = ?", (new, old)).rowcount


def set_stance(store: Store, coding_id: int, proposition_id: str, stance: str, memo: str, by: str) -> None:
    store.run("INSERT INTO stances (coding_id, proposition_id, stance, memo, author, created) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (coding_id, proposition_id) DO UPDATE SET "
              "stance = excluded.stance, memo = excluded.memo, author = excluded.author, created = excluded.created",
              (coding_id, proposition_id, stance, memo, by, now()))


def stance_rows(store: Store) -> list[tuple]:
    """``(coding, proposition, stance, memo, author, created)`` of every stance, in a stable order."""
    return store.all("SELECT coding_id, proposition_id, stance, memo, author, created FROM stances "
                     "ORDER BY coding_id, proposition_id")


def stance_theme_rows(store: Store) -> list[tuple]:
    """``(coding, proposition, proposition text, proposition code, stance)`` of every stance."""
    return store.all("SELECT s.coding_id, p.id, p.text, p.code_id, s.stance FROM stances s "
                     "JOIN propositions p ON p.id = s.proposition_id")


def stances_with_codings(store: Store) -> list[tuple]:
    """``(coding, proposition, stance, memo, author, source, start, end, code, coder)`` per stance."""
    return store.all('SELECT s.coding_id, s.proposition_id, s.stance, s.memo, s.author, c.source_id, c.start, '
                     'c."end", c.code_id, c.coder_id FROM stances s JOIN codings c ON c.id = s.coding_id '
                     "ORDER BY c.source_id, c.start")


def move_stances(store: Store, old_coding: int, new_coding: int) -> None:
    """Give a coding's stances to another (where it has none on that proposition), then drop the rest."""
    store.run("UPDATE stances SET coding_id = ? WHERE coding_id = ? AND proposition_id NOT IN "
              "(SELECT proposition_id FROM stances WHERE coding_id = ?)", (new_coding, old_coding, new_coding))
    delete_stances(store, old_coding)


def delete_stances(store: Store, coding_id: int) -> None:
    store.run("DELETE FROM stances WHERE coding_id = ?", (coding_id,))


def insert_assessment(store: Store, theme: str, group_a: str, group_b: str, component: str, value: str,
                      rationale: str, by: str) -> None:
    store.run("INSERT INTO assessments (theme, group_a, group_b, component, value, rationale, assessor, created) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (theme, group_a, group_b, component, value, rationale, by, now()))


def assessment_rows(store: Store, *, by: str | None = None, with_id: bool = True) -> list[tuple]:
    """Every assessment (of one assessor, if given), oldest first."""
    columns = "theme, group_a, group_b, component, value, rationale, assessor, created"
    query = f"SELECT {'id, ' if with_id else ''}{columns} FROM assessments"
    if by:
        return store.all(query + " WHERE assessor = ? ORDER BY id", (by,))
    return store.all(query + " ORDER BY id")


def restore(store: Store, *, summaries: Iterable[list], propositions: Iterable[list],
            stances: Iterable[list], assessments: Iterable[list]) -> None:
    """Put back notes exactly as :func:`summary_rows` and the others listed them (an import)."""
    store.run_many("INSERT INTO summaries (case_id, code_id, text, author, updated) VALUES (?, ?, ?, ?, ?)",
                   summaries)
    store.run_many("INSERT INTO propositions (id, code_id, text, author, created) VALUES (?, ?, ?, ?, ?)",
                   propositions)
    store.run_many("INSERT INTO stances (coding_id, proposition_id, stance, memo, author, created) "
                   "VALUES (?, ?, ?, ?, ?, ?)", stances)
    store.run_many("INSERT INTO assessments (theme, group_a, group_b, component, value, rationale, assessor, "
                   "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", assessments)
