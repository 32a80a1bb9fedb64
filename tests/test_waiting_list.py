"""Capacity and waiting list, members-only meetings and standing needs (issue 16.3–16.5), on both databases:
acceptances that no longer fit wait in order of arrival, freed places go to the first waiting that fit,
a move racing with another desk is refused in German with nothing lost; non-members only when confirmed;
a contact's standing needs start every new invitation and survive the clearing of old needs."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from geschaeftsstelle import exchange, privacy
from geschaeftsstelle import invitations as inv
from geschaeftsstelle.errors import ConflictError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, MeetingReplyCount, Response
from geschaeftsstelle.store.opening import open_database
from tests.test_invitations import make_office
from tests.test_reply_counters import assert_counters_exact

ACCEPTED, DECLINED, WAITING = Response.ACCEPTED.value, Response.DECLINED.value, Response.WAITLISTED.value


@pytest.fixture
def second(db: Database, db_url: str) -> Iterator[Database]:
    """Another desk: its own engine and connections on the same database."""
    other = open_database(db_url)
    yield other
    other.dispose()


def _guests(db: Database, meeting_id: int, names: list[str]) -> dict[str, int]:
    return {name: inv.add_guest(db, meeting_id, name) for name in names}


def _reply(db: Database, invitation_id: int, response: str, persons: int = 1, moved: list[int] | None = None) -> str:
    row = inv.load_row(db, invitation_id)
    return inv.record_reply(db, row.id, row.version, inv.ReplyInput(response, persons=persons), moved_up=moved).response


def _state(db: Database, meeting_id: int) -> dict[int, tuple[str, int]]:
    return {r.id: (r.response, r.persons) for r in inv.load_board(db, meeting_id).rows}


def test_acceptances_beyond_capacity_wait_and_move_up_in_order(db: Database) -> None:
    ids = make_office(db, capacity=3)
    meeting = ids["meeting"]
    g = _guests(db, meeting, ["Anton", "Berta", "Cäsar", "Dora", "Emil"])
    assert _reply(db, g["Anton"], ACCEPTED, 2) == ACCEPTED
    assert _reply(db, g["Berta"], ACCEPTED, 2) == WAITING  # 2 + 2 > 3
    assert _reply(db, g["Cäsar"], ACCEPTED, 1) == ACCEPTED  # fits the last place
    assert _reply(db, g["Dora"], ACCEPTED, 1) == WAITING
    assert _reply(db, g["Emil"], ACCEPTED, 1) == WAITING
    board = inv.load_board(db, meeting)
    assert inv.places_left(board.meeting, board.rows) == 0
    assert [r.name for r in inv.waiting_list(board.rows)] == ["Berta", "Dora", "Emil"]
    assert inv.waiting_positions(board.rows)[g["Emil"]] == 3
    assert_counters_exact(db)
    with db.read() as s:
        assert s.scalar(select(MeetingReplyCount.waitlisted).where(MeetingReplyCount.meeting_id == meeting)) == 3

    moved: list[int] = []
    assert _reply(db, g["Anton"], DECLINED, 2, moved) == DECLINED  # two places free: Berta (2) moves up
    assert moved == [g["Berta"]]
    state = _state(db, meeting)
    assert state[g["Berta"]] == (ACCEPTED, 2)
    assert state[g["Dora"]][0] == WAITING
    berta = inv.load_row(db, g["Berta"])
    assert berta.moved_up_at is not None
    assert berta.waitlisted_at is not None

    moved.clear()
    assert _reply(db, g["Berta"], ACCEPTED, 1, moved) == ACCEPTED  # fewer persons: one place for Dora
    assert moved == [g["Dora"]]
    assert [r.name for r in inv.waiting_list(inv.load_board(db, meeting).rows)] == ["Emil"]
    assert_counters_exact(db)


def test_a_larger_party_waits_while_a_smaller_one_behind_it_fits(db: Database) -> None:
    ids = make_office(db, capacity=2)
    meeting = ids["meeting"]
    g = _guests(db, meeting, ["Anton", "Berta", "Cäsar"])
    _reply(db, g["Anton"], ACCEPTED, 2)
    _reply(db, g["Berta"], ACCEPTED, 3)
    _reply(db, g["Cäsar"], ACCEPTED, 1)
    moved: list[int] = []
    _reply(db, g["Anton"], ACCEPTED, 1, moved)  # an acceptance held keeps its place with fewer persons
    assert moved == [g["Cäsar"]]
    assert _state(db, meeting)[g["Berta"]] == (WAITING, 3)


def test_an_acceptance_held_keeps_its_place_when_persons_are_added(db: Database) -> None:
    ids = make_office(db, capacity=2)
    g = _guests(db, ids["meeting"], ["Anton"])
    _reply(db, g["Anton"], ACCEPTED, 1)
    assert _reply(db, g["Anton"], ACCEPTED, 4) == ACCEPTED
    board = inv.load_board(db, ids["meeting"])
    assert "4 Personen haben zugesagt, es gibt aber nur 2 Plätze." in inv.summarize(board.meeting, board.rows).warnings


def test_removing_an_invitation_and_raising_the_capacity_fill_places(db: Database) -> None:
    ids = make_office(db, capacity=1)
    meeting = ids["meeting"]
    g = _guests(db, meeting, ["Anton", "Berta", "Cäsar"])
    for name in g:
        _reply(db, g[name], ACCEPTED)
    moved: list[int] = []
    row = inv.load_row(db, g["Anton"])
    assert inv.remove_invitations(db, {row.id: row.version}, moved_up=moved) == 1
    assert moved == [g["Berta"]]
    with db.transaction() as s:
        s.execute(update(Meeting).where(Meeting.id == meeting).values(capacity=5))
    assert inv.fill_free_places(db, meeting) == [g["Cäsar"]]
    assert inv.fill_free_places(db, meeting) == []
    assert_counters_exact(db)


def test_without_capacity_nobody_waits(db: Database) -> None:
    ids = make_office(db, capacity=None)
    g = _guests(db, ids["meeting"], ["Anton"])
    assert _reply(db, g["Anton"], ACCEPTED, 40) == ACCEPTED
    board = inv.load_board(db, ids["meeting"])
    assert inv.places_left(board.meeting, board.rows) is None


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    capacity=st.integers(1, 6),
    steps=st.lists(st.tuples(st.integers(0, 5), st.sampled_from([ACCEPTED, DECLINED, "open"]), st.integers(1, 4)),
                   max_size=14),
)  # fmt: skip
def test_the_waiting_list_rules_hold_after_any_replies(
    sqlite_db: Database, capacity: int, steps: list[tuple[int, str, int]]
) -> None:
    """After every reply: new acceptances never overfill the room, nobody waits who would fit, and the
    counters equal a fresh count."""
    db = sqlite_db
    with db.transaction() as s:
        meeting = Meeting(title="Prüfung", starts_at=dt.datetime(2031, 1, 1, 10), ends_at=dt.datetime(2031, 1, 1, 12),
                          capacity=capacity)  # fmt: skip
        s.add(meeting)
        s.flush()
        meeting_id = meeting.id
    people = [inv.add_guest(db, meeting_id, f"Gast {n}") for n in range(6)]
    grown = False  # an acceptance held may grow beyond the capacity (the board warns)
    for who, response, persons in steps:
        before = inv.load_row(db, people[who])
        _reply(db, people[who], response, persons)
        grown |= before.response == ACCEPTED and response == ACCEPTED and persons > before.persons
        rows = inv.load_board(db, meeting_id).rows
        taken = sum(r.persons for r in rows if r.response == ACCEPTED)
        if not grown:
            assert taken <= capacity
        free = capacity - taken
        assert all(r.persons > free for r in rows if r.response == WAITING)
    assert_counters_exact(db)
    with db.transaction() as s:
        s.execute(delete(Invitation).where(Invitation.meeting_id == meeting_id))
        s.execute(delete(Meeting).where(Meeting.id == meeting_id))


# --------------------------------------------------------------------------- two desks


def _at_once(calls: list[Callable[[], object]]) -> list[object]:
    results: list[object] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the test looks at what each desk got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_move_up_racing_with_another_desk_is_refused_in_german_and_nothing_lost(
    db: Database, second: Database
) -> None:
    ids = make_office(db, capacity=1)
    meeting = ids["meeting"]
    g = _guests(db, meeting, ["Anton", "Berta"])
    _reply(db, g["Anton"], ACCEPTED)
    _reply(db, g["Berta"], ACCEPTED)
    berta_at_desk_b = inv.load_row(second, g["Berta"])  # desk B shows Berta waiting
    assert berta_at_desk_b.response == WAITING
    moved: list[int] = []
    _reply(db, g["Anton"], DECLINED, moved=moved)  # desk A: Anton declines, Berta moves up
    assert moved == [g["Berta"]]
    with pytest.raises(ConflictError, match="inzwischen an einem anderen Platz geändert"):
        inv.set_response(second, berta_at_desk_b, DECLINED)  # desk B, from what it showed
    state = _state(db, meeting)
    assert state[g["Anton"]][0] == DECLINED
    assert state[g["Berta"]][0] == ACCEPTED
    assert_counters_exact(db)


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_accept_for_the_last_place_at_once(db: Database, second: Database, attempt: int) -> None:
    ids = make_office(db, capacity=1)
    meeting = ids["meeting"]
    g = _guests(db, meeting, [f"Anton {attempt}", f"Berta {attempt}"])
    a, b = (inv.load_row(db, i) for i in g.values())
    results = _at_once([
        lambda: inv.set_response(db, a, ACCEPTED),
        lambda: inv.set_response(second, b, ACCEPTED),
    ])  # fmt: skip
    assert all(isinstance(r, inv.Invitee) for r in results), results
    assert sorted(r.response for r in results if isinstance(r, inv.Invitee)) == [ACCEPTED, WAITING]
    assert_counters_exact(db)


@pytest.mark.parametrize("attempt", range(2))
def test_a_decline_and_the_waiting_persons_own_reply_at_once(db: Database, second: Database, attempt: int) -> None:
    """Desk A takes Anton's decline (Berta moves up) while desk B takes Berta's withdrawal: whichever comes
    second is either applied on top or refused with the conflict message; never a lost reply or a wrong count."""
    ids = make_office(db, capacity=1)
    meeting = ids["meeting"]
    g = _guests(db, meeting, [f"Anton {attempt}", f"Berta {attempt}"])
    anton, berta = g.values()
    _reply(db, anton, ACCEPTED)
    _reply(db, berta, ACCEPTED)
    a, b = inv.load_row(db, anton), inv.load_row(second, berta)
    results = _at_once([
        lambda: inv.set_response(db, a, DECLINED),
        lambda: inv.set_response(second, b, DECLINED),
    ])  # fmt: skip
    for r in results:
        assert isinstance(r, inv.Invitee) or (isinstance(r, ConflictError) and "inzwischen" in str(r)), r
    state = _state(db, meeting)
    assert state[anton][0] == DECLINED
    if isinstance(results[1], ConflictError):
        assert state[berta][0] == ACCEPTED  # moved up; desk B reloads and enters the withdrawal again
    else:
        assert state[berta][0] == DECLINED
    assert_counters_exact(db)


# --------------------------------------------------------------------------- members only


def _members_only(db: Database, meeting_id: int) -> None:
    with db.transaction() as s:
        s.execute(update(Meeting).where(Meeting.id == meeting_id).values(members_only=True))


def test_members_only_refuses_non_members_until_confirmed(db: Database) -> None:
    ids = make_office(db)
    meeting = ids["meeting"]
    _members_only(db, meeting)
    with pytest.raises(inv.NonMemberError) as refused:
        inv.invite_contacts(db, meeting, [ids["anna"], ids["olga"], ids["speaker"]])
    message = str(refused.value)
    assert "\n" not in message
    assert "„Kreisgruppensitzung“ ist nur für Mitglieder" in message
    assert "Olga Ost (ehemaliges Mitglied)" in message
    assert "Sina Sprecher (kein Mitglied)" in message
    assert "Anna" not in message
    assert "--allow-non-members" in message
    assert inv.load_board(db, meeting).rows == []  # nothing written, not even Anna
    with pytest.raises(inv.NonMemberError, match="Sina Sprecher"):
        inv.invite_speakers(db, meeting)
    with pytest.raises(inv.NonMemberError, match="Gerda Gast"):
        inv.add_guest(db, meeting, "Gerda Gast")

    assert inv.invite_contacts(db, meeting, [ids["anna"]]).added == 1  # a member needs no confirmation
    assert inv.invite_contacts(db, meeting, [ids["olga"], ids["speaker"]], allow_non_members=True).added == 2
    inv.add_guest(db, meeting, "Gerda Gast", allow_non_members=True)
    inv.add_guest(db, meeting, "Walter Spontan", walk_in=True)  # at the door: there already
    assert inv.invite_contacts(db, meeting, [ids["olga"]]).added == 0  # already invited: nothing to confirm
    board = inv.load_board(db, meeting)
    assert board.meeting.members_only
    day = board.meeting.starts_at.date()
    reasons = {r.name: r.non_member_reason(day) for r in board.rows}
    assert reasons == {
        "Anna Apel": "",
        "Olga Ost": "ehemaliges Mitglied",
        "Sina Sprecher": "kein Mitglied",
        "Gerda Gast": "kein Mitglied",
        "Walter Spontan": "kein Mitglied",
    }


def test_a_member_that_leaves_after_the_meeting_is_still_a_member_then(db: Database) -> None:
    ids = make_office(db)
    _members_only(db, ids["meeting"])
    with db.transaction() as s:
        member = s.get(Contact, ids["bernd"]).member  # type: ignore[union-attr]  # made with a member
        assert member is not None
        member.left_on = dt.date(2030, 12, 31)
    assert inv.invite_contacts(db, ids["meeting"], [ids["bernd"]]).added == 1


# --------------------------------------------------------------------------- standing needs


def _needs(db: Database, contact_id: int, needs: str, diet: str) -> None:
    with db.transaction() as s:
        s.execute(update(Contact).where(Contact.id == contact_id).values(needs=needs, diet=diet))


def test_standing_needs_start_every_new_invitation(db: Database) -> None:
    ids = make_office(db)
    meeting = ids["meeting"]
    _needs(db, ids["anna"], "Rollstuhlplatz", "vegetarisch")
    _needs(db, ids["carla"], "Gebärdensprachdolmetschung", "")
    inv.invite_all_members(db, meeting)  # the bulk path
    inv.invite_contacts(db, meeting, [ids["carla"]])
    inv.add_walk_in_contact(db, meeting, ids["speaker"])
    rows = {r.name: r for r in inv.load_board(db, meeting).rows}
    assert (rows["Anna Apel"].assistance, rows["Anna Apel"].diet) == ("Rollstuhlplatz", "vegetarisch")
    assert (rows["Carla Christ"].assistance, rows["Carla Christ"].diet) == ("Gebärdensprachdolmetschung", "")
    assert (rows["Bernd Bauer"].assistance, rows["Bernd Bauer"].diet) == ("", "")
    inv.set_response(db, rows["Anna Apel"], ACCEPTED)  # the one-key reply keeps what was proposed
    board = inv.load_board(db, meeting)
    assert inv.assistance_list(board.rows) == [("Anna Apel", "Arbeiterwohlfahrt Apolda", "Rollstuhlplatz")]
    assert inv.catering_summary(board.rows).vegetarian == 1
    anna = next(r for r in board.rows if r.name == "Anna Apel")
    inv.record_reply(db, anna.id, anna.version, inv.ReplyInput(ACCEPTED, assistance="", diet="vegan"))
    board = inv.load_board(db, meeting)  # the reply says otherwise
    assert inv.assistance_list(board.rows) == []
    assert inv.catering_summary(board.rows).vegan == 1


def test_clearing_old_needs_keeps_the_contacts_own_unless_asked(db: Database) -> None:
    ids = make_office(db)
    meeting = ids["meeting"]
    _needs(db, ids["anna"], "Rollstuhlplatz", "vegan")
    inv.invite_all_members(db, meeting)
    today = dt.date(2031, 6, 1)
    assert privacy.clear_old_needs(db, 1, today=today) == 1
    with db.read() as s:
        assert s.scalars(select(Invitation.assistance).where(Invitation.contact_id == ids["anna"])).one() == ""
        anna = s.get(Contact, ids["anna"])
        assert anna is not None
        assert (anna.needs, anna.diet) == ("Rollstuhlplatz", "vegan")
    assert privacy.clear_old_needs(db, 1, today=today, standing_needs=True) == 0
    with db.read() as s:
        anna = s.get(Contact, ids["anna"])
        assert anna is not None
        assert (anna.needs, anna.diet) == ("", "")


# --------------------------------------------------------------------------- exchange


def test_the_exchange_carries_the_waiting_list_and_the_standing_diet(db: Database, tmp_path: Path) -> None:
    ids = make_office(db, capacity=1)
    _needs(db, ids["anna"], "Rollstuhlplatz", "vegan")
    g = _guests(db, ids["meeting"], ["Anton", "Berta"])
    _reply(db, g["Anton"], ACCEPTED)
    _reply(db, g["Berta"], ACCEPTED)
    data = exchange.export_office(db)
    other = open_database(tmp_path / "copy.sqlite")
    try:
        exchange.import_office(other, data)
        with other.read() as s:
            anna = s.scalars(select(Contact).where(Contact.last_name == "Apel")).one()
            assert (anna.needs, anna.diet) == ("Rollstuhlplatz", "vegan")
        rows = {r.name: r for r in inv.load_board(other, ids["meeting"]).rows}
        assert rows["Berta"].response == WAITING
        assert rows["Berta"].waitlisted_at is not None
        assert rows["Berta"].waitlisted_at.replace(second=0, microsecond=0) == inv.load_row(
            db, g["Berta"]
        ).waitlisted_at.replace(second=0, microsecond=0)  # type: ignore[union-attr]  # set when it waited
        assert_counters_exact(other)
    finally:
        other.dispose()
