"""What the ledger already holds, as the validator needs it to recognise re-submissions,
corrections and duplicates (INTERFACE.md section 5).

`EvidenceLookup` is what the validators ask; the ledger answers it with indexed queries
(ledger.evidence), `KnownEvidence` answers it from lines in memory (tests, a first run)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from domain.text import alphanumeric_key, company_key
from parsers.grid import Provenance
from validators.lines import Facts, LineKind, LineStatus


def invoice_number_key(number: str) -> str:
    """'F-2025.001' and 'f2025001' are the same invoice number."""
    return alphanumeric_key(number)


def supplier_key(name: str | None, kvk: str | None) -> str:
    """KvK number when known, else the name without legal form and punctuation."""
    if kvk:
        digits = re.sub(r"\D", "", kvk)
        if digits:
            return f"kvk:{digits}"
    return "naam:" + company_key(name or "")


@dataclass(frozen=True)
class KnownLine:
    """A line in the ledger, as its current version says (`line_id` is its stable id)."""

    line_id: int
    contract_id: str
    kind: LineKind
    identity: str | None
    status: LineStatus
    fingerprint: str
    provenance: Provenance
    block_code: str | None
    facts: Facts | None
    from_pdf: bool
    match_keys: tuple[str, ...] = ()
    earlier_fingerprints: frozenset[str] = frozenset()
    """Fingerprints of the line's earlier versions: a stale row that repeats one of them does
    not undo a correction made since."""


class EvidenceLookup(Protocol):
    """The questions the validators ask the ledger, about current lines only."""

    def same_line(self, contract_id: str, identity: str | None) -> KnownLine | None:
        """The line of this contract with this identity."""

    def lines_with_keys(
        self, contract_id: str, kind: LineKind, keys: Iterable[str]
    ) -> list[KnownLine]:
        """Lines of this contract and kind that share a match key (a row they may correct)."""

    def counted_claim(self, identity: str, contract_id: str) -> KnownLine | None:
        """An accepted or pending line of this invoice under another contract than this one."""

    def purchase_by_number(self, contract_id: str, number_key: str) -> KnownLine | None:
        """A purchase line of this contract with this invoice number (punctuation ignored)."""


@dataclass(frozen=True)
class KnownEvidence:
    """Current lines held in memory, indexed once."""

    lines: tuple[KnownLine, ...] = ()
    _by_identity: dict[tuple[str, str], KnownLine] = field(init=False, repr=False)
    _by_key: dict[tuple[str, LineKind, str], list[KnownLine]] = field(init=False, repr=False)
    _by_number: dict[tuple[str, str], KnownLine] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_identity: dict[tuple[str, str], KnownLine] = {}
        by_key: dict[tuple[str, LineKind, str], list[KnownLine]] = defaultdict(list)
        by_number: dict[tuple[str, str], KnownLine] = {}
        for line in self.lines:
            if line.identity is not None:
                by_identity.setdefault((line.contract_id, line.identity), line)
            for key in line.match_keys:
                by_key[(line.contract_id, line.kind, key)].append(line)
            number = getattr(line.facts, "invoice_number", None)
            if line.kind is LineKind.PURCHASE and isinstance(number, str):
                by_number.setdefault((line.contract_id, invoice_number_key(number)), line)
        object.__setattr__(self, "_by_identity", by_identity)
        object.__setattr__(self, "_by_key", dict(by_key))
        object.__setattr__(self, "_by_number", by_number)

    def same_line(self, contract_id: str, identity: str | None) -> KnownLine | None:
        return None if identity is None else self._by_identity.get((contract_id, identity))

    def lines_with_keys(
        self, contract_id: str, kind: LineKind, keys: Iterable[str]
    ) -> list[KnownLine]:
        found: dict[int, KnownLine] = {}
        for key in keys:
            for line in self._by_key.get((contract_id, kind, key), []):
                found.setdefault(line.line_id, line)
        return list(found.values())

    def counted_claim(self, identity: str, contract_id: str) -> KnownLine | None:
        return next(
            (
                line
                for line in self.lines
                if line.kind is LineKind.PURCHASE
                and line.identity == identity
                and line.contract_id != contract_id
                and line.status is not LineStatus.REJECTED
            ),
            None,
        )

    def purchase_by_number(self, contract_id: str, number_key: str) -> KnownLine | None:
        return self._by_number.get((contract_id, number_key))
