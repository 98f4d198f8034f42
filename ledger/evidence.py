"""The validators' questions about the ledger (validators.known.EvidenceLookup), answered for
one file: the current lines of the file's contract are indexed with two queries the first time
they are asked about, so checking a file costs the same however large the ledger has grown and
however many rows the file has. (Used inside the transaction that stores the file: the index
cannot go stale while the file is checked.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ledger.schema import LineRecord, LineVersion
from ledger.serialize import facts_from_json
from parsers.grid import Provenance
from validators.known import KnownLine
from validators.lines import LineKind, LineStatus

_COUNTED = (LineStatus.ACCEPTED.value, LineStatus.PENDING.value)
_KNOWN_COLUMNS = (
    LineVersion.id.label("version_id"),
    LineVersion.kind,
    LineVersion.identity,
    LineVersion.status,
    LineVersion.fingerprint,
    LineVersion.source_file,
    LineVersion.source_sheet,
    LineVersion.source_row,
    LineVersion.block_code,
    LineVersion.facts,
    LineVersion.from_pdf,
    LineVersion.match_keys,
)
"""What a KnownLine is made of, read with the index (no ORM object per line)."""


@dataclass
class _ContractIndex:
    """A contract's current lines by what rows are recognised by, in line order."""

    by_identity: dict[str, int] = field(default_factory=dict)
    by_key: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    purchase_by_number: dict[str, int] = field(default_factory=dict)
    fingerprints: dict[int, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))
    """line id -> (version id, fingerprint) of its versions that were not retracted"""
    rows: dict[int, Row[Any]] = field(default_factory=dict)
    """line id -> its current version's columns (_KNOWN_COLUMNS)"""


class LedgerEvidence:
    """Current lines, looked up in one open session (one per file being checked)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._contracts: dict[str, _ContractIndex] = {}
        self._known: dict[int, KnownLine] = {}

    def same_line(self, contract_id: str, identity: str | None) -> KnownLine | None:
        if identity is None:
            return None
        line_id = self._index(contract_id).by_identity.get(identity)
        return None if line_id is None else self._line(contract_id, line_id)

    def lines_with_keys(
        self, contract_id: str, kind: LineKind, keys: Iterable[str]
    ) -> list[KnownLine]:
        index = self._index(contract_id)
        ids = sorted({line_id for key in keys for line_id in index.by_key.get((kind, key), [])})
        return [self._line(contract_id, line_id) for line_id in ids]

    def counted_claim(self, identity: str, contract_id: str) -> KnownLine | None:
        """The one question about other contracts: an indexed query of its own."""
        query = (
            select(LineRecord.id, LineRecord.contract_id)
            .where(
                LineRecord.identity == identity,
                LineRecord.status.in_(_COUNTED),
                LineRecord.contract_id != contract_id,
                LineRecord.kind == LineKind.PURCHASE.value,
            )
            .order_by(LineRecord.id)
            .limit(1)
        )
        found = self._session.execute(query).first()
        return None if found is None else self._line(found.contract_id, found.id)

    def purchase_by_number(self, contract_id: str, number_key: str) -> KnownLine | None:
        line_id = self._index(contract_id).purchase_by_number.get(number_key)
        return None if line_id is None else self._line(contract_id, line_id)

    def _index(self, contract_id: str) -> _ContractIndex:
        index = self._contracts.get(contract_id)
        if index is None:
            index = self._contracts[contract_id] = self._load(contract_id)
        return index

    def _load(self, contract_id: str) -> _ContractIndex:
        index = _ContractIndex()
        current = self._session.execute(
            select(
                LineRecord.id,
                LineRecord.invoice_key,
                *_KNOWN_COLUMNS,
            )
            .join(LineVersion, LineVersion.id == LineRecord.current_version_id)
            .where(LineRecord.contract_id == contract_id)
            .order_by(LineRecord.id)
        )
        for row in current:
            line_id, kind = row.id, row.kind
            index.rows[line_id] = row
            if row.identity is not None:
                index.by_identity.setdefault(row.identity, line_id)
            for key in row.match_keys or ():
                index.by_key[(LineKind(kind), key)].append(line_id)
            if kind == LineKind.PURCHASE.value and row.invoice_key is not None:
                index.purchase_by_number.setdefault(row.invoice_key, line_id)
        versions = self._session.execute(
            select(LineVersion.line_id, LineVersion.id, LineVersion.fingerprint).where(
                LineVersion.contract_id == contract_id, LineVersion.retracted_at.is_(None)
            )
        )
        for line_id, version_id, fingerprint in versions:
            index.fingerprints[line_id].add((version_id, fingerprint))
        return index

    def _line(self, contract_id: str, line_id: int) -> KnownLine:
        known = self._known.get(line_id)
        if known is not None:
            return known
        index = self._index(contract_id)
        row = index.rows.get(line_id)
        if row is None:  # the index was read in this very transaction
            raise LookupError(f"line {line_id}: not among the current lines of {contract_id}")
        kind = LineKind(row.kind)
        known = self._known[line_id] = KnownLine(
            line_id=line_id,
            contract_id=contract_id,
            kind=kind,
            identity=row.identity,
            status=LineStatus(row.status),
            fingerprint=row.fingerprint,
            provenance=Provenance(row.source_file, row.source_sheet, row.source_row),
            block_code=row.block_code,
            facts=facts_from_json(kind, row.facts),
            from_pdf=row.from_pdf,
            match_keys=tuple(row.match_keys or ()),
            earlier_fingerprints=frozenset(
                fingerprint
                for version_id, fingerprint in index.fingerprints[line_id]
                if version_id != row.version_id
            ),
        )
        return known
