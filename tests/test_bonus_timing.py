"""Bonuses in the right quarter and only on counted days (VALUATION.md section 3): the two cases
an independent re-computation found, as a coordinator meets them (workbooks through the flow)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import summary
from sroi import app
from tests.builders import contract_row, placement, valid_bsns, write_register, write_submission

pytestmark = pytest.mark.slow
BSN = valid_bsns(2, start=300_000_000)


@pytest.fixture
def home(tmp_path: Path, prefect_api: str) -> Home:
    home = Home(tmp_path / "home")
    app.init_home(home)
    write_register(
        home.root / "contracts.xlsx",
        [
            contract_row("TW-90A", Startdatum=date(2025, 1, 1), Einddatum=date(2026, 12, 31)),
            contract_row("TW-91A", Startdatum=date(2025, 1, 1), Einddatum=date(2027, 12, 31)),
        ],
    )
    return home


def figures(home: Home, quarter: Quarter, contract_id: str) -> dict[str, Any]:
    document = summary(home, quarter)
    return next(c for c in document["contracts"] if c["contract_id"] == contract_id)


def test_a_bonus_stays_in_the_quarter_of_its_first_counted_day(home: Home) -> None:
    """TW-90A: one person born 1970-03-01, block 7 from 10-01-2025 to 30-04-2025 and block 5
    from 03-03-2025 (benefit since 01-11-2024). The WIA placement takes the person's FTE until
    30 April; the WW placement's first counted day is still 3 March, so bonus 17 (werklozen
    >= 50 jaar, EUR 5,000) belongs to Q1, in every later report too."""
    rows = [
        placement(BSN[0], Geboortedatum=date(1970, 3, 1), Doelgroep="WIA / WAO",
                  Startdatum=date(2025, 1, 10), Einddatum=date(2025, 4, 30)),
        placement(BSN[0], Geboortedatum=date(1970, 3, 1), Doelgroep="WW > 3 maanden en < 1 jaar",
                  Startdatum=date(2025, 3, 3), **{"Uitkering sinds": date(2024, 11, 1)}),
    ]  # fmt: skip
    for name, as_of in (("2025-Q1.xlsx", date(2025, 4, 10)), ("2025-Q2.xlsx", date(2025, 7, 10))):
        write_submission(home.inbox / "TW-90A" / name, contract_id="TW-90A", placements=rows)
        ingest_inbox(home=str(home.root), as_of=as_of)

    first = figures(home, Quarter(2025, 1), "TW-90A")
    # WIA 10-01..31-03: 81 days x 30,000 / 365 = 6,657.53; the WW placement gets no FTE yet
    assert first["realized_quarter"] == 11657.53
    assert first["by_block"] == {"7": 6657.53, "17": 5000.0}
    second = figures(home, Quarter(2025, 2), "TW-90A")
    # WIA 01-04..30-04: 30 days = 2,465.75; WW 01-05..30-06: 61 days x 10,000 / 365 = 1,671.23
    assert second["realized_quarter"] == 4136.99
    assert second["realized_to_date"] == round(11657.53 + 4136.99, 2)


def test_a_placement_without_a_counted_day_earns_no_bonus(home: Home) -> None:
    """TW-91A: block 5 from 06-01-2025 to 31-03-2025, then block 5 again from 02-03-2026,
    permanent. The count window of block 5 (1 year from 06-01-2025) ended on 05-01-2026, so the
    second placement counts no day and earns no bonus 16 (vast dienstverband)."""
    rows = [
        placement(BSN[1], Doelgroep="WW > 3 maanden en < 1 jaar", Startdatum=date(2025, 1, 6),
                  Einddatum=date(2025, 3, 31), **{"Uitkering sinds": date(2024, 9, 2)}),
        placement(BSN[1], Doelgroep="WW > 3 maanden en < 1 jaar", Startdatum=date(2026, 3, 2),
                  Dienstverband="vast", **{"Uren per week": 18,
                                           "Uitkering sinds": date(2025, 11, 2)}),
    ]  # fmt: skip
    write_submission(home.inbox / "TW-91A" / "2026-Q1.xlsx", contract_id="TW-91A", placements=rows)
    ingest_inbox(home=str(home.root), as_of=date(2026, 4, 10))

    result = figures(home, Quarter(2026, 1), "TW-91A")
    # 06-01..31-03-2025: 85 days x 10,000 / 365
    assert result["realized_to_date"] == 2328.77
    assert result["by_block"] == {"5": 2328.77}
    assert result["lines"] == {"accepted": 2, "rejected": 0, "pending": 0}
