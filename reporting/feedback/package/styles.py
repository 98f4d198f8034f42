"""The cell formats of the workbook (`xl/styles.xml`) and the ones the feedback adds.

A cell we colour or write keeps its own format (font, border, number format, protection): the
new format is a copy of its old one with only the fill, the alignment or the font changed, as
openpyxl does when a cell's fill is set. New fonts are copies of the cell's font (bold, a size),
so the summary sheet has the workbook's own typeface.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.markup import (
    Edit,
    apply_edits,
    attribute,
    end_tag,
    escape_attribute,
    opened,
    whole_number,
    with_attribute,
)
from reporting.feedback.package.names import MAIN
from reporting.feedback.package.scan import Scan, Tag
from reporting.feedback.plan import Look

FIRST_CUSTOM_NUMBER_FORMAT = 164
"""Ids below this are Excel's built-in number formats."""
_FONT_ORDER_AFTER_SIZE = {"color", "name", "family", "charset", "scheme"}
"""Children Excel writes after <sz> in a <font>."""


@dataclass(frozen=True)
class _Format:
    """A cell format (<xf>) in three pieces: its start tag, its <alignment> (or nothing) and
    the rest of its content (protection, extensions)."""

    tag: bytes
    alignment: bytes
    rest: bytes


@dataclass(frozen=True)
class _Font:
    """A <font>: its start tag and its children as (local name, bytes)."""

    tag: bytes
    children: tuple[tuple[str, bytes], ...]


class StyleBook:
    """The style part being extended: `derive` gives the id of a cell format, `render` the
    part with the formats added (the original bytes plus insertions)."""

    def __init__(self, data: bytes) -> None:
        self._scan = scan = Scan(data, MAIN, "styleSheet")
        self._fonts_element = self._required("fonts")
        self._fills_element = self._required("fills")
        self._formats_element = self._required("cellXfs")
        self._number_formats_element = scan.first("numFmts", scan.root.open_end, scan.root.close)
        self._font_tags = list(scan.under(self._fonts_element, "font"))
        self._format_tags = list(scan.under(self._formats_element, "xf"))
        self._fill_count = sum(1 for _ in scan.under(self._fills_element, "fill"))
        self._number_formats = self._read_number_formats()
        self._fonts: dict[int, _Font] = {}
        self._formats: dict[int, _Format] = {}
        self._added_fonts: list[_Font] = []
        self._added_formats: list[_Format] = []
        self._added_fills: list[bytes] = []
        self._added_number_formats: list[tuple[int, str]] = []
        self._fill_ids: dict[str, int] = {}
        self._font_ids: dict[tuple[int, float | None], int] = {}
        self._derived: dict[tuple[int, Look, int | None], int] = {}

    def derive(self, base: int, look: Look, like: int | None = None) -> int:
        """The id of format `base` with the font, border, fill and alignment of format `like`
        (when given) and then the changes of `look`; `base` itself when nothing changes."""
        key = (base, look, like)
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = self._derive(base, look, like)
        return found

    def render(self) -> bytes | None:
        """The style part with what was added; None when nothing was."""
        if not self._added_formats:
            return None
        fonts, formats = len(self._font_tags), len(self._format_tags)
        edits = [
            *self._number_format_edits(),
            *_appended(
                self._fonts_element,
                fonts + len(self._added_fonts),
                [self._font_bytes(font) for font in self._added_fonts],
            ),
            *_appended(self._fills_element, self._fill_count, self._added_fills),
            *_appended(
                self._formats_element,
                formats + len(self._added_formats),
                [self._format_bytes(xf) for xf in self._added_formats],
            ),
        ]
        return apply_edits(self._scan.data, edits)

    # --- deriving -----------------------------------------------------------------------------

    def _derive(self, base: int, look: Look, like: int | None) -> int:
        original = self._format(base)
        tag, alignment = original.tag, original.alignment
        if like is not None:
            template = self._format(like)
            for name in ("fontId", "borderId", "fillId"):
                tag = with_attribute(tag, name, attribute(template.tag, name) or "0")
            alignment = template.alignment
            tag = _applied(tag, "applyFont", "applyBorder", "applyFill", "applyAlignment")
        if look.bold:
            font = self._bold_font(
                whole_number(attribute(tag, "fontId") or "0", "fontId"), look.size
            )
            tag = _applied(with_attribute(tag, "fontId", str(font)), "applyFont")
        if look.fill is not None:
            tag = _applied(with_attribute(tag, "fillId", str(self._fill(look.fill))), "applyFill")
        if look.wrap or look.left:
            alignment = self._alignment(look)
            tag = _applied(tag, "applyAlignment")
        if look.number_format is not None:
            number_format = self._number_format(look.number_format)
            tag = with_attribute(tag, "numFmtId", str(number_format))
            tag = _applied(tag, "applyNumberFormat")
        if (tag, alignment) == (original.tag, original.alignment):
            return base
        self._added_formats.append(_Format(tag, alignment, original.rest))
        return len(self._format_tags) + len(self._added_formats) - 1

    def _format(self, index: int) -> _Format:
        """Format `index`, original or added."""
        originals = len(self._format_tags)
        if 0 <= index < originals:
            if index not in self._formats:
                self._formats[index] = self._read_format(self._format_tags[index])
            return self._formats[index]
        if 0 <= index - originals < len(self._added_formats):
            return self._added_formats[index - originals]
        raise NotSupported(f"cell format {index} does not exist")

    def _font(self, index: int) -> _Font:
        """Font `index`, original or added; the first for one that does not exist."""
        originals = len(self._font_tags)
        if originals <= index < originals + len(self._added_fonts):
            return self._added_fonts[index - originals]
        if not 0 <= index < originals:
            if not originals:
                raise NotSupported("no fonts")
            index = 0
        if index not in self._fonts:
            self._fonts[index] = self._read_font(self._font_tags[index])
        return self._fonts[index]

    def _alignment(self, look: Look) -> bytes:
        name = self._formats_element.named("alignment")
        if look.wrap:
            return b"<" + name + b' wrapText="1" vertical="top"/>'
        return b"<" + name + b' horizontal="left"/>'

    def _bold_font(self, source: int, size: float | None) -> int:
        key = (source, size)
        if key not in self._font_ids:
            self._added_fonts.append(self._bolder(self._font(source), size))
            self._font_ids[key] = len(self._font_tags) + len(self._added_fonts) - 1
        return self._font_ids[key]

    def _bolder(self, font: _Font, size: float | None) -> _Font:
        """`font` made bold, and of `size` when given, in the order Excel writes a font."""
        element = self._fonts_element
        children = [child for child in font.children if child[0] != "b"]
        if size is not None:
            children = [child for child in children if child[0] != "sz"]
            at = next(
                (i for i, (name, _) in enumerate(children) if name in _FONT_ORDER_AFTER_SIZE),
                len(children),
            )
            value = f"{size:g}".encode()
            children.insert(at, ("sz", b"<" + element.named("sz") + b' val="' + value + b'"/>'))
        bold = b"<" + element.named("b") + b"/>"
        return _Font(font.tag, (("b", bold), *children))

    def _fill(self, colour: str) -> int:
        if colour not in self._fill_ids:
            name = self._fills_element.named
            rgb = escape_attribute("FF" + colour)
            fill = (
                b"<" + name("fill") + b"><" + name("patternFill") + b' patternType="solid"><'
                + name("fgColor") + b' rgb="' + rgb + b'"/><' + name("bgColor") + b' indexed="64"/>'
                + end_tag(name("patternFill")) + end_tag(name("fill"))
            )  # fmt: skip
            self._added_fills.append(fill)
            self._fill_count += 1
            self._fill_ids[colour] = self._fill_count - 1
        return self._fill_ids[colour]

    def _number_format(self, code: str) -> int:
        if code not in self._number_formats:
            number = max([FIRST_CUSTOM_NUMBER_FORMAT - 1, *self._number_formats.values()]) + 1
            self._number_formats[code] = number
            self._added_number_formats.append((number, code))
        return self._number_formats[code]

    # --- reading and writing ------------------------------------------------------------------

    def _required(self, name: str) -> Tag:
        root = self._scan.root
        element = self._scan.first(name, root.open_end, root.close)
        if element is None:
            raise NotSupported(f"styles part has no {name}")
        return element

    def _read_number_formats(self) -> dict[str, int]:
        """The workbook's own number formats: format code to id."""
        element = self._number_formats_element
        formats: dict[str, int] = {}
        for number_format in self._scan.under(element, "numFmt") if element else ():
            code = number_format.attributes.get("formatCode")
            number = number_format.attributes.get("numFmtId", "")
            if code is not None and number.isascii() and number.isdigit():
                formats.setdefault(code, int(number))
        return formats

    def _read_format(self, xf: Tag) -> _Format:
        alignment = b""
        rest: list[bytes] = []
        for child in self._scan.children(xf):
            if child.local_name == "alignment" and self._scan.in_namespace(child):
                alignment = child.raw
            else:
                rest.append(child.raw)
        return _Format(opened(xf.start_tag), alignment, b"".join(rest))

    def _read_font(self, font: Tag) -> _Font:
        children = tuple((child.local_name, child.raw) for child in self._scan.children(font))
        return _Font(opened(font.start_tag), children)

    def _format_bytes(self, xf: _Format) -> bytes:
        return xf.tag + xf.alignment + xf.rest + end_tag(self._formats_element.named("xf"))

    def _font_bytes(self, font: _Font) -> bytes:
        content = b"".join(raw for _, raw in font.children)
        return font.tag + content + end_tag(self._fonts_element.named("font"))

    def _number_format_edits(self) -> list[Edit]:
        if not self._added_number_formats:
            return []
        element = self._number_formats_element
        root = self._scan.root
        qualified = (element or root).named("numFmt")
        new = [
            b"<" + qualified + b' numFmtId="' + str(number).encode() + b'" formatCode="'
            + escape_attribute(code) + b'"/>'
            for number, code in self._added_number_formats
        ]  # fmt: skip
        if element is not None:
            count = sum(1 for _ in self._scan.under(element, "numFmt")) + len(new)
            return _appended(element, count, new)
        # numFmts is the first child of the styleSheet.
        name = root.named("numFmts")
        count_text = str(len(new)).encode()
        block = b"<" + name + b' count="' + count_text + b'">' + b"".join(new) + end_tag(name)
        return [Edit(root.open_end, root.open_end, block)]


def _applied(tag: bytes, *flags: str) -> bytes:
    for flag in flags:
        tag = with_attribute(tag, flag, "1")
    return tag


def _appended(element: Tag, count: int, children: list[bytes]) -> list[Edit]:
    """Edits that append `children` to `element` and set its count attribute to `count`."""
    if not children:
        return []
    tag = with_attribute(element.start_tag, "count", str(count))
    if element.empty:
        new = opened(tag) + b"".join(children) + end_tag(element.qualified)
        return [Edit(element.start, element.end, new)]
    return [
        Edit(element.start, element.open_end, tag),
        Edit(element.close, element.close, b"".join(children)),
    ]
