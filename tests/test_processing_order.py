"""Processing the same submissions again, or in another order of files, gives the same totals
(issue 3), through the real flow and ledger."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from domain.periods import Quarter
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.quarter import summary
from sroi import app
from tests.builders import (
    contract_row,
    placement,
    purchase,
    valid_bsns,
    write_register,
    write_submission,
)

pytestmark = pytest.mark.slow
PEOPLE = valid_bsns(5)
BLOCKS = ["Participatiewet > 2 jaar", "WIA", "Wajong", "BBL", "7", "8"]


@st.composite
def submissions(draw: st.DrawFn) -> list[dict[str, Any]]:
    """2-3 files of placements and invoices; a person's placements start on different days."""
    files = []
    used_starts: set[tuple[str, date]] = set()
    invoice_numbers = iter(range(1000, 2000))
    for _ in range(draw(st.integers(2, 3))):
        rows = []
        for person in draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True)):
            start = date(2025, 1, 1) + timedelta(days=draw(st.integers(-60, 500)))
            if (person, start) in used_starts:
                continue
            used_starts.add((person, start))
            length = draw(st.one_of(st.none(), st.integers(0, 400)))
            rows.append(
                placement(
                    person,
                    Doelgroep=draw(st.sampled_from(BLOCKS)),
                    Startdatum=start,
                    Einddatum=None if length is None else start + timedelta(days=length),
                    **{
                        "Uren per week": draw(st.integers(8, 36)),
                        "Statushouder": draw(st.sampled_from(["ja", "nee"])),
                    },
                )
            )
        invoices = [
            purchase(
                f"F-{next(invoice_numbers)}", Factuurdatum=date(2025, 1, 1) + timedelta(days=day)
            )
            for day in draw(st.lists(st.integers(0, 700), max_size=2))
        ]
        files.append({"placements": rows, "purchases": invoices})
    return files


def _figures(home: Home) -> list[tuple[str, float, float, dict[str, float]]]:
    document = summary(home, Quarter(2026, 2))
    return [
        (c["contract_id"], c["realized_to_date"], c["realized_quarter"], c["by_block"])
        for c in document["contracts"]
    ]


def _home(root: Path, name: str) -> Home:
    home = Home(root / name)
    app.init_home(home)
    write_register(home.root / "contracts.xlsx", [contract_row("TW-2025-001")])
    return home


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_same_totals_in_any_order_and_when_processed_again(files: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        written = [
            write_submission(root / "files" / f"{index}.xlsx", contract_id="TW-2025-001", **content)
            for index, content in enumerate(files)
        ]
        forward, backward = _home(root, "forward"), _home(root, "backward")
        for position, path in enumerate(written):
            shutil.copy(path, forward.inbox / f"{position:02d}-{path.name}")
            shutil.copy(path, backward.inbox / f"{len(written) - position:02d}-{path.name}")
        ingest_inbox(home=str(forward.root), as_of=date(2026, 7, 1))
        ingest_inbox(home=str(backward.root), as_of=date(2026, 7, 1))
        assert _figures(forward) == _figures(backward)

        before = _figures(forward)
        for path in written:  # the same bytes again, and the same rows in new bytes
            shutil.copy(path, forward.inbox / f"again-{path.name}")
            write_submission(
                forward.inbox / f"resaved-{path.name}",
                contract_id="TW-2025-001",
                **files[written.index(path)],
            )
        ingest_inbox(home=str(forward.root), as_of=date(2026, 7, 1))
        assert _figures(forward) == before


def _two_contract_home(root: Path, name: str) -> Home:
    home = Home(root / name)
    app.init_home(home)
    period = {"Startdatum": date(2026, 1, 1), "Einddatum": date(2027, 12, 31)}
    write_register(
        home.root / "contracts.xlsx",
        [contract_row("TW-2026-100", **period), contract_row("TW-2026-300", **period)],
    )
    return home


def _submit(home: Home, contract: str, name: str = "q1.xlsx", **changes: Any) -> None:
    """The person, full time from 5 January, on `contract`."""
    write_submission(
        home.inbox / contract / name,
        placements=[placement(PEOPLE[0], Startdatum=date(2026, 1, 5), **changes)],
    )


def _by_contract(home: Home) -> dict[str, float]:
    document = summary(home, Quarter(2026, 1))
    return {c["contract_id"]: c["realized_to_date"] for c in document["contracts"]}


def test_a_tie_between_contracts_goes_by_contract_not_by_arrival_or_resubmission(
    tmp_path: Path,
) -> None:
    """VALUATION.md section 2: one person placed full time on two contracts from the same day
    counts one FTE, served by contract id (then block), not by which file came first or which
    line is older; a routine re-submission (a new version of the line) moves nothing."""
    together = _two_contract_home(tmp_path, "together")
    _submit(together, "TW-2026-100")
    _submit(together, "TW-2026-300")
    ingest_inbox(home=str(together.root), as_of=date(2026, 4, 10))
    apart = _two_contract_home(tmp_path, "apart")
    _submit(apart, "TW-2026-300")
    ingest_inbox(home=str(apart.root), as_of=date(2026, 4, 10))  # its line is the older one
    _submit(apart, "TW-2026-100")
    ingest_inbox(home=str(apart.root), as_of=date(2026, 4, 10))
    figures = _by_contract(together)
    assert figures == _by_contract(apart)
    assert figures["TW-2026-100"] > 0
    assert figures["TW-2026-300"] == 0, "the lower contract id is served first"

    _submit(apart, "TW-2026-100", "q1 opnieuw.xlsx", Einddatum=date(2027, 6, 30))
    ingest_inbox(home=str(apart.root), as_of=date(2026, 4, 11))
    assert _by_contract(apart) == figures


def _feedback_value(home: Home, contract: str, name: str = "q1.xlsx") -> float:
    """'Waarde dit kwartaal' on the summary sheet of the file's feedback workbook."""
    sheet = load_workbook(home.feedback / contract / f"{Path(name).stem} - terugkoppeling.xlsx")
    labels = {
        row[0]: row[1] for row in sheet["Samenvatting"].iter_rows(max_col=2, values_only=True)
    }
    return float(labels["Waarde dit kwartaal"])


def test_feedback_values_a_file_with_the_persons_lines_on_other_contracts(tmp_path: Path) -> None:
    """The feedback of a run values only the contracts of its files, but with every line of
    the people placed on them: TW-2026-300's file, sent after TW-2026-100 had the person full
    time from the same day, is worth nothing (the one FTE goes to the lower contract id)."""
    home = _two_contract_home(tmp_path, "home")
    _submit(home, "TW-2026-100")
    ingest_inbox(home=str(home.root), as_of=date(2026, 4, 10))
    _submit(home, "TW-2026-300")
    ingest_inbox(home=str(home.root), as_of=date(2026, 4, 10))
    assert _feedback_value(home, "TW-2026-100") == _by_contract(home)["TW-2026-100"] > 0
    assert _feedback_value(home, "TW-2026-300") == _by_contract(home)["TW-2026-300"] == 0
