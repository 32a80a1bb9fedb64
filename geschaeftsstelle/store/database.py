"""The database: SQLite file by default, PostgreSQL by URL, and the session discipline every service uses.

SQLite is run in WAL mode with a busy timeout and real transactions: pysqlite's legacy transaction
handling would autocommit DDL and PRAGMAs, so we switch it off and emit BEGIN ourselves (the recipe
from SQLAlchemy's SQLite dialect documentation). Write transactions use BEGIN IMMEDIATE so that two
desks on one file queue up instead of failing with "database is locked" halfway through a save.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from geschaeftsstelle import paths
from geschaeftsstelle.errors import ConflictError, UserError

log = logging.getLogger(__name__)

ENV_VAR = "GESCHAEFTSSTELLE_DB"
BUSY_TIMEOUT_MS = 10_000


def resolve_url(path_or_url: str | os.PathLike[str] | None = None) -> URL:
    """`--db` value, else $GESCHAEFTSSTELLE_DB, else the SQLite file in the user's data folder."""
    value = os.fspath(path_or_url) if path_or_url else os.environ.get(ENV_VAR, "")
    if not value:
        value = os.fspath(paths.default_database_path())
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise UserError(f"Die Datenbankadresse „{value}“ ist ungültig.") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise UserError(
                f"Die Datenbankadresse „{value}“ wird nicht unterstützt: bitte eine SQLite-Datei "
                "oder postgresql+psycopg://… angeben."
            )
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(value).expanduser().absolute()))


def is_network_path(path: Path) -> bool:
    """A UNC path or (on Windows) a mapped network drive: WAL and locking are unreliable there."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            drive_remote = 4
            return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)
    return False


def _install_sqlite_hooks(engine: Engine, *, foreign_keys: bool, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if wal:
            cur.execute("PRAGMA journal_mode = WAL")
        else:
            cur.execute("PRAGMA journal_mode = DELETE")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def create_db_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    if url.get_backend_name() == "sqlite":
        db_path = Path(url.database or "")
        wal = not is_network_path(db_path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_hooks(engine, foreign_keys=foreign_keys, wal=wal)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


class Database:
    """One database: an engine plus the session discipline every service uses."""

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_db_engine(url)
        if self.is_sqlite:
            self._write_engine = self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        else:
            self._write_engine = self.engine

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database or "") if self.is_sqlite else None

    @property
    def on_network_drive(self) -> bool:
        path = self.sqlite_path
        return path is not None and is_network_path(path)

    def describe(self) -> str:
        """Where the data lives, for the settings view and error messages (no password)."""
        if self.is_sqlite:
            return str(self.sqlite_path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A short write session: commits at the end, rolls back everything on any error.

        Two desks that both passed the version check race at the UPDATE; the loser's row count is 0 and
        SQLAlchemy raises StaleDataError, which the user sees as the same German conflict message."""
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise ConflictError(
                "Der Datensatz wurde inzwischen an einem anderen Platz geändert. Bitte neu laden und die Änderung "
                "noch einmal eingeben."
            ) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read session; objects stay usable (detached) after it closes."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def is_empty(self) -> bool:
        from geschaeftsstelle.store.models import Contact, Meeting, Member

        with self.read() as s:
            return all(s.query(m).first() is None for m in (Member, Contact, Meeting))

    def dispose(self) -> None:
        self.engine.dispose()


def describe_error(exc: DBAPIError) -> str:
    """A German sentence for a database error met during work (locked, read-only, full disk, gone)."""
    return f"Die Datenbank meldet einen Fehler: {reason(exc)}"


def reason(exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    text = text.strip().splitlines()[0] if text.strip() else "unbekannter Fehler"
    if "file is not a database" in text:
        return "die Datei ist keine Datenbank oder beschädigt."
    if "readonly" in text or "read-only" in text:
        return "die Datei ist schreibgeschützt."
    if "locked" in text:
        return "die Datenbank ist von einem anderen Programm gesperrt."
    if "disk is full" in text or "No space" in text:
        return "der Datenträger ist voll."
    if "unable to open" in text:
        return "die Datei ist nicht erreichbar oder nicht lesbar."
    if "Connection refused" in text or "could not connect" in text.lower():
        return "der Datenbankserver antwortet nicht."
    return text + "."
