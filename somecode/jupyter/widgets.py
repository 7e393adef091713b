"""Coding and reviewing inside Jupyter (ipywidgets).  Every action is stored at once, in one
transaction; the widgets' methods can be called from code as well as from their buttons.

``CodingWidget(project, source_id, coder="nida")``: pick a turn (or sentence), choose codes from
the codebook, add a memo, save.  ``ReviewWidget(project)``: step through automatic suggestions
with their evidence in context and accept, reject or recode each.  To code by selecting text
with the mouse, and to review suggestions inside the transcript, use
:class:`~somecode.jupyter.coding_view.CodingView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["CodingWidget", "ReviewWidget"]

PASSAGE = 110  # characters of a passage shown in the picker
VIEW_HEIGHT = "420px"  # the transcript under the form scrolls inside this height


def clock(seconds: float | None) -> str:
    """A turn's time as a transcript shows it.

    >>> clock(65.0), clock(3725.5), clock(None)
    ('01:05', '1:02:05', '')
    """
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def _widgets():
    try:
        import ipywidgets
    except ImportError:
        raise ImportError("the notebook widgets need ipywidgets: pip install 'somecode[notebook]'") from None
    return ipywidgets


class CodingWidget:
    """Code a source unit by unit.  ``select_unit(i)``, ``choose_codes([...])``, ``save()``."""

    def __init__(self, project: Project, source_id: str, *, coder: str, unit: str = "turn"):
        from ..agreement.units import unit_spans
        from .display import source_html

        w = _widgets()
        self.project, self.source_id, self.coder = project, source_id, coder
        spans = unit_spans(project, unit)
        self.units = spans[spans["source"] == source_id].reset_index(drop=True)
        self.codes = project.codes()
        self._source = project.source(source_id)
        self._source_html = source_html
        self.unit_picker = w.Dropdown(options=[(self._passage_label(i, row), i) for i, row in self.units.iterrows()],
                                      description="Passage", layout=w.Layout(width="95%"))
        self.code_picker = w.SelectMultiple(options=[(("  " * self._depth(c)) + (c.label or c.id), c.id)
                                                     for c in self.codes], description="Codes", rows=8)
        self.memo = w.Textarea(description="Memo", placeholder="why this code (optional)")
        self.button = w.Button(description="Save coding", button_style="primary")
        self.status = w.HTML()
        self.view = w.HTML(self._render(), layout=w.Layout(max_height=VIEW_HEIGHT, overflow="auto"))
        self.button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.unit_picker, self.code_picker, self.memo, self.button, self.status, self.view])

    def _turn(self, offset: int):
        index = self._source.turn_index(offset)
        return None if index is None else self._source.turns[index]

    def _passage_label(self, i, row) -> str:
        """The picker's line for a passage: its number, speaker (time) and its first words."""
        turn = self._turn(int(row["start"]))
        who = ""
        if turn is not None and turn.speaker:
            role = "" if turn.informant else ", interviewer"
            when = f" {clock(turn.time_start)}" if turn.time_start is not None else ""
            who = f"{turn.speaker}{when}{role}: "
        text = " ".join(str(row["text"]).split())
        return f"{i}. {who}{text if len(text) <= PASSAGE else text[:PASSAGE - 1] + '…'}"

    def _depth(self, code) -> int:
        parents = {c.id: c.parent for c in self.codes}
        depth, parent = 0, code.parent
        while parent:
            depth, parent = depth + 1, parents.get(parent)
        return depth

    def _render(self) -> str:
        return self._source_html(self.project, self.source_id)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def select_unit(self, index: int) -> None:
        self.unit_picker.value = index

    def choose_codes(self, codes) -> None:
        self.code_picker.value = tuple(codes)

    def save(self) -> list:
        """Store the chosen codes on the chosen passage (one transaction); refresh the view."""
        from html import escape

        row = self.units.iloc[self.unit_picker.value]
        if not self.code_picker.value:
            self.status.value = "<i>choose at least one code</i>"
            return []
        from ..project.history import operation

        payload = {"source": self.source_id, "start": int(row["start"]), "end": int(row["end"]),
                   "codes": list(self.code_picker.value)}
        with operation(self.project, "code", payload, self.coder):  # one save, one undo
            saved = [self.project.code(self.source_id, int(row["start"]), int(row["end"]), code,
                                       coder=self.coder, memo=self.memo.value) for code in self.code_picker.value]
        turn = self._turn(int(row["start"]))
        note = ""
        if turn is not None and turn.speaker and not turn.informant:
            note = (f" <b>Note:</b> this is {escape(turn.speaker)}'s turn, an interviewer's: tables by informant "
                    "(theme_by_informant) do not count it.")
        self.status.value = f"saved {len(saved)} coding(s) on passage {self.unit_picker.value}{note}"
        self.memo.value = ""
        self.view.value = self._render()
        return saved


class ReviewWidget:
    """Accept, reject or recode automatic suggestions one by one: ``accept()``, ``reject()``,
    ``recode(code)``, ``skip()``.  Each shows its code (label and colour), the rule and the words it
    matched, and the passage in its turn with the speaker."""

    CONTEXT = 160  # characters shown before and after the suggested passage

    def __init__(self, project: Project, *, code: str | None = None):
        from ..auto.coder import suggestions
        from .display import _colours

        w = _widgets()
        self.project = project
        table = suggestions(project)
        self.queue = table[table["code"] == code] if code else table
        self.position, self.decided = 0, 0
        self.labels = {c.id: c.label or c.id for c in project.codes()}
        self.colours = _colours(project)
        self.card = w.HTML()
        self.progress = w.IntProgress(min=0, max=max(1, len(self.queue)), description="Reviewed")
        buttons = [w.Button(description=label, button_style=style)
                   for label, style in (("Accept (a)", "success"), ("Reject (r)", "danger"), ("Skip (s)", ""))]
        for button, action in zip(buttons, (self.accept, self.reject, self.skip)):
            button.on_click(lambda _, act=action: act())
        self.recode_to = w.Dropdown(options=[(("  " * _depth(c, project.codes())) + (c.label or c.id), c.id)
                                             for c in project.codes()], description="Recode as")
        recode = w.Button(description="Recode (c)", tooltip="reject the suggestion and code the passage as chosen")
        recode.on_click(lambda _: self.recode(self.recode_to.value))
        # keyboard: type a, r, c or s in this box (it keeps the focus between decisions)
        self.keys = w.Text(placeholder="a = accept, r = reject, c = recode, s = skip", description="Keys",
                           continuous_update=True)
        self.keys.observe(self._key, names="value")
        self.widget = w.VBox([self.progress, self.card, w.HBox(buttons), w.HBox([self.recode_to, recode]), self.keys])
        self._show()

    def _key(self, change) -> None:
        typed = (change.get("new") or "").strip().lower()
        if not typed:
            return
        action = {"a": self.accept, "r": self.reject, "s": self.skip,
                  "c": lambda: self.recode(self.recode_to.value)}.get(typed[-1])
        self.keys.value = ""
        if action:
            action()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def current(self):
        return None if self.position >= len(self.queue) else self.queue.iloc[self.position]

    def _show(self) -> None:
        row = self.current
        if row is None:
            self.card.value = f"<b>All {len(self.queue)} suggestions reviewed.</b>"
            return
        from html import escape

        source = self.project.source(row["source"])
        start, end = int(row["start"]), int(row["end"])
        index = source.turn_index(start)
        turn = source.turns[index] if index is not None else None
        left = max(turn.start if turn else 0, start - self.CONTEXT)
        right = min(turn.end if turn else len(source.text), end + self.CONTEXT)
        colour = self.colours.get(row["code"], "#999999")
        speaker = f"<b>{escape(turn.speaker)}:</b> " if turn is not None and turn.speaker else ""
        context = (f"{speaker}{'…' if left > (turn.start if turn else 0) else ''}{escape(source.text[left:start])}"
                   f"<mark style=\"background:{colour}44;border-bottom:2px dashed {colour}\">"
                   f"{escape(source.text[start:end])}</mark>{escape(source.text[end:right])}"
                   f"{'…' if right < (turn.end if turn else len(source.text)) else ''}")
        if self.recode_to.value != row["code"] and row["code"] in self.labels:
            self.recode_to.value = row["code"]
        self.card.value = (f'<span style="display:inline-block;width:0.8em;height:0.8em;background:{colour}"></span> '
                           f"<b>{escape(self.labels.get(row['code'], row['code']))}</b> <code>{escape(row['code'])}</code>"
                           f" in <code>{escape(row['source'])}</code> ({self.position + 1} of {len(self.queue)})<br>"
                           f"rule {escape(', '.join(row['rules']) or '?')}; matched: {escape(', '.join(row['matched']))}"
                           f'<blockquote style="margin:0.4em 0;padding-left:0.6em;border-left:3px solid #ccc">'
                           f"{context}</blockquote>")

    def _decide(self, action) -> None:
        row = self.current
        if row is None:
            return
        if action is not None:
            action(int(row["id"]))
            self.decided += 1
        self.position += 1
        self.progress.value = min(self.position, self.progress.max)
        self._show()

    def accept(self) -> None:
        from ..auto.coder import accept

        self._decide(lambda id: accept(self.project, ids=[id]))

    def reject(self) -> None:
        from ..auto.coder import reject

        self._decide(lambda id: reject(self.project, ids=[id]))

    def recode(self, code: str, *, coder: str | None = None) -> None:
        """The suggestion's passage gets ``code`` instead (by ``coder``, default the project's default
        coder or "reviewer"); the suggestion is rejected.  One undoable operation."""
        from ..auto.coder import reject
        from ..project.history import operation

        row = self.current
        if row is None:
            return
        self.project.code_by_id(code)
        who = coder or self.project.default_coder or "reviewer"

        def recode(id: int) -> None:
            with operation(self.project, "recode", {"coding": id, "from": row["code"], "to": code}, who):
                reject(self.project, ids=[id], by=who)
                self.project.code(row["source"], int(row["start"]), int(row["end"]), code, coder=who,
                                  memo=f"recoded from the suggestion {row['code']} ({', '.join(row['rules'])})")

        self._decide(recode)

    def skip(self) -> None:
        self._decide(None)


def _depth(code, codes) -> int:
    parents = {c.id: c.parent for c in codes}
    depth, parent = 0, code.parent
    while parent:
        depth, parent = depth + 1, parents.get(parent)
    return depth
