"""A shared database done properly (issue 15 part 9): the password only in the credential store, sslmode,
German connection errors without secrets, a desk-sized pool, no record values in error texts or the log,
and SQLite's secure_delete on every connection."""

from __future__ import annotations

import logging
import sqlite3
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import credentials, database, integrity
from geschaeftsstelle.store.database import Database, create_db_engine, resolve_url
from geschaeftsstelle.store.opening import open_database
from tests.conftest import PG_URL

SECRET = "Geheim-7731"
needs_pg = pytest.mark.skipif(not PG_URL, reason="GESCHAEFTSSTELLE_TEST_PG ist nicht gesetzt")


class MemoryKeyring(KeyringBackend):
    """The operating system's credential store, in memory for the tests."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def _fresh_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    before = keyring.get_keyring()
    monkeypatch.delenv(credentials.PASSWORD_ENV_VAR, raising=False)
    credentials._memory.clear()
    yield
    credentials._memory.clear()
    credentials.set_prompt(None)
    keyring.set_keyring(before)


@pytest.fixture
def store() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_store() -> None:
    keyring.set_keyring(fail.Keyring())


SERVER = "postgresql+psycopg://anna@db.example:5433/verein"


# --- the password: credential store, never the URL ------------------------------------------------------------


def test_a_url_with_password_is_split_into_the_credential_store(store: MemoryKeyring) -> None:
    url = resolve_url(f"postgresql+psycopg://anna:{SECRET}@db.example:5433/verein")
    assert url.password is None
    assert SECRET not in url.render_as_string(hide_password=False)
    assert store.items == {(credentials.SERVICE, "anna@db.example:5433/verein"): SECRET}
    assert credentials.lookup(url) == (SECRET, "memory")
    credentials._memory.clear()
    assert credentials.lookup(url) == (SECRET, "keyring")


def test_without_a_credential_store_the_password_stays_in_this_run_only(no_store: None, tmp_path: Path) -> None:
    assert not credentials.store_available()
    url = resolve_url(f"postgresql://anna:{SECRET}@db.example/verein")
    assert url.drivername == "postgresql+psycopg"
    assert url.password is None
    assert credentials.lookup(url) == (SECRET, "memory")
    credentials._memory.clear()
    assert credentials.lookup(url) == (None, "")


def test_plain_text_backends_do_not_count_as_a_credential_store() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    keyring.set_keyring(PlaintextKeyring())
    assert not credentials.store_available()
    assert credentials.remember(make_url(SERVER), SECRET) is False


def test_the_environment_variable_is_the_command_lines_fallback(
    no_store: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_ENV_VAR, SECRET)
    assert credentials.lookup(make_url(SERVER)) == (SECRET, "env")


def test_each_server_database_and_user_has_its_own_password(store: MemoryKeyring) -> None:
    credentials.remember(make_url(SERVER), "eins")
    credentials.remember(make_url(SERVER).set(database="andere"), "zwei")
    credentials.remember(make_url(SERVER).set(username="bert"), "drei")
    credentials._memory.clear()
    assert credentials.lookup(make_url(SERVER))[0] == "eins"
    assert credentials.lookup(make_url(SERVER).set(database="andere"))[0] == "zwei"
    assert credentials.lookup(make_url(SERVER).set(username="bert"))[0] == "drei"


class _Refusing:
    """psycopg.connect stand-in: records what it was given, answers with the libpq messages in order."""

    def __init__(self, *messages: str) -> None:
        self.messages = list(messages)
        self.passwords: list[str | None] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.passwords.append(kwargs.get("password"))
        raise psycopg.OperationalError(self.messages.pop(0))


REFUSED = 'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  password authentication failed for user "anna"'  # noqa: E501
NO_PASSWORD = 'connection failed: connection to server at "10.0.0.5", port 5433 failed: fe_sendauth: no password supplied'  # noqa: E501
NO_DB = 'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  database "verein" does not exist'  # noqa: E501


def test_the_password_is_given_at_connect_and_a_refused_one_is_forgotten_and_asked_again(
    store: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(SERVER)
    credentials.remember(url, "alt")
    credentials._memory.clear()
    fake = _Refusing(REFUSED, NO_DB)
    monkeypatch.setattr(psycopg, "connect", fake)
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return "neu"

    credentials.set_prompt(ask)
    with pytest.raises(UserError) as caught:
        open_database(SERVER).dispose()
    assert fake.passwords == ["alt", "neu"]
    assert len(questions) == 1
    assert "abgelehnt" in questions[0]
    assert store.items[(credentials.SERVICE, credentials.account(url))] == "neu"
    assert "gibt es auf dem Server nicht" in str(caught.value)


def test_without_a_question_the_command_line_says_why_and_keeps_no_secret(
    no_store: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _Refusing(REFUSED)
    monkeypatch.setattr(psycopg, "connect", fake)
    with pytest.raises(UserError) as caught:
        open_database(f"postgresql+psycopg://anna:{SECRET}@db.example:5433/verein")
    message = str(caught.value)
    assert fake.passwords == [SECRET]
    assert "Benutzername oder Kennwort ist falsch" in message
    assert SECRET not in message
    assert credentials.lookup(make_url(SERVER)) == (None, "")  # the refused password is forgotten


def test_a_server_asking_for_a_password_the_desk_cannot_give(no_store: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(psycopg, "connect", _Refusing(NO_PASSWORD))
    credentials.set_prompt(lambda _q: None)  # the person pressed "Abbrechen"
    with pytest.raises(UserError, match=r"verlangt ein Kennwort.*GESCHAEFTSSTELLE_DB_PASSWORD"):
        open_database(SERVER)


# --- the address: sslmode, port, empty ------------------------------------------------------------------------


def test_sslmode_defaults_to_prefer_and_require_is_kept() -> None:
    assert database.ssl_mode(resolve_url(SERVER)) == "prefer"
    url = resolve_url(SERVER + "?sslmode=require")
    assert database.ssl_mode(url) == "require"
    assert database.ssl_mode(database.with_ssl_mode(url, "prefer")) == "prefer"
    assert "sslmode" not in database.with_ssl_mode(url, "prefer").render_as_string()
    assert database.with_ssl_mode(resolve_url(SERVER), "require").query["sslmode"] == "require"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (SERVER + "?sslmode=sicher", "Verschlüsselungsart"),
        (f"postgresql+psycopg://anna:{SECRET}@db.example:abc/verein", "Port"),
        (f"postgresql+psycopg://anna:{SECRET}@db.example:70000/verein", "Port"),
        ("", "leer"),
        ("   ", "leer"),
        (f"mysql://anna:{SECRET}@db.example/verein", "nicht unterstützt"),
    ],
)
def test_bad_addresses_are_refused_in_german_without_the_password(value: str, words: str) -> None:
    with pytest.raises(UserError) as caught:
        resolve_url(value)
    assert words in str(caught.value)
    assert SECRET not in str(caught.value)


def test_the_settings_page_entry_keeps_no_password_in_the_url(store: MemoryKeyring) -> None:
    url, in_store = database.server_url(f"postgresql+psycopg://anna:{SECRET}@db.example/verein", "", "require")
    assert in_store is False  # the password came with the URL: kept, and in the store too
    assert store.items  # … in the store
    url, in_store = database.server_url("postgresql+psycopg://anna@db.example/verein", SECRET, "require")
    assert in_store is True
    assert url.render_as_string(hide_password=False) == "postgresql+psycopg://anna@db.example/verein?sslmode=require"
    with pytest.raises(UserError, match="postgresql"):
        database.server_url("/home/anna/daten.sqlite")


# --- connection errors in German --------------------------------------------------------------------------------


def test_a_wrong_port_says_the_server_is_not_reachable() -> None:
    with pytest.raises(UserError) as caught:
        open_database(f"postgresql+psycopg://anna:{SECRET}@127.0.0.1:1/verein")
    assert "nicht erreichbar" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (REFUSED, "Benutzername oder Kennwort ist falsch"),
        (NO_PASSWORD, "verlangt ein Kennwort"),
        (NO_DB, "Datenbank gibt es auf dem Server nicht"),
        ('failed: FATAL:  role "anna" does not exist', "Benutzernamen gibt es"),
        ("failed: server does not support SSL, but SSL was required", "keine verschlüsselte Verbindung"),
        ('failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "anna", database "v", no encryption', "nur"),
        ('failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "anna", database "v"', "pg_hba.conf"),
        ("failed: FATAL:  sorry, too many clients already", "keine freie Verbindung"),
        ("failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute", "frei"),
        ('failed: could not translate host name "db.example" to address: Name or service not known', "Servernamen"),
        ("failed: timeout expired", "nicht erreichbar"),
        ("server closed the connection unexpectedly", "abgebrochen"),
    ],
)
def test_connection_errors_are_german(message: str, words: str) -> None:
    exc = DBAPIError("SELECT 1", None, psycopg.OperationalError(message))
    text_ = database.reason(exc)
    assert words in text_
    assert "FATAL" not in text_
    assert "failed" not in text_


@needs_pg
def test_real_server_missing_database_role_and_ssl() -> None:
    base = make_url(PG_URL)
    cases = [
        (base.set(database=f"gs_fehlt_{uuid.uuid4().hex[:8]}"), "Datenbank gibt es auf dem Server nicht"),
        (base.set(username=f"gs_niemand_{uuid.uuid4().hex[:8]}"), "Benutzernamen gibt es"),
        (base.update_query_dict({"sslmode": "require"}), "keine verschlüsselte Verbindung"),
    ]
    for url, words in cases:
        with pytest.raises(UserError) as caught:
            open_database(url.render_as_string(hide_password=False))
        assert words in str(caught.value), url


@needs_pg
def test_real_server_too_many_connections_for_a_role() -> None:
    role = f"gs_voll_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0'))
    try:
        url = make_url(PG_URL).set(username=role, password=SECRET)
        with pytest.raises(UserError) as caught:
            open_database(url.render_as_string(hide_password=False))
        assert "keine freie Verbindung" in str(caught.value)
        assert SECRET not in str(caught.value)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


# --- pool, parameters, values -----------------------------------------------------------------------------------


def test_the_pool_is_sized_for_a_desk_and_parameters_are_hidden(tmp_path: Path) -> None:
    engine = create_db_engine(make_url(SERVER))
    pool: Any = engine.pool
    assert pool.size() == database.POOL_SIZE == 2
    assert pool._max_overflow == database.MAX_OVERFLOW == 2
    assert pool._pre_ping
    assert engine.hide_parameters
    sqlite_engine = create_db_engine(resolve_url(tmp_path / "a.sqlite"))
    assert sqlite_engine.hide_parameters
    sqlite_engine.dispose()
    # a default server (max_connections 100, 3 reserved) carries this many desks at their peak
    assert (100 - 3) // (database.POOL_SIZE + database.MAX_OVERFLOW) == 24


PERSON = {"name": "Zora Quellenbach", "email": "zora.quellenbach@beispiel.de", "notes": "Rollstuhl, Gebärdensprache"}


def test_a_failed_save_shows_and_logs_no_record_values(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(UserError) as caught, integrity.user_errors(), db.transaction() as s:
        # name is NOT NULL: PostgreSQL would answer "DETAIL: Failing row contains (…, Zora …)"
        s.execute(
            text("INSERT INTO members (name, email, notes, street) VALUES (:name, :email, :notes, :street)"),
            {"name": None, "email": PERSON["email"], "notes": PERSON["notes"], "street": PERSON["name"]},
        )
    cause = caught.value.__cause__
    assert isinstance(cause, DBAPIError)
    texts = [
        str(caught.value),
        caplog.text,
        "".join(traceback.format_exception(cause)),
        str(cause.orig),
    ]
    for shown in texts:
        for value in PERSON.values():
            assert value not in shown
    assert "members" in str(cause)  # the error class and table stay for the support


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4))
def test_without_values_keeps_only_the_lines_before_detail(head: list[str]) -> None:
    first = " ".join(line.replace("\n", " ").replace("\r", " ") for line in head)
    message = f"{first}\nDETAIL:  Failing row contains ({PERSON['email']}).\nHINT:  x\nCONTEXT:  y"
    cut = database.without_values(message)
    assert PERSON["email"] not in cut or PERSON["email"] in first
    assert "DETAIL" not in cut or "DETAIL" in first


# --- SQLite: secure_delete --------------------------------------------------------------------------------------


def test_every_sqlite_connection_turns_secure_delete_on(tmp_path: Path) -> None:
    """Many SQLite builds default to secure_delete=ON, some (Windows' python.org build) not: the connect hook
    must say it itself, so the statements are traced from the first one on."""
    engine = create_db_engine(resolve_url(tmp_path / "a.sqlite"))
    statements: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", trace, insert=True)
    for _ in range(2):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        engine.dispose()
    assert statements.count("PRAGMA secure_delete = ON") == 2


def test_deleted_content_is_gone_from_the_file(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        s.execute(
            text(
                "INSERT INTO members (name, street, postal_code, city, notes, search_text) "
                "VALUES (:n, '', '', '', '', '')"
            ),
            {"n": PERSON["name"]},
        )
    with sqlite_db.transaction() as s:
        s.execute(text("DELETE FROM members WHERE name = :n"), {"n": PERSON["name"]})
    with sqlite_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = sqlite_db.sqlite_path
    assert path is not None
    wal = Path(f"{path}-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert PERSON["name"].encode() not in raw


# --- the settings page ------------------------------------------------------------------------------------------


@pytest.fixture
def settings_view(qtbot: Any, sqlite_db: Database) -> Iterator[Any]:
    from PySide6.QtCore import QSettings

    from ui.settings_view import SERVER_SETTING, SettingsView

    QSettings().remove(SERVER_SETTING)
    view = SettingsView(sqlite_db)
    qtbot.addWidget(view)
    yield view
    QSettings().remove(SERVER_SETTING)


def _settings_file_text() -> str:
    from PySide6.QtCore import QSettings

    settings_ = QSettings()
    settings_.sync()
    path = Path(settings_.fileName())
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@pytest.mark.gui
def test_settings_page_keeps_the_server_without_password(settings_view: Any, store: MemoryKeyring) -> None:
    from ui.settings_view import database_argument, stored_server_url

    settings_view.server.setText("postgresql+psycopg://anna@db.example/verein")
    settings_view.password.setText(SECRET)
    settings_view.ssl.setCurrentIndex(settings_view.ssl.findData("require"))
    assert settings_view.use_server()
    assert stored_server_url() == "postgresql+psycopg://anna@db.example/verein?sslmode=require"
    assert store.items == {(credentials.SERVICE, "anna@db.example:5432/verein"): SECRET}
    assert SECRET not in _settings_file_text()
    assert "db.example" in _settings_file_text()
    assert settings_view.password.text() == ""
    # what the window opens next: --db first, then $GESCHAEFTSSTELLE_DB, then this page's server
    assert database_argument(None) == stored_server_url()
    assert database_argument("/tmp/x.sqlite") == "/tmp/x.sqlite"
    settings_view.use_own_file()
    assert stored_server_url() is None
    assert database_argument(None) is None


@pytest.mark.gui
def test_settings_page_without_a_credential_store_stores_no_password(
    settings_view: Any, no_store: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_view.refresh()
    assert "keinen Schlüsselbund" in settings_view.server_note.text()
    messages: list[str] = []
    settings_view.statusMessage.connect(messages.append)
    settings_view.server.setText(f"postgresql+psycopg://anna:{SECRET}@db.example/verein")
    assert settings_view.use_server()
    assert SECRET not in _settings_file_text()
    assert "fragt beim Start" in settings_view.server_note.text()
    assert all(SECRET not in m for m in messages)


@pytest.mark.gui
def test_settings_page_refuses_a_bad_address(
    settings_view: Any, store: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, message: warnings.append(message))
    settings_view.server.setText(f"postgresql+psycopg://anna:{SECRET}@db.example:99999/verein")
    assert not settings_view.use_server()
    assert warnings
    assert "Port" in warnings[0]
    assert SECRET not in warnings[0]
    assert not store.items


# --- the command line -------------------------------------------------------------------------------------------


def test_command_line_takes_the_password_from_the_environment(
    no_store: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from geschaeftsstelle.cli import main

    monkeypatch.setenv(credentials.PASSWORD_ENV_VAR, SECRET)
    fake = _Refusing(NO_DB)
    monkeypatch.setattr(psycopg, "connect", fake)
    assert main(["--db", SERVER + "?sslmode=require", "meetings"]) == 1
    err = capsys.readouterr().err
    assert fake.passwords[0] == SECRET
    assert "gibt es auf dem Server nicht" in err
    assert SECRET not in err
    assert len(err.strip().splitlines()) == 1


@needs_pg
def test_command_line_with_sslmode_require_against_a_server_without_ssl(capsys: pytest.CaptureFixture[str]) -> None:
    from geschaeftsstelle.cli import main

    url = make_url(PG_URL).update_query_dict({"sslmode": "require"}).render_as_string(hide_password=False)
    assert main(["--db", url, "meetings"]) == 1
    err = capsys.readouterr().err
    assert "keine verschlüsselte Verbindung" in err
    assert len(err.strip().splitlines()) == 1


# --- the load test stays runnable -------------------------------------------------------------------------------


@pytest.mark.slow
def test_desks_bench_loses_nothing_on_a_short_run() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import bench_desks
    finally:
        sys.path.pop(0)
    result = bench_desks.run("sqlite", 2, 2.0, None)
    assert result["lost_updates"] == 0
    assert result["saves"] > 0
    assert result["other_errors"] == {}
    assert result["conflicts_other_text"] == 0
