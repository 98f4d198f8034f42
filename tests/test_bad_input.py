"""Input that must end in quarantine with a Dutch reason at a bounded cost (issue 4, item 4)."""

from __future__ import annotations

import shutil
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from domain.errors import UnreadableFile
from flows.home import Home
from flows.ingest import ingest_inbox
from parsers import read_submission
from parsers.limits import ReadLimits
from parsers.submission import parse_submission_workbook
from parsers.workbook import read_workbook
from rulesets.vocabulary import TableKind
from sroi import app
from tests.builders import contract_row, placement, valid_bsns, write_register, write_submission
from tests.conftest import REALDATA
from validators.conversion import convert_table

LIMITS = ReadLimits()
BSN = valid_bsns(2)


def reason(path: Path, limits: ReadLimits = LIMITS) -> str:
    with pytest.raises(UnreadableFile) as error:
        parse_submission_workbook(path, limits)
    return error.value.reason_nl


def test_password_protected_workbook(tmp_path: Path) -> None:
    plain = write_submission(tmp_path / "plain.xlsx", placements=[placement(BSN[0])])
    locked = tmp_path / "beveiligd.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("geheim", target)
    assert (
        reason(locked) == "het bestand is beveiligd met een wachtwoord; stuur het zonder wachtwoord"
    )


def test_old_excel_file_with_an_xlsx_name(tmp_path: Path) -> None:
    renamed = tmp_path / "deaths.xlsx"
    shutil.copy(REALDATA / "readxl" / "deaths.xls", renamed)
    assert "oud Excel-formaat met de verkeerde extensie" in reason(renamed)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.xlsx"
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        block = b" " * (1 << 20)
        for _ in range(320):  # 320 MB of whitespace, about 300 KB on disk
            member.write(block)
    assert bomb.stat().st_size < 2_000_000
    started = time.perf_counter()
    assert reason(bomb) == "het bestand pakt uit tot 320 MB (maximaal 300 MB) en wordt niet gelezen"
    assert time.perf_counter() - started < 2


def test_a_value_on_the_last_excel_row_is_refused_cheaply(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["BSN", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"])
    sheet.append([BSN[0], date(1980, 1, 1), "WIA", date(2025, 1, 1), 36])
    sheet["A1048576"] = "vergeten"
    path = tmp_path / "miljoen.xlsx"
    workbook.save(path)
    assert reason(path) == (
        "een blad heeft gegevens op rij 1048576; maximaal 20000 rijen per blad worden verwerkt"
    )


def test_formatted_empty_rows_far_down_do_not_count(tmp_path: Path) -> None:
    path = write_submission(tmp_path / "opgemaakt.xlsx", placements=[placement(BSN[0])])
    workbook = load_workbook(path)
    workbook["Plaatsingen"].row_dimensions[500_000].height = 30
    workbook.save(path)
    assert parse_submission_workbook(path, LIMITS).line_count == 1


def test_the_used_range_claims_a_million_rows_but_holds_two(tmp_path: Path) -> None:
    grids = read_workbook(REALDATA / "calamine" / "issue_174.xlsx", LIMITS)
    assert [len(grid.rows) for grid in grids] == [2]


def test_1904_serial_numbers_in_a_date_column(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plaatsingen"
    sheet.append(["BSN", "Geboortedatum", "Doelgroep", "Startdatum", "Uren per week"])
    sheet.append([BSN[0], date(1980, 1, 1), "WIA", 44196, 36])  # a bare serial: 2025-01-01 in 1904
    path = tmp_path / "mac.xlsx"
    workbook.save(path)
    table = parse_submission_workbook(path, LIMITS).tables[0]
    assert table.definition.kind is TableKind.PLACEMENTS and table.date1904
    (row,) = convert_table(table)
    assert row.values["start_date"] == date(2025, 1, 1)
    assert row.values["birth_date"] == date(1980, 1, 1)


def test_real_1904_workbook_dates() -> None:
    grids = read_workbook(REALDATA / "calamine" / "date_1904.xlsx", LIMITS)
    assert grids[0].date1904
    assert grids[0].rows[0][0] == date(2021, 1, 1)


def test_a_truncated_workbook_is_corrupt(tmp_path: Path) -> None:
    whole = write_submission(tmp_path / "heel.xlsx", placements=[placement(BSN[0])]).read_bytes()
    cut = tmp_path / "half.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "beschadigd" in reason(cut)


def test_reading_is_bounded_in_time(tmp_path: Path) -> None:
    path = REALDATA / "messytables" / "large.xlsx"  # 8,547 rows; well over a millisecond
    assert "duurde langer dan 0.001 seconden" in reason_of_any(
        path, ReadLimits(max_seconds_per_file=0.001)
    )


def reason_of_any(path: Path, limits: ReadLimits) -> str:
    with pytest.raises(UnreadableFile) as error:
        read_submission(path, limits)
    return error.value.reason_nl


@pytest.mark.slow
def test_the_time_limit_holds_inside_the_flow(tmp_path: Path, prefect_api: str) -> None:
    home = Home(tmp_path / "home")
    app.init_home(home)
    home.settings_file.write_text("[limits]\nmax_seconds_per_file = 0.001\n", encoding="utf-8")
    write_register(home.root / "contracts.xlsx", [contract_row("TW-2025-001")])
    shutil.copy(REALDATA / "messytables" / "large.xlsx", home.inbox / "TW-2025-001.xlsx")
    report = ingest_inbox(home=str(home.root), as_of=date(2025, 10, 1))
    (result,) = report.files
    assert result.status == "quarantined"
    assert "duurde langer dan 0.001 seconden" in (result.reason or "")
