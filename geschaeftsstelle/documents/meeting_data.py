"""Everything a meeting's documents print, read in one short session as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.database import Database
from geschaeftsstelle.documents.addressing import Addressee, addressee_of
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meeting_notices import Change, changes_since_announced
from geschaeftsstelle.models import AgendaKind, Contact, Invitation, Meeting, MeetingStatus, Office, SalutationStyle
from geschaeftsstelle.office import get_office


@dataclass(frozen=True)
class AgendaLine:
    time: dt.time | None
    title: str
    presenter: str | None
    end_time: dt.time | None = None
    kind: str = AgendaKind.TOP.value


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


@dataclass(frozen=True)
class Invitee:
    invitation_id: int
    addressee: Addressee | None  # None for a walk-in without a contact record
    name: str
    organisation: str
    response: str
    persons: int
    attendee_names: tuple[str, ...]
    assistance: str
    diet: str
    sent_on: dt.date | None


@dataclass(frozen=True)
class MeetingData:
    id: int
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue_name: str
    venue_address: str
    topic: str
    description: str
    registration_deadline: dt.date | None
    registration_contact: str | None
    members_only: bool
    fee: Decimal | None
    catering: str
    speakers: tuple[str, ...]
    agenda: tuple[AgendaLine, ...]
    invitees: tuple[Invitee, ...] = field(default=())
    salutation_style: str = SalutationStyle.FORMAL.value
    subject: str = ""
    letter_date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()  # empty: the office's signatory signs
    venue_accessible: bool = False
    venue_directions: str = ""
    venue_notes: str = ""  # only when the meeting asks to print them
    changes: tuple[Change, ...] = ()  # since the invitations went out

    @property
    def venue_line(self) -> str:
        return ", ".join(p for p in (self.venue_name, self.venue_address) if p)

    @property
    def is_tentative(self) -> bool:
        return self.status == MeetingStatus.TENTATIVE.value

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED.value


def _meeting_data(m: Meeting, invitees: tuple[Invitee, ...] = ()) -> MeetingData:
    v = m.venue
    return MeetingData(
        id=m.id,
        title=m.title,
        kind=m.kind,
        status=m.status,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        venue_name=v.name if v else "",
        venue_address=", ".join(p for p in (v.street, f"{v.postal_code} {v.city}".strip()) if p) if v else "",
        topic=m.topic,
        description=m.description,
        registration_deadline=m.registration_deadline,
        registration_contact=m.registration_contact,
        members_only=m.members_only,
        fee=m.fee,
        catering=m.catering,
        speakers=tuple(c.full_name or c.organisation or "" for c in m.speakers),
        agenda=tuple(AgendaLine(a.time, a.title, a.presenter, a.end_time, a.kind) for a in m.agenda),
        invitees=invitees,
        salutation_style=m.salutation_style,
        subject=m.subject,
        letter_date=m.letter_date,
        signatories=tuple(
            Signatory(name, role)
            for name, role in ((m.signatory, m.signatory_role), (m.signatory2, m.signatory2_role))
            if name
        ),
        venue_accessible=bool(v and v.accessible),
        venue_directions=(v.directions_url or "") if v else "",
        venue_notes=(v.notes or "") if v and m.print_venue_notes else "",
        changes=changes_since_announced(m),
    )


def load_meeting(db: Database, meeting_id: int) -> tuple[Office, MeetingData]:
    office = get_office(db)
    with db.read() as s:
        m = s.scalars(
            select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(
                selectinload(Meeting.venue),
                selectinload(Meeting.agenda),
                selectinload(Meeting.speakers),
                selectinload(Meeting.invitations).selectinload(Invitation.contact).selectinload(Contact.member),
            )
        ).one_or_none()
        if m is None:
            raise UserError(f"Einen Termin mit der Nummer {meeting_id} gibt es nicht.")
        invitees = []
        for inv in m.invitations:
            c = inv.contact
            if c is not None:
                a = addressee_of(c)
                name, org = c.full_name or (c.organisation or ""), a.organisation
            else:
                a = None
                name, org = inv.guest_name or "", inv.guest_organisation or ""
            invitees.append(
                Invitee(inv.id, a, name, org, inv.response, inv.persons, tuple(inv.attendee_names or ()),
                        inv.assistance, inv.diet, inv.sent_on)
            )  # fmt: skip
        return office, _meeting_data(m, tuple(invitees))


def load_year(db: Database, year: int) -> tuple[Office, list[MeetingData]]:
    office = get_office(db)
    with db.read() as s:
        meetings = s.scalars(
            select(Meeting)
            .where(Meeting.starts_at >= dt.datetime(year, 1, 1), Meeting.starts_at < dt.datetime(year + 1, 1, 1))
            .options(selectinload(Meeting.venue), selectinload(Meeting.agenda), selectinload(Meeting.speakers))
            .order_by(Meeting.starts_at, Meeting.id)
        ).all()
        return office, [_meeting_data(m) for m in meetings]
