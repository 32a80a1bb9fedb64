"""How every command reaches the database: through the same checked door as the window.

`opened(args, write=…)` checks the `--db` value, then opens with `integrity.open_checked`: location, the
schema version before anything can write (a newer program's file stays byte for byte as it was), quick
check, write probe, a backup before a migration, the migration. On a damaged file a writing command is
refused with the German line; a reading command gets that line as a warning and reads what is still
readable through a connection that cannot write.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import integrity
from geschaeftsstelle.store.database import ENV_VAR, Database, resolve_url
from geschaeftsstelle.store.opening import open_read_only

MAX_PORT = 65535


def _masked(address: str) -> str:
    """The address as it may be shown: without the password."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", address)


def database_url(args: argparse.Namespace) -> URL:
    """`--db` (or $GESCHAEFTSSTELLE_DB), checked: an empty `--db` never falls back to the default
    database, and an address with a port that is no number from 1 to 65535 is named as such."""
    value: str | None = args.db
    if value is not None and not value.strip():
        raise UserError(
            "Die Angabe --db ist leer. Bitte den Pfad einer SQLite-Datei oder eine Adresse "
            "postgresql+psycopg://… angeben; ohne --db gilt die Datenbank im Benutzerordner."
        )
    address = value if value is not None else os.environ.get(ENV_VAR, "")
    if re.search(r"[\x00-\x1f\x7f]", address):
        raise UserError("Die Datenbankangabe (--db) enthält ein Steuerzeichen; bitte Pfad oder Adresse prüfen.")
    if "://" in address:
        try:
            port = make_url(address).port
        except (ArgumentError, ValueError):
            raise UserError(
                f"Die Datenbankadresse „{_masked(address)}“ ist ungültig (Aufbau: "
                "postgresql+psycopg://benutzer@server:5432/datenbank, die Portnummer eine Zahl)."
            ) from None
        try:
            make_url(address).get_dialect()
        except Exception:  # SQLAlchemy's NoSuchModuleError and the driver's ImportError
            raise UserError(
                f"Die Datenbankadresse „{_masked(address)}“ nennt einen Datenbanktreiber, der nicht unterstützt "
                "wird (möglich: postgresql+psycopg://…)."
            ) from None
        if port is not None and not 1 <= port <= MAX_PORT:
            raise UserError(
                f"Die Datenbankadresse „{_masked(address)}“ nennt den Port {port}; gültig sind 1 bis {MAX_PORT}."
            )
    return resolve_url(value)


@contextmanager
def opened(args: argparse.Namespace, *, write: bool, migrate: bool = True) -> Iterator[Database]:
    """The database for one command, closed again at the end. `write=False` only for commands that never
    change anything; `migrate=False` only to back the file up as it is."""
    database_url(args)
    try:
        db = integrity.open_checked(args.db, migrate=migrate)
    except integrity.DamagedDatabaseError as exc:
        if write or not exc.readable:
            raise
        print(f"Warnung: {exc} Es wird nur gelesen, was noch lesbar ist.", file=sys.stderr)
        db = open_read_only(exc.path)
    try:
        yield db
    finally:
        db.dispose()
