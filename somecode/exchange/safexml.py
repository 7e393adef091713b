"""Parsing XML and zip files from strangers: no DTDs or entities, no network, bounded sizes.

>>> root = parse_xml(b'<a xmlns="urn:QDA-XML:codebook:1.0"><b/></a>', "x.qdc")
>>> local(root), [local(c) for c in root]
('a', ['b'])
>>> parse_xml('<!DOCTYPE a [<!ENTITY e "x">]><a b="&e;"/>'.encode("utf-16"), "evil.qdc")
Traceback (most recent call last):
...
somecode.errors.SourceReadError: evil.qdc, line 1: the XML declares a DOCTYPE, which exchange files never need (refused: entity expansion and external DTDs are a known attack) (fix: remove the DOCTYPE, or export the file again from its tool)

The DOCTYPE check is expat's own: it reads the prolog in whatever encoding the file declares or
its byte-order mark says (UTF-8, UTF-16, Latin-1...) and stops at the first element, so it costs
nothing on a large file; lxml then parses with entities, DTDs and the network switched off.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from ..errors import SourceReadError

__all__ = ["parse_xml", "local", "read_zip_member", "read_file", "find_qde", "open_archive", "Limits",
           "MAX_XML_BYTES", "MAX_ENTRIES", "MAX_SOURCE_BYTES"]

MAX_XML_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
MAX_SOURCE_BYTES = 100 * 1000 * 1000  # one source text; import memory is ~10 bytes per character
_REFUSED = ("the XML declares a DOCTYPE, which exchange files never need "
            "(refused: entity expansion and external DTDs are a known attack)")


class _Prolog(Exception):
    """Raised from expat's handlers: the first element (prolog clean) or a DOCTYPE (refused)."""

    def __init__(self, doctype: bool, line: int = 0) -> None:
        super().__init__(doctype, line)
        self.doctype, self.line = doctype, line


def _check_prolog(data: bytes, path) -> None:
    """Refuse a DOCTYPE (and so any entity declaration) with expat, in any encoding it reads."""
    parser = expat.ParserCreate()

    def doctype(*_):
        raise _Prolog(True, parser.CurrentLineNumber)

    def element(*_):
        raise _Prolog(False)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except _Prolog as found:
        if found.doctype:
            raise SourceReadError(path, _REFUSED, place=f"line {found.line}",
                                  fix="remove the DOCTYPE, or export the file again from its tool") from None
    except (expat.ExpatError, ValueError, LookupError) as err:
        raise SourceReadError(path, f"not well-formed XML: {err}", place="the XML declaration or prolog",
                              fix="export the file again from its tool (UTF-8 or UTF-16)") from None


def parse_xml(data: bytes, path, *, limit: int = MAX_XML_BYTES):
    """Parse ``data`` with a hardened parser; a DOCTYPE, entities or oversize input are refused."""
    from lxml import etree

    if len(data) > limit:
        raise SourceReadError(path, f"the XML is {len(data):,} bytes, more than the limit {limit:,}",
                              fix="pass a larger limit if you trust the file")
    _check_prolog(data, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", None) or (err.position[0] if err.position else None)
        raise SourceReadError(path, f"not well-formed XML: {err.msg}",
                              place=f"line {line}" if line else None,
                              fix="export the file again from its tool") from None
    if root.getroottree().docinfo.internalDTD is not None:  # expat saw none; lxml agrees or we refuse
        raise SourceReadError(path, _REFUSED, fix="remove the DOCTYPE, or export the file again from its tool")
    return root


def read_file(path, limit: int, what: str) -> bytes:
    """A regular file's bytes, refused by its size before it is read (and never more than
    ``limit`` bytes read, whatever the file system says: ``/dev/zero`` reports size 0)."""
    path = Path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise SourceReadError(path, f"{what} is not a regular file", fix="give the file itself")
        if status.st_size > limit:
            raise SourceReadError(path, f"{what} is {status.st_size:,} bytes, over the limit {limit:,}",
                                  fix="pass larger limits (somecode.exchange.Limits) if you trust the file")
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as err:
        raise SourceReadError(path, f"cannot read {what} ({err.strerror})") from None
    if len(data) > limit:
        raise SourceReadError(path, f"{what} is over the limit {limit:,} bytes",
                              fix="pass larger limits (somecode.exchange.Limits) if you trust the file")
    return data


def local(element) -> str:
    """An element's name without its namespace (REFI files use several namespace spellings)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _check_name(info: zipfile.ZipInfo, path) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    unsafe = (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ".." in parts
              or re.match(r"^[A-Za-z]:", name) or (info.external_attr >> 16) & 0o170000 == 0o120000)
    if unsafe:
        raise SourceReadError(path, f"unsafe member name {name!r} in the archive",
                              place=f"zip member {name!r}", fix="do not open this file")
    if info.flag_bits & 0x1:
        raise SourceReadError(path, f"member {name!r} is encrypted", place=f"zip member {name!r}")


def read_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path, *,
                    limit: int = MAX_XML_BYTES) -> bytes:
    """Read one member, counting the bytes actually inflated (headers can lie)."""
    _check_name(info, path)
    if info.file_size > limit:
        raise SourceReadError(path, f"member {info.filename!r} declares {info.file_size:,} bytes, "
                              f"over the limit {limit:,}", place=f"zip member {info.filename!r}")
    data = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                if len(data) + len(chunk) > limit:
                    raise SourceReadError(path, f"member {info.filename!r} inflates past the limit "
                                          f"{limit:,} bytes (a zip bomb?)", place=f"zip member {info.filename!r}",
                                          fix="pass larger limits (somecode.exchange.Limits) if you trust the file")
                data += chunk
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, NotImplementedError,
            RuntimeError) as err:  # a damaged archive fails in many ways inside zipfile
        raise SourceReadError(path, f"member {info.filename!r} cannot be read ({type(err).__name__}: {err})",
                              place=f"zip member {info.filename!r}", fix="export the project again") from None
    return bytes(data)


class Limits:
    """Caps for reading an archive from a stranger (all configurable).

    ``member_bytes`` caps any one file in the archive and a bare ``.qde``; ``source_bytes`` caps
    one source text (inside the archive or, with ``allow_external``, outside it).
    """

    def __init__(self, entries: int | None = None, member_bytes: int | None = None,
                 total_bytes: int | None = None, ratio: float | None = None,
                 source_bytes: int | None = None) -> None:
        self.entries = entries or MAX_ENTRIES
        self.source_bytes = source_bytes or MAX_SOURCE_BYTES
        self.member_bytes = member_bytes or max(MAX_XML_BYTES, self.source_bytes)
        self.total_bytes = total_bytes or MAX_TOTAL_BYTES
        self.ratio = ratio or MAX_RATIO


def open_archive(path, limits: Limits | None = None):
    """Open a zip archive after checking every member's name, the number of members, the
    declared sizes and compression ratios.  Returns ``(ZipFile, {lower-case name: ZipInfo})``."""
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise SourceReadError(path, f"not a readable .qdpx (zip) file: {err}",
                              place="the zip container", fix="export the project again") from None
    infos = archive.infolist()
    try:
        if len(infos) > limits.entries:
            raise SourceReadError(path, f"{len(infos):,} entries, more than the limit {limits.entries:,}",
                                  place="the zip container", fix="pass larger limits if you trust the file")
        members, total = {}, 0
        for info in infos:
            _check_name(info, path)
            key = info.filename.lower()
            if key in members:
                raise SourceReadError(path, f"duplicate member {info.filename!r}", place=f"zip member {info.filename!r}")
            members[key] = info
            total += info.file_size
            if info.file_size > limits.member_bytes:
                raise SourceReadError(path, f"member {info.filename!r} declares {info.file_size:,} bytes, over the "
                                      f"limit {limits.member_bytes:,}", place=f"zip member {info.filename!r}")
            if info.compress_size and info.file_size / info.compress_size > limits.ratio:
                raise SourceReadError(path, f"member {info.filename!r} is compressed {info.file_size / info.compress_size:,.0f}"
                                      f" to 1, over the limit {limits.ratio:g} (a zip bomb?)",
                                      place=f"zip member {info.filename!r}")
        if total > limits.total_bytes:
            raise SourceReadError(path, f"the archive declares {total:,} bytes in all, over the limit "
                                  f"{limits.total_bytes:,}", place="the zip container")
    except BaseException:
        archive.close()
        raise
    return archive, members


def find_qde(path) -> bytes:
    """The project XML of a ``.qdpx`` (exactly one ``*.qde`` at the root, any letter case)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise SourceReadError(path, f"not a readable .qdpx (zip) file: {err}",
                              place="the zip container", fix="export the project again") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise SourceReadError(path, f"{len(infos):,} entries, more than the limit {MAX_ENTRIES:,}")
        seen = set()
        for info in infos:
            _check_name(info, path)
            key = info.filename.lower()
            if key in seen:
                raise SourceReadError(path, f"duplicate member {info.filename!r}",
                                      place=f"zip member {info.filename!r}")
            seen.add(key)
        qdes = [i for i in infos if "/" not in i.filename and i.filename.lower().endswith(".qde")]
        if len(qdes) != 1:
            raise SourceReadError(path, f"expected one .qde file at the root, found {len(qdes)}",
                                  place="the zip container", fix="export the project again")
        return read_zip_member(archive, qdes[0], path)
