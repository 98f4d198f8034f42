"""The analysts' workbook of a quarter (`sroi export`): one row per evidence line, and a sheet
per summary level (contracts, municipalities, region), with real Excel types (dates, numbers
with a euro format), a frozen header and an auto-filter.

No BSN and no names: a person is a short pseudonym, never initials; approvers are not listed.
Every text cell goes through `spreadsheet.write_text`, so a text that would start a formula
stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.dutch import round_cents
from domain.storage import write_atomically
from reporting.spreadsheet import DATE_FORMAT, EURO_FORMAT, write_text
from reporting.subjects import subject_of
from reporting.views import ruleset_notes
from validators.lines import HourFacts, LineKind, LineStatus, PlacementFacts, PurchaseFacts
from valuation.accrual import StoredLine
from valuation.portfolio import ContractValuation, MunicipalValuation, PortfolioValuation
from valuation.reach import Category, line_category

_ZERO = Decimal(0)
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
_KIND_NL = {LineKind.PLACEMENT: "plaatsing", LineKind.PURCHASE: "inkoop", LineKind.HOURS: "MVO"}


class Kind:
    """How a column's cells are typed and formatted."""

    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    EURO = "euro"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str
    width: float
    value: Callable[[Any], Any]


def _write_cell(sheet: Worksheet, row: int, column: int, kind: str, value: Any) -> None:
    if value is None or value == "":
        return
    cell = sheet.cell(row=row, column=column)
    if kind == Kind.TEXT:
        write_text(cell, str(value))
    elif kind == Kind.EURO:
        cell.value = float(round_cents(Decimal(value)))
        cell.number_format = EURO_FORMAT
    elif kind == Kind.DATE:
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif kind == Kind.NUMBER:
        cell.value = float(value)
        cell.number_format = "0.00"
    else:
        cell.value = int(value)


def write_sheet(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Any]) -> None:
    """A table with a bold, frozen header row and an auto-filter over all of it."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        write_text(cell, column.heading)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, item in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            _write_cell(sheet, row_number, index, column.kind, column.value(item))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


# --- lines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportLine:
    """One evidence line of the quarter with its contract's valuation."""

    stored: StoredLine
    valuation: ContractValuation

    @property
    def facts(self) -> Any:
        return self.stored.valued.line.facts

    def value(self, quarter: Any = None) -> Decimal:
        """The line's value in `quarter`, or to date when None."""
        value = self.valuation.lines.get(self.stored.line_id)
        if value is None:
            return _ZERO
        return value.to_date if quarter is None else value.by_quarter.get(quarter, _ZERO)

    @property
    def warnings(self) -> str:
        value = self.valuation.lines.get(self.stored.line_id)
        extra = value.warnings if value is not None else []
        return "; ".join([*self.stored.valued.line.warnings, *extra])

    @property
    def subject(self) -> str:
        """Who or what, without initials: a person is only a short pseudonym."""
        if isinstance(self.facts, PlacementFacts):
            return f"persoon {self.facts.person_key[:7]}"
        return subject_of(self.stored.valued.line)

    @property
    def day(self) -> date | None:
        facts = self.facts
        if isinstance(facts, PlacementFacts):
            return facts.start_date
        if isinstance(facts, PurchaseFacts):
            return facts.invoice_date
        if isinstance(facts, HourFacts):
            return facts.activity_date
        return None

    @property
    def block_label(self) -> str:
        code = self.stored.valued.line.block_code
        return next((b.label for b in self.valuation.ruleset.blocks if b.code == code), "")

    @property
    def category(self) -> str:
        found = line_category(self.valuation.ruleset, self.stored)
        return found.value if found is not None else ""


def shares_text(valuation: ContractValuation) -> str:
    """'Enschede 60%; Hof van Twente 40%'."""
    return "; ".join(
        f"{share.municipality} {(share.share * 100).normalize():f}%"
        for share in valuation.contract.shares
    )


def line_columns(quarter: Any) -> list[Column]:
    def line(item: ExportLine) -> Any:
        return item.stored.valued.line

    return [
        Column("Regel", Kind.INT, 8, lambda i: i.stored.line_id),
        Column("Contract", Kind.TEXT, 14, lambda i: i.stored.contract_id),
        Column("Opdrachtnemer", Kind.TEXT, 28, lambda i: i.valuation.contract.contractor),
        Column("Gemeenten (aandeel)", Kind.TEXT, 28, lambda i: shares_text(i.valuation)),
        Column("Regeling", Kind.TEXT, 18, lambda i: i.valuation.ruleset.id),
        Column("Soort regel", Kind.TEXT, 10, lambda i: _KIND_NL[line(i).kind]),
        Column("Blok", Kind.TEXT, 6, lambda i: line(i).block_code or ""),
        Column("Omschrijving blok", Kind.TEXT, 34, lambda i: i.block_label),
        Column("Categorie", Kind.TEXT, 13, lambda i: i.category),
        Column("Wie / wat", Kind.TEXT, 30, lambda i: i.subject),
        Column("Datum", Kind.DATE, 11, lambda i: i.day),
        Column("Einddatum", Kind.DATE, 11, lambda i: getattr(i.facts, "end_date", None)),
        Column("FTE", Kind.NUMBER, 6, lambda i: getattr(i.facts, "fte", None)),
        Column("Uren", Kind.NUMBER, 7, lambda i: getattr(i.facts, "hours", None)),
        Column(
            "Bedrag excl. btw", Kind.EURO, 14, lambda i: getattr(i.facts, "amount_excl_vat", None)
        ),
        Column(f"Waarde {quarter}", Kind.EURO, 14, lambda i: i.value(quarter)),
        Column(f"Waarde t/m {quarter}", Kind.EURO, 14, lambda i: i.value()),
        Column("Status", Kind.TEXT, 14, lambda i: line(i).status.label_nl),
        Column("Reden", Kind.TEXT, 50, lambda i: "; ".join(line(i).reasons)),
        Column("Waarschuwingen", Kind.TEXT, 40, lambda i: i.warnings),
        Column("Bestand", Kind.TEXT, 30, lambda i: line(i).provenance.file),
        Column("Blad", Kind.TEXT, 12, lambda i: line(i).provenance.sheet or ""),
        Column("Rij", Kind.INT, 6, lambda i: line(i).provenance.row),
    ]


# --- summary levels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """Contract, municipal or regional figures under one set of names."""

    name: str
    contracts: int
    net_obligation: Decimal
    realized_quarter: Decimal
    realized_to_date: Decimal
    expected_to_date: Decimal
    remaining: Decimal
    fine: Decimal
    forecast_at_end: Decimal
    forecast_shortfall: Decimal
    categories: dict[Category, Decimal]
    people: int
    people_participatiewet: int
    contract: ContractValuation | None = None

    @classmethod
    def of_municipality(cls, municipal: MunicipalValuation) -> Level:
        return cls(
            name=municipal.municipality,
            contracts=len(municipal.contracts),
            net_obligation=municipal.net_obligation,
            realized_quarter=municipal.realized_quarter,
            realized_to_date=municipal.realized_to_date,
            expected_to_date=municipal.expected_to_date,
            remaining=municipal.remaining,
            fine=municipal.fine,
            forecast_at_end=municipal.forecast_at_end,
            forecast_shortfall=municipal.forecast_shortfall,
            categories={category: municipal.category_total(category) for category in Category},
            people=municipal.people,
            people_participatiewet=municipal.people_participatiewet,
        )

    @classmethod
    def of_contract(cls, valuation: ContractValuation) -> Level:
        shared = cls.of_municipality(MunicipalValuation("", [(valuation, Decimal(1))]))
        return cls(**{**shared.__dict__, "name": valuation.contract.contract_id,
                      "contract": valuation})  # fmt: skip


def level_columns() -> list[Column]:
    def category(which: Category) -> Callable[[Level], Decimal]:
        return lambda level: level.categories.get(which, _ZERO)

    return [
        Column("Netto verplichting", Kind.EURO, 15, lambda v: v.net_obligation),
        Column("Gerealiseerd kwartaal", Kind.EURO, 15, lambda v: v.realized_quarter),
        Column("Gerealiseerd t/m", Kind.EURO, 15, lambda v: v.realized_to_date),
        Column("Verwacht t/m", Kind.EURO, 15, lambda v: v.expected_to_date),
        Column("In het vat", Kind.EURO, 15, lambda v: v.remaining),
        Column("Boete", Kind.EURO, 13, lambda v: v.fine),
        Column("Prognose einde", Kind.EURO, 15, lambda v: v.forecast_at_end),
        Column("Nog te vinden", Kind.EURO, 15, lambda v: v.forecast_shortfall),
        Column("Plaatsingen", Kind.EURO, 15, category(Category.PLACEMENTS)),
        Column("Inkoop", Kind.EURO, 15, category(Category.PURCHASES)),
        Column("Activiteiten", Kind.EURO, 15, category(Category.ACTIVITIES)),
        Column("Personen", Kind.INT, 10, lambda v: v.people),
        Column("waarvan Participatiewet", Kind.INT, 12, lambda v: v.people_participatiewet),
    ]


def _contract(level: Level) -> ContractValuation:
    if level.contract is None:
        raise ValueError(f"{level.name} is not a contract")
    return level.contract


def contract_columns() -> list[Column]:
    def count(status: LineStatus) -> Callable[[Level], int]:
        return lambda level: _contract(level).line_counts[status]

    return [
        Column("Contract", Kind.TEXT, 14, lambda v: v.name),
        Column("Opdrachtnemer", Kind.TEXT, 28, lambda v: _contract(v).contract.contractor),
        Column("Gemeenten (aandeel)", Kind.TEXT, 28, lambda v: shares_text(_contract(v))),
        Column("Regeling", Kind.TEXT, 18, lambda v: _contract(v).ruleset.id),
        Column("Startdatum", Kind.DATE, 11, lambda v: _contract(v).contract.start_date),
        Column("Einddatum", Kind.DATE, 11, lambda v: _contract(v).contract.end_date),
        Column("Status", Kind.TEXT, 18, lambda v: _contract(v).status.label_nl),
        Column("Verplichting", Kind.EURO, 15, lambda v: _contract(v).obligation.obligation),
        Column("Korting", Kind.EURO, 13, lambda v: _contract(v).obligation.discount),
        *level_columns(),
        Column("Regels geaccepteerd", Kind.INT, 11, count(LineStatus.ACCEPTED)),
        Column("Regels afgewezen", Kind.INT, 11, count(LineStatus.REJECTED)),
        Column("Regels in behandeling", Kind.INT, 11, count(LineStatus.PENDING)),
    ]


def area_columns(heading: str) -> list[Column]:
    return [
        Column(heading, Kind.TEXT, 20, lambda v: v.name),
        Column("Contracten", Kind.INT, 11, lambda v: v.contracts),
        *level_columns(),
    ]


# --- the workbook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportInputs:
    portfolio: PortfolioValuation
    lines: Sequence[StoredLine]
    """The lines of the quarter (sroi lines --quarter's rule), of contracts in the register."""
    generated: date


def _explanation(sheet: Worksheet, inputs: ExportInputs, line_count: int) -> None:
    portfolio = inputs.portfolio
    rows = [
        ("Kwartaal", str(portfolio.quarter)),
        ("Peildatum", portfolio.as_of),
        ("Gemaakt op", inputs.generated),
        ("Regels", line_count),
        ("Welke regels", "elke regel van het kwartaal: met waarde in het kwartaal of met bewijs "
         "dat in het kwartaal valt (zoals sroi lines --quarter)"),
        ("Privacy", "geen BSN en geen namen: een persoon is een korte pseudoniem"),
        ("Gemeenten", "bedragen per gemeente zijn de contractbedragen maal het aandeel; een "
         "persoon telt in elke gemeente die het contract deelt, in de regio één keer"),
        ("Bedragen", "in euro's, afgerond op centen; Prognose einde = gerealiseerd plus wat de "
         "lopende plaatsingen nog opleveren tot het einde van het contract"),
    ]  # fmt: skip
    rows += [("Regeling", note) for note in ruleset_notes([v.ruleset for v in portfolio.contracts])]
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 110
    for number, (key, value) in enumerate(rows, start=1):
        write_text(sheet.cell(row=number, column=1), key)
        kind = Kind.DATE if isinstance(value, date) else Kind.INT
        _write_cell(sheet, number, 2, Kind.TEXT if isinstance(value, str) else kind, value)


def build_workbook(inputs: ExportInputs) -> Workbook:
    portfolio = inputs.portfolio
    by_id = {valuation.contract.contract_id: valuation for valuation in portfolio.contracts}
    lines = [
        ExportLine(stored, by_id[stored.contract_id])
        for stored in sorted(inputs.lines, key=lambda s: (s.contract_id, s.line_id))
        if stored.contract_id in by_id
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Regels"
    write_sheet(sheet, line_columns(portfolio.quarter), lines)
    contracts = [Level.of_contract(valuation) for valuation in portfolio.contracts]
    write_sheet(workbook.create_sheet("Contracten"), contract_columns(), contracts)
    municipalities = [Level.of_municipality(m) for m in portfolio.municipalities]
    write_sheet(workbook.create_sheet("Gemeenten"), area_columns("Gemeente"), municipalities)
    region = MunicipalValuation("Regio", [(v, Decimal(1)) for v in portfolio.contracts])
    write_sheet(
        workbook.create_sheet("Regio"), area_columns("Regio"), [Level.of_municipality(region)]
    )
    _explanation(workbook.create_sheet("Toelichting"), inputs, len(lines))
    return workbook


def write_export(destination: Path, inputs: ExportInputs) -> int:
    """Writes the workbook (atomically); returns the number of line rows."""
    workbook = build_workbook(inputs)
    write_atomically(destination, workbook.save)
    return workbook["Regels"].max_row - 1
