"""Schema migrations with Alembic, run from code at every start.

A database written by a newer program version is refused untouched. On SQLite, migrations run with
foreign keys switched off (outside any transaction, where the PRAGMA takes effect) so that batch
table rebuilds never cascade-delete rows; env.py checks `PRAGMA foreign_key_check` before committing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from geschaeftsstelle.errors import SchemaTooNewError
from geschaeftsstelle.store.database import Database, create_db_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this program can read (and migrate from)."""
    return frozenset(rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def refuse_unknown_revision(revision: str | None, where: str) -> None:
    """A revision this program does not know was written by a newer version: refuse before anything writes."""
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNewError(
            f"Die Datenbank „{where}“ stammt von einer neueren Programmversion "
            f"(Schema {revision}). Bitte aktualisieren Sie das Programm; die Datenbank bleibt unverändert."
        )


def file_revision(path: Path) -> str | None:
    """The schema revision of a SQLite file, read through a read-only connection that changes no byte of it
    (the normal connection would first switch the file to WAL). None for a new file or one without Alembic."""
    with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)) as conn:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if has_table is None:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def upgrade(
    db: Database, revision: str = "head", *, before: Callable[[Database, str | None], None] | None = None
) -> None:
    """Bring the schema to `revision`; `before(db, current_revision)` runs first when anything changes
    (store.opening passes the backup made before a migration)."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(db)
    refuse_unknown_revision(current, db.describe())
    target = script.get_current_head() if revision == "head" else revision
    if current == target:
        return
    if before is not None:
        before(db, current)
    engine = create_db_engine(db.url, foreign_keys=False) if db.is_sqlite else db.engine
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if engine is not db.engine:
            engine.dispose()
    log.info("Datenbankschema von %s auf %s gebracht", current, target)
