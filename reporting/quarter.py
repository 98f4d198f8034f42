"""Quarterly reports per contract, per municipality and for the region (HTML and PDF)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment

from reporting.render import render_html, template_environment, write_document
from reporting.subjects import subject_of
from rulesets.model import block_sort_key
from validators.lines import LineStatus
from valuation.accrual import StoredLine
from valuation.portfolio import ContractValuation, MunicipalValuation, PortfolioValuation
from valuation.progress import ContractStatus

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Figures:
    obligation: Decimal
    discount: Decimal
    net_obligation: Decimal
    realized_quarter: Decimal
    realized_to_date: Decimal
    expected_to_date: Decimal
    remaining: Decimal
    fine: Decimal
    status: str = ""
    status_nl: str = ""
    percentage: Decimal = _ZERO


@dataclass(frozen=True)
class ReportInputs:
    portfolio: PortfolioValuation
    lines: Sequence[StoredLine]
    files: dict[str, int]
    quarantined: Sequence[tuple[str, str]]
    register_problems: Sequence[str]
    generated: date


def contract_figures(valuation: ContractValuation) -> Figures:
    return Figures(
        obligation=valuation.obligation.obligation,
        discount=valuation.obligation.discount,
        net_obligation=valuation.obligation.net_obligation,
        realized_quarter=valuation.realized_quarter,
        realized_to_date=valuation.realized_to_date,
        expected_to_date=valuation.expected_to_date,
        remaining=valuation.remaining,
        fine=valuation.fine,
        status=valuation.status.value,
        status_nl=valuation.status.label_nl,
        percentage=valuation.obligation.percentage,
    )


def shared_figures(shared: MunicipalValuation) -> Figures:
    return Figures(
        obligation=shared.obligation,
        discount=shared.discount,
        net_obligation=shared.net_obligation,
        realized_quarter=shared.realized_quarter,
        realized_to_date=shared.realized_to_date,
        expected_to_date=shared.expected_to_date,
        remaining=shared.remaining,
        fine=shared.fine,
    )


def _contract_row(valuation: ContractValuation, share: Decimal) -> dict[str, Any]:
    return {
        "contract_id": valuation.contract.contract_id,
        "contractor": valuation.contract.contractor,
        "share": share,
        "net_obligation": valuation.obligation.net_obligation * share,
        "realized_quarter": valuation.realized_quarter * share,
        "realized_to_date": valuation.realized_to_date * share,
        "remaining": valuation.remaining * share,
        "status": valuation.status.value,
        "status_nl": valuation.status.label_nl,
    }


def _line_rows(valuation: ContractValuation, lines: Sequence[StoredLine]) -> list[dict[str, Any]]:
    rows = []
    for stored in lines:
        if stored.contract_id != valuation.contract.contract_id:
            continue
        line = stored.valued.line
        value = valuation.lines.get(stored.line_id)
        rows.append(
            {
                "line_id": stored.line_id,
                "status": line.status.value,
                "status_nl": line.status.label_nl,
                "block_code": line.block_code,
                "subject": subject_of(line),
                "source": line.provenance.describe_nl(),
                "value_to_date": value.to_date if value else _ZERO,
                "reasons": list(line.reasons),
                "warnings": list(line.warnings) + (value.warnings if value else []),
            }
        )
    return rows


def _contract_context(valuation: ContractValuation, inputs: ReportInputs) -> dict[str, Any]:
    ruleset = valuation.ruleset
    labels = {block.code: block.label for block in ruleset.blocks}
    blocks = [
        {"code": code, "label": labels.get(code, ""), "amount": amount}
        for code, amount in sorted(valuation.by_block.items(), key=lambda i: block_sort_key(i[0]))
        if amount != 0
    ]
    cumulative = _ZERO
    quarters = []
    for quarter, amount in valuation.by_quarter.items():
        cumulative += amount
        quarters.append({"quarter": quarter.label_nl, "amount": amount, "cumulative": cumulative})
    notes = list(valuation.warnings)
    if not ruleset.complete:
        notes.append(
            f"regeling {ruleset.id} is niet volledig gepubliceerd; bedragen onder voorbehoud"
        )
    counts = {status.value: valuation.line_counts[status] for status in LineStatus}
    return {
        "contract": valuation.contract,
        "ruleset": ruleset,
        "figures": contract_figures(valuation),
        "blocks": blocks,
        "quarters": quarters,
        "lines": _line_rows(valuation, inputs.lines),
        "counts": counts,
        "notes": notes,
    }


def _municipality_context(municipal: MunicipalValuation) -> dict[str, Any]:
    return {
        "municipality": municipal.municipality,
        "figures": shared_figures(municipal),
        "rows": [_contract_row(valuation, share) for valuation, share in municipal.contracts],
    }


def _region_context(inputs: ReportInputs) -> dict[str, Any]:
    portfolio = inputs.portfolio
    statuses = Counter(valuation.status for valuation in portfolio.contracts)
    return {
        "figures": shared_figures(
            MunicipalValuation(
                "regio", [(valuation, Decimal(1)) for valuation in portfolio.contracts]
            )
        ),
        "contract_rows": [_contract_row(v, Decimal(1)) for v in portfolio.contracts],
        "municipality_rows": [
            {
                "municipality": m.municipality,
                "contracts": len(m.contracts),
                "net_obligation": m.net_obligation,
                "realized_quarter": m.realized_quarter,
                "realized_to_date": m.realized_to_date,
                "remaining": m.remaining,
            }
            for m in portfolio.municipalities
        ],
        "status_counts": [
            {"label": status.label_nl, "count": statuses[status]}
            for status in ContractStatus
            if statuses[status]
        ],
        "files": inputs.files,
        "quarantined": [{"name": name, "reason": reason} for name, reason in inputs.quarantined],
        "register_problems": list(inputs.register_problems),
    }


def safe_file_name(name: str) -> str:
    """Municipality names become file names: keep letters, digits, spaces and hyphens."""
    return re.sub(r"[^\w \-]", "_", name).strip() or "onbekend"


def write_quarter_reports(
    reports_root: Path, inputs: ReportInputs, environment: Environment | None = None
) -> list[Path]:
    """reports/<YYYYQn>/contracts/<id>.html|pdf, gemeenten/<name>.html|pdf, regio.html|pdf."""
    environment = environment or template_environment()
    portfolio = inputs.portfolio
    folder = reports_root / str(portfolio.quarter)
    common = {
        "quarter": str(portfolio.quarter),
        "quarter_nl": portfolio.quarter.label_nl,
        "as_of": portfolio.as_of,
        "generated": inputs.generated,
    }
    written: list[Path] = []
    for valuation in portfolio.contracts:
        html = render_html(
            environment, "contract.html", common | _contract_context(valuation, inputs)
        )
        path = folder / "contracts" / f"{safe_file_name(valuation.contract.contract_id)}.html"
        written.extend(write_document(html, path))
    for municipal in portfolio.municipalities:
        html = render_html(
            environment, "municipality.html", common | _municipality_context(municipal)
        )
        written.extend(
            write_document(
                html, folder / "gemeenten" / f"{safe_file_name(municipal.municipality)}.html"
            )
        )
    html = render_html(environment, "region.html", common | _region_context(inputs))
    written.extend(write_document(html, folder / "regio.html"))
    return written
