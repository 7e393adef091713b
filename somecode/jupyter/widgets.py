"""Coding and reviewing inside Jupyter (ipywidgets).  Every action is stored at once, in one
transaction; the widgets' methods can be called from code as well as from their buttons.

``CodingWidget(project, source_id, coder="nida")``: pick a turn (or sentence), choose codes from
the codebook, add a memo, save.  ``ReviewWidget(project)``: step through automatic suggestions
with their evidence and accept or reject each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["CodingWidget", "ReviewWidget"]


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
        self._source_html = source_html
        self.unit_picker = w.Dropdown(options=[(f"{i}: {t[:70]}", i) for i, t in enumerate(self.units["text"])],
                                      description="Passage")
        self.code_picker = w.SelectMultiple(options=[(("  " * self._depth(c)) + (c.label or c.id), c.id)
                                                     for c in self.codes], description="Codes", rows=8)
        self.memo = w.Textarea(description="Memo", placeholder="why this code (optional)")
        self.button = w.Button(description="Save coding", button_style="primary")
        self.status = w.HTML()
        self.view = w.HTML(self._render())
        self.button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.unit_picker, self.code_picker, self.memo, self.button, self.status, self.view])

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
        row = self.units.iloc[self.unit_picker.value]
        if not self.code_picker.value:
            self.status.value = "<i>choose at least one code</i>"
            return []
        with self.project.atomic():
            saved = [self.project.code(self.source_id, int(row["start"]), int(row["end"]), code,
                                       coder=self.coder, memo=self.memo.value) for code in self.code_picker.value]
        self.status.value = f"saved {len(saved)} coding(s) on passage {self.unit_picker.value}"
        self.memo.value = ""
        self.view.value = self._render()
        return saved


class ReviewWidget:
    """Accept or reject automatic suggestions one by one: ``accept()``, ``reject()``, ``skip()``."""

    def __init__(self, project: Project, *, code: str | None = None):
        from ..auto.coder import suggestions

        w = _widgets()
        self.project = project
        table = suggestions(project)
        self.queue = table[table["code"] == code] if code else table
        self.position, self.decided = 0, 0
        self.card = w.HTML()
        self.progress = w.IntProgress(min=0, max=max(1, len(self.queue)), description="Reviewed")
        buttons = [w.Button(description=label, button_style=style)
                   for label, style in (("Accept (a)", "success"), ("Reject (r)", "danger"), ("Skip (s)", ""))]
        for button, action in zip(buttons, (self.accept, self.reject, self.skip)):
            button.on_click(lambda _, act=action: act())
        # keyboard: type a, r or s in this box (it keeps the focus between decisions)
        self.keys = w.Text(placeholder="a = accept, r = reject, s = skip", description="Keys",
                           continuous_update=True)
        self.keys.observe(self._key, names="value")
        self.widget = w.VBox([self.progress, self.card, w.HBox(buttons), self.keys])
        self._show()

    def _key(self, change) -> None:
        typed = (change.get("new") or "").strip().lower()
        if not typed:
            return
        action = {"a": self.accept, "r": self.reject, "s": self.skip}.get(typed[-1])
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

        self.card.value = (f"<b>{escape(row['code'])}</b> in <code>{escape(row['source'])}</code> "
                           f"({self.position + 1} of {len(self.queue)})<br>matched: "
                           f"{escape(', '.join(row['matched']))}<blockquote>{escape(row['text'])}</blockquote>")

    def _decide(self, action) -> None:
        row = self.current
        if row is None:
            return
        if action is not None:
            action(self.project, ids=[int(row["id"])])
            self.decided += 1
        self.position += 1
        self.progress.value = min(self.position, self.progress.max)
        self._show()

    def accept(self) -> None:
        from ..auto.coder import accept

        self._decide(accept)

    def reject(self) -> None:
        from ..auto.coder import reject

        self._decide(reject)

    def skip(self) -> None:
        self._decide(None)
