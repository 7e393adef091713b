"""Typed case attributes: declaring an attribute (text, number, date or category) and checking every
value a case gets against it.

Cases are the project's informants (people interviewed, survey respondents, organisations added with
:meth:`Project.add_informant`); their attributes live in ``Informant.attrs``.  An attribute need not
be declared; a declared one is checked wherever a value is set (:func:`set_attributes`,
:meth:`Project.add_informant`, a transcript's front matter, a classification sheet) and the
value is stored in its type's one form: numbers as numbers, dates as ``YYYY-MM-DD`` text.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_informant(somecode.Informant("ani", "Ani"))
>>> p.define_attribute("role", type="category", categories=["staff", "deputy"])
>>> p.define_attribute("age", type="number")
>>> p.set_attributes("ani", role="staff", age="34").attrs
{'age': 34, 'role': 'staff'}
>>> p.set_attributes("ani", role="staf")
Traceback (most recent call last):
...
somecode.errors.ValidationError: case 'ani', attribute 'role': 'staf' is not one of its categories 'staff', 'deputy' (did you mean 'staff'?); nothing was changed
>>> p.attributes()[["name", "type", "categories", "cases"]].values.tolist()
[['role', 'category', ['staff', 'deputy'], 1], ['age', 'number', [], 1]]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pandas as pd

from .. import store as db
from ..errors import ValidationError
from ..model import Informant
from ..vocabulary import check_choice, did_you_mean, unknown
from .history import operation

if TYPE_CHECKING:
    from .facade import Project

__all__ = ["define_attribute", "delete_attribute", "attributes", "declared", "set_attributes", "typed_value",
           "checked_attrs", "ATTRIBUTE_TYPES"]

ATTRIBUTE_TYPES = ("text", "number", "date", "category")
_INTEGER = re.compile(r"[-+]?\d+\Z")
_DECIMAL = re.compile(r"[-+]?\d*\.\d+\Z")


def declared(project: Project) -> dict[str, tuple[str, list[str]]]:
    """Each declared attribute -> ``(type, categories)``, in the order declared."""
    return {name: (kind, categories) for name, kind, categories in db.attributes.attribute_rows(project.store)}


def typed_value(value: Any, kind: str, categories: Sequence[str] = ()) -> Any:
    """``value`` in the one form of an attribute type; :class:`ValueError` (saying what was
    expected) when it does not fit.

    >>> typed_value("1.5", "number"), typed_value(dt.date(2024, 3, 1), "date"), typed_value(7, "text")
    (1.5, '2024-03-01', '7')
    """
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
            return value
        text = str(value).strip() if isinstance(value, str) else None
        if text is not None and _INTEGER.match(text):
            return int(text)
        if text is not None and _DECIMAL.match(text):
            return float(text)
        raise ValueError("a number")
    if kind == "date":
        if isinstance(value, dt.datetime):  # a date attribute holds days: a time of day would be lost or kept as text
            if value.time() != dt.time() or value.tzinfo is not None:
                raise ValueError(f"a date without a time of day (give {value.date().isoformat()!r} or "
                                 "value.date(), or declare a text attribute to keep the time)")
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise ValueError("a date written YYYY-MM-DD")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("text" if kind == "text" else f"one of its categories {', '.join(map(repr, categories))}")
    text = value.strip() if isinstance(value, str) else str(value)
    if kind == "category" and text not in categories:
        raise ValueError(f"one of its categories {', '.join(map(repr, categories))}{did_you_mean(text, categories)}")
    return text


def _problem(case: str, name: str, value: Any, expected: str) -> str:
    return f"case {case!r}, attribute {name!r}: {value!r} is not {expected}"


def checked_attrs(project: Project, case: str, attrs: Mapping[str, Any],
                  types: Mapping[str, tuple[str, list[str]]] | None = None) -> dict[str, Any]:
    """``attrs`` with each declared attribute's value in its type's form; every value that does not fit
    is reported at once in a :class:`ValidationError` naming the case, the attribute, the value and
    the type expected."""
    types = declared(project) if types is None else types
    out, problems = {}, []
    for name, value in attrs.items():
        if name in types and value is not None:
            kind, categories = types[name]
            try:
                value = typed_value(value, kind, categories)
            except ValueError as err:
                problems.append(_problem(case, name, value, str(err)))
        out[name] = value
    if len(problems) == 1:
        raise ValidationError(f"{problems[0]}; nothing was changed")
    if problems:
        raise ValidationError(f"{len(problems)} attribute values do not fit their declared types; nothing was "
                              "changed", problems)
    return out


def define_attribute(project: Project, name: str, *, type: str = "text", categories: Iterable[str] | None = None,
                     by: str = "") -> None:
    """Declare a case attribute: ``type`` one of ``text``, ``number``, ``date`` (``YYYY-MM-DD``) or
    ``category`` (with its ``categories``, in the order tables show them).  Declaring it again
    changes its type.  The values cases hold already must fit (numbers written as text become
    numbers); if any does not, every one is reported and nothing changes.  One undoable operation."""
    check_choice("type", type, ATTRIBUTE_TYPES)
    if not isinstance(name, str) or not name.strip() or name in ("id", "name"):
        raise ValidationError(f"attribute name {name!r}: give a non-empty name other than 'id' and 'name'")
    if isinstance(categories, (str, bytes)) or (categories is not None and not isinstance(categories, Iterable)):
        raise ValidationError(f"attribute {name!r}: categories={categories!r} is not a list of categories "
                              "(fix: categories=['staff', 'deputy', ...])")
    allowed = [str(c) for c in (categories or [])]
    if type == "category" and not allowed:
        raise ValidationError(f"attribute {name!r}: a category attribute needs its categories "
                              "(fix: categories=['staff', 'deputy', ...])")
    if type != "category" and allowed:
        raise ValidationError(f"attribute {name!r}: categories= is for type='category', not {type!r} "
                              "(fix: leave categories= out, or pass type='category')")
    if len(set(allowed)) != len(allowed):
        raise ValidationError(f"attribute {name!r}: categories {allowed!r} name a category more than once")
    types = {**declared(project), name: (type, allowed)}
    problems, changed = [], {}
    for case in project.informants():
        try:
            attrs = checked_attrs(project, case.id, {name: case.attrs[name]} if name in case.attrs else {}, types)
        except ValidationError as err:
            problems += err.problems or [str(err).removesuffix("; nothing was changed")]
            continue
        new, old = attrs.get(name), case.attrs.get(name)
        if new != old or new.__class__ is not old.__class__:  # "34" held as text becomes 34
            changed[case.id] = {**case.attrs, **attrs}
    if problems:
        raise ValidationError(f"attribute {name!r} cannot be declared a {type} attribute: "
                              f"{len(problems)} value(s) held by cases do not fit; nothing was changed "
                              "(fix: correct them with project.set_attributes(...), or choose another type)",
                              problems)
    with operation(project, "define_attribute", {"name": name, "type": type, "categories": allowed}, by):
        db.attributes.set_attribute(project.store, name, type, allowed)
        for case_id, attrs in changed.items():
            db.sources.set_informant_attrs(project.store, case_id, attrs)


def delete_attribute(project: Project, name: str, *, by: str = "") -> None:
    """Remove an attribute's declaration (the values cases hold stay, unchecked from now on)."""
    known = list(declared(project))
    if name not in known:
        raise unknown("declared attribute", name, known)
    with operation(project, "delete_attribute", {"name": name}, by):
        db.attributes.delete_attribute(project.store, name)


def attributes(project: Project) -> pd.DataFrame:
    """Every case attribute, declared ones first (in the order declared), then those cases hold
    without a declaration: name, type (``None`` if undeclared), categories, and how many cases
    have a value."""
    types = declared(project)
    people = project.informants()
    held = sorted({k for i in people for k in i.attrs} - set(types))
    rows = [(name, *types.get(name, (None, [])), sum(name in i.attrs for i in people)) for name in [*types, *held]]
    frame = pd.DataFrame(rows, columns=["name", "type", "categories", "cases"])
    return frame.assign(type=pd.Series([r[1] for r in rows], index=frame.index, dtype=object))  # None: undeclared


def set_attributes(project: Project, case: str, values: Mapping[str, Any] | None = None, /, *, by: str = "",
                   **more: Any) -> Informant:
    """Set attributes of one case (an informant id): ``set_attributes("ani", role="staff")`` or a
    mapping, for names that are not Python words; ``None`` removes a value.  Declared
    attributes are checked (the error names the case, the attribute, the value and the type
    expected; nothing changes).  One undoable operation; returns the case as it is now."""
    if values is not None and not isinstance(values, Mapping):
        raise ValidationError(f"set_attributes({case!r}, {values!r}): give the values as name=value, or as a "
                              "mapping {name: value} (fix: project.set_attributes('ani', {'years in post': 3}))")
    given = {**(values or {}), **more}
    bad = [k for k in given if not isinstance(k, str) or not k.strip() or k in ("id", "name")]
    if bad:
        raise ValidationError(f"case {case!r}: attribute name(s) {', '.join(map(repr, bad))} are not allowed: an "
                              "attribute is named by non-empty text other than 'id' and 'name'; nothing was changed")
    people = {i.id: i for i in project.informants()}
    if case not in people:
        raise unknown("case (informant)", case, list(people), fix="add it with project.add_informant(...)")
    attrs = checked_attrs(project, case, {k: v for k, v in given.items() if v is not None})
    new = {k: v for k, v in {**people[case].attrs, **attrs}.items() if given.get(k, v) is not None}
    if new != dict(people[case].attrs):
        with operation(project, "set_attributes", {"case": case, "values": sorted(given)}, by):
            db.sources.set_informant_attrs(project.store, case, new)
    return Informant(case, people[case].name, db.sources.informant_attrs(project.store, case) or {})
