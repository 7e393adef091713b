"""Reading a YAML codebook with every value's line and column, and checking it.

Every problem found is reported at once, each as ``file, line L, column C: what``.
Unknown keys are warnings, not errors.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Hashable
from typing import Any, Mapping

import yaml

from ..errors import SomecodeWarning, ValidationError
from ..model import Code
from ..sources.yamlsafe import LimitedLoader, load_yaml_with

__all__ = ["read_yaml", "codes_from_mapping", "CODE_KEYS", "BOOK_KEYS"]

CODE_KEYS = ("id", "parent", "label", "color", "definition", "include", "exclude", "examples",
             "patterns", "children", "attrs")
BOOK_KEYS = ("codebook", "title", "languages", "levels", "description", "codes")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*\Z")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}\Z")


class Located(dict):
    """A YAML mapping that remembers where it and each of its keys' values start."""

    where: tuple[int, int] = (0, 0)
    places: dict


class _Loader(LimitedLoader):
    """The limited safe loader (aliases, depth, size: :mod:`somecode.sources.yamlsafe`), keeping places."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[Any, Any]] = []


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    result = Located()
    result.where = (node.start_mark.line + 1, node.start_mark.column + 1)
    result.places = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                "found a list or mapping used as a key; keys must be plain values", key_node.start_mark)
        if key in result:
            loader.duplicates.append((key, key_node.start_mark))
        result[key] = loader.construct_object(value_node, deep=True)
        result.places[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(text: str, path) -> tuple[Any, list[str]]:
    """Parse YAML keeping positions; return ``(data, problems with duplicate keys)``.

    The limits on size, nesting and aliases of :mod:`somecode.sources.yamlsafe` apply.
    """
    data, loader = load_yaml_with(_Loader, text, path)
    problems = [f"{path}, line {m.line + 1}, column {m.column + 1}: duplicate key {k!r}"
                for k, m in loader.duplicates]
    return data, problems


class _Report:
    """Collects problems and warnings, each with its place in the file."""

    def __init__(self, path):
        self.path, self.problems, self.warnings = str(path), [], []

    def at(self, mapping: Mapping, key: str | None = None) -> str:
        places = getattr(mapping, "places", {})
        line, column = places[key] if key in places else getattr(mapping, "where", (0, 0))
        return f"{self.path}, line {line}, column {column}" if line else self.path

    def problem(self, mapping, key, message):
        self.problems.append(f"{self.at(mapping, key)}: {message}")

    def warn(self, mapping, key, message):
        self.warnings.append(f"{self.at(mapping, key)}: {message}")


def codes_from_mapping(data: Any, path="<codebook>") -> tuple[dict, list[Code]]:
    """The codebook's header and its codes, or a :class:`ValidationError` listing every problem."""
    report = _Report(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("codes"), list):
        raise ValidationError(f"{path}: a codebook is a mapping with a 'codes' list",
                              [f"{report.at(data if isinstance(data, Mapping) else {})}: "
                               "no 'codes' list found"])
    for key in data:
        if key not in BOOK_KEYS:
            report.warn(data, key, f"unknown key {key!r} (known: {', '.join(BOOK_KEYS)})")
    languages = data.get("languages") or ["en"]
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        report.problem(data, "languages", "'languages' must be a list such as [en, id]")
        languages = ["en"]
    levels = data.get("levels") or []
    if not isinstance(levels, list) or not all(isinstance(x, str) and x.strip() for x in levels) \
            or len(set(levels)) != len(levels):
        report.problem(data, "levels", "'levels' names the codebook's depths, top first, each once, "
                                       "such as [theme, sub-theme]")
        levels = []
    entries: list[tuple[Mapping, str | None]] = []
    _flatten(data["codes"], None, entries, report, data)
    codes = [c for c in (_code(entry, parent, languages, report) for entry, parent in entries) if c]
    _check_tree(codes, entries, report)
    for message in report.warnings:
        warnings.warn(message, SomecodeWarning, stacklevel=3)
    if report.problems:
        raise ValidationError(f"{path}: {len(report.problems)} problem(s) in the codebook",
                              report.problems)
    header = {k: data[k] for k in BOOK_KEYS if k in data and k != "codes"}
    header["languages"] = list(languages)
    header["levels"] = [x.strip() for x in levels]
    return header, codes


def _flatten(items, parent, entries, report, owner) -> None:
    if not isinstance(items, list):
        report.problem(owner, "children" if parent else "codes", "expected a list of codes")
        return
    for item in items:
        if not isinstance(item, Mapping):
            report.problem(owner, "children" if parent else "codes", f"a code must be a mapping, not {item!r}")
            continue
        entries.append((item, item.get("parent", parent)))
        if "children" in item:
            _flatten(item["children"], item.get("id"), entries, report, item)


def _code(entry: Mapping, parent, languages, report) -> Code | None:
    bad = len(report.problems)
    for key in entry:
        if key not in CODE_KEYS:
            report.warn(entry, key, f"unknown key {key!r} in code {entry.get('id')!r}")
    code_id = entry.get("id")
    if code_id is None:
        report.problem(entry, None, "missing required field 'id'")
    elif not isinstance(code_id, str) or not _ID.match(code_id):
        report.problem(entry, "id", f"code id {_short(code_id)} is not valid (letters, digits, . _ - :)")
    if parent is not None and not (isinstance(parent, str) and _ID.match(parent)):
        report.problem(entry, "parent" if "parent" in entry else None,
                       f"code {_short(code_id)}: parent {_short(parent)} is not a code id")
    attrs = entry.get("attrs")
    if attrs is not None and not isinstance(attrs, Mapping):
        report.problem(entry, "attrs", f"code {_short(code_id)}: attrs must be a mapping of names to values")
    labels = entry.get("label")
    if labels is None:
        report.problem(entry, None, f"code {code_id!r}: missing required field 'label'")
        labels = {}
    elif isinstance(labels, str):
        labels = {languages[0]: labels}
    elif not isinstance(labels, Mapping):
        report.problem(entry, "label", f"code {code_id!r}: label must be text or a mapping of language to text")
        labels = {}
    for language in languages:
        if labels and not labels.get(language):
            report.problem(entry, "label", f"code {code_id!r}: missing required field 'label.{language}'")
    color = entry.get("color")
    if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
        report.problem(entry, "color", f"code {code_id!r}: colour {color!r} is not of the form #RRGGBB")
    examples = _examples(entry, code_id, report)
    patterns = _patterns(entry, code_id, report)
    if len(report.problems) > bad or not isinstance(code_id, str):
        return None
    return Code(code_id, parent, str(labels.get(languages[0]) or code_id),
                {str(k): str(v) for k, v in labels.items()}, color,
                _text(entry.get("definition")), _plain(entry.get("attrs") or {}),
                _text(entry.get("include")), _text(entry.get("exclude")), examples, patterns)


def _short(value) -> str:
    """A value for a message: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(value):
    """Positions are for checking only: hand out plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _examples(entry, code_id, report) -> tuple:
    examples = entry.get("examples") or []
    out = []
    for example in examples if isinstance(examples, list) else [None]:
        if isinstance(example, str):
            example = {"quote": example}
        if not isinstance(example, Mapping) or not example.get("quote"):
            report.problem(entry, "examples", f"code {code_id!r}: each example needs a 'quote'")
            continue
        out.append({k: _text(v) for k, v in example.items()})
    return tuple(out)


def _patterns(entry, code_id, report) -> dict:
    patterns = entry.get("patterns") or {}
    if not isinstance(patterns, Mapping):
        report.problem(entry, "patterns", f"code {code_id!r}: patterns must map a language to phrases/tokens")
        return {}
    out = {}
    for language, spec in patterns.items():
        spec = {"phrases": spec} if isinstance(spec, list) else spec
        if not isinstance(spec, Mapping):
            report.problem(patterns, language, f"code {code_id!r}: patterns.{language} must be a mapping")
            continue
        phrases = spec.get("phrases") or []
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            report.problem(spec, "phrases", f"code {code_id!r}: patterns.{language}.phrases must be "
                           "a list of non-empty phrases")
        tokens = spec.get("tokens") or []
        problem = _token_problem(tokens)
        if problem:
            report.problem(spec, "tokens", f"code {code_id!r}: patterns.{language}.tokens: {problem}")
        out[str(language)] = _plain({k: v for k, v in {
            "phrases": phrases, "tokens": tokens, "exclude": spec.get("exclude") or []}.items() if v})
    return out


def _token_problem(tokens) -> str | None:
    """Check spaCy Matcher token patterns with spaCy's own validator."""
    if not tokens:
        return None
    if not isinstance(tokens, list) or not all(isinstance(p, list) and p for p in tokens):
        return "expected a list of token patterns, each a non-empty list of token specs"
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    try:
        Matcher(Vocab(), validate=True).add("check", tokens)
    except Exception as err:  # spaCy raises ValueError or MatchPatternError with its reasons
        return " ".join(str(err).split())[:300]
    return None


def _check_tree(codes: list[Code], entries, report) -> None:
    # Ids and parents that are not text (a list, a mapping) are reported by _code already.
    entries = [(e, p) for e, p in entries if isinstance(e.get("id"), str) and (p is None or isinstance(p, str))]
    where: dict[Any, Any] = {}
    for entry, _ in entries:
        code_id = entry.get("id")
        if code_id in where:
            report.problem(entry, "id", f"duplicate code id {code_id!r} (first at line {where[code_id][0]})")
        else:
            where[code_id] = getattr(entry, "where", (0, 0))
    by_entry = {e.get("id"): e for e, _ in entries}
    parents = {e.get("id"): p for e, p in entries}
    for code_id, parent in parents.items():
        if parent is not None and parent not in parents:
            report.problem(by_entry[code_id], "parent", f"code {code_id!r}: unknown parent {parent!r}")
    for code_id in parents:
        seen, current = [code_id], parents.get(code_id)
        while current is not None and current in parents:
            if current in seen:
                loop = seen[seen.index(current):]
                if current == code_id and code_id == min(loop):  # report each cycle once
                    cycle = " -> ".join(loop + [current])
                    report.problem(by_entry[code_id], "parent", f"codes form a cycle: {cycle}")
                break
            seen.append(current)
            current = parents.get(current)
