"""Quarterly reports per contract, per municipality and for the region (HTML and PDF), and an
index.html per quarter linking them.

The HTML files link region -> municipality -> contract and back; the PDF of each report is the
same document without those links (they cannot work in a mailed PDF), with the same charts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment

from domain.periods import Quarter
from domain.storage import write_text_atomically
from reporting.charts import municipality_chart, progress_chart, trend_chart
from reporting.render import PdfWriter, render_html, template_environment
from reporting.subjects import subject_of
from reporting.verdict import verdict_nl
from reporting.views import (
    MunicipalityBar,
    category_rows,
    contract_figures,
    contract_href,
    contract_row,
    conversation_first,
    municipality_href,
    progress_series,
    quarter_rows,
    ruleset_notes,
    safe_file_name,
    shared_figures,
    trend_bars,
)
from reporting.worklist import Worklist
from rulesets.model import block_sort_key
from validators.lines import HourFacts, LineStatus, PurchaseFacts
from valuation.accrual import StoredLine
from valuation.portfolio import ContractValuation, MunicipalValuation, PortfolioValuation
from valuation.progress import ContractStatus
from valuation.reach import Category, block_category

_ZERO = Decimal(0)

__all__ = ["ReportInputs", "safe_file_name", "write_quarter_reports"]


@dataclass(frozen=True)
class ReportInputs:
    portfolio: PortfolioValuation
    lines: Sequence[StoredLine]
    files: dict[str, int]
    quarantined: Sequence[tuple[str, str]]
    register_problems: Sequence[str]
    generated: date
    submitted: frozenset[str] = frozenset()
    """Contracts with a file processed in a run that reported on this quarter."""
    worklist: Worklist | None = None
    """What needs the coordinators now (the region report's last section)."""

    @property
    def provisional(self) -> bool:
        """The quarter has not ended on the day the reports are made."""
        return self.generated <= self.portfolio.quarter.last_day


def _approved_by(stored: StoredLine) -> str:
    facts = stored.valued.line.facts
    if isinstance(facts, PurchaseFacts | HourFacts) and facts.approved_by:
        return facts.approved_by
    return ""


def _line_row(valuation: ContractValuation, stored: StoredLine, quarter: Quarter) -> dict[str, Any]:
    line = stored.valued.line
    value = valuation.lines.get(stored.line_id)
    return {
        "line_id": stored.line_id,
        "status": line.status.value,
        "status_nl": line.status.label_nl,
        "block_code": line.block_code,
        "subject": subject_of(line),
        "source": line.provenance.describe_nl(),
        "value_quarter": value.by_quarter.get(quarter, _ZERO) if value else _ZERO,
        "value_to_date": value.to_date if value else _ZERO,
        "reasons": list(line.reasons),
        "warnings": list(line.warnings) + (value.warnings if value else []),
        "approved_by": _approved_by(stored),
    }


def _block_rows(valuation: ContractValuation) -> list[dict[str, Any]]:
    ruleset = valuation.ruleset
    labels = {block.code: block.label for block in ruleset.blocks}
    return [
        {
            "code": code,
            "label": labels.get(code, ""),
            "category": block_category(ruleset, code).label_nl,
            "amount": amount,
        }
        for code, amount in sorted(valuation.by_block.items(), key=lambda i: block_sort_key(i[0]))
        if amount != 0
    ]


def _contract_context(
    valuation: ContractValuation, lines: Sequence[StoredLine], as_of: date, quarter: Quarter
) -> dict[str, Any]:
    contract_id = valuation.contract.contract_id
    rows = [_line_row(valuation, stored, quarter) for stored in lines]
    open_statuses = {LineStatus.REJECTED.value, LineStatus.PENDING.value}
    notes = list(valuation.warnings) + ruleset_notes([valuation.ruleset])
    return {
        "contract": valuation.contract,
        "ruleset": valuation.ruleset,
        "figures": contract_figures(valuation),
        "verdict": verdict_nl(valuation),
        "chart": progress_chart(progress_series(valuation, as_of), f"voortgang-{contract_id}"),
        "categories": category_rows(valuation.by_category),
        "blocks": _block_rows(valuation),
        "quarters": quarter_rows(valuation, as_of),
        "open_lines": [row for row in rows if row["status"] in open_statuses],
        "accepted_lines": [row for row in rows if row["status"] not in open_statuses],
        "counts": {status.value: valuation.line_counts[status] for status in LineStatus},
        "notes": notes,
        "municipalities": [
            {"name": s.municipality, "share": s.share, "href": municipality_href(s.municipality)}
            for s in valuation.contract.shares
        ],
    }


def _running_in(valuation: ContractValuation, quarter: Quarter) -> bool:
    contract = valuation.contract
    return contract.start_date <= quarter.last_day and contract.end_date >= quarter.first_day


def _no_data(contracts: Sequence[ContractValuation], quarter: Quarter, lines: int) -> str:
    """Why a report of this quarter has nothing to show, or '' when it has."""
    if not contracts:
        return "Er zijn geen (geldige) contracten; voor dit kwartaal zijn er geen gegevens."
    if not any(valuation.contract.start_date <= quarter.last_day for valuation in contracts):
        return (
            f"In het {quarter.label_nl} liep nog geen van deze contracten; "
            "voor dit kwartaal zijn er geen gegevens."
        )
    if lines == 0:
        return "Voor deze contracten zijn nog geen regels ontvangen."
    return ""


def _municipality_context(
    municipal: MunicipalValuation, inputs: ReportInputs, lines_per_contract: Counter[str]
) -> dict[str, Any]:
    quarter = inputs.portfolio.quarter
    ordered = conversation_first(municipal.contracts)
    contracts = [valuation for valuation, _ in municipal.contracts]
    silent = [
        valuation.contract
        for valuation, _ in ordered
        if _running_in(valuation, quarter)
        and valuation.contract.contract_id not in inputs.submitted
    ]
    lines = sum(lines_per_contract[v.contract.contract_id] for v in contracts)
    return {
        "municipality": municipal.municipality,
        "figures": shared_figures(municipal),
        "rows": [contract_row(valuation, share) for valuation, share in ordered],
        "silent": [
            {
                "contract_id": contract.contract_id,
                "contractor": contract.contractor,
                "href": contract_href(contract.contract_id),
                "start_date": contract.start_date,
                "end_date": contract.end_date,
            }
            for contract in sorted(silent, key=lambda c: c.contract_id)
        ],
        "categories": category_rows(
            {category: municipal.category_total(category) for category in Category}
        ),
        "chart": trend_chart(
            trend_bars(municipal, quarter),
            [category.label_nl for category in Category],
            f"trend-{safe_file_name(municipal.municipality)}",
        ),
        "notes": ruleset_notes([v.ruleset for v in contracts]),
        "no_data": _no_data(contracts, quarter, lines),
    }


def _municipality_row(municipal: MunicipalValuation) -> dict[str, Any]:
    return {
        "municipality": municipal.municipality,
        "href": municipality_href(municipal.municipality),
        "pdf": municipality_href(municipal.municipality).removesuffix(".html") + ".pdf",
        "contracts": len(municipal.contracts),
        "net_obligation": municipal.net_obligation,
        "realized_quarter": municipal.realized_quarter,
        "realized_to_date": municipal.realized_to_date,
        "purchases": municipal.category_total(Category.PURCHASES),
        "people": municipal.people,
        "people_participatiewet": municipal.people_participatiewet,
        "remaining": municipal.remaining,
        "forecast_at_end": municipal.forecast_at_end,
    }


def _region_context(inputs: ReportInputs, lines_per_contract: Counter[str]) -> dict[str, Any]:
    portfolio = inputs.portfolio
    region = MunicipalValuation("regio", [(v, Decimal(1)) for v in portfolio.contracts])
    statuses = Counter(valuation.status for valuation in portfolio.contracts)
    bars = [
        MunicipalityBar(m.municipality, m.net_obligation, m.realized_to_date, m.forecast_at_end)
        for m in portfolio.municipalities
    ]
    lines = sum(lines_per_contract[v.contract.contract_id] for v in portfolio.contracts)
    return {
        "figures": shared_figures(region),
        "contract_count": len(portfolio.contracts),
        "purchases": region.category_total(Category.PURCHASES),
        "categories": category_rows(
            {category: region.category_total(category) for category in Category}
        ),
        "chart": municipality_chart(bars, "gemeenten"),
        "contract_rows": [contract_row(v, s) for v, s in conversation_first(region.contracts)],
        "municipality_rows": [_municipality_row(m) for m in portfolio.municipalities],
        "status_counts": [
            {"label": status.label_nl, "count": statuses[status]}
            for status in ContractStatus
            if statuses[status]
        ],
        "files": inputs.files,
        "quarantined": [{"name": name, "reason": reason} for name, reason in inputs.quarantined],
        "register_problems": list(inputs.register_problems),
        "notes": ruleset_notes([v.ruleset for v in portfolio.contracts]),
        "no_data": _no_data(portfolio.contracts, portfolio.quarter, lines),
        "worklist": _worklist_rows(
            inputs.worklist, {v.contract.contract_id for v in portfolio.contracts}
        ),
    }


def _worklist_rows(worklist: Worklist | None, reported: set[str]) -> list[dict[str, Any]] | None:
    """The worklist's items for the region report (a contract with a report is a link); None
    when it was not made."""
    if worklist is None:
        return None
    return [
        {
            "kind": item.kind.label_nl,
            "contract_id": item.contract_id or "",
            "href": contract_href(item.contract_id) if item.contract_id in reported else "",
            "reference": item.reference_nl,
            "what": item.what,
            "reason": item.reason,
        }
        for item in worklist.items
    ]


def _index_context(inputs: ReportInputs) -> dict[str, Any]:
    rows = []
    for valuation in inputs.portfolio.contracts:
        row = contract_row(valuation, Decimal(1))
        row["pdf"] = row["href"].removesuffix(".html") + ".pdf"
        rows.append(row)
    return {
        "municipality_rows": [_municipality_row(m) for m in inputs.portfolio.municipalities],
        "contract_rows": rows,
    }


def _crumbs(root: str, *more: tuple[str, str]) -> list[dict[str, str]]:
    trail = [("Overzicht", "index.html"), ("Regio", "regio.html")]
    return [{"label": label, "href": root + href} for label, href in (*trail, *more)]


def _write(
    environment: Environment,
    template: str,
    context: dict[str, Any],
    path: Path,
    pdfs: PdfWriter,
) -> Path:
    """The HTML report at `path`; its print version goes to the PDF writer."""
    screen = render_html(environment, template, context | {"for_print": False})
    write_text_atomically(path, screen)
    printed = render_html(environment, template, context | {"for_print": True})
    pdfs.add(printed, path.with_suffix(".pdf"))
    return path


def _common(inputs: ReportInputs) -> dict[str, Any]:
    quarter = inputs.portfolio.quarter
    return {
        "quarter": str(quarter),
        "quarter_nl": quarter.label_nl,
        "quarter_end": quarter.last_day,
        "as_of": inputs.portfolio.as_of,
        "generated": inputs.generated,
        "provisional": inputs.provisional,
    }


def write_quarter_reports(
    reports_root: Path, inputs: ReportInputs, environment: Environment | None = None
) -> list[Path]:
    """reports/<YYYYQn>/contracts/<id>.html|pdf, gemeenten/<name>.html|pdf, regio.html|pdf and
    index.html; returns the files written."""
    environment = environment or template_environment()
    portfolio = inputs.portfolio
    folder = reports_root / str(portfolio.quarter)
    common = _common(inputs)
    by_contract: dict[str, list[StoredLine]] = defaultdict(list)
    for stored in inputs.lines:
        by_contract[stored.contract_id].append(stored)
    lines_per_contract = Counter({key: len(value) for key, value in by_contract.items()})
    documents = len(portfolio.contracts) + len(portfolio.municipalities) + 1
    html: list[Path] = []
    with PdfWriter(documents) as pdfs:
        # The longest PDFs first (the region's lists every contract), so that no worker is left
        # with one of them while the others have nothing to do.
        region = _region_context(inputs, lines_per_contract) | {"root": "", "crumbs": _crumbs("")}
        html.append(
            _write(environment, "region.html", common | region, folder / "regio.html", pdfs)
        )
        for municipal in portfolio.municipalities:
            name = municipal.municipality
            context = _municipality_context(municipal, inputs, lines_per_contract)
            context |= {"root": "../", "crumbs": _crumbs("../", (name, municipality_href(name)))}
            path = folder / "gemeenten" / f"{safe_file_name(name)}.html"
            html.append(_write(environment, "municipality.html", common | context, path, pdfs))
        for valuation in portfolio.contracts:
            contract_id = valuation.contract.contract_id
            context = _contract_context(
                valuation, by_contract[contract_id], portfolio.as_of, portfolio.quarter
            )
            trail = [(share["name"], share["href"]) for share in context["municipalities"]]
            context |= {"root": "../", "crumbs": _crumbs("../", *trail)}
            path = folder / "contracts" / f"{safe_file_name(contract_id)}.html"
            html.append(_write(environment, "contract.html", common | context, path, pdfs))
        index = common | _index_context(inputs) | {"root": "", "crumbs": _crumbs("")}
        index_path = folder / "index.html"
        write_text_atomically(
            index_path, render_html(environment, "index.html", index | {"for_print": False})
        )
    return [*html, *pdfs.written, index_path]
