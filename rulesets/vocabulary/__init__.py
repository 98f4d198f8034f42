"""The words of the input files as data: which headings name which field of which table, and
which labels on a PDF invoice name which amount (tables.yaml, invoice_labels.yaml in this
folder). Checked on load like a ruleset; a home may add headings and labels in
<home>/rulesets/vocabulary/ (headers.yaml, invoice_labels.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from domain.errors import RulesetError
from domain.text import header_key

BUILTIN_DIR = Path(__file__).resolve().parent
HOME_SUBFOLDER = Path("rulesets") / "vocabulary"
HEADERS_FILE = "headers.yaml"
INVOICE_LABELS_FILE = "invoice_labels.yaml"


class TableKind(StrEnum):
    PLACEMENTS = "plaatsingen"
    PURCHASES = "inkoop"
    HOURS = "mvo"
    CONTRACTS = "contracten"
    PARTICIPANTS = "deelnemers"


SUBMISSION_KINDS = (TableKind.PLACEMENTS, TableKind.PURCHASES, TableKind.HOURS)


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    AMOUNT = "amount"
    """A decimal in euro."""
    PERCENTAGE = "percentage"
    FLAG = "flag"
    INTEGER = "integer"

    @property
    def is_number(self) -> bool:
        return self in {
            FieldType.DECIMAL,
            FieldType.AMOUNT,
            FieldType.PERCENTAGE,
            FieldType.INTEGER,
        }


ColumnCheck = Literal["elfproef", "kvk_format", "email_address"]
Choices = Literal["target_groups", "invoice_kinds", "employment", "yes_no"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberBounds(_Strict):
    """Bounds of a number column; every bound given must hold."""

    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None

    def as_dict(self) -> dict[str, int | float]:
        """The bounds as numbers (whole numbers as int: '> 0', not '> 0.0')."""
        return {
            name: int(value) if value == value.to_integral_value() else float(value)
            for name, value in self
            if value is not None
        }

    def describe_nl(self) -> str:
        """'groter dan 0 en ten hoogste 168'."""
        words = {
            "gt": "groter dan",
            "ge": "minstens",
            "lt": "kleiner dan",
            "le": "ten hoogste",
        }
        parts = [f"{words[name]} {_number_nl(value)}" for name, value in self if value is not None]
        return " en ".join(parts)


def _number_nl(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


class TemplateColumn(_Strict):
    """How the contractor template shows a field."""

    width: int = Field(gt=0, le=100)
    required: str | None = None
    """What the template says under 'Verplicht' when it is not simply ja/nee."""
    choices: Choices | None = None
    as_text: bool = False
    """Numbers that must keep their leading zero (BSN, KvK) are typed as text."""


class FieldDefinition(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType
    headers: tuple[str, ...] = Field(min_length=1)
    required: bool = False
    bounds: NumberBounds | None = None
    checks: tuple[ColumnCheck, ...] = ()
    description: str
    template: TemplateColumn | None = None

    @property
    def label(self) -> str:
        """The Dutch heading a person recognises (the first one)."""
        return self.headers[0]

    @model_validator(mode="after")
    def _bounds_on_numbers(self) -> FieldDefinition:
        if self.bounds is not None and not self.type.is_number:
            raise ValueError(f"bounds are for numbers, not for a {self.type.value} field")
        return self


class TableDefinition(_Strict):
    kind: TableKind
    title: str
    sheet_names: tuple[str, ...] = Field(min_length=1)
    key_fields: tuple[str, ...] = Field(min_length=1)
    """A header row is only accepted when all of these fields are found in it."""
    row: str
    """What one row is, in Dutch ('één regel per factuur')."""
    fields: tuple[FieldDefinition, ...] = Field(min_length=1)
    _by_header: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """The heading index, built once: matching a heading is one dictionary look-up."""
        self._by_header.update(
            (header_key(header), field.name) for field in self.fields for header in field.headers
        )

    @model_validator(mode="after")
    def _consistent(self) -> TableDefinition:
        names = [field.name for field in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("a field name is used twice")
        unknown = set(self.key_fields) - set(names)
        if unknown:
            raise ValueError(f"key_fields name unknown fields: {', '.join(sorted(unknown))}")
        owner: dict[str, str] = {}
        for field in self.fields:
            for header in field.headers:
                key = header_key(header)
                if not key:
                    raise ValueError(f"heading {header!r} of {field.name} is empty")
                if owner.setdefault(key, field.name) != field.name:
                    raise ValueError(f"heading {header!r} names both {owner[key]} and {field.name}")
        return self

    def field(self, name: str) -> FieldDefinition:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)

    def field_for(self, header: str) -> str | None:
        """The field a heading names, or None."""
        return self._by_header.get(header_key(header))

    def label_of(self, name: str) -> str:
        """The Dutch heading a person would recognise for a field."""
        return self.field(name).label

    def types(self) -> dict[str, FieldType]:
        return {field.name: field.type for field in self.fields}

    def names_sheet(self, sheet_name: str) -> bool:
        return header_key(sheet_name) in {header_key(name) for name in self.sheet_names}

    def with_extra(self, headers: Mapping[str, Iterable[str]], sheets: Iterable[str]) -> Any:
        """This table with headings and sheet names a home adds (validated again)."""
        fields = []
        for field in self.fields:
            extra = tuple(headers.get(field.name, ()))
            fields.append(field.model_copy(update={"headers": field.headers + extra}))
        data = self.model_dump()
        data["fields"] = [field.model_dump() for field in fields]
        data["sheet_names"] = (*self.sheet_names, *sheets)
        return TableDefinition.model_validate(data)


LabelLevels = tuple[tuple[str, ...], ...]
M = TypeVar("M", bound=BaseModel)


def _compiled(label: str) -> str:
    try:
        re.compile(label)
    except re.error as error:
        raise ValueError(f"{label!r} is not a valid pattern: {error}") from error
    return label


class ColumnHeaders(_Strict):
    """Labels of a header row whose values stand on the row below."""

    invoice_number: tuple[str, ...] = ()
    invoice_date: tuple[str, ...] = ()
    amount_excl_vat: tuple[str, ...] = ()
    vat: tuple[str, ...] = ()
    total: tuple[str, ...] = ()

    @field_validator("*")
    @classmethod
    def _compiles(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_compiled(label) for label in labels)


class InvoiceLabels(_Strict):
    """Regular expressions per invoice field, in levels tried in order."""

    invoice_number: LabelLevels = Field(min_length=1)
    invoice_date: LabelLevels = Field(min_length=1)
    total: LabelLevels = Field(min_length=1)
    amount_excl_vat: LabelLevels = Field(min_length=1)
    supplier: LabelLevels = Field(min_length=1)
    column_headers: ColumnHeaders = ColumnHeaders()

    @field_validator("invoice_number", "invoice_date", "total", "amount_excl_vat", "supplier")
    @classmethod
    def _compiles(cls, levels: LabelLevels) -> LabelLevels:
        for level in levels:
            if not level:
                raise ValueError("a level needs at least one label")
            for label in level:
                _compiled(label)
        return levels

    def with_extra(self, extra: Mapping[str, Iterable[str]]) -> InvoiceLabels:
        """Labels a home adds come first: they were added because the built-in ones missed."""
        data = self.model_dump()
        for kind, labels in extra.items():
            data[kind] = [list(labels), *data[kind]]
        return InvoiceLabels.model_validate(data)


class Vocabulary(_Strict):
    tables: dict[TableKind, TableDefinition]
    invoice_labels: InvoiceLabels

    def table(self, kind: TableKind) -> TableDefinition:
        return self.tables[kind]

    @property
    def submission_tables(self) -> tuple[TableDefinition, ...]:
        return tuple(self.tables[kind] for kind in SUBMISSION_KINDS)


class _TableAdditions(_Strict):
    sheet_names: tuple[str, ...] = ()
    headers: dict[str, tuple[str, ...]] = {}


class _HomeHeaders(_Strict):
    tables: dict[TableKind, _TableAdditions]


class _HomeInvoiceLabels(_Strict):
    invoice_number: tuple[str, ...] = ()
    invoice_date: tuple[str, ...] = ()
    total: tuple[str, ...] = ()
    amount_excl_vat: tuple[str, ...] = ()
    supplier: tuple[str, ...] = ()


def _key(location: Iterable[int | str]) -> str:
    """A readable key path: 'tables.plaatsingen.headers' (pydantic's '[key]' steps left out)."""
    return ".".join(str(part) for part in location if part != "[key]") or "(top level)"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RulesetError(path, "(file)", f"cannot be read as YAML: {error}") from error
    if not isinstance(raw, dict):
        raise RulesetError(path, "(file)", "expected a mapping at the top level")
    return raw


def _validated(model: type[M], path: Path, raw: dict[str, Any]) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise RulesetError(path, _key(first["loc"]), first["msg"]) from error


def _builtin_tables(path: Path) -> dict[TableKind, TableDefinition]:
    raw = _read_yaml(path)
    tables = raw.get("tables")
    if not isinstance(tables, dict) or set(raw) != {"tables"}:
        raise RulesetError(path, "tables", "expected only a mapping 'tables'")
    return {
        TableKind(kind): _validated(TableDefinition, path, {"kind": kind, **body})
        for kind, body in tables.items()
    }


@cache
def builtin_vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once per process."""
    tables = _builtin_tables(BUILTIN_DIR / "tables.yaml")
    labels_path = BUILTIN_DIR / INVOICE_LABELS_FILE
    labels = _validated(InvoiceLabels, labels_path, _read_yaml(labels_path))
    return Vocabulary(tables=tables, invoice_labels=labels)


def _add_headers(vocabulary: Vocabulary, path: Path) -> Vocabulary:
    additions = _validated(_HomeHeaders, path, _read_yaml(path))
    tables = dict(vocabulary.tables)
    for kind, extra in additions.tables.items():
        table = tables[kind]
        for name in extra.headers:
            if name not in {field.name for field in table.fields}:
                raise RulesetError(path, f"tables.{kind.value}.headers.{name}", "unknown field")
        try:
            tables[kind] = table.with_extra(extra.headers, extra.sheet_names)
        except ValidationError as error:
            problem = error.errors()[0]["msg"]
            raise RulesetError(path, f"tables.{kind.value}", problem) from error
    return vocabulary.model_copy(update={"tables": tables})


def _add_invoice_labels(vocabulary: Vocabulary, path: Path) -> Vocabulary:
    additions = _validated(_HomeInvoiceLabels, path, _read_yaml(path))
    extra = {kind: labels for kind, labels in additions if labels}
    try:
        labels = vocabulary.invoice_labels.with_extra(extra)
    except ValidationError as error:
        first = error.errors()[0]
        raise RulesetError(path, _key(first["loc"]), first["msg"]) from error
    return vocabulary.model_copy(update={"invoice_labels": labels})


def load_vocabulary(home_root: Path | None = None) -> Vocabulary:
    """The shipped vocabulary plus what <home>/rulesets/vocabulary/ adds."""
    vocabulary = builtin_vocabulary()
    if home_root is None:
        return vocabulary
    folder = home_root / HOME_SUBFOLDER
    if (folder / HEADERS_FILE).is_file():
        vocabulary = _add_headers(vocabulary, folder / HEADERS_FILE)
    if (folder / INVOICE_LABELS_FILE).is_file():
        vocabulary = _add_invoice_labels(vocabulary, folder / INVOICE_LABELS_FILE)
    return vocabulary
