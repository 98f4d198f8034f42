"""Opening spreadsheet files (xlsx, xlsm, xls, ods, csv) as grids, within set limits.

python-calamine reads every format we accept and opens files openpyxl cannot; it is also much
faster. Any failure to read becomes `UnreadableFile` with a Dutch reason for the quarantine.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import ParseError

import python_calamine
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from domain.errors import UnreadableFile
from parsers.grid import SheetGrid
from parsers.limits import MEGABYTE, ReadLimits

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def check_size(path: Path, limits: ReadLimits) -> None:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("het bestand is leeg (0 bytes)", path=path)
    if size > limits.max_bytes:
        raise UnreadableFile(
            f"het bestand is te groot ({size // MEGABYTE} MB; maximaal "
            f"{limits.max_file_megabytes:g} MB)",
            path=path,
        )


def _check_signature(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
    if not (head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC)):
        raise UnreadableFile(
            f"het bestand is geen geldig Excel-bestand, al heet het {path.suffix}", path=path
        )
    if head.startswith(_OLE_MAGIC) and path.suffix.lower() in {".xlsx", ".xlsm"}:
        # A password-protected xlsx is an OLE container holding an 'EncryptedPackage' stream.
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            raise UnreadableFile(
                "het bestand is beveiligd met een wachtwoord; stuur het zonder wachtwoord",
                path=path,
            )
        raise UnreadableFile(
            f"het bestand is geen geldig {path.suffix}-bestand (oud Excel-formaat met de "
            "verkeerde extensie?); sla het op als .xlsx",
            path=path,
        )


def check_container(path: Path, limits: ReadLimits) -> bool:
    """Bounds an xlsx/xlsm/ods before it is read: unpacked size and rows with data per sheet.
    Returns whether the workbook counts dates from 1904 (old Mac Excel)."""
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename.replace("\\", "/"): info for info in archive.infolist()}
            unpacked = sum(info.file_size for info in parts.values())
            if unpacked > limits.max_unpacked_bytes:
                raise UnreadableFile(
                    f"het bestand pakt uit tot {unpacked // MEGABYTE} MB (maximaal "
                    f"{limits.max_unpacked_megabytes:g} MB) en wordt niet gelezen",
                    path=path,
                )
            for name, info in parts.items():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _check_sheet_rows(archive, info, limits, path)
            workbook = parts.get("xl/workbook.xml")
            return workbook is not None and _uses_1904(archive.read(workbook))
    except (zipfile.BadZipFile, zlib.error, ParseError, DefusedXmlException, EOFError) as error:
        raise UnreadableFile(
            "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen", path=path
        ) from error


def _check_sheet_rows(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits: ReadLimits, path: Path
) -> None:
    """Streams the sheet XML and stops at the first row with data beyond the limit, so a sheet
    with a value on row 1,048,576 costs little. Formatted but empty rows do not count."""
    row_has_data = False
    with archive.open(part) as stream:
        for _, element in SafeElementTree.iterparse(stream, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in {"v", "is"}:
                row_has_data = True
            elif tag == "row":
                number = int(element.get("r", "0") or 0)
                if row_has_data and number > limits.max_rows_per_sheet:
                    raise UnreadableFile(
                        f"een blad heeft gegevens op rij {number}; maximaal "
                        f"{limits.max_rows_per_sheet} rijen per blad worden verwerkt",
                        path=path,
                    )
                row_has_data = False
                element.clear()


def _uses_1904(workbook_xml: bytes) -> bool:
    match = re.search(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(1|true)\"", workbook_xml)
    return match is not None


def read_workbook(
    path: Path, limits: ReadLimits, *, include_hidden: bool = False
) -> list[SheetGrid]:
    """The worksheets of a workbook; chart sheets are left out, and hidden sheets unless
    `include_hidden` (the feedback copy keeps them; the parsers never read them)."""
    check_size(path, limits)
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    _check_signature(path)
    date1904 = check_container(path, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as error:
        raise UnreadableFile("het bestand is beveiligd met een wachtwoord", path=path) from error
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise UnreadableFile(
            "het bestand is beschadigd en kan niet als Excel-bestand worden gelezen", path=path
        ) from error
    grids: list[SheetGrid] = []
    with closing(workbook):
        for metadata in workbook.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            hidden = metadata.visible != python_calamine.SheetVisibleEnum.Visible
            if hidden and not include_hidden:
                continue
            grid = _read_sheet(workbook, metadata.name, path, limits, date1904)
            grids.append(replace(grid, hidden=hidden))
    return grids


def _read_sheet(
    workbook: python_calamine.CalamineWorkbook,
    name: str,
    path: Path,
    limits: ReadLimits,
    date1904: bool,
) -> SheetGrid:
    try:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height > limits.max_rows_per_sheet:
            raise UnreadableFile(
                f"blad '{name}' heeft {sheet.height} rijen; maximaal "
                f"{limits.max_rows_per_sheet} worden verwerkt",
                path=path,
            )
        rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows_per_sheet + 1)
        merged = tuple(sheet.merged_cell_ranges or ())
    except (python_calamine.CalamineError, ValueError) as error:
        raise UnreadableFile(
            f"blad '{name}' is beschadigd en kan niet worden gelezen", path=path
        ) from error
    return SheetGrid(name=name, rows=rows, date1904=date1904, merged=merged)


def _read_csv(path: Path) -> SheetGrid:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in cp1252; latin-1 as the fallback decodes any byte.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return SheetGrid(name=path.stem, rows=[[cell or None for cell in row] for row in rows])
