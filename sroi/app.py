"""What the commands do that is not a flow: setting up a home, the demo, the contractor
template, and starting a run after every check that can fail on a user's mistake. Everything
else is in flows/; `sroi.cli` only parses options and prints."""

from __future__ import annotations

import getpass
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from domain.errors import UserError
from flows.filing import list_inbox
from flows.home import Home
from flows.settings import settings_example
from sroi.blank_register import write_blank_register
from sroi.prefect_local import local_prefect

if TYPE_CHECKING:
    from flows.ingest import RunReport
    from flows.workspace import Workspace
    from rulesets import Ruleset

DEMO_MARKER = ".sroi-demo"


def init_home(home: Home) -> None:
    """Folders, an example sroi.toml and an empty register; existing files are kept."""
    home.ensure_layout()
    if not home.settings_file.exists():
        home.settings_file.write_text(settings_example(), encoding="utf-8")


def init_demo_home(home: Home) -> list[Path]:
    from sroi.demo_data import write_demo_home  # noqa: PLC0415 - only the demo needs it

    if home.register_file is not None and not (home.root / DEMO_MARKER).exists():
        raise UserError(f"{home.root} already has a contract register; choose another --home")
    init_home(home)
    (home.root / DEMO_MARKER).write_text("demo home, safe to delete\n", encoding="utf-8")
    return write_demo_home(home.root)


def init_plain_home(home: Home) -> None:
    init_home(home)
    if home.register_file is None:
        write_blank_register(home.root / "contracts.xlsx")


def reset_demo_home(home: Home) -> None:
    """`sroi demo` starts from scratch, but only ever deletes a home it created itself."""
    if not home.root.exists():
        return
    if not home.root.is_dir():
        raise UserError(f"{home.root} is a file, not a folder")
    if not (home.root / DEMO_MARKER).exists():
        if any(home.root.iterdir()):
            raise UserError(
                f"{home.root} is not empty and not a demo home; use --home with a new folder"
            )
        return
    shutil.rmtree(home.root)


def waiting_files(home: Home) -> int:
    """How many files wait in the inbox, after every check that can fail on a mistake in the
    home (no home, bad settings, rulesets, register, an unreachable ledger, no inbox): one
    clear error before Prefect starts and would report it as a failed flow run."""
    from flows.workspace import check_ready_to_run  # noqa: PLC0415 - while Prefect starts

    check_ready_to_run(home)
    return len(list_inbox(home.inbox))


@contextmanager
def prepared_run(home: Home, *, verbose: bool = False) -> Iterator[int]:
    """Prefect's local server starting while the home is checked (both take seconds); yields
    the number of files waiting once both are ready, and stops the server afterwards."""
    home.require_exists()
    with local_prefect(home, verbose=verbose) as server:
        waiting = waiting_files(home)
        import flows.ingest  # noqa: F401, PLC0415 - the flow's imports, while the server starts

        if server is not None:
            server.wait_until_ready()
        yield waiting


def current_user() -> str:
    """Who is at the keyboard: user@host."""
    return f"{getpass.getuser()}@{socket.gethostname()}"


def started_by_user() -> str:
    """Who starts a run by hand, for `sroi runs`."""
    return f"sroi run ({current_user()})"


def run_inbox(home: Home, as_of: date, *, started_by: str) -> RunReport:
    """One Prefect flow run over the inbox (inside `prepared_run`)."""
    from flows.ingest import ingest_inbox  # noqa: PLC0415 - Prefect must be configured first

    return ingest_inbox(home=str(home.root), as_of=as_of, started_by=started_by)


def write_submission_template(
    home: Home, output: Path, contract_id: str | None, ruleset_ref: str | None
) -> tuple[Path, str]:
    """The blank workbook for a contractor: for a registered contract (its ruleset, its number
    filled in), or for a ruleset. Without either, the one ruleset all contracts use."""
    from flows.workspace import opened  # noqa: PLC0415 - only this command needs it
    from reporting.template import write_template  # noqa: PLC0415 - only this command needs it

    if output.suffix.lower() != ".xlsx":
        raise UserError(f"{output}: the template is an .xlsx file")
    home.require_exists()
    with opened(home) as workspace:
        contract = None
        if contract_id is not None:
            contract = workspace.load_register().get(contract_id)
            if contract is None:
                raise UserError(f"contract {contract_id!r} is not (validly) in the register")
            ruleset = workspace.catalog.resolve(contract.ruleset_id, contract.award_date)
        elif ruleset_ref is not None:
            ruleset = workspace.catalog.resolve(ruleset_ref, date.today())
        else:
            ruleset = _the_only_ruleset(workspace)
        path = write_template(output, ruleset, contract, workspace.vocabulary)
        return path, ruleset.id


def _the_only_ruleset(workspace: Workspace) -> Ruleset:
    in_use = {contract.ruleset_id for contract in workspace.load_register().contracts}
    if len(in_use) != 1:
        known = ", ".join(ruleset.id for ruleset in workspace.catalog.rulesets)
        raise UserError(f"choose --contract ID or --ruleset ({known})")
    return workspace.catalog.resolve(in_use.pop(), date.today())
