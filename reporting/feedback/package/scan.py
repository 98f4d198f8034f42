"""XML parts read by finding tags, for speed: a worksheet has thousands of elements, of which
the feedback needs a few rows and cells.

A part is first checked to be well-formed by expat (without handlers, so at C speed) and to hold
nothing but elements, attributes and text: no document type, comments, CDATA sections or
processing instructions. In such XML every '<' starts a tag, so the tags of an element are
found exactly by a regular expression. Each namespace prefix must mean one namespace in the
whole part (the root's declarations, repeated deeper at most); then a name is in a namespace
exactly when it is written with one of the prefixes bound to it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from xml.parsers import expat

from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.markup import (
    START_TAG,
    attribute,
    check_encoding,
    read_attributes,
    unescape,
)

_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_NAMESPACE = re.compile(rb"\sxmlns(?::([^\s=/>]+))?\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_QUALIFIED = re.compile(rb"<([^\s/>]+)")


class Tag:
    """An element found in a part: its name as written, attributes, and where it stands."""

    __slots__ = ("_attributes", "_data", "close", "end", "open_end", "qualified", "start")

    def __init__(
        self, data: bytes, qualified: bytes, start: int, span: tuple[int, int, int]
    ) -> None:
        self._data = data
        self.qualified = qualified
        """The name with its prefix, as written ("row", "x:row")."""
        self.start = start
        """Offset of its '<'."""
        self.open_end, self.close, self.end = span
        """Offsets after its start tag, of its end tag ('</'; `open_end` for an element written
        as one empty tag) and after the whole element."""
        self._attributes: dict[str, str] | None = None

    @property
    def attributes(self) -> dict[str, str]:
        """All attributes (prefixed ones as written, e.g. "r:id"), values unescaped."""
        if self._attributes is None:
            tag = self._data[self.start : self.open_end]
            self._attributes = read_attributes(tag, prefixed=True)
        return self._attributes

    def attribute(self, name: str) -> str | None:
        """One attribute (cheaper than reading them all)."""
        if self._attributes is not None:
            return self._attributes.get(name)
        return attribute(self._data[self.start : self.open_end], name)

    @property
    def start_tag(self) -> bytes:
        return self._data[self.start : self.open_end]

    @property
    def raw(self) -> bytes:
        """The whole element as written."""
        return self._data[self.start : self.end]

    @property
    def text(self) -> str:
        """The character data inside (for an element holding only text)."""
        return unescape(self._data[self.open_end : self.close].decode())

    @property
    def local_name(self) -> str:
        return self.qualified.rpartition(b":")[2].decode()

    @property
    def empty(self) -> bool:
        """Whether it is written as one empty tag (`<c/>`)."""
        return self.close == self.open_end == self.end

    def named(self, local: str) -> bytes:
        """`local` with the prefix this element is written with (for a new sibling or child in
        the same namespace)."""
        prefix, colon, _ = self.qualified.rpartition(b":")
        return prefix + colon + local.encode()


class Scan:
    """A part checked as described above, whose root is `root_name` in `namespace`."""

    def __init__(self, data: bytes, namespace: str, root_name: str) -> None:
        check_encoding(data)
        _check_well_formed(data)
        declaration = _DECLARATION.match(data)
        body = declaration.end() if declaration else 0
        if b"<!" in data or data.find(b"<?", body) >= 0:
            raise NotSupported("comments, CDATA, a document type or processing instructions")
        self.data = data
        self._bindings = _bindings(data)
        self._starts: dict[tuple[str, str], re.Pattern[bytes]] = {}
        self._namespace = namespace
        self.root = self.tag_at(data.index(b"<", body))
        prefix, _, local = self.root.qualified.rpartition(b":")
        if self._bindings.get(prefix) != namespace or local != root_name.encode():
            raise NotSupported(f"root is not {root_name} in {namespace}")

    def prefixes(self, namespace: str) -> list[bytes]:
        """The prefixes bound to `namespace` (b"" for the default namespace)."""
        return sorted(prefix for prefix, uri in self._bindings.items() if uri == namespace)

    def tags(self, name: str, start: int, end: int, namespace: str | None = None) -> Iterator[Tag]:
        """The elements called `name` (in the root's namespace unless another is given) that
        start between the offsets `start` and `end`; one element of a name is never inside
        another of that name in the parts this writer reads."""
        pattern = self.start_pattern(name, namespace)
        position = start
        while (found := pattern.search(self.data, position, end)) is not None:
            tag = self.tag_at(found.start())
            yield tag
            position = tag.end

    def first(self, name: str, start: int, end: int, namespace: str | None = None) -> Tag | None:
        return next(self.tags(name, start, end, namespace), None)

    def under(self, parent: Tag, name: str) -> Iterator[Tag]:
        """The elements called `name` inside `parent`."""
        return self.tags(name, parent.open_end, parent.close)

    def start_pattern(self, name: str, namespace: str | None = None) -> re.Pattern[bytes]:
        """Finds the start of a tag called `name` in `namespace` (the root's by default)."""
        key = (namespace or self._namespace, name)
        pattern = self._starts.get(key)
        if pattern is None:
            pattern = self._starts[key] = _start_pattern(tuple(self.prefixes(key[0])), name)
        return pattern

    def children(self, parent: Tag) -> Iterator[Tag]:
        """The child elements of `parent`, whatever their names."""
        position = parent.open_end
        while (start := self.data.find(b"<", position, parent.close)) >= 0:
            child = self.tag_at(start)
            yield child
            position = child.end

    def in_namespace(self, tag: Tag, namespace: str | None = None) -> bool:
        prefix = tag.qualified.rpartition(b":")[0]
        return self._bindings.get(prefix) == (namespace or self._namespace)

    def attribute_in(self, tag: Tag, namespace: str, name: str) -> str | None:
        """The attribute `name` of `tag` in `namespace` (written with a prefix bound to it)."""
        for prefix in self.prefixes(namespace):
            if prefix and (value := tag.attributes.get(f"{prefix.decode()}:{name}")) is not None:
                return value
        return None

    def tag_at(self, start: int) -> Tag:
        """The element whose start tag begins at `start`."""
        match = START_TAG.match(self.data, start)
        name = _QUALIFIED.match(self.data, start)
        if match is None or name is None:
            raise NotSupported(f"unreadable tag at {start}")
        qualified = name.group(1)
        open_end = match.end()
        if self.data[open_end - 2 : open_end] == b"/>":
            return Tag(self.data, qualified, start, (open_end, open_end, open_end))
        close = _end_tag(qualified).search(self.data, open_end)
        if close is None:
            raise NotSupported(f"no end tag for {qualified!r}")
        return Tag(self.data, qualified, start, (open_end, close.start(), close.end()))


@functools.lru_cache(maxsize=256)
def _start_pattern(prefixes: tuple[bytes, ...], name: str) -> re.Pattern[bytes]:
    """Finds the start of a tag called `name` written with one of `prefixes` (b"": none)."""
    if not prefixes:
        return re.compile(b"(?!)")  # nothing is in a namespace without a binding
    written = b"|".join(re.escape(prefix + b":") if prefix else b"" for prefix in prefixes)
    return re.compile(b"<(?:" + written + b")" + name.encode() + rb"(?=[\s/>])")


@functools.lru_cache(maxsize=256)
def _end_tag(qualified: bytes) -> re.Pattern[bytes]:
    return re.compile(b"</" + re.escape(qualified) + rb"\s*>")


def _check_well_formed(data: bytes) -> None:
    parser = checking_parser()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise NotSupported(f"not well-formed XML: {error}") from error


def checking_parser() -> expat.XMLParserType:
    """An expat parser without handlers (it only checks that XML is well-formed, and its
    namespace prefixes bound, as openpyxl's reader wants them) that raises NotSupported at a
    document type declaration (entities: the parsers refuse those too)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_: object) -> None:
        raise NotSupported("document type declaration")

    parser.StartDoctypeDeclHandler = refuse
    return parser


def _bindings(data: bytes) -> dict[bytes, str]:
    """Every namespace prefix declared in the part and its namespace; NotSupported when a
    prefix is bound to two namespaces (then a name's namespace depends on where it stands)."""
    bindings: dict[bytes, str] = {}
    for match in _NAMESPACE.finditer(data):
        prefix = match.group(1) or b""
        uri = unescape((match.group(2) if match.group(2) is not None else match.group(3)).decode())
        if bindings.setdefault(prefix, uri) != uri:
            raise NotSupported(f"prefix {prefix!r} bound to two namespaces")
    return bindings
