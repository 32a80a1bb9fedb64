"""Erasure that erases (issue 15 part 2): after `privacy.erase_contact` nothing of the person is left in the
database file, its WAL (with a second connection open), a JSON export, the log file, or an older backup
once restored and the register re-applied; on PostgreSQL nothing in any row, the export or the log."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select, text

from geschaeftsstelle import exchange, log_setup, members, privacy
from geschaeftsstelle.store import audit, backup
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AgendaItem,
    Award,
    Base,
    Contact,
    Invitation,
    Meeting,
    Nomination,
)

FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"
NAME = "Zora Quellenbach"
EMAIL = "zora.quellenbach@beispiel.de"
HEALTH = "Gebärdensprach-Dolmetschung nötig"
TRACES = (NAME, "Quellenbach", EMAIL, HEALTH)


def _seen(db: Database, contact_id: int) -> int:
    """The contact's version as the erase dialog read it."""
    return members.get_contact(db, contact_id).version


def _forms(value: str) -> list[bytes]:
    """How a value can sit in a file: UTF-8, and JSON's ASCII escapes (SQLAlchemy writes JSON that way)."""
    escaped = json.dumps(value)[1:-1]
    return sorted({value.encode("utf-8"), escaped.encode("ascii")})


def _found_in(data: bytes | str) -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [t for t in TRACES if any(form in raw for form in _forms(t))]


def _person(db: Database) -> int:
    """Anna Beispiel of the small office becomes Zora Quellenbach, named everywhere the issue found her:
    her own record and invitation (health note), a meeting's speakers and programme, an award's jury, a
    nomination's justification — all written with the change log on."""
    exchange.import_file(db, FIXTURE)
    with db.transaction() as s:
        c = s.scalars(select(Contact).where(Contact.last_name == "Beispiel")).one()
        c.first_name, c.last_name, c.email, c.needs = "Zora", "Quellenbach", EMAIL, HEALTH
        c.notes = f"erreichbar unter {EMAIL}"
    with db.transaction() as s:
        c = s.scalars(select(Contact).where(Contact.last_name == "Quellenbach")).one()
        inv = s.scalars(select(Invitation).where(Invitation.contact_id == c.id)).one()
        inv.assistance, inv.attendee_names = HEALTH, [NAME, "Jörg Schäfer"]
        meeting = s.get(Meeting, inv.meeting_id)
        assert meeting is not None
        meeting.speakers.append(c)
        meeting.agenda.append(AgendaItem(title="Bericht", presenter=f"Dr. {NAME}", position=9))
        award = s.scalars(select(Award)).first()
        assert award is not None
        award.jury.remove(c)
    with db.transaction() as s:
        award = s.scalars(select(Award)).first()
        assert award is not None
        again = s.get(Contact, c.id)
        assert again is not None
        award.jury.append(again)
        nomination = s.scalars(select(Nomination).where(Nomination.nominated_by_id == c.id)).one()
        nomination.justification = f"Vorgeschlagen von {NAME} ({EMAIL})."
        return c.id


def _all_rows(db: Database) -> str:
    with db.read() as s:
        return "\n".join(repr(s.execute(select(t)).all()) for t in Base.metadata.sorted_tables)


def _strict_export(db: Database) -> str:
    dump = exchange.dumps(exchange.export_office(db))
    json.loads(dump, parse_constant=lambda c: pytest.fail(f"export holds {c}"))
    return dump


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()}


def _log_a_failed_save(db: Database, contact_id: int) -> Path:
    """A save that fails in the database, logged the ways the program logs: with the traceback, with the
    error as argument, and as failed_save."""
    log_file = log_setup.configure()
    assert log_file is not None
    log = logging.getLogger("geschaeftsstelle.cli")
    try:
        with db.transaction() as s:
            s.execute(
                text("INSERT INTO members (name, email, notes, street) VALUES (:name, :email, :notes, :street)"),
                {"name": None, "email": EMAIL, "notes": HEALTH, "street": NAME},
            )
    except Exception as exc:
        log.exception("Datenbankfehler")
        log.warning("Datenbankfehler: %s", exc)
        log_setup.failed_save(log, exc, "contact", contact_id)
    try:
        raise ValueError(f"Ungültig: {NAME} <{EMAIL}>")
    except ValueError:
        log.exception("Unerwarteter Fehler")
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file


@pytest.fixture
def second_desk(sqlite_db: Database) -> Iterator[sqlite3.Connection]:
    """Another desk (or the window) holding the same file open."""
    path = sqlite_db.sqlite_path
    assert path is not None
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("SELECT count(*) FROM contacts").fetchone()
        yield conn


def test_nothing_of_the_person_is_left_in_file_wal_export_log_and_restored_backup(
    sqlite_db: Database, second_desk: sqlite3.Connection, tmp_path: Path
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    zora = _person(sqlite_db)
    older = backup.backup_to(sqlite_db, tmp_path / "older.sqlite").path
    assert _found_in(older.read_bytes())  # the backup really holds her: the grep can fail
    assert set(_found_in(b"".join(_files(path).values()))) == set(TRACES)
    log_file = _log_a_failed_save(sqlite_db, zora)

    plan = privacy.plan_erasure(sqlite_db, zora)
    assert {m.field for m in plan.mentions} >= {"Programm: vortragende Person", "Nominierung: Begründung"}
    done = privacy.erase_contact(sqlite_db, zora, version=_seen(sqlite_db, zora), blank_mentions=True)
    assert done.complete, done.message
    assert done.mentions_blanked >= 2

    for name, data in _files(path).items():
        assert _found_in(data) == [], name
    assert _found_in(_strict_export(sqlite_db)) == []
    assert _found_in(_all_rows(sqlite_db)) == []
    assert _found_in(log_file.read_bytes()) == []
    assert "IntegrityError" in log_file.read_text("utf-8")  # the error class stays for the support
    assert privacy.erasure_register(sqlite_db) == [privacy.RegisteredErasure(zora, done_on(sqlite_db), True)]

    # an older backup restored: she is back until the register is applied again
    _info, kept = backup.restore_database(sqlite_db, older)
    assert kept is not None
    assert _found_in(_all_rows(sqlite_db))
    assert privacy.reapply_erasures(sqlite_db, kept) == 1
    assert privacy.reapply_erasures(sqlite_db, kept) == 0  # once is enough
    for name, data in _files(path).items():
        assert _found_in(data) == [], name
    assert _found_in(_strict_export(sqlite_db)) == []
    assert _found_in(_all_rows(sqlite_db)) == []
    second_desk.execute("SELECT count(*) FROM contacts").fetchone()  # the other desk still works


def done_on(db: Database) -> dt.date:
    return privacy.erasure_register(db)[0].erased_on


def test_an_open_read_on_another_desk_delays_the_wal_and_the_user_is_told(
    sqlite_db: Database, second_desk: sqlite3.Connection
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    zora = _person(sqlite_db)
    second_desk.execute("BEGIN")
    second_desk.execute("SELECT count(*) FROM contacts").fetchone()  # holds a snapshot: the WAL must stay
    done = privacy.erase_contact(sqlite_db, zora, version=_seen(sqlite_db, zora), blank_mentions=True)
    assert not done.complete
    assert done.message.endswith(privacy.ERASURE_PENDING)
    assert privacy.ERASURE_PENDING.count(".") == 1  # one sentence
    assert _found_in(Path(f"{path}-wal").read_bytes())  # the old frames are still there until the reader ends
    second_desk.execute("COMMIT")
    assert privacy.checkpoint(sqlite_db)
    for name, data in _files(path).items():
        assert _found_in(data) == [], name


def test_rows_export_and_log_hold_nothing_of_the_person(db: Database) -> None:
    """Both databases: every row of every table, the export and the log file."""
    zora = _person(db)
    log_file = _log_a_failed_save(db, zora)
    privacy.erase_contact(db, zora, version=_seen(db, zora), blank_mentions=True)
    assert _found_in(_all_rows(db)) == []
    assert _found_in(_strict_export(db)) == []
    assert _found_in(log_file.read_bytes()) == []


def test_other_records_log_entries_lose_her_name_and_keep_the_rest(db: Database) -> None:
    zora = _person(db)
    with db.read() as s:
        award = s.scalars(select(Award)).first()
        assert award is not None
        others = [c.full_name for c in award.jury if c.id != zora]
    privacy.erase_contact(db, zora, version=_seen(db, zora))  # free text left alone: only the change log is blanked
    speakers = [e for e in audit.history(db, "meeting") if "speakers" in e.changes]
    assert speakers
    assert all(NAME not in json.dumps(e.changes, ensure_ascii=False) for e in speakers)
    assert privacy.ANONYMISED in speakers[0].changes["speakers"][1][-1]
    jury = [e for e in audit.history(db, "award") if "jury" in e.changes]
    assert jury
    assert privacy.ANONYMISED in json.dumps(jury, default=str)
    assert others
    assert all(name in jury[0].changes["jury"][1] for name in others)  # the other jurors stay
    justification = next(e for e in audit.history(db, "nomination") if "justification" in e.changes)
    blanked = f"Vorgeschlagen von {privacy.ANONYMISED} ({privacy.ANONYMISED})."
    assert justification.changes["justification"][1] == blanked
    with db.read() as s:  # the free text itself was shown, not changed
        assert s.scalars(select(AgendaItem.presenter).where(AgendaItem.presenter.like("%Quellenbach%"))).one()


def test_reapply_with_the_register_read_before_the_restore(sqlite_db: Database, tmp_path: Path) -> None:
    zora = _person(sqlite_db)
    older = backup.backup_to(sqlite_db, tmp_path / "older.sqlite").path
    privacy.erase_contact(sqlite_db, zora, version=_seen(sqlite_db, zora))
    register = privacy.erasure_register(sqlite_db)
    backup.restore_database(sqlite_db, older)
    assert privacy.erasure_register(sqlite_db) == []
    assert privacy.reapply_erasures(sqlite_db) == 0  # without the earlier register nothing is known
    assert privacy.reapply_erasures(sqlite_db, register) == 1
    assert privacy.erasure_register(sqlite_db) == register  # the date of the first erasure is kept
    with sqlite_db.read() as s:
        assert s.get(Contact, zora) is None
        presenter = s.scalars(select(AgendaItem.presenter).where(AgendaItem.title == "Bericht")).one()
    assert presenter == f"Dr. {NAME}"  # the first erasure left free text alone, so does the second


def test_a_contact_added_after_the_backup_under_a_reused_id_is_left_alone(sqlite_db: Database, tmp_path: Path) -> None:
    """The restored register's own entries are in effect already: an id met again is someone new."""
    zora = _person(sqlite_db)
    privacy.erase_contact(sqlite_db, zora, version=_seen(sqlite_db, zora))
    with sqlite_db.transaction() as s:
        s.add(Contact(id=zora, first_name="Neu", last_name="Person"))
    after = backup.backup_to(sqlite_db, tmp_path / "after.sqlite").path
    register = privacy.erasure_register(sqlite_db)
    backup.restore_database(sqlite_db, after)
    assert privacy.reapply_erasures(sqlite_db, register) == 0
    with sqlite_db.read() as s:
        assert s.get(Contact, zora) is not None


def test_the_restore_can_say_what_was_erased_again() -> None:
    assert privacy.reapplied_text(0) == ""
    assert "eine seither gelöschte Person wurde erneut gelöscht" in privacy.reapplied_text(1)
    assert "3 seither gelöschte Personen wurden erneut gelöscht" in privacy.reapplied_text(3)
