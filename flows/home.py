"""The home folder (INTERFACE.md section 1) and its optional settings file `sroi.toml`."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from domain.errors import ConfigError
from flows.settings import Settings

DEFAULT_HOME = Path("sroi-data")
DATABASE_URL_VARIABLE = "SROI_DATABASE_URL"
SETTINGS_FILE = "sroi.toml"


@dataclass(frozen=True)
class Home:
    """Paths of one SROI home folder. Creating it is explicit (`ensure_layout`)."""

    root: Path

    @classmethod
    def resolve(cls, option: str | Path | None) -> Home:
        """--home wins, then $SROI_HOME, then ./sroi-data."""
        chosen = option or os.environ.get("SROI_HOME") or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def secret_key(self) -> Path:
        return self.root / "secret.key"

    @property
    def sqlite_path(self) -> Path:
        return self.root / "sroi.db"

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"

    @property
    def register_file(self) -> Path | None:
        """contracts.xlsx, else contracts.csv; None when neither exists."""
        for name in ("contracts.xlsx", "contracts.csv"):
            candidate = self.root / name
            if candidate.is_file():
                return candidate
        return None

    def ensure_layout(self) -> None:
        """The home folder and its folders; a path that cannot be one is a ConfigError."""
        for folder in (
            self.root,
            self.inbox,
            self.archive,
            self.quarantine,
            self.feedback,
            self.reports,
        ):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except FileExistsError as error:
                raise ConfigError(f"{folder} is a file, not a folder") from error
            except NotADirectoryError as error:
                raise ConfigError(
                    f"cannot create {folder}: a part of that path is a file, not a folder"
                ) from error
            except OSError as error:
                raise ConfigError(f"cannot create {folder}: {error.strerror}") from error

    def require_exists(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"home {self.root} is a file, not a folder")
        if not self.root.is_dir():
            raise ConfigError(f"home folder {self.root} does not exist; run `sroi init` first")

    def load_settings(self) -> Settings:
        if not self.settings_file.is_file():
            return Settings()
        try:
            raw = tomllib.loads(self.settings_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{self.settings_file}: {error}") from error
        try:
            return Settings.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
                for issue in error.errors()
            )
            raise ConfigError(f"{self.settings_file}: {problems}") from error

    def ledger_url(self, settings: Settings) -> str:
        """$SROI_DATABASE_URL, else `[ledger] url`, else SQLite in the home folder."""
        return (
            os.environ.get(DATABASE_URL_VARIABLE)
            or settings.ledger.url
            or f"sqlite:///{self.sqlite_path}"
        )
