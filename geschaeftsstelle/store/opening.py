"""Opening a database, the one door the window, the command line and the tests go through.

Each step is an explicit call here, in order: find the database, connect, switch the change log on,
back up an existing SQLite file before its schema changes, migrate. (No module registers a hook when it
is imported: what opening needs, it calls.)
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import audit, backup
from geschaeftsstelle.store.database import Database, reason, resolve_url
from geschaeftsstelle.store.migrate import upgrade


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
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            inspect(conn).get_table_names()
    except DBAPIError as exc:
        db.dispose()
        raise UserError(f"Die Datenbank „{db.describe()}“ kann nicht geöffnet werden: {reason(exc)}") from exc
    audit.install()
    if migrate:
        upgrade(db, before=backup.backup_before_migration)
    return db
