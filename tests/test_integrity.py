"""Start checks and messages: damaged, read-only, locked, missing and full databases never end in a traceback."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections import namedtuple
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import URL

from geschaeftsstelle import members
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.exchange import import_file
from geschaeftsstelle.store import backup, database, integrity
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database

OFFICE = Path(__file__).parent / "fixtures" / "office_small.json"


@pytest.fixture
def office(sqlite_db: Database) -> Database:
    import_file(sqlite_db, OFFICE)
    return sqlite_db


def _scribble(path: Path) -> bytes:
    """Overwrite table pages in the middle of a checkpointed file, as a bad sector or a cut copy would."""
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(raw), 4096 * 7)):
        raw[offset] = 0x55
    path.write_bytes(bytes(raw))
    return bytes(raw)


def test_a_healthy_database_opens_checked(office: Database) -> None:
    path = office.sqlite_path
    assert path is not None
    db = integrity.open_checked(path)
    integrity.quick_check(db)
    assert len(members.list_members(db)) == len(members.list_members(office))
    db.dispose()


def test_damaged_file_names_the_newest_good_backup_and_stays_untouched(office: Database) -> None:
    older = backup.make_backup(office, backup.KIND_START, now=dt.datetime(2026, 11, 20, 8, 0))
    good = backup.make_backup(office, backup.KIND_MANUAL, now=dt.datetime(2026, 11, 21, 8, 0))
    bad_backup = good.path.with_name("test_2026-11-22_080000_start.sqlite")
    shutil.copyfile(good.path, bad_backup)
    _scribble(bad_backup)  # a newer backup that is itself damaged must be passed over
    path = office.sqlite_path
    assert path is not None
    office.dispose()
    damaged = _scribble(path)
    with pytest.raises(integrity.DamagedDatabaseError) as caught:
        integrity.open_checked(path)
    error = caught.value
    assert error.newest_backup is not None
    assert error.newest_backup.path == good.path
    assert older.path.exists()
    assert error.newest_backup.path != bad_backup
    assert "ist beschädigt" in str(error)
    assert str(error.newest_backup.path) in str(error)
    assert "Mitglieder" in str(error)
    assert path.read_bytes() == damaged  # nothing written, nothing migrated


def test_not_a_database_at_all_without_backups(tmp_path: Path) -> None:
    path = tmp_path / "brief.sqlite"
    path.write_bytes(b"Sehr geehrte Damen und Herren, " * 200)
    with pytest.raises(integrity.DamagedDatabaseError, match="wurde nicht gefunden") as caught:
        integrity.open_checked(path)
    assert caught.value.newest_backup is None


def test_missing_network_folder_and_vanished_database(office: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Netzlaufwerk verbunden"):
        integrity.open_checked("//server/freigabe/geschaeftsstelle.sqlite")
    backup.make_backup(office)
    path = office.sqlite_path
    assert path is not None
    office.dispose()
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    with pytest.raises(UserError, match="keine neue, leere"):
        integrity.open_checked(path)
    assert not path.exists()
    fresh = integrity.open_checked(tmp_path / "neu" / "neu.sqlite")  # a new office still starts empty
    assert fresh.is_empty()
    fresh.dispose()


def test_read_only_file(office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    path = office.sqlite_path
    assert path is not None
    read_only = Database(URL.create("sqlite+pysqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"}))
    with pytest.raises(UserError, match="schreibgeschützt") as caught, integrity.user_errors():
        members.save_member(read_only, members.MemberInput(name="Neu e. V."))
    assert "nicht gespeichert" in str(caught.value)
    read_only.dispose()
    real_access = integrity.os.access
    monkeypatch.setattr(integrity.os, "access", lambda p, mode: mode != integrity.os.W_OK and real_access(p, mode))
    with pytest.raises(UserError, match="schreibgeschützt"):
        integrity.open_checked(path)


def test_locked_database_at_start_and_while_saving(office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    path = office.sqlite_path
    assert path is not None
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(integrity, "PROBE_TIMEOUT_S", 0.2)
        with pytest.raises(UserError, match="gesperrt"):
            integrity.open_checked(path)
        monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
        busy = Database(office.url)
        with pytest.raises(UserError, match="gesperrt") as caught, integrity.user_errors():
            members.save_member(busy, members.MemberInput(name="Wartet e. V."))
        assert "noch einmal versuchen" in str(caught.value)
        busy.dispose()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "Wartet e. V." not in [m.name for m in members.list_members(office)]


def test_full_disk_while_saving(office: Database) -> None:
    full = Database(office.url)

    @event.listens_for(full.engine, "connect")
    def _no_more_pages(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    before = len(members.list_members(office))
    with pytest.raises(UserError, match="voll") as caught, integrity.user_errors():
        members.save_member(full, members.MemberInput(name="Groß e. V.", notes="x" * 200_000))
    assert "nicht gespeichert" in str(caught.value)
    full.dispose()
    assert len(members.list_members(office)) == before


def test_full_disk_for_a_backup(office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(backup.shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 4096, 4096))
    with pytest.raises(backup.BackupError, match="nicht genug Platz"):
        backup.make_backup(office)
    assert integrity.low_disk_warning(office) is not None
    assert "MB frei" in (integrity.low_disk_warning(office) or "")


def test_network_drive_warning(office: Database) -> None:
    assert integrity.network_drive_warning(office) is None
    unc = Database(URL.create("sqlite+pysqlite", database="//server/freigabe/geschaeftsstelle.sqlite"))
    warning = integrity.network_drive_warning(unc)
    assert warning is not None
    assert "Netzlaufwerk" in warning
    assert "PostgreSQL" in warning


def test_postgresql_needs_no_file_checks(db: Database) -> None:
    integrity.quick_check(db)
    assert integrity.network_drive_warning(db) is None
    if not db.is_sqlite:
        assert integrity.low_disk_warning(db) is None
    reopened = integrity.open_checked(db.describe() if db.is_sqlite else db.url.render_as_string(hide_password=False))
    reopened.dispose()


def test_open_database_refuses_a_damaged_file_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.sqlite"
    open_database(path).dispose()
    _scribble(path)
    with pytest.raises(UserError):
        integrity.open_checked(path)


def test_start_checks_back_up_once_and_warn(office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert integrity.start_checks(office) == []
    assert len(backup.list_backups(office)) == 1
    assert integrity.start_checks(office) == []
    assert len(backup.list_backups(office)) == 1  # once a day
    monkeypatch.setattr(backup, "start_backup", lambda _db: (_ for _ in ()).throw(backup.BackupError("Kein Platz.")))
    monkeypatch.setattr(integrity, "LOW_DISK_BYTES", 2**62)
    warnings = integrity.start_checks(office)
    assert warnings[0] == "Die tägliche Sicherung ist fehlgeschlagen: Kein Platz."
    assert "MB frei" in warnings[1]
