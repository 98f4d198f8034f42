"""Whether a submitted row is new, a new version of a line the ledger holds, or a repeat of it
(INTERFACE.md section 5): contractors send cumulative lists, and correct rows that were
rejected.

A row is the same line as a ledger line with its identity (placement: person, block, start;
invoice: supplier and number; activity: date and description). A row without that match may
correct a rejected line of the same contract that shares a match key (for a placement: the
same person, or the same initials and birth date, with the same start date; for an invoice:
the same number). A repeat changes nothing; a stale repeat of a rejected row never undoes the
correction made since."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from parsers.grid import Provenance
from validators.known import EvidenceLookup, KnownLine
from validators.lines import CheckedLine, LineStatus


@dataclass(frozen=True)
class Unchanged:
    """A row that repeats what the ledger holds for line `line_id`."""

    provenance: Provenance
    line_id: int
    status: LineStatus
    """The line's status as it stands (the row is not judged again)."""


def previous_of(line: CheckedLine, known: EvidenceLookup, contract_id: str) -> KnownLine | None:
    """The ledger line this row is a version of, if any."""
    same = known.same_line(contract_id, line.identity)
    if same is not None:
        return same
    candidates = known.lines_with_keys(contract_id, line.kind, line.match_keys)
    rejected = sorted(
        (c for c in candidates if c.status is LineStatus.REJECTED), key=lambda c: c.line_id
    )
    if rejected:
        return rejected[0]
    return next(
        (c for c in candidates if line.fingerprint in c.earlier_fingerprints | {c.fingerprint}),
        None,
    )


def as_version(line: CheckedLine, previous: KnownLine | None) -> CheckedLine | Unchanged:
    """The row as a new line, a new version of `previous`, or Unchanged."""
    if previous is None:
        return line
    repeat = line.fingerprint == previous.fingerprint or (
        line.status is LineStatus.REJECTED and line.fingerprint in previous.earlier_fingerprints
    )
    if repeat:
        return Unchanged(line.provenance, previous.line_id, previous.status)
    return replace(line, line_id=previous.line_id)


@dataclass
class FileVersions:
    """Within one file, a ledger line gets at most one new version; a second row that would
    update the same line is a line of its own."""

    updated: set[int]

    def place(self, line: CheckedLine, previous: KnownLine | None) -> CheckedLine | Unchanged:
        if previous is not None and previous.line_id in self.updated:
            previous = None
        placed = as_version(line, previous)
        if isinstance(placed, CheckedLine) and placed.line_id is not None:
            self.updated.add(placed.line_id)
        return placed


def place_versions(
    lines: Sequence[CheckedLine], known: EvidenceLookup, contract_id: str
) -> tuple[list[CheckedLine], list[Unchanged]]:
    """Judged lines as new lines or new versions of ledger lines, and the rows that repeat a
    ledger line, in the order of the rows."""
    placed_lines: list[CheckedLine] = []
    unchanged: list[Unchanged] = []
    versions = FileVersions(set())
    for line in lines:
        placed = versions.place(line, previous_of(line, known, contract_id))
        if isinstance(placed, Unchanged):
            unchanged.append(placed)
        else:
            placed_lines.append(placed)
    return placed_lines, unchanged
