"""One realistic, acceptable example row per sheet for the template's Uitleg sheet: a target
group an ordinary adult qualifies for, dates inside the contract period."""

from __future__ import annotations

from datetime import date, timedelta

from domain.contracts import Contract
from domain.periods import add_months
from rulesets.model import Bounds, HoursBlock, InvoiceBlock, PlacementBlock, Ruleset
from validators.eligibility import benefit_duration_holds

CellValue = str | int | float | date | None
ExampleRows = dict[str, dict[str, CellValue]]
"""Per sheet name, the example value of each field."""

# Fictitious: the 999999xxx range is reserved for tests, and this one passes the 11-test.
EXAMPLE_BSN = "999999990"


def example_rows(ruleset: Ruleset, contract: Contract | None) -> ExampleRows:
    """Example values keyed by sheet name and field; dates fall in the contract period when a
    contract is given."""
    first = contract.start_date if contract is not None else date(date.today().year, 1, 1)
    last = contract.end_date if contract is not None else date(first.year, 12, 31)

    def day(months: int, days: int = 0) -> date:
        return min(add_months(first, months) + timedelta(days=days), last)

    return {
        "Plaatsingen": _placement_example(ruleset, day(2)),
        "Inkoop": _purchase_example(ruleset, day(3, 14)),
        "MVO": _hours_example(ruleset, day(4, 9)),
    }


def _placement_example(ruleset: Ruleset, start: date) -> dict[str, CellValue]:
    block = _example_block(ruleset)
    row: dict[str, CellValue] = {
        "bsn": EXAMPLE_BSN,
        "name": "A. de Jong",
        "birth_date": date(start.year - 34, 5, 17),
        "target_group": block.label if block is not None else None,
        "start_date": start,
        "hours_per_week": 32,
        "employment": "tijdelijk",
        "refugee": "nee",
        "special_group": "nee",
        "note": "Via het Werkplein",
    }
    bounds = block.eligibility.benefit_months if block is not None else None
    if bounds is not None:
        row["benefit_since"] = _benefit_since(bounds, start)
    return row


def _benefit_since(bounds: Bounds, start: date) -> date | None:
    """A benefit start the block accepts; a year or more back where possible, the usual case
    and clearly not a copy of the start date."""
    for months in (*range(12, 241), *range(12)):
        since = add_months(start, -months)
        if benefit_duration_holds(bounds, since, start):
            return since
    return None


def _example_block(ruleset: Ruleset) -> PlacementBlock | None:
    """A placement block an ordinary adult qualifies for without evidence, preferably one
    with a benefit condition so the example shows `Uitkering sinds`."""
    plain = [
        block
        for block in ruleset.blocks_of(PlacementBlock)
        if isinstance(block, PlacementBlock)
        and block.eligibility.age is None
        and not block.eligibility.requires_evidence
    ]
    with_benefit = [block for block in plain if block.eligibility.benefit_months is not None]
    candidates = with_benefit or plain
    return candidates[0] if candidates else None


def _purchase_example(ruleset: Ruleset, invoice_date: date) -> dict[str, CellValue]:
    block = ruleset.block(ruleset.invoice_block)
    needs_approval = isinstance(block, InvoiceBlock) and block.requires_approval
    return {
        "supplier": "Werkbedrijf De Schakel B.V.",
        "supplier_kvk": "41025698",
        "invoice_number": f"{invoice_date.year}-0142",
        "invoice_date": invoice_date,
        "amount_excl_vat": 2450.0,
        "block": block.label,
        "approved_by": "M. de Boer" if needs_approval else None,
    }


def _hours_example(ruleset: Ruleset, activity_date: date) -> dict[str, CellValue]:
    block = next(iter(ruleset.blocks_of(HoursBlock)), None)
    needs_approval = isinstance(block, HoursBlock) and block.requires_approval
    return {
        "activity_date": activity_date,
        "activity": "Gastles techniek voor vmbo-leerlingen",
        "hours": 4,
        "travel_hours": 1,
        "approved_by": "M. de Boer" if needs_approval else None,
    }
