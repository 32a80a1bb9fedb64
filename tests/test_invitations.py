"""Invitees, replies, check-in and the figures for venue and caterer, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.members import delete_contact, get_contact
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, Member, MemberTag, Response, meeting_speakers


def make_office(db: Database, *, capacity: int | None = 10, deadline: dt.date | None = None) -> dict[str, int]:
    """Three active members (one tagged, one without primary contact), one former member, a speaker."""
    with db.transaction() as s:
        members = {}
        for key, name, left in [
            ("a", "Arbeiterwohlfahrt Apolda", None),
            ("b", "Bürgerhilfe Blankenhain", None),
            ("c", "Caritas Weimar", None),
            ("old", "Ehemaliger Verein", dt.date(2019, 12, 31)),
        ]:
            m = Member(name=name, left_on=left, street="", postal_code="", city="", notes="", search_text="")
            s.add(m)
            members[key] = m
        s.flush()
        s.add(MemberTag(member_id=members["a"].id, tag="Jugendhilfe"))
        contacts = {}
        for key, member, first, last, primary in [
            ("anna", "a", "Anna", "Apel", True),
            ("bernd", "b", "Bernd", "Bauer", True),
            ("carla", "c", "Carla", "Christ", False),
            ("olga", "old", "Olga", "Ost", True),
        ]:
            c = Contact(member_id=members[member].id, first_name=first, last_name=last, is_primary=primary,
                        email=f"{first.lower()}@example.org", salutation="Frau")  # fmt: skip
            s.add(c)
            contacts[key] = c
        speaker = Contact(first_name="Sina", last_name="Sprecher", organisation="Hochschule", salutation="")
        s.add(speaker)
        s.flush()
        meeting = Meeting(
            title="Kreisgruppensitzung",
            starts_at=dt.datetime(2030, 3, 12, 14),
            ends_at=dt.datetime(2030, 3, 12, 16),
            capacity=capacity,
            registration_deadline=deadline,
        )
        s.add(meeting)
        s.flush()
        s.execute(meeting_speakers.insert().values(meeting_id=meeting.id, contact_id=speaker.id, position=0))
        ids = {k: c.id for k, c in contacts.items()} | {"speaker": speaker.id, "meeting": meeting.id}
        return ids | {f"member_{k}": m.id for k, m in members.items()}


def test_invite_all_members_skips_former_and_reports(db: Database) -> None:
    ids = make_office(db)
    result = inv.invite_all_members(db, ids["meeting"])
    assert result.added == 2
    assert "Caritas Weimar" in result.message()
    again = inv.invite_all_members(db, ids["meeting"])
    assert again.added == 0
    assert sorted(again.already) == ["Anna Apel", "Bernd Bauer"]
    assert "2 bereits eingeladen" in again.message()
    with db.read() as s:
        invited = set(s.scalars(select(Invitation.contact_id)))
    assert invited == {ids["anna"], ids["bernd"]}


def test_invite_by_tag_contacts_speakers_and_guests(db: Database) -> None:
    ids = make_office(db)
    assert inv.invite_members_by_tag(db, ids["meeting"], "Jugendhilfe").added == 1
    assert "Kein aktives Mitglied" in inv.invite_members_by_tag(db, ids["meeting"], "Gibtsnicht").message()
    result = inv.invite_contacts(db, ids["meeting"], [ids["carla"], ids["anna"], 99999])
    assert result.added == 1
    assert result.already == ["Anna Apel"]
    assert "1 gewählte Kontakte gibt es nicht mehr." in result.problems
    assert inv.invite_speakers(db, ids["meeting"]).added == 1
    guest = inv.add_guest(db, ids["meeting"], " Gerda Gast ", "Landratsamt")
    board = inv.load_board(db, ids["meeting"])
    assert len(board.rows) == 4
    row = next(r for r in board.rows if r.id == guest)
    assert (row.name, row.organisation, row.contact_id) == ("Gerda Gast", "Landratsamt", None)
    with pytest.raises(ValidationError, match="Name fehlt"):
        inv.add_guest(db, ids["meeting"], "   ")


def test_record_reply_summary_and_warnings(db: Database) -> None:
    ids = make_office(db, capacity=4, deadline=dt.date(2030, 3, 1))
    inv.invite_all_members(db, ids["meeting"])
    inv.invite_contacts(db, ids["meeting"], [ids["carla"], ids["speaker"]])
    board = inv.load_board(db, ids["meeting"])
    by_name = {r.name: r for r in board.rows}
    assert list(by_name) == ["Anna Apel", "Bernd Bauer", "Carla Christ", "Sina Sprecher"]  # by organisation
    saved = inv.record_reply(
        db,
        by_name["Anna Apel"].id,
        by_name["Anna Apel"].version,
        inv.ReplyInput(
            Response.ACCEPTED.value,
            persons=3,
            attendee_names=["Anna Apel", "Jan Apel"],
            assistance="Rollstuhlplatz",
            diet="2x vegetarisch",
            channel="phone",
        ),
    )
    assert saved.version == by_name["Anna Apel"].version + 1
    assert saved.responded_on == dt.date.today()
    inv.set_response(db, by_name["Bernd Bauer"], Response.ACCEPTED.value)
    inv.set_response(db, by_name["Carla Christ"], Response.DECLINED.value)
    with db.transaction() as s:  # the room shrank after the replies (new acceptances would wait: test_waiting_list)
        s.execute(update(Meeting).where(Meeting.id == ids["meeting"]).values(capacity=3))
    board = inv.load_board(db, ids["meeting"])
    summary = inv.summarize(board.meeting, board.rows, today=dt.date(2030, 3, 5))
    assert (summary.invited, summary.accepted, summary.accepted_persons) == (4, 2, 4)
    assert (summary.declined, summary.open, summary.tentative) == (1, 1, 0)
    assert summary.warnings == (
        "Der Anmeldeschluss (01.03.2030) ist vorbei, 1 Rückmeldungen sind noch offen.",
        "4 Personen haben zugesagt, es gibt aber nur 3 Plätze.",
    )
    assert inv.summarize(board.meeting, board.rows, today=dt.date(2030, 2, 1)).warnings[0].startswith("4 Personen")
    catering = inv.catering_summary(board.rows)
    assert (catering.persons, catering.vegetarian, catering.vegan, catering.other, catering.regular) == (4, 2, 0, 0, 2)
    assert inv.assistance_list(board.rows) == [("Anna Apel", "Arbeiterwohlfahrt Apolda", "Rollstuhlplatz")]


def test_catering_kinds() -> None:
    def row(diet: str, persons: int = 1, response: str = "accepted") -> inv.BoardRow:
        return inv.BoardRow(1, 1, 1, "X", "", "", "", response, persons, (), "", diet, None, None, None, None, "", "")

    rows = [row("Vegan", 2), row("vegetarisch"), row("laktosefrei"), row("vegan", 5, "declined"), row("")]
    summary = inv.catering_summary(rows)
    assert (summary.persons, summary.vegan, summary.vegetarian, summary.other, summary.regular) == (5, 2, 1, 1, 1)
    assert summary.other_notes == ("X: laktosefrei",)


@pytest.mark.parametrize(("persons", "message"), [(-1, "negativ"), (51, "Mehr als 50"), (True, "ganze Zahl")])
def test_bad_person_counts_are_refused(db: Database, persons: int, message: str) -> None:
    ids = make_office(db)
    inv.invite_all_members(db, ids["meeting"])
    row = inv.load_board(db, ids["meeting"]).rows[0]
    with pytest.raises(ValidationError, match=message):
        inv.record_reply(db, row.id, row.version, inv.ReplyInput(Response.ACCEPTED.value, persons=persons))
    assert inv.load_row(db, row.id).response == Response.OPEN.value


def test_stale_version_and_cancelled_meeting_are_refused(db: Database) -> None:
    ids = make_office(db)
    inv.invite_all_members(db, ids["meeting"])
    row = inv.load_board(db, ids["meeting"]).rows[0]
    inv.set_response(db, row, Response.TENTATIVE.value)
    with pytest.raises(ConflictError, match="anderen Platz"):
        inv.set_response(db, row, Response.DECLINED.value)
    with db.transaction() as s:
        s.get(Meeting, ids["meeting"]).status = "cancelled"
    fresh = inv.load_row(db, row.id)
    with pytest.raises(UserError, match="abgesagt"):
        inv.set_response(db, fresh, Response.ACCEPTED.value)
    with pytest.raises(UserError, match="abgesagt"):
        inv.check_in(db, fresh.id, fresh.version, True)
    assert inv.load_row(db, row.id).response == Response.TENTATIVE.value


def test_check_in_walk_ins_and_deleted_contact(db: Database) -> None:
    ids = make_office(db)
    inv.invite_all_members(db, ids["meeting"])
    anna = next(r for r in inv.load_board(db, ids["meeting"]).rows if r.contact_id == ids["anna"])
    assert inv.check_in(db, anna.id, anna.version, True).attended is True
    walk_in = inv.add_guest(db, ids["meeting"], "Wanda Walk", "Presse", walk_in=True)
    carla = inv.add_walk_in_contact(db, ids["meeting"], ids["carla"])
    assert inv.add_walk_in_contact(db, ids["meeting"], ids["carla"]) == carla  # no duplicate
    board = inv.load_board(db, ids["meeting"])
    summary = inv.summarize(board.meeting, board.rows)
    assert summary.attended == 3
    assert summary.invited == 4
    wanda = next(r for r in board.rows if r.id == walk_in)
    assert (wanda.response, wanda.attended, wanda.channel, wanda.is_walk_in) == ("accepted", True, "in_person", True)
    delete_contact(db, ids["bernd"], version=get_contact(db, ids["bernd"]).version)
    rows = inv.load_board(db, ids["meeting"]).rows
    gone = next(r for r in rows if r.contact_id is None and r.id != walk_in)
    assert gone.name == inv.DELETED_CONTACT
    assert inv.set_response(db, gone, Response.DECLINED.value).response == "declined"


def test_record_sent_and_remove(db: Database) -> None:
    ids = make_office(db)
    inv.invite_all_members(db, ids["meeting"])
    rows = inv.load_board(db, ids["meeting"]).rows
    assert inv.record_sent(db, {r.id: r.version for r in rows}, dt.date(2030, 2, 1), "email") == 2
    assert {(r.sent_on, r.channel) for r in inv.load_board(db, ids["meeting"]).rows} == {(dt.date(2030, 2, 1), "email")}
    with pytest.raises(ValidationError, match="Taube"):
        inv.record_sent(db, {rows[0].id: rows[0].version}, dt.date(2030, 2, 1), "Taube")
    fresh = inv.load_board(db, ids["meeting"]).rows[0]
    assert inv.remove_invitations(db, {fresh.id: fresh.version}) == 1
    assert len(inv.load_board(db, ids["meeting"]).rows) == 1
