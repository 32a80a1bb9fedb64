"""One invitee read model, one addressing rule: the RSVP board, the meeting documents (letters, labels,
attendance list) and the e-mail drafts name, address and greet every invitee alike, for any contact — empty
or maximal fields, a member's contact or an external one, a guest, a contact deleted since."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from geschaeftsstelle import invitations, members
from geschaeftsstelle.addressing import Addressee, addressee_of, contact_addressee, one_line
from geschaeftsstelle.documents import email_drafts
from geschaeftsstelle.documents import invitations as letters
from geschaeftsstelle.documents.attendance_list import attendees
from geschaeftsstelle.documents.meeting_data import load_meeting
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Meeting, Response, SalutationStyle
from tests import document_strategies as ds

AGREE = settings(
    max_examples=20,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Maximal fields too (no shortening to fit a letter's window: the rule must not depend on print).
ANYONE = ds.person(ds.Hostility(tall_address=True))


def _meeting(db: Database, style: str) -> int:
    with db.transaction() as s:
        m = Meeting(title="Sitzung", starts_at=dt.datetime(2030, 5, 6, 14), ends_at=dt.datetime(2030, 5, 6, 16),
                    salutation_style=style)  # fmt: skip
        s.add(m)
        s.flush()
        return m.id


def _store(db: Database, people: list[ds.Person], style: str) -> tuple[int, list[int]]:
    """A new meeting with `people` invited (each with an e-mail address, so every consumer sees them)."""
    meeting_id = _meeting(db, style)
    contact_ids = []
    for n, p in enumerate(people):
        member_id = members.save_member(db, p.member) if p.member is not None else None
        contact = dataclasses.replace(p.contact, member_id=member_id, email=f"p{n}@example.org")
        contact_ids.append(members.save_contact(db, contact))
    invitations.invite_contacts(db, meeting_id, contact_ids)
    for row in invitations.load_board(db, meeting_id).rows:
        reply = invitations.ReplyInput(Response.ACCEPTED.value, persons=1)
        invitations.record_reply(db, row.id, row.version, reply)
    return meeting_id, contact_ids


def _greetings_in_drafts(db: Database, meeting_id: int, folder: Path) -> dict[int, str]:
    """invitation id → the first line of its e-mail draft's text."""
    found = {}
    for path in email_drafts.write_drafts(db, meeting_id, folder):
        invitation_id = int(path.name.split("_")[2])
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        found[invitation_id] = msg.get_body(("plain",)).get_content().splitlines()[0]  # type: ignore[union-attr]  # a draft always has a text part
    return found


@AGREE
@given(people=st.lists(ANYONE, min_size=1, max_size=4), style=st.sampled_from([s.value for s in SalutationStyle]))
def test_board_letters_and_email_drafts_follow_one_rule(
    db: Database, tmp_path_factory: pytest.TempPathFactory, people: list[ds.Person], style: str
) -> None:
    meeting_id, contact_ids = _store(db, people, style)
    rule = {c: addressee_of(members.get_contact(db, c)) for c in contact_ids}  # the rule, from the stored contact

    board = {r.contact_id: r for r in invitations.load_board(db, meeting_id).rows}
    _office, meeting = load_meeting(db, meeting_id)
    printed = {i.contact_id: i for i in meeting.invitees}
    letter_of = {letter.invitation_id: letter.addressee for letter in letters.select_letters(meeting)}
    mailed = {r.contact_id: r for r in email_drafts.recipients(db, meeting_id)}
    greeted = _greetings_in_drafts(db, meeting_id, tmp_path_factory.mktemp("drafts"))
    listed = {(a.name, a.organisation) for a in attendees(meeting)}

    assert set(board) == set(printed) == set(mailed) == set(rule)
    for contact_id, a in rule.items():
        row = board[contact_id]
        # the board's name, the letter's address and the e-mail's name and greeting: one rule
        assert row.name == a.display_name == printed[contact_id].name == mailed[contact_id].name
        assert row.organisation == a.organisation == printed[contact_id].organisation
        assert row.addressee == printed[contact_id].addressee == letter_of[row.id] == a
        assert greeted[row.id] == a.greeting(style) == row.greeting(style)
        assert (row.name, row.organisation) in listed  # the attendance list (and the badges from it)
        # … and the rule's own promises: one line, the person before the organisation
        assert row.name == (one_line(" ".join((a.title, a.first_name, a.last_name))) or a.organisation)
        assert not any(ch in row.name for ch in "\t\r\n\u2028\u00ad")
        assert a.greeting(style).endswith(",")


def test_a_members_contact_is_named_and_addressed_with_the_member(db: Database) -> None:
    """The three models used to differ here: the board named a nameless contact by its member, the letters by
    the contact's own organisation field, the e-mail drafts by that field or nothing."""
    member = members.MemberInput(name="Lebenshilfe Weimar e. V.", street="Am Anger 2", postal_code="99423", city="Jena")
    member_id = members.save_member(db, member)
    nameless = members.save_contact(
        db, members.ContactInput(last_name="", first_name="", organisation="Geschäftsstelle", member_id=member_id,
                                 email="info@lebenshilfe.example")
    )  # fmt: skip
    meeting_id = _meeting(db, SalutationStyle.COLLEGIAL.value)
    invitations.invite_contacts(db, meeting_id, [nameless])
    [row] = invitations.load_board(db, meeting_id).rows
    [mailed] = email_drafts.recipients(db, meeting_id)
    [printed] = load_meeting(db, meeting_id)[1].invitees
    assert row.name == mailed.name == printed.name == "Lebenshilfe Weimar e. V."
    assert row.addressee == Addressee("", "", "", "", "Lebenshilfe Weimar e. V.", "Am Anger 2", "99423", "Jena")
    assert row.greeting(SalutationStyle.COLLEGIAL.value) == "Liebe Kolleginnen und Kollegen,"


def test_guests_and_deleted_contacts(db: Database) -> None:
    """A guest is named as typed (one line); a deleted contact shows as such on the board and prints as a
    blank line to sign on the attendance list, never as the board's marker."""
    meeting_id = _meeting(db, SalutationStyle.FORMAL.value)
    gone = members.save_contact(db, members.ContactInput(last_name="Weg", first_name="Wilma"))
    invitations.invite_contacts(db, meeting_id, [gone])
    guest = invitations.add_guest(db, meeting_id, "Gerda\tGast", "Verein\nfür Gäste", walk_in=True)
    for row in invitations.load_board(db, meeting_id).rows:
        invitations.record_reply(db, row.id, row.version, invitations.ReplyInput(Response.ACCEPTED.value))
    with db.transaction() as s:
        s.delete(s.get(Contact, gone))
    rows = {r.id: r for r in invitations.load_board(db, meeting_id).rows}
    assert (rows[guest].name, rows[guest].organisation) == ("Gerda Gast", "Verein für Gäste")
    assert rows[guest].is_walk_in
    assert rows[guest].addressee is None
    assert rows[guest].greeting() == "Sehr geehrte Damen und Herren,"
    [deleted] = [r for r in rows.values() if r.id != guest]
    assert deleted.name == invitations.DELETED_CONTACT
    assert deleted.is_deleted_contact
    assert not deleted.is_walk_in
    meeting = load_meeting(db, meeting_id)[1]
    printed = sorted((a.name, a.organisation) for a in attendees(meeting))
    assert printed == [("", ""), ("Gerda Gast", "Verein für Gäste")]
    assert letters.select_letters(meeting) == []
    assert email_drafts.recipients(db, meeting_id) == []


def test_the_query_filters_by_invitation_and_e_mail(db: Database) -> None:
    meeting_id = _meeting(db, SalutationStyle.FORMAL.value)
    ids = [
        members.save_contact(db, members.ContactInput(last_name=name, first_name="", email=mail))
        for name, mail in (("Anders", "a@example.org"), ("Berger", None), ("Conrad", ""))
    ]
    invitations.invite_contacts(db, meeting_id, ids)
    every = invitations.invitees(db, meeting_id)
    assert [i.contact_id for i in every] == ids  # in the order they were invited
    assert [i.name for i in invitations.invitees(db, meeting_id, with_email=True)] == ["Anders"]
    assert [i.name for i in invitations.invitees(db, meeting_id, [every[1].id])] == ["Berger"]
    assert invitations.invitees(db, meeting_id, []) == []


def test_the_columns_rule_equals_the_loaded_contacts_rule() -> None:
    """`contact_addressee` (query columns) and `addressee_of` (a loaded contact) are one rule: an own address
    wins over the member's, and without either there is none (not half of the contact's own)."""
    member = ("Verein", "Hauptstr. 1", "07743", "Jena", "Deutschland")
    person = ("Frau", "Dr.", "Eva", "Weiß")
    own = contact_addressee(person, "Firma", ("Gartenweg 3", "99423", "Weimar", None), member)
    assert (own.organisation, own.street, own.city) == ("Verein", "Gartenweg 3", "Weimar")
    theirs = contact_addressee(person, "Firma", (None, "99999", None, "Polen"), member)
    assert (theirs.street, theirs.postal_code, theirs.country) == ("Hauptstr. 1", "07743", "Deutschland")
    alone = contact_addressee(person, "Firma", (None, "99999", None, "Polen"), None)
    assert (alone.organisation, alone.postal_code, alone.country) == ("Firma", "", "")
    c = Contact(salutation="Frau", title="Dr.", first_name="Eva", last_name="Weiß", organisation="Firma",
                postal_code="99999", country="Polen")  # fmt: skip
    assert addressee_of(c) == alone


_PIECES = st.sampled_from([" ", "  ", "|", "a", "Ü", "x y", "\t", "\n", "\r", "\r\n", "\u00a0", "\u00ad", "\u2028",
                           "\x85", "\x1f", "\u200b", "\u3000", "Kreis\u00adgruppe"])  # fmt: skip
_VALUE = st.lists(_PIECES, max_size=6).map("".join)


def _one_line_by_hand(value: str) -> str:
    """The rule as first written (no fast path): breaks to spaces, runs of spaces to one, no soft hyphens."""
    value = value.replace("\u00ad", "")
    for ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029":
        value = value.replace(ch, " ")
    return " ".join(part for part in value.split(" ") if part).strip()


@settings(max_examples=1000, deadline=None)
@given(values=st.lists(_VALUE, min_size=9, max_size=9))
def test_the_fast_paths_keep_the_one_line_rule(values: list[str]) -> None:
    """`one_line` and `Addressee` skip the cleaning for values already clean; they must clean all others."""
    assert [one_line(v) for v in values] == [_one_line_by_hand(v) for v in values]
    a = Addressee(*values)
    assert list(dataclasses.astuple(a)) == [_one_line_by_hand(v) for v in values]
