"""The relationships and content types of a package: which part is which."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from reporting.feedback.package.names import CONTENT_TYPES, PACKAGE_RELATIONSHIPS
from reporting.feedback.package.scan import Scan, Tag


@dataclass(frozen=True)
class Relationship:
    """One <Relationship> of a .rels part, its target resolved to a part name."""

    id: str
    type: str
    part: str
    """The target as a part name ("xl/worksheets/sheet1.xml"); for an external target the
    target as written."""
    external: bool
    tag: Tag


def relationships_part(part: str) -> str:
    """The .rels part of `part` ("xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"); of the
    package itself for ""."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def read_relationships(data: bytes, source: str) -> tuple[Scan, list[Relationship]]:
    """The .rels part `data` of the part `source`, and its relationships."""
    scan = Scan(data, PACKAGE_RELATIONSHIPS, "Relationships")
    found = []
    for tag in scan.under(scan.root, "Relationship"):
        attributes = tag.attributes
        external = attributes.get("TargetMode") == "External"
        target = attributes.get("Target", "")
        part = target if external else resolve(source, target)
        relationship = Relationship(
            attributes.get("Id", ""), attributes.get("Type", ""), part, external, tag
        )
        found.append(relationship)
    return scan, found


def resolve(source: str, target: str) -> str:
    """The part name a relationship of `source` points at (targets are relative to the folder
    of `source`, or absolute from the package root)."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relative(source: str, part: str) -> str:
    """The target of `part` as written in a relationship of `source`."""
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def read_content_types(data: bytes) -> Scan:
    """[Content_Types].xml, checked."""
    return Scan(data, CONTENT_TYPES, "Types")


def content_type(types: Scan, part: str) -> str | None:
    """The content type `types` give `part`: its override, else the default of its extension."""
    override = override_of(types, part)
    if override is not None:
        return override.attributes.get("ContentType")
    extension = posixpath.splitext(part)[1].lstrip(".").casefold()
    for default in types.under(types.root, "Default"):
        if default.attributes.get("Extension", "").casefold() == extension:
            return default.attributes.get("ContentType")
    return None


def override_of(types: Scan, part: str) -> Tag | None:
    """The <Override> of `part` (part names compare without case)."""
    wanted = "/" + part.casefold()
    return next(
        (
            override
            for override in types.under(types.root, "Override")
            if override.attributes.get("PartName", "").casefold() == wanted
        ),
        None,
    )
