"""meeting_reply_counts, kept by the database's triggers, equals a fresh count of the invitations after
anything that writes invitations: the services, bulk INSERT … ON CONFLICT, executemany and COPY, updates of
many rows, moves between meetings, cascades from a deleted meeting or contact, rolled-back transactions,
the exchange import, and the upgrade of a 0004 database with data; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select, text

from geschaeftsstelle import exchange, invitations, meetings
from geschaeftsstelle.demo import build_demo
from geschaeftsstelle.reply_codes import new_codes
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    DATABASE_FUNCTIONS,
    DATABASE_TRIGGERS,
    Contact,
    Invitation,
    Meeting,
    MeetingReplyCount,
    Member,
    Response,
)
from geschaeftsstelle.store.opening import open_database

SCHEMA_FIXTURES = Path(__file__).parent / "fixtures" / "schema"
COUNTERS = ("open", "accepted", "declined", "tentative", "persons", "attended", "waitlisted")
RESPONSES = [r.value for r in Response]


def counted(db: Database) -> dict[int, tuple[int, ...]]:
    """The figures of every meeting, counted from the invitations themselves (zeros without any)."""
    i = Invitation
    query = (
        select(
            Meeting.id,
            *(func.count(i.id).filter(i.response == r) for r in ("open", "accepted", "declined", "tentative")),
            func.coalesce(func.sum(i.persons).filter(i.response == "accepted"), 0),
            func.count(i.id).filter(i.attended.is_(True)),
            func.count(i.id).filter(i.response == "waitlisted"),
        )
        .outerjoin(i, i.meeting_id == Meeting.id)
        .group_by(Meeting.id)
    )
    with db.read() as s:
        return {row[0]: tuple(row[1:]) for row in s.execute(query)}


def kept(db: Database) -> dict[int, tuple[int, ...]]:
    """The figures as the triggers kept them (zeros for a meeting without a counter row)."""
    with db.read() as s:
        rows = {row[0]: tuple(row[1:]) for row in s.execute(select(MeetingReplyCount.meeting_id,
                *(getattr(MeetingReplyCount, c) for c in COUNTERS)))}  # fmt: skip
        meeting_ids = list(s.scalars(select(Meeting.id)))
    assert set(rows) <= set(meeting_ids), "a counter row outlived its meeting"
    return {m: rows.get(m, (0,) * len(COUNTERS)) for m in meeting_ids}


def assert_counters_exact(db: Database) -> None:
    expected = counted(db)
    assert kept(db) == expected
    for row in meetings.list_meeting_rows(db):
        open_, accepted, declined, tentative, persons, _attended, waitlisted = expected[row.id]
        assert (row.open, row.accepted, row.declined, row.tentative, row.persons, row.waitlisted) == (
            open_, accepted, declined, tentative, persons, waitlisted,
        )  # fmt: skip
        assert row.invited == open_ + accepted + declined + tentative + waitlisted


def people(db: Database, count: int) -> None:
    with db.transaction() as s:
        for n in range(count):
            member = Member(name=f"Verein {n}", street="", postal_code="", city="Jena", notes="", search_text="")
            s.add(member)
            s.flush()
            s.add(Contact(member_id=member.id, first_name=f"V{n}", last_name=f"N{n}", is_primary=True, search_text=""))
            s.add(Contact(member_id=member.id, first_name=f"W{n}", last_name=f"M{n}", search_text=""))


def bulk_guests(db: Database, meeting_id: int, count: int, response: str) -> None:
    """Guests written as the exchange import writes: executemany on SQLite, COPY on PostgreSQL."""
    columns = ("meeting_id", "guest_name", "response", "persons", "attendee_names", "assistance", "diet", "notes",
               "version", "attended", "reply_code")  # fmt: skip
    codes = new_codes(count)
    rows = [(meeting_id, f"Gast {n}", response, 1 + n % 3, "[]", "", "", "", 1, n % 2 == 0, codes[n])
            for n in range(count)]  # fmt: skip
    with db.transaction() as s:
        driver = s.connection().connection
        if db.is_sqlite:
            cursor = driver.cursor()
            cursor.executemany(
                f"INSERT INTO invitations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows
            )
            cursor.close()
        else:
            pg = driver.driver_connection
            assert pg is not None
            with pg.cursor() as cursor, cursor.copy(f"COPY invitations ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


class Invitations(RuleBasedStateMachine):
    """Random writes of every kind; after each step the kept figures equal a fresh count."""

    db: Database

    def __init__(self) -> None:
        super().__init__()
        self.day = 0
        with self.db.transaction() as s:
            s.execute(text("DELETE FROM meetings"))  # cascades: invitations and counter rows
        assert kept(self.db) == {}

    def meeting_ids(self) -> list[int]:
        with self.db.read() as s:
            return list(s.scalars(select(Meeting.id).order_by(Meeting.id)))

    def invitation_ids(self) -> list[int]:
        with self.db.read() as s:
            return list(s.scalars(select(Invitation.id).order_by(Invitation.id)))

    @initialize()
    def first_meeting(self) -> None:
        self.add_meeting()

    @rule()
    def add_meeting(self) -> None:
        self.day += 1
        start = dt.datetime(2031, 1, 1, 10) + dt.timedelta(days=self.day)
        meetings.save_meeting(self.db, meetings.MeetingInput(title=f"T{self.day}", starts_at=start, ends_at=start))

    @precondition(lambda self: len(self.meeting_ids()) > 1)
    @rule(pick=st.integers(0, 50))
    def delete_meeting(self, pick: int) -> None:
        """As the service deletes (one DELETE, passive_deletes): the database cascades to the invitations."""
        ids = self.meeting_ids()
        with self.db.transaction() as s:
            s.execute(text("DELETE FROM meetings WHERE id = :m"), {"m": ids[pick % len(ids)]})

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50))
    def invite_all(self, pick: int) -> None:
        ids = self.meeting_ids()
        invitations.invite_all_members(self.db, ids[pick % len(ids)])

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50), chosen=st.lists(st.integers(0, 50), max_size=6))
    def invite_some(self, pick: int, chosen: list[int]) -> None:
        ids = self.meeting_ids()
        with self.db.read() as s:
            contacts = list(s.scalars(select(Contact.id).order_by(Contact.id)))
        if contacts:
            invitations.invite_contacts(self.db, ids[pick % len(ids)], [contacts[c % len(contacts)] for c in chosen])

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50), walk_in=st.booleans())
    def add_guest(self, pick: int, walk_in: bool) -> None:
        ids = self.meeting_ids()
        invitations.add_guest(self.db, ids[pick % len(ids)], f"Gast {pick}", walk_in=walk_in)

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50), count=st.integers(1, 30), response=st.sampled_from(RESPONSES))
    def bulk_insert(self, pick: int, count: int, response: str) -> None:
        ids = self.meeting_ids()
        bulk_guests(self.db, ids[pick % len(ids)], count, response)

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(pick=st.integers(0, 500), response=st.sampled_from(RESPONSES), persons=st.integers(0, 5))
    def reply(self, pick: int, response: str, persons: int) -> None:
        ids = self.invitation_ids()
        row = invitations.load_row(self.db, ids[pick % len(ids)])
        invitations.record_reply(self.db, row.id, row.version, invitations.ReplyInput(response, persons=persons))

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50), capacity=st.one_of(st.none(), st.integers(1, 6)))
    def set_capacity(self, pick: int, capacity: int | None) -> None:
        """The waiting list's operations: a capacity, then the free places filled from the waiting list."""
        meeting_id = self.meeting_ids()[pick % len(self.meeting_ids())]
        with self.db.transaction() as s:
            s.execute(text("UPDATE meetings SET capacity = :c WHERE id = :m"), {"c": capacity, "m": meeting_id})
        invitations.fill_free_places(self.db, meeting_id)

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(pick=st.integers(0, 500), persons=st.integers(1, 4))
    def accept_or_wait(self, pick: int, persons: int) -> None:
        """An acceptance that waits when the room is full; a decline that moves the waiting up."""
        ids = self.invitation_ids()
        row = invitations.load_row(self.db, ids[pick % len(ids)])
        response = Response.DECLINED.value if row.response == Response.ACCEPTED.value else Response.ACCEPTED.value
        invitations.record_reply(self.db, row.id, row.version, invitations.ReplyInput(response, persons=persons))

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(pick=st.integers(0, 500), attended=st.sampled_from([True, False, None]))
    def check_in(self, pick: int, attended: bool | None) -> None:
        ids = self.invitation_ids()
        row = invitations.load_row(self.db, ids[pick % len(ids)])
        invitations.check_in(self.db, row.id, row.version, attended)

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(modulus=st.integers(1, 4), response=st.sampled_from(RESPONSES), persons=st.integers(0, 4))
    def update_many(self, modulus: int, response: str, persons: int) -> None:
        with self.db.transaction() as s:
            s.execute(text("UPDATE invitations SET response = :r, persons = :p, attended = (id % 2 = 0) "
                           "WHERE id % :m = 0"), {"r": response, "p": persons, "m": modulus})  # fmt: skip

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(pick=st.integers(0, 500), to=st.integers(0, 50))
    def move(self, pick: int, to: int) -> None:
        """An invitation moved to another meeting (where that person is not yet invited)."""
        ids, meeting_ids = self.invitation_ids(), self.meeting_ids()
        with self.db.transaction() as s:
            s.execute(text("UPDATE invitations SET meeting_id = :m WHERE id = :i AND NOT EXISTS (SELECT 1 FROM "
                           "invitations o WHERE o.meeting_id = :m AND o.contact_id = invitations.contact_id)"),
                      {"m": meeting_ids[to % len(meeting_ids)], "i": ids[pick % len(ids)]})  # fmt: skip

    @precondition(lambda self: bool(self.invitation_ids()))
    @rule(picks=st.lists(st.integers(0, 500), min_size=1, max_size=5))
    def remove(self, picks: list[int]) -> None:
        """As invitations.remove_invitations does: one DELETE … WHERE id IN (…)."""
        ids = self.invitation_ids()
        with self.db.transaction() as s:
            s.execute(delete(Invitation).where(Invitation.id.in_([ids[p % len(ids)] for p in picks])))

    @rule(pick=st.integers(0, 50))
    def delete_contact(self, pick: int) -> None:
        """Their invitations stay (contact_id set to NULL): an update that changes no figure."""
        with self.db.read() as s:
            contacts = list(s.scalars(select(Contact.id).order_by(Contact.id)))
        if contacts:
            with self.db.transaction() as s:
                s.execute(text("DELETE FROM contacts WHERE id = :c"), {"c": contacts[pick % len(contacts)]})

    @precondition(lambda self: bool(self.meeting_ids()))
    @rule(pick=st.integers(0, 50))
    def rolled_back(self, pick: int) -> None:
        ids = self.meeting_ids()
        with pytest.raises(RuntimeError), self.db.transaction() as s:
            s.execute(text("UPDATE invitations SET response = 'accepted', persons = 7"))
            s.execute(text("DELETE FROM invitations WHERE id % 3 = 0"))
            s.add(Invitation(meeting_id=ids[pick % len(ids)], guest_name="Rückgängig", response="accepted", persons=2))
            s.flush()
            raise RuntimeError("rolled back")

    @invariant()
    def counters_equal_a_fresh_count(self) -> None:
        assert_counters_exact(self.db)


def test_counters_equal_a_count_after_random_writes(db: Database) -> None:
    people(db, 5)
    Invitations.db = db
    run_state_machine_as_test(
        Invitations,
        settings=settings(max_examples=12, stateful_step_count=14, deadline=None,
                          suppress_health_check=list(HealthCheck)),
    )  # fmt: skip


def test_the_exchange_import_is_counted(db: Database) -> None:
    """Bulk executemany on SQLite, COPY on PostgreSQL: the statement triggers see every row."""
    exchange.import_office(db, build_demo())
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Invitation)) > 50
    assert_counters_exact(db)
    assert any(sum(figures[:4]) for figures in kept(db).values())


def test_the_schema_has_exactly_the_listed_triggers(db: Database) -> None:
    """The names in store/models.py are the database's, on both databases (a restored backup is checked
    against them)."""
    with db.read() as s:
        if db.is_sqlite:
            triggers = set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            functions: set[str] = set()
        else:
            triggers = set(s.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
            functions = set(s.scalars(text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema()"
            )))  # fmt: skip
    assert triggers == set(DATABASE_TRIGGERS)
    assert functions == (set() if db.is_sqlite else set(DATABASE_FUNCTIONS))


def test_upgrade_from_0004_counts_the_existing_invitations(tmp_path: Path) -> None:
    path = tmp_path / "0004.sqlite"
    shutil.copyfile(SCHEMA_FIXTURES / "0004.sqlite", path)
    raw = sqlite3.connect(path)
    invited = raw.execute("SELECT count(*) FROM invitations").fetchone()[0]
    raw.close()
    assert invited > 0
    db = open_database(path)
    try:
        kept_before = kept(db)
        assert sum(sum(f[:4]) for f in kept_before.values()) == invited
        assert_counters_exact(db)
        with db.read() as s:
            meeting_id = s.scalar(select(Invitation.meeting_id).order_by(Invitation.id))
        # the triggers work on the upgraded file (its first meeting is for members only: a guest is confirmed)
        invitations.add_guest(db, meeting_id, "Nach dem Umstieg", allow_non_members=True)
        assert_counters_exact(db)
    finally:
        db.dispose()
