"""Checked and stored lines built in memory, for the tests of the valuation: a line as the
validators would pass it on, with the components its contract's ruleset gives it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from domain.contracts import Contract
from parsers.grid import Provenance
from rulesets import load_catalog
from validators.lines import CheckedLine, LineKind, LineStatus, PlacementFacts
from valuation.accrual import StoredLine
from valuation.components import ValuedLine, components_of

CATALOG = load_catalog()
_LINE_IDS = count(1)


def stored_line(contract: Contract, line: CheckedLine, line_id: int | None = None) -> StoredLine:
    """The line stored for the contract, valued by its ruleset (a new id unless given)."""
    ruleset = CATALOG.resolve(contract.ruleset_id, contract.award_date)
    return StoredLine(
        line_id if line_id is not None else next(_LINE_IDS),
        contract.contract_id,
        ValuedLine(line, components_of(line, ruleset)),
    )


def placement_line(
    block: str,
    start: date,
    *,
    end: date | None = None,
    fte: str = "1",
    person: str = "Bperson1",
    age: int = 40,
    status: LineStatus = LineStatus.ACCEPTED,
    permanent: bool = False,
    refugee: bool = False,
) -> CheckedLine:
    """A placement row of `person` in `block` from `start`, as the validators pass it on."""
    facts = PlacementFacts(
        person_key=person,
        initials="A.B.",
        start_date=start,
        end_date=end,
        fte=Decimal(fte),
        hours_per_week=None,
        age_at_start=age,
        permanent=permanent,
        refugee=refugee,
        special_group=False,
        evidence_ref="x",
        benefit_since=None,
        note=None,
    )
    return CheckedLine(
        LineKind.PLACEMENT,
        Provenance("f.xlsx", "Plaatsingen", 2),
        status,
        (),
        (),
        block,
        f"p|{person}|{block}|{start}",
        facts,
    )


def placed(
    contract: Contract,
    block: str,
    start: date,
    *,
    end: date | None = None,
    fte: str = "1",
    person: str = "Bperson1",
    age: int = 40,
    status: LineStatus = LineStatus.ACCEPTED,
    permanent: bool = False,
    refugee: bool = False,
) -> StoredLine:
    """A placement line stored for the contract."""
    line = placement_line(
        block, start, end=end, fte=fte, person=person, age=age, status=status,
        permanent=permanent, refugee=refugee,
    )  # fmt: skip
    return stored_line(contract, line)
