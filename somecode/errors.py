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
    "ProjectLockedError",
    "ProjectFullError",
    "ProjectReadOnlyError",
    "ProjectDamagedError",
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
    """The project file itself: not a somecode project, too new, damaged, in use, read-only, or
    on a full disk.  The subclasses below name the cases a script may want to tell apart."""


class ProjectLockedError(ProjectError):
    """Another program kept the project file locked (writing) for longer than the busy timeout;
    nothing was changed, and trying again once it has finished works."""


class ProjectFullError(ProjectError):
    """The disk (or the file's size limit) is full; the operation was rolled back, nothing was changed."""


class ProjectReadOnlyError(ProjectError):
    """A change to a project that was opened for reading only (the file or its folder cannot be
    written, or ``read_only=True``); nothing was changed."""


class ProjectDamagedError(ProjectError):
    """The project file is damaged: SQLite found a malformed page, or text that is not UTF-8.
    ``detail`` is SQLite's own words; ``somecode doctor`` lists what is wrong."""

    def __init__(self, message: str, *, detail: str = ""):
        self.detail = detail
        super().__init__(message)


class SomecodeWarning(UserWarning):
    """Something was read or done with a caveat the researcher should see (a skipped table...)."""
