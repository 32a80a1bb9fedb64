"""Migrations: from an empty database, from each released schema with data, and refusal of newer ones."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from geschaeftsstelle import exchange
from geschaeftsstelle.errors import SchemaTooNewError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.migrate import current_revision, head_revision
from geschaeftsstelle.store.opening import open_database

SCHEMA_FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def test_fresh_database_is_at_head(db: Database) -> None:
    assert current_revision(db) == head_revision()


def test_open_twice_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    open_database(path).dispose()
    db = open_database(path)
    assert current_revision(db) == head_revision()
    db.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.parametrize("fixture", sorted(SCHEMA_FIXTURES.glob("*.sqlite")), ids=lambda p: p.stem)
def test_upgrade_from_each_released_schema_keeps_every_row(fixture: Path, tmp_path: Path) -> None:
    """Each file is a demo office saved by the program at that schema revision (see README there)."""
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    raw = sqlite3.connect(path)
    tables = [
        r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'")
    ]
    before = {t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    member_names = sorted(r[0] for r in raw.execute("SELECT name FROM members"))
    raw.close()
    assert before["members"] > 0
    db = open_database(path)
    assert current_revision(db) == head_revision()
    with db.read() as s:
        for table, count in before.items():
            assert s.scalar(text(f'SELECT count(*) FROM "{table}"')) == count, table
        assert sorted(s.scalars(text("SELECT name FROM members"))) == member_names
        assert s.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    exchange.export_office(db)  # the upgraded data is fully readable by the current model
    db.dispose()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    open_database(path).dispose()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="neueren Programmversion"):
        open_database(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_on_postgresql(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL-Variante")
    with db.transaction() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(SchemaTooNewError):
        open_database(db.url.render_as_string(hide_password=False))


def test_migrations_match_the_model(db: Database) -> None:
    """A model change without its migration (or the reverse) fails here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from geschaeftsstelle.store.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


@pytest.mark.parametrize("fixture", sorted(SCHEMA_FIXTURES.glob("*.sqlite")), ids=lambda p: p.stem)
def test_each_released_schema_fixture_is_what_its_migrations_build(fixture: Path) -> None:
    """A fixture made from a draft migration would test an upgrade no office ever runs."""
    from geschaeftsstelle.store import schema_check

    with closing(sqlite3.connect(f"{fixture.absolute().as_uri()}?mode=ro", uri=True)) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        found = schema_check.differences(schema_check.schema_of(conn), schema_check.expected_schema(revision))
    assert found == []
