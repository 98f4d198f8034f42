"""The part of a file's work that needs no ledger, done by the run's worker processes a few
files at a time: parse the file, read the rows of its tables (one pandera call per table kind
for all of them), and judge its placement rows for the contract it will go to (block, person,
eligibility, FTE). The run then only checks the judged lines against the ledger and stores them.
Everything a worker needs comes with the context, once per worker."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice

from domain.errors import FileRejected
from domain.pseudonym import Pseudonymizer
from flows.filing import InboxFile
from parsers import Parsed, read_submission
from parsers.grid import RawTable
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from rulesets import RulesetCatalog
from rulesets.vocabulary import TableKind, Vocabulary
from validators.assignment import assign_contract
from validators.lines import CheckedLine
from validators.placements import PlacementContext, judge_placements
from validators.register import Register
from validators.rows import TableReadings, read_tables


@dataclass(frozen=True)
class ReadContext:
    """What every file of a run is read and judged with."""

    limits: ReadLimits
    vocabulary: Vocabulary
    register: Register
    catalog: RulesetCatalog
    key: bytes
    """The home's pseudonym key: persons are judged by their pseudonym."""


@dataclass(frozen=True)
class Unreadable:
    """A file the parsers refused, with the Dutch reason (exceptions do not travel well
    between processes)."""

    reason_nl: str


@dataclass(frozen=True)
class Defect:
    """A parser failed in a way it should not (a defect in our code): the file is quarantined
    with a general reason, the traceback goes to the operator's log."""

    kind: str
    traceback: str


@dataclass(frozen=True)
class Read:
    """A file the parsers read, with the rows of each of its tables read (an invoice has no
    tables), and its placement tables judged for contract `judged_for` (None per other table;
    nothing judged when its contract could not be told)."""

    parsed: Parsed
    readings: tuple[TableReadings, ...] = ()
    judged: tuple[tuple[CheckedLine, ...] | None, ...] | None = None
    judged_for: str | None = None


ReadResult = Read | Unreadable | Defect

_CONTEXT: ReadContext | None = None


def remember(context: ReadContext) -> None:
    """In a worker process, once: the context of every job it gets."""
    global _CONTEXT  # noqa: PLW0603 - one value per worker process, set when it starts
    _CONTEXT = context


def _parse(file: InboxFile, context: ReadContext) -> ReadResult:
    try:
        return Read(read_submission(file.path, context.limits, context.vocabulary))
    except FileRejected as rejected:
        return Unreadable(rejected.reason_nl)
    except Exception as defect:  # noqa: BLE001 - a defect stays with its own file
        return Defect(type(defect).__name__, traceback.format_exc())


def _tables(result: ReadResult) -> list[RawTable]:
    if isinstance(result, Read) and isinstance(result.parsed, ParsedWorkbook):
        return list(result.parsed.tables)
    return []


def _with_rows(results: list[ReadResult]) -> list[ReadResult]:
    """The rows of all workbooks read together (one pandera call per table kind)."""
    readings = iter(read_tables([table for result in results for table in _tables(result)]))
    return [
        replace(result, readings=tuple(islice(readings, len(_tables(result)))))
        if isinstance(result, Read)
        else result
        for result in results
    ]


def _judged(file: InboxFile, result: ReadResult, context: ReadContext) -> ReadResult:
    """The workbook's placement tables judged for its contract, when that can be told."""
    if not isinstance(result, Read) or not isinstance(result.parsed, ParsedWorkbook):
        return result
    workbook = result.parsed
    try:
        contract = assign_contract(
            file.folder_contract, file.name, workbook.contract_ref, context.register
        )
    except FileRejected:
        return result  # quarantined by the run, with this reason
    ruleset = context.catalog.resolve(contract.ruleset_id, contract.award_date)
    pseudonymizer = Pseudonymizer(context.key)
    judged = tuple(
        tuple(
            judge_placements(
                rows, PlacementContext(contract, ruleset, pseudonymizer, table.definition)
            )
        )
        if table.definition.kind is TableKind.PLACEMENTS
        else None
        for table, rows in zip(workbook.tables, result.readings, strict=True)
    )
    return replace(result, judged=judged, judged_for=contract.contract_id)


def _prepared(
    files: Sequence[InboxFile], results: list[ReadResult], context: ReadContext
) -> list[ReadResult]:
    return [
        _judged(file, result, context)
        for file, result in zip(files, _with_rows(results), strict=True)
    ]


def _alone(file: InboxFile, result: ReadResult, context: ReadContext) -> ReadResult:
    try:
        return _prepared([file], [result], context)[0]
    except Exception as defect:  # noqa: BLE001 - a defect stays with its own file
        return Defect(type(defect).__name__, traceback.format_exc())


def read_files(files: Sequence[InboxFile], context: ReadContext | None = None) -> list[ReadResult]:
    """A few inbox files read and judged (in a worker): what the run stores next."""
    given = context or _CONTEXT
    if given is None:
        raise RuntimeError("read_files needs a context (flows.workers starts the workers)")
    results = [_parse(file, given) for file in files]
    try:
        return _prepared(files, results, given)
    except Exception:  # noqa: BLE001 - find the file it belongs to
        return [_alone(file, result, given) for file, result in zip(files, results, strict=True)]
