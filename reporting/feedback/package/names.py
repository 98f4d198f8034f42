"""The names of Office Open XML (transitional) that the package writer reads and writes."""

from __future__ import annotations

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
"""Namespace of workbook, worksheet and style parts (strict OOXML uses another one)."""
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
"""Strict OOXML, which this writer leaves to openpyxl."""
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
"""Namespace of r:id attributes, and the start of the relationship types."""
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

OFFICE_DOCUMENT = f"{RELATIONSHIPS}/officeDocument"
WORKSHEET = f"{RELATIONSHIPS}/worksheet"
CHARTSHEET = f"{RELATIONSHIPS}/chartsheet"
STYLES = f"{RELATIONSHIPS}/styles"
SHARED_STRINGS = f"{RELATIONSHIPS}/sharedStrings"
CALC_CHAIN = f"{RELATIONSHIPS}/calcChain"
PIVOT_CACHE = f"{RELATIONSHIPS}/pivotCacheDefinition"

WORKBOOK_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
"""The content type of the workbook part of a plain .xlsx (not .xlsm, .xltx or .xlam)."""
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
ROOT_RELATIONSHIPS_PART = "_rels/.rels"
