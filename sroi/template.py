"""The blank submission workbook for contractors (`sroi template`, INTERFACE.md section 6).

One sheet per table the ruleset can value (Plaatsingen, Inkoop, MVO) with the canonical headers
of `parsers.columns`, drop-down lists of the ruleset's target groups and date and number checks,
then a sheet `Uitleg` and a hidden sheet `Lijsten` with the drop-down values.

What the parser does with this file shapes the layout:
- every row under a header row with two or more filled cells is read as a line, so the example
  is not under the headers but on `Uitleg`, written one row per column (a row of `Uitleg` never
  holds two known headers, so it is never taken for a table);
- the value beside or *below* a cell `Contractnummer` names the contract, so the cell below it
  stays empty when the contract number is left for the contractor to fill in;
- hidden sheets are not read, so `Lijsten` can hold the list values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel

from domain.contracts import Contract
from domain.periods import add_months
from parsers.columns import HOURS, PLACEMENTS, PURCHASES, TableSpec
from rulesets.model import (
    Bounds,
    Eligibility,
    FixedBlock,
    HoursBlock,
    InvoiceBlock,
    PlacementBlock,
    Ruleset,
)
from validators.eligibility import benefit_duration_holds

TITLE_ROW = 1
CONTRACT_ROW = 2
CONTRACTOR_ROW = 3
HINT_ROW = 4
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 500
LAST_DATA_ROW = HEADER_ROW + DATA_ROWS
LISTS_SHEET = "Lijsten"
GUIDE_SHEET = "Uitleg"
DATE_FORMAT = "DD-MM-YYYY"
TEXT_FORMAT = "@"
AMOUNT_FORMAT = "#,##0.00"
# Fictitious: the 999999xxx range is reserved for tests, and this one passes the 11-test.
EXAMPLE_BSN = "999999990"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")

CellValue = str | int | float | date | None


class Choices(StrEnum):
    """The drop-down lists; each is one column of the hidden sheet, in this order."""

    TARGET_GROUPS = "Doelgroep"
    INVOICE_KINDS = "Soort"
    EMPLOYMENT = "Dienstverband"
    YES_NO = "Ja/nee"


@dataclass(frozen=True)
class Check:
    """An Excel date or number validation; bounds are Excel numbers (dates as serials)."""

    type: Literal["date", "decimal"]
    operator: str
    bounds: tuple[str, ...]
    error: str


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: what a contractor sees, types and is told about it."""

    field: str
    width: int
    required: str
    explanation: str
    number_format: str | None = None
    check: Check | None = None
    choices: Choices | None = None


@dataclass(frozen=True)
class SheetPlan:
    name: str
    spec: TableSpec
    lines: str
    """What one row is, for the hint above the headers."""
    needs: tuple[type[BaseModel], ...]
    """The sheet is written only when the ruleset has a block of one of these kinds."""
    columns: tuple[Column, ...]


def _decimal(operator: str, *bounds: float, error: str) -> Check:
    return Check("decimal", operator, tuple(f"{bound:g}" for bound in bounds), error)


_DATE_CHECK = Check(
    "date",
    "between",
    (f"{to_excel(date(1900, 1, 1)):g}", f"{to_excel(date(2100, 12, 31)):g}"),
    "Vul een datum in als dd-mm-jjjj, tussen 01-01-1900 en 31-12-2100.",
)


def _date_column(field: str, required: str, explanation: str) -> Column:
    return Column(field, 14, required, explanation, DATE_FORMAT, _DATE_CHECK)


PLACEMENT_COLUMNS = (
    Column("bsn", 13, "BSN of Personeelsnummer", "Burgerservicenummer, 9 cijfers (11-proef).",
           TEXT_FORMAT),
    Column("personnel_number", 16, "BSN of Personeelsnummer",
           "Uw eigen personeelsnummer; alleen nodig als u geen BSN invult.", TEXT_FORMAT),
    Column("name", 24, "nee", "Naam of initialen; alleen de initialen worden bewaard."),
    _date_column("birth_date", "ja", "Geboortedatum; nodig voor de leeftijdsregels."),
    Column("target_group", 48, "ja", "Kies de doelgroep (het bouwblok) uit de keuzelijst.",
           choices=Choices.TARGET_GROUPS),
    _date_column("start_date", "ja", "Eerste werkdag van de plaatsing."),
    _date_column("end_date", "nee", "Laatste werkdag; leeg als de plaatsing nog loopt."),
    Column("hours_per_week", 12, "Uren per week of FTE",
           "Contracturen per week, bijvoorbeeld 32.", None,
           _decimal("between", 0, 168, error="Vul het aantal uren per week in: 0 tot 168.")),
    Column("fte", 8, "Uren per week of FTE", "Deeltijdfactor, bijvoorbeeld 0,8 (voltijd is 1).",
           None, _decimal("between", 0, 1, error="Vul de FTE in als getal van 0 tot en met 1.")),
    Column("employment", 14, "nee",
           "vast of tijdelijk; vast geeft de bonus voor een vast dienstverband waar de regeling "
           "die kent.", choices=Choices.EMPLOYMENT),
    _date_column("benefit_since", "nee",
                 "Begindatum van de uitkering; wordt getoetst aan de uitkeringsduur die de "
                 "doelgroep vraagt."),
    Column("refugee", 13, "nee", "ja als de persoon statushouder is (vluchteling met "
           "verblijfsstatus).", choices=Choices.YES_NO),
    Column("special_group", 13, "nee", "ja als de persoon tot een bijzondere doelgroep hoort.",
           choices=Choices.YES_NO),
    Column("evidence", 22, "als de doelgroep bewijs vraagt",
           "Kenmerk van het bewijsstuk, bijvoorbeeld de verklaring van UWV of gemeente."),
    Column("note", 30, "nee", "Vrije toelichting."),
)  # fmt: skip

PURCHASE_COLUMNS = (
    Column("supplier", 32, "Leverancier of KvK leverancier",
           "Naam van het SW-bedrijf of de sociale onderneming."),
    Column("supplier_kvk", 15, "Leverancier of KvK leverancier",
           "KvK-nummer van de leverancier, 8 cijfers.", TEXT_FORMAT),
    Column("invoice_number", 16, "ja", "Nummer zoals op de factuur.", TEXT_FORMAT),
    _date_column("invoice_date", "ja", "Datum van de factuur; binnen de contractperiode."),
    Column("amount_excl_vat", 16, "ja", "Factuurbedrag exclusief btw in euro.", AMOUNT_FORMAT,
           _decimal("greaterThan", 0, error="Vul het bedrag exclusief btw in als getal groter "
                    "dan 0, zonder euroteken.")),
    Column("block", 40, "nee", "Soort inkoop uit de keuzelijst; leeg is het standaard "
           "inkoopblok van de regeling.", choices=Choices.INVOICE_KINDS),
    Column("approved_by", 22, "als de regeling goedkeuring vraagt",
           "Naam van de contactpersoon social return die de regel goedkeurde."),
)  # fmt: skip

HOUR_COLUMNS = (
    _date_column("activity_date", "ja", "Datum van de activiteit; binnen de contractperiode."),
    Column("activity", 40, "ja", "Wat er gedaan is, bijvoorbeeld een gastles of open dag."),
    Column("hours", 8, "ja", "Bestede uren, zonder reistijd.", None,
           _decimal("greaterThan", 0, error="Vul het aantal uren in als getal groter dan 0.")),
    Column("travel_hours", 10, "nee", "Reisuren; tellen niet mee, alleen ter informatie.", None,
           _decimal("greaterThanOrEqual", 0, error="Vul de reisuren in als getal, 0 of meer.")),
    Column("approved_by", 22, "als de regeling goedkeuring vraagt",
           "Naam van de contactpersoon social return die de activiteit goedkeurde."),
)  # fmt: skip

SHEETS = (
    SheetPlan("Plaatsingen", PLACEMENTS, "één regel per persoon per plaatsing",
              (PlacementBlock, FixedBlock), PLACEMENT_COLUMNS),
    SheetPlan("Inkoop", PURCHASES, "één regel per factuur", (InvoiceBlock,), PURCHASE_COLUMNS),
    SheetPlan("MVO", HOURS, "één regel per activiteit", (HoursBlock,), HOUR_COLUMNS),
)  # fmt: skip


def write_template(path: Path, ruleset: Ruleset, contract: Contract | None = None) -> Path:
    """Writes the blank submission workbook (.xlsx) and returns path."""
    if contract is not None and contract.ruleset_id != ruleset.id:
        raise ValueError(
            f"contract {contract.contract_id} uses ruleset {contract.ruleset_id}, not {ruleset.id}"
        )
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    choices = _choice_values(ruleset)
    ranges = _list_ranges(choices)
    plans = _sheets_for(ruleset)
    for plan in plans:
        _write_table_sheet(workbook.create_sheet(plan.name), plan, ruleset, contract, ranges)
    _write_guide(workbook.create_sheet(GUIDE_SHEET), plans, ruleset, contract)
    _write_lists(workbook.create_sheet(LISTS_SHEET), choices)
    # The first table sheet opens, selected: a workbook without a selected tab confuses Excel.
    workbook.active = 0
    workbook.worksheets[0].sheet_view.tabSelected = True
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _sheets_for(ruleset: Ruleset) -> tuple[SheetPlan, ...]:
    """The table sheets this ruleset can value; a sheet without a block would only reject."""
    return tuple(plan for plan in SHEETS if ruleset.blocks_of(*plan.needs))


def _choice_values(ruleset: Ruleset) -> dict[Choices, tuple[str, ...]]:
    """The values of each drop-down list; block labels are what `find_block` matches first."""
    return {
        Choices.TARGET_GROUPS: tuple(
            block.label for block in ruleset.blocks_of(PlacementBlock, FixedBlock)
        ),
        Choices.INVOICE_KINDS: tuple(block.label for block in ruleset.blocks_of(InvoiceBlock)),
        Choices.EMPLOYMENT: ("vast", "tijdelijk"),
        Choices.YES_NO: ("ja", "nee"),
    }


def _list_ranges(choices: dict[Choices, tuple[str, ...]]) -> dict[Choices, str]:
    """Absolute references into the hidden sheet: Excel caps an inline list at 255
    characters and a label may hold a comma, so the values live in cells."""
    ranges = {}
    for index, (choice, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        ranges[choice] = f"{LISTS_SHEET}!${letter}$2:${letter}${1 + max(len(values), 1)}"
    return ranges


def _write_lists(sheet: Any, choices: dict[Choices, tuple[str, ...]]) -> None:
    for index, (choice, values) in enumerate(choices.items(), start=1):
        sheet.cell(row=1, column=index, value=choice.value).font = _BOLD
        for offset, value in enumerate(values, start=2):
            sheet.cell(row=offset, column=index, value=value)
        sheet.column_dimensions[get_column_letter(index)].width = 50
    sheet.sheet_state = "hidden"


def _write_heading(
    sheet: Any, plan: SheetPlan, ruleset: Ruleset, contract: Contract | None
) -> None:
    sheet.cell(row=TITLE_ROW, column=1, value=f"SROI-verantwoording {ruleset.title}").font = _TITLE
    sheet.cell(row=CONTRACT_ROW, column=1, value="Contractnummer").font = _BOLD
    number = sheet.cell(row=CONTRACT_ROW, column=2)
    if contract is None:
        # Left for the contractor. The cell below the label stays empty too: the parser would
        # otherwise read whatever is there as the contract number.
        number.fill = _INPUT_FILL
    else:
        number.value = contract.contract_id
        sheet.cell(row=CONTRACTOR_ROW, column=1, value="Opdrachtnemer").font = _BOLD
        sheet.cell(row=CONTRACTOR_ROW, column=2, value=contract.contractor)
    hint = (
        f"Vul vanaf rij {FIRST_DATA_ROW} {plan.lines} in. Uitleg en een voorbeeld staan op het "
        f"blad {GUIDE_SHEET}."
    )
    sheet.cell(row=HINT_ROW, column=1, value=hint).font = Font(italic=True)


def _write_table_sheet(
    sheet: Any,
    plan: SheetPlan,
    ruleset: Ruleset,
    contract: Contract | None,
    ranges: dict[Choices, str],
) -> None:
    _write_heading(sheet, plan, ruleset, contract)
    for index, column in enumerate(plan.columns, start=1):
        header = sheet.cell(row=HEADER_ROW, column=index, value=plan.spec.label_of(column.field))
        header.font = _BOLD
        header.fill = _HEADER_FILL
        header.alignment = _WRAP
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format is not None:
            # Per cell, not per column: the format must hold for cells typed into later, and a
            # BSN cell formatted as text keeps its leading zero.
            for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
                sheet.cell(row=row, column=index).number_format = column.number_format
        validation = _validation(column, plan.spec.label_of(column.field), ranges)
        if validation is not None:
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _validation(column: Column, header: str, ranges: dict[Choices, str]) -> DataValidation | None:
    if column.choices is not None:
        return _with_messages(
            DataValidation(type="list", formula1=ranges[column.choices]),
            header,
            column.explanation,
            f"Kies een waarde uit de keuzelijst van '{header}' (zie het blad {GUIDE_SHEET}).",
        )
    check = column.check
    if check is None:
        return None
    validation = DataValidation(
        type=check.type,
        operator=check.operator,
        formula1=check.bounds[0],
        formula2=check.bounds[1] if len(check.bounds) > 1 else None,
    )
    return _with_messages(validation, header, column.explanation, check.error)


def _with_messages(validation: Any, header: str, prompt: str, error: str) -> DataValidation:
    # Excel refuses a file whose titles exceed 32 or whose texts exceed 255 characters.
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.showInputMessage = True
    validation.errorStyle = "stop"
    validation.errorTitle = "Ongeldige waarde"
    validation.error = error[:225]
    validation.promptTitle = header[:32]
    validation.prompt = prompt[:255]
    return validation


def _write_guide(
    sheet: Any, plans: tuple[SheetPlan, ...], ruleset: Ruleset, contract: Contract | None
) -> None:
    writer = _Rows(sheet)
    writer.line("Uitleg bij de SROI-verantwoording", font=_TITLE)
    writer.line(f"Regeling: {ruleset.title}")
    if contract is not None:
        writer.line(f"Contract {contract.contract_id}: {contract.title} ({contract.contractor})")
    writer.blank()
    writer.line("Zo vult u het bestand in", font=_BOLD)
    for text in _instructions(plans):
        writer.line(text)
    writer.blank()
    writer.line("Kolommen, met een ingevuld voorbeeld per blad", font=_BOLD)
    writer.row(("Blad", "Kolom", "Verplicht", "Wat vult u in", "Voorbeeld"), font=_BOLD)
    examples = _example_rows(ruleset, contract)
    for plan in plans:
        for column in plan.columns:
            value = examples[plan.name].get(column.field)
            writer.row(
                (
                    plan.name,
                    plan.spec.label_of(column.field),
                    column.required,
                    column.explanation,
                    value,
                ),
                number_format=column.number_format,
            )
    writer.blank()
    writer.line(f"Goedkeuring en bewijs in de regeling {ruleset.id}", font=_BOLD)
    for text in _approval_notes(ruleset):
        writer.line(text)
    writer.blank()
    writer.line("Doelgroepen in de keuzelijst en hun voorwaarden bij de start", font=_BOLD)
    writer.row(("Blok", "Naam in de keuzelijst", "Voorwaarden"), font=_BOLD)
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
                cell.alignment = _WRAP
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


_APPROVAL = "goedkeuring door de contactpersoon social return (kolom Goedgekeurd door)"


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


def _example_rows(ruleset: Ruleset, contract: Contract | None) -> dict[str, dict[str, CellValue]]:
    """One realistic, acceptable row per sheet, keyed by sheet name and field; dates fall in
    the contract period when a contract is given."""
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
