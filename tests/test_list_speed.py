"""The fast paths of the lists and of inviting (issue 14) give what the slow ones gave, on both databases.

Timings belong to bench/bench_lists.py; here: the same rows, figures and change-log entries, the query
plans that make them fast (the index serves the order, the figures come from the index alone), a constant
number of statements however many are invited, and two desks inviting everyone at the same moment.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

from geschaeftsstelle import invitations, meetings, members, statistics
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AuditEntry, Contact, Invitation, Member, Response
from tests.gui_helpers import type_text
from ui.app import make_application
from ui.contacts_view import ContactsView

# --------------------------------------------------------------------------- helpers


@contextmanager
def sql_log(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to the database while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_members(db: Database, count: int, *, left_every: int = 0) -> None:
    """`count` members, each with a primary contact (and every left_every-th one already gone)."""
    with db.transaction() as s:
        for i in range(count):
            left = dt.date(2020, 1, 1) if left_every and i % left_every == 0 else None
            m = Member(name=f"Verein {i:04d}", left_on=left, street="", postal_code="", city="Weimar", notes="",
                       search_text="")  # fmt: skip
            s.add(m)
            s.flush()
            s.add(Contact(member_id=m.id, first_name=f"Vorname{i}", last_name=f"Nachname{i}", is_primary=True,
                          salutation="Frau", search_text=""))  # fmt: skip


def add_meeting(db: Database, day: dt.date = dt.date(2030, 3, 12), venue_id: int | None = None) -> int:
    start = dt.datetime.combine(day, dt.time(14))
    return meetings.save_meeting(
        db, meetings.MeetingInput(title="Sitzung", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                  venue_id=venue_id)
    )  # fmt: skip


# --------------------------------------------------------------------------- contacts


def test_contact_rows_are_the_rows_the_joined_query_gave(db: Database) -> None:
    """The join with members became a dict lookup and the shown fields properties of a tuple; every field
    and the order stay as the joined query and the dataclass gave them."""
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    other = members.save_member(db, members.MemberInput(name="AWO Apolda", city="Apolda"))
    for data in (
        members.ContactInput(member_id=mid, title="Dr.", first_name="Jörg", last_name="zander", is_primary=True),
        members.ContactInput(member_id=mid, first_name="anna", last_name="Abel", city="Jena", email="a@b.de"),
        members.ContactInput(member_id=other, first_name="Anna", last_name="abel", phone="03643 1"),
        members.ContactInput(organisation="Landratsamt", postal_code="99423", city="Weimar", needs="Rollstuhl"),
        members.ContactInput(first_name="Émile", last_name="Ölmann", organisation="Hochschule"),
    ):
        members.save_contact(db, data)
    with db.read() as s:
        reference = s.execute(
            select(Contact, Member.name, Member.city)
            .outerjoin(Member, Contact.member_id == Member.id)
            .order_by(func.lower(Contact.last_name), func.lower(Contact.first_name), Contact.id)
        ).all()
    expected = [
        (c.id, c.member_id, c.salutation, c.full_name or (c.organisation or ""),
         f"{c.last_name} {c.first_name}".strip() or (c.organisation or ""), member_name or c.organisation or "",
         c.role, c.email or "", c.phone or "", c.city or member_city or "", c.is_primary, c.needs, c.search_text)
        for c, member_name, member_city in reference
    ]  # fmt: skip
    rows = members.list_contacts(db)
    shown = [
        (r.id, r.member_id, r.salutation, r.name, r.sort_name, r.organisation, r.role, r.email, r.phone, r.city,
         r.is_primary, r.needs, r.search_text)
        for r in rows
    ]  # fmt: skip
    assert shown == expected
    assert [r.sort_name for r in rows][:3] == ["Landratsamt", "Abel anna", "abel Anna"]  # ties: by id
    assert [r.name for r in members.list_contacts(db, mid)] == ["anna Abel", "Dr. Jörg zander"]
    assert members.list_contacts(db, other)[0].organisation == "AWO Apolda"


def test_list_contacts_pauses_the_collector_only_while_it_reads(db: Database) -> None:
    """The cyclic collector is off while the 20,000 tuples are made and back on afterwards, also after an
    error; a caller that had it off keeps it off."""
    members.save_contact(db, members.ContactInput(first_name="Anna", last_name="Abel"))
    seen: list[bool] = []
    original = members._contact_rows

    def watched(*args: Any) -> list[members.ContactRow]:
        seen.append(gc.isenabled())
        return original(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(members, "_contact_rows", watched)
        assert gc.isenabled()
        assert [r.name for r in members.list_contacts(db)] == ["Anna Abel"]
        assert seen == [False]
        assert gc.isenabled()
        patch.setattr(members, "_contact_rows", lambda *_: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            members.list_contacts(db)
        assert gc.isenabled()
    gc.disable()
    try:
        members.list_contacts(db)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_postgresql_reads_the_contact_list_in_index_order(db: Database) -> None:
    """ix_contacts_sort_name matches the ORDER BY exactly: allowed to, PostgreSQL reads 20,000 contacts in
    index order instead of sorting them (the sort spilled to temporary files; bench_lists checks the plan
    at full size)."""
    if db.is_sqlite:
        pytest.skip("the index is PostgreSQL's (see models.Contact)")
    query = str(members.contact_list_query().compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + query).scalars())
    assert "ix_contacts_sort_name" in plan
    assert "Sort" not in plan


# --------------------------------------------------------------------------- meeting figures


def test_meeting_figures_count_every_reply_on_both_databases(db: Database) -> None:
    add_members(db, 12)
    venue = meetings.save_venue(db, meetings.VenueInput(name="Bürgerhaus", city="Jena"))
    busy = add_meeting(db, venue_id=venue)
    quiet = add_meeting(db, dt.date(2030, 1, 5))
    next_year = add_meeting(db, dt.date(2031, 1, 5))
    invitations.invite_all_members(db, busy)
    invitations.invite_all_members(db, next_year)
    invitations.add_guest(db, busy, "Gerda Gast", walk_in=True)
    board = invitations.load_board(db, busy)
    plan = [Response.ACCEPTED, Response.ACCEPTED, Response.DECLINED, Response.TENTATIVE, Response.ACCEPTED]
    for row, response in zip(board.rows, plan, strict=False):
        reply = invitations.ReplyInput(response.value, persons=3 if response == Response.ACCEPTED else 1)
        invitations.record_reply(db, row.id, row.version, reply)
    with db.read() as s:
        stored = s.execute(select(Invitation.meeting_id, Invitation.response, Invitation.persons)).all()
    rows = {r.id: r for r in meetings.list_meeting_rows(db)}
    assert list(rows) == [quiet, busy, next_year]  # by date
    for meeting_id, row in rows.items():
        mine = [(response, persons) for m, response, persons in stored if m == meeting_id]
        assert row.invited == len(mine)
        assert row.accepted == sum(1 for r, _ in mine if r == "accepted")
        assert row.persons == sum(p for r, p in mine if r == "accepted")
        assert row.declined == sum(1 for r, _ in mine if r == "declined")
        assert row.open == sum(1 for r, _ in mine if r == "open")
        assert row.tentative == sum(1 for r, _ in mine if r == "tentative")
    busy_row = rows[busy]  # the walk-in first on the board, then the members: 3 accepted with 3 persons each
    assert (busy_row.invited, busy_row.accepted, busy_row.persons, busy_row.declined, busy_row.tentative) == (
        13, 3, 9, 1, 1,
    )  # fmt: skip
    assert rows[busy].city == "Jena"
    assert rows[quiet].rsvp_summary == "keine Einladungen"
    assert [r.id for r in meetings.list_meeting_rows(db, 2031)] == [next_year]
    assert meetings.list_meeting_rows(db, 2031)[0].open == 12


def test_meeting_figures_are_read_from_the_counters_not_counted(db: Database) -> None:
    """One statement, and it never reads invitations: the figures come from meeting_reply_counts (one row
    per meeting, kept by triggers), so the list does not grow with the invitations."""
    meeting_id = add_meeting(db)
    add_members(db, 3)
    invitations.invite_all_members(db, meeting_id)
    with sql_log(db) as seen:
        rows = meetings.list_meeting_rows(db)
    assert rows[0].open == 3
    queries = [q for q, _ in seen if q.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1
    assert "meeting_reply_counts" in queries[0]
    assert "invitations" not in queries[0]
    with sql_log(db) as seen:
        statistics.meeting_attendance(db, 2030)
    assert all("invitations" not in q for q, _ in seen)


# --------------------------------------------------------------------------- inviting


def test_invite_all_writes_in_a_few_statements_whatever_the_number(db: Database) -> None:
    add_members(db, 150, left_every=10)
    meeting_id = add_meeting(db)
    with sql_log(db) as seen:
        result = invitations.invite_all_members(db, meeting_id)
    assert result.added == 135
    writes = [q for q, _ in seen if q.lstrip().upper().startswith(("INSERT", "COPY"))]
    assert len(writes) <= 4  # invitations and their change log, each in one go (SQLite: one executemany)
    with db.read() as s:
        ids = s.execute(
            select(Invitation.id, Member.name)
            .join(Contact, Invitation.contact_id == Contact.id)
            .join(Member, Contact.member_id == Member.id)
            .order_by(Invitation.id)
        ).all()
    assert [name for _, name in ids] == sorted(name for _, name in ids)  # ids in member order, as before


def test_invite_writes_the_change_log_of_an_orm_insert(db: Database) -> None:
    """Each new invitation gets the entry the change-log hook writes for an ORM insert: the same fields
    from nothing to their values; the label names the person („Anna Apel – Termin 7“)."""
    add_members(db, 3)
    meeting_id = add_meeting(db)
    other_meeting = add_meeting(db, dt.date(2030, 4, 1))
    invitations.invite_all_members(db, meeting_id)
    with db.read() as s:
        contact_id = s.scalar(select(Contact.id).order_by(Contact.id))
    with db.transaction() as s:  # the way the invitations used to be written
        s.add(Invitation(meeting_id=other_meeting, contact_id=contact_id, response=Response.OPEN.value, persons=1))
    orm = audit.history(db, "invitation")[0]
    bulk = sorted(audit.history(db, "invitation")[1:], key=lambda e: e.entity_id)
    assert len(bulk) == 3
    first = bulk[0]
    with db.read() as s:
        code_of = dict(s.execute(select(Invitation.id, Invitation.reply_code)).all())
    assert first.changes == {
        **orm.changes, "meeting_id": [None, meeting_id], "reply_code": [None, code_of[first.entity_id]]
    }
    assert (first.action, first.user_name, first.at.date()) == (orm.action, orm.user_name, orm.at.date())
    assert first.label == f"Vorname0 Nachname0 – Termin {meeting_id}"
    with db.read() as s:
        invited = dict(
            s.execute(select(Invitation.id, Invitation.contact_id).where(Invitation.meeting_id == meeting_id)).all()
        )
    assert {e.entity_id: e.changes["contact_id"][1] for e in bulk} == invited
    assert invitations.invite_all_members(db, meeting_id).added == 0
    assert len(audit.history(db, "invitation")) == 4  # nothing logged for those already invited


def test_invited_rows_equal_the_orm_rows(db: Database) -> None:
    add_members(db, 2)
    meeting_id = add_meeting(db)
    with db.read() as s:
        first, second = s.scalars(select(Contact.id).order_by(Contact.id))
    invitations.invite_contacts(db, meeting_id, [first])
    with db.transaction() as s:
        s.add(Invitation(meeting_id=meeting_id, contact_id=second, response=Response.OPEN.value, persons=1))
    with db.read() as s:
        bulk, orm = (
            {k: v for k, v in row._mapping.items() if k not in ("id", "contact_id", "reply_code")}  # codes are drawn
            for row in s.execute(select(Invitation.__table__).order_by(Invitation.contact_id))
        )
    assert bulk == orm


def test_two_desks_inviting_everyone_at_once_both_succeed(db: Database) -> None:
    """Desk A has written its invitations but not committed when desk B invites the same members: on
    PostgreSQL B waits for A on the unique index and then skips, no IntegrityError; on SQLite B waits for
    A's write lock. Both report success; B says who was already invited; nobody is invited twice."""
    add_members(db, 40, left_every=8)
    meeting_id = add_meeting(db)
    a_inserting = threading.Event()
    a_written = threading.Event()
    b_waiting = threading.Event()
    results: dict[str, invitations.InviteResult] = {}
    errors: list[BaseException] = []

    def note_insert(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread().name == "desk-a" and statement.startswith("INSERT INTO invitations"):
            a_inserting.set()

    def hold_a_before_commit(_session: Session) -> None:
        if threading.current_thread().name == "desk-a" and a_inserting.is_set() and not a_written.is_set():
            a_written.set()
            if not b_waiting.wait(20):
                raise AssertionError("desk B never waited for desk A")

    def desk(name: str) -> None:
        try:
            if name == "desk-b":
                a_written.wait(20)
            results[name] = invitations.invite_all_members(db, meeting_id)
        except BaseException as exc:
            errors.append(exc)

    event.listen(db.engine, "before_cursor_execute", note_insert)
    event.listen(Session, "before_commit", hold_a_before_commit)
    try:
        threads = [threading.Thread(target=desk, args=(n,), name=n) for n in ("desk-a", "desk-b")]
        for t in threads:
            t.start()
        _wait_until_desk_b_blocks(db, a_written)
        b_waiting.set()
        for t in threads:
            t.join(30)
    finally:
        event.remove(Session, "before_commit", hold_a_before_commit)
        event.remove(db.engine, "before_cursor_execute", note_insert)
    assert errors == []
    assert (results["desk-a"].added, len(results["desk-a"].already)) == (35, 0)
    assert (results["desk-b"].added, len(results["desk-b"].already)) == (0, 35)
    assert "35 bereits eingeladen" in results["desk-b"].message()
    with db.read() as s:
        stored = s.execute(select(Invitation.contact_id).where(Invitation.meeting_id == meeting_id)).scalars().all()
        logged = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "invitation"))
    assert len(stored) == len(set(stored)) == 35
    assert logged == 35


def _wait_until_desk_b_blocks(db: Database, a_written: threading.Event) -> None:
    """Until desk B's INSERT waits for desk A's transaction (PostgreSQL), or a moment after A wrote (SQLite:
    B waits in BEGIN IMMEDIATE, which a second connection cannot see)."""
    assert a_written.wait(20)
    if db.is_sqlite:
        time.sleep(0.3)
        return
    watcher = create_engine(db.url)
    try:
        deadline = time.monotonic() + 20
        with watcher.connect() as conn:
            while time.monotonic() < deadline:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO invitations%'"
                    )
                ).scalar()
                conn.rollback()
                if waiting:
                    return
                time.sleep(0.02)
        raise AssertionError("desk B never waited for desk A's invitations")
    finally:
        watcher.dispose()


# --------------------------------------------------------------------------- the contacts view


def _people(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    for first, last in (("Jörg", "Zander"), ("Anna", "abel"), ("Ulla", "Meier"), ("Kim", "Berg"), ("Ina", "Adler")):
        members.save_contact(db, members.ContactInput(member_id=mid, first_name=first, last_name=last))
    members.save_contact(db, members.ContactInput(organisation="Arbeitsagentur", city="Jena"))
    members.save_contact(db, members.ContactInput(first_name="Emil", last_name="Cramer", organisation="Landratsamt"))


def test_first_contacts_are_the_top_of_the_list_by_name(db: Database) -> None:
    _people(db)
    everyone = sorted(members.list_contacts(db), key=lambda r: (r.sort_name.lower(), r.id))
    first = members.first_contacts(db, 3)
    assert [r.sort_name for r in first] == ["abel Anna", "Adler Ina", "Arbeitsagentur"]
    assert first == everyone[:3]  # the same rows, the member's name and town included


@pytest.mark.gui
def test_contacts_view_paints_a_screenful_first_then_reads_everyone(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more contacts than FIRST_ROWS the view shows the first ones by name, and the whole list once
    that is painted: the same first rows, then everyone in the order the whole list alone gives."""
    make_application()
    _people(sqlite_db)
    whole = ContactsView(sqlite_db)
    qtbot.addWidget(whole)
    expected = [whole.proxy.index(i, 0).data() for i in range(whole.proxy.rowCount())]
    assert len(expected) == 7
    monkeypatch.setattr(ContactsView, "FIRST_ROWS", 3)
    view = ContactsView(sqlite_db)
    qtbot.addWidget(view)
    assert [view.proxy.index(i, 0).data() for i in range(view.proxy.rowCount())] == expected[:3]
    assert view.count.text() == "Weitere Personen werden gelesen …"
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 7)
    assert [view.proxy.index(i, 0).data() for i in range(7)] == expected
    assert view.count.text() == "7 von 7 Personen"


@pytest.mark.gui
def test_contacts_view_searches_everyone_even_before_the_rest_is_read(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    _people(sqlite_db)
    monkeypatch.setattr(ContactsView, "FIRST_ROWS", 3)
    view = ContactsView(sqlite_db)  # never shown, so never painted
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3
    type_text(qtbot, view.search, "zander")
    assert view.model.rowCount() == 7
    assert [view.proxy.index(i, 0).data() for i in range(view.proxy.rowCount())] == ["Jörg Zander"]
    view.search.clear()
    view.filter.setCurrentIndex(view.filter.findData("external"))
    assert {view.proxy.index(i, 0).data() for i in range(view.proxy.rowCount())} == {"Arbeitsagentur", "Emil Cramer"}
