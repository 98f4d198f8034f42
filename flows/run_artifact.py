"""What a run did, as Prefect artifacts: an operator sees in the Prefect UI what last night
did. Two tables: every file with its outcome, and the counts per contract. They hold file
names, contract numbers, counts and file-level reasons: never a line's person (no BSN, name,
initials or birth date; a line's reasons stay in the ledger and the feedback)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from prefect.artifacts import create_table_artifact

from flows.storing import FileResult

if TYPE_CHECKING:
    from flows.ingest import RunReport

FILES_KEY = "sroi-run-files"
CONTRACTS_KEY = "sroi-run-contracts"


def file_rows(results: list[FileResult]) -> list[dict[str, Any]]:
    return [
        {
            "file": result.inbox_path,
            "outcome": result.status.value if result.status else "left in inbox",
            "contract": result.contract_id or "",
            "accepted": result.accepted,
            "rejected": result.rejected,
            "pending": result.pending,
            "unchanged": result.unchanged,
            "reason": result.reason or "",
            "file id": result.file_id or "",
        }
        for result in results
    ]


def contract_rows(results: list[FileResult]) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("files", "accepted", "rejected", "pending", "unchanged"), 0)
    )
    for result in results:
        if result.contract_id is None:
            continue
        row = counts[result.contract_id]
        row["files"] += 1
        row["accepted"] += result.accepted
        row["rejected"] += result.rejected
        row["pending"] += result.pending
        row["unchanged"] += result.unchanged
    return [{"contract": contract} | row for contract, row in sorted(counts.items())]


def publish_run_artifact(report: RunReport) -> None:
    """The tables of this run, under fixed keys (the UI shows their history)."""
    outcomes = ", ".join(f"{count} {outcome}" for outcome, count in report.outcomes().items())
    description = (
        f"Run {report.run_id} as of {report.as_of.isoformat()}: {report.state.value}; "
        f"{outcomes or 'nothing in the inbox'}"
        + (
            f"; {report.taken_by_others} files taken by other runs"
            if report.taken_by_others
            else ""
        )
    )
    create_table_artifact(file_rows(report.files), key=FILES_KEY, description=description)
    create_table_artifact(
        contract_rows(report.files), key=CONTRACTS_KEY, description=f"Run {report.run_id}"
    )
