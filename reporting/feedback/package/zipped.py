"""The zip container of a package: its entries, each decompressed only when asked for, and the
new zip, in which the entries we leave alone are copied still compressed, byte for byte (each
checked first: it unpacks to its CRC and, as XML, is well-formed, so that a damaged entry is
left to openpyxl rather than passed on to the contractor).

The new zip is plain: no zip64 (a package that needs it is NotSupported, far beyond the read
limits), names in UTF-8 where they are not ASCII, every size in the local headers.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from parsers.limits import ReadLimits
from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.scan import checking_parser

COMPRESS_LEVEL = 1
"""Fast: the parts we write are small, and level 6 makes them only some 10% smaller."""
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIGNATURE = 0x04034B50
_CENTRAL_SIGNATURE = 0x02014B50
_END_SIGNATURE = 0x06054B50
_VERSION = 20
"""Zip 2.0: deflate, no zip64."""
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800
_MAX_SIZE = 0xFFFFFFFF
_MAX_ENTRIES = 0xFFFF
_COPIED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

_CHUNK = 1 << 20
_XML = (".xml", ".rels")
"""Parts checked to be well-formed when copied (not .vml: Excel's VML is not XML)."""
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError)
"""What zipfile raises on a damaged zip: a bad header, directory or CRC, broken deflate data,
an entry cut short, a zip version or compression feature it does not have, an offset before
the start of the file (ValueError from seek). Caught around zipfile's calls only."""

DateTime = tuple[int, int, int, int, int, int]


class Package:
    """The zip at a path, read once: its entries in their order and, on request, the bytes of
    a part (part names compare without case). Raises NotSupported for what this writer does
    not copy faithfully: encrypted entries, duplicate or backslashed names, compression other
    than deflate, zip64, or more unpacked bytes than the limits allow; and for a damaged zip:
    an entry that does not unpack to its CRC, or an XML part that is not well-formed."""

    def __init__(self, path: Path, limits: ReadLimits) -> None:
        self._data = path.read_bytes()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
        except _ZIP_ERRORS as error:
            raise NotSupported(f"not a zip file: {error!r}") from error
        self.entries = tuple(self._zip.infolist())
        _check_entries(self.entries, limits)
        self._by_name = {info.filename.casefold(): info for info in self.entries}
        self._parts: dict[str, bytes] = {}

    def name_of(self, part: str) -> str | None:
        """The entry holding `part`, or None."""
        info = self._by_name.get(part.casefold())
        return info.filename if info is not None else None

    def read(self, part: str) -> bytes:
        """The decompressed bytes of `part` (checked against their CRC)."""
        info = self._by_name.get(part.casefold())
        if info is None:
            raise NotSupported(f"part {part} is missing")
        if info.filename not in self._parts:
            try:
                self._parts[info.filename] = self._zip.read(info)
            except _ZIP_ERRORS as error:
                raise NotSupported(f"damaged zip entry {info.filename}: {error!r}") from error
        return self._parts[info.filename]

    def zip_with(
        self,
        changed: Mapping[str, bytes],
        removed: frozenset[str],
        added: Iterable[tuple[str, bytes]],
    ) -> bytes:
        """The new zip: the entries in their order, with the `changed` bytes (by entry name)
        or copied as they are, without the `removed` ones, and the `added` parts at the end."""
        written = [
            _compressed(info.filename, info.date_time, changed[info.filename])
            if info.filename in changed
            else self._copied(info)
            for info in self.entries
            if info.filename not in removed
        ]
        date_time = self.entries[0].date_time if self.entries else (1980, 1, 1, 0, 0, 0)
        written += [_compressed(name, date_time, data) for name, data in added]
        return _zip_bytes(written)

    def _copied(self, info: zipfile.ZipInfo) -> _Entry:
        """An entry as the original has it: compressed bytes, CRC and sizes, after checking
        that it is intact (a damaged entry is not passed on to the contractor)."""
        self._check(info)
        offset = info.header_offset
        if not 0 <= offset <= len(self._data) - _LOCAL.size:
            raise NotSupported(f"no local header for {info.filename}")
        (signature, *_, name_length, extra_length) = _LOCAL.unpack_from(self._data, offset)
        if signature != _LOCAL_SIGNATURE:
            raise NotSupported(f"no local header for {info.filename}")
        start = info.header_offset + _LOCAL.size + name_length + extra_length
        body = self._data[start : start + info.compress_size]
        if len(body) != info.compress_size:
            raise NotSupported(f"{info.filename} is cut short")
        return _Entry(
            info.filename, info.date_time, info.compress_type, info.CRC, body, info.file_size
        )

    def _check(self, info: zipfile.ZipInfo) -> None:
        """Unpacks the entry without keeping it: zipfile checks its header, size and CRC, and
        an XML part must be well-formed (openpyxl refuses a workbook with a broken part)."""
        parser = checking_parser() if info.filename.casefold().endswith(_XML) else None
        read = self._parts.get(info.filename)  # unpacked and checked against its CRC already
        try:
            if read is None:
                with self._zip.open(info) as entry:
                    while chunk := entry.read(_CHUNK):
                        if parser is not None:
                            parser.Parse(chunk, False)
            if parser is not None:
                parser.Parse(read or b"", True)
        except _ZIP_ERRORS as error:  # ValueError also from expat (a multi-byte encoding)
            raise NotSupported(f"unreadable entry {info.filename}: {error!r}") from error
        except (expat.ExpatError, LookupError) as error:  # LookupError: unknown encoding
            raise NotSupported(f"{info.filename} is not well-formed XML: {error}") from error


@dataclass(frozen=True)
class _Entry:
    """An entry as it goes into the new zip."""

    name: str
    date_time: DateTime
    method: int
    crc: int
    body: bytes
    """The compressed bytes."""
    size: int
    """The size unpacked."""


def _check_entries(entries: tuple[zipfile.ZipInfo, ...], limits: ReadLimits) -> None:
    names = [info.filename.casefold() for info in entries]
    if len(set(names)) != len(names):
        raise NotSupported("duplicate entries")
    if any("\\" in info.filename for info in entries):
        raise NotSupported("entry names with backslashes")
    if any(info.flag_bits & _ENCRYPTED for info in entries):
        raise NotSupported("encrypted entries")
    if any(info.compress_type not in _COPIED_METHODS for info in entries):
        raise NotSupported("compression other than deflate")
    if len(entries) >= _MAX_ENTRIES or any(
        max(info.file_size, info.compress_size, info.header_offset) >= _MAX_SIZE for info in entries
    ):
        raise NotSupported("a zip64 package")
    if sum(info.file_size for info in entries) > limits.max_unpacked_bytes:
        raise NotSupported("unpacks beyond the limit")


def _compressed(name: str, date_time: DateTime, data: bytes) -> _Entry:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = compressor.compress(data) + compressor.flush()
    return _Entry(name, date_time, zipfile.ZIP_DEFLATED, zlib.crc32(data), body, len(data))


def _zip_bytes(entries: list[_Entry]) -> bytes:
    """The zip of `entries`: local headers and bodies, the central directory, its end."""
    pieces: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        name, flags = _encoded_name(entry.name)
        time, date = _dos_time(entry.date_time)
        sizes = (entry.crc, len(entry.body), entry.size, len(name))
        local = _LOCAL.pack(_LOCAL_SIGNATURE, _VERSION, flags, entry.method, time, date, *sizes, 0)
        directory.append(
            _CENTRAL.pack(
                _CENTRAL_SIGNATURE,
                _VERSION,
                _VERSION,
                flags,
                entry.method,
                time,
                date,
                *sizes,
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
        pieces += [local, name, entry.body]
        offset += len(local) + len(name) + len(entry.body)
        if offset >= _MAX_SIZE:
            raise NotSupported("the new zip would need zip64")
    central = b"".join(directory)
    count = len(entries)
    end = _END.pack(_END_SIGNATURE, 0, 0, count, count, len(central), offset, 0)
    return b"".join(pieces) + central + end


def _encoded_name(name: str) -> tuple[bytes, int]:
    """The name as stored and the flag that says it is UTF-8 (for a name that is not ASCII)."""
    if name.isascii():
        return name.encode("ascii"), 0
    return name.encode("utf-8"), _UTF8_NAME


def _dos_time(date_time: DateTime) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    year = min(max(year, 1980), 2107)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day
