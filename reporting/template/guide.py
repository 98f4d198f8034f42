"""The template's `Uitleg` sheet: how to fill in the workbook, every column with an example,
what needs approval or evidence, and the conditions of each target group."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Font

from domain.contracts import Contract
from reporting.template.columns import SheetPlan
from reporting.template.examples import CellValue, example_rows
from reporting.template.layout import BOLD, FIRST_DATA_ROW, HEADER_ROW, TITLE, WRAP
from rulesets.model import (
    Eligibility,
    FixedBlock,
    HoursBlock,
    InvoiceBlock,
    PlacementBlock,
    Ruleset,
)

_APPROVAL = "goedkeuring door de contactpersoon social return (kolom Goedgekeurd door)"


def write_guide(
    sheet: Any, plans: tuple[SheetPlan, ...], ruleset: Ruleset, contract: Contract | None
) -> None:
    writer = _Rows(sheet)
    writer.line("Uitleg bij de SROI-verantwoording", font=TITLE)
    writer.line(f"Regeling: {ruleset.title}")
    if contract is not None:
        writer.line(f"Contract {contract.contract_id}: {contract.title} ({contract.contractor})")
    writer.blank()
    writer.line("Zo vult u het bestand in", font=BOLD)
    for text in _instructions(plans):
        writer.line(text)
    writer.blank()
    writer.line("Kolommen, met een ingevuld voorbeeld per blad", font=BOLD)
    writer.row(("Blad", "Kolom", "Verplicht", "Wat vult u in", "Voorbeeld"), font=BOLD)
    examples = example_rows(ruleset, contract)
    for plan in plans:
        for column in plan.columns:
            value = examples[plan.name].get(column.name)
            writer.row(
                (plan.name, column.heading, column.required, column.explanation, value),
                number_format=column.number_format,
            )
    writer.blank()
    writer.line(f"Goedkeuring en bewijs in de regeling {ruleset.id}", font=BOLD)
    for text in _approval_notes(ruleset):
        writer.line(text)
    writer.blank()
    writer.line("Doelgroepen in de keuzelijst en hun voorwaarden bij de start", font=BOLD)
    writer.row(("Blok", "Naam in de keuzelijst", "Voorwaarden"), font=BOLD)
    for block in ruleset.blocks:
        if isinstance(block, PlacementBlock | FixedBlock):
            writer.row((block.code, block.label, _conditions(block.eligibility)))
    for letter, width in zip("ABCDE", (14, 40, 26, 70, 40), strict=True):
        sheet.column_dimensions[letter].width = width


class _Rows:
    """Writes the guide top to bottom."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.next_row = 1

    def line(self, text: str, font: Font | None = None) -> None:
        self.row((text,), font=font)

    def blank(self) -> None:
        self.next_row += 1

    def row(
        self,
        values: tuple[CellValue, ...],
        *,
        font: Font | None = None,
        number_format: str | None = None,
    ) -> None:
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.next_row, column=index, value=value)
            if font is not None:
                cell.font = font
            if len(values) > 1:
                cell.alignment = WRAP
        if number_format is not None and values[-1] is not None:
            self.sheet.cell(row=self.next_row, column=len(values)).number_format = number_format
        self.next_row += 1


def _instructions(plans: tuple[SheetPlan, ...]) -> list[str]:
    per_sheet = "; ".join(f"op {plan.name} {plan.lines}" for plan in plans)
    return [
        f"Vul vanaf rij {FIRST_DATA_ROW} in: {per_sheet}. Laat bladen zonder regels leeg.",
        "Vul bovenaan het contractnummer in als het er nog niet staat. Wijzig de kolomkoppen "
        f"in rij {HEADER_ROW} niet.",
        "Kies Doelgroep, Soort, Dienstverband, Statushouder en Bijzondere doelgroep uit de "
        "keuzelijst in de cel.",
        "Datums als dd-mm-jjjj (bijvoorbeeld 01-03-2025); uren en bedragen als getal, zonder "
        "euroteken.",
        "Lever elk kwartaal het hele bestand opnieuw aan, aangevuld met de nieuwe regels; een "
        "regel die al eerder is ingediend telt één keer.",
        "Privacy: BSN en naam gebruiken wij alleen om personen te tellen (één persoon telt "
        "hoogstens één fte). Bij het inlezen worden ze gepseudonimiseerd: alleen de initialen "
        "worden bewaard en geen rapportage bevat een BSN of naam.",
    ]


def _approval_notes(ruleset: Ruleset) -> list[str]:
    """Which target groups need evidence and which kinds need approval or an invoice copy."""
    notes = []
    for block in ruleset.blocks:
        name = f"'{block.label}' (blok {block.code})"
        if isinstance(block, PlacementBlock | FixedBlock) and block.eligibility.requires_evidence:
            notes.append(f"Doelgroep {name}: vul de kolom Bewijs in, anders wordt de regel "
                         "afgekeurd.")  # fmt: skip
        if isinstance(block, InvoiceBlock) and (waits := _invoice_waits(block)):
            notes.append(f"Inkoop {name}: telt pas na {' en '.join(waits)}.")
        if isinstance(block, HoursBlock) and block.requires_approval:
            notes.append(f"MVO {name}: uren tellen pas na {_APPROVAL}.")
    return notes or ["In deze regeling vraagt geen doelgroep of soort om goedkeuring of bewijs."]


def _invoice_waits(block: InvoiceBlock) -> list[str]:
    waits = [_APPROVAL] if block.requires_approval else []
    if block.requires_invoice_copy:
        waits.append("ontvangst van de factuur als PDF")
    return waits


def _conditions(rules: Eligibility) -> str:
    parts = []
    if rules.age is not None:
        parts.append(f"leeftijd {rules.age.describe_nl('jaar')}")
    if rules.benefit_months is not None:
        described = rules.benefit_months.describe_nl("maanden")
        parts.append(f"uitkering {described} (gerekend vanaf Uitkering sinds)")
    if rules.requires_evidence:
        parts.append("bewijsstuk verplicht (kolom Bewijs)")
    return "; ".join(parts) or "geen"
