"""The exceptions somecode raises.

Every error the library raises on purpose is a :class:`SomecodeError`, so a
notebook or a script can catch one class.  The subclasses say what kind of
problem it was; the message always names the bad value, where it was and what
to do about it.

>>> from somecode.errors import SourceReadError, SomecodeError
>>> err = SourceReadError("interview.txt", "not valid UTF-8", place="byte 17",
...                       fix="save the file as UTF-8")
>>> isinstance(err, SomecodeError)
True
>>> print(err)
interview.txt, byte 17: not valid UTF-8 (fix: save the file as UTF-8)
"""

from __future__ import annotations

__all__ = [
    "SomecodeError",
    "SourceReadError",
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "ProjectError",
    "SomecodeWarning",
]


class SomecodeError(Exception):
    """Base class of every error somecode raises on purpose."""


def _located(what: str, problem: str, place: str | None, fix: str | None) -> str:
    where = f"{what}, {place}" if place else what
    text = f"{where}: {problem}"
    return f"{text} (fix: {fix})" if fix else text


class SourceReadError(SomecodeError):
    """A file could not be read as a source: wrong encoding, damaged, empty.

    ``path`` is the file, ``place`` where in it (line, byte, row, cue),
    ``fix`` what the researcher can do.
    """

    def __init__(self, path, problem: str, *, place: str | None = None,
                 fix: str | None = None):
        self.path, self.place, self.problem, self.fix = str(path), place, problem, fix
        super().__init__(_located(self.path, problem, place, fix))


class ValidationError(SomecodeError, ValueError):
    """Values that break a rule; ``problems`` lists every one found, not just the first."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)


class NotFoundError(SomecodeError, KeyError):
    """An id that is not in the project (source, code, coder, coding)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ConflictError(SomecodeError):
    """A change that would overwrite or contradict what the project already holds."""


class ProjectError(SomecodeError):
    """The project file itself: not a somecode project, too new, or damaged."""


class SomecodeWarning(UserWarning):
    """Something was read or done with a caveat the researcher should see (a skipped table...)."""
