"""The summary JSON of INTERFACE.md section 7: figures rounded to cents from unrounded values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.dutch import round_cents
from rulesets.model import block_sort_key
from validators.lines import LineStatus
from valuation.portfolio import ContractValuation, MunicipalValuation, PortfolioValuation


def money(amount: Decimal) -> float:
    return float(round_cents(amount))


def contract_summary(valuation: ContractValuation) -> dict[str, Any]:
    obligation = valuation.obligation
    return {
        "contract_id": valuation.contract.contract_id,
        "ruleset": valuation.ruleset.id,
        "obligation": money(obligation.obligation),
        "discount": money(obligation.discount),
        "net_obligation": money(obligation.net_obligation),
        "realized_quarter": money(valuation.realized_quarter),
        "realized_to_date": money(valuation.realized_to_date),
        "expected_to_date": money(valuation.expected_to_date),
        "remaining": money(valuation.remaining),
        "status": valuation.status.value,
        "fine": money(valuation.fine),
        "by_block": {
            code: money(amount)
            for code, amount in sorted(
                valuation.by_block.items(), key=lambda item: block_sort_key(item[0])
            )
            if amount != 0
        },
        "by_category": {
            category.value: money(amount) for category, amount in valuation.by_category.items()
        },
        "forecast_at_end": money(valuation.forecast_at_end),
        "forecast_shortfall": money(valuation.forecast_shortfall),
        "people": valuation.people,
        "people_participatiewet": valuation.people_participatiewet,
        "lines": {
            "accepted": valuation.line_counts[LineStatus.ACCEPTED],
            "rejected": valuation.line_counts[LineStatus.REJECTED],
            "pending": valuation.line_counts[LineStatus.PENDING],
        },
    }


def municipality_summary(municipal: MunicipalValuation) -> dict[str, Any]:
    return {
        "municipality": municipal.municipality,
        "contracts": len(municipal.contracts),
        "net_obligation": money(municipal.net_obligation),
        "realized_quarter": money(municipal.realized_quarter),
        "realized_to_date": money(municipal.realized_to_date),
        "remaining": money(municipal.remaining),
        "forecast_at_end": money(municipal.forecast_at_end),
        "people": municipal.people,
    }


def summary_document(portfolio: PortfolioValuation, files: dict[str, int]) -> dict[str, Any]:
    return {
        "quarter": str(portfolio.quarter),
        "as_of": portfolio.as_of.isoformat(),
        "contracts": [contract_summary(valuation) for valuation in portfolio.contracts],
        "municipalities": [municipality_summary(m) for m in portfolio.municipalities],
        "files": files,
    }
