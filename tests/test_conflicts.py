"""Two desks edit the same record: the second save is refused (ConflictError), nothing is silently overwritten.

On both databases: two clients (two engines, like two program windows) with a stale version; on one
SQLite file also two processes; and the true race where both pass the version check before either commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from geschaeftsstelle import invitations, meetings, members, office
from geschaeftsstelle.errors import ConflictError
from geschaeftsstelle.store import integrity
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Member, Response
from geschaeftsstelle.store.opening import open_database
from geschaeftsstelle.store.records import load_for_update


def _input(cls: type, obj: object, **changes: Any) -> Any:
    """The input a dialog would hand back after editing `obj` (with the version it was loaded with)."""
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls) if hasattr(obj, f.name)}
    values.update(changes)
    return cls(**values)


@pytest.fixture
def second(db: Database, db_url: str) -> Iterator[Database]:
    """Another desk: its own engine and connections on the same database."""
    other = open_database(db_url)
    yield other
    other.dispose()


def _member(db: Database) -> int:
    return members.save_member(
        db, members.MemberInput(name="Lebenshilfe e. V.", street="Am Markt 1", postal_code="99423", city="Weimar")
    )


def test_member_second_save_is_refused(db: Database, second: Database) -> None:
    member_id = _member(db)
    at_desk_a = members.get_member(db, member_id)
    at_desk_b = members.get_member(second, member_id)
    members.save_member(db, _input(members.MemberInput, at_desk_a, tags=at_desk_a.tags, city="Erfurt"))
    with pytest.raises(ConflictError, match="inzwischen an einem anderen Platz geändert"):
        members.save_member(second, _input(members.MemberInput, at_desk_b, tags=at_desk_b.tags, phone="0361 1"))
    now = members.get_member(second, member_id)
    assert now.city == "Erfurt"
    assert now.phone is None
    assert now.version > at_desk_a.version
    # after reloading, desk B may save its change on top of A's
    members.save_member(second, _input(members.MemberInput, now, tags=now.tags, phone="0361 1"))
    final = members.get_member(db, member_id)
    assert (final.city, final.phone) == ("Erfurt", "0361 1")


def test_contact_second_save_is_refused(db: Database, second: Database) -> None:
    member_id = _member(db)
    contact_id = members.save_contact(
        db, members.ContactInput(first_name="Anna", last_name="Schulz", member_id=member_id, salutation="Frau")
    )
    a = members.get_contact(db, contact_id)
    b = members.get_contact(second, contact_id)
    members.save_contact(db, _input(members.ContactInput, a, role="Vorstand"))
    with pytest.raises(ConflictError):
        members.save_contact(second, _input(members.ContactInput, b, email="anna@example.org"))
    now = members.get_contact(db, contact_id)
    assert (now.role, now.email) == ("Vorstand", None)


def test_contact_changed_by_the_primary_switch_is_refused_too(db: Database, second: Database) -> None:
    member_id = _member(db)
    first = members.save_contact(db, members.ContactInput(last_name="Erste", member_id=member_id, is_primary=True))
    stale = members.get_contact(second, first)
    members.save_contact(db, members.ContactInput(last_name="Zweite", member_id=member_id, is_primary=True))
    with pytest.raises(ConflictError):  # the switch cleared is_primary on the first; desk B must not set it back
        members.save_contact(second, _input(members.ContactInput, stale, notes="alt"))
    assert members.get_contact(db, first).is_primary is False


def test_meeting_second_save_is_refused(db: Database, second: Database) -> None:
    start = dt.datetime(2026, 3, 4, 14, 0)
    meeting_id = meetings.save_meeting(
        db, meetings.MeetingInput(title="Kreisgruppensitzung", starts_at=start, ends_at=start + dt.timedelta(hours=2))
    )
    a = meetings.get_meeting(db, meeting_id)
    b = meetings.get_meeting(second, meeting_id)
    meetings.save_meeting(db, _input(meetings.MeetingInput, a, agenda=[], speaker_ids=[], topic="Haushalt"))
    with pytest.raises(ConflictError):
        meetings.save_meeting(second, _input(meetings.MeetingInput, b, agenda=[], speaker_ids=[], title="Geändert"))
    now = meetings.get_meeting(db, meeting_id)
    assert (now.title, now.topic) == ("Kreisgruppensitzung", "Haushalt")


def test_venue_and_letterhead_second_save_is_refused(db: Database, second: Database) -> None:
    venue_id = meetings.save_venue(
        db, meetings.VenueInput(name="Bürgerhaus", street="Markt 2", postal_code="99423", city="Weimar")
    )
    [venue_a] = [v for v in meetings.list_venues(db) if v.id == venue_id]
    [venue_b] = [v for v in meetings.list_venues(second) if v.id == venue_id]
    meetings.save_venue(db, _input(meetings.VenueInput, venue_a, accessible=True))
    with pytest.raises(ConflictError):
        meetings.save_venue(second, _input(meetings.VenueInput, venue_b, notes="Schlüssel beim Hausmeister"))

    letterhead = office.OfficeInput(
        name="Kreisgruppe", street="Markt 1", postal_code="99423", city="Weimar", state="TH",
        signatory="A. Lindner", signatory_role="Leitung",
    )  # fmt: skip
    office.save_office(db, letterhead)
    a = office.get_office(db)
    b = office.get_office(second)
    office.save_office(db, _input(office.OfficeInput, a, phone="03643 1"))
    with pytest.raises(ConflictError):
        office.save_office(second, _input(office.OfficeInput, b, phone="03643 2"))
    assert office.get_office(db).phone == "03643 1"


def test_deleted_meanwhile_is_refused(db: Database, second: Database) -> None:
    member_id = _member(db)
    stale = members.get_member(second, member_id)
    members.delete_member(db, member_id, version=stale.version)
    with pytest.raises(ConflictError, match="gelöscht"):
        members.save_member(second, _input(members.MemberInput, stale, tags=[], city="Jena"))
    assert all(r.id != member_id for r in members.list_members(db))


def test_race_both_pass_the_check_before_either_commits(db: Database, second: Database) -> None:
    """Desk A has checked the version and not yet committed when desk B saves: B waits (SQLite: the file's
    write lock, BEGIN IMMEDIATE; PostgreSQL: the row lock load_for_update takes), then sees the new version
    and is refused."""
    member_id = _member(db)
    version = members.get_member(db, member_id).version
    outcome: list[BaseException | None] = []
    entered = threading.Event()

    def desk_b() -> None:
        entered.wait()
        try:
            members.save_member(second, members.MemberInput(name="B", id=member_id, version=version))
            outcome.append(None)
        except ConflictError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=desk_b)
    thread.start()
    with db.transaction() as s:
        m = load_for_update(s, Member, member_id, version, "Die Mitgliedsorganisation")
        entered.set()
        thread.join(0.3)  # B is blocked on the lock meanwhile
        assert thread.is_alive()
        m.name = "A"
    thread.join()
    assert isinstance(outcome[0], ConflictError)
    assert members.get_member(db, member_id).name == "A"


def test_a_change_read_without_the_lock_is_still_refused_by_the_version_in_the_update(
    db: Database, second: Database
) -> None:
    """Code that reads a row without load_for_update still cannot overwrite: the UPDATE … WHERE version = v
    finds no row, and Database.transaction() and integrity.user_errors() turn SQLAlchemy's StaleDataError
    into the German conflict message. (PostgreSQL only: on SQLite desk A's open write transaction makes B wait.)"""
    if db.is_sqlite:
        pytest.skip("SQLite serialises writers; B cannot commit while A's write transaction is open")
    member_id = _member(db)
    version = members.get_member(db, member_id).version
    with pytest.raises(ConflictError, match="anderen Platz"), db.transaction() as s:
        m = s.get_one(Member, member_id)
        members.save_member(second, members.MemberInput(name="B", id=member_id, version=version))
        m.name = "A"
    assert members.get_member(db, member_id).name == "B"
    current = members.get_member(db, member_id).version
    with pytest.raises(ConflictError, match="anderen Platz"), integrity.user_errors(), db.transaction() as s:
        m = s.get_one(Member, member_id)
        members.save_member(second, members.MemberInput(name="B2", id=member_id, version=current))
        m.name = "A2"
    assert members.get_member(db, member_id).name == "B2"


CHILD = textwrap.dedent(
    """
    import sys
    from geschaeftsstelle import members
    from geschaeftsstelle.store.opening import open_database
    from geschaeftsstelle.errors import ConflictError

    db = open_database(sys.argv[1])
    m = members.get_member(db, int(sys.argv[2]))
    print("geladen", m.version, flush=True)
    sys.stdin.readline()
    data = members.MemberInput(name=m.name, street=m.street, postal_code=m.postal_code, city=m.city,
                               phone="Platz B", tags=m.tags, id=m.id, version=m.version)
    try:
        members.save_member(db, data)
        print("gespeichert", flush=True)
    except ConflictError as exc:
        print("abgelehnt:", exc, flush=True)
    """
)


def test_two_processes_on_one_sqlite_file(sqlite_db: Database) -> None:
    member_id = _member(sqlite_db)
    path = sqlite_db.describe()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, path, str(member_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdin is not None
    assert child.stdout.readline().startswith("geladen ")
    mine = members.get_member(sqlite_db, member_id)
    members.save_member(sqlite_db, _input(members.MemberInput, mine, tags=mine.tags, city="Platz A"))
    out, err = child.communicate("weiter\n", timeout=60)
    assert child.returncode == 0, err
    assert out.startswith("abgelehnt: Die Mitgliedsorganisation wurde inzwischen an einem anderen Platz geändert")
    now = members.get_member(sqlite_db, member_id)
    assert (now.city, now.phone) == ("Platz A", None)


def test_rsvp_second_save_is_refused(db: Database, second: Database) -> None:
    start = dt.datetime(2026, 5, 6, 10, 0)
    meeting_id = meetings.save_meeting(
        db, meetings.MeetingInput(title="Netzwerktreffen", starts_at=start, ends_at=start + dt.timedelta(hours=2))
    )
    contact_id = members.save_contact(db, members.ContactInput(first_name="Ewa", last_name="Nowak", city="Jena"))
    invitations.invite_contacts(db, meeting_id, [contact_id])
    [row_a] = invitations.load_board(db, meeting_id).rows
    [row_b] = invitations.load_board(second, meeting_id).rows
    invitations.set_response(db, row_a, Response.ACCEPTED.value)
    with pytest.raises(ConflictError, match="Einladung"):
        invitations.set_response(second, row_b, Response.DECLINED.value)
    assert invitations.load_row(db, row_a.id).response == Response.ACCEPTED.value
