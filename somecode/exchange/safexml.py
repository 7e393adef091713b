"""Parsing XML and zip files from strangers: no DTDs or entities, no network, bounded sizes.

>>> root = parse_xml(b'<a xmlns="urn:QDA-XML:codebook:1.0"><b/></a>', "x.qdc")
>>> local(root), [local(c) for c in root]
('a', ['b'])
>>> parse_xml(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "evil.qdc")
Traceback (most recent call last):
...
somecode.errors.SourceReadError: evil.qdc: the XML declares a DOCTYPE, which exchange files never need (refused: entity expansion and external DTDs are a known attack) (fix: remove the DOCTYPE, or export the file again from its tool)
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import PurePosixPath

from ..errors import SourceReadError

__all__ = ["parse_xml", "local", "read_zip_member", "find_qde", "open_archive", "Limits",
           "MAX_XML_BYTES", "MAX_ENTRIES"]

MAX_XML_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


def parse_xml(data: bytes, path, *, limit: int = MAX_XML_BYTES):
    """Parse ``data`` with a hardened parser; a DOCTYPE, entities or oversize input are refused."""
    from lxml import etree

    if len(data) > limit:
        raise SourceReadError(path, f"the XML is {len(data):,} bytes, more than the limit {limit:,}",
                              fix="pass a larger limit if you trust the file")
    if _DOCTYPE.search(data):
        raise SourceReadError(path, "the XML declares a DOCTYPE, which exchange files never need "
                              "(refused: entity expansion and external DTDs are a known attack)",
                              fix="remove the DOCTYPE, or export the file again from its tool")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", None) or (err.position[0] if err.position else None)
        raise SourceReadError(path, f"not well-formed XML: {err.msg}",
                              place=f"line {line}" if line else None,
                              fix="export the file again from its tool") from None


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
    chunks, total = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise SourceReadError(path, f"member {info.filename!r} inflates past the limit "
                                          f"{limit:,} bytes (a zip bomb?)", place=f"zip member {info.filename!r}")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, NotImplementedError,
            RuntimeError) as err:  # a damaged archive fails in many ways inside zipfile
        raise SourceReadError(path, f"member {info.filename!r} cannot be read ({type(err).__name__}: {err})",
                              place=f"zip member {info.filename!r}", fix="export the project again") from None
    return b"".join(chunks)


class Limits:
    """Caps for reading an archive from a stranger (all configurable)."""

    def __init__(self, entries: int | None = None, member_bytes: int | None = None,
                 total_bytes: int | None = None, ratio: float | None = None) -> None:
        self.entries = entries or MAX_ENTRIES
        self.member_bytes = member_bytes or MAX_XML_BYTES
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
