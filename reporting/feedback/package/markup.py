"""Bytes of XML: tags and their attributes, escaping, and edits of a part's bytes.

An edited part is the original bytes with a few spans replaced: what we do not change stays
exactly as the contractor's program wrote it (namespace prefixes, extensions, whitespace).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from reporting.feedback.package.errors import NotSupported
from reporting.spreadsheet import neutralise

START_TAG = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_ATTRIBUTE = re.compile(rb"\s+([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_TAG_NAME = re.compile(rb"<([^\s/>]+)")
_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Characters XML 1.0 cannot hold (the C0 controls are already dropped by `neutralise`).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#9;",
    }
)


@dataclass(frozen=True)
class Edit:
    """Replace the bytes `start:end` of a part by `new` (an insertion when start == end)."""

    start: int
    end: int
    new: bytes


def check_encoding(data: bytes) -> None:
    """Raises NotSupported for a part not in UTF-8 (offsets count its bytes, and what we add
    is UTF-8)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or re.match(
        rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding\s*=\s*[\"'](?!utf-8[\"'])", data, re.IGNORECASE
    ):
        raise NotSupported("not UTF-8")


def apply_edits(data: bytes, edits: Iterable[Edit]) -> bytes:
    """`data` with `edits` made; insertions at one place keep their order, and go before a
    replacement that starts there. Overlapping edits are a defect."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    pieces: list[bytes] = []
    position = 0
    for _, edit in ordered:
        if edit.start < position:
            raise NotSupported(f"overlapping edits at {edit.start}")
        pieces += [data[position : edit.start], edit.new]
        position = edit.end
    pieces.append(data[position:])
    return b"".join(pieces)


def read_attributes(tag: bytes, *, prefixed: bool = False) -> dict[str, str]:
    """The attributes of the start tag `tag`, values unescaped: the unprefixed ones, or all
    (with namespace declarations) when `prefixed`."""
    return {
        name.decode(): unescape(value[1:-1].decode())
        for name, value in _ATTRIBUTE.findall(tag, _name_end(tag))
        if prefixed or not (b":" in name or name == b"xmlns")
    }


def whole_number(text: str | None, what: str) -> int:
    """`text` as a whole number in ASCII digits (an index, a row, a column); NotSupported for
    anything else, `what` saying what it should have been."""
    if text is None or _WHOLE_NUMBER.fullmatch(text) is None:
        raise NotSupported(f"{what}: not a number: {text!r}")
    return int(text)


def decimal_number(text: str, what: str) -> float:
    """`text` as an xsd:double written as digits (a width); NotSupported for anything else."""
    if _DECIMAL_NUMBER.fullmatch(text) is None:
        raise NotSupported(f"{what}: not a number: {text!r}")
    return float(text)


def unescape(text: str) -> str:
    """XML character and entity references replaced by their characters."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(_character, text)


def _character(match: re.Match[str]) -> str:
    hexadecimal, decimal, named = match.groups()
    if named:
        return _NAMED[named]
    return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))


def attribute(tag: bytes, name: str) -> str | None:
    """The value of the unprefixed attribute `name` in the start tag `tag`, unescaped."""
    match = attribute_pattern(name).match(tag)
    return unescape(match.group(2)[1:-1].decode()) if match is not None else None


def with_attribute(tag: bytes, name: str, value: str | None) -> bytes:
    """The start tag `tag` with the unprefixed attribute `name` set to `value`, added at the end
    when it was not there, or left out when `value` is None."""
    new = b"" if value is None else b" " + name.encode() + b'="' + escape_attribute(value) + b'"'
    match = attribute_pattern(name).match(tag)
    if match is not None:
        return tag[: match.end(1)] + new + tag[match.end() :]
    if value is None:
        return tag
    close = len(tag) - (2 if tag.endswith(b"/>") else 1)
    while close > 0 and tag[close - 1 : close].isspace():
        close -= 1
    return tag[:close] + new + tag[close:]


@functools.cache
def attribute_pattern(name: str) -> re.Pattern[bytes]:
    """Matches a start tag up to its attribute `name`: group 1 is everything before it (whole
    attributes only, so a value that looks like `name="..."` is never taken for it), group 2
    its quoted value."""
    return re.compile(
        rb"(<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*?)\s+"
        + re.escape(name.encode())
        + rb"\s*=\s*(\"[^\"]*\"|'[^']*')"
    )


def opened(tag: bytes) -> bytes:
    """The start tag of an element written empty (`<c/>`), as the start of one with content."""
    if not tag.endswith(b"/>"):
        return tag
    return tag[:-2].rstrip() + b">"


def end_tag(qualified: bytes) -> bytes:
    return b"</" + qualified + b">"


def escape_text(text: str) -> bytes:
    """`text` as XML character data (characters XML cannot hold are left out)."""
    return _NOT_XML.sub("", text).translate(_ESCAPES).encode()


def escape_attribute(text: str) -> bytes:
    return _NOT_XML.sub("", text).translate(_ATTRIBUTE_ESCAPES).encode()


def _name_end(tag: bytes) -> int:
    match = _TAG_NAME.match(tag)
    if match is None:
        raise NotSupported("unreadable start tag")
    return match.end()


@functools.lru_cache(maxsize=4096)
def text_content(text: str) -> bytes:
    """The rest of a <t> start tag and the text after it, for an inline string: reasons repeat
    over many rows, so their escaping is kept."""
    space = b' xml:space="preserve">' if text != text.strip() else b">"
    return space + escape_text(text)


neutralised = functools.lru_cache(maxsize=4096)(neutralise)
"""reporting.spreadsheet.neutralise, kept for texts that repeat (labels, reasons)."""
