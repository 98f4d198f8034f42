"""The shape of the demo description (home.yaml). Every key is checked on load; unknown keys are
errors that name the key, and so are references to people or column layouts that do not exist.

Cell values keep the type YAML gives them (a number, text or a date), because the demo shows how
contractors type: strict types keep pydantic from turning 5 into 5.0 or "01-03-2025" into a date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from domain.errors import SroiError

DESCRIPTION_FILE = Path(__file__).resolve().parent / "home.yaml"
INBOX_TOP = "."
"""The folder key of files saved directly in inbox/, outside a contract folder."""

Cell = StrictInt | StrictFloat | StrictStr | date
PlacementField = Literal[
    "name", "bsn", "birth", "group", "start", "end", "hours", "fte", "employment",
    "benefit_since", "refugee", "special", "evidence", "note",
]  # fmt: skip
PurchaseField = Literal["supplier", "kvk", "number", "day", "amount", "kind", "approved_by"]
ActivityField = Literal["day", "activity", "hours", "travel", "approved_by"]


class DemoDataError(SroiError):
    """The demo description is invalid; names the file and the key."""

    def __init__(self, file: Path, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the register ------------------------------------------------------------------------------


class DemoContract(_Strict):
    """One row of the register, each value as the coordinator typed it."""

    id: StrictStr
    title: StrictStr
    contractor: StrictStr
    kvk: StrictStr
    municipality: StrictStr
    value: StrictInt | StrictStr
    sroi_percentage: Cell | None = None
    capital_intensive: StrictStr
    start: date | StrictStr
    end: date
    award: date
    ruleset: StrictStr
    pso_level: StrictInt | None = None
    label: StrictStr | None = None
    label_valid_until: date | None = None
    labour_share: StrictInt | None = None
    shares: dict[str, StrictInt] = {}
    """Municipality: share in percent, for a joint contract (sheet Deelnemers)."""


class Register(_Strict):
    author: StrictStr
    contracts: tuple[DemoContract, ...]


class BsnCounter(_Strict):
    first: StrictInt
    step: StrictInt


# --- rows and sheets ---------------------------------------------------------------------------


class Placement(_Strict):
    person: StrictStr
    """A name from `people`; it gives the name, date of birth and BSN cells."""
    group: StrictStr | StrictInt
    start: date | StrictStr
    end: date | StrictStr | None = None
    hours: Cell | None = None
    fte: Cell | None = None
    employment: StrictStr | None = None
    benefit_since: date | StrictStr | None = None
    refugee: StrictStr | None = None
    special: StrictStr | None = None
    evidence: StrictStr | None = None
    note: StrictStr | None = None
    mistyped_bsn: bool = False
    """One digit of the person's BSN typed wrong, so it fails the 11-test."""


class Purchase(_Strict):
    supplier: StrictStr
    kvk: StrictStr
    number: StrictStr
    day: date | StrictStr
    amount: Cell
    kind: StrictStr | None = None
    approved_by: StrictStr | None = None


class Activity(_Strict):
    day: date | StrictStr
    activity: StrictStr
    hours: Cell
    travel: Cell | None = None
    approved_by: StrictStr | None = None


class Sheet(_Strict):
    """One table on its own sheet: exactly one of placements, purchases or activities."""

    name: StrictStr
    columns: StrictStr
    """A layout name from column_layouts under the kind of the rows."""
    placements: tuple[Placement, ...] | None = None
    purchases: tuple[Purchase, ...] | None = None
    activities: tuple[Activity, ...] | None = None
    footer: tuple[Cell | None, ...] = ()
    """A note or total row under the table, after one empty row."""

    @model_validator(mode="after")
    def _one_kind_of_rows(self) -> Sheet:
        given = [kind for kind, rows in self.rows_by_kind() if rows is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of placements, purchases, activities")
        return self

    def rows_by_kind(self) -> Iterator[tuple[str, tuple[BaseModel, ...] | None]]:
        yield "placements", self.placements
        yield "purchases", self.purchases
        yield "activities", self.activities

    @property
    def kind(self) -> str:
        return next(kind for kind, rows in self.rows_by_kind() if rows is not None)

    @property
    def rows(self) -> tuple[BaseModel, ...]:
        return next(rows for _, rows in self.rows_by_kind() if rows is not None)


class HiddenSheet(_Strict):
    name: StrictStr
    values: tuple[StrictStr, ...]


class SubmissionWorkbook(_Strict):
    contract: StrictStr | None = None
    """Only for a file at the top of the inbox; in a contract folder the folder names it."""
    contractor: StrictStr
    period: StrictStr
    sheets: tuple[Sheet, ...]
    contract_below: bool = False
    """'Contractnummer' with the id in the cell below instead of beside it."""
    dotted_bsn: bool = False
    """BSNs typed as text '1234.56.782' instead of as numbers."""
    hidden_sheet: HiddenSheet | None = None


class ColumnLayouts(_Strict):
    """Per kind of rows, named layouts: the heading in the workbook -> the field it shows."""

    placements: dict[str, dict[str, PlacementField]]
    purchases: dict[str, dict[str, PurchaseField]]
    activities: dict[str, dict[str, ActivityField]]

    def get(self, kind: str, name: str) -> dict[str, str] | None:
        layouts: dict[str, dict[str, str]] = getattr(self, kind)
        return layouts.get(name)


# --- invoices and deliberate mistakes ----------------------------------------------------------


class Invoice(_Strict):
    """What the supplier printed; amounts are text as on the invoice."""

    supplier: StrictStr
    address: StrictStr
    kvk: StrictStr
    vat_number: StrictStr
    iban: StrictStr
    number: StrictStr
    day: date
    description: StrictStr
    quantity: StrictStr
    rate: StrictStr
    excl_vat: StrictStr
    vat: StrictStr
    total: StrictStr
    customer: StrictStr
    customer_address: StrictStr
    reference: StrictStr


class Duplicate(_Strict):
    file: StrictStr
    copy_of: StrictStr


class CorruptFile(_Strict):
    file: StrictStr
    content: StrictStr


class EmptyWorkbook(_Strict):
    file: StrictStr
    author: StrictStr
    sheet: StrictStr
    title: StrictStr


class Mistakes(_Strict):
    duplicate: Duplicate
    corrupt: CorruptFile
    empty: EmptyWorkbook


# --- the whole description ---------------------------------------------------------------------


class DemoHome(_Strict):
    contract_register: Register = Field(alias="register")
    """`register` in the file (as a field name it would shadow BaseModel.register)."""
    bsn_counter: BsnCounter
    people: dict[str, date | StrictStr]
    """Name: date of birth as typed; the order hands out the BSNs."""
    column_layouts: ColumnLayouts
    submissions: dict[str, dict[str, SubmissionWorkbook]]
    """Folder in the inbox (a contract number, or '.' for the top): file name: workbook."""
    invoices: dict[str, Invoice]
    """Path relative to inbox/: the invoice printed in it."""
    mistakes: Mistakes

    def workbooks(self) -> Iterator[tuple[str, str, SubmissionWorkbook]]:
        for folder, files in self.submissions.items():
            for file_name, workbook in files.items():
                yield folder, file_name, workbook

    def workbook_paths(self) -> list[str]:
        return [inbox_path(folder, file_name) for folder, file_name, _ in self.workbooks()]

    def sheets(self) -> Iterator[tuple[str, Sheet]]:
        for folder, file_name, workbook in self.workbooks():
            for index, sheet in enumerate(workbook.sheets):
                yield f"{_workbook_key(folder, file_name)}.sheets[{index}]", sheet


def inbox_path(folder: str, file_name: str) -> str:
    """The path relative to inbox/ of a file in a submissions folder."""
    return file_name if folder == INBOX_TOP else f"{folder}/{file_name}"


def load_demo_home(path: Path = DESCRIPTION_FILE) -> DemoHome:
    """The validated description; DemoDataError names the key of the first problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DemoDataError(path, "(file)", f"cannot be read as YAML: {error}") from error
    if not isinstance(raw, dict):
        raise DemoDataError(path, "(file)", "expected a mapping at the top level")
    try:
        demo = DemoHome.model_validate(raw)
    except ValidationError as error:
        key, problem = _first_problem(raw, error)
        raise DemoDataError(path, key, problem) from error
    broken = next(reference_problems(demo), None)
    if broken is not None:
        raise DemoDataError(path, *broken)
    return demo


def reference_problems(demo: DemoHome) -> Iterator[tuple[str, str]]:
    """(key, problem) for every name that points at nothing: a person, a column layout, the
    original of the duplicate, or a contract given or missing for a file outside a folder."""
    for where, sheet in demo.sheets():
        if demo.column_layouts.get(sheet.kind, sheet.columns) is None:
            yield f"{where}.columns", f"no {sheet.kind} layout {sheet.columns!r} in column_layouts"
        for index, row in enumerate(sheet.placements or ()):
            if row.person not in demo.people:
                yield f"{where}.placements[{index}].person", f"{row.person!r} is not in people"
    for folder, file_name, workbook in demo.workbooks():
        if (workbook.contract is None) == (folder == INBOX_TOP):
            yield (
                f"{_workbook_key(folder, file_name)}.contract",
                f"give it for a file in the top folder {INBOX_TOP!r}, and only there",
            )
    if demo.mistakes.duplicate.copy_of not in demo.workbook_paths():
        yield "mistakes.duplicate.copy_of", "not the path of a workbook under submissions"


def _first_problem(raw: dict[str, object], error: ValidationError) -> tuple[str, str]:
    """The key of the first error; a value that may take several types lists what each wants."""
    keyed = [(_key_path(raw, problem["loc"]), problem["msg"]) for problem in error.errors()]
    key = keyed[0][0]
    messages = dict.fromkeys(message for other, message in keyed if other == key)
    return key, " / ".join(messages)


def _key_path(raw: dict[str, object], location: Iterable[int | str]) -> str:
    """('register', 'contracts', 2, 'kvk') -> 'register.contracts[2].kvk'. Steps below a plain
    value are pydantic's names for the members of a union ('int', 'str') and are left out."""
    text = ""
    node: object = raw
    for part in location:
        if isinstance(part, int) and isinstance(node, list):
            text += f"[{part}]"
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict):
            text += f".{_shown(str(part))}" if text else str(part)
            node = node.get(part)
    return text or "(top level)"


def _workbook_key(folder: str, file_name: str) -> str:
    return f"submissions.{_shown(folder)}.{file_name}"


def _shown(key: str) -> str:
    """The top folder '.' in quotes, so that a key path stays readable."""
    return f'"{key}"' if key == INBOX_TOP else key
