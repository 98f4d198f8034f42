"""Stage micro-benchmark: times the parse -> validate -> value stages on one large placement
list, and the accrual of a portfolio, inside one process. Prints one line per measurement.
The suite of whole processes is `python -m bench`; this is for looking inside a stage.

    python -m bench.stages [--rows 5000] [--placements 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from openpyxl import Workbook
from stdnum.nl import bsn

from domain.contracts import Contract, MunicipalShare
from domain.periods import Quarter
from domain.pseudonym import Pseudonymizer
from parsers.grid import Provenance
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from rulesets import load_catalog
from validators.known import KnownEvidence
from validators.lines import CheckedLine, LineKind, LineStatus, PlacementFacts
from validators.submission import validate_submission
from valuation.accrual import StoredLine
from valuation.components import ValuedLine, components_of, value_lines
from valuation.portfolio import value_portfolio

T = TypeVar("T")
CATALOG = load_catalog()
TWENTE = CATALOG.by_id("twente-2016")
BLOCKS = ("1", "2", "3", "5", "6", "7", "8", "10")


def timed(label: str, action: Callable[[], T], repeat: int = 3) -> T:
    """Best of `repeat` runs: the first run also pays one-time costs (imports, caches)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<46} {best:8.3f} s (best of {repeat})")
    return result


def contract(contract_id: str) -> Contract:
    return Contract(
        contract_id=contract_id,
        title="bench",
        contractor="Bench B.V.",
        contractor_kvk="12345678",
        municipality="Enschede",
        contract_value=Decimal(5_000_000),
        sroi_percentage=None,
        capital_intensive=False,
        start_date=date(2025, 1, 1),
        end_date=date(2027, 12, 31),
        award_date=date(2025, 1, 1),
        ruleset_id="twente-2016",
        pso_level=None,
        label=None,
        pso_valid_until=None,
        labour_share=None,
        shares=(MunicipalShare("Enschede", Decimal(1)),),
    )


def valid_bsns(count: int) -> list[str]:
    numbers: list[str] = []
    candidate = 100_000_000
    while len(numbers) < count:
        if bsn.is_valid(str(candidate)):
            numbers.append(str(candidate))
        candidate += 1
    return numbers


def write_workbook(path: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plaatsingen")
    sheet.append(["SROI-verantwoording"])
    sheet.append(["Contractnummer", "BENCH-1"])
    sheet.append(["BSN", "Naam", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"])
    for index, number in enumerate(valid_bsns(rows)):
        start = date(2025, 1, 1) + timedelta(days=index % 600)
        sheet.append([number, "Test Persoon", date(1980, 1, 1), "WIA", start, 20 + index % 17])
    workbook.save(path)


def stored_placements(count: int) -> list[StoredLine]:
    if TWENTE is None:
        raise LookupError("twente-2016")
    lines = []
    for index in range(count):
        start = date(2025, 1, 1) + timedelta(days=index % 700)
        facts = PlacementFacts(
            person_key=f"B{index % (count // 2 or 1)}",
            initials="T.P.",
            start_date=start,
            end_date=start + timedelta(days=400) if index % 3 else None,
            fte=Decimal("0.6"),
            hours_per_week=None,
            age_at_start=40 + index % 20,
            permanent=index % 5 == 0,
            refugee=False,
            special_group=False,
            evidence_ref=None,
            benefit_since=None,
            note=None,
        )
        block = BLOCKS[index % len(BLOCKS)]
        line = CheckedLine(
            LineKind.PLACEMENT,
            Provenance("bench.xlsx", "Plaatsingen", index + 2),
            LineStatus.ACCEPTED,
            (),
            (),
            block,
            f"p|{facts.person_key}|{block}|{start}",
            facts,
        )
        contract_id = f"BENCH-{index % 20}"
        valued = ValuedLine(line, components_of(line, TWENTE))
        lines.append(StoredLine(index + 1, contract_id, valued))
    return lines


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rows", type=int, default=5000)
    options.add_argument("--placements", type=int, default=20000)
    arguments = options.parse_args()
    if TWENTE is None:
        raise LookupError("twente-2016")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        write_workbook(path, arguments.rows)
        parsed = timed(
            f"parse workbook ({arguments.rows} rows)",
            lambda: parse_submission_workbook(path, ReadLimits(max_rows_per_sheet=10**6)),
        )
        checked = timed(
            f"validate ({arguments.rows} rows)",
            lambda: validate_submission(
                parsed, contract("BENCH-1"), TWENTE, KnownEvidence(), Pseudonymizer(b"b" * 32)
            ),
        )
        timed(f"value ({arguments.rows} rows)", lambda: value_lines(checked, TWENTE))
    lines = stored_placements(arguments.placements)
    contracts = [contract(f"BENCH-{index}") for index in range(20)]
    timed(
        f"accrue portfolio ({arguments.placements} placements)",
        lambda: value_portfolio(contracts, CATALOG, lines, Quarter(2026, 4)),
    )


if __name__ == "__main__":
    main()
