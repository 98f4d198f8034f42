"""Everything a command needs about one home: settings, rulesets, ledger, register, key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from domain.errors import ConfigError, RegisterError
from domain.pseudonym import Pseudonymizer, load_or_create_key
from flows.home import Home
from flows.settings import Settings
from ledger.contracts import sync_contracts
from ledger.database import Ledger, open_ledger
from parsers.limits import ReadLimits
from parsers.register import read_register
from rulesets import RulesetCatalog, load_catalog
from rulesets.vocabulary import Vocabulary, load_vocabulary
from validators.register import Register, validate_register


@dataclass
class Workspace:
    home: Home
    settings: Settings
    catalog: RulesetCatalog

    @cached_property
    def ledger(self) -> Ledger:
        return open_ledger(self.home.ledger_url(self.settings))

    @cached_property
    def pseudonymizer(self) -> Pseudonymizer:
        return Pseudonymizer(load_or_create_key(self.home.secret_key))

    @property
    def limits(self) -> ReadLimits:
        return self.settings.limits

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Headings and invoice labels, with what <home>/rulesets/vocabulary adds."""
        return load_vocabulary(self.home.root)

    def load_register(self) -> Register:
        """The register, checked. Raises RegisterError when the register as a whole is missing
        or unreadable; single bad rows are in `Register.problems`."""
        path = self.home.register_file
        if path is None:
            raise RegisterError(
                f"no contract register in {self.home.root} (contracts.xlsx or contracts.csv)"
            )
        return validate_register(read_register(path, self.vocabulary), self.catalog)

    def sync_register(self, register: Register) -> list[str]:
        """Copy the valid contracts into the ledger (done by every run); returns the contracts
        whose checked fields changed since the last run."""
        with self.ledger.transaction() as session:
            return sync_contracts(session, register.contracts)

    def close(self) -> None:
        if "ledger" in self.__dict__:
            self.ledger.close()


@contextmanager
def opened(home: Home) -> Iterator[Workspace]:
    """A workspace for one command, closed afterwards."""
    workspace = open_workspace(home)
    try:
        yield workspace
    finally:
        workspace.close()


def check_ready_to_run(home: Home) -> None:
    """Every mistake a coordinator or operator can make in the home, as one clear error,
    before a run starts Prefect: settings, rulesets, vocabulary, register, the ledger (opened
    and migrated) and the inbox folder."""
    with opened(home) as workspace:
        workspace.load_register()
        _ = workspace.ledger
        if not home.inbox.is_dir():
            raise ConfigError(
                f"inbox folder {home.inbox} does not exist (is the share mounted? "
                "`sroi init` creates it)"
            )


def open_workspace(home: Home) -> Workspace:
    """Checks the home exists and every ruleset file is valid (errors name file and key)."""
    home.require_exists()
    settings = home.load_settings()
    catalog = load_catalog([home.root / "rulesets"])
    workspace = Workspace(home, settings, catalog)
    _ = workspace.vocabulary  # checked now: a mistake in a home's vocabulary file is one line
    return workspace
