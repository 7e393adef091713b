"""A small, safe query language over case attributes: the ``where=`` of sets and analyses.

A query is a comparison of an attribute with a literal, or comparisons joined with ``and``,
``or``, ``not`` and parentheses::

    role == 'staff'
    role != 'staff' and age >= 30
    region in ['Jawa', 'Bali'] or not (joined < '2020-01-01')
    `years in post` > 5          (backticks around a name with spaces)

Operators: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in [...]``, ``not in [...]``.
Literals: text in single or double quotes, numbers, ``true``/``false``.  Names are case
attributes, or ``id`` and ``name`` of the case.  Nothing else is read: the text is parsed
here, never handed to Python's ``eval``.  A mapping is the same as ``==`` (``in`` for a list)
joined by ``and``: ``{"role": "staff", "region": ["Jawa", "Bali"]}``.

Semantics: a case without a value for an attribute matches no comparison on it (not even
``!=``, and not ``not role == 'staff'`` either: such a comparison is *unknown*, and ``and``,
``or`` and ``not`` follow SQL's three-valued logic, selecting a case only when the whole query is
true); numbers compare as numbers, dates (ISO ``YYYY-MM-DD`` text) as dates; text is compared as
written, capitals included.  With declared attributes
(:func:`somecode.project.attributes.define_attribute`) a literal of the wrong type, or a
category that is not allowed, is an error; a date literal is read as a date
(``'20240301'`` is ``'2024-03-01'``).

A query that could only select nothing because of a value is an error, not an empty result: on an
undeclared (or text) attribute, text that no case holds with ``==`` or ``!=`` (a typo, or other
capitals: the message suggests the value held), a list after ``in`` or ``not in`` of which no case
holds any value, or one that is nearly a value held (``['Jawa', 'Bail']``), and a literal of a
type no value held has (``age >= 30`` when ages are held as text ``'34'``: declare the attribute
a number, which turns them into numbers; somecode does not guess).  ``not`` and parentheses nest
at most :data:`MAX_DEPTH` deep.

>>> cases = {"a": {"role": "staff", "age": 34}, "b": {"role": "deputy", "age": 51}, "c": {"role": "staff"}}
>>> matching("role == 'staff' and age < 40", cases)
['a']
>>> matching({"role": ["staff", "deputy"]}, cases)
['a', 'b', 'c']
>>> matching("rol == 'staff'", cases)
Traceback (most recent call last):
...
somecode.errors.ValidationError: where="rol == 'staff'": no case attribute 'rol' (did you mean 'role'?); the cases have 'age', 'id', 'name', 'role'
>>> matching("role == 'Staff'", cases)
Traceback (most recent call last):
...
somecode.errors.ValidationError: where="role == 'Staff'": no case has role 'Staff' (did you mean 'staff'? values are compared as written, capitals included); the values held are 'deputy', 'staff'
>>> matching("not age > 40", cases)             # 'c' has no age: unknown, not selected
['a']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..errors import ValidationError
from ..vocabulary import did_you_mean

__all__ = ["Query", "parse_query", "matching", "held_values", "query_text", "OPERATORS", "MAX_DEPTH"]

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
_TOKEN = re.compile(r"""\s*(?:(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?(?![\w.]))"""
                    r"""|(?P<op>==|!=|<=|>=|<|>)|(?P<punct>[()\[\],])|(?P<quoted>`[^`]+`)"""
                    r"""|(?P<word>[^\W\d][\w.\-]*))""")
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_FIX = ("write comparisons such as role == 'staff', age >= 30, region in ['Jawa', 'Bali'], joined with "
        "and / or / not")


@dataclass(frozen=True)
class Query:
    """A parsed query: its text, the attribute names it uses, and the test of one case's attributes."""

    text: str
    names: tuple[str, ...]
    test: Callable[[Mapping[str, Any]], bool | None]

    def __call__(self, attrs: Mapping[str, Any]) -> bool:
        return self.test(attrs) is True


def query_text(where: str | Mapping[str, Any]) -> str:
    """The text of a query given as text or as a mapping (``{"role": "staff"}`` -> ``role == 'staff'``)."""
    if isinstance(where, str):
        return where
    if not isinstance(where, Mapping) or not where:
        raise ValidationError(f"where={where!r}: give a query such as \"role == 'staff'\" or a mapping "
                              "{attribute: value or [values]}")
    parts = []
    for name, value in where.items():
        shown = f"`{name}`" if not re.fullmatch(r"[^\W\d][\w.\-]*", str(name)) else str(name)
        if isinstance(value, (list, tuple, set, frozenset)):
            parts.append(f"{shown} in [{', '.join(_literal(v) for v in value)}]")
        else:
            parts.append(f"{shown} == {_literal(value)}")
    return " and ".join(parts)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    """``(kind, value, position)`` of every token; anything else is a syntax error."""
    found: list[tuple[str, Any, int]] = []
    at = 0
    text = text.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            if text[at:].lstrip().startswith("="):
                raise _syntax(text, at, "'=' is not a comparison: write == (role == 'staff')")
            raise _syntax(text, at, f"cannot read {text[at:at + 12].strip()!r}")
        kind = match.lastgroup
        raw = match.group(kind)  # type: ignore[arg-type]
        start = match.start(kind)  # type: ignore[arg-type]
        if kind == "string":
            found.append(("literal", re.sub(r"\\(.)", r"\1", raw[1:-1]), start))
        elif kind == "number":
            found.append(("literal", float(raw) if "." in raw else int(raw), start))
        elif kind == "quoted":
            found.append(("name", raw[1:-1], start))
        elif kind == "word" and raw.lower() in _KEYWORDS:
            word = raw.lower()
            found.append(("literal", word == "true", start) if word in ("true", "false") else (word, word, start))
        elif kind == "word":
            found.append(("name", raw, start))
        else:
            found.append((raw, raw, start))
        at = match.end()
    found.append(("end", None, len(text)))
    return found


def _syntax(text: str, at: int, problem: str) -> ValidationError:
    shown = text if len(text) <= 200 else text[:100] + " ... " + text[-60:]
    return ValidationError(f"where={shown!r}, character {at + 1}: {problem} (fix: {_FIX})")


# how deep ``not`` and parentheses may nest: a query is written by a person, and a deeper one is a mistake
MAX_DEPTH = 50


class _Parser:
    def __init__(self, text: str, check: Callable[[str, str, list[Any]], list[Any]]):
        self.text, self.check = text, check
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0
        self.names: list[str] = []

    def peek(self) -> tuple[str, Any, int]:
        return self.tokens[self.at]

    def take(self, *kinds: str) -> tuple[str, Any, int]:
        token = self.peek()
        if token[0] not in kinds:
            shown = "the end" if token[0] == "end" else repr(str(token[1]))
            raise _syntax(self.text, token[2], f"expected {' or '.join(kinds)}, found {shown}")
        self.at += 1
        return token

    def either(self) -> _Test:
        parts = [self.both()]
        while self.peek()[0] == "or":
            self.at += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else _any(parts)

    def both(self) -> _Test:
        parts = [self.negation()]
        while self.peek()[0] == "and":
            self.at += 1
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else _all(parts)

    def negation(self) -> _Test:
        kind, _, at = self.peek()
        if kind not in ("not", "("):
            return self.comparison()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _syntax(self.text, at, f"'not' and parentheses nest more than {MAX_DEPTH} deep; write the "
                                         "query more simply")
        self.at += 1
        if kind == "not":
            inner = self.negation()
            self.depth -= 1
            return _negated(inner)
        inner = self.either()
        self.take(")")
        self.depth -= 1
        return inner

    def comparison(self) -> _Test:
        _, name, _ = self.take("name")
        self.names.append(name)
        kind, op, at = self.peek()
        if kind == "not":
            self.at += 1
            self.take("in")
            op = "not in"
        elif kind in ("in", "==", "!=", "<", "<=", ">", ">="):
            self.at += 1
        else:
            shown = "the end" if kind == "end" else repr(str(op))
            raise _syntax(self.text, at, f"expected one of {', '.join(OPERATORS)} after {name!r}, found {shown}")
        if op in ("in", "not in"):
            self.take("[", "(")
            values = [self.take("literal")[1]]
            while self.peek()[0] == ",":
                self.at += 1
                values.append(self.take("literal")[1])
            self.take("]", ")")
            return _member(name, self.check(name, op, values), op == "not in")
        return _compare(name, op, self.check(name, op, [self.take("literal")[1]])[0])


# A test gives True, False or None (unknown: the case has no value for an attribute compared), and
# ``and``, ``or`` and ``not`` follow the three-valued logic of SQL; only True selects a case.
_Test = Callable[[Mapping[str, Any]], "bool | None"]


def _negated(inner: _Test) -> _Test:
    def test(attrs: Mapping[str, Any]) -> bool | None:
        found = inner(attrs)
        return None if found is None else not found
    return test


def _all(parts: list[_Test]) -> _Test:
    def test(attrs: Mapping[str, Any]) -> bool | None:
        found = [part(attrs) for part in parts]
        return False if False in found else None if None in found else True
    return test


def _any(parts: list[_Test]) -> _Test:
    def test(attrs: Mapping[str, Any]) -> bool | None:
        found = [part(attrs) for part in parts]
        return True if True in found else None if None in found else False
    return test


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    return (isinstance(a, numbers) and not isinstance(a, bool) and isinstance(b, numbers)
            and not isinstance(b, bool)) or (isinstance(a, str) and isinstance(b, str))


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    return _comparable(a, b) and a == b


_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _compare(name: str, op: str, value: Any) -> _Test:
    def test(attrs: Mapping[str, Any]) -> bool | None:
        held = attrs.get(name)
        if held is None:
            return None
        if op == "==":
            return _equal(held, value)
        if op == "!=":
            return not _equal(held, value)
        return _comparable(held, value) and not isinstance(held, bool) and _ORDER[op](held, value)
    return test


def _member(name: str, values: list[Any], negated: bool) -> _Test:
    def test(attrs: Mapping[str, Any]) -> bool | None:
        held = attrs.get(name)
        if held is None:
            return None
        return any(_equal(held, v) for v in values) != negated
    return test


def parse_query(where: str | Mapping[str, Any], known: Sequence[str],
                declared: Mapping[str, tuple[str, Sequence[str]]] | None = None,
                held: Mapping[str, Sequence[Any]] | None = None) -> Query:
    """Parse a query over the attributes ``known`` (names; ``declared`` maps a declared attribute to
    its type and categories, to check the literals).  With ``held`` (each name -> the values the
    cases hold), a comparison that could match no case because of its value is refused: text no
    case holds, or a literal of a type none of the values has.  Every problem is a
    :class:`ValidationError`."""
    text = query_text(where)
    declared = declared or {}
    names = sorted(set(known) | set(declared) | {"id", "name"})

    def check(name: str, op: str, values: list[Any]) -> list[Any]:
        if name not in names:
            raise ValidationError(f"where={text!r}: no case attribute {name!r}{did_you_mean(name, names)}; the "
                                  f"cases have {', '.join(map(repr, names))}")
        kind, categories = declared.get(name, ("", ()))
        values = [_typed_literal(text, name, op, value, kind, categories) for value in values]
        if held is not None and kind in ("", "text"):
            _check_held(text, name, op, values, [v for v in held.get(name, ()) if v is not None])
        return values

    parser = _Parser(text, check)
    if parser.peek()[0] == "end":
        raise _syntax(text, 0, "the query is empty")
    test = parser.either()
    parser.take("end")
    return Query(text, tuple(dict.fromkeys(parser.names)), test)


def _reads_as_number(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*", value) is not None


def _listing(values: Sequence[Any], limit: int = 12) -> str:
    shown = ", ".join(map(repr, values[:limit]))
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _check_held(text: str, name: str, op: str, literals: list[Any], values: list[Any]) -> None:
    """Refuse a comparison of an undeclared (or text) attribute with ``literals`` that no case could
    match because of them: numbers held as text compared with a number, a literal of a type no value
    has, text that no case holds (``==``, ``!=``), a list of which no case holds any (``in``,
    ``not in``) or that names one only in other capitals or nearly (a typo)."""
    for value in literals:
        _check_type(text, name, op, value, values)
    if op not in ("==", "!=", "in", "not in"):
        return
    texts = sorted({v for v in values if isinstance(v, str)})
    missing = [v for v in literals if isinstance(v, str) and v not in texts]
    for value in missing:
        same = [t for t in texts if t.casefold() == value.casefold()]
        hint = (f" (did you mean {same[0]!r}? values are compared as written, capitals included)" if same
                else did_you_mean(value, texts))
        if hint or len(missing) == len(literals):
            held_now = f"the values held are {_listing(texts)}" if texts else f"no case holds a value of {name!r} yet"
            raise ValidationError(f"where={text!r}: no case has {name} {value!r}{hint}; {held_now}")


def _check_type(text: str, name: str, op: str, value: Any, values: list[Any]) -> None:
    def same_type(v: Any) -> bool:
        return _comparable(v, value) or (isinstance(v, bool) and isinstance(value, bool))

    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    as_text = [v for v in values if _reads_as_number(v)]
    if number and as_text:
        raise ValidationError(f"where={text!r}: {name!r} holds text {as_text[0]!r}, not the number "
                              f"{as_text[0].strip()}, so {name} {op} {value!r} would leave such cases out (fix: "
                              f"declare it a number with project.define_attribute({name!r}, type='number'), "
                              "which turns the numbers held as text into numbers)")
    if values and not any(same_type(v) for v in values):
        kinds = sorted({"text" if isinstance(v, str) else "true/false" if isinstance(v, bool) else "numbers"
                        if isinstance(v, (int, float)) else type(v).__name__ for v in values})
        raise ValidationError(f"where={text!r}: {name!r} holds {' and '.join(kinds)} "
                              f"({_listing(list(dict.fromkeys(values)), 3)}), "
                              f"never equal to or ordered with {value!r}, so the comparison would match no case "
                              f"(fix: compare it with a value like {values[0]!r})")


def _typed_literal(text: str, name: str, op: str, value: Any, kind: str, categories: Sequence[str]) -> Any:
    """A literal checked against a declared attribute's type (undeclared: as written)."""
    def wrong(expected: str) -> ValidationError:
        return ValidationError(f"where={text!r}: {name!r} is a {kind} attribute, so compare it with {expected}, "
                               f"not {value!r}")

    ordered = op in _ORDER
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong("a number (age >= 30)")
    elif kind == "date":
        try:  # held as YYYY-MM-DD, so '20240301' is compared as '2024-03-01'
            value = dt.date.fromisoformat(value.strip()).isoformat() if isinstance(value, str) else None
        except ValueError:
            value = None
        if not isinstance(value, str):
            raise wrong("a date in quotes, written YYYY-MM-DD ('2024-03-01')")
    elif kind in ("text", "category"):
        if ordered:
            raise ValidationError(f"where={text!r}: {name!r} is a {kind} attribute: compare it with ==, != or in, "
                                  f"not {op}")
        if kind == "category" and value not in categories:
            raise ValidationError(f"where={text!r}: {value!r} is not a category of {name!r}"
                                  f"{did_you_mean(value, categories)}; its categories are "
                                  f"{', '.join(map(repr, categories))}")
        if kind == "text" and not isinstance(value, str):
            value = str(value)
    return value


def matching(where: str | Mapping[str, Any], cases: Mapping[str, Mapping[str, Any]],
             declared: Mapping[str, tuple[str, Sequence[str]]] | None = None,
             names: Mapping[str, str] | None = None, *, strict: bool = True) -> list[str]:
    """The ids of ``cases`` (id -> attributes; ``names``: id -> display name) that ``where`` selects,
    in the order given.  ``strict`` (the default) refuses a comparison that could match none of
    these cases because of its value (see :func:`parse_query`); a set's stored query is evaluated
    with ``strict=False``, as it was checked when the set was made."""
    names = names or {}
    rows = [{**attrs, "id": case, "name": names.get(case, attrs.get("name", case))} for case, attrs in cases.items()]
    known = sorted({k for attrs in cases.values() for k in attrs})
    held = held_values(rows) if strict else None
    query = parse_query(where, known, declared, held)
    return [case for case, attrs in zip(cases, rows) if query(attrs)]


def held_values(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Each attribute -> the values ``rows`` (the cases' attributes) hold, for :func:`parse_query`."""
    held: dict[str, list[Any]] = {}
    for attrs in rows:
        for key, value in attrs.items():
            if value is not None and isinstance(value, (str, int, float, bool)):
                held.setdefault(key, []).append(value)
    return held
