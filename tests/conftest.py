"""Fresh, really migrated databases for every test: SQLite always, PostgreSQL when
$GESCHAEFTSSTELLE_TEST_PG names a server (CI starts one)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database

PG_URL = os.environ.get("GESCHAEFTSSTELLE_TEST_PG", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
_TEMPLATE_DB = f"gs_template_{os.getpid()}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's data folder or database."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("GESCHAEFTSSTELLE_DB", raising=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path).dispose()
    return path


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A migrated template database on the test server; each test copies it (CREATE DATABASE … TEMPLATE)."""
    if not PG_URL:
        pytest.skip("GESCHAEFTSSTELLE_TEST_PG ist nicht gesetzt")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE_DB}"'))
        conn.execute(text(f'CREATE DATABASE "{_TEMPLATE_DB}"'))
    template_url = make_url(PG_URL).set(database=_TEMPLATE_DB)
    open_database(template_url.render_as_string(hide_password=False)).dispose()
    yield PG_URL
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE_DB}" WITH (FORCE)'))
    admin.dispose()


def make_pg_database(admin_url: str) -> tuple[str, str]:
    name = f"gs_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE_DB}"'))
    admin.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "test.sqlite"
    shutil.copyfile(sqlite_template, path)
    db = open_database(path)
    yield db
    db.dispose()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The same test on SQLite and (when configured) PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name, url = make_pg_database(admin_url)
    database = open_database(url)
    yield database
    database.dispose()
    drop_pg_database(admin_url, name)


@pytest.fixture
def db_url(db: Database) -> str:
    """The test database as the command line's --db takes it."""
    return db.describe() if db.is_sqlite else db.url.render_as_string(hide_password=False)
