"""The workbook part of the package, its relationships and content types: the sheets in tab
order, and the edits that put the summary sheet in front.

The summary becomes the first sheet and the selected one; what pointed at a sheet by position
(defined names local to a sheet) is shifted so that it still points at the same sheet. The
calculation chain is left out: it lists formula cells by sheet, and Excel rebuilds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reporting.feedback.package.errors import NotSupported
from reporting.feedback.package.markup import (
    Edit,
    apply_edits,
    end_tag,
    escape_attribute,
    escape_text,
    opened,
    whole_number,
    with_attribute,
)
from reporting.feedback.package.names import (
    CALC_CHAIN,
    CHARTSHEET,
    CONTENT_TYPES_PART,
    MAIN,
    OFFICE_DOCUMENT,
    PIVOT_CACHE,
    RELATIONSHIPS,
    ROOT_RELATIONSHIPS_PART,
    SHARED_STRINGS,
    STRICT_MAIN,
    STRICT_OFFICE_DOCUMENT,
    STYLES,
    WORKBOOK_CONTENT,
    WORKSHEET,
    WORKSHEET_CONTENT,
)
from reporting.feedback.package.parts import (
    Relationship,
    content_type,
    override_of,
    read_content_types,
    read_relationships,
    relationships_part,
    relative,
)
from reporting.feedback.package.scan import Scan, Tag
from reporting.feedback.package.zipped import Package

_SHEET_KINDS = {WORKSHEET, CHARTSHEET}
_STRICT = "strict Office Open XML, not a plain .xlsx workbook"
_PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
# Elements that come after <definedNames> in a workbook (ECMA-376 CT_Workbook).
_AFTER_DEFINED_NAMES = (
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its name, its kind (the relationship type: worksheet or
    chart sheet) and its part."""

    name: str
    kind: str
    part: str

    @property
    def is_worksheet(self) -> bool:
        return self.kind == WORKSHEET


@dataclass(frozen=True)
class Changes:
    """What adding the summary does to the package: parts with new bytes, parts left out."""

    changed: dict[str, bytes]
    removed: frozenset[str]


class Book:
    """The workbook of `package`: a plain .xlsx in transitional OOXML, or NotSupported."""

    def __init__(self, package: Package) -> None:
        self._package = package
        self.part = _main_part(package)
        self._types = read_content_types(package.read(CONTENT_TYPES_PART))
        if content_type(self._types, self.part) != WORKBOOK_CONTENT:
            raise NotSupported("not a plain .xlsx workbook (macros, template or add-in)")
        if any(info.filename.casefold().endswith("vbaproject.bin") for info in package.entries):
            raise NotSupported("holds a macro project")
        self._scan = _workbook_scan(package.read(self.part))
        self.relationships_part = relationships_part(self.part)
        self._rels, self._relationships = read_relationships(
            package.read(self.relationships_part), self.part
        )
        _check_targets(package, self._relationships)
        if any(r.type == PIVOT_CACHE for r in self._relationships):
            raise NotSupported("has pivot tables")
        root = self._scan.root
        self._sheets = self._scan.first("sheets", root.open_end, root.close)
        if self._sheets is None or self._sheets.empty:
            raise NotSupported("workbook without sheets")
        self.sheets = [self._sheet(tag) for tag in self._scan.under(self._sheets, "sheet")]
        styles = self._related(STYLES)
        if styles is None:
            raise NotSupported("no styles part")
        self.styles_part = styles.part
        strings = self._related(SHARED_STRINGS)
        self.shared_strings_part = strings.part if strings is not None else None

    def _sheet(self, tag: Tag) -> Sheet:
        name = tag.attributes.get("name")
        target = self._scan.attribute_in(tag, RELATIONSHIPS, "id")
        relationship = next((r for r in self._relationships if r.id == target), None)
        if name is None or relationship is None or relationship.external:
            raise NotSupported("a sheet without its part")
        if relationship.type not in _SHEET_KINDS:
            raise NotSupported(f"a sheet of kind {relationship.type.rsplit('/', 1)[-1]}")
        return Sheet(name, relationship.type, relationship.part)

    def _related(self, kind: str) -> Relationship | None:
        return next((r for r in self._relationships if r.type == kind and not r.external), None)

    def with_summary(self, title: str, filter_rows: tuple[int, int] | None) -> tuple[str, Changes]:
        """The name of the summary's new part and the changes that make it the first sheet
        called `title` (with the filter over `filter_rows` of columns A:D, if any)."""
        part = self._new_part_name()
        relationship_id = self._new_relationship_id()
        calc_chain = self._related(CALC_CHAIN)
        changed = {
            self._name(self.part): self._workbook_xml(title, relationship_id, filter_rows),
            self._name(self.relationships_part): self._relationships_xml(
                part, relationship_id, calc_chain
            ),
            self._name(CONTENT_TYPES_PART): self._content_types_xml(part, calc_chain),
        }
        removed = set()
        if calc_chain is not None and (name := self._package.name_of(calc_chain.part)):
            removed.add(name)
        return part, Changes(changed, frozenset(removed))

    def _name(self, part: str) -> str:
        name = self._package.name_of(part)
        if name is None:
            raise NotSupported(f"part {part} is missing")
        return name

    def _new_part_name(self) -> str:
        folder = self.part.rpartition("/")[0]
        prefix = f"{folder}/worksheets/sheet" if folder else "worksheets/sheet"
        number = 1
        while self._package.name_of(f"{prefix}{number}.xml") is not None:
            number += 1
        return f"{prefix}{number}.xml"

    def _new_relationship_id(self) -> str:
        taken = {r.id for r in self._relationships}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        return f"rId{number}"

    # --- xl/workbook.xml ----------------------------------------------------------------------

    def _workbook_xml(
        self, title: str, relationship_id: str, filter_rows: tuple[int, int] | None
    ) -> bytes:
        scan = self._scan
        sheets = self._sheets
        assert sheets is not None  # checked when read
        sheet_ids = [
            whole_number(s.attributes.get("sheetId", "0"), "sheetId")
            for s in scan.under(sheets, "sheet")
        ]
        new_sheet = (
            b"<" + sheets.named("sheet") + b' name="' + escape_attribute(title)
            + b'" sheetId="' + str(max(sheet_ids, default=0) + 1).encode() + b'" xmlns:r="'
            + RELATIONSHIPS.encode() + b'" r:id="' + relationship_id.encode() + b'"/>'
        )  # fmt: skip
        edits = [Edit(sheets.open_end, sheets.open_end, new_sheet), *self._view_edits(sheets)]
        root = scan.root
        names = scan.first("definedNames", root.open_end, root.close)
        if names is not None:
            edits += _shifted_local_names(scan, names)
        if filter_rows is not None:
            edits.append(self._filter_name(names, title, filter_rows))
        return apply_edits(scan.data, edits)

    def _view_edits(self, sheets: Tag) -> list[Edit]:
        """The summary (position 0) becomes the active tab and the tab bar starts at it; a
        workbook without views gets one."""
        scan = self._scan
        views = scan.first("bookViews", scan.root.open_end, scan.root.close)
        if views is None:
            name = sheets.named("bookViews")
            only = b"<" + sheets.named("workbookView") + b"/>"
            return [Edit(sheets.start, sheets.start, b"<" + name + b">" + only + end_tag(name))]
        edits = []
        for view in scan.under(views, "workbookView"):
            tag = view.start_tag
            new = with_attribute(with_attribute(tag, "activeTab", None), "firstSheet", None)
            if new != tag:
                edits.append(Edit(view.start, view.open_end, new))
        return edits

    def _filter_name(self, names: Tag | None, title: str, rows: tuple[int, int]) -> Edit:
        """The hidden name Excel keeps for the filter of the summary's problem list."""
        scan = self._scan
        sheet = (
            title if _PLAIN_SHEET_NAME.fullmatch(title) else "'" + title.replace("'", "''") + "'"
        )
        reference = f"{sheet}!$A${rows[0]}:$D${rows[1]}"
        qualified = (names or scan.root).named("definedName")
        name = (
            b"<" + qualified + b' name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            + escape_text(reference) + end_tag(qualified)
        )  # fmt: skip
        if names is not None:
            if names.empty:
                new = opened(names.start_tag) + name + end_tag(names.qualified)
                return Edit(names.start, names.end, new)
            return Edit(names.open_end, names.open_end, name)
        block_name = scan.root.named("definedNames")
        block = b"<" + block_name + b">" + name + end_tag(block_name)
        following = [
            tag.start
            for after in _AFTER_DEFINED_NAMES
            if (tag := scan.first(after, scan.root.open_end, scan.root.close)) is not None
        ]
        at = min(following, default=scan.root.close)
        return Edit(at, at, block)

    # --- relationships and content types ------------------------------------------------------

    def _relationships_xml(
        self, part: str, relationship_id: str, calc_chain: Relationship | None
    ) -> bytes:
        root = self._rels.root
        new = (
            b"<" + root.named("Relationship") + b' Id="' + relationship_id.encode()
            + b'" Type="' + WORKSHEET.encode() + b'" Target="'
            + escape_attribute(relative(self.part, part)) + b'"/>'
        )  # fmt: skip
        edits = [_inside_end(root, new)]
        if calc_chain is not None:
            edits.append(Edit(calc_chain.tag.start, calc_chain.tag.end, b""))
        return apply_edits(self._rels.data, edits)

    def _content_types_xml(self, part: str, calc_chain: Relationship | None) -> bytes:
        root = self._types.root
        new = (
            b"<" + root.named("Override") + b' PartName="/' + escape_attribute(part)
            + b'" ContentType="' + WORKSHEET_CONTENT.encode() + b'"/>'
        )  # fmt: skip
        edits = [_inside_end(root, new)]
        if calc_chain is not None and (override := override_of(self._types, calc_chain.part)):
            edits.append(Edit(override.start, override.end, b""))
        return apply_edits(self._types.data, edits)


def _main_part(package: Package) -> str:
    _, relationships = read_relationships(package.read(ROOT_RELATIONSHIPS_PART), "")
    _check_targets(package, relationships)
    if any(r.type == STRICT_OFFICE_DOCUMENT for r in relationships):
        raise NotSupported(_STRICT)
    main = [r for r in relationships if r.type == OFFICE_DOCUMENT and not r.external]
    if len(main) != 1:
        raise NotSupported("no transitional office document")
    return main[0].part


def _check_targets(package: Package, relationships: list[Relationship]) -> None:
    """Raises NotSupported when a relationship points at a part the package does not have
    (Excel repairs such a file, openpyxl may not open it)."""
    for relationship in relationships:
        if not relationship.external and package.name_of(relationship.part) is None:
            raise NotSupported(f"a relationship to the missing part {relationship.part!r}")


def _workbook_scan(data: bytes) -> Scan:
    """The workbook part, in transitional OOXML (strict OOXML is named as such)."""
    try:
        return Scan(data, MAIN, "workbook")
    except NotSupported as error:
        if STRICT_MAIN.encode() in data:
            raise NotSupported(_STRICT) from error
        raise


def _shifted_local_names(scan: Scan, names: Tag) -> list[Edit]:
    """Names local to a sheet say which by its position: one further now."""
    edits = []
    for defined in scan.under(names, "definedName"):
        local = defined.attributes.get("localSheetId")
        if local is None:
            continue
        tag = with_attribute(
            defined.start_tag, "localSheetId", str(whole_number(local, "localSheetId") + 1)
        )
        edits.append(Edit(defined.start, defined.open_end, tag))
    return edits


def _inside_end(element: Tag, new: bytes) -> Edit:
    """An edit that adds `new` as the last child of `element` (which has children)."""
    if element.empty:
        raise NotSupported(f"empty <{element.local_name}>")
    return Edit(element.close, element.close, new)
