"""Opening the ledger: engine, sessions, migrations. SQLite by default, any SQLAlchemy URL
(PostgreSQL for several machines) through sroi.toml."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain.errors import ConfigError

MIGRATIONS = "ledger:migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver would start transactions lazily and only before writes; we begin them
    # ourselves (_sqlite_begin) so that a writing transaction can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # The busy timeout waits out another writer (first: switching to WAL takes a lock too);
    # WAL lets reports read while a run writes.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for an exclusive transaction: the write lock at once, so two
    workers never both read the ledger and then write from what they read."""
    exclusive = connection.get_execution_options().get(EXCLUSIVE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if exclusive else "BEGIN")


EXCLUSIVE = "sroi_exclusive"
_ADVISORY_LOCK = 81_421_7
"""The PostgreSQL advisory lock an exclusive transaction holds (an arbitrary fixed number)."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


_MIGRATION_LOCK = 81_421_8
"""The PostgreSQL advisory lock a migration holds: runs that start together migrate in turn."""


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; several processes starting at once
    migrate one after the other). SQLite rebuilds a table to alter it, so foreign keys are
    checked after the migration, not during it."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect().execution_options(**{EXCLUSIVE: True}) as connection:
        raw = connection.connection.dbapi_connection
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, or it is ignored
        with connection.begin():
            if not sqlite:
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                )
            config = alembic_config(str(engine.url))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite:
                _check_foreign_keys(connection)
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")


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
        """One unit of work that writes: committed as a whole, or not at all. On SQLite it
        holds the write lock from the start (a transaction that read first and then wants to
        write could otherwise fail at once when another process wrote meanwhile)."""
        with self.sessions() as session, session.begin():
            if self.engine.dialect.name == "sqlite":
                session.connection(execution_options={EXCLUSIVE: True})
            yield session

    @contextmanager
    def exclusive(self) -> Iterator[Session]:
        """A transaction that no other worker's exclusive transaction runs beside: checking a
        file against the ledger and storing its lines happen as one step (the quick part of a
        file; reading it happens before, in parallel)."""
        with self.transaction() as session:
            if self.engine.dialect.name != "sqlite":  # SQLite's write lock is exclusive already
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
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
        event.listen(engine, "begin", _sqlite_begin)
    try:
        migrate(engine)
    except OperationalError as error:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        cause = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise ConfigError(f"cannot open the ledger at {where}: {cause}") from error
    return Ledger(engine, sessionmaker(engine, expire_on_commit=False))
