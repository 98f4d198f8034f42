"""Writing the blank submission workbook: one sheet per table the ruleset can value, with the
headings of the field definitions, drop-down lists of the ruleset's target groups and date and
number checks; then `Uitleg` and a hidden sheet `Lijsten` with the drop-down values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.contracts import Contract
from reporting.template.columns import Column, SheetPlan, sheet_plans
from reporting.template.guide import write_guide
from reporting.template.layout import (
    BOLD,
    CONTRACT_ROW,
    CONTRACTOR_ROW,
    FIRST_DATA_ROW,
    GUIDE_SHEET,
    HEADER_FILL,
    HEADER_ROW,
    HINT_ROW,
    INPUT_FILL,
    LAST_DATA_ROW,
    LISTS_SHEET,
    TITLE,
    TITLE_ROW,
    WRAP,
)
from rulesets.model import FixedBlock, InvoiceBlock, PlacementBlock, Ruleset
from rulesets.vocabulary import Vocabulary, builtin_vocabulary

CHOICE_TITLES = {
    "target_groups": "Doelgroep",
    "invoice_kinds": "Soort",
    "employment": "Dienstverband",
    "yes_no": "Ja/nee",
}
"""The drop-down lists, each a column of the hidden sheet, in this order."""


def write_template(
    path: Path,
    ruleset: Ruleset,
    contract: Contract | None = None,
    vocabulary: Vocabulary | None = None,
) -> Path:
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
    plans = _sheets_for(ruleset, vocabulary or builtin_vocabulary())
    for plan in plans:
        _write_table_sheet(workbook.create_sheet(plan.name), plan, ruleset, contract, ranges)
    write_guide(workbook.create_sheet(GUIDE_SHEET), plans, ruleset, contract)
    _write_lists(workbook.create_sheet(LISTS_SHEET), choices)
    # The first table sheet opens, selected: a workbook without a selected tab confuses Excel.
    workbook.active = 0
    workbook.worksheets[0].sheet_view.tabSelected = True
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _sheets_for(ruleset: Ruleset, vocabulary: Vocabulary) -> tuple[SheetPlan, ...]:
    """The table sheets this ruleset can value; a sheet without a block would only reject."""
    return tuple(plan for plan in sheet_plans(vocabulary) if ruleset.blocks_of(*plan.needs))


def _choice_values(ruleset: Ruleset) -> dict[str, tuple[str, ...]]:
    """The values of each drop-down list; block labels are what `find_block` matches first."""
    return {
        "target_groups": tuple(
            block.label for block in ruleset.blocks_of(PlacementBlock, FixedBlock)
        ),
        "invoice_kinds": tuple(block.label for block in ruleset.blocks_of(InvoiceBlock)),
        "employment": ("vast", "tijdelijk"),
        "yes_no": ("ja", "nee"),
    }


def _list_ranges(choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Absolute references into the hidden sheet: Excel caps an inline list at 255
    characters and a label may hold a comma, so the values live in cells."""
    ranges = {}
    for index, (choice, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        ranges[choice] = f"{LISTS_SHEET}!${letter}$2:${letter}${1 + max(len(values), 1)}"
    return ranges


def _write_lists(sheet: Any, choices: dict[str, tuple[str, ...]]) -> None:
    for index, (choice, values) in enumerate(choices.items(), start=1):
        sheet.cell(row=1, column=index, value=CHOICE_TITLES[choice]).font = BOLD
        for offset, value in enumerate(values, start=2):
            sheet.cell(row=offset, column=index, value=value)
        sheet.column_dimensions[get_column_letter(index)].width = 50
    sheet.sheet_state = "hidden"


def _write_heading(
    sheet: Any, plan: SheetPlan, ruleset: Ruleset, contract: Contract | None
) -> None:
    sheet.cell(row=TITLE_ROW, column=1, value=f"SROI-verantwoording {ruleset.title}").font = TITLE
    sheet.cell(row=CONTRACT_ROW, column=1, value="Contractnummer").font = BOLD
    number = sheet.cell(row=CONTRACT_ROW, column=2)
    if contract is None:
        # Left for the contractor. The cell below the label stays empty too: the parser would
        # otherwise read whatever is there as the contract number.
        number.fill = INPUT_FILL
    else:
        number.value = contract.contract_id
        sheet.cell(row=CONTRACTOR_ROW, column=1, value="Opdrachtnemer").font = BOLD
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
    ranges: dict[str, str],
) -> None:
    _write_heading(sheet, plan, ruleset, contract)
    for index, column in enumerate(plan.columns, start=1):
        header = sheet.cell(row=HEADER_ROW, column=index, value=column.heading)
        header.font = BOLD
        header.fill = HEADER_FILL
        header.alignment = WRAP
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format is not None:
            # Per cell, not per column: the format must hold for cells typed into later, and a
            # BSN cell formatted as text keeps its leading zero.
            for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
                sheet.cell(row=row, column=index).number_format = column.number_format
        validation = _validation(column, ranges)
        if validation is not None:
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _validation(column: Column, ranges: dict[str, str]) -> DataValidation | None:
    header = column.heading
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
