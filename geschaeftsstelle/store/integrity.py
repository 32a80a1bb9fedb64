"""Checks at start and German messages for a database that is damaged, read-only, locked, gone or full.

`open_checked` is what the window and the command line call instead of `open_database`: it looks at the
SQLite file before anything writes to it (a damaged file is never migrated or worked on, and never
replaced by a silent new empty one), runs `PRAGMA quick_check`, and turns every failure into a `UserError`
with a sentence the office can act on. `user_errors()` does the same for errors met during work.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from geschaeftsstelle.errors import ConflictError, UserError
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.database import Database, describe_error, is_network_path, resolve_url
from geschaeftsstelle.store.opening import open_database, refuse_newer_file

log = logging.getLogger(__name__)

LOW_DISK_BYTES = 50 * 1024 * 1024
PROBE_TIMEOUT_S = 3.0


class DamagedDatabaseError(UserError):
    """The SQLite file fails its check; `newest_backup` is the newest backup that passes it (or None)."""

    def __init__(
        self, message: str, path: Path, newest_backup: backup.BackupInfo | None, *, readable: bool = False
    ) -> None:
        super().__init__(message)
        self.path = path
        self.newest_backup = newest_backup
        self.readable = readable  # SQLite opens it and finds damage inside: what is intact may still be read


def _damaged(path: Path, detail: str, *, readable: bool = False) -> DamagedDatabaseError:
    good = backup.newest_good_backup(path)
    detail = " ".join(detail.split())  # quick_check answers in several lines; the message is one
    message = f"Die Datenbank „{path}“ ist beschädigt ({detail}). Es wird nichts darin geändert."
    if good is not None:
        message += (
            f" Die neueste fehlerfreie Sicherung ist vom {good.taken_at:%d.%m.%Y %H:%M} Uhr "
            f"({good.members} Mitglieder, {good.contacts} Kontakte, {good.meetings} Termine): „{good.path}“. "
            "Sie kann mit „Aus Sicherung wiederherstellen“ oder „geschaeftsstelle restore DATEI“ eingespielt werden."
        )
    else:
        message += " Eine fehlerfreie Sicherung wurde nicht gefunden; bitte wenden Sie sich an Ihre IT."
    return DamagedDatabaseError(message, path, good, readable=readable)


def check_file(path: Path) -> None:
    """`PRAGMA quick_check` on the raw file, without creating, migrating or writing anything."""
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=10)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "not a database" in text:
            raise _damaged(path, "die Datei ist keine Datenbank") from exc
        if "malformed" in text or "corrupt" in text:
            raise _damaged(path, "ihr Aufbau ist zerstört") from exc
        raise UserError(f"Die Datenbank „{path}“ kann nicht geprüft werden: {backup._sqlite_reason(exc)}") from exc
    if rows != ["ok"]:
        log.error("quick_check meldet für %s: %s", path, rows[:10])
        raise _damaged(path, rows[0], readable=True)


def quick_check(db: Database) -> None:
    """The start check on an open database (nothing to do for PostgreSQL, whose server checks itself)."""
    if db.is_sqlite and db.sqlite_path is not None and db.sqlite_path.exists():
        check_file(db.sqlite_path)


def _check_location(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        if is_network_path(path) or (os.name == "nt" and not Path(os.path.splitdrive(str(path))[0] + "\\").exists()):
            raise UserError(
                f"Das Laufwerk oder der Ordner „{folder}“ ist nicht erreichbar. Ist das Netzlaufwerk verbunden? "
                "Bitte die Verbindung herstellen und das Programm neu starten."
            )
        return  # a new folder for a new database: open_database creates it
    if not path.exists():
        if any(backup._backup_files(backup.backup_folder(path), path)):
            raise UserError(
                f"Die Datenbank „{path}“ fehlt, obwohl es Sicherungen von ihr gibt. Es wird keine neue, leere "
                "Datenbank angelegt. Bitte die Datei zurückholen oder eine Sicherung wiederherstellen."
            )
        return
    if not os.access(path, os.R_OK):
        raise UserError(f"Die Datenbank „{path}“ darf nicht gelesen werden. Bitte die Zugriffsrechte prüfen.")
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
        which = path if not os.access(path, os.W_OK) else folder
        raise UserError(
            f"„{which}“ ist schreibgeschützt, so kann nichts gespeichert werden. Bitte die Schreibrechte prüfen "
            "(oder die Datei aus einem schreibgeschützten Ort, z. B. einer CD oder einem E-Mail-Anhang, "
            "zuerst in einen eigenen Ordner kopieren)."
        )


def probe_write(path: Path, timeout: float | None = None) -> None:
    """Take and release the write lock once: finds a read-only or locked file now, not at the first save."""
    try:
        wait = PROBE_TIMEOUT_S if timeout is None else timeout
        with closing(sqlite3.connect(path, timeout=wait, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise UserError(
                f"Die Datenbank „{path}“ ist von einem anderen Programm gesperrt (vielleicht eine Sicherungs- oder "
                "Synchronisierungssoftware oder ein hängendes Programmfenster). Bitte später noch einmal versuchen."
            ) from exc
        raise UserError(f"Die Datenbank „{path}“ kann nicht beschrieben werden: {backup._sqlite_reason(exc)}") from exc


def open_checked(path_or_url: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open the database for work: location, schema version (before anything can write), damage, read-only
    and lock checks first, then migrations (after a backup). `migrate=False` only for making a backup."""
    url = resolve_url(path_or_url)
    path = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    if path is not None:
        _check_location(path)
        if path.exists() and path.stat().st_size > 0:
            refuse_newer_file(path)
            check_file(path)
            probe_write(path)
    with user_errors():
        return open_database(path_or_url, migrate=migrate)


def network_drive_warning(db: Database) -> str | None:
    """The warning for a SQLite file on a network drive, or None when the file is local or it is PostgreSQL."""
    if not db.on_network_drive:
        return None
    return (
        f"Die Datenbank „{db.describe()}“ liegt auf einem Netzlaufwerk. Dort arbeitet SQLite ohne WAL-Modus "
        "(langsamer), und wenn zwei Arbeitsplätze gleichzeitig speichern, kann die Sperre des Netzlaufwerks "
        "versagen und die Datei beschädigt werden. Bitte nur von einem Platz aus gleichzeitig arbeiten; für "
        "mehrere Arbeitsplätze einen gemeinsamen PostgreSQL-Server verwenden."
    )


def low_disk_warning(db: Database, limit: int | None = None) -> str | None:
    """A warning when the database's drive has less than 50 MB free (saves and backups would fail)."""
    path = db.sqlite_path
    if path is None:
        return None
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return None
    if free >= (LOW_DISK_BYTES if limit is None else limit):
        return None
    return (
        f"Auf dem Laufwerk der Datenbank sind nur noch {free // (1024 * 1024)} MB frei. Bitte Platz schaffen, "
        "sonst können Änderungen und Sicherungen nicht mehr gespeichert werden."
    )


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn database and file errors met during work (locked, read-only, full, gone, a lost race) into German
    UserErrors."""
    try:
        yield
    except StaleDataError as exc:  # the UPDATE … WHERE version = v found no row: saved elsewhere meanwhile
        raise ConflictError(
            "Der Datensatz wurde gerade an einem anderen Platz geändert; Ihre Änderung wurde nicht gespeichert. "
            "Bitte neu laden und die Änderung noch einmal eingeben."
        ) from exc
    except DBAPIError as exc:
        log.warning("Datenbankfehler: %s", exc)
        raise UserError(describe_error(exc) + _advice(str(exc.orig or exc))) from exc
    except sqlite3.Error as exc:
        raise UserError(f"Die Datenbank meldet einen Fehler: {backup._sqlite_reason(exc)}") from exc
    except OSError as exc:
        where = f" „{exc.filename}“" if exc.filename else ""
        raise UserError(f"Die Datei{where} kann nicht gelesen oder geschrieben werden: {exc.strerror or exc}.") from exc


def _advice(text: str) -> str:
    if "full" in text:
        return " Die Änderung wurde nicht gespeichert; bitte Platz schaffen und noch einmal speichern."
    if "locked" in text:
        return " Die Änderung wurde nicht gespeichert; bitte gleich noch einmal versuchen."
    if "readonly" in text or "read-only" in text:
        return " Die Änderung wurde nicht gespeichert; bitte die Schreibrechte der Datei prüfen."
    return ""


def start_checks(db: Database) -> list[str]:
    """Once per program start, after `open_checked`: today's backup, then the warnings to show (German).

    A failed backup is a warning, not a reason to refuse work; the window shows each text, the command
    line prints it to stderr.
    """
    warnings: list[str] = []
    try:
        made = backup.start_backup(db)
        if made is not None:
            log.info("Sicherung beim Start: %s", made.path)
    except UserError as exc:
        log.warning("Sicherung beim Start fehlgeschlagen: %s", exc)
        warnings.append(f"Die tägliche Sicherung ist fehlgeschlagen: {exc}")
    warnings.extend(w for w in (network_drive_warning(db), low_disk_warning(db)) if w)
    return warnings
