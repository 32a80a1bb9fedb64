"""The database: SQLite file by default, PostgreSQL by URL, and the session discipline every service uses.

SQLite is run in WAL mode with a busy timeout and real transactions: pysqlite's legacy transaction
handling would autocommit DDL and PRAGMAs, so we switch it off and emit BEGIN ourselves (the recipe
from SQLAlchemy's SQLite dialect documentation). Write transactions use BEGIN IMMEDIATE so that two
desks on one file queue up instead of failing with "database is locked" halfway through a save.
Every SQLite connection also sets `secure_delete`, so an erased person's pages are overwritten, not just
freed.

PostgreSQL is a desk program's client: a small pool (2 + 2 connections, checked before use), the
password from the credential store at connect time (store/credentials.py; the URL never holds it), and
`sslmode` from the URL (default `prefer`). On both databases SQL parameters and PostgreSQL's DETAIL
lines ("Key (email)=(…)", "Failing row contains (…)") are kept out of every error text, so no name,
address or health note reaches a log file or a message box.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from geschaeftsstelle import paths
from geschaeftsstelle.errors import ConflictError, UserError
from geschaeftsstelle.store import credentials

log = logging.getLogger(__name__)

ENV_VAR = "GESCHAEFTSSTELLE_DB"
BUSY_TIMEOUT_MS = 10_000

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_SSL_MODE = "prefer"
OFFERED_SSL_MODES = ("prefer", "require")
"""What the settings page offers: `prefer` encrypts when the server can, `require` refuses a plain connection."""

POOL_SIZE = 2
MAX_OVERFLOW = 2
"""At most 4 connections per desk (one window does one thing at a time; a list loading beside a save is
two): a default PostgreSQL server (max_connections 100, 3 reserved) carries 24 desks at their peak."""


def resolve_url(path_or_url: str | os.PathLike[str] | None = None) -> URL:
    """`--db` value, else $GESCHAEFTSSTELLE_DB, else the SQLite file in the user's data folder.

    A PostgreSQL URL given with a password is split: the password goes to the credential store (or, without
    one, into this run's memory only) and the URL returned carries none."""
    given = path_or_url is not None
    value = os.fspath(path_or_url) if path_or_url is not None else os.environ.get(ENV_VAR, "")
    if given and not value.strip():
        raise UserError(
            "Die Datenbankangabe (--db) ist leer: bitte den Pfad einer SQLite-Datei oder eine "
            "postgresql+psycopg://…-Adresse angeben."
        )
    if not value.strip():
        value = os.fspath(paths.default_database_path())
    if "://" in value:
        return _server_url(value)
    return URL.create("sqlite+pysqlite", database=str(Path(value).expanduser().absolute()))


def _server_url(value: str) -> URL:
    shown = _without_password_text(value)
    try:
        url = make_url(value)
        port = url.port
    except ArgumentError as exc:
        raise UserError(f"Die Datenbankadresse „{shown}“ ist ungültig.") from exc
    except ValueError as exc:  # make_url reads the port with int()
        bad_port = f"Die Datenbankadresse „{shown}“ hat keinen gültigen Port (eine Zahl von 1 bis 65535)."
        raise UserError(bad_port) from exc
    if port is not None and not 1 <= port <= 65535:
        raise UserError(f"Die Datenbankadresse „{shown}“ hat keinen gültigen Port (eine Zahl von 1 bis 65535).")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise UserError(
            f"Die Datenbankadresse „{shown}“ wird nicht unterstützt: bitte eine SQLite-Datei "
            "oder postgresql+psycopg://… angeben."
        )
    if url.get_backend_name() == "sqlite":
        return url
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    mode = url.query.get("sslmode", DEFAULT_SSL_MODE)
    if not isinstance(mode, str) or mode not in SSL_MODES:
        raise UserError(
            f"Die Datenbankadresse „{shown}“ hat eine unbekannte Verschlüsselungsart (sslmode): erlaubt sind "
            + ", ".join(SSL_MODES)
            + "."
        )
    url, password = split_password(url)
    if password:
        credentials.remember(url, password)
    return url


def _without_password_text(value: str) -> str:
    """The typed address for a message, with any password replaced (works on text make_url cannot read)."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        return value
    userinfo, at, host = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return value
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def split_password(url: URL) -> tuple[URL, str | None]:
    """The URL without its password, and the password (None when it had none)."""
    return url._replace(password=None), url.password  # url.set(password=None) would keep it


def ssl_mode(url: URL) -> str:
    """The URL's sslmode, `prefer` when it names none (libpq's own default)."""
    mode = url.query.get("sslmode", DEFAULT_SSL_MODE)
    return mode if isinstance(mode, str) else DEFAULT_SSL_MODE


def with_ssl_mode(url: URL, mode: str) -> URL:
    """The URL with `sslmode` set (the settings page and `--sslmode` use this); German error for an unknown mode."""
    if mode not in SSL_MODES:
        raise UserError(f"Die Verschlüsselungsart „{mode}“ ist unbekannt: erlaubt sind {', '.join(SSL_MODES)}.")
    if mode == DEFAULT_SSL_MODE:
        return url.difference_update_query(["sslmode"])
    return url.update_query_dict({"sslmode": mode})


def server_url(text: str, password: str = "", mode: str = DEFAULT_SSL_MODE) -> tuple[URL, bool]:
    """A server address typed on the settings page: checked, sslmode set, password filed away.

    Returns the URL to keep (never with a password) and whether the password went into the credential
    store (False: this computer has none, so the program asks at each start)."""
    if "://" not in text or not text.strip().startswith("postgresql"):
        raise UserError(
            "Die Serveradresse muss mit postgresql+psycopg:// beginnen, z. B. "
            "postgresql+psycopg://benutzer@server/datenbank."
        )
    url = with_ssl_mode(_server_url(text.strip()), mode)
    stored = False
    if password:
        stored = credentials.remember(url, password)
    elif credentials.lookup(url)[1] == "keyring":
        stored = True
    return url, stored


def is_network_path(path: Path) -> bool:
    """A UNC path or (on Windows) a mapped network drive: WAL and locking are unreliable there."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
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
        cur.execute("PRAGMA secure_delete = ON")  # erased rows are overwritten, not left in free pages
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def _install_postgresql_hooks(engine: Engine, url: URL) -> None:
    @event.listens_for(engine, "do_connect")
    def _with_password(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        """The password from the credential store; a refused one is forgotten and the window asks again."""
        if cparams.get("password"):
            return None
        password, source = credentials.lookup(url)
        if password is not None:
            cparams["password"] = password
        for _attempt in range(3):
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError as exc:
                problem = connection_problem(str(exc))
                if problem not in ("password", "no-password"):
                    raise
                if source in ("memory", "keyring"):
                    credentials.forget(url)
                again = credentials.ask(url, refused=problem == "password")
                if again is None:
                    raise
                cparams["password"], source = again, "memory"
        return dialect.connect(*cargs, **cparams)


def _install_value_guard(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _without_values(context: ExceptionContext) -> None:
        """PostgreSQL's DETAIL/CONTEXT lines quote row values: cut them before anyone logs or shows the error."""
        original = context.original_exception
        text = str(original)
        short = without_values(text)
        if short == text:
            return
        original.args = (short,)
        wrapped = context.sqlalchemy_exception
        if wrapped is not None:
            wrapped.args = (f"({type(original).__module__}.{type(original).__name__}) {short}",)


def without_values(text: str) -> str:
    """The error text up to PostgreSQL's DETAIL, CONTEXT or HINT lines, which may quote names and addresses."""
    kept: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith(("DETAIL:", "CONTEXT:", "HINT:")):
            break
        kept.append(line)
    return credentials.scrub("\n".join(kept))


def create_db_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    if url.get_backend_name() == "sqlite":
        db_path = Path(url.database or "")
        wal = not is_network_path(db_path)
        engine = create_engine(url, hide_parameters=True, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_hooks(engine, foreign_keys=foreign_keys, wal=wal)
        _install_value_guard(engine)
        return engine
    engine = create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"connect_timeout": 10},
    )
    _install_postgresql_hooks(engine, url)
    _install_value_guard(engine)
    return engine


class Database:
    """One database: an engine plus the session discipline every service uses."""

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_db_engine(url)
        self._write_engine: Engine
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


CONNECTION_PROBLEMS: dict[str, str] = {
    "unreachable": "der Datenbankserver ist nicht erreichbar (läuft er, stimmen Servername und Port, ist das "
    "Netzwerk verbunden?).",
    "unknown-host": "den Servernamen der Datenbankadresse gibt es im Netzwerk nicht.",
    "password": "der Datenbankserver hat die Anmeldung abgelehnt: Benutzername oder Kennwort ist falsch.",
    "no-password": "der Datenbankserver verlangt ein Kennwort, es ist aber keines gespeichert (im Programmfenster "
    "danach fragen lassen oder die Umgebungsvariable GESCHAEFTSSTELLE_DB_PASSWORD setzen).",
    "no-database": "die Datenbank gibt es auf dem Server nicht (bitte den Namen prüfen oder sie anlegen lassen).",
    "no-role": "den Benutzernamen gibt es auf dem Datenbankserver nicht.",
    "ssl-unsupported": "der Datenbankserver bietet keine verschlüsselte Verbindung an, verlangt ist aber eine "
    "(sslmode=require).",
    "ssl-required": "der Datenbankserver lässt diesen Platz nur verschlüsselt zu: bitte in den Einstellungen "
    "„Verschlüsselung: immer (require)“ wählen.",
    "not-allowed": "der Datenbankserver lässt diesen Platz nicht zu (Freigabe in pg_hba.conf fehlt).",
    "too-many": "der Datenbankserver hat keine freie Verbindung mehr (zu viele Plätze gleichzeitig); bitte gleich "
    "noch einmal versuchen oder auf dem Server max_connections erhöhen.",
    "lost": "die Verbindung zum Datenbankserver ist abgebrochen; bitte noch einmal versuchen.",
}


def connection_problem(text: str) -> str | None:
    """Which of CONNECTION_PROBLEMS a libpq/psycopg message describes, or None."""
    low = text.lower()
    checks = (
        ("no-password", ("no password supplied", "password is required")),
        ("password", ("password authentication failed", "authentication failed")),
        ("no-role", ("role \"",)),
        ("no-database", ("database \"",)),
        ("ssl-unsupported", ("server does not support ssl",)),
        ("ssl-required", ("no encryption", "ssl off")),
        ("not-allowed", ("no pg_hba.conf entry",)),
        ("too-many", ("too many clients", "too many connections", "remaining connection slots")),
        ("unknown-host", ("could not translate host name", "name or service not known", "nodename nor servname")),
        (
            "unreachable",
            ("connection refused", "could not connect", "timeout expired", "no route to host", "network is unreach"),
        ),
        ("lost", ("server closed the connection", "terminating connection", "connection is closed", "ssl syscall")),
    )
    for problem, needles in checks:
        if any(needle in low for needle in needles):
            if problem in ("no-role", "no-database") and "does not exist" not in low:
                continue
            return problem
    return None


def reason(exc: DBAPIError) -> str:
    """Why a database operation failed, in German, without row values or passwords."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    problem = connection_problem(text)
    if problem is not None:
        return CONNECTION_PROBLEMS[problem]
    text = without_values(text)
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
    return text + "."
