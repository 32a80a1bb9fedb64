"""Start checks and messages: damaged, read-only, locked, missing and full databases never end in a traceback."""

from __future__ import annotations

import datetime as dt
import os
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
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
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
        members.save_member(full, members.MemberInput(name="Groß e. V.", notes="x" * 100_000))  # the longest allowed
    assert "nicht gespeichert" in str(caught.value)
    full.dispose()
    assert len(members.list_members(office)) == before


def test_full_disk_for_a_backup(office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 4096, 4096))
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


# --------------------------------------------------------------------------- the command line's door (issue 15.3)


def _damage_an_index(path: Path) -> bytes:
    """Zero the root page of one index of the contacts: quick_check fails, the meetings stay readable."""
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_contacts_member_id'").fetchone()[0]
    raw = bytearray(path.read_bytes())
    raw[(root - 1) * size : root * size] = bytes(size)
    path.write_bytes(bytes(raw))
    return bytes(raw)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from geschaeftsstelle.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ("import", "MEMBERS_CSV"),
        ("plan", "--year", "2027", "--dates", "03.03.2027", "--time", "14:00-16:00", "--title", "X", "--create"),
        ("privacy", "erase", "--contact", "1", "--yes"),
        ("privacy", "clear-needs"),
        ("demo",),
    ],
    ids=["import members.csv", "plan --create", "privacy erase", "privacy clear-needs", "demo"],
)
def test_command_line_refuses_every_write_into_a_damaged_file(
    office: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    csv = tmp_path / "mitglieder.csv"
    csv.write_text("Name;Ort\nNeuverein e. V.;Jena\n", "utf-8")
    path = office.sqlite_path
    assert path is not None
    office.dispose()
    damaged = _damage_an_index(path)
    code, _out, err = _cli(capsys, "--db", str(path), *[str(csv) if a == "MEMBERS_CSV" else a for a in argv])
    assert code == 1
    assert err.startswith("Fehler: Die Datenbank")
    assert "ist beschädigt" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert path.read_bytes() == damaged


def test_command_line_reads_a_damaged_file_with_a_warning(office: Database, capsys: pytest.CaptureFixture[str]) -> None:
    path = office.sqlite_path
    assert path is not None
    office.dispose()
    damaged = _damage_an_index(path)
    code, out, err = _cli(capsys, "--db", str(path), "meetings")
    assert code == 0
    assert "Kreisgruppensitzung" in out
    assert err.startswith("Warnung: Die Datenbank")
    assert "nur gelesen" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == damaged
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def _newer_schema_file(path: Path) -> bytes:
    """A file of a newer program version as it arrives by copy: rollback journal, not yet WAL."""
    open_database(path).dispose()
    with sqlite3.connect(path, isolation_level=None) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        con.execute("PRAGMA journal_mode = DELETE")
    return path.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [("meetings",), ("import", "OFFICE"), ("backup",), ("privacy", "clear-needs"), ("privacy", "stale")],
    ids=["meetings", "import", "backup", "privacy clear-needs", "privacy stale"],
)
def test_command_line_refuses_a_newer_schema_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    path = tmp_path / "zukunft.sqlite"
    before = _newer_schema_file(path)
    code, _out, err = _cli(capsys, "--db", str(path), *[str(OFFICE) if a == "OFFICE" else a for a in argv])
    assert code == 1
    assert "neueren Programmversion" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before  # not even switched to WAL
    assert not backup.backup_folder(path).exists()


def test_open_database_checks_the_version_before_switching_to_wal(tmp_path: Path) -> None:
    from geschaeftsstelle.errors import SchemaTooNewError

    path = tmp_path / "zukunft.sqlite"
    before = _newer_schema_file(path)
    with pytest.raises(SchemaTooNewError):
        open_database(path)
    with pytest.raises(SchemaTooNewError):
        integrity.open_checked(path)
    assert path.read_bytes() == before


def test_command_line_backs_up_before_migrating(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alt.sqlite"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema" / "0001.sqlite", path)
    code, _out, err = _cli(capsys, "--db", str(path), "meetings")
    assert code == 0, err
    made = backup.list_backups_of(path)
    assert [b.kind for b in made] == [backup.KIND_MIGRATION]
    assert made[0].revision == "0001"
