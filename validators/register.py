"""Checking the contract register: every bad row is reported by row and column, and the other
contracts keep working (INTERFACE.md section 2)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.contracts import Contract, MunicipalShare
from domain.errors import SroiError, UnknownRuleset
from parsers.grid import RawTable
from parsers.register import RegisterTables
from rulesets import RulesetCatalog
from validators.conversion import (
    TypedRow,
    optional_date,
    optional_decimal,
    optional_text,
    required_date,
    required_decimal,
    required_text,
)
from validators.rows import read_rows

_HUNDRED = Decimal(100)
_SHARE_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class RegisterProblem:
    sheet: str
    row: int | None
    message: str

    def describe_nl(self, file: str) -> str:
        where = f"{file}, blad {self.sheet}" + (f", rij {self.row}" if self.row else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Register:
    file: str
    contracts: tuple[Contract, ...]
    problems: tuple[RegisterProblem, ...]

    def get(self, contract_id: str) -> Contract | None:
        wanted = contract_id.strip().casefold()
        return next((c for c in self.contracts if c.contract_id.casefold() == wanted), None)

    def find_in_name(self, file_name: str) -> Contract | None:
        """The contract whose id appears in a file name (longest id wins: TW-1 vs TW-12)."""
        name = file_name.casefold()
        hits = [c for c in self.contracts if c.contract_id.casefold() in name]
        return max(hits, key=lambda c: len(c.contract_id)) if hits else None


def _checked_rows(table: RawTable) -> tuple[list[TypedRow], dict[int, list[str]]]:
    readings = read_rows(table)
    problems = {
        position: list(reading.problems)
        for position, reading in enumerate(readings)
        if reading.problems
    }
    return [reading.row for reading in readings], problems


def _shares(
    table: RawTable | None,
) -> tuple[dict[str, list[MunicipalShare]], list[RegisterProblem]]:
    if table is None:
        return {}, []
    rows, row_problems = _checked_rows(table)
    shares: dict[str, list[MunicipalShare]] = defaultdict(list)
    problems = [
        RegisterProblem(table.sheet, rows[position].provenance.row, "; ".join(messages))
        for position, messages in row_problems.items()
    ]
    for position, row in enumerate(rows):
        if position in row_problems:
            continue
        contract_id = required_text(row, "contract_id").casefold()
        share = required_decimal(row, "share") / _HUNDRED
        shares[contract_id].append(MunicipalShare(required_text(row, "municipality"), share))
    return shares, problems


class UnusableContractRow(SroiError):
    """A register row that passed the schema but cannot become a contract (unknown ruleset,
    shares that do not add up); `reason_nl` names the column."""

    def __init__(self, reason_nl: str) -> None:
        self.reason_nl = reason_nl
        super().__init__(reason_nl)


def _contract(row: TypedRow, catalog: RulesetCatalog, shares: list[MunicipalShare]) -> Contract:
    """Raises UnusableContractRow with a Dutch reason when the row cannot become a contract."""
    start = required_date(row, "start_date")
    award = optional_date(row, "award_date") or start
    try:
        ruleset = catalog.resolve(required_text(row, "ruleset"), award)
    except UnknownRuleset as error:
        raise UnusableContractRow(f"Regeling: {error.reason_nl}") from error
    municipality = required_text(row, "municipality")
    if shares:
        total = sum((share.share for share in shares), Decimal(0)) * _HUNDRED
        if abs(total - _HUNDRED) > _SHARE_TOLERANCE:
            raise UnusableContractRow(
                f"Deelnemers: aandelen tellen op tot {total.normalize():f}% in plaats van 100%"
            )
    else:
        shares = [MunicipalShare(municipality, Decimal(1))]
    pso_level = row.values.get("pso_level")
    labour = optional_decimal(row, "labour_share")
    return Contract(
        contract_id=required_text(row, "contract_id"),
        title=optional_text(row, "title") or "",
        contractor=required_text(row, "contractor"),
        contractor_kvk=optional_text(row, "contractor_kvk"),
        municipality=municipality,
        contract_value=required_decimal(row, "contract_value"),
        sroi_percentage=optional_decimal(row, "sroi_percentage"),
        capital_intensive=row.values.get("capital_intensive") is True,
        start_date=start,
        end_date=required_date(row, "end_date"),
        award_date=award,
        ruleset_id=ruleset.id,
        pso_level=pso_level if isinstance(pso_level, int) and pso_level > 0 else None,
        label=optional_text(row, "label"),
        pso_valid_until=optional_date(row, "pso_valid_until"),
        labour_share=labour / _HUNDRED if labour is not None else None,
        shares=tuple(shares),
        source_row=row.provenance.row,
        email=(optional_text(row, "email") or "").strip() or None,
    )


def validate_register(tables: RegisterTables, catalog: RulesetCatalog) -> Register:
    """Valid contracts, and a Dutch problem for every row that could not be used."""
    table = tables.contracts
    rows, row_problems = _checked_rows(table)
    shares, problems = _shares(tables.participants)
    contracts: list[Contract] = []
    for position, row in enumerate(rows):
        if position in row_problems:
            message = "; ".join(row_problems[position])
            problems.append(RegisterProblem(table.sheet, row.provenance.row, message))
            continue
        contract_key = str(row.values["contract_id"]).casefold()
        try:
            contracts.append(_contract(row, catalog, shares.pop(contract_key, [])))
        except UnusableContractRow as error:
            problems.append(RegisterProblem(table.sheet, row.provenance.row, error.reason_nl))
    for contract_key in shares:
        problems.append(
            RegisterProblem(
                tables.participants.sheet if tables.participants else "Deelnemers",
                None,
                f"Deelnemers noemen contract '{contract_key.upper()}', dat niet (geldig) in "
                "het register staat",
            )
        )
    return Register(tables.file, tuple(contracts), tuple(problems))
