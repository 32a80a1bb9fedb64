"""Invitees and their replies (RSVP board), check-in at the door, and the figures the venue and caterer need.

Invitees have one read model (`Invitee`, from `invitees`/`load_board`) named and addressed by the one rule
of `addressing`, for the board, every meeting document and the e-mail drafts alike. It is read with one
joined query into plain rows, so a 2,000-invitee meeting opens fast; each write is its own short transaction
carrying the version the desk saw (optimistic locking), so two desks taking phone calls never overwrite each
other silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement, CursorResult, Row, Select, Table, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from geschaeftsstelle import reply_codes
from geschaeftsstelle.addressing import Addressee, contact_addressee, greeting, one_line
from geschaeftsstelle.errors import ConflictError, FieldError, UserError, ValidationError
from geschaeftsstelle.meeting_notices import mark_announced
from geschaeftsstelle.meetings import validate_invitation
from geschaeftsstelle.member_import import _insert_many as insert_many
from geschaeftsstelle.search import fold, search_fold
from geschaeftsstelle.store.audit import current_user
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AuditEntry,
    Channel,
    Contact,
    Invitation,
    Meeting,
    MeetingStatus,
    Member,
    Response,
    SalutationStyle,
    meeting_speakers,
    member_tags,
)
from geschaeftsstelle.store.records import clean_text, conflict_message, existing, load_for_update, row_lock

DELETED_CONTACT = "(Kontakt gelöscht)"


# --------------------------------------------------------------------------- the invitee read model


@dataclass(frozen=True)
class Invitee:
    """One invitee as everybody reads it: the RSVP board, every meeting document and the e-mail drafts.

    `name` and `organisation` follow the one addressing rule (`addressing.Addressee.display_name`: the person,
    else the member or organisation), `addressee` is the contact as letters address and greet it (None for a
    guest without a contact record or a deleted contact). Reply fields are as stored; the documents prepare
    them for print themselves."""

    id: int
    version: int
    contact_id: int | None
    name: str
    organisation: str
    email: str
    phone: str
    response: str
    persons: int
    attendee_names: tuple[str, ...]
    assistance: str
    diet: str
    channel: str | None
    sent_on: dt.date | None
    responded_on: dt.date | None
    attended: bool | None
    notes: str
    search_text: str
    addressee: Addressee | None = None
    # The waiting list and membership (issue 16.3, 16.4): when the acceptance went onto the Warteliste and
    # when a freed place went to it; whether the contact belongs to a member and when that member left.
    waitlisted_at: dt.datetime | None = None
    moved_up_at: dt.datetime | None = None
    has_member: bool = False
    member_left_on: dt.date | None = None
    #: Printed on the letter and the reply form (canonical form; `reply_codes.printed` groups it).
    reply_code: str = ""

    def non_member_reason(self, on: dt.date) -> str:
        """Why this invitee is no member on the day `on` („ehemaliges Mitglied“, „kein Mitglied“), else ""."""
        if self.has_member:
            return "ehemaliges Mitglied" if self.member_left_on is not None and self.member_left_on <= on else ""
        return "kein Mitglied"

    @property
    def is_walk_in(self) -> bool:
        return self.contact_id is None and self.name != DELETED_CONTACT

    @property
    def is_deleted_contact(self) -> bool:
        """Invited as a contact that has been deleted since (the invitation stays for the figures)."""
        return self.contact_id is None and self.name == DELETED_CONTACT

    def greeting(self, style: str = SalutationStyle.FORMAL.value) -> str:
        """The letters' and e-mails' greeting; a guest without a contact record is greeted as everyone."""
        return greeting(style, self.addressee)


#: The name the RSVP board reads an invitee by.
BoardRow = Invitee


@dataclass(frozen=True)
class MeetingHead:
    id: int
    version: int
    title: str
    starts_at: dt.datetime
    status: str
    capacity: int | None
    registration_deadline: dt.date | None
    members_only: bool = False


@dataclass
class Board:
    meeting: MeetingHead
    rows: list[BoardRow]


def _search_key(name: str, organisation: str, attendees: list[str] | None) -> str:
    """Folded organisation, name and attendee names; also the board's sort key (organisation, then name)."""
    key = f"{search_fold(organisation)} | {search_fold(name)}"
    return f"{key} | {search_fold(' '.join(attendees))}" if attendees else key


_member = aliased(Member)
#: What the read model selects: plain columns (no ORM objects: a 2,000-invitee board opens in one pass).
_INVITEE_COLUMNS = (
    Invitation.id, Invitation.version, Invitation.contact_id, Invitation.guest_name, Invitation.guest_organisation,
    Invitation.response, Invitation.persons, Invitation.attendee_names, Invitation.assistance, Invitation.diet,
    Invitation.channel, Invitation.sent_on, Invitation.responded_on, Invitation.attended, Invitation.notes,
    Contact.email, Contact.phone, Contact.salutation, Contact.title, Contact.first_name, Contact.last_name,
    Contact.organisation, Contact.street, Contact.postal_code, Contact.city, Contact.country,
    _member.id, _member.name, _member.street, _member.postal_code, _member.city, _member.country,
    Invitation.reply_code,
)  # fmt: skip


#: The waiting list's and the membership's columns, read after `_INVITEE_COLUMNS`.
_WAITING_COLUMNS = (Invitation.waitlisted_at, Invitation.moved_up_at, _member.left_on)


def _invitee_query() -> Select[*tuple[Any, ...]]:
    """Run it on the session's connection (`_read_invitees`): plain rows, without the ORM's result layer."""
    return (
        select(*_INVITEE_COLUMNS, *_WAITING_COLUMNS)
        .outerjoin(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(_member, Contact.member_id == _member.id)
    )


def _invitee(r: Row[*tuple[Any, ...]] | tuple[Any, ...]) -> Invitee:
    """One result row of `_invitee_query` read by the addressing rule."""
    waitlisted_at, moved_up_at, member_left_on = r[len(_INVITEE_COLUMNS) :]
    r = r[: len(_INVITEE_COLUMNS)]  # the addressing columns, as they were before the waiting list's
    (inv_id, version, contact_id, guest_name, guest_organisation, response, persons, attendee_names, assistance,
     diet, channel, sent_on, responded_on, attended, notes, email, phone, salutation, title, first_name, last_name,
     organisation, street, postal_code, city, country, member_id, *member, reply_code) = r  # fmt: skip
    addressee: Addressee | None
    if contact_id is not None:
        addressee = contact_addressee(
            (salutation, title, first_name, last_name),
            organisation,
            (street, postal_code, city, country),
            tuple(member) if member_id is not None else None,
        )
        name, organisation = addressee.display_name, addressee.organisation
    else:
        addressee = None
        name, organisation = one_line(guest_name) or DELETED_CONTACT, one_line(guest_organisation)
    return Invitee(
        id=inv_id,
        version=version,
        contact_id=contact_id,
        name=name,
        organisation=organisation,
        email=email or "",
        phone=phone or "",
        response=response,
        persons=persons,
        attendee_names=tuple(attendee_names or ()),
        assistance=assistance or "",
        diet=diet or "",
        channel=channel,
        sent_on=sent_on,
        responded_on=responded_on,
        attended=attended,
        notes=notes or "",
        search_text=_search_key(name, organisation, attendee_names),
        addressee=addressee,
        reply_code=reply_code,
        waitlisted_at=waitlisted_at,
        moved_up_at=moved_up_at,
        has_member=member_id is not None,
        member_left_on=member_left_on,
    )


def invitees(
    db: Database, meeting_id: int, invitation_ids: Collection[int] | None = None, *, with_email: bool = False
) -> list[Invitee]:
    """The meeting's invitees in the order they were invited; only `invitation_ids` when given, only those
    whose contact has an e-mail address with `with_email`."""
    query = _invitee_query().where(Invitation.meeting_id == meeting_id).order_by(Invitation.id)
    if invitation_ids is not None:
        query = query.where(Invitation.id.in_(list(invitation_ids)))
    if with_email:
        query = query.where(Contact.email.is_not(None), Contact.email != "")
    with db.read() as s:
        return _read_invitees(s, query)


def _read_invitees(s: Session, query: Select[*tuple[Any, ...]]) -> list[Invitee]:
    """Columns only, so Core's result rows are all we need: a third faster than the session's for 2,000 rows."""
    return [_invitee(r) for r in s.connection().execute(query)]


def load_board(db: Database, meeting_id: int) -> Board:
    """The meeting's head data and every invitee, sorted by organisation then name."""
    with db.read() as s:
        meeting = _open_meeting(s, meeting_id)
        head = _head(meeting)
        rows = _read_invitees(s, _invitee_query().where(Invitation.meeting_id == meeting_id))
    rows.sort(key=lambda r: (r.search_text, r.id))
    return Board(head, rows)


def load_row(db: Database, invitation_id: int) -> BoardRow:
    with db.read() as s:
        return _row_in(s, invitation_id)


def find_by_code(db: Database, code: str) -> Invitee:
    """The invitee whose letter carries `code` (as typed or scanned: any case, spaces, hyphens). A code with a
    wrong check character is refused by `reply_codes.check` before the database is asked."""
    canonical = reply_codes.check(code)
    with db.read() as s:
        found = _read_invitees(s, _invitee_query().where(Invitation.reply_code == canonical))
    if not found:
        raise UserError(f"Den Code „{reply_codes.printed(canonical)}“ gibt es nicht (Prüfzeichen falsch?).")
    return found[0]


def meeting_of(db: Database, invitation_id: int) -> MeetingHead:
    """The head data of the invitation's meeting (the reply entry shows it beside the invitee)."""
    with db.read() as s:
        meeting = existing(
            s.scalars(
                select(Meeting)
                .join(Invitation, Invitation.meeting_id == Meeting.id)
                .where(Invitation.id == invitation_id)
            ).one_or_none(),
            "Die Einladung gibt es nicht (mehr).",
        )
        return _head(meeting)


def _head(meeting: Meeting) -> MeetingHead:
    return MeetingHead(
        meeting.id,
        meeting.version,
        meeting.title,
        meeting.starts_at,
        meeting.status,
        meeting.capacity,
        meeting.registration_deadline,
        meeting.members_only,
    )


def _row_in(s: Session, invitation_id: int) -> BoardRow:
    """The board row as saved, read in the writing session itself (no second round trip to open one)."""
    found = _read_invitees(s, _invitee_query().where(Invitation.id == invitation_id))
    if not found:
        raise UserError("Die Einladung gibt es nicht (mehr).")
    return found[0]


# --------------------------------------------------------------------------- inviting


@dataclass
class InviteResult:
    """What an invite action did: how many were added, who was already invited, who could not be."""

    added: int = 0
    already: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def message(self) -> str:
        parts = [f"{self.added} eingeladen."]
        if self.already:
            parts.append(f"{len(self.already)} bereits eingeladen: {', '.join(self.already[:5])}")
            if len(self.already) > 5:
                parts[-1] += " …"
        parts.extend(self.problems)
        return " ".join(parts)


def _open_meeting(s: Session, meeting_id: int) -> Meeting:
    return existing(s.get(Meeting, meeting_id), "Den Termin gibt es nicht (mehr).")


#: What an invite query selects: the contact and what its name in a message is made of.
_INVITEE = (Contact.id, Contact.title, Contact.first_name, Contact.last_name, Contact.organisation)


#: An invite query: the contacts to invite, as `_INVITEE`.
InviteQuery = Select[int, str, str, str, str | None]


def _invite(
    db: Database,
    meeting_id: int,
    contacts_query: InviteQuery,
    problems: list[str] | None = None,
    *,
    allow_non_members: bool = False,
) -> InviteResult:
    """Invite the contacts `contacts_query` selects (columns `_INVITEE`, in the order of the invitations).

    One INSERT … ON CONFLICT DO NOTHING writes them all, each with a fresh reply code; the database skips
    whoever is already invited, also by another desk inviting at the same moment (PostgreSQL waits for that
    transaction, then skips), so no desk gets a duplicate-key error and the skipped are reported as already
    invited.
    The change log gets the entries an ORM insert gets, written in bulk like member_import does."""
    result = InviteResult(problems=problems or [])
    with db.transaction() as s:
        meeting = _open_meeting(s, meeting_id)
        names: dict[int, tuple[str, str]] = {}  # contact id → (full name, name in messages), in query order
        for row in s.execute(contacts_query):
            if row[0] not in names:
                names[row[0]] = _names(*row)
        if not names:
            return result
        if meeting.members_only and not allow_non_members:
            _refuse_non_members(s, meeting, names)
        written = _insert_with_codes(s, meeting_id, list(names))  # contact id → (invitation id, reply code)
        new = {contact: invitation for contact, (invitation, _code) in written.items()}
        _propose_standing_needs(s, list(new.values()))
        result.added = len(new)
        result.already = [label for contact_id, (_, label) in names.items() if contact_id not in new]
        if new and s.info.get("audit", True):
            invited = sorted(written.items(), key=lambda item: item[1])  # by invitation id, as the ORM writes them
            _log_new_invitations(s, meeting_id, [(i, c, code, names[c][0]) for c, (i, code) in invited])
    return result


class NonMemberError(UserError):
    """A members-only meeting and invitees who are no members: refused until the user confirms (the window
    asks, the command line wants --allow-non-members). `names` are „Name (ehemaliges Mitglied)“ …"""

    def __init__(self, title: str, names: list[str]) -> None:
        shown = ", ".join(names[:8]) + (f" und {len(names) - 8} weitere" if len(names) > 8 else "")
        super().__init__(
            f"„{title}“ ist nur für Mitglieder; nicht eingeladen: {shown}. Zum Einladen bitte ausdrücklich "
            "bestätigen (Kommandozeile: --allow-non-members)."
        )
        self.names = names


def _refuse_non_members(s: Session, meeting: Meeting, names: Mapping[int, tuple[str, str]]) -> None:
    """Raise NonMemberError for contacts not yet invited that belong to no member, or to one that has left
    by the meeting's day."""
    day = meeting.starts_at.date()
    query = (
        select(Contact.id, Member.id)
        .outerjoin(Member, Contact.member_id == Member.id)
        .where(Contact.id.in_(list(names)))
        .where(sa.or_(Member.id.is_(None), sa.and_(Member.left_on.is_not(None), Member.left_on <= day)))
        .where(
            ~sa.exists().where(Invitation.meeting_id == meeting.id, Invitation.contact_id == Contact.id)
        )
    )
    outside = {contact_id: member_id for contact_id, member_id in s.execute(query)}
    if outside:
        raise NonMemberError(
            meeting.title,
            [
                f"{label} ({'ehemaliges Mitglied' if outside[cid] is not None else 'kein Mitglied'})"
                for cid, (_, label) in names.items()
                if cid in outside
            ],
        )


def _propose_standing_needs(s: Session, invitation_ids: list[int]) -> None:
    """A new invitation starts with its contact's standing needs (assistance, diet); the reply may change
    them. One UPDATE for those whose contact has any (there are few)."""
    if not invitation_ids:
        return
    contact = aliased(Contact)
    needs = select(contact.needs).where(contact.id == Invitation.contact_id).scalar_subquery()
    diet = select(contact.diet).where(contact.id == Invitation.contact_id).scalar_subquery()
    has_needs = sa.exists().where(
        contact.id == Invitation.contact_id, sa.or_(contact.needs != "", contact.diet != "")
    )
    for i in range(0, len(invitation_ids), 1000):
        chunk = invitation_ids[i : i + 1000]
        s.execute(
            sa.update(Invitation)
            .where(Invitation.id.in_(chunk), has_needs)
            .values(assistance=sa.func.coalesce(needs, ""), diet=sa.func.coalesce(diet, "")),
            execution_options={"synchronize_session": False},
        )


def _insert_with_codes(s: Session, meeting_id: int, contact_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Open invitations of `contact_ids` with fresh reply codes, INSERT … ON CONFLICT DO NOTHING; → contact →
    (invitation id, reply code) for those written (whoever is already invited, also by another desk meanwhile,
    is skipped).

    The codes are drawn in Python (the database cannot compute the check character) and checked against
    those stored. Should another desk take one of them at the same moment, or delete one of the contacts
    (PostgreSQL), the unique or foreign key check fails: the savepoint is undone and the insert repeated
    with new codes for the contacts still there."""
    insert_ = postgresql_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_(Invitation)
        .on_conflict_do_nothing(index_elements=["meeting_id", "contact_id"])
        .returning(Invitation.contact_id, Invitation.id, Invitation.reply_code)
    )
    open_ = Response.OPEN.value
    for attempt in range(_CODE_ATTEMPTS):
        if attempt:
            contact_ids = list(s.scalars(select(Contact.id).where(Contact.id.in_(contact_ids))))
        rows = [
            {"meeting_id": meeting_id, "contact_id": contact_id, "response": open_, "persons": 1,
             "attendee_names": [], "assistance": "", "diet": "", "notes": "", "reply_code": code}
            for contact_id, code in zip(contact_ids, _fresh_codes(s, len(contact_ids)), strict=True)
        ]  # fmt: skip
        if not rows:
            return {}
        try:
            with s.begin_nested():
                written = s.execute(statement, rows)
                return {contact: (invitation, code) for contact, invitation, code in written if contact}
        except IntegrityError:
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


#: How often a write draws new reply codes after a collision with another desk's (each time ~0 likely).
_CODE_ATTEMPTS = 5


def _fresh_codes(s: Session, count: int) -> list[str]:
    """`count` new reply codes none of which is stored yet (asked in batches of 1,000)."""
    codes = reply_codes.new_codes(count)
    while True:
        taken: set[str] = set()
        for i in range(0, len(codes), 1000):
            chunk = codes[i : i + 1000]
            taken.update(s.scalars(select(Invitation.reply_code).where(Invitation.reply_code.in_(chunk))))
        if not taken:
            return codes
        replacements = iter(reply_codes.new_codes(len(taken), taken.union(codes)))
        codes = [next(replacements) if c in taken else c for c in codes]


def _names(contact_id: int, title: str, first: str, last: str, organisation: str | None) -> tuple[str, str]:
    """(full name as `Contact.full_name`, the name an invite message shows)."""
    full_name = " ".join(p for p in (title, first, last) if p)
    return full_name, full_name or organisation or f"Kontakt {contact_id}"


def _log_new_invitations(s: Session, meeting_id: int, invited: list[tuple[int, int, str, str]]) -> None:
    """The change log entries of new open invitations, as `audit.changes_of` records an insert: every
    filled field from nothing to its value; the label as `audit.label_of` means it, „Name – Termin id“."""
    now = dt.datetime.now().replace(microsecond=0)
    user = (s.info.get("audit_user") or current_user())[:200]
    open_ = Response.OPEN.value  # an enum's .value is a slow property: read once, not 5,000 times
    insert_many(
        s,
        cast(Table, AuditEntry.__table__),
        [
            {
                "at": now,
                "user_name": user,
                "entity": "invitation",
                "entity_id": invitation_id,
                "label": f"{full_name} – Termin {meeting_id}"[:300],
                "action": "insert",
                "changes": {
                    "meeting_id": [None, meeting_id],
                    "contact_id": [None, contact_id],
                    "response": [None, open_],
                    "persons": [None, 1],
                    "reply_code": [None, code],
                },
            }
            for invitation_id, contact_id, code, full_name in invited
        ],
    )


def _active_member_filter(on: dt.date) -> ColumnElement[bool]:
    """Members that have not left by `on`."""
    return (Member.left_on.is_(None)) | (Member.left_on > on)


def invite_all_members(db: Database, meeting_id: int) -> InviteResult:
    """The primary contact of every member that has not left by the meeting date."""
    meeting_date = get_meeting_date(db, meeting_id)
    with db.read() as s:
        without = list(
            s.scalars(
                select(Member.name)
                .where(_active_member_filter(meeting_date))
                .where(~Member.contacts.any(Contact.is_primary.is_(True)))
                .order_by(Member.name)
            )
        )
    problems = [f"Ohne Hauptansprechperson (nicht eingeladen): {', '.join(without)}."] if without else []
    query = (
        select(*_INVITEE)
        .join(Member, Contact.member_id == Member.id)
        .where(Contact.is_primary.is_(True), _active_member_filter(meeting_date))
        .order_by(Member.name, Member.id)
    )
    return _invite(db, meeting_id, query, problems)


def invite_members_by_tag(db: Database, meeting_id: int, tag: str) -> InviteResult:
    """Primary contacts of the active members carrying `tag` (e.g. „Jugendhilfe“)."""
    meeting_date = get_meeting_date(db, meeting_id)
    query = (
        select(*_INVITEE)
        .join(Member, Contact.member_id == Member.id)
        .join(member_tags, member_tags.c.member_id == Member.id)
        .where(Contact.is_primary.is_(True), member_tags.c.tag == tag.strip(), _active_member_filter(meeting_date))
        .order_by(Member.name, Member.id)
    )
    result = _invite(db, meeting_id, query)
    if result.added == 0 and not result.already:
        result.problems.append(f"Kein aktives Mitglied mit dem Schlagwort „{tag}“ hat eine Hauptansprechperson.")
    return result


def invite_contacts(
    db: Database, meeting_id: int, contact_ids: list[int], *, allow_non_members: bool = False
) -> InviteResult:
    """Single contacts (members' or external); a contact already invited is skipped and reported. For a
    members-only meeting, contacts of no member or of a former one only with `allow_non_members`."""
    with db.read() as s:
        found = set(s.scalars(select(Contact.id).where(Contact.id.in_(contact_ids))))
    missing = [i for i in contact_ids if i not in found]
    problems = [f"{len(missing)} gewählte Kontakte gibt es nicht mehr."] if missing else []
    query = select(*_INVITEE).where(Contact.id.in_(contact_ids)).order_by(Contact.last_name, Contact.first_name)
    return _invite(db, meeting_id, query, problems, allow_non_members=allow_non_members)


def invite_speakers(db: Database, meeting_id: int, *, allow_non_members: bool = False) -> InviteResult:
    """The meeting's speakers (for a members-only meeting, external ones only with `allow_non_members`)."""
    query = (
        select(*_INVITEE)
        .join(meeting_speakers, meeting_speakers.c.contact_id == Contact.id)
        .where(meeting_speakers.c.meeting_id == meeting_id)
        .order_by(meeting_speakers.c.position)
    )
    return _invite(db, meeting_id, query, allow_non_members=allow_non_members)


def add_guest(
    db: Database,
    meeting_id: int,
    name: str,
    organisation: str = "",
    *,
    walk_in: bool = False,
    allow_non_members: bool = False,
) -> int:
    """A person without a contact record (guest or walk-in); a walk-in is checked in at once. A guest invited
    to a members-only meeting is no member: only with `allow_non_members` (a walk-in is there already)."""
    name = clean_text(name or "")
    organisation = clean_text(organisation or "")
    if not name:
        raise ValidationError([FieldError("guest_name", "Der Name fehlt.")])
    if len(name) > 300 or len(organisation) > 300:
        raise ValidationError(
            [FieldError("guest_name", "Name oder Organisation sind zu lang (höchstens 300 Zeichen).")]
        )
    with db.transaction() as s:
        meeting = _open_meeting(s, meeting_id)
        if walk_in:
            _refuse_cancelled(meeting)
        elif meeting.members_only and not allow_non_members:
            raise NonMemberError(meeting.title, [f"{name} (kein Mitglied)"])
        inv = Invitation(
            meeting_id=meeting_id,
            contact_id=None,
            guest_name=name,
            guest_organisation=organisation or None,
            response=Response.ACCEPTED.value if walk_in else Response.OPEN.value,
            persons=1,
            attended=True if walk_in else None,
            channel=Channel.IN_PERSON.value if walk_in else None,
            responded_on=meeting.starts_at.date() if walk_in else None,
        )
        _add_with_code(s, inv)
        return inv.id


def _add_with_code(s: Session, inv: Invitation) -> None:
    """Insert `inv` with a fresh reply code; a code another desk took at the same moment is drawn anew."""
    for attempt in range(_CODE_ATTEMPTS):
        inv.reply_code = reply_codes.new_code()
        try:
            with s.begin_nested():
                s.add(inv)
                s.flush()
            return
        except IntegrityError:
            taken = s.scalar(select(Invitation.id).where(Invitation.reply_code == inv.reply_code))
            if attempt == _CODE_ATTEMPTS - 1 or taken is None:
                raise


def add_walk_in_contact(db: Database, meeting_id: int, contact_id: int) -> int:
    """A known contact turned up uninvited (or invited): invite if needed and check in.

    Idempotent: when two desks check in the same person at the same moment, the second one's invitation
    collides with the first one's (PostgreSQL waits for it, then reports the duplicate); that insert is
    undone by its savepoint and the second desk checks in the invitation the first one wrote."""
    with db.transaction() as s:
        meeting = _open_meeting(s, meeting_id)
        _refuse_cancelled(meeting)
        contact = existing(s.get(Contact, contact_id), "Den gewählten Kontakt gibt es nicht mehr.")
        inv = _invitation_of(s, meeting_id, contact_id)
        if inv is None:
            inv = Invitation(
                meeting_id=meeting_id,
                contact_id=contact_id,
                response=Response.ACCEPTED.value,
                persons=1,
                channel=Channel.IN_PERSON.value,
                responded_on=meeting.starts_at.date(),
                attended=True,
                assistance=contact.needs or "",  # the standing needs, as on every new invitation
                diet=contact.diet or "",
            )
            try:
                _add_with_code(s, inv)
            except IntegrityError:
                inv = _invitation_of(s, meeting_id, contact_id)  # another desk's, committed meanwhile
                if inv is None:
                    raise
        inv.attended = True
        s.flush()
        return inv.id


def _invitation_of(s: Session, meeting_id: int, contact_id: int) -> Invitation | None:
    return s.scalars(
        select(Invitation).where(Invitation.meeting_id == meeting_id, Invitation.contact_id == contact_id)
    ).one_or_none()


def remove_invitations(
    db: Database, versions: Mapping[int, int], *, moved_up: list[int] | None = None
) -> int:
    """Remove the chosen invitations; `versions` maps each invitation id to the version the board showed.
    Places they held go to the waiting list (the ids moved up are added to `moved_up`)."""
    with db.transaction() as s:
        meetings_ = _lock_meetings_of(s, list(versions))
        _load_as_seen(s, versions)
        result = cast(CursorResult[Any], s.execute(delete(Invitation).where(Invitation.id.in_(list(versions)))))
        moved = [i for meeting in meetings_ for i in _move_up(s, meeting)]
        if moved_up is not None:
            moved_up.extend(moved)
        return int(result.rowcount or 0)


def _load_as_seen(s: Session, versions: Mapping[int, int]) -> list[Invitation]:
    """The invitations as the board showed them (locked on PostgreSQL); refused when one is gone or changed."""
    query = select(Invitation).where(Invitation.id.in_(list(versions))).order_by(Invitation.id)
    found = list(s.scalars(query.with_for_update() if row_lock(s) else query))
    if len(found) < len(versions):
        raise ConflictError(
            f"{len(versions) - len(found)} der gewählten Einladungen wurde(n) inzwischen gelöscht; "
            "die Änderung kann nicht gespeichert werden. Bitte neu laden."
        )
    if any(inv.version != versions[inv.id] for inv in found):
        raise ConflictError(conflict_message("Eine der gewählten Einladungen"))
    return found


def record_sent(db: Database, versions: Mapping[int, int], sent_on: dt.date, channel: str) -> int:
    """Note when and how invitations went out (Post, E-Mail, Fax); `versions` maps each invitation id to
    the version the board showed."""
    if channel not in {c.value for c in Channel}:
        raise ValidationError([FieldError("channel", f"Der Versandweg „{channel}“ ist unbekannt.")])
    with db.transaction() as s:
        invitations = _load_as_seen(s, versions)
        for inv in invitations:
            inv.sent_on = sent_on
            inv.channel = channel
        for meeting_id in {inv.meeting_id for inv in invitations}:
            meeting = s.get(Meeting, meeting_id)
            if meeting is not None and meeting.announced_starts_at is None:
                mark_announced(meeting)
        return len(invitations)


def get_meeting_date(db: Database, meeting_id: int) -> dt.date:
    with db.read() as s:
        starts = s.scalar(select(Meeting.starts_at).where(Meeting.id == meeting_id))
    if starts is None:
        raise UserError("Den Termin gibt es nicht (mehr).")
    return starts.date()


# --------------------------------------------------------------------------- replies and check-in


@dataclass
class ReplyInput:
    response: str
    persons: int = 1
    attendee_names: list[str] = field(default_factory=list)
    assistance: str = ""
    diet: str = ""
    channel: str | None = None
    responded_on: dt.date | None = None
    notes: str = ""


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise UserError(f"„{meeting.title}“ ist abgesagt; Rückmeldungen und Anwesenheit werden nicht mehr erfasst.")


def record_reply(
    db: Database, invitation_id: int, version: int | None, reply: ReplyInput, *, moved_up: list[int] | None = None
) -> BoardRow:
    """Store one reply; refused for a cancelled meeting or when another desk changed the row meanwhile.

    With a capacity: an acceptance that no longer fits goes onto the Warteliste (in order of arrival); a
    place this reply frees goes to the first waiting that fit (their ids are added to `moved_up`, for the
    "Platz frei" letters). An acceptance already held keeps its place when persons are added (the board
    warns). The meeting is locked first, so two desks deciding about the last places queue up."""
    if isinstance(reply.persons, bool) or not isinstance(reply.persons, int):
        raise ValidationError([FieldError("persons", "Die Zahl der Personen muss eine ganze Zahl sein.")])
    with db.transaction() as s:
        meeting = next(iter(_lock_meetings_of(s, [invitation_id])), None)
        inv = load_for_update(s, Invitation, invitation_id, version, "Die Einladung")
        _refuse_cancelled(meeting or _open_meeting(s, inv.meeting_id))
        before = inv.response
        taken = (
            _accepted_persons(s, inv.meeting_id, except_id=inv.id)
            if meeting is not None and meeting.capacity is not None and reply.response == Response.ACCEPTED.value
            else 0
        )
        inv.response = reply.response
        inv.persons = reply.persons
        inv.attendee_names = [clean_text(n) for n in reply.attendee_names if clean_text(n)]
        inv.assistance = clean_text(reply.assistance)
        inv.diet = clean_text(reply.diet)
        if reply.channel is not None:
            inv.channel = reply.channel
        inv.responded_on = reply.responded_on or (dt.date.today() if reply.response != Response.OPEN.value else None)
        inv.notes = clean_text(reply.notes)
        if errors := validate_invitation(inv):
            raise ValidationError(errors)
        if len(inv.attendee_names) > max(inv.persons, 1):
            raise ValidationError([FieldError("attendee_names", "Es sind mehr Namen als Personen angegeben.")])
        if meeting is not None:
            _place(inv, before, meeting.capacity, taken)
        s.flush()
        if meeting is not None and (moved := _move_up(s, meeting)) and moved_up is not None:
            moved_up.extend(moved)
    return load_row(db, invitation_id)


def set_response(
    db: Database, row: BoardRow, response: str, channel: str | None = None, *, moved_up: list[int] | None = None
) -> BoardRow:
    """The one-key reply of the board: keep persons and notes, change only the response."""
    persons = row.persons
    if response == Response.ACCEPTED.value and persons == 0:
        persons = 1
    reply = ReplyInput(
        response=response,
        persons=persons,
        attendee_names=list(row.attendee_names),
        assistance=row.assistance,
        diet=row.diet,
        channel=channel or row.channel,
        responded_on=dt.date.today() if response != Response.OPEN.value else None,
        notes=row.notes,
    )
    return record_reply(db, row.id, row.version, reply, moved_up=moved_up)


def check_in(db: Database, invitation_id: int, version: int | None, attended: bool | None) -> BoardRow:
    """Mark as there (or not); two desks checking in the same person at once both succeed."""
    with db.transaction() as s:
        current = s.get(Invitation, invitation_id, with_for_update=row_lock(s))
        if current is not None and current.attended is attended and attended is not None:
            return _row_in(s, invitation_id)  # already checked in (or out) by another desk: nothing to do
        inv = load_for_update(s, Invitation, invitation_id, version, "Die Einladung")
        _refuse_cancelled(_open_meeting(s, inv.meeting_id))
        inv.attended = attended
        s.flush()
        return _row_in(s, invitation_id)


# --------------------------------------------------------------------------- the waiting list


def _lock_meetings_of(s: Session, invitation_ids: list[int]) -> list[Meeting]:
    """The meetings of these invitations, locked (PostgreSQL) before any invitation is: every desk takes the
    meeting first, so a reply and a move up from the waiting list never wait on each other crosswise."""
    ids = sorted(set(s.scalars(select(Invitation.meeting_id).where(Invitation.id.in_(invitation_ids)))))
    query = select(Meeting).where(Meeting.id.in_(ids)).order_by(Meeting.id)
    return list(s.scalars(query.with_for_update() if row_lock(s) else query))


def _accepted_persons(s: Session, meeting_id: int, except_id: int | None = None) -> int:
    query = select(sa.func.coalesce(sa.func.sum(Invitation.persons), 0)).where(
        Invitation.meeting_id == meeting_id, Invitation.response == Response.ACCEPTED.value
    )
    if except_id is not None:
        query = query.where(Invitation.id != except_id)
    return int(s.scalar(query) or 0)


def _place(inv: Invitation, before: str, capacity: int | None, taken: int) -> None:
    """A new acceptance that does not fit into the places left (`capacity - taken`) waits; one that waited
    and now fits has moved up; a waiting one keeps its place in the list."""
    now = dt.datetime.now()
    accepted, waiting = Response.ACCEPTED.value, Response.WAITLISTED.value
    if inv.response == accepted and before != accepted and capacity is not None:
        if taken + inv.persons > capacity:
            inv.response = waiting
            if before != waiting:
                inv.waitlisted_at = now
        elif before == waiting:
            inv.moved_up_at = now
    elif inv.response == waiting and before != waiting:
        inv.waitlisted_at = now


def _move_up(s: Session, meeting: Meeting) -> list[int]:
    """Give the free places to the waiting, in order of arrival: each one whose persons fit moves up (a
    larger party further up waits for more places). Returns the ids moved up."""
    if meeting.capacity is None or meeting.status == MeetingStatus.CANCELLED.value:
        return []
    free = meeting.capacity - _accepted_persons(s, meeting.id)
    if free <= 0:
        return []
    query = (
        select(Invitation)
        .where(Invitation.meeting_id == meeting.id, Invitation.response == Response.WAITLISTED.value)
        .order_by(Invitation.waitlisted_at.is_(None), Invitation.waitlisted_at, Invitation.id)
    )
    moved: list[int] = []
    now = dt.datetime.now()
    for waiting in s.scalars(query.with_for_update() if row_lock(s) else query):
        persons = max(waiting.persons, 1)
        if persons <= free:
            waiting.response = Response.ACCEPTED.value
            waiting.persons = persons
            waiting.moved_up_at = now
            free -= persons
            moved.append(waiting.id)
            if free <= 0:
                break
    s.flush()
    return moved


def fill_free_places(db: Database, meeting_id: int) -> list[int]:
    """After the capacity was raised: the free places go to the waiting list; returns the ids moved up."""
    with db.transaction() as s:
        query = select(Meeting).where(Meeting.id == meeting_id)
        meeting = existing(
            s.scalars(query.with_for_update() if row_lock(s) else query).one_or_none(),
            "Den Termin gibt es nicht (mehr).",
        )
        _refuse_cancelled(meeting)
        return _move_up(s, meeting)


def waiting_list(rows: Collection[Invitee]) -> list[Invitee]:
    """The waiting invitees in the order they arrived (position 1 first)."""
    waiting = [r for r in rows if r.response == Response.WAITLISTED.value]
    return sorted(waiting, key=lambda r: (r.waitlisted_at is None, r.waitlisted_at or dt.datetime.min, r.id))


def waiting_positions(rows: Collection[Invitee]) -> dict[int, int]:
    """Invitation id → place on the waiting list (1, 2, …)."""
    return {r.id: n for n, r in enumerate(waiting_list(rows), start=1)}


def places_left(head: MeetingHead, rows: Collection[Invitee]) -> int | None:
    """Free places (persons) of a meeting with a capacity; None without one. Never below 0."""
    if head.capacity is None:
        return None
    taken = sum(r.persons for r in rows if r.response == Response.ACCEPTED.value)
    return max(head.capacity - taken, 0)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class RsvpSummary:
    invited: int
    accepted: int
    accepted_persons: int
    declined: int
    open: int
    tentative: int
    attended: int
    warnings: tuple[str, ...]

    def header(self) -> str:
        return (
            f"{self.invited} eingeladen · {self.accepted} Zusagen ({self.accepted_persons} Pers.) · "
            f"{self.declined} Absagen · {self.tentative} unter Vorbehalt · {self.open} offen"
        )


def summarize(head: MeetingHead, rows: list[BoardRow], today: dt.date | None = None) -> RsvpSummary:
    """Header figures and warnings (deadline passed with open replies, more persons than places)."""
    today = today or dt.date.today()
    counts = dict.fromkeys((r.value for r in Response), 0)
    persons = 0
    attended = 0
    for r in rows:
        counts[r.response] = counts.get(r.response, 0) + 1
        if r.response == Response.ACCEPTED.value:
            persons += r.persons
        if r.attended:
            attended += 1
    warnings = []
    open_count = counts[Response.OPEN.value]
    if head.registration_deadline is not None and head.registration_deadline < today and open_count:
        warnings.append(
            f"Der Anmeldeschluss ({head.registration_deadline:%d.%m.%Y}) ist vorbei, "
            f"{open_count} Rückmeldungen sind noch offen."
        )
    if head.capacity is not None and persons > head.capacity:
        warnings.append(f"{persons} Personen haben zugesagt, es gibt aber nur {head.capacity} Plätze.")
    if head.status == MeetingStatus.CANCELLED.value:
        warnings.append("Der Termin ist abgesagt.")
    return RsvpSummary(
        invited=len(rows),
        accepted=counts[Response.ACCEPTED.value],
        accepted_persons=persons,
        declined=counts[Response.DECLINED.value],
        open=open_count,
        tentative=counts[Response.TENTATIVE.value],
        attended=attended,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class CateringSummary:
    persons: int
    vegetarian: int
    vegan: int
    other: int
    other_notes: tuple[str, ...]

    @property
    def regular(self) -> int:
        return max(self.persons - self.vegetarian - self.vegan - self.other, 0)

    def text(self) -> str:
        line = (
            f"{self.persons} Personen: {self.regular} ohne besondere Wünsche, {self.vegetarian} vegetarisch, "
            f"{self.vegan} vegan, {self.other} sonstige"
        )
        if self.other_notes:
            line += " (" + "; ".join(self.other_notes) + ")"
        return line


_LEADING_COUNT = re.compile(r"^\s*(\d{1,2})\s*(?:x|×|mal)?\s*", re.IGNORECASE)


def _meal_count(row: BoardRow) -> int:
    """`2x vegetarisch` means two of the reply's persons; a plain `vegan` means all of them."""
    match = _LEADING_COUNT.match(row.diet)
    if match:
        return min(int(match.group(1)), row.persons)
    return row.persons


def catering_summary(rows: list[BoardRow]) -> CateringSummary:
    """Meals for the accepted persons; diet notes are read as vegan, vegetarian or other."""
    persons = vegetarian = vegan = other = 0
    notes: list[str] = []
    for r in rows:
        if r.response != Response.ACCEPTED.value:
            continue
        persons += r.persons
        diet = fold(r.diet)
        if not diet:
            continue
        count = _meal_count(r)
        if "vegan" in diet:
            vegan += count
        elif "vegetar" in diet:
            vegetarian += count
        else:
            other += count
            notes.append(f"{r.name}: {r.diet}")
    return CateringSummary(persons, vegetarian, vegan, other, tuple(notes))


def assistance_list(rows: list[BoardRow]) -> list[tuple[str, str, str]]:
    """(name, organisation, need) of accepted or tentative invitees with assistance needs, for the venue."""
    wanted = (Response.ACCEPTED.value, Response.TENTATIVE.value)
    return [(r.name, r.organisation, r.assistance) for r in rows if r.response in wanted and r.assistance.strip()]


def contact_choices(db: Database) -> list[tuple[int, str]]:
    """(id, „Name – Organisation“) of every contact, for pickers and the walk-in completer."""
    query = (
        select(Contact.id, Contact.title, Contact.first_name, Contact.last_name, Contact.organisation, Member.name)
        .outerjoin(Member, Contact.member_id == Member.id)
        .order_by(Contact.last_name, Contact.first_name, Contact.id)
    )
    with db.read() as s:
        result = []
        for cid, title, first, last, organisation, member_name in s.execute(query):
            name = " ".join(p for p in (title, first, last) if p)
            org = member_name or organisation or ""
            result.append((cid, f"{name} – {org}" if name and org else name or org))
        return result


def tags_in_use(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(member_tags.c.tag).distinct().order_by(member_tags.c.tag)))
