"""Keeping the ledger's copy of the register in step with contracts.xlsx."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from domain.contracts import Contract
from ledger.schema import ContractRecord

CHECKED_FIELDS = (
    "contractor",
    "contractor_kvk",
    "start_date",
    "end_date",
    "award_date",
    "ruleset_id",
)
"""Register fields the validators use: a change means the contract's lines are checked again."""


def _checked_values(record: ContractRecord | Contract) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in CHECKED_FIELDS)


def sync_contracts(session: Session, contracts: Sequence[Contract]) -> list[str]:
    """Insert or update each valid register contract; contracts are never deleted, because
    lines and files refer to them. Returns the ids of known contracts whose checked fields
    changed since the last run."""
    now = datetime.now(UTC).replace(tzinfo=None)
    changed = []
    for contract in contracts:
        record = session.get(ContractRecord, contract.contract_id)
        if record is not None and _checked_values(record) != _checked_values(contract):
            changed.append(contract.contract_id)
        record = record or ContractRecord(contract_id=contract.contract_id)
        record.title = contract.title
        record.contractor = contract.contractor
        record.contractor_kvk = contract.contractor_kvk
        record.municipality = contract.municipality
        record.contract_value = contract.contract_value
        record.sroi_percentage = contract.sroi_percentage
        record.capital_intensive = contract.capital_intensive
        record.start_date = contract.start_date
        record.end_date = contract.end_date
        record.award_date = contract.award_date
        record.ruleset_id = contract.ruleset_id
        record.pso_level = contract.pso_level
        record.label = contract.label
        record.pso_valid_until = contract.pso_valid_until
        record.labour_share = contract.labour_share
        record.shares = {share.municipality: str(share.share) for share in contract.shares}
        record.synced_at = now
        session.add(record)
    return changed
