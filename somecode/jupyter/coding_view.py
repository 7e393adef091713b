"""A transcript coding view for JupyterLab: select text with the mouse, pick a code, done.

``CodingView(project, source_id, coder="nida")`` shows a source turn by turn (speaker, time) in a
scrolling pane of fixed height, its coded passages in their codes' colours (overlaps stacked as
underlines), and beside it the codes with their counts.  Select a passage (mouse, or Shift+arrows
after clicking into the text) and a code picker opens: type part of a code's name, or press 1-9 for
the most used codes.  The coding is stored at once, one transaction and one undoable operation,
with the exact character offsets of the selection (or snapped to whole words, when the toolbar's
"snap to words" box is ticked).  Click a highlight to see its code, coder, memo and status and to
recode, uncode, edit the memo, or accept / reject / adjust a suggestion (hotkeys a, r, c, s; n and
p step through the suggestions; the toolbar filters them by code or rule).  Rejected suggestions are
hidden (or struck through, ``rejected="struck"``); they are never drawn as codings.  With several
coders, ``visible_coders`` (or the legend) shows one, some or all; ``blind=True`` hides every other
person's codings, not only from the eye: they are not sent to the browser.

It is an anywidget (plain ES module and CSS shipped with the package, no build step); everything the
browser does arrives as a message handled here, so the same methods can be called from code:
:meth:`code_selection`, :meth:`recode`, :meth:`uncode`, :meth:`set_memo`, :meth:`accept`,
:meth:`reject`, :meth:`adjust`.  Offsets are code points (Python ``str`` indices): the browser
renders the text as segments whose ``data-start`` is a code-point offset and converts its UTF-16
selection into code points; this side checks ``0 <= start < end <= len(text)`` and that the text
the browser saw is the text at those offsets, and refuses anything else.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import ConflictError, NotFoundError, SomecodeError, ValidationError
from .widgets import clock

if TYPE_CHECKING:
    from ..model import Coding
    from ..project import Project

try:
    import anywidget
    import traitlets
except ImportError as error:  # pragma: no cover - the notebook extra is missing
    raise ImportError("the coding view needs anywidget: pip install 'somecode[notebook]'") from error

__all__ = ["CodingView", "snap_to_words", "HOTKEYS"]

STATIC = Path(__file__).with_name("static")
HOTKEYS = 9  # number keys 1..9 pick the most used codes
REJECTED = ("hidden", "struck")


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without white space at its ends and grown to whole words.

    >>> text = "Reels, karena orang lebih suka video."
    >>> start, end = snap_to_words(text, 2, 17)
    >>> text[start:end]
    'Reels, karena orang'
    >>> snap_to_words(text, 6, 7)
    Traceback (most recent call last):
    ...
    somecode.errors.ValidationError: the selection [6, 7) holds no word to snap to
    """
    given = (start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError(f"the selection [{given[0]}, {given[1]}) holds no word to snap to")
    while start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while end < len(text) and _word_char(text[end - 1]) and _word_char(text[end]):
        end += 1
    return start, end


def _offset(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"the selection's {name} {value!r} is not a whole number of characters")
    return value


class CodingView(anywidget.AnyWidget):
    """Code one source by selecting text (see the module docstring)."""

    _esm = (STATIC / "coding_view.js").read_text(encoding="utf-8")
    _css = (STATIC / "coding_view.css").read_text(encoding="utf-8")

    source_id = traitlets.Unicode().tag(sync=True)
    title = traitlets.Unicode().tag(sync=True)
    text = traitlets.Unicode().tag(sync=True)
    turns = traitlets.List(traitlets.Dict()).tag(sync=True)
    codes = traitlets.List(traitlets.Dict()).tag(sync=True)
    codings_json = traitlets.Unicode("[]").tag(sync=True)  # the codings drawn, as JSON (see ``codings``)
    memos = traitlets.List(traitlets.Dict()).tag(sync=True)  # the source's memos, shown above the text
    coders = traitlets.List(traitlets.Dict()).tag(sync=True)
    rules = traitlets.List(traitlets.Unicode()).tag(sync=True)
    coder = traitlets.Unicode().tag(sync=True)
    visible_coders = traitlets.List(traitlets.Unicode()).tag(sync=True)  # empty: every coder
    blind = traitlets.Bool(False).tag(sync=True)
    show_suggestions = traitlets.Bool(True).tag(sync=True)
    rejected = traitlets.Unicode("hidden").tag(sync=True)
    review_code = traitlets.Unicode("").tag(sync=True)
    review_rule = traitlets.Unicode("").tag(sync=True)
    snap_words = traitlets.Bool(False).tag(sync=True)
    focus_code = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Unicode("520px").tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, project: Project, source_id: str, *, coder: str, blind: bool = False,
                 visible_coders: list[str] | None = None, rejected: str = "hidden", height: str = "520px",
                 edit_others: bool = False) -> None:
        from ..model import check_id
        from ..vocabulary import check_choice

        check_id(coder, "coder id")
        check_choice("rejected", rejected, REJECTED)
        source = project.source(source_id)
        self.project, self.edit_others = project, edit_others
        self._source = source
        self._records: dict[int, Coding] = {}
        self._dumped: dict[int, str] = {}
        super().__init__(source_id=source_id, title=source.title or source.id, text=source.text, coder=coder,
                         blind=blind, visible_coders=list(visible_coders or []), rejected=rejected, height=height)
        self.turns = self._turns()
        self._hotkeys = self._rank_hotkeys()
        self.refresh()
        self.observe(lambda _: self._redraw(), names=["visible_coders", "blind", "show_suggestions", "rejected",
                                                      "review_code", "review_rule"])
        self.on_msg(self._on_msg)

    @traitlets.validate("rejected")
    def _valid_rejected(self, proposal: Any) -> str:
        from ..vocabulary import check_choice

        check_choice("rejected", proposal["value"], REJECTED)
        return str(proposal["value"])

    @property
    def codings(self) -> list[dict]:
        """The codings the view draws now (filters applied), as the browser gets them."""
        return list(json.loads(self.codings_json))

    # ------------------------------------------------------------ what the browser draws
    def _turns(self) -> list[dict]:
        from ..model import Turn

        source = self._source
        turns = source.turns or (Turn(0, len(source.text)),)
        out = []
        for turn in turns:
            role = "informant" if turn.informant else ("interviewer" if turn.speaker else "")
            out.append({"start": turn.start, "end": turn.end, "speaker": turn.speaker or "",
                        "time": clock(turn.time_start), "informant": turn.informant or "", "role": role})
        return out

    def _rank_hotkeys(self) -> dict[str, int]:
        """Number keys for the codes this coder (then anyone) used most; ties in codebook order."""
        codes = self.project.codes()
        order = {c.id: i for i, c in enumerate(codes)}
        records = self.project.coding_records()
        mine = Counter(c.code_id for c in records if c.coder_id == self.coder and c.status == "accepted")
        everyone = Counter(c.code_id for c in records if c.status == "accepted")
        leaves = {c.id for c in codes} - {c.parent for c in codes if c.parent}
        ranked = sorted(order, key=lambda c: (-mine[c], -everyone[c], c not in leaves, order[c]))
        return {code: n for n, code in enumerate(ranked[:HOTKEYS], 1)}

    def _visibility(self) -> Callable[[Coding], bool]:
        """Whether the view draws a coding, under its filters now (read once per redraw)."""
        me, blind, coders = self.coder, self.blind, set(self.visible_coders)
        suggestions, hide_rejected = self.show_suggestions, self.rejected == "hidden"
        code, rule = self.review_code, self.review_rule

        def visible(coding: Coding) -> bool:
            machine = coding.origin == "auto"
            if coding.status != "accepted":
                if not suggestions or (hide_rejected and coding.status == "rejected"):
                    return False
                if (code and coding.code_id != code) or (rule and rule not in _rules(coding)):
                    return False
            if blind:
                return coding.coder_id == me or machine
            return not coders or coding.coder_id in coders or (machine and coding.status != "accepted")

        return visible

    def refresh(self) -> None:
        """Read this source's codings again and redraw (after changes made elsewhere: another cell,
        another view, an import)."""
        records = self.project.coding_records(source=self.source_id)
        self._records = {c.id: c for c in records if c.id is not None}
        self._dumped = {}
        notes = self.project.memos(kind="source", about=self.source_id)
        self.memos = [{"id": int(m.id), "text": m.text, "by": m.by, "created": m.created[:10],
                       "modified": (m.modified or "")[:10]} for m in notes.itertuples()]
        self._redraw()

    def _changed(self, *, gone: tuple[Coding, ...] = (), new: tuple[Coding, ...] = ()) -> None:
        """What this view itself changed: keep the records in step without reading them all again."""
        for coding in gone:
            if coding.id is not None:
                self._records.pop(coding.id, None)
                self._dumped.pop(coding.id, None)
        for coding in new:
            if coding.id is not None:
                self._records[coding.id] = coding
                self._dumped.pop(coding.id, None)
        self._redraw()

    def _redraw(self) -> None:
        """Send what the browser draws: the visible codings (one JSON text, each coding's part kept
        from the last time), the codes with their counts, the coders, the rules."""
        from .display import _colours

        records = list(self._records.values())
        visible = self._visibility()
        shown = [c for c in records if visible(c)]
        parts = []
        for c in shown:
            assert c.id is not None
            if c.id not in self._dumped:
                self._dumped[c.id] = json.dumps(self._payload(c), ensure_ascii=False)
            parts.append(self._dumped[c.id])
        with self.hold_sync():
            self.codings_json = "[" + ",".join(parts) + "]"
            self._draw_lists(records, shown, _colours(self.project))

    def _draw_lists(self, records: list[Coding], shown: list[Coding], colours: dict[str, str]) -> None:
        codes = self.project.codes()
        depth: dict[str, int] = {}
        for code in codes:  # parents come before their children
            depth[code.id] = depth.get(code.parent, -1) + 1 if code.parent else 0
        accepted = Counter(c.code_id for c in shown if c.status == "accepted")
        suggested = Counter(c.code_id for c in shown if c.status == "suggested")
        self.codes = [{"id": c.id, "label": c.label or c.id, "parent": c.parent or "", "depth": depth[c.id],
                       "color": colours[c.id], "count": accepted[c.id], "suggested": suggested[c.id],
                       "hotkey": self._hotkeys.get(c.id, 0), "definition": c.definition} for c in codes]
        by_coder = Counter(c.coder_id for c in records if c.status == "accepted")
        people = {c.id: c for c in self.project.coders()}
        ids = sorted(set(by_coder) | {self.coder} | {c.coder_id for c in records if c.status == "suggested"})
        if self.blind:
            ids = [self.coder]
        self.coders = [{"id": i, "name": people[i].name if i in people else "", "kind": people[i].kind if i in people
                        else "human", "count": by_coder[i], "me": i == self.coder,
                        "visible": not self.visible_coders or i in self.visible_coders} for i in ids]
        self.rules = sorted({r for c in records if c.status != "accepted" for r in _rules(c)})

    # ------------------------------------------------------------ messages from the browser
    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """One message from the browser: do it, refresh what is drawn, and reply (``req`` echoed)."""
        if not isinstance(content, dict):
            return
        request = content.get("req")
        try:
            result = self.handle(content)
        except SomecodeError as error:
            self.refresh()  # whatever happened elsewhere meanwhile, draw the project as it is
            self.error, self.message = str(error), ""
            self.send({"type": "reply", "req": request, "ok": False, "message": str(error)})
            return
        except Exception as error:  # a bug: say so in the view rather than only in the kernel's log
            self.error = f"{type(error).__name__}: {error}"
            self.send({"type": "reply", "req": request, "ok": False, "message": self.error})
            raise
        self.error = ""
        self.send({"type": "reply", "req": request, "ok": True, **result})

    def handle(self, content: dict) -> dict:
        """Carry out one browser message; return what the reply says besides ``ok``."""
        kind = content.get("type")
        actions: dict[str, Callable[[], Any]] = {
            "code": lambda: self.code_selection(content.get("start"), content.get("end"), content.get("code", ""),
                                                memo=content.get("memo") or "", expect=content.get("text")),
            "recode": lambda: self.recode(content.get("id"), content.get("code", "")),
            "uncode": lambda: self.uncode(content.get("id")),
            "memo": lambda: self.set_memo(content.get("id"), content.get("memo") or ""),
            "accept": lambda: self.accept(content.get("id")),
            "reject": lambda: self.reject(content.get("id")),
            "adjust": lambda: self.adjust(content.get("id"), content.get("start"), content.get("end"),
                                          expect=content.get("text")),
            "undo": self.undo,
        }
        if kind not in actions:
            raise ValidationError(f"the coding view got a message of unknown type {kind!r}")
        done = actions[kind]()
        return {"action": kind, "id": done.id if done is not None and hasattr(done, "id") else None}

    # ------------------------------------------------------------ actions
    def _span(self, start: Any, end: Any, expect: Any = None) -> tuple[int, int]:
        start, end = _offset(start, "start"), _offset(end, "end")
        length = len(self._source.text)
        if not 0 <= start < end <= length:
            raise ValidationError(f"the selection [{start}, {end}) is not a passage of {self.source_id!r}: "
                                  f"offsets must satisfy 0 <= start < end <= {length}; nothing was stored")
        if expect is not None and expect != self._source.text[start:end]:
            raise ConflictError(f"the text selected in the view is not the text at [{start}, {end}) of "
                                f"{self.source_id!r} (was the source changed since the view was opened? run the "
                                "cell again); nothing was stored")
        if self.snap_words:
            start, end = snap_to_words(self._source.text, start, end)
        return start, end

    def _record(self, coding_id: Any) -> Coding:
        if isinstance(coding_id, bool) or not isinstance(coding_id, int):
            raise ValidationError(f"coding id {coding_id!r} is not a whole number")
        found = self._records.get(coding_id)
        if found is None:
            raise NotFoundError(f"no coding {coding_id} on {self.source_id!r} in this view (deleted, or undone?)")
        # the project may have changed since the view drew it (another cell, an undo), and ids are reused:
        # act only on the coding the person saw
        stored = self.project.find_coding(found.source_id, found.start, found.end, found.code_id, found.coder_id)
        if stored is None or stored.id != found.id or stored != found:
            raise ConflictError(f"coding {coding_id} was changed outside this view since it was drawn; the view "
                                "now shows the project as it is, nothing was changed: try again")
        return found

    @staticmethod
    def _after(old: Coding, new: Coding) -> tuple[Coding, ...]:
        """What a recoded or adjusted coding leaves: the new coding, and a suggestion rejected."""
        return (new, replace(old, status="rejected")) if old.status == "suggested" else (new,)

    def _payload(self, coding: Coding) -> dict:
        evidence = coding.evidence if isinstance(coding.evidence, dict) else {}
        matched = [str(m.get("text", "")) for m in evidence.get("matches", []) if isinstance(m, dict)]
        return {"id": coding.id, "start": coding.start, "end": coding.end, "code": coding.code_id,
                "coder": coding.coder_id, "status": coding.status, "origin": coding.origin, "memo": coding.memo,
                "rules": _rules(coding), "matched": matched, "mine": coding.coder_id == self.coder,
                "editable": self._may_edit(coding)}

    def _may_edit(self, coding: Coding) -> bool:
        machine = coding.origin == "auto" and coding.status != "accepted"
        return coding.coder_id == self.coder or machine or self.edit_others

    def _editable(self, coding: Coding) -> None:
        if not self._may_edit(coding):
            raise ConflictError(f"coding {coding.id} is {coding.coder_id}'s, and this view codes as {self.coder}: "
                                f"open CodingView(..., coder={coding.coder_id!r}) to change it, or pass "
                                "edit_others=True")

    def _note(self, coding: Coding, did: str) -> None:
        label = self.project.code_by_id(coding.code_id).label or coding.code_id
        where = self._source.turn_index(coding.start)
        note = ""
        if where is None and self._source.turns:
            note = " (between turns: tables by informant do not count it)"
        elif where is not None and self.turns[where]["role"] == "interviewer":
            note = (f" (in {self.turns[where]['speaker']}'s turn, an interviewer: tables by informant do not "
                    "count it)")
        self.message = f"{did} {label!r} on [{coding.start}, {coding.end}){note}"

    def code_selection(self, start: Any, end: Any, code: str, *, memo: str = "", expect: Any = None) -> Coding:
        """Code ``[start, end)`` (code points) with ``code`` as this view's coder; ``expect`` is the
        text the browser showed there.  One undoable operation."""
        start, end = self._span(start, end, expect)
        self.project.code_by_id(code)
        coding = self.project.code(self.source_id, start, end, code, coder=self.coder, memo=memo)
        self._changed(new=(coding,))
        self._note(coding, "coded")
        return coding

    def recode(self, coding_id: Any, code: str) -> Coding:
        """Give a coding another code (same span, coder, memo), in one undoable operation.  A suggestion
        recoded becomes this coder's coding with the new code, and the suggestion is rejected."""
        from ..auto.coder import reject
        from ..project.history import operation

        old = self._record(coding_id)
        self._editable(old)
        self.project.code_by_id(code)
        assert old.id is not None
        if code == old.code_id:
            raise ConflictError(f"coding {old.id} has the code {code!r} already; nothing was changed")
        with operation(self.project, "recode", {"coding": old.id, "from": old.code_id, "to": code}, self.coder):
            if old.status == "suggested":
                reject(self.project, ids=[old.id], by=self.coder)
                memo = old.memo or f"recoded from the suggestion {old.code_id} ({', '.join(_rules(old))})"
                new = self.project.code(self.source_id, old.start, old.end, code, coder=self.coder, memo=memo)
            else:
                self.project.delete_coding(old.id, by=self.coder)
                new = self.project.code(self.source_id, old.start, old.end, code, coder=old.coder_id,
                                        memo=old.memo, origin=old.origin, status=old.status)
        self._changed(gone=(old,), new=self._after(old, new))
        self._note(new, "recoded as")
        return new

    def adjust(self, coding_id: Any, start: Any, end: Any, *, expect: Any = None) -> Coding:
        """Move a coding (or a suggestion) onto ``[start, end)``, same code: one undoable operation.  A
        suggestion adjusted becomes this coder's coding, and the suggestion is rejected."""
        from ..auto.coder import reject
        from ..project.history import operation

        old = self._record(coding_id)
        self._editable(old)
        start, end = self._span(start, end, expect)
        assert old.id is not None
        with operation(self.project, "adjust", {"coding": old.id, "start": start, "end": end}, self.coder):
            if old.status == "suggested":
                reject(self.project, ids=[old.id], by=self.coder)
                memo = old.memo or f"adjusted from the suggestion [{old.start}, {old.end}) ({', '.join(_rules(old))})"
                new = self.project.code(self.source_id, start, end, old.code_id, coder=self.coder, memo=memo)
            else:
                self.project.delete_coding(old.id, by=self.coder)
                new = self.project.code(self.source_id, start, end, old.code_id, coder=old.coder_id, memo=old.memo,
                                        origin=old.origin, status=old.status)
        self._changed(gone=(old,), new=self._after(old, new))
        self._note(new, "moved")
        return new

    def uncode(self, coding_id: Any) -> None:
        """Delete a coding (undoable; kept in the project's log)."""
        old = self._record(coding_id)
        self._editable(old)
        assert old.id is not None
        self.project.delete_coding(old.id, by=self.coder)
        self._changed(gone=(old,))
        self._note(old, "uncoded")

    def set_memo(self, coding_id: Any, memo: str) -> Coding:
        """A new memo for a coding (undoable)."""
        old = self._record(coding_id)
        self._editable(old)
        if not isinstance(memo, str):
            raise ValidationError(f"a memo is text, not {type(memo).__name__}")
        assert old.id is not None
        coding = self.project.set_memo(old.id, memo, by=self.coder)
        self._changed(new=(coding,))
        self._note(coding, "memo on")
        return coding

    def _review(self, coding_id: Any, decide: Callable[..., int], verb: str) -> Coding:
        old = self._record(coding_id)
        if old.status != "suggested":
            raise ConflictError(f"coding {old.id} is {old.status}, not a suggestion: only suggestions are "
                                "accepted or rejected")
        decide(self.project, ids=[old.id], by=self.coder)
        new = replace(old, status=verb)
        self._changed(new=(new,))
        self._note(old, verb)
        return new

    def accept(self, coding_id: Any) -> Coding:
        """Accept a suggestion (undoable)."""
        from ..auto.coder import accept

        return self._review(coding_id, accept, "accepted")

    def reject(self, coding_id: Any) -> Coding:
        """Reject a suggestion: kept with status rejected, no longer drawn as a coding (undoable)."""
        from ..auto.coder import reject

        return self._review(coding_id, reject, "rejected")

    def undo(self) -> None:
        """Undo the project's last operation (whatever made it) and redraw."""
        done = self.project.undo(by=self.coder)
        self._source = self.project.source(self.source_id)
        self.refresh()
        self.message = f"undid {done['action']}"

    # ------------------------------------------------------------ conveniences for code
    def suggestions(self) -> list[Coding]:
        """The suggestions on this source that the view's filters show, in text order."""
        return sorted((self._records[c["id"]] for c in self.codings if c["status"] == "suggested"),
                      key=lambda c: (c.start, c.end, c.id or 0))

    def show_coders(self, *coders: str) -> None:
        """Show these coders' codings only (none given: every coder's)."""
        known = {c.id for c in self.project.coders()}
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise NotFoundError(f"no coder {', '.join(map(repr, unknown))} in the project")
        self.visible_coders = list(coders)

    def focus(self, code: str = "") -> None:
        """Highlight the passages of one code in the view ("" clears)."""
        if code:
            self.project.code_by_id(code)
        self.focus_code = code


def _rules(coding: Coding) -> list[str]:
    matches = (coding.evidence or {}).get("matches", []) if isinstance(coding.evidence, dict) else []
    return sorted({str(m.get("rule")) for m in matches if isinstance(m, dict) and m.get("rule")})


