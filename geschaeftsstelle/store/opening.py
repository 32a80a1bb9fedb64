"""Opening a database, the one door the window, the command line and the tests go through.

Each step is an explicit call here, in order: find the database, refuse a SQLite file of a newer schema
before anything touches it (the connection itself would switch the file to WAL), connect, switch the change
log on, back up an existing SQLite file before its schema changes, migrate. (No module registers a hook when it
is imported: what opening needs, it calls.)
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import audit, backup, locking
from geschaeftsstelle.store.database import Database, reason, resolve_url
from geschaeftsstelle.store.migrate import file_revision, refuse_unknown_revision, upgrade


def open_database(path_or_url: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (and create) the database and bring its schema up to date; German errors on failure."""
    url = resolve_url(path_or_url)
    if url.get_backend_name() == "sqlite":
        db_path = Path(url.database or "")
        if not db_path.parent.exists():
            try:
                db_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(
                    f"Der Ordner „{db_path.parent}“ für die Datenbank kann nicht angelegt werden: {exc.strerror}."
                ) from exc
        refuse_newer_file(db_path)
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            inspect(conn).get_table_names()
    except DBAPIError as exc:
        db.dispose()
        raise UserError(f"Die Datenbank „{db.describe()}“ kann nicht geöffnet werden: {reason(exc)}") from exc
    audit.install()
    locking.install()
    if migrate:
        upgrade(db, before=backup.backup_before_migration)
    return db


def refuse_newer_file(path: Path) -> None:
    """Refuse a SQLite file of a newer program version while it is still byte for byte as it was."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        revision = file_revision(path)
    except sqlite3.Error:
        return  # not readable as a database: connecting says so in German
    refuse_unknown_revision(revision, str(path))


def open_read_only(path: Path) -> Database:
    """A SQLite file opened so that nothing can write to it: no WAL switch, no migration, no change log.

    For reading what is still readable from a damaged file (the command line's read-only commands); any
    attempt to save fails with "schreibgeschützt"."""
    uri = f"{path.absolute().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)

    engine = create_engine("sqlite+pysqlite://", creator=connect)
    return Database(URL.create("sqlite+pysqlite", database=str(path.absolute())), engine=engine)
