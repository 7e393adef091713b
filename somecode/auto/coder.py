"""Automatic coding from the codebook's patterns: reviewable suggestions with their evidence.

Each code's phrases (per language) are matched on the token norm (lower case, slang normalised:
``gak`` matches ``tidak``) with spaCy's PhraseMatcher; its token patterns with the Matcher; its
``exclude`` phrases veto the code in a unit where they occur.  Matching is on surface forms the
researcher wrote: nothing matches on a stem nobody approved (see :func:`suggest_variants`).

:func:`autocode` writes one suggestion per unit (sentence or turn) and code, coder
``auto:<codebook hash>``, origin ``auto``, status ``suggested``, with the rule and the matched
text and offsets as evidence.  It never changes a human coding and never suggests a code a
person already gave an overlapping passage.  A run is one undoable operation; :func:`accept` and
:func:`reject` review suggestions by id, code, rule or source.
"""

from __future__ import annotations

import bisect
import multiprocessing
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .. import store as db
from ..errors import SomecodeWarning, ValidationError
from ..model import STATUSES, Coding
from ..sources.language import UNDETERMINED, source_language
from ..vocabulary import check_choice, check_coders, check_ids, renamed
from .nlp import LANGUAGES, pipeline

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["AutoCoder", "autocode", "accept", "reject", "suggestions", "coder_id", "autocode_frame",
           "autocode_corpus", "check_scheduler", "UNITS", "ENGINES"]

UNITS = ("sentence", "turn")
ENGINES = ("local", "dask")

_CODERS: dict = {}  # built in the parent, inherited by forked workers


@dataclass(frozen=True)
class Match:
    code: str
    rule: str
    start: int
    end: int
    text: str


class AutoCoder:
    """Compiled rules of a set of codes for one language; ``match_text`` returns units with matches.
    ``lang=`` is the deprecated old name of ``language=``."""

    @renamed(lang="language")
    def __init__(self, codes, language: str):
        from spacy.matcher import Matcher, PhraseMatcher

        lang = language
        self.language, self.nlp = language, pipeline(language)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.tokens = Matcher(self.nlp.vocab)
        self.excludes = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.rules, token_patterns = 0, []
        for code in codes:
            spec = (code.patterns or {}).get(lang) or {}
            phrases = [p for p in spec.get("phrases", []) if p.strip()]
            if phrases:
                self.phrases.add(f"{code.id}\tphrase", list(self.nlp.tokenizer.pipe(phrases)))
            for n, pattern in enumerate(spec.get("tokens", [])):
                self.tokens.add(f"{code.id}\ttokens:{n}", [pattern])
                token_patterns.append(pattern)
            excluded = [p for p in spec.get("exclude", []) if p.strip()]
            if excluded:
                self.excludes.add(code.id, list(self.nlp.tokenizer.pipe(excluded)))
            self.rules += len(phrases) + len(spec.get("tokens", []))
        self.anchors = _anchors(token_patterns)
        self._labels: dict[str, tuple[str, str]] = {}

    def match_text(self, text: str, unit: str = "sentence") -> list[tuple[int, int, list[Match]]]:
        """``(unit start, unit end, matches)`` for each unit of ``text`` with at least one match."""
        check_choice("unit", unit, UNITS)
        return self.match_texts([text], unit)[0]

    def match_texts(self, texts, unit: str = "sentence", batch_size: int = 1000):
        """:meth:`match_text` for many texts: tokenised in batches, sentences split only in the
        texts that match something (most do not)."""
        check_choice("unit", unit, UNITS)
        texts = list(texts)
        steps = [step for name, step in self.nlp.pipeline]  # sentencizer, abbreviations
        out: list[list] = []
        for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts, batch_size=batch_size)):
            found = self._find(doc, text)
            if not found:
                out.append([])
                continue
            if unit == "sentence":
                for step in steps:
                    doc = step(doc)
            out.append(self._units(doc, text, found, unit))
        return out

    def _find(self, doc, text: str) -> list[tuple[str, int, int]]:
        strings = self.nlp.vocab.strings
        found = [(strings[key], s, e) for key, s, e in self.phrases(doc)]
        if self.anchors is None or (self.anchors and any(a in text.lower() for a in self.anchors)):
            found += [(strings[key], s, e) for key, s, e in self.tokens(doc)]
        return found

    def _units(self, doc, text, found, unit):
        """Each unit with a match, its matches in order; a code vetoed where its exclusion is.
        Offsets come from arrays of the tokens' positions, without a token or span object each."""
        from spacy.attrs import IDX, LENGTH

        strings = self.nlp.vocab.strings
        bounds = [(span.start, span.end) for span in doc.sents] if unit == "sentence" else [(0, len(doc))]
        starts = [b[0] for b in bounds]
        matches: dict[int, list] = {}
        for label, s, e in sorted(found, key=lambda m: (m[1], m[2])):
            n = bisect.bisect_right(starts, s) - 1
            if e <= bounds[n][1]:  # a match across two units codes neither
                matches.setdefault(n, []).append((label, s, e))
        blocked: dict[int, set] = {}
        if matches:
            for key, s, e in self.excludes(doc):
                n = bisect.bisect_right(starts, s) - 1
                if e <= bounds[n][1]:
                    blocked.setdefault(n, set()).add(strings[key])
        idx, length = doc.to_array([IDX, LENGTH]).T
        out = []
        for n, inside in sorted(matches.items()):
            kept = []
            for label, s, e in inside:
                code, rule = self._label(label)
                if code not in blocked.get(n, ()):
                    start, end = int(idx[s]), int(idx[e - 1] + length[e - 1])
                    kept.append(Match(code, rule, start, end, text[start:end]))
            if kept:
                first, last = bounds[n][0], bounds[n][1] - 1
                out.append((int(idx[first]), int(idx[last] + length[last]), kept))
        return out

    def _label(self, label: str) -> tuple[str, str]:
        """``(code, rule)`` of a match label ``code<TAB>rule``, split once per label."""
        split = self._labels.get(label)
        if split is None:
            code, rule = label.split("\t")
            split = self._labels[label] = (code, rule)
        return split


def _anchors(patterns) -> set[str] | None:
    """Literal words every token pattern needs (any one present lets the Matcher run); ``None``
    when some pattern has no literal word, so the Matcher must always run."""
    anchors = set()
    for pattern in patterns:
        literals = set()
        for spec in pattern:
            for key in ("LOWER", "ORTH", "TEXT", "NORM"):
                value = spec.get(key)
                if isinstance(value, str):
                    literals.add(value.lower())
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    literals.update(str(v).lower() for v in value["IN"])
            if literals:
                break
        if not literals:
            return None
        anchors |= literals
    return anchors


def coder_id(project: Project) -> str:
    """The automatic coder of the project's current codebook: ``auto:<codebook hash>``."""
    return f"auto:{project.codebook().content_hash()}"


def _units(sources, speakers, skip_interviewer, languages: dict):
    """(source id, language, turn start, turn text) for every turn to be coded of ``sources`` (read
    once by the caller); ``languages`` maps each source to the language it is coded in (see
    :func:`_source_languages`)."""
    for source in sources:
        lang = languages.get(source.id)
        if lang not in LANGUAGES:
            continue
        for turn in source.turns:
            if speakers is not None and turn.speaker not in speakers:
                continue
            if skip_interviewer and source.kind == "interview" and turn.speaker and not turn.informant:
                continue
            yield source.id, lang, turn.start, source.text[turn.start:turn.end]


def _source_languages(sources) -> dict:
    """Each source's language: stated (front matter), stored on reading, or detected now."""
    return {s.id: source_language(s) for s in sources}


def _missing_patterns(codes, languages) -> dict:
    """Per language coded: the codes that have rules in some language but none in this one."""
    missing = {}
    for lang in sorted(set(languages)):
        lacking = [c.id for c in codes if _has_rules(c, None) and not _has_rules(c, lang)]
        if lacking:
            missing[lang] = lacking
    return missing


def _has_rules(code, lang) -> bool:
    specs = (code.patterns or {}).values() if lang is None else [(code.patterns or {}).get(lang) or {}]
    return any([p for p in (spec or {}).get("phrases", []) if str(p).strip()] or (spec or {}).get("tokens")
               for spec in specs)


def _report_languages(languages: dict, default: str, codes) -> dict:
    """Warn about sources whose language was undetermined or has no pipeline, and codes without
    rules for a language being coded; return what the run's ``.attrs`` record of it."""
    undetermined = sorted(s for s, lang in languages.items() if lang == UNDETERMINED)
    unsupported = {s: lang for s, lang in sorted(languages.items())
                   if lang not in LANGUAGES and lang != UNDETERMINED}
    for source in undetermined:
        languages[source] = default
    if undetermined:
        warnings.warn(SomecodeWarning(
            f"autocode: the language of {len(undetermined)} source(s) could not be told from their text "
            f"({_listing(undetermined)}); they were coded as {default!r} (default_language=). Fix: state "
            "'language: id' or 'language: en' in their front matter"), stacklevel=3)
    if unsupported:
        warnings.warn(SomecodeWarning(
            f"autocode: {len(unsupported)} source(s) are in a language automatic coding has no pipeline "
            f"for ({', '.join(f'{s}: {lang}' for s, lang in list(unsupported.items())[:10])}); they were "
            f"not coded. Fix: code them by hand, or correct their 'language:' (one of {', '.join(LANGUAGES)})"),
            stacklevel=3)
    missing = _missing_patterns(codes, [lang for lang in languages.values() if lang in LANGUAGES])
    for lang, lacking in missing.items():
        warnings.warn(SomecodeWarning(
            f"autocode: {len(lacking)} code(s) have no phrase list for language {lang!r} "
            f"({_listing(lacking)}): sources in {lang!r} were not coded with them (no other language's "
            f"phrases are used instead). Fix: add patterns.{lang} to these codes in the codebook"),
            stacklevel=3)
    if not (undetermined or unsupported or missing) and set(languages.values()) <= {default}:
        return {}  # every source in the default language, nothing to report
    return {"languages": dict(sorted(languages.items())), "undetermined": undetermined,
            "unsupported": unsupported, "missing_patterns": missing}


def _listing(items, limit: int = 10) -> str:
    items = list(items)
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _by_code(matches):
    """Group one unit's matches by code, codes in first-match order: [(code, [match, ...]), ...]."""
    groups = {}
    for match in matches:
        groups.setdefault(match.code, []).append(match)
    return list(groups.items())


def _work(batch):
    """A worker's job: plain tuples in, plain tuples out (no Doc crosses a process boundary)."""
    key, unit, items = batch
    coder = _CODERS[key]
    out = []
    results = coder.match_texts([text for _, _, text in items], unit)
    for (source, offset, _), units in zip(items, results):
        for start, end, matches in units:
            for code, mine in _by_code(matches):
                evidence = [(m.rule, m.text, m.start + offset, m.end + offset) for m in mine]
                out.append((source, start + offset, end + offset, code, evidence))
    return out


def run_coder(coder_key, unit, items, workers: int = 1, progress: bool = False, chunk: int = 2000):
    """Match ``items`` ((source, offset, text)) with the registered coder, in ``workers`` processes.
    With workers, batches are small enough (8 a worker at least) that none waits long for the last."""
    if workers > 1:
        chunk = max(1, min(chunk, -(-len(items) // (workers * 8))))
    batches = [(coder_key, unit, items[i:i + chunk]) for i in range(0, len(items), chunk)]
    bar = _progress(len(batches), progress)
    results = []
    if workers > 1 and len(batches) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_work, batches):
                results += part
                bar.update(1)
    else:
        for batch in batches:
            results += _work(batch)
            bar.update(1)
    bar.close()
    return results


def _progress(total: int, enabled: bool):
    if enabled:
        from tqdm.auto import tqdm

        return tqdm(total=total, unit="batch", desc="autocode")

    class Silent:
        def update(self, n):
            pass

        def close(self):
            pass

    return Silent()


def autocode(project: Project, *, unit: str = "sentence", codes=None, sources=None, speakers=None,
             skip_interviewer: bool = True, skip_coded: bool = True, workers: int = 1,
             progress: bool = False, engine: str = "local", by: str = "",
             default_language: str = "id", scheduler=None) -> pd.DataFrame:
    """Suggest codings from the codebook's patterns (see the module docstring).

    ``codes`` limits the run to those codes, ``sources`` to those sources, ``speakers`` to turns
    of those speaker labels; interviewers' turns are skipped unless ``skip_interviewer=False``.
    With ``skip_coded`` (the default) no code is suggested where a person already gave it to an
    overlapping passage; ``skip_coded=False`` codes blind, as an evaluation against a human coder
    needs (the suggestions stay in the automatic coder's own layer either way).  ``engine="dask"``
    codes the turns through Dask (see :func:`autocode_frame`; ``scheduler`` is the address of an
    existing Dask cluster's scheduler) and stores exactly what the local engine would.

    Each source is coded in its own language with that language's rules (``patterns.<language>``):
    the language its front matter states, else the one detected when it was read (or now, for a
    source built in code); see :mod:`somecode.sources.language`.  A source whose language could not be
    told from its text is coded in ``default_language``, with a :class:`SomecodeWarning`; one in a
    language without a pipeline is not coded, with a warning; a code with rules in some language
    but none in a source's is not used on that source (never another language's phrases), with a
    warning naming the codes and the language.

    Returns one row per suggestion stored by this run (source, start, end, code), so a run that
    finds nothing new returns no rows; its ``.attrs`` count what the run found: ``new`` (stored
    now), ``already`` (the same suggestion -- span, code and automatic coder -- was stored by an
    earlier run, whatever its review since) and ``skipped`` (a person had given that code to an
    overlapping passage).  Unless every source was coded in ``default_language`` with nothing to
    report, they also hold ``languages`` (source -> language coded in), ``undetermined`` (sources
    coded in ``default_language`` for want of a language), ``unsupported`` (source -> language,
    not coded) and ``missing_patterns`` (language -> codes without rules in it).
    """
    from ..project.codeops import operation

    check_choice("unit", unit, UNITS)
    check_choice("default_language", default_language, LANGUAGES)
    check_choice("engine", engine, ENGINES)
    check_scheduler(engine, scheduler)
    if isinstance(codes, str) or isinstance(sources, str) or isinstance(speakers, str):
        raise ValidationError("codes=, sources= and speakers= are lists (of code ids, source ids, "
                              "speaker labels)")
    check_ids("code", codes, project.code_ids())
    check_ids("source", sources, project.source_ids())
    read = [s for s in project.sources() if sources is None or s.id in sources]  # read once
    if speakers is not None:
        check_ids("speaker", speakers, sorted({t.speaker for s in project.sources() for t in s.turns
                                               if t.speaker}))
    chosen = [c for c in project.codes() if codes is None or c.id in set(codes)]
    coder = coder_id(project)
    languages = _source_languages(read)
    report = _report_languages(languages, default_language, chosen)
    items_by_lang: dict = {}
    for source, lang, offset, text in _units(read, speakers, skip_interviewer, languages):
        items_by_lang.setdefault(lang, []).append((source, offset, text))
    found = []
    for lang, items in items_by_lang.items():
        if engine == "dask":
            found += _dask_turns(chosen, lang, unit, items, scheduler)
            continue
        key = (coder, lang, tuple(c.id for c in chosen))
        if key not in _CODERS:
            _CODERS[key] = AutoCoder(chosen, lang)
        found += run_coder(key, unit, items, workers=workers, progress=progress)
    human = _human_spans(project) if skip_coded else {}
    stored = {row[:4] for row in db.codings.coding_spans(project.store, coder=coder)}
    suggestions, seen, already, skipped = [], set(), 0, 0
    for s, a, b, code, ev in found:
        if (s, a, b, code) in seen:
            continue
        seen.add((s, a, b, code))
        if _overlaps(human.get((s, code), []), a, b):
            skipped += 1
        elif (s, a, b, code) in stored:
            already += 1
        else:
            suggestions.append(Coding(s, a, b, code, coder, origin="auto", status="suggested",
                                      evidence={"unit": unit, "matches": [{"rule": r, "text": t, "start": x,
                                                                           "end": y} for r, t, x, y in ev]}))
    with operation(project, "autocode", {"coder": coder, "unit": unit, "suggestions": len(suggestions)}, by):
        project.add_coder(coder, name="automatic coding from the codebook's patterns", kind="machine")
        new = project.add_codings(suggestions)
    table = pd.DataFrame([(c.source_id, c.start, c.end, c.code_id) for c in suggestions],
                         columns=["source", "start", "end", "code"])
    table.attrs.update(new=new, already=already, skipped=skipped, **report)
    return table


def _dask_turns(codes, lang, unit, items, scheduler=None) -> list:
    """The turns coded through Dask, returned in the local engine's shape and order."""
    frame = pd.DataFrame({"id": range(len(items)), "text": [t for _, _, t in items]})
    rows = autocode_frame(frame, codes, language=lang, unit=unit, engine="dask",
                          partitions=max(1, min(16, len(items) // 20)), scheduler=scheduler)
    found = []
    for row in rows.itertuples():
        source, offset, _ = items[row.id]
        evidence = [(r, t, a + offset, b + offset) for r, t, (a, b) in zip(row.rules, row.matched, row.offsets)]
        found.append((source, row.start + offset, row.end + offset, row.code, evidence))
    return found


def _human_spans(project: Project) -> dict:
    spans: dict = {}
    for source, start, end, code, coder in db.codings.coding_spans(project.store):
        if not coder.startswith("auto:"):
            spans.setdefault((source, code), []).append((start, end))
    return spans


def _overlaps(spans, start, end) -> bool:
    return any(a < end and start < b for a, b in spans)


def suggestions(project: Project, *, status: str = "suggested", coder: str | None = None) -> pd.DataFrame:
    """Automatic codings with their evidence: id, source, start, end, code, rules, matched, text.
    ``status``: suggested (the default), accepted, rejected, or ``None`` for all."""
    if status:
        check_choice("status", status, STATUSES)
    check_coders(project, coder)
    rows = []
    for record in project.coding_records(coder=coder):
        if record.origin != "auto" or (status and record.status != status):
            continue
        matches = (record.evidence or {}).get("matches", [])
        rows.append({"id": record.id, "source": record.source_id, "start": record.start, "end": record.end,
                     "code": record.code_id, "coder": record.coder_id, "status": record.status,
                     "rules": sorted({m["rule"] for m in matches}), "matched": [m["text"] for m in matches]})
    frame = pd.DataFrame(rows, columns=["id", "source", "start", "end", "code", "coder", "status", "rules",
                                        "matched"])
    texts = {s: project.source(s).text for s in frame["source"].unique()}
    frame["text"] = [texts[s][a:b] for s, a, b in zip(frame["source"], frame["start"], frame["end"])]
    return frame


def _review(project: Project, new_status, *, ids=None, code=None, rule=None, source=None, by=""):
    from ..project.codeops import operation

    check_ids("code", code, project.code_ids())
    check_ids("source", source, project.source_ids())
    table = suggestions(project)
    if ids is not None:
        table = table[table["id"].isin(list(ids))]
    if code is not None:
        table = table[table["code"] == code]
    if rule is not None:
        table = table[[rule in rules for rules in table["rules"]]]
    if source is not None:
        table = table[table["source"] == source]
    with operation(project, f"{new_status[:-2]}_suggestions", {"ids": table["id"].tolist()}, by):
        db.codings.set_statuses(project.store, table["id"], new_status)
    return len(table)


def accept(project: Project, *, ids=None, code=None, rule=None, source=None, by: str = "") -> int:
    """Accept suggestions (all that match every filter given); return how many.  Undoable."""
    return _review(project, "accepted", ids=ids, code=code, rule=rule, source=source, by=by)


def reject(project: Project, *, ids=None, code=None, rule=None, source=None, by: str = "") -> int:
    """Reject suggestions (kept, with status ``rejected``); return how many.  Undoable."""
    return _review(project, "rejected", ids=ids, code=code, rule=rule, source=source, by=by)


# ------------------------------------------------------------------ corpora beyond one machine
def _rules(codes) -> tuple:
    """The parts of codes a coder needs, as plain data that travels to any worker."""
    return tuple((c.id, c.patterns or {}) for c in codes)


def _coder_for(rules: tuple, lang: str) -> AutoCoder:
    from ..model import Code

    key = ("rules", repr(rules), lang)
    if key not in _CODERS:
        _CODERS[key] = AutoCoder([Code(code_id, patterns=patterns) for code_id, patterns in rules], lang)
    return _CODERS[key]


def _code_records(records, rules: tuple, unit: str, default_lang: str) -> list[tuple]:
    """Code a partition of ``(id, text, lang)`` records; plain tuples out, one per unit and code:
    (id, start, end, code, rules, matched, offsets)."""
    rows: list[tuple] = []
    by_lang: dict[str, list] = {}
    for doc_id, text, lang in records:
        lang = lang if lang in ("id", "en") else default_lang
        by_lang.setdefault(lang, []).append((doc_id, "" if text is None else str(text)))
    for lang, items in by_lang.items():
        coder = _coder_for(rules, lang)
        for (doc_id, _), units in zip(items, coder.match_texts([t for _, t in items], unit)):
            for start, end, matches in units:
                for code, mine in _by_code(matches):
                    rows.append((doc_id, start, end, code, [m.rule for m in mine], [m.text for m in mine],
                                 [[m.start, m.end] for m in mine]))
    return rows


CORPUS_COLUMNS = ["id", "start", "end", "code", "rules", "matched", "offsets"]


@renamed(lang="language", lang_column="language_column")
def autocode_frame(documents, codes, *, text_column: str = "text", id_column: str = "id",
                   language: str = "id", language_column: str | None = None, unit: str = "sentence",
                   engine: str = "local", partitions: int | None = None, scheduler=None) -> pd.DataFrame:
    """Code a table of documents without storing them in a project: one row per (document, unit,
    code) with the rules, matched words and their offsets.

    ``documents``: a pandas DataFrame, or with ``engine="dask"`` also a ``dask.bag.Bag`` of
    ``(id, text, lang)`` records.  The Dask engine runs the same coder on each partition through
    whatever Dask scheduler is active (a ``dask.distributed`` client, for a cluster) and gives the
    same rows as the local engine, in the same order.  ``scheduler``: the address of an existing
    Dask cluster's scheduler (``"tcp://10.0.0.5:8786"``, or a ``LocalCluster``'s
    ``scheduler_address``), connected to for this call only; by default the active scheduler (a
    ``dask.distributed.Client`` made earlier, else Dask's local threads).  Every worker needs
    somecode installed; each builds its pipeline once.  ``language`` is the documents' language
    (``id`` or ``en``), or ``language_column`` names a column giving each one's (others fall back
    to ``language``); ``lang=`` and ``lang_column=`` are their deprecated old names.
    """
    check_choice("language", language, LANGUAGES)
    check_choice("unit", unit, UNITS)
    check_choice("engine", engine, ENGINES)
    check_scheduler(engine, scheduler)
    lang, lang_column = language, language_column
    rules = _rules(codes)
    if isinstance(documents, pd.DataFrame):
        columns = list(documents.columns)
        check_choice("text_column", text_column, columns)
        check_choice("id_column", id_column, columns)
        if lang_column is not None:
            check_choice("language_column", lang_column, columns)
        langs = documents[lang_column] if lang_column else [lang] * len(documents)
        records = list(zip(documents[id_column], documents[text_column], langs))
    else:
        records = documents
    if engine == "local":
        rows = _code_records(records, rules, unit, lang)
    else:
        import dask.bag as db

        bag = records if isinstance(records, db.Bag) else db.from_sequence(
            records, npartitions=partitions or max(1, min(64, len(records) // 500)))
        rows = _compute(bag.map_partitions(_code_records, rules, unit, lang), scheduler)
    return pd.DataFrame(list(rows), columns=CORPUS_COLUMNS)


def check_scheduler(engine: str, scheduler) -> None:
    """Refuse a scheduler without the Dask engine, and one that is not an address (or a Client).

    >>> check_scheduler("dask", "tcp://10.0.0.5:8786")
    >>> check_scheduler("local", "tcp://10.0.0.5:8786")
    Traceback (most recent call last):
    somecode.errors.ValidationError: scheduler='tcp://10.0.0.5:8786' is a Dask scheduler's address: it needs engine='dask', not engine='local'. Fix: pass engine='dask', or leave scheduler= out
    """
    if scheduler is None:
        return
    if engine != "dask":
        raise ValidationError(f"scheduler={scheduler!r} is a Dask scheduler's address: it needs engine='dask', "
                              f"not engine={engine!r}. Fix: pass engine='dask', or leave scheduler= out")
    if not isinstance(scheduler, str) and not hasattr(scheduler, "submit"):
        raise ValidationError(f"scheduler={scheduler!r} is not a Dask scheduler's address. Fix: pass one such "
                              "as 'tcp://10.0.0.5:8786' (a LocalCluster's scheduler_address), or a "
                              "dask.distributed Client")


def _compute(graph, scheduler):
    """Compute a Dask collection on the scheduler at an address (for this call only), on a Client,
    or on the active scheduler."""
    if scheduler is None:
        return graph.compute()
    if isinstance(scheduler, str):
        from dask.distributed import Client

        with Client(scheduler, set_as_default=False) as client:
            return graph.compute(scheduler=client)
    return graph.compute(scheduler=scheduler)


@renamed(lang="language", lang_column="language_column")
def autocode_corpus(path, codes, *, text_column: str = "text", id_column: str = "id", engine: str = "local",
                    **options) -> pd.DataFrame:
    """Code a CSV (or, with pyarrow installed, Parquet) file of documents straight from disk,
    without storing its texts in a project (see :func:`autocode_frame`, which takes ``options``)."""
    check_choice("engine", engine, ENGINES)
    path = str(path)
    columns = _columns(path)
    check_choice("text_column", text_column, columns)
    check_choice("id_column", id_column, columns)
    wanted = [id_column, text_column]
    language_column = options.get("language_column")
    if language_column is not None:
        check_choice("language_column", language_column, columns)
        wanted.append(language_column)
    if path.endswith((".parquet", ".pq")):
        documents = pd.read_parquet(path, columns=wanted)  # needs pyarrow
    else:
        documents = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=wanted)
    return autocode_frame(documents, codes, text_column=text_column, id_column=id_column, engine=engine, **options)


def _columns(path: str) -> list[str]:
    """The column names of a CSV or Parquet file, read without reading its rows."""
    if path.endswith((".parquet", ".pq")):
        import pyarrow.parquet as pq  # needs pyarrow

        return list(pq.read_schema(path).names)
    return list(pd.read_csv(path, dtype=str, nrows=0).columns)
