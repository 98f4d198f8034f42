"""An empty contract register with the expected headers, for `sroi init`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

CONTRACT_HEADERS = (
    "Contractnummer", "Omschrijving", "Opdrachtnemer", "KvK", "Gemeente", "Opdrachtsom",
    "SROI-percentage", "Kapitaalintensief", "Startdatum", "Einddatum", "Gunningsdatum",
    "Regeling", "PSO-trede", "Keurmerk", "PSO geldig tot", "Aandeel arbeid",
)  # fmt: skip
PARTICIPANT_HEADERS = ("Contractnummer", "Gemeente", "Aandeel")


def write_blank_register(path: Path) -> None:
    workbook = Workbook()
    contracts = workbook.active
    if contracts is None:  # a new openpyxl workbook always has one sheet
        contracts = workbook.create_sheet()
    contracts.title = "Contracten"
    contracts.append(list(CONTRACT_HEADERS))
    participants = workbook.create_sheet("Deelnemers")
    participants.append(list(PARTICIPANT_HEADERS))
    for sheet in (contracts, participants):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.save(path)
