"""Where a REFI-QDA project's files come from: the archive's members, a bare ``.qde``, and the
source texts outside the archive that a project may point to (only inside a folder the caller
names, and never bigger than the limit for one source).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "media").mkdir(), (folder / "media" / "a.txt").write_text("Halo.")
>>> External(folder / "media", Limits()).read("relative:///a.txt", "project.qde")
b'Halo.'
>>> External(folder / "media", Limits()).read("relative://../../etc/passwd", "project.qde")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
somecode.errors.SourceReadError: project.qde: the source path 'relative://../../etc/passwd' leads outside the folder external sources may come from (...) (fix: move the file into that folder, or name the folder it is in with allow_external=)
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceReadError
from .safexml import Limits, open_archive, read_file, read_zip_member

__all__ = ["Archive", "External", "split_location"]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://(.*)", re.S)


def split_location(location: str) -> tuple[str, str]:
    """``(scheme, rest)`` of a REFI path; a path without a scheme is internal (qc writes those).

    >>> split_location("internal://a.txt"), split_location("a.txt"), split_location("Relative:///x.txt")
    (('internal', 'a.txt'), ('internal', 'a.txt'), ('relative', '/x.txt'))
    """
    match = _SCHEME.fullmatch(location)
    return (match.group(1).lower(), match.group(2)) if match else ("internal", location)


class Archive:
    """A project's own files: a zip (members by lower-case name) or nothing (a bare ``.qde``)."""

    def __init__(self, path, limits: Limits) -> None:
        self.path, self.limits = Path(path), limits
        self.zip, self.members = None, {}
        if self.path.suffix.lower() != ".qde":
            self.zip, self.members = open_archive(self.path, limits)

    def qde(self) -> bytes:
        if self.zip is None:  # refused by its size before a byte is read
            return read_file(self.path, self.limits.member_bytes, "the .qde file")
        roots = [i for k, i in self.members.items() if "/" not in k and k.endswith(".qde")]
        if len(roots) != 1:
            raise SourceReadError(self.path, f"expected one .qde file at the root, found {len(roots)}",
                                  place="the zip container", fix="export the project again")
        return read_zip_member(self.zip, roots[0], self.path, limit=self.limits.member_bytes)

    def source(self, name: str) -> bytes | None:
        """A member of ``sources/`` by bare file name (any letter case), capped at one source's limit."""
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise SourceReadError(self.path, f"source file name {name!r} is not a bare file name",
                                  fix="do not open this file")
        info = self.members.get(f"sources/{name.lower()}")
        if info is None or self.zip is None:
            return None
        return read_zip_member(self.zip, info, self.path, limit=min(self.limits.source_bytes,
                                                                    self.limits.member_bytes))

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


class External:
    """Source texts outside the archive, confined to one folder (``relative://`` paths are read
    against it; ``absolute://`` paths must lie inside it; every other scheme is refused)."""

    def __init__(self, folder, limits: Limits) -> None:
        self.folder = Path(folder).resolve()
        self.limits = limits
        if not self.folder.is_dir():
            raise SourceReadError(folder, "allow_external names a folder that does not exist",
                                  fix="name the folder the project's external sources are in")

    def read(self, location: str, path) -> bytes:
        scheme, rest = split_location(location)
        if scheme == "relative":
            target = self.folder / rest.lstrip("/")
        elif scheme == "absolute":
            target = Path(rest if not re.match(r"/[A-Za-z]:/", rest) else rest[1:])
        else:
            raise SourceReadError(path, f"the source path {location!r} has the scheme {scheme!r}; only "
                                  "internal://, relative:// and absolute:// are opened",
                                  fix="export the project again with its sources inside the archive")
        resolved = target.resolve()
        if not resolved.is_relative_to(self.folder):
            raise SourceReadError(path, f"the source path {location!r} leads outside the folder external "
                                  f"sources may come from ({self.folder})",
                                  fix="move the file into that folder, or name the folder it is in with "
                                      "allow_external=")
        return read_file(resolved, self.limits.source_bytes, "the external source")
