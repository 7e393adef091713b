"""One vocabulary for arguments, checked: a bad choice is an error that names the argument, the
value, the valid choices and the closest one, never a quietly different answer.

>>> check_choice("level", "codes", ("stage", "code"))
Traceback (most recent call last):
...
somecode.errors.ValidationError: level='codes' is not one of 'stage', 'code' (did you mean 'code'?)
>>> closest("optimise", ["optimize", "share"])
'optimize'
"""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

from .errors import NotFoundError, ValidationError

__all__ = ["closest", "check_choice", "did_you_mean", "unknown"]


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


def check_choice(argument: str, value: object, choices: Sequence[object]) -> object:
    """Return ``value`` if it is one of ``choices``; otherwise raise :class:`ValidationError`."""
    if value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    raise ValidationError(f"{argument}={value!r} is not one of {listed}{did_you_mean(value, choices)}")


def unknown(what: str, value: object, known: Sequence[object], fix: str = "") -> NotFoundError:
    """The error for an id that is not in the project: the closest id, and the ids there are.

    >>> print(unknown("code", "optimise", ["optimize", "share"]))
    no code 'optimise' in the project (did you mean 'optimize'?); it has 'optimize', 'share'
    """
    from .text import some

    return NotFoundError(f"no {what} {value!r} in the project{did_you_mean(value, known)}; "
                         f"it has {some(known)}{f'. {fix}' if fix else ''}")
