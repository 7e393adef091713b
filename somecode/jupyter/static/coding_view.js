// somecode's transcript coding view: an anywidget ES module, loaded as it is (no build step).
//
// The text is rendered turn by turn as segments <span class="sc-seg" data-start data-end>, cut at
// the codings' edges; data-start/data-end are code-point offsets into the source text (Python str
// indices).  The browser's selection is in UTF-16 units of DOM text nodes: boundary() turns it into
// code points with the segment's data-start plus the code points before the DOM offset.  Every
// change goes to Python as a message; Python stores it (one undoable operation), updates the
// `codings` trait, and only the turns whose codings changed are drawn again.

const SUGGESTED = "suggested";
const ACCEPTED = "accepted";
const REJECTED = "rejected";
const CODER_COLOURS = ["#444444", "#D62728", "#17BECF", "#BCBD22", "#8C564B", "#E377C2", "#9467BD"];

// ------------------------------------------------------------------ code points and UTF-16
/** Code points in the first `units` UTF-16 code units of `s` (half a surrogate pair counts whole). */
export function codePointsIn(s, units) {
  let n = 0;
  const stop = Math.min(units, s.length);
  for (let i = 0; i < stop; i++) {
    const c = s.charCodeAt(i);
    n++;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** A string indexed by code points (what Python's str indices count). */
export class CodePoints {
  constructor(s) {
    this.s = s;
    this.astral = /[\ud800-\udfff]/.test(s);
    if (!this.astral) {
      this.length = s.length;
      return;
    }
    const units = [];
    for (let i = 0; i < s.length; i++) {
      units.push(i);
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    units.push(s.length);
    this.u16 = Uint32Array.from(units);
    this.length = units.length - 1;
  }
  unit(cp) {
    return this.astral ? this.u16[Math.max(0, Math.min(cp, this.length))] : cp;
  }
  slice(a, b) {
    return this.s.slice(this.unit(a), this.unit(b));
  }
}

// ------------------------------------------------------------------ small DOM helpers
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "style") el.style.cssText = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false)
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

function short(text, n) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > n ? flat.slice(0, n - 1) + "…" : flat;
}

function signature(c) {
  return [c.start, c.end, c.code, c.coder, c.status, c.memo, c.editable].join("\u0001");
}

// ------------------------------------------------------------------ the view
class CodingView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.req = 0;
    this.pending = new Map();
    this.waiting = null; // {id, t0, tSelect}: a coding whose highlight is awaited (latency)
    this.current = null; // the coding the card and the hotkeys act on
    this.pick = null; // the open code picker's state
    this.adjusting = null; // id of a coding whose span the next selection replaces
    this.listeners = [];
    const begun = performance.now();
    this.build();
    this.loadText();
    this.indexCodes();
    this.loadCodings();
    this.renderAllTurns();
    this.renderSide();
    this.renderToolbar();
    this.renderStatus();
    this.renderMemos();
    this.root.dataset.source = this.get("source_id");
    this.root.dataset.buildMs = (performance.now() - begun).toFixed(1);
    afterPaint(() => { this.root.dataset.renderMs = (performance.now() - begun).toFixed(1); });
    this.on("change:codings_json", () => this.updateCodings());
    this.on("change:codes", () => this.codesChanged());
    this.on("change:memos", () => this.renderMemos());
    this.on("change:coders", () => this.renderToolbar());
    this.on("change:rules", () => this.renderToolbar());
    this.on("change:message", () => {
      this.latencyNote = "";
      this.note(null);
    });
    this.on("change:error", () => this.note(null));
    this.on("change:focus_code", () => this.applyFocus());
    this.on("change:snap_words", () => this.renderToolbar());
    this.on("change:height", () => this.applyHeight());
    this.on("change:text", () => this.reloadAll());
    this.on("change:turns", () => this.reloadAll());
    this.on("msg:custom", (msg) => this.onMessage(msg));
  }

  on(name, fn) {
    this.model.on(name, fn);
    this.listeners.push([name, fn]);
  }

  dispose() {
    for (const [name, fn] of this.listeners) this.model.off(name, fn);
    document.removeEventListener("mousedown", this.outside, true);
  }

  get(name) {
    return this.model.get(name);
  }

  set(name, value) {
    this.model.set(name, value);
    this.model.save_changes();
  }

  send(content, extra = {}) {
    const req = ++this.req;
    this.pending.set(req, { ...extra, type: content.type });
    this.model.send({ ...content, req });
    return req;
  }

  // -------------------------------------------------------------- skeleton
  build() {
    // JupyterLab: no context menu and no notebook shortcuts from inside the view
    this.root = h("div", {
      class: "sc-root",
      "data-lm-suppress-shortcuts": "true",
      "data-jp-suppress-context-menu": "true",
    });
    for (const type of ["keydown", "keyup", "keypress"])
      this.root.addEventListener(type, (e) => {
        if (!((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s")) e.stopPropagation();
      });
    this.root.addEventListener("contextmenu", (e) => this.onContextMenu(e));
    this.toolbar = h("div", { class: "sc-toolbar" });
    this.pane = h("div", { class: "sc-pane", tabindex: "0", role: "document",
      "aria-label": "transcript: select text to code it" });
    this.side = h("div", { class: "sc-side" });
    this.status = h("div", { class: "sc-status", role: "status" });
    this.picker = h("div", { class: "sc-picker", hidden: true });
    this.card = h("div", { class: "sc-card", hidden: true });
    this.memoList = h("div", { class: "sc-notes", role: "list", "aria-label": "memos on this source" });
    this.root.append(this.toolbar, this.memoList, h("div", { class: "sc-main" }, this.pane, this.side),
      this.status, this.picker, this.card);
    this.el.append(this.root);
    this.applyHeight();
    this.pane.addEventListener("mouseup", (e) => {
      if (e.button === 0) this.afterMouseSelect(e); // at once: a key pressed next must find the state it expects
    });
    this.pane.addEventListener("mousedown", (e) => {
      if (e.button === 0) this.mouseDownAt = performance.now();
    });
    // hotkeys work wherever the focus is in the view (the text, a card's button), except where one types
    this.root.addEventListener("keydown", (e) => {
      if (e.target.closest("input, textarea, select")) return;
      if (e.target.closest("button") && (e.key === "Enter" || e.key === " ")) return;
      this.onPaneKey(e);
    });
    this.outside = (e) => {
      if (!this.root.contains(e.target)) {
        this.closePicker();
      }
    };
    document.addEventListener("mousedown", this.outside, true);
  }

  // the source's memos (project.add_memo(..., kind="source")), newest last, above the transcript
  renderMemos() {
    const memos = this.get("memos") || [];
    this.memoList.replaceChildren(...memos.map((m) => h("div", { class: "sc-note", role: "listitem",
      "data-memo": m.id }, h("span", { class: "sc-note-meta",
      text: [m.by, m.created, m.modified ? "edited " + m.modified : ""].filter(Boolean).join(" · ") }),
    h("span", { class: "sc-note-text", text: m.text }))));
    this.memoList.hidden = memos.length === 0;
  }

  applyHeight() {
    const height = this.get("height") || "520px";
    this.pane.style.height = height;
    this.side.style.height = height;
  }

  // -------------------------------------------------------------- text and turns
  loadText() {
    this.cp = new CodePoints(this.get("text"));
    this.turns = this.get("turns");
  }

  reloadAll() {
    this.loadText();
    this.loadCodings();
    this.renderAllTurns();
    this.renderSide();
  }

  /** Index of the turn holding offset `at` (the last turn starting at or before it). */
  turnAt(at) {
    let lo = 0, hi = this.turns.length - 1, found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.turns[mid].start <= at) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  turnsOf(c) {
    const first = this.turnAt(c.start), last = this.turnAt(Math.max(c.start, c.end - 1));
    const out = [];
    for (let i = first; i <= last; i++) out.push(i);
    return out;
  }

  // -------------------------------------------------------------- codes
  indexCodes() {
    this.codes = this.get("codes");
    this.codeById = new Map(this.codes.map((c) => [c.id, c]));
    this.codeLook = this.codes.map((c) => [c.id, c.label, c.color, c.parent].join("|")).join("\n");
  }

  codesChanged() {
    const before = this.codeLook;
    this.indexCodes();
    if (before !== this.codeLook) this.renderAllTurns(); // colours or labels changed: draw again
    this.renderSide();
    if (this.pick) this.renderPickerList();
  }

  colour(code) {
    const c = this.codeById.get(code);
    return c ? c.color : "#999999";
  }

  label(code) {
    const c = this.codeById.get(code);
    return c ? c.label : code;
  }

  path(code) {
    const names = [];
    let c = this.codeById.get(code);
    while (c && c.parent) {
      c = this.codeById.get(c.parent);
      if (c) names.unshift(c.label);
    }
    return names.join(" › ");
  }

  // -------------------------------------------------------------- codings
  loadCodings() {
    const list = JSON.parse(this.get("codings_json"));
    this.byId = new Map(list.map((c) => [c.id, c]));
    this.sigs = new Map(list.map((c) => [c.id, signature(c)]));
    this.bucket(list);
    const coders = new Set(list.filter((c) => c.status === ACCEPTED).map((c) => c.coder));
    this.coderColours = new Map();
    [...(this.get("coders") || []).map((c) => c.id), ...coders].forEach((id) => {
      if (!this.coderColours.has(id))
        this.coderColours.set(id, CODER_COLOURS[this.coderColours.size % CODER_COLOURS.length]);
    });
    this.manyCoders = coders.size > 1;
  }

  bucket(list) {
    this.perTurn = this.turns.map(() => []);
    const sorted = [...list].sort((a, b) => a.start - b.start || b.end - a.end || a.id - b.id);
    for (const c of sorted) for (const i of this.turnsOf(c)) this.perTurn[i].push(c);
    this.ordered = sorted;
  }

  updateCodings() {
    const list = JSON.parse(this.get("codings_json"));
    const touched = new Set();
    const fresh = new Map(list.map((c) => [c.id, signature(c)]));
    for (const [id, sig] of this.sigs) if (fresh.get(id) !== sig) this.turnsOf(this.byId.get(id)).forEach((i) => touched.add(i));
    for (const c of list) if (this.sigs.get(c.id) !== signature(c)) this.turnsOf(c).forEach((i) => touched.add(i));
    const manyBefore = this.manyCoders;
    this.loadCodings();
    if (manyBefore !== this.manyCoders) this.renderAllTurns();
    else for (const i of touched) this.fillBody(i);
    if (this.current !== null && !this.byId.has(this.current)) this.current = null;
    this.renderSide();
    this.renderToolbar();
    if (!this.card.hidden) {
      const ids = this.cardIds.filter((id) => this.byId.has(id));
      if (ids.length) this.showCard(ids, this.cardAnchor); else this.closeCard();
    }
    this.checkWaiting();
  }

  // -------------------------------------------------------------- drawing the transcript
  renderAllTurns() {
    const scrolled = this.pane.scrollTop;
    const frag = document.createDocumentFragment();
    this.turnEls = [];
    this.bodies = [];
    this.whoEls = [];
    this.turns.forEach((t, i) => {
      const who = h("span", { class: "sc-who" });
      const meta = h("div", { class: "sc-meta" },
        t.speaker ? h("span", { class: "sc-speaker", text: t.speaker }) : null,
        t.time ? h("span", { class: "sc-time", text: t.time }) : null, who);
      this.whoEls.push(who);
      const body = h("div", { class: "sc-body" });
      const turn = h("div", { class: "sc-turn" + (t.role ? " sc-" + t.role : ""), "data-turn": i,
        "data-start": t.start, "data-end": t.end }, meta, body);
      this.turnEls.push(turn);
      this.bodies.push(body);
      frag.append(turn);
      this.fillBody(i);
    });
    this.pane.replaceChildren(frag);
    this.pane.scrollTop = scrolled;
    this.applyFocus();
  }

  fillBody(i) {
    const t = this.turns[i];
    const body = this.bodies[i];
    const inside = this.perTurn[i];
    const cuts = new Set([t.start, t.end]);
    for (const c of inside) {
      cuts.add(Math.max(t.start, Math.min(t.end, c.start)));
      cuts.add(Math.max(t.start, Math.min(t.end, c.end)));
    }
    const edges = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let k = 0; k + 1 < edges.length; k++) {
      const a = edges[k], b = edges[k + 1];
      const seg = document.createElement("span");
      seg.className = "sc-seg";
      seg.dataset.start = a;
      seg.dataset.end = b;
      seg.textContent = this.cp.slice(a, b);
      const over = inside.filter((c) => c.start <= a && b <= c.end);
      if (over.length) this.styleSeg(seg, over);
      frag.append(seg);
    }
    body.replaceChildren(frag);
    // with several coders shown: who coded in this turn, in the legend's colours
    const coders = this.manyCoders ? [...new Set(inside.filter((c) => c.status === ACCEPTED).map((c) => c.coder))] : [];
    this.whoEls[i].replaceChildren(...coders.map((coder) => h("span", { class: "sc-who-mark", title: `coded by ${coder}`,
      style: `background:${this.coderColours.get(coder) || "#444"}` })));
  }

  styleSeg(seg, over) {
    const accepted = over.filter((c) => c.status === ACCEPTED);
    const suggested = over.filter((c) => c.status === SUGGESTED);
    const rejected = over.filter((c) => c.status === REJECTED);
    seg.dataset.ids = over.map((c) => c.id).join(" ");
    seg.dataset.codes = [...new Set(over.map((c) => c.code))].join(" ");
    const shadows = accepted.map((c, k) => `inset 0 -${3 * (k + 1)}px 0 0 ${this.colour(c.code)}`);
    if (accepted.length) {
      seg.classList.add("sc-coded");
      seg.style.background = this.colour(accepted[0].code) + "33";
      seg.style.paddingBottom = `${3 * accepted.length}px`;
    }
    if (shadows.length) seg.style.boxShadow = shadows.join(", ");
    if (suggested.length) {
      seg.classList.add("sc-suggested");
      seg.style.textDecoration = `underline dashed ${this.colour(suggested[0].code)} 2px`;
      seg.style.textUnderlineOffset = `${3 * accepted.length + 3}px`;
    } else if (rejected.length && !accepted.length) {
      seg.classList.add("sc-rejected");
    }
    if (over.some((c) => c.id === this.current)) seg.classList.add("sc-current");
    const focus = this.get("focus_code");
    if (focus && over.some((c) => c.code === focus)) seg.classList.add("sc-hit");
    seg.title = over.map((c) => this.describe(c)).join("\n");
  }

  describe(c) {
    const head = `${this.label(c.code)} — ${c.coder}`;
    if (c.status === SUGGESTED || c.status === REJECTED) {
      const rules = c.rules.length ? `rule ${c.rules.join(", ")}` : "no rule recorded";
      const matched = c.matched.length ? `; matched “${c.matched.join("”, “")}”` : "";
      return `${head} (${c.status}: ${rules}${matched})`;
    }
    return head + (c.memo ? ` — memo: ${short(c.memo, 80)}` : "");
  }

  applyFocus() {
    const focus = this.get("focus_code");
    this.root.classList.toggle("sc-focusing", !!focus);
    for (const seg of this.pane.querySelectorAll(".sc-seg[data-codes]")) {
      seg.classList.toggle("sc-hit", !!focus && seg.dataset.codes.split(" ").includes(focus));
    }
    this.renderSide();
  }

  segOf(id) {
    return this.pane.querySelector(`.sc-seg[data-ids~="${id}"]`);
  }

  scrollTo(el) {
    if (!el) return;
    const r = el.getBoundingClientRect(), p = this.pane.getBoundingClientRect();
    if (r.top < p.top + 20 || r.bottom > p.bottom - 20)
      this.pane.scrollTop += r.top - p.top - this.pane.clientHeight / 3;
  }

  // -------------------------------------------------------------- the codes panel
  renderSide() {
    if (!this.side) return;
    const focus = this.get("focus_code");
    const list = h("ul", { class: "sc-codes" });
    for (const c of this.codes) {
      const item = h("li", { class: "sc-code" + (c.id === focus ? " sc-focused" : "") + (c.count || c.suggested ? "" : " sc-unused"),
        "data-code": c.id, style: `padding-left:${0.4 + c.depth * 0.9}em`, title: c.definition || c.id,
        onclick: () => this.focusCode(c.id) },
        h("span", { class: "sc-swatch", style: `background:${c.color}` }),
        h("span", { class: "sc-code-label", text: c.label }),
        h("span", { class: "sc-count", text: String(c.count) }),
        c.suggested ? h("span", { class: "sc-count sc-count-suggested", title: "suggestions", text: `+${c.suggested}?` }) : null);
      list.append(item);
    }
    const head = h("div", { class: "sc-side-head" }, "Codes in this source",
      focus ? h("button", { class: "sc-link", text: "clear", onclick: () => this.set("focus_code", "") }) : null);
    this.side.replaceChildren(head, list);
  }

  focusCode(code) {
    if (this.get("focus_code") !== code) {
      this.set("focus_code", code);
      this.focusIndex = -1;
    }
    const hits = this.ordered.filter((c) => c.code === code && c.status !== REJECTED);
    if (!hits.length) return;
    this.focusIndex = (this.focusIndex + 1) % hits.length;
    this.scrollTo(this.segOf(hits[this.focusIndex].id));
  }

  // -------------------------------------------------------------- toolbar: coders, review, options
  renderToolbar() {
    if (!this.toolbar) return;
    const coders = this.get("coders") || [];
    const blind = this.get("blind");
    const visible = this.get("visible_coders") || [];
    const me = this.get("coder");
    const legend = h("span", { class: "sc-legend" }, h("span", { class: "sc-caption", text: "Coders:" }));
    for (const c of coders) {
      const box = h("input", { type: "checkbox", checked: c.visible, disabled: blind,
        onchange: () => {
          const chosen = coders.filter((x) => (x.id === c.id ? box.checked : x.visible)).map((x) => x.id);
          this.set("visible_coders", chosen.length === coders.length ? [] : chosen);
        } });
      legend.append(h("label", { class: "sc-coder" + (c.me ? " sc-me" : ""), "data-coder": c.id,
        title: `${c.name || c.id} (${c.kind}): ${c.count} accepted codings` }, box,
        h("span", { class: "sc-coder-mark", style: `background:${this.coderColours.get(c.id) || "#444"}` }),
        `${c.id}${c.me ? " (you)" : ""} ${c.count}`));
    }
    legend.append(
      h("button", { class: "sc-link", text: "all", disabled: blind, onclick: () => this.set("visible_coders", []) }),
      h("button", { class: "sc-link", text: "only me", disabled: blind, onclick: () => this.set("visible_coders", [me]) }),
      h("label", { class: "sc-blind", title: "hide every other person's codings" },
        h("input", { type: "checkbox", checked: blind, onchange: (e) => this.set("blind", e.target.checked) }), "blind"));

    const suggestions = this.ordered ? this.ordered.filter((c) => c.status === SUGGESTED) : [];
    const codeFilter = h("select", { class: "sc-review-code", title: "show the suggestions of one code",
      onchange: (e) => this.set("review_code", e.target.value) }, h("option", { value: "", text: "every code" }));
    for (const c of this.codes) if (c.suggested || c.id === this.get("review_code"))
      codeFilter.append(h("option", { value: c.id, text: c.label, selected: c.id === this.get("review_code") }));
    const ruleFilter = h("select", { class: "sc-review-rule", title: "show the suggestions of one rule",
      onchange: (e) => this.set("review_rule", e.target.value) }, h("option", { value: "", text: "every rule" }));
    for (const r of this.get("rules") || [])
      ruleFilter.append(h("option", { value: r, text: r, selected: r === this.get("review_rule") }));
    const rejected = h("select", { class: "sc-rejected-mode", title: "rejected suggestions",
      onchange: (e) => this.set("rejected", e.target.value) },
      h("option", { value: "hidden", text: "rejected hidden", selected: this.get("rejected") === "hidden" }),
      h("option", { value: "struck", text: "rejected struck", selected: this.get("rejected") === "struck" }));
    const review = h("span", { class: "sc-review" },
      h("label", {}, h("input", { type: "checkbox", checked: this.get("show_suggestions"),
        onchange: (e) => this.set("show_suggestions", e.target.checked) }), `suggestions ${suggestions.length}`),
      codeFilter, ruleFilter, rejected,
      h("button", { class: "sc-button", title: "previous suggestion (p)", text: "◀", onclick: () => this.step(-1) }),
      h("button", { class: "sc-button", title: "next suggestion (n)", text: "▶", onclick: () => this.step(1) }));
    const options = h("span", { class: "sc-options" },
      h("label", { title: "grow a selection to whole words (off: the exact characters selected)" },
        h("input", { type: "checkbox", class: "sc-snap", checked: this.get("snap_words"),
          onchange: (e) => this.set("snap_words", e.target.checked) }), "snap to whole words"),
      h("button", { class: "sc-button sc-undo", title: "undo the project's last change (Ctrl+Z in the text)",
        text: "Undo", onclick: () => this.send({ type: "undo" }) }));
    const title = h("span", { class: "sc-title" }, h("b", { text: this.get("title") }), " ",
      h("code", { text: this.get("source_id") }), h("span", { class: "sc-as", text: ` coding as ${me}` }));
    this.toolbar.replaceChildren(h("div", { class: "sc-row" }, title, options), h("div", { class: "sc-row" }, legend, review));
  }

  /** A line for the status bar from the view itself (null: show Python's message again). */
  note(text) {
    this.localNote = text;
    if (text) this.latencyNote = "";
    this.renderStatus();
  }

  renderStatus() {
    if (this.localNote) {
      this.status.classList.remove("sc-error");
      this.status.textContent = this.localNote;
      return;
    }
    const error = this.get("error");
    const message = this.get("message");
    this.status.classList.toggle("sc-error", !!error);
    const extra = this.latencyNote ? ` — highlighted ${this.latencyNote}` : "";
    this.status.textContent = error || (message ? message + extra :
      "Select text to code it · click a highlight to change it · n / p: next / previous suggestion, a: accept, r: reject, c: recode, s: adjust to the selection, u: uncode");
  }

  // -------------------------------------------------------------- selections → offsets
  /** The code-point offset of a DOM boundary point; `isStart` says which way to look from a point outside the text. */
  boundary(node, offset, isStart) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement;
      if (seg && seg.classList.contains("sc-seg")) return Number(seg.dataset.start) + codePointsIn(node.data, offset);
    } else if (node.classList && node.classList.contains("sc-seg")) {
      return offset === 0 ? Number(node.dataset.start) : Number(node.dataset.end);
    } else if (node.classList && node.classList.contains("sc-body")) {
      const turn = this.turns[Number(node.parentElement.dataset.turn)];
      const kids = node.childNodes;
      return offset < kids.length ? Number(kids[offset].dataset.start) : turn.end;
    }
    // in a speaker label, between turns, or on the pane itself: the nearest turn's edge
    const point = document.createRange();
    try {
      point.setStart(node, offset);
    } catch (error) {
      return null;
    }
    let lo = 0, hi = this.bodies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (point.comparePoint(this.bodies[mid], 0) >= 0) hi = mid; else lo = mid + 1;
    }
    if (isStart) return lo < this.turns.length ? this.turns[lo].start : null;
    return lo > 0 ? this.turns[lo - 1].end : null;
  }

  selection() {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!this.pane.contains(range.startContainer) && !this.pane.contains(range.endContainer)) return null;
    const start = this.pane.contains(range.startContainer) ? this.boundary(range.startContainer, range.startOffset, true) : 0;
    const end = this.pane.contains(range.endContainer) ? this.boundary(range.endContainer, range.endOffset, false) : this.cp.length;
    if (start === null || end === null || !(end > start)) return null;
    return { start, end, rect: range.getBoundingClientRect(), range: range.cloneRange() };
  }

  afterMouseSelect(e) {
    const span = this.selection();
    if (!span) {
      if (this.pick) this.closePicker();
      else this.clickAt(e.target);
      return;
    }
    this.tSelect = performance.now();
    this.closeCard();
    if (this.adjusting !== null) this.finishAdjust(span);
    else this.openPicker(span, "code");
  }

  clickAt(target) {
    const seg = target && target.closest ? target.closest(".sc-seg[data-ids]") : null;
    if (!seg) {
      this.closeCard();
      return;
    }
    const ids = seg.dataset.ids.split(" ").map(Number);
    this.setCurrent(ids[ids.length - 1]);
    this.showCard(ids, seg);
  }

  onContextMenu(e) {
    e.stopPropagation(); // JupyterLab's own menu stays closed inside the view
    if (!this.pane.contains(e.target)) return;
    const span = this.selection();
    if (span) {
      e.preventDefault();
      this.tSelect = performance.now();
      this.openPicker(span, "code");
      return;
    }
    const seg = e.target.closest && e.target.closest(".sc-seg[data-ids]");
    if (seg) {
      e.preventDefault();
      this.clickAt(seg);
    }
  }

  onPaneKey(e) {
    if (this.pick) return;
    const sel = window.getSelection();
    const inside = sel && sel.rangeCount && this.pane.contains(sel.getRangeAt(0).startContainer);
    const arrows = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward" };
    if (e.key in arrows && (e.shiftKey || inside)) {
      // keyboard selection: Shift+arrows grow the selection (Ctrl: by word), arrows move the caret
      if (!inside) {
        const first = this.firstVisibleSeg();
        if (!first || !first.firstChild) return;
        sel.collapse(first.firstChild, 0);
      }
      const unit = e.key === "ArrowUp" || e.key === "ArrowDown" ? "line" : (e.ctrlKey || e.altKey ? "word" : "character");
      sel.modify(e.shiftKey ? "extend" : "move", arrows[e.key], unit);
      e.preventDefault();
      return;
    }
    const key = e.key.toLowerCase();
    if ((e.ctrlKey || e.metaKey) && key === "z") {
      e.preventDefault();
      this.send({ type: "undo" });
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const span = this.selection();
    const current = this.current !== null ? this.byId.get(this.current) : null;
    if (key === "enter" && span) {
      e.preventDefault();
      this.tSelect = performance.now();
      this.openPicker(span, "code");
    } else if (key === "c" && span && !current) {
      e.preventDefault();
      this.tSelect = performance.now();
      this.openPicker(span, "code");
    } else if (key === "n" || key === "j") {
      e.preventDefault();
      this.step(1);
    } else if (key === "p" || key === "k") {
      e.preventDefault();
      this.step(-1);
    } else if (key === "escape") {
      if (this.adjusting !== null) this.note(null);
      this.adjusting = null;
      this.closeCard();
      this.setCurrent(null);
    } else if (current) {
      if (key === "a" && current.status === SUGGESTED) this.decide("accept", current);
      else if (key === "r" && current.status === SUGGESTED) this.decide("reject", current);
      else if (key === "c") this.openPicker(null, "recode", current.id);
      else if (key === "s") this.startAdjust(current, span);
      else if (key === "u" || key === "delete") this.send({ type: "uncode", id: current.id });
      else if (key === "m") this.focusMemo(current.id);
      else return;
      e.preventDefault();
    }
  }

  firstVisibleSeg() {
    const top = this.pane.getBoundingClientRect().top;
    for (const seg of this.pane.querySelectorAll(".sc-seg")) if (seg.getBoundingClientRect().bottom >= top) return seg;
    return null;
  }

  // -------------------------------------------------------------- the code picker
  openPicker(span, mode, codingId = null) {
    this.closeCard();
    const coding = codingId !== null ? this.byId.get(codingId) : null;
    const anchor = this.relative(span ? span.rect : (this.segOf(codingId) || this.pane).getBoundingClientRect());
    this.pick = { span, mode, codingId, active: 0, items: [], anchor };
    // the input takes the focus, and with it the selection: mark the passage while the picker is open
    if (span && span.range && window.CSS && CSS.highlights && window.Highlight)
      CSS.highlights.set("sc-pending", new Highlight(span.range));
    const quote = span ? this.cp.slice(span.start, span.end) : "";
    this.filter = h("input", { class: "sc-filter", type: "text", autocomplete: "off", spellcheck: "false",
      placeholder: "type part of a code's name · 1–9: most used", "aria-label": "filter codes" });
    this.list = h("ul", { class: "sc-list", role: "listbox" });
    this.memo = mode === "code" ? h("input", { class: "sc-memo", type: "text", placeholder: "memo (optional)" }) : null;
    const head = mode === "code"
      ? h("div", { class: "sc-quote" }, h("span", { text: `“${short(quote, 140)}”` }),
        h("small", { text: ` [${span.start}, ${span.end})${this.get("snap_words") ? " · snaps to whole words" : ""}` }))
      : h("div", { class: "sc-quote" }, h("span", { text: `Recode ${this.label(coding.code)}: ` }),
        h("span", { text: `“${short(this.cp.slice(coding.start, coding.end), 100)}”` }));
    const hot = h("div", { class: "sc-hot" });
    for (const c of this.codes.filter((x) => x.hotkey).sort((a, b) => a.hotkey - b.hotkey))
      hot.append(h("span", { class: "sc-hot-item", onclick: () => this.choose(c.id) }, h("kbd", { text: String(c.hotkey) }),
        h("span", { class: "sc-swatch", style: `background:${c.color}` }), c.label));
    this.picker.replaceChildren(head, this.filter, hot, this.list, ...(this.memo ? [this.memo] : []),
      h("div", { class: "sc-hint", text: "↑ ↓ choose · Enter code · Esc cancel" }));
    this.filter.addEventListener("input", () => {
      this.pick.active = 0;
      hot.hidden = !!this.filter.value;
      this.renderPickerList();
      this.place(this.picker, this.pick.anchor);
    });
    const keys = (e) => this.onPickerKey(e);
    this.filter.addEventListener("keydown", keys);
    if (this.memo) this.memo.addEventListener("keydown", keys);
    this.renderPickerList();
    this.picker.hidden = false;
    this.place(this.picker, anchor);
    this.filter.focus({ preventScroll: true });
    const began = this.tSelect || performance.now();
    afterPaint(() => { this.root.dataset.pickerMs = (performance.now() - began).toFixed(1); });
  }

  /** `rect` (a selection's or an element's, on the screen) relative to the view. */
  relative(rect) {
    const root = this.root.getBoundingClientRect();
    return { left: rect.left - root.left, top: rect.top - root.top, bottom: rect.bottom - root.top };
  }

  /** Put a popup below `anchor` (relative to the view), or above it when there is no room below,
   * inside the view: a notebook's output area clips what sticks out of it.  A picker's list
   * shrinks (to 90 px) before the popup moves. */
  place(box, anchor) {
    const root = this.root.getBoundingClientRect();
    const list = box.querySelector(".sc-list");
    if (list) list.style.maxHeight = "240px";
    const width = box.offsetWidth || 360;
    const below = anchor.bottom + 6;
    let height = box.offsetHeight || 300;
    if (list && below + height > root.height) {
      const shrink = Math.min(list.offsetHeight - 90, below + height - root.height);
      if (shrink > 0) {
        list.style.maxHeight = `${list.offsetHeight - shrink}px`;
        height = box.offsetHeight;
      }
    }
    const above = anchor.top - height - 6;
    const top = below + height <= root.height ? below : above >= 0 ? above : Math.max(0, root.height - height);
    box.style.left = `${Math.max(0, Math.min(anchor.left, root.width - width - 4))}px`;
    box.style.top = `${top}px`;
  }

  matches(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return this.codes.map((c) => ({ code: c, depth: c.depth }));
    const found = [];
    for (const c of this.codes) {
      const hay = `${c.label} ${c.id} ${this.path(c.id)}`.toLowerCase();
      if (words.every((w) => hay.includes(w))) {
        const rank = c.label.toLowerCase().startsWith(words[0]) ? 0 : c.label.toLowerCase().includes(words[0]) ? 1 : 2;
        found.push({ code: c, depth: 0, rank });
      }
    }
    return found.sort((a, b) => a.rank - b.rank);
  }

  renderPickerList() {
    const query = this.filter.value;
    this.pick.items = this.matches(query);
    this.pick.active = Math.max(0, Math.min(this.pick.active, this.pick.items.length - 1));
    const items = this.pick.items.map(({ code, depth }, k) => h("li", {
      class: "sc-option" + (k === this.pick.active ? " sc-active" : ""), role: "option", "data-code": code.id,
      style: `padding-left:${0.4 + depth * 0.9}em`, onmousedown: (e) => { e.preventDefault(); this.choose(code.id); } },
      h("span", { class: "sc-swatch", style: `background:${code.color}` }),
      h("span", { class: "sc-option-label", text: code.label }),
      query.trim() && this.path(code.id) ? h("small", { class: "sc-path", text: ` ${this.path(code.id)}` }) : null,
      code.hotkey ? h("kbd", { text: String(code.hotkey) }) : null));
    if (!items.length) items.push(h("li", { class: "sc-none", text: "no code matches" }));
    this.list.replaceChildren(...items);
    const active = this.list.querySelector(".sc-active");
    if (active) active.scrollIntoView({ block: "nearest" });
  }

  onPickerKey(e) {
    e.stopPropagation();
    const n = this.pick.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.pick.active = (this.pick.active + (e.key === "ArrowDown" ? 1 : n - 1)) % Math.max(n, 1);
      this.renderPickerList();
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (n) this.choose(this.pick.items[this.pick.active].code.id);
    } else if (e.key === "Escape") {
      e.preventDefault();
      const span = this.pick.span;
      this.closePicker();
      this.pane.focus({ preventScroll: true });
      if (span && span.range) { // the selection comes back: right-click or Enter opens the picker again
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(span.range);
      }
    } else if (/^[1-9]$/.test(e.key) && e.target === this.filter && !this.filter.value) {
      const code = this.codes.find((c) => c.hotkey === Number(e.key));
      if (code) {
        e.preventDefault();
        this.choose(code.id);
      }
    }
  }

  choose(code) {
    const pick = this.pick;
    if (!pick) return;
    const t0 = performance.now();
    if (pick.mode === "code") {
      const { start, end } = pick.span;
      const req = this.send({ type: "code", start, end, code, memo: this.memo ? this.memo.value : "",
        text: this.cp.slice(start, end) }, { t0, tSelect: this.tSelect });
      this.pending.get(req).code = code;
      window.getSelection().removeAllRanges();
    } else {
      this.send({ type: "recode", id: pick.codingId, code });
    }
    this.closePicker();
    this.pane.focus({ preventScroll: true });
  }

  closePicker() {
    this.pick = null;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("sc-pending");
    this.picker.hidden = true;
  }

  // -------------------------------------------------------------- the card of a highlight
  setCurrent(id) {
    const before = this.current;
    this.current = id;
    for (const old of [before, id]) {
      if (old === null || old === undefined || !this.byId.has(old)) continue;
      for (const i of this.turnsOf(this.byId.get(old))) this.fillBody(i);
    }
  }

  showCard(ids, anchor) {
    this.cardIds = ids;
    this.cardAnchor = anchor;
    const items = ids.map((id) => this.byId.get(id)).filter(Boolean).map((c) => this.cardItem(c));
    this.card.replaceChildren(h("button", { class: "sc-close", title: "close (Esc)", text: "×",
      onclick: () => this.closeCard() }), ...items);
    this.card.hidden = false;
    const rect = anchor && anchor.isConnected ? anchor.getBoundingClientRect() : this.pane.getBoundingClientRect();
    this.place(this.card, this.relative(rect));
  }

  cardItem(c) {
    const quote = this.cp.slice(c.start, c.end);
    const memo = h("textarea", { class: "sc-memo-edit", rows: "2", placeholder: "memo", disabled: !c.editable });
    memo.value = c.memo || "";
    memo.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) this.send({ type: "memo", id: c.id, memo: memo.value });
    });
    const buttons = h("div", { class: "sc-actions" });
    const button = (text, title, fn, cls = "") => buttons.append(h("button", { class: "sc-button " + cls, text, title,
      disabled: !c.editable, onclick: (e) => { e.stopPropagation(); this.setCurrent(c.id); fn(); } }));
    if (c.status === SUGGESTED) {
      button("Accept (a)", "accept this suggestion", () => this.decide("accept", c), "sc-accept");
      button("Reject (r)", "reject this suggestion", () => this.decide("reject", c), "sc-reject");
    }
    if (c.status !== REJECTED) {
      button("Recode (c)", "give it another code", () => this.openPicker(null, "recode", c.id), "sc-recode");
      button("Adjust span (s)", "select the right passage, then press s or this button",
        () => this.startAdjust(c, this.selection()), "sc-adjust");
    }
    if (c.status !== SUGGESTED) button("Uncode (u)", "delete this coding", () => this.send({ type: "uncode", id: c.id }), "sc-uncode");
    button("Save memo", "save the memo (Ctrl+Enter)", () => this.send({ type: "memo", id: c.id, memo: memo.value }), "sc-save-memo");
    const evidence = c.status !== ACCEPTED && (c.rules.length || c.matched.length)
      ? h("div", { class: "sc-evidence" }, `rule ${c.rules.join(", ") || "?"}`,
        c.matched.length ? ` · matched “${c.matched.join("”, “")}”` : "") : null;
    return h("div", { class: "sc-item sc-status-" + c.status + (c.id === this.current ? " sc-item-current" : ""),
      "data-id": c.id, onclick: () => this.setCurrent(c.id) },
      h("div", { class: "sc-item-head" }, h("span", { class: "sc-swatch", style: `background:${this.colour(c.code)}` }),
        h("b", { text: this.label(c.code) }), " ", h("code", { text: c.code })),
      h("div", { class: "sc-item-meta", text: `${c.coder} · ${c.status} · ${c.origin} · [${c.start}, ${c.end})` +
        (c.editable ? "" : " · read only: not your coding") }),
      evidence,
      h("blockquote", { text: short(quote, 300) }),
      memo, buttons);
  }

  focusMemo(id) {
    const c = this.byId.get(id);
    if (!c) return;
    this.showCard([id], this.segOf(id));
    const memo = this.card.querySelector(".sc-memo-edit");
    if (memo) memo.focus();
  }

  closeCard() {
    this.card.hidden = true;
    this.cardIds = [];
  }

  // -------------------------------------------------------------- review: decide, step, adjust
  decide(action, c) {
    const next = this.neighbour(c, 1);
    this.afterDecision = next ? next.id : null;
    this.send({ type: action, id: c.id });
  }

  neighbour(c, direction) {
    const list = this.ordered.filter((x) => x.status === SUGGESTED);
    const at = list.findIndex((x) => x.id === c.id);
    if (at < 0) return list[0] || null;
    return list[at + direction] || null;
  }

  step(direction) {
    const list = this.ordered.filter((x) => x.status === SUGGESTED);
    if (!list.length) {
      this.note("no suggestion to review here (filters?)");
      return;
    }
    const current = this.current !== null ? list.findIndex((x) => x.id === this.current) : -1;
    const at = current < 0 ? (direction > 0 ? 0 : list.length - 1) : (current + direction + list.length) % list.length;
    this.goTo(list[at].id);
  }

  goTo(id) {
    this.setCurrent(id);
    const seg = this.segOf(id);
    this.scrollTo(seg);
    this.showCard([id], seg);
    this.pane.focus({ preventScroll: true });
  }

  startAdjust(c, span) {
    if (span) {
      this.adjusting = c.id;
      this.finishAdjust(span);
      return;
    }
    this.adjusting = c.id;
    this.closeCard();
    this.note(`select the passage ${this.label(c.code)} should cover (Esc: cancel)`);
  }

  finishAdjust(span) {
    const id = this.adjusting;
    this.adjusting = null;
    this.send({ type: "adjust", id, start: span.start, end: span.end, text: this.cp.slice(span.start, span.end) });
    window.getSelection().removeAllRanges();
  }

  // -------------------------------------------------------------- replies from Python
  onMessage(msg) {
    if (!msg || msg.type !== "reply") return;
    const sent = this.pending.get(msg.req);
    this.pending.delete(msg.req);
    if (!msg.ok) {
      this.root.dataset.lastError = msg.message;
      this.renderStatus();
      return;
    }
    if (sent && sent.type === "code" && msg.id !== null) {
      this.waiting = { id: msg.id, t0: sent.t0, tSelect: sent.tSelect };
      this.checkWaiting();
    }
    if (sent && (sent.type === "accept" || sent.type === "reject") && this.afterDecision != null) {
      const next = this.afterDecision;
      this.afterDecision = null;
      if (this.byId.has(next)) this.goTo(next);
    }
  }

  checkWaiting() {
    const w = this.waiting;
    if (!w || !this.segOf(w.id)) return;
    this.waiting = null;
    afterPaint(() => { // the highlight is on the screen now
      const now = performance.now();
      const ms = now - w.t0;
      this.root.dataset.latencyMs = ms.toFixed(1);
      if (w.tSelect) this.root.dataset.selectionToHighlightMs = (now - w.tSelect).toFixed(1);
      this.root.dataset.lastCodingId = String(w.id);
      this.latencyNote = `in ${ms.toFixed(0)} ms`;
      this.renderStatus();
    });
  }
}

/** Call `fn` once the browser has laid out and painted what was just changed. */
function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

function render({ model, el }) {
  const view = new CodingView(model, el);
  return () => view.dispose();
}

export default { render };
