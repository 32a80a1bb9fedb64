"""Everything a meeting's documents print, as plain data read through the services (the invitees through the
invitations service's read model, named and addressed by its one rule).

Text is prepared for print here: a one-line field (title, names, places) is one line (`one_line`), a text of
several lines has LF line ends (`text_block`), however it was typed, pasted or imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from geschaeftsstelle import invitations, meetings
from geschaeftsstelle.addressing import one_line, without_soft_hyphens
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.invitations import Invitee
from geschaeftsstelle.meeting_notices import Change, changes_since_announced
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AgendaKind,
    Meeting,
    MeetingStatus,
    Office,
    SalutationStyle,
)


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


def text_block(value: str | None) -> str:
    """A text of several lines with LF line ends: CRLF and a lone CR (old Mac files, some web forms) become LF,
    so that a CR neither glues two words (esc() drops it) nor hides a blank line between paragraphs. Soft
    hyphens go, as in one-line fields."""
    return without_soft_hyphens(value).replace("\r\n", "\n").replace("\r", "\n")


def _meeting_data(m: Meeting, invitees: tuple[Invitee, ...] = ()) -> MeetingData:
    v = m.venue
    place = one_line(f"{v.postal_code} {v.city}") if v else ""
    return MeetingData(
        id=m.id,
        title=one_line(m.title),
        kind=m.kind,
        status=m.status,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        venue_name=one_line(v.name) if v else "",
        venue_address=", ".join(p for p in (one_line(v.street), place) if p) if v else "",
        topic=text_block(m.topic),
        description=text_block(m.description),
        registration_deadline=m.registration_deadline,
        registration_contact=one_line(m.registration_contact) or None,
        members_only=m.members_only,
        fee=m.fee,
        catering=text_block(m.catering),
        speakers=tuple(one_line(c.full_name or c.organisation) for c in m.speakers),
        agenda=tuple(
            AgendaLine(a.time, one_line(a.title), one_line(a.presenter) or None, a.end_time, a.kind) for a in m.agenda
        ),
        invitees=invitees,
        salutation_style=m.salutation_style,
        subject=one_line(m.subject),
        letter_date=m.letter_date,
        signatories=tuple(
            Signatory(one_line(name), one_line(role))
            for name, role in ((m.signatory, m.signatory_role), (m.signatory2, m.signatory2_role))
            if one_line(name)
        ),
        venue_accessible=bool(v and v.accessible),
        venue_directions=one_line(v.directions_url) if v else "",
        venue_notes=text_block(v.notes) if v and m.print_venue_notes else "",
        changes=tuple(Change(c.label, one_line(c.before), one_line(c.after)) for c in changes_since_announced(m)),
    )


def _for_print(i: Invitee) -> Invitee:
    """The invitee with its reply texts as print takes them (attendee names one line each, assistance and diet
    with LF line ends), and no name for a contact deleted since: a blank line to sign, not the board's marker."""
    names = tuple(one_line(n) for n in i.attendee_names)
    assistance, diet = text_block(i.assistance), text_block(i.diet)
    name = "" if i.is_deleted_contact else i.name
    if names == i.attendee_names and assistance == i.assistance and diet == i.diet and name == i.name:
        return i
    return replace(i, attendee_names=names, assistance=assistance, diet=diet, name=name)


def load_meeting(db: Database, meeting_id: int) -> tuple[Office, MeetingData]:
    """The office, the meeting and its invitees, each read through its service (the invitees through the
    invitations service's read model, named and addressed by its one rule)."""
    office = get_office(db)
    try:
        m = meetings.get_meeting(db, meeting_id)
    except UserError:
        raise UserError(f"Einen Termin mit der Nummer {meeting_id} gibt es nicht.") from None
    people = tuple(_for_print(i) for i in invitations.invitees(db, meeting_id))
    return office, _meeting_data(m, people)


def load_year(db: Database, year: int) -> tuple[Office, list[MeetingData]]:
    """A year's meetings with venue, programme and speakers."""
    return get_office(db), [_meeting_data(m) for m in meetings.list_meetings(db, year, with_programme=True)]
