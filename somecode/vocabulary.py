"""One vocabulary for arguments, checked: a bad choice is an error that names the argument, the
value, the valid choices and the closest one, never a quietly different answer.

The words, the same everywhere:

- ``level=``: codebook depth, ``"stage"`` (top-level codes) or ``"code"`` (every code);
- ``scale=``: an agreement measurement scale, nominal, ordinal, interval or ratio;
- ``by=``: the person acting (who assesses, who accepts suggestions);
- ``language=``: a text's language (``"id"``, ``"en"``);
- ``coders=``: whose codings to use (keyword, an id or a list of ids).

>>> check_choice("level", "codes", ("stage", "code"))
Traceback (most recent call last):
...
somecode.errors.ValidationError: level='codes' is not one of 'stage', 'code' (did you mean 'code'?)
>>> closest("optimise", ["optimize", "share"])
'optimize'
>>> check_level(2, max_depth=3)
2
"""

from __future__ import annotations

import difflib
import functools
import warnings
from typing import TYPE_CHECKING, Iterable, Sequence

from .errors import NotFoundError, ValidationError
from .model import STATUSES

if TYPE_CHECKING:
    from .project import Project

__all__ = ["closest", "check_choice", "did_you_mean", "unknown", "check_level", "check_ids",
           "check_coders", "renamed", "old_name", "keyword_only", "LEVELS", "STATUS_FILTERS"]

LEVELS = ("stage", "code")
STATUS_FILTERS = (*STATUSES, None)  # a ``status=`` filter: one coding status, or None for all


def closest(value: object, choices: Iterable[object]) -> str | None:
    """The choice most like ``value`` (close enough to be a likely typo), or ``None``."""
    names = [str(c) for c in choices]
    text = str(value)
    found = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    if not found:
        found = [n for n in names if n.lower() == text.lower() or n.startswith(text) or text.startswith(n)][:1]
    return found[0] if found else None


def did_you_mean(value: object, choices: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``value``, else an empty string."""
    near = closest(value, choices)
    return f" (did you mean {near!r}?)" if near is not None else ""


def _listed(choices: Sequence[object], limit: int = 30) -> str:
    shown = ", ".join(repr(c) for c in list(choices)[:limit])
    return shown + (f" and {len(choices) - limit} more" if len(choices) > limit else "")


def check_choice(argument: str, value: object, choices: Sequence[object], *, problem: str = "") -> object:
    """Return ``value`` if it is one of ``choices``; otherwise raise :class:`ValidationError`.

    ``problem`` goes before the standard message (what the value was for).

    >>> check_choice("by", "rol", ["role", "kind"], problem="cannot cross by 'rol': ")
    Traceback (most recent call last):
    ...
    somecode.errors.ValidationError: cannot cross by 'rol': by='rol' is not one of 'role', 'kind' (did you mean 'role'?)
    """
    try:
        if value in choices:
            return value
    except TypeError:  # an unhashable value against a set of choices
        pass
    raise ValidationError(f"{problem}{argument}={value!r} is not one of {_listed(choices)}"
                          f"{did_you_mean(value, choices)}")


def check_level(value: object, argument: str = "level", *, max_depth: int | None = None) -> object:
    """A codebook depth: ``"stage"`` or ``"code"`` or, where a function supports it
    (``max_depth`` given, the codebook's depth), a depth ``1..max_depth`` (1 = stage).

    >>> check_level("stages")
    Traceback (most recent call last):
    ...
    somecode.errors.ValidationError: level='stages' is not one of 'stage', 'code' (did you mean 'stage'?)
    """
    if value in LEVELS:
        return value
    if max_depth is not None and isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= max_depth:
            return value
        raise ValidationError(f"{argument}={value!r} is not a depth of this codebook: "
                              f"give 1 (stages) to {max_depth}, 'stage' or 'code'")
    choices = LEVELS if max_depth is None else (*LEVELS, *range(1, max_depth + 1))
    return check_choice(argument, value, choices)


def unknown(what: str, value: object, known: Sequence[object], fix: str = "") -> NotFoundError:
    """The error for an id that is not in the project: the closest id, and the ids there are.

    >>> print(unknown("code", "optimise", ["optimize", "share"]))
    no code 'optimise' in the project (did you mean 'optimize'?); it has 'optimize', 'share'
    """
    from .text import some

    return NotFoundError(f"no {what} {value!r} in the project{did_you_mean(value, known)}; "
                         f"it has {some(known)}{f'. {fix}' if fix else ''}")


def check_ids(what: str, values, known: Iterable[object], fix: str = "", *, argument: str = "") -> None:
    """Raise :func:`unknown` for the first of ``values`` (one id, a list of ids or ``None``)
    that is not among ``known``; :class:`ValidationError` (naming ``argument``, the keyword the
    ids were given as) when ``values`` is neither an id nor a collection of them."""
    if values is None:
        return
    if not isinstance(values, (str, list, tuple, set, frozenset)):
        given = f"{argument}={values!r}" if argument else repr(values)
        raise ValidationError(f"{given} is not a {what} id: give a {what}'s id or a list of them")
    known = list(known)
    have = set(known)
    for value in [values] if isinstance(values, str) else values:
        if value not in have:
            raise unknown(what, value, known, fix)


def check_coders(project: Project, coders, *, what: str = "coder") -> None:
    """Every coder named (one id, a list, or ``None`` for all) is a coder of the project."""
    if coders is not None:
        check_ids(what, coders, [c.id for c in project.coders()], argument="coders")


def old_name(function: str, old: str, old_value, new: str, new_value, default=None):
    """For a function that keeps an old keyword in its signature (``level=None``): the value to
    use, with a :class:`DeprecationWarning` when the old name was given (at the caller's caller)."""
    if old_value is None:
        return new_value
    if new_value != default:
        raise TypeError(f"{function}() got {new}= and its old name {old}=; give {new}= only")
    warnings.warn(f"{function}({old}=...) is deprecated; use {new}=...", DeprecationWarning, stacklevel=3)
    return old_value


def renamed(**old_to_new: str):
    """Keep an old keyword name working for a release: ``@renamed(lang="language")`` maps
    ``lang=`` to ``language=`` with a :class:`DeprecationWarning`; giving both is an error."""
    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{function.__name__}() got {new}= and its old name {old}=; "
                                        f"give {new}= only")
                    warnings.warn(f"{function.__name__}({old}=...) is deprecated; use {new}=...",
                                  DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)
        wrapper.renamed = dict(old_to_new)
        return wrapper
    return decorate


def keyword_only(*names: str, positional: int = 1):
    """Arguments that became keyword-only: for a release, a call that still gives them by
    position (after the first ``positional``) works, with a :class:`DeprecationWarning`."""
    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if len(args) > positional:
                extra = args[positional:]
                if len(extra) > len(names):
                    raise TypeError(f"{function.__name__}() takes {positional} positional argument(s); "
                                    f"give {', '.join(f'{n}=' for n in names)} by keyword")
                for name, value in zip(names, extra):
                    if name in kwargs:
                        raise TypeError(f"{function.__name__}() got {name}= twice")
                    kwargs[name] = value
                given = ", ".join(f"{n}=..." for n in names[:len(extra)])
                warnings.warn(f"{function.__name__}() takes {given} by keyword now; "
                              "giving it by position is deprecated", DeprecationWarning, stacklevel=2)
                args = args[:positional]
            return function(*args, **kwargs)
        return wrapper
    return decorate
