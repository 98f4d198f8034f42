"""Opening the ledger: engine, sessions, migrations. SQLite by default, any SQLAlchemy URL
(PostgreSQL for several machines) through sroi.toml."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain.errors import ConfigError

MIGRATIONS = "ledger:migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets reports read while a run writes; the busy timeout waits out a second writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent). SQLite rebuilds a table to alter
    it, so foreign keys are checked after the migration, not during it."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config = alembic_config(str(engine.url))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite:
                _check_foreign_keys(connection)
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise ConfigError(f"the ledger's references are broken after migrating: {broken[:5]}")


@dataclass(frozen=True)
class Ledger:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed as a whole, or not at all."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


SUPPORTED = ("sqlite", "postgresql")


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigError(
            f"ledger url {url!r} is not a database URL (expected e.g. "
            "postgresql+psycopg://sroi@dbserver/sroi or sqlite:///path/sroi.db)"
        ) from error
    if parsed.get_backend_name() not in SUPPORTED:
        raise ConfigError(
            f"the ledger runs on SQLite or PostgreSQL, not {parsed.get_backend_name()} "
            f"({parsed.render_as_string(hide_password=True)})"
        )
    try:
        return create_engine(parsed)
    except ImportError as error:
        raise ConfigError(
            f"ledger URL {parsed.render_as_string(hide_password=True)} needs a database driver "
            f"that is not installed: {error}"
        ) from error


def open_ledger(url: str) -> Ledger:
    """The ledger, migrated to the newest schema. Raises ConfigError (one clear line) for a
    URL that is not one, a database that is not supported or cannot be reached."""
    engine = _engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except OperationalError as error:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        cause = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise ConfigError(f"cannot open the ledger at {where}: {cause}") from error
    return Ledger(engine, sessionmaker(engine, expire_on_commit=False))
