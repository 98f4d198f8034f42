"""Progress against the obligation, status and fine (VALUATION.md section 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.contracts import Contract
from domain.periods import days_inclusive

ATTENTION_SHARE = Decimal("0.75")


class ContractStatus(StrEnum):
    NOT_STARTED = "nog_niet_gestart"
    ON_SCHEDULE = "op_schema"
    ATTENTION = "aandacht"
    BEHIND = "achter"
    REALISED = "gerealiseerd"
    ENDED_SHORT = "afgerond_tekort"

    @property
    def label_nl(self) -> str:
        return {
            "nog_niet_gestart": "nog niet gestart",
            "op_schema": "op schema",
            "aandacht": "aandacht nodig",
            "achter": "achter op schema",
            "gerealiseerd": "gerealiseerd",
            "afgerond_tekort": "afgerond met tekort",
        }[self.value]


@dataclass(frozen=True)
class Progress:
    expected_to_date: Decimal
    remaining: Decimal
    status: ContractStatus
    fine: Decimal


def expected_to_date(contract: Contract, net_obligation: Decimal, as_of: date) -> Decimal:
    if as_of < contract.start_date:
        return Decimal(0)
    elapsed = days_inclusive(contract.start_date, min(as_of, contract.end_date))
    return net_obligation * elapsed / contract.period.days


def assess_progress(
    contract: Contract, net_obligation: Decimal, realized_to_date: Decimal, as_of: date
) -> Progress:
    expected = expected_to_date(contract, net_obligation, as_of)
    remaining = max(Decimal(0), net_obligation - realized_to_date)
    fine = Decimal(0)
    if as_of < contract.start_date:
        status = ContractStatus.NOT_STARTED
    elif realized_to_date >= net_obligation:
        status = ContractStatus.REALISED
    elif as_of > contract.end_date:
        status = ContractStatus.ENDED_SHORT
        fine = net_obligation - realized_to_date
    elif realized_to_date >= expected:
        status = ContractStatus.ON_SCHEDULE
    elif realized_to_date >= ATTENTION_SHARE * expected:
        status = ContractStatus.ATTENTION
    else:
        status = ContractStatus.BEHIND
    return Progress(expected, remaining, status, fine)
