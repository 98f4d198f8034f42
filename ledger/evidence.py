"""The validators' questions about the ledger (validators.known.EvidenceLookup), answered with
indexed queries for the lines at hand, so checking a file costs the same however large the
ledger has grown."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.schema import LineRecord, LineVersion
from ledger.serialize import facts_from_json
from parsers.grid import Provenance
from validators.known import KnownLine
from validators.lines import LineKind, LineStatus

_COUNTED = (LineStatus.ACCEPTED.value, LineStatus.PENDING.value)


class LedgerEvidence:
    """Current lines, looked up in one open session (one per file being checked)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._keys: dict[tuple[str, LineKind], dict[str, list[int]]] = {}

    def same_line(self, contract_id: str, identity: str | None) -> KnownLine | None:
        if identity is None:
            return None
        query = (
            select(LineRecord)
            .where(
                LineRecord.contract_id == contract_id,
                LineRecord.identity == identity,
                LineRecord.current_version_id.is_not(None),
            )
            .order_by(LineRecord.id)
            .limit(1)
        )
        return self._known(self._session.scalars(query).first())

    def lines_with_keys(
        self, contract_id: str, kind: LineKind, keys: Iterable[str]
    ) -> list[KnownLine]:
        index = self._key_index(contract_id, kind)
        ids = sorted({line_id for key in keys for line_id in index.get(key, [])})
        found = (self._known(self._session.get(LineRecord, line_id)) for line_id in ids)
        return [line for line in found if line is not None]

    def counted_claim(self, identity: str, contract_id: str) -> KnownLine | None:
        query = (
            select(LineRecord)
            .where(
                LineRecord.identity == identity,
                LineRecord.status.in_(_COUNTED),
                LineRecord.contract_id != contract_id,
                LineRecord.kind == LineKind.PURCHASE.value,
            )
            .order_by(LineRecord.id)
            .limit(1)
        )
        return self._known(self._session.scalars(query).first())

    def purchase_by_number(self, contract_id: str, number_key: str) -> KnownLine | None:
        query = (
            select(LineRecord)
            .where(
                LineRecord.contract_id == contract_id,
                LineRecord.invoice_key == number_key,
                LineRecord.kind == LineKind.PURCHASE.value,
                LineRecord.current_version_id.is_not(None),
            )
            .order_by(LineRecord.id)
            .limit(1)
        )
        return self._known(self._session.scalars(query).first())

    def _key_index(self, contract_id: str, kind: LineKind) -> dict[str, list[int]]:
        """Match key -> line ids of one contract's current lines of one kind, read once."""
        cached = self._keys.get((contract_id, kind))
        if cached is not None:
            return cached
        rows = self._session.execute(
            select(LineRecord.id, LineVersion.match_keys)
            .join(LineVersion, LineVersion.id == LineRecord.current_version_id)
            .where(LineRecord.contract_id == contract_id, LineRecord.kind == kind.value)
        )
        index: dict[str, list[int]] = {}
        for line_id, keys in rows:
            for key in keys or ():
                index.setdefault(key, []).append(line_id)
        self._keys[(contract_id, kind)] = index
        return index

    def _known(self, record: LineRecord | None) -> KnownLine | None:
        if record is None or record.current_version_id is None:
            return None
        version = self._session.get(LineVersion, record.current_version_id)
        if version is None:
            return None
        earlier = self._session.scalars(
            select(LineVersion.fingerprint).where(
                LineVersion.line_id == record.id,
                LineVersion.id != version.id,
                LineVersion.retracted_at.is_(None),
            )
        )
        kind = LineKind(version.kind)
        return KnownLine(
            line_id=record.id,
            contract_id=record.contract_id,
            kind=kind,
            identity=version.identity,
            status=LineStatus(version.status),
            fingerprint=version.fingerprint,
            provenance=Provenance(version.source_file, version.source_sheet, version.source_row),
            block_code=version.block_code,
            facts=facts_from_json(kind, version.facts),
            from_pdf=version.from_pdf,
            match_keys=tuple(version.match_keys),
            earlier_fingerprints=frozenset(earlier),
        )
