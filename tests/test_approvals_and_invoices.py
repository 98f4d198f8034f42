"""Approvals (`sroi approve`) and PDF invoices as evidence for purchase rows, through the flow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from domain.errors import UserError
from flows.home import Home
from flows.ingest import ingest_inbox
from flows.lines import LineRow, approve, contract_lines
from sroi import app
from tests.builders import (
    contract_row,
    purchase,
    write_invoice_pdf,
    write_register,
    write_submission,
)
from validators.lines import LineStatus

pytestmark = pytest.mark.slow
DUO, TW = "DUO-2025-002", "TW-2025-001"
MVO = [
    {"Datum": date(2025, 3, 4), "Activiteit": "Gastles bouwtechniek", "Uren": 3, "Reisuren": 1},
    {"Datum": date(2025, 3, 5), "Activiteit": "Open dag", "Uren": 2},
]


@pytest.fixture
def home(tmp_path: Path, prefect_api: str) -> Iterator[Home]:
    home = Home(tmp_path / "home")
    app.init_home(home)
    duoplus = contract_row(DUO, Gemeente="Diemen", Opdrachtsom=400_000, Regeling="duoplus")
    write_register(home.root / "contracts.xlsx", [contract_row(TW), duoplus])
    yield home


def run(home: Home) -> None:
    ingest_inbox(home=str(home.root), as_of=date(2025, 7, 1))


def lines_of(home: Home, contract: str) -> list[LineRow]:
    return contract_lines(home, contract, None, date(2025, 7, 1))[1]


def test_mvo_hours_wait_for_approval_then_count_and_stay_approved(home: Home) -> None:
    write_submission(home.inbox / TW / "q1.xlsx", contract_id=TW, hours=MVO)
    run(home)
    pending = [line for line in lines_of(home, TW) if line.status is LineStatus.PENDING]
    assert len(pending) == 2 and lines_of(home, TW)[0].value_to_date == 0

    approval = approve(home, pending[0].line_id, "M. de Boer")
    assert (approval.status, approval.reasons, approval.version) == (LineStatus.ACCEPTED, (), 2)
    approved = next(line for line in lines_of(home, TW) if line.line_id == pending[0].line_id)
    assert approved.approved_by == "M. de Boer" and approved.approved_at is not None
    assert approved.value_to_date == 300  # 3 hours x EUR 100; travel hours never count
    assert approved.version == 2  # the same line, a new version

    # the contractor's next cumulative list repeats the row without the approval
    write_submission(home.inbox / TW / "q2.xlsx", contract_id=TW, hours=MVO)
    run(home)
    current = lines_of(home, TW)
    assert [(line.line_id, line.status) for line in current] == [
        (pending[0].line_id, LineStatus.ACCEPTED),
        (pending[1].line_id, LineStatus.PENDING),
    ]
    assert sum(line.value_to_date for line in current) == 300


def test_approve_refuses_what_it_cannot_approve(home: Home) -> None:
    write_submission(
        home.inbox / DUO / "q2.xlsx",
        contract_id=DUO,
        purchases=[purchase("WA-1", **{"Goedgekeurd door": "M. de Boer"})],
    )
    write_submission(home.inbox / TW / "q2.xlsx", contract_id=TW, purchases=[purchase("F-9")])
    run(home)
    waiting_for_copy = lines_of(home, DUO)[0]
    accepted = lines_of(home, TW)[0]
    with pytest.raises(UserError, match="does not wait for an approval but for: kopie factuur"):
        approve(home, waiting_for_copy.line_id, "M. de Boer")
    with pytest.raises(UserError, match="is accepted, not pending"):
        approve(home, accepted.line_id, "M. de Boer")
    with pytest.raises(UserError, match=r"^no line 999$"):
        approve(home, 999, "M. de Boer")


def row_then_pdf(home: Home, number: str, claimed: int) -> LineRow:
    """A purchase row claiming `claimed` euros, then the PDF of that invoice (EUR 12,400)."""
    row = purchase(
        number,
        Factuurdatum=date(2025, 5, 12),
        **{"Bedrag excl. BTW": claimed, "Goedgekeurd door": "M. de Boer"},
    )
    write_submission(home.inbox / DUO / "1-lijst.xlsx", contract_id=DUO, purchases=[row])
    write_invoice_pdf(
        home.inbox / DUO / "2-factuur.pdf",
        number=number,
        day="12-05-2025",
        excl="12.400,00",
        vat="2.604,00",
        total="15.004,00",
    )
    run(home)
    (line,) = lines_of(home, DUO)
    return line


def test_pdf_invoice_is_the_copy_of_its_purchase_row(home: Home) -> None:
    line = row_then_pdf(home, "WA-2026-0412", claimed=12400)
    assert line.status is LineStatus.ACCEPTED and line.value_to_date == 12400
    assert (line.file, line.sheet, line.version) == ("1-lijst.xlsx", "Inkoop", 2)


def test_pdf_with_another_amount_leaves_the_row_pending_with_both_amounts(home: Home) -> None:
    line = row_then_pdf(home, "WA-7", claimed=12000)
    assert line.status is LineStatus.PENDING
    assert line.reasons == (
        "bedrag excl. BTW op de factuur (€ 12.400,00) wijkt af van het opgegeven "
        "bedrag (€ 12.000,00)",
    )


def test_pdf_without_a_row_becomes_a_purchase_line(home: Home) -> None:
    write_invoice_pdf(
        home.inbox / TW / "factuur.pdf",
        number="SW-2025-88",
        day="3 juni 2025",
        excl="2.000,00",
        vat="420,00",
        total="2.420,00",
        supplier="Sociaal Werkbedrijf Twente B.V.",
    )
    run(home)
    (line,) = lines_of(home, TW)
    assert (line.status, line.block, line.value_to_date) == (LineStatus.ACCEPTED, "9", 2000)
    assert line.sheet == ""
