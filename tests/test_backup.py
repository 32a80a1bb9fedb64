"""Backups: online copies while someone writes, once a day at start, before migrations, rotation, restore."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from geschaeftsstelle import members, paths
from geschaeftsstelle.cli import main
from geschaeftsstelle.exchange import import_file
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.migrate import current_revision, head_revision, upgrade
from geschaeftsstelle.store.opening import open_database

OFFICE = Path(__file__).parent / "fixtures" / "office_small.json"


def _member_names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM members"))
    finally:
        con.close()


@pytest.fixture
def office(sqlite_db: Database) -> Database:
    import_file(sqlite_db, OFFICE)
    return sqlite_db


def test_backup_of_an_open_database_while_another_thread_writes(office: Database, tmp_path: Path) -> None:
    before = len(members.list_members(office))
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            written.append(members.save_member(office, members.MemberInput(name=f"Neu {len(written)} e. V.")))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        info = backup.backup_to(office, tmp_path / "sicherung.sqlite")
    finally:
        stop.set()
        thread.join()
    con = sqlite3.connect(info.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one standalone file
    con.close()
    assert info.members is not None
    assert before <= info.members <= before + len(written)
    assert not list(tmp_path.glob("*.teil"))
    with pytest.raises(backup.BackupError, match="gibt es schon"):
        backup.backup_to(office, info.path)


def test_backup_folder_beside_a_database_elsewhere_and_in_user_folder_for_the_default() -> None:
    elsewhere = Path("/srv/daten/buero.sqlite")
    assert backup.backup_folder(elsewhere) == Path("/srv/daten/buero.sqlite Sicherungen")
    assert backup.backup_folder(paths.default_database_path()) == paths.backup_dir()


def test_start_backup_once_a_day_with_counts(office: Database) -> None:
    day = dt.date(2026, 11, 23)
    first = backup.start_backup(office, today=day)
    assert first is not None
    assert first.kind == backup.KIND_START
    assert backup.start_backup(office, today=day) is None  # cheap: today's exists
    second = backup.start_backup(office, today=day + dt.timedelta(days=1))
    assert second is not None
    listed = backup.list_backups(office)
    assert [b.path for b in listed] == [second.path, first.path]  # newest first
    n_members = len(members.list_members(office))
    assert listed[0].members == n_members
    assert listed[0].contacts is not None
    assert listed[0].contacts > 0
    assert f"{n_members} Mitglieder" in listed[0].describe()
    assert "24.11.2026" in listed[0].describe()


def test_rotation_keeps_10_daily_8_weekly_12_monthly(tmp_path: Path) -> None:
    db_path = tmp_path / "buero.sqlite"
    folder = backup.backup_folder(db_path)
    folder.mkdir()
    start = dt.datetime(2025, 1, 1, 9, 0)
    for day in range(400):
        for hour in (0, 5):  # two a day: only the newest of a day may stay
            stamp = start + dt.timedelta(days=day, hours=hour)
            (folder / f"buero_{stamp:%Y-%m-%d_%H%M%S}_start.sqlite").write_bytes(b"x")
    (folder / "fremde-datei.sqlite").write_bytes(b"x")
    backup.rotate(folder, db_path)
    kept = sorted((stamp for _p, stamp, _k in backup._backup_files(folder, db_path)), reverse=True)
    newest = start + dt.timedelta(days=399, hours=5)
    assert kept[0] == newest
    assert [k.date() for k in kept[:10]] == [newest.date() - dt.timedelta(days=i) for i in range(10)]
    assert len({k.isocalendar()[:2] for k in kept}) >= 8
    assert len({(k.year, k.month) for k in kept}) == 12
    assert len(kept) <= 10 + 8 + 12
    assert all(k.hour == 14 for k in kept)  # the newest of each kept day
    assert (folder / "fremde-datei.sqlite").exists()  # not ours: never deleted


def test_restore_verifies_keeps_current_state_and_replaces_live_data(office: Database, tmp_path: Path) -> None:
    saved = backup.backup_to(office, tmp_path / "stand.sqlite")
    members.save_member(office, members.MemberInput(name="Nach der Sicherung e. V."))
    other = open_database(office.describe())  # a second open connection pool, like a second window

    info, kept = backup.restore_database(office, saved.path)
    assert info.members == saved.members
    assert kept is not None
    assert "Nach der Sicherung e. V." in _member_names(kept)
    assert "Nach der Sicherung e. V." not in [r.name for r in members.list_members(office)]
    assert "Nach der Sicherung e. V." not in [r.name for r in members.list_members(other)]
    other.dispose()
    assert any(b.kind == backup.KIND_RESTORE for b in backup.list_backups(office))
    con = sqlite3.connect(office.describe())
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_restore_refuses_broken_foreign_and_missing_files(office: Database, tmp_path: Path) -> None:
    live = office.sqlite_path
    assert live is not None
    names = _member_names(live)
    broken = tmp_path / "kaputt.sqlite"
    shutil.copyfile(backup.backup_to(office, tmp_path / "gut.sqlite").path, broken)
    raw = bytearray(broken.read_bytes())
    raw[4096 * 2 : 4096 * 6] = b"\x55" * (4096 * 4)
    broken.write_bytes(bytes(raw))
    with pytest.raises(backup.BackupError, match=r"beschädigt|keine lesbare"):
        backup.restore(live, broken)
    foreign = tmp_path / "fremd.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE x (a)")
    with pytest.raises(backup.BackupError, match="keine Datenbank der Geschäftsstelle"):
        backup.restore(live, foreign)
    with pytest.raises(backup.BackupError, match="gibt es nicht"):
        backup.restore(live, tmp_path / "fehlt.sqlite")
    assert _member_names(live) == names
    assert not any(b.kind == backup.KIND_RESTORE for b in backup.list_backups(office))  # nothing touched


def test_restore_over_a_damaged_live_file(office: Database, tmp_path: Path) -> None:
    saved = backup.backup_to(office, tmp_path / "stand.sqlite")
    live = office.sqlite_path
    assert live is not None
    office.dispose()
    with sqlite3.connect(live) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    live.write_bytes(b"Das ist keine Datenbank mehr." * 500)
    info, kept = backup.restore(live, saved.path)
    assert kept is not None
    assert kept.read_bytes().startswith(b"Das ist keine")
    assert _member_names(live) == _member_names(saved.path)
    assert info.members == saved.members


def test_migration_makes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "alt.sqlite"
    old = open_database(path, migrate=False)
    upgrade(old, "0001")
    with old.transaction() as s:
        s.execute(
            text(
                "INSERT INTO members (name, street, postal_code, city, notes, search_text) "
                "VALUES ('Altverein e. V.', '', '', '', '', '')"
            )
        )
    old.dispose()
    db = open_database(path)  # migrates from 0001 to head
    assert current_revision(db) == head_revision()
    made = backup.list_backups(db)
    assert [b.kind for b in made] == [backup.KIND_MIGRATION]
    assert made[0].revision == "0001"
    assert made[0].members == 1
    db.dispose()


def test_postgresql_is_pointed_to_pg_dump(db: Database) -> None:
    if db.is_sqlite:
        assert backup.start_backup(db) is not None
        return
    assert backup.start_backup(db) is None
    for call in (lambda: backup.make_backup(db), lambda: backup.list_backups(db)):
        with pytest.raises(backup.BackupError, match="pg_dump"):
            call()


def test_command_line_backup_backups_restore(
    office: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = office.describe()
    out = tmp_path / "hand.sqlite"
    assert main(["--db", url, "backup", "--out", str(out)]) == 0
    assert "Gesichert nach" in capsys.readouterr().out
    assert main(["--db", url, "backup"]) == 0
    assert main(["--db", url, "backups"]) == 0
    listing = capsys.readouterr().out
    assert "von Hand" in listing
    assert "Mitglieder" in listing
    members.save_member(office, members.MemberInput(name="Später e. V."))
    assert main(["--db", url, "restore", str(out)]) == 0
    assert "Wiederhergestellt" in capsys.readouterr().out
    assert "Später e. V." not in _member_names(Path(url))
    office.dispose()
    Path(url).write_bytes(b"kaputt" * 1000)
    assert main(["--db", url, "backups"]) == 0  # the list is there when it is needed most
    assert "von Hand" in capsys.readouterr().out
    assert main(["--db", url, "restore", str(out)]) == 0
    assert _member_names(Path(url)) == _member_names(out)
    assert main(["--db", url, "restore", str(tmp_path / "fehlt.sqlite")]) == 1
    assert capsys.readouterr().err.startswith("Fehler: Die Sicherung")
    assert main(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err


def test_many_backups_in_one_second_keep_the_one_just_made(sqlite_db: Database) -> None:
    """Found by the kill test: rotation sorted same-second names so that the newest could be deleted."""
    import datetime as _dt

    from geschaeftsstelle.store import backup as _backup

    moment = _dt.datetime(2026, 11, 23, 9, 30, 0)
    for _ in range(_backup.KEEP_EVENTS + 3):
        info = _backup.make_backup(sqlite_db, _backup.KIND_MANUAL, now=moment)
        assert info.path.exists()


# --------------------------------------------------------------------------- restore verifies (issue 15.4)


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _tampered(office: Database, tmp_path: Path, *statements: str) -> Path:
    path = tmp_path / "verändert.sqlite"
    backup.backup_to(office, path)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


TAMPERED = [
    (
        "extra trigger that deletes contacts and swaps the IBAN on the next save",
        (
            "CREATE TRIGGER wipe AFTER UPDATE ON members BEGIN DELETE FROM contacts; "
            "UPDATE office SET iban = 'DE89370400440532013000'; END",
        ),
        "zusätzlicher Trigger „wipe“",
    ),
    (
        "dangling reference",
        ("UPDATE contacts SET member_id = 999999 WHERE id = (SELECT min(id) FROM contacts WHERE member_id > 0)",),
        "Verweise ins Leere (Tabelle „contacts“",
    ),
    ("altered table", ("ALTER TABLE contacts ADD COLUMN password TEXT",), "Tabelle „contacts“ ist verändert"),
    ("extra view", ("CREATE VIEW everyone AS SELECT * FROM contacts",), "zusätzliche Sicht „everyone“"),
    ("dropped index", ("DROP INDEX ix_contacts_member_id",), "Index „ix_contacts_member_id“ fehlt"),
    ("extra table", ("CREATE TABLE spy (x TEXT)",), "zusätzliche Tabelle „spy“"),
    (
        "newer revision",
        ("UPDATE alembic_version SET version_num = '9999_from_the_future'",),
        "neueren Programmversion",
    ),
    ("no revision", ("DELETE FROM alembic_version",), "keinen Schema-Stand"),
]


@pytest.mark.parametrize(
    ("statements", "expected"), [(s, e) for _n, s, e in TAMPERED], ids=[n for n, _s, _e in TAMPERED]
)
def test_restore_refuses_a_tampered_backup_and_leaves_the_live_database(
    office: Database, tmp_path: Path, statements: tuple[str, ...], expected: str
) -> None:
    bad = _tampered(office, tmp_path, *statements)
    live = office.sqlite_path
    assert live is not None
    before = _dump(live)
    with pytest.raises(backup.BackupError) as caught:
        backup.restore_database(office, bad)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert message.startswith(("Die Sicherung", "„"))
    assert _dump(live) == before
    assert not any(b.kind == backup.KIND_RESTORE for b in backup.list_backups(office))  # not even kept


def test_restore_of_a_tampered_backup_from_the_command_line(
    office: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _tampered(office, tmp_path, "CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM contacts; END")
    live = office.sqlite_path
    assert live is not None
    before = _dump(live)
    assert main(["--db", str(live), "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fehler: Die Sicherung „verändert.sqlite“ weicht vom Schema")
    assert "zusätzlicher Trigger „wipe“" in err
    assert len(err.strip().splitlines()) == 1
    assert _dump(live) == before


@pytest.mark.parametrize("page_size", [1024, 16384, 65536])
def test_restore_of_a_backup_with_another_page_size(
    office: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], page_size: int
) -> None:
    other = tmp_path / "andere-seiten.sqlite"
    backup.backup_to(office, other)
    con = sqlite3.connect(other, isolation_level=None)
    con.execute(f"PRAGMA page_size = {page_size}")
    con.execute("VACUUM")
    assert con.execute("PRAGMA page_size").fetchone()[0] == page_size
    con.close()
    names = _member_names(other)
    members.save_member(office, members.MemberInput(name="Nach der Sicherung e. V."))
    live = office.sqlite_path
    assert live is not None
    assert main(["--db", str(live), "restore", str(other)]) == 0, capsys.readouterr().err
    assert "Wiederhergestellt" in capsys.readouterr().out
    assert _member_names(live) == names
    assert sorted(r.name for r in members.list_members(office)) == names  # the open pool sees it too
    assert not [p for p in live.parent.iterdir() if p.name.startswith(".wiederherstellung-")]  # no copy left
    con = sqlite3.connect(live)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


@pytest.mark.parametrize("revision", ["0001", "0002", "0003", "0004"])
def test_backups_of_every_older_schema_are_accepted(tmp_path: Path, revision: str) -> None:
    """The schema comparison holds for files written by earlier program versions (constraint order and
    quoting after table rebuilds differ, the schema does not)."""
    fixture = Path(__file__).parent / "fixtures" / "schema" / f"{revision}.sqlite"
    info = backup.verify_backup(fixture)
    assert info.revision == revision
    live = tmp_path / "live.sqlite"
    open_database(live).dispose()
    backup.restore(live, fixture)
    db = open_database(live)  # brought up to date again
    assert current_revision(db) == head_revision()
    db.dispose()


def test_the_expected_schema_has_the_migrations_triggers_and_nothing_else() -> None:
    from geschaeftsstelle.store import schema_check

    head = schema_check.expected_schema(head_revision())
    kinds = {kind for kind, _name in head}
    assert kinds <= {"table", "index", "trigger"}
    assert ("table", "members") in head
    assert not any(name.startswith("sqlite_") for _kind, name in head)
