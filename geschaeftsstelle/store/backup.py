"""Backups of the SQLite database with SQLite's online backup API, at start and before every migration.

A plain file copy of a live database can catch a half-written page or miss the WAL file; the backup API
copies a consistent snapshot while other desks keep working. Each backup is written to a temporary name,
checked with `PRAGMA quick_check` and then renamed, so a crash never leaves a half backup behind.

Where backups go: the database in the user's data folder is backed up into `paths.backup_dir()`; a
database anywhere else (network drive, USB stick, a test) into the folder `<file name> Sicherungen` beside
it, so the backups of two offices never mix and move along with the database.

Rotation keeps the newest start backup of each of the last 10 days, 8 weeks and 12 months that have
backups, and the newest 10 backups made for a reason (by hand, before a migration or a restore).
A PostgreSQL office is told to use `pg_dump` (and the JSON export, which works for both).
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from geschaeftsstelle import paths
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import migrate, schema_check
from geschaeftsstelle.store.database import Database

log = logging.getLogger(__name__)

KEEP_DAILY = 10
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12
KEEP_EVENTS = 10

KIND_START = "start"
KIND_MIGRATION = "vor-migration"
KIND_RESTORE = "vor-wiederherstellung"
KIND_MANUAL = "manuell"
KIND_LABELS = {
    KIND_START: "beim Start",
    KIND_MIGRATION: "vor Schema-Aktualisierung",
    KIND_RESTORE: "vor Wiederherstellung",
    KIND_MANUAL: "von Hand",
}

SUFFIX = ".sqlite"
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)_(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?_(?P<kind>[a-z-]+)\.sqlite$")
COUNTED_TABLES = ("members", "contacts", "meetings")

POSTGRES_MESSAGE = (
    "Eine PostgreSQL-Datenbank sichert das Programm nicht selbst. Bitte sichern Sie sie auf dem Server mit "
    "pg_dump (z. B. „pg_dump -Fc -f geschaeftsstelle.dump DATENBANK“, zurück mit pg_restore); zusätzlich "
    "schreibt „geschaeftsstelle export sicherung.json“ alle Daten in eine Austauschdatei."
)


class BackupError(UserError):
    """A backup or restore could not be made; the message says why in German."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file with what a user needs to pick it: when, why, and how much is in it."""

    path: Path
    taken_at: dt.datetime
    kind: str
    size: int
    members: int | None
    contacts: int | None
    meetings: int | None
    revision: str | None

    @property
    def readable(self) -> bool:
        return self.members is not None

    def describe(self) -> str:
        """One German line, e.g. for the restore dialog and `backups` on the command line."""
        when = f"{self.taken_at:%d.%m.%Y %H:%M:%S} Uhr"
        why = KIND_LABELS.get(self.kind, self.kind)
        if not self.readable:
            return f"{when} ({why}): nicht lesbar"
        return (
            f"{when} ({why}): {self.members} Mitglieder, {self.contacts} Kontakte, {self.meetings} Termine"
            f" – {self.size / 1024:.0f} KB"
        )


# --------------------------------------------------------------------------- where


def _sqlite_path(db: Database) -> Path:
    if not db.is_sqlite or db.sqlite_path is None:
        raise BackupError(POSTGRES_MESSAGE)
    return db.sqlite_path


def backup_folder(db_path: Path) -> Path:
    """The user's backup folder for the default database, else `<name> Sicherungen` beside the file."""
    if db_path.absolute() == paths.default_database_path().absolute():
        return paths.backup_dir()
    return db_path.parent / f"{db_path.name} Sicherungen"


def _new_backup_path(folder: Path, db_path: Path, kind: str, now: dt.datetime) -> Path:
    base = f"{db_path.stem}_{now.strftime(_STAMP)}"
    candidate = folder / f"{base}_{kind}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}_{kind}{SUFFIX}"
        n += 1
    return candidate


# --------------------------------------------------------------------------- copying


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A plain sqlite3 connection; read-only ones never create a missing file."""
    if read_only:
        return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)
    return sqlite3.connect(path, timeout=10, isolation_level=None)


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + 1024 * 1024:
        raise BackupError(
            f"Für die Sicherung ist in „{folder}“ nicht genug Platz frei ({free // 1024 // 1024} MB frei, "
            f"{needed // 1024 // 1024 + 1} MB nötig). Bitte Platz schaffen oder einen anderen Ordner wählen."
        )


def _copy_with_backup_api(source: sqlite3.Connection, target: Path) -> None:
    """Snapshot `source` into a new file `target`, standalone (rollback journal) and checked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".teil")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(partial, isolation_level=None)) as dest:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            result = dest.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"Die Sicherung „{target.name}“ ist fehlerhaft geworden ({result}).")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _backup_path_to(db_path: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _check_free_space(target.parent, db_path.stat().st_size if db_path.exists() else 0)
        with closing(_connect(db_path, read_only=False)) as src:
            src.execute("PRAGMA busy_timeout = 10000")
            _copy_with_backup_api(src, target)
    except sqlite3.Error as exc:
        raise BackupError(f"Die Sicherung nach „{target}“ ist fehlgeschlagen: {_sqlite_reason(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"Die Sicherung nach „{target}“ ist fehlgeschlagen: {_os_reason(exc)}") from exc


def backup_to(db: Database, target: Path) -> BackupInfo:
    """Write a backup of `db` to exactly `target` ("Sicherung jetzt", `backup --out FILE`)."""
    db_path = _sqlite_path(db)
    target = target.expanduser().absolute()
    if target.exists() and target.samefile(db_path):
        raise BackupError("Die Sicherung kann nicht die Datenbank selbst überschreiben.")
    if target.exists():
        raise BackupError(f"Die Datei „{target}“ gibt es schon; bitte einen neuen Namen wählen.")
    _backup_path_to(db_path, target)
    log.info("Sicherung geschrieben: %s", target)
    return inspect_backup(target)


def make_backup(db: Database, kind: str = KIND_MANUAL, now: dt.datetime | None = None) -> BackupInfo:
    """A new backup in the backup folder, then rotation."""
    db_path = _sqlite_path(db)
    return _make_backup_of(db_path, kind, now)


def _make_backup_of(db_path: Path, kind: str, now: dt.datetime | None = None) -> BackupInfo:
    folder = backup_folder(db_path)
    target = _new_backup_path(folder, db_path, kind, now or dt.datetime.now())
    _backup_path_to(db_path, target)
    log.info("Sicherung angelegt: %s", target)
    rotate(folder, db_path, keep=target)
    return inspect_backup(target)


def start_backup(db: Database, today: dt.date | None = None) -> BackupInfo | None:
    """Once per program start: a backup unless one of today exists (cheap) or the database is not SQLite.

    Raises BackupError when the backup fails; the caller shows it as a warning and carries on.
    """
    if not db.is_sqlite:
        return None
    db_path = _sqlite_path(db)
    today = today or dt.date.today()
    if any(stamp.date() == today for _path, stamp, _kind in _backup_files(backup_folder(db_path), db_path)):
        return None
    now = dt.datetime.combine(today, dt.datetime.now().time())
    return _make_backup_of(db_path, KIND_START, now)


def backup_before_migration(db: Database, current_revision: str | None) -> None:
    """An existing SQLite database is backed up before its schema changes (given to migrate.upgrade)."""
    if not db.is_sqlite or current_revision is None:
        return
    _make_backup_of(_sqlite_path(db), KIND_MIGRATION)


# --------------------------------------------------------------------------- listing and rotation


def _backup_files(folder: Path, db_path: Path | None = None) -> Iterator[tuple[Path, dt.datetime, str]]:
    if not folder.is_dir():
        return
    for path in folder.glob(f"*{SUFFIX}"):
        match = _NAME.match(path.name)
        if not match or (db_path is not None and match["stem"] != db_path.stem):
            continue
        try:
            stamp = dt.datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            continue
        yield path, stamp, match["kind"]


def inspect_backup(path: Path) -> BackupInfo:
    """Date, reason and row counts of one backup file (counts are None when it cannot be read)."""
    match = _NAME.match(path.name)
    stamp = dt.datetime.strptime(match["stamp"], _STAMP) if match else None
    stat = path.stat()
    counts: dict[str, int | None] = dict.fromkeys(COUNTED_TABLES)
    revision = None
    try:
        with closing(_connect(path, read_only=True)) as conn:
            for table in COUNTED_TABLES:
                counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.Error:
        counts = dict.fromkeys(COUNTED_TABLES)
    return BackupInfo(
        path=path,
        taken_at=stamp or dt.datetime.fromtimestamp(stat.st_mtime),
        kind=match["kind"] if match else KIND_MANUAL,
        size=stat.st_size,
        members=counts["members"],
        contacts=counts["contacts"],
        meetings=counts["meetings"],
        revision=revision,
    )


def list_backups(db: Database) -> list[BackupInfo]:
    """The backups of this database, newest first."""
    return list_backups_of(_sqlite_path(db))


def list_backups_of(db_path: Path) -> list[BackupInfo]:
    """The backups of the SQLite file `db_path`, newest first; works while the file itself is damaged."""
    files = sorted(_backup_files(backup_folder(db_path), db_path), key=lambda f: f[1], reverse=True)
    return [inspect_backup(path) for path, _stamp, _kind in files]


def _keep(stamps: list[dt.datetime], key: Callable[[dt.datetime], object], count: int) -> set[dt.datetime]:
    """The newest stamp of each of the `count` newest periods."""
    kept: set[dt.datetime] = set()
    seen: set[object] = set()
    for stamp in stamps:
        period = key(stamp)
        if period in seen:
            continue
        if len(seen) == count:
            break
        seen.add(period)
        kept.add(stamp)
    return kept


def rotate(folder: Path, db_path: Path | None = None, keep: Path | None = None) -> list[Path]:
    """Delete old backups; returns what was deleted.

    Start backups keep the newest of each of the last 10 days, 8 weeks and 12 months. Backups made for a
    reason (by hand, before a migration, before a restore) are not thinned out by those: the newest 10 of
    them stay, so the state kept before a restore survives the next start.
    """
    files = sorted(_backup_files(folder, db_path), key=lambda f: (f[1], f[0].name), reverse=True)
    regular = [f for f in files if f[2] == KIND_START]
    events = [f for f in files if f[2] != KIND_START]
    stamps = [stamp for _path, stamp, _kind in regular]
    kept_stamps = (
        _keep(stamps, lambda s: s.date(), KEEP_DAILY)
        | _keep(stamps, lambda s: s.isocalendar()[:2], KEEP_WEEKLY)
        | _keep(stamps, lambda s: (s.year, s.month), KEEP_MONTHLY)
    )
    for partial in folder.glob(f"*{SUFFIX}.teil*"):  # left by a crash during a backup an hour ago or more
        with suppress(OSError):
            if partial.stat().st_mtime < dt.datetime.now().timestamp() - 3600:
                partial.unlink()
    doomed = events[KEEP_EVENTS:]
    seen: set[dt.datetime] = set()
    for entry in regular:
        if entry[1] in kept_stamps and entry[1] not in seen:
            seen.add(entry[1])
        else:
            doomed.append(entry)
    deleted = []
    for path, _stamp, _kind in doomed:
        if path == keep:  # the backup just made, even when several were made within one second
            continue
        try:
            path.unlink()
            deleted.append(path)
        except OSError as exc:
            log.warning("Alte Sicherung %s nicht gelöscht: %s", path, exc)
    return deleted


# --------------------------------------------------------------------------- restore


def verify_backup(path: Path) -> BackupInfo:
    """Refuse a file that is not a sound Geschäftsstelle database of exactly this program's schema at its
    revision: intact pages, no reference into nothing, no extra or altered table, index, trigger or view.
    A different page size is fine (`restore` adapts it). Nothing is written, least of all the live database."""
    if not path.is_file():
        raise BackupError(f"Die Sicherung „{path}“ gibt es nicht.")
    try:
        with closing(_connect(path, read_only=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            found = schema_check.schema_of(conn)
            dangling = conn.execute("PRAGMA foreign_key_check").fetchmany(1) if result == [("ok",)] else []
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"„{path.name}“ ist keine lesbare Datenbank: {_sqlite_reason(exc)}") from exc
    if [r[0] for r in result] != ["ok"]:
        raise BackupError(f"Die Sicherung „{path.name}“ ist beschädigt ({result[0][0]}) und wird nicht eingespielt.")
    if not {"alembic_version", *COUNTED_TABLES} <= tables:
        raise BackupError(f"„{path.name}“ ist keine Datenbank der Geschäftsstelle.")
    info = inspect_backup(path)
    if info.revision is None:
        raise BackupError(f"Die Sicherung „{path.name}“ nennt keinen Schema-Stand und wird nicht eingespielt.")
    if info.revision not in migrate.known_revisions():
        raise BackupError(
            f"Die Sicherung „{path.name}“ stammt von einer neueren Programmversion (Schema {info.revision}); "
            "bitte zuerst das Programm aktualisieren."
        )
    if differences := schema_check.differences(found, schema_check.expected_schema(info.revision)):
        raise BackupError(
            f"Die Sicherung „{path.name}“ weicht vom Schema {info.revision} dieses Programms ab "
            f"({schema_check.describe(differences)}) und wird nicht eingespielt."
        )
    if dangling:
        table, rowid, parent, _fk = dangling[0]
        raise BackupError(
            f"Die Sicherung „{path.name}“ enthält Verweise ins Leere (Tabelle „{table}“, Zeile {rowid} verweist "
            f"auf einen fehlenden Eintrag in „{parent}“) und wird nicht eingespielt."
        )
    return info


@contextmanager
def _live_connection(db_path: Path) -> Iterator[sqlite3.Connection]:
    with closing(_connect(db_path, read_only=False)) as conn:
        conn.execute("PRAGMA busy_timeout = 10000")
        yield conn


def keep_current_state(db_path: Path) -> Path | None:
    """Back up the live file before it is replaced; a damaged file is kept as raw bytes instead."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        return _make_backup_of(db_path, KIND_RESTORE).path
    except BackupError:
        folder = backup_folder(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{db_path.stem}_{dt.datetime.now():{_STAMP}}_beschaedigt.sqlite.defekt"
        shutil.copyfile(db_path, target)  # unreadable by SQLite: its bytes are all we can keep
        log.warning("Beschädigte Datenbank als Datei aufbewahrt: %s", target)
        return target


def restore(db_path: Path, source: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the live database with `source` via the backup API, after keeping the current state.

    Works on a damaged live file too (which cannot be opened as a `Database`). Other open connections see
    the restored data at their next transaction; the caller migrates it if it is of an older schema.
    Returns the restored backup's info and where the previous state was kept.
    """
    source = source.expanduser().absolute()
    db_path = db_path.expanduser().absolute()
    if db_path.exists() and source.exists() and source.samefile(db_path):
        raise BackupError("Die Datenbank kann nicht aus sich selbst wiederhergestellt werden.")
    info = verify_backup(source)
    kept = keep_current_state(db_path)
    try:
        with (
            _at_page_size_of(db_path, source) as copy_from,
            closing(_connect(copy_from, read_only=True)) as src,
            _live_connection(db_path) as live,
        ):
            src.backup(live)
            result = live.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if kept is not None and kept.suffix == SUFFIX:  # the live file was sound: report, change nothing more
            raise BackupError(f"Die Wiederherstellung ist fehlgeschlagen: {_sqlite_reason(exc)}") from exc
        # The live file was too damaged to be written page by page: start it afresh from the backup.
        _replace_damaged(db_path, source)
        result = "ok"
    if result != "ok":
        raise BackupError(f"Nach der Wiederherstellung meldet die Datenbank einen Fehler: {result}")
    log.info("Datenbank %s aus %s wiederhergestellt (vorheriger Stand: %s)", db_path, source, kept)
    return info, kept


def _page_size(path: Path) -> int | None:
    try:
        with closing(_connect(path, read_only=True)) as conn:
            return int(conn.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.DatabaseError:
        return None


@contextmanager
def _at_page_size_of(db_path: Path, source: Path) -> Iterator[Path]:
    """`source`, or a temporary copy of it with the live file's page size: the backup API cannot change the
    page size of a database in WAL mode (SQLite answers "readonly"), and a backup of another page size
    (made by another program or SQLite version) is as good as any other."""
    live_size = _page_size(db_path) if db_path.exists() and db_path.stat().st_size > 0 else None
    if live_size is None or live_size == _page_size(source):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix=".wiederherstellung-", dir=db_path.parent) as folder:
        copy = Path(folder) / source.name
        with closing(_connect(source, read_only=True)) as src, closing(_connect(copy, read_only=False)) as dest:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.execute(f"PRAGMA page_size = {live_size}")
            dest.execute("VACUUM")
        log.info("Sicherung %s auf die Seitengröße %d der Datenbank gebracht", source, live_size)
        yield copy


def _replace_damaged(db_path: Path, source: Path) -> None:
    for extra in ("-wal", "-shm", "-journal"):
        Path(str(db_path) + extra).unlink(missing_ok=True)
    db_path.unlink(missing_ok=True)
    with closing(_connect(source, read_only=True)) as src, _live_connection(db_path) as live:
        src.backup(live)


def restore_database(db: Database, source: Path) -> tuple[BackupInfo, Path | None]:
    """Restore into an open database, then bring an older schema up to date."""
    db_path = _sqlite_path(db)
    db.engine.dispose()  # pooled connections must not keep pages of the old state
    result = restore(db_path, source)
    db.engine.dispose()
    migrate.upgrade(db, before=backup_before_migration)
    return result


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes `PRAGMA quick_check`, to offer when the database is damaged."""
    files = sorted(_backup_files(backup_folder(db_path), db_path), key=lambda f: f[1], reverse=True)
    for path, _stamp, _kind in files:
        try:
            with closing(_connect(path, read_only=True)) as conn:
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    continue
        except sqlite3.DatabaseError:
            continue
        info = inspect_backup(path)
        if info.readable:
            return info
    return None


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "der Datenträger ist voll.",
        errno.EACCES: "keine Schreibrechte im Ordner.",
        errno.EPERM: "keine Schreibrechte im Ordner.",
        errno.EROFS: "das Laufwerk ist schreibgeschützt.",
        errno.ENOENT: "der Ordner ist nicht erreichbar.",
    }
    return reasons.get(exc.errno or 0, f"{exc.strerror or exc}.")


def _sqlite_reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "die Datei ist keine Datenbank oder beschädigt."
    if "locked" in text or "busy" in text:
        return "die Datenbank ist von einem anderen Programm gesperrt."
    if "readonly" in text or "read-only" in text:
        return "die Datei ist schreibgeschützt."
    if "full" in text:
        return "der Datenträger ist voll."
    if "unable to open" in text:
        return "die Datei ist nicht erreichbar oder nicht lesbar."
    return text + "."
