"""Meetings, their programme and speakers, and venues: validation, listing and saving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from geschaeftsstelle import validation as v
from geschaeftsstelle.errors import FieldError, UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import too_long
from geschaeftsstelle.store.models import (
    MAX_PERSONS,
    AgendaItem,
    AgendaKind,
    Channel,
    Contact,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingReplyCount,
    MeetingStatus,
    Response,
    SalutationStyle,
    Venue,
)
from geschaeftsstelle.store.records import apply, load_for_update, new_or_loaded

KIND_LABELS = {
    MeetingKind.MEETING: "Sitzung",
    MeetingKind.CONFERENCE: "Konferenz",
    MeetingKind.NETWORK: "Netzwerktreffen",
    MeetingKind.FESTIVAL: "Fest",
    MeetingKind.WORKSHOP: "Workshop",
    MeetingKind.OTHER: "Sonstiges",
}
STATUS_LABELS = {
    MeetingStatus.PLANNED: "geplant",
    MeetingStatus.TENTATIVE: "unter Vorbehalt",
    MeetingStatus.CONFIRMED: "bestätigt",
    MeetingStatus.CANCELLED: "abgesagt",
}
RESPONSE_LABELS = {
    Response.OPEN: "offen",
    Response.ACCEPTED: "Zusage",
    Response.DECLINED: "Absage",
    Response.TENTATIVE: "unter Vorbehalt",
    Response.WAITLISTED: "Warteliste",
}
AGENDA_KIND_LABELS = {
    AgendaKind.TOP: "TOP (nummeriert)",
    AgendaKind.BREAK: "Pause",
    AgendaKind.ITEM: "Programmpunkt",
}
SALUTATION_STYLE_LABELS = {
    SalutationStyle.FORMAL: "förmlich („Sehr geehrte Frau Dr. Richter,“)",
    SalutationStyle.COLLEGIAL: "kollegial („Liebe Kolleginnen und Kollegen,“)",
}
CHANNEL_LABELS = {
    Channel.POST: "Post",
    Channel.EMAIL: "E-Mail",
    Channel.FAX: "Fax",
    Channel.PHONE: "Telefon",
    Channel.IN_PERSON: "persönlich",
}


# --------------------------------------------------------------------------- validation

# Built once: validation runs for every one of 200,000 invitations when a big office is imported.
_KINDS = frozenset(k.value for k in MeetingKind)
_STATUSES = frozenset(s.value for s in MeetingStatus)
_RESPONSES = frozenset(r.value for r in Response)
_CHANNELS = frozenset(c.value for c in Channel)
_AGENDA_KINDS = frozenset(k.value for k in AgendaKind)
_SALUTATION_STYLES = frozenset(k.value for k in SalutationStyle)


def validate_venue(venue: Venue) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (venue.name or "").strip():
        errors.append(FieldError("name", "Der Name des Veranstaltungsorts fehlt."))
    errors += too_long(venue, Venue)
    if msg := v.check_postal_code(venue.postal_code, venue.country):
        errors.append(FieldError("postal_code", msg))
    return errors


def validate_meeting(m: Meeting) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (m.title or "").strip():
        errors.append(FieldError("title", "Der Titel des Termins fehlt."))
    errors += too_long(m, Meeting)  # every text field against its column (store/limits.py: one source)
    if m.kind not in _KINDS:
        errors.append(FieldError("kind", f"Die Art „{m.kind}“ ist unbekannt."))
    if m.status not in _STATUSES:
        errors.append(FieldError("status", f"Der Status „{m.status}“ ist unbekannt."))
    if m.starts_at is None:
        errors.append(FieldError("starts_at", "Der Beginn fehlt."))
    if m.ends_at is None:
        errors.append(FieldError("ends_at", "Das Ende fehlt."))
    if m.starts_at is not None and m.ends_at is not None and m.ends_at < m.starts_at:
        errors.append(FieldError("ends_at", "Ende liegt vor Beginn."))
    if m.registration_deadline is not None and m.starts_at is not None and m.registration_deadline > m.starts_at.date():
        errors.append(FieldError("registration_deadline", "Der Anmeldeschluss liegt nach dem Termin."))
    if m.fee is not None and m.fee < 0:
        errors.append(FieldError("fee", "Der Beitrag darf nicht negativ sein."))
    if m.capacity is not None and m.capacity <= 0:
        errors.append(FieldError("capacity", "Die Zahl der Plätze muss größer als 0 sein."))
    if m.salutation_style is not None and m.salutation_style not in _SALUTATION_STYLES:
        errors.append(FieldError("salutation_style", f"Die Anrede-Art „{m.salutation_style}“ ist unbekannt."))
    if (m.signatory2_role or "").strip() and not (m.signatory2 or "").strip():
        errors.append(FieldError("signatory2", "Zur Funktion der zweiten Unterschrift fehlt der Name."))
    for i, item in enumerate(m.agenda):
        for e in too_long(item, AgendaItem):
            errors.append(FieldError(f"agenda[{i}].{e.field}", f"Programmpunkt {i + 1}: {e.message}"))
        if not (item.title or "").strip():
            errors.append(FieldError(f"agenda[{i}].title", f"Programmpunkt {i + 1}: Der Titel fehlt."))
        if item.kind is not None and item.kind not in _AGENDA_KINDS:
            errors.append(
                FieldError(f"agenda[{i}].kind", f"Programmpunkt {i + 1}: Die Art „{item.kind}“ ist unbekannt.")
            )
        if item.end_time is not None and item.time is None:
            errors.append(FieldError(f"agenda[{i}].time", f"Programmpunkt {i + 1}: Zum Ende fehlt der Beginn."))
        elif item.end_time is not None and item.time is not None and item.end_time < item.time:
            errors.append(FieldError(f"agenda[{i}].end_time", f"Programmpunkt {i + 1}: Das Ende liegt vor dem Beginn."))
    return errors


def validate_invitation(inv: Invitation) -> list[FieldError]:
    errors: list[FieldError] = []
    if inv.response not in _RESPONSES:
        errors.append(FieldError("response", f"Die Rückmeldung „{inv.response}“ ist unbekannt."))
    if inv.channel is not None and inv.channel not in _CHANNELS:
        errors.append(FieldError("channel", f"Der Versandweg „{inv.channel}“ ist unbekannt."))
    if inv.persons is None or inv.persons < 0:
        errors.append(FieldError("persons", "Die Zahl der Personen darf nicht negativ sein."))
    elif inv.persons > MAX_PERSONS:
        errors.append(FieldError("persons", f"Mehr als {MAX_PERSONS} Personen für eine Anmeldung sind nicht möglich."))
    errors += too_long(inv, Invitation)
    names = inv.attendee_names or []
    if not all(isinstance(n, str) for n in names):
        errors.append(FieldError("attendee_names", "Die Namen der Teilnehmenden müssen Text sein."))
    return errors


# --------------------------------------------------------------------------- inputs


@dataclass
class AgendaItemInput:
    title: str
    time: dt.time | None = None
    presenter: str | None = None
    end_time: dt.time | None = None
    kind: str = AgendaKind.TOP.value


@dataclass
class MeetingInput:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str = MeetingKind.MEETING.value
    status: str = MeetingStatus.PLANNED.value
    venue_id: int | None = None
    topic: str = ""
    description: str = ""
    registration_deadline: dt.date | None = None
    registration_contact: str | None = None
    members_only: bool = False
    fee: Decimal | None = None
    catering: str = ""
    capacity: int | None = None
    salutation_style: str = SalutationStyle.FORMAL.value
    subject: str = ""
    letter_date: dt.date | None = None
    signatory: str = ""
    signatory_role: str = ""
    signatory2: str = ""
    signatory2_role: str = ""
    print_venue_notes: bool = False
    agenda: list[AgendaItemInput] = field(default_factory=list)
    speaker_ids: list[int] = field(default_factory=list)
    id: int | None = None
    version: int | None = None


@dataclass
class VenueInput:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str | None = None
    accessible: bool = False
    directions_url: str | None = None
    notes: str = ""
    id: int | None = None
    version: int | None = None


def meeting_input(m: Meeting) -> MeetingInput:
    """A stored meeting (with agenda and speakers loaded) as a save would send it again, version included."""
    return MeetingInput(
        id=m.id, version=m.version, title=m.title, kind=m.kind, status=m.status, starts_at=m.starts_at,
        ends_at=m.ends_at, venue_id=m.venue_id, topic=m.topic, description=m.description,
        registration_deadline=m.registration_deadline, registration_contact=m.registration_contact,
        members_only=m.members_only, fee=m.fee, catering=m.catering, capacity=m.capacity,
        salutation_style=m.salutation_style, subject=m.subject, letter_date=m.letter_date, signatory=m.signatory,
        signatory_role=m.signatory_role, signatory2=m.signatory2, signatory2_role=m.signatory2_role,
        print_venue_notes=m.print_venue_notes,
        agenda=[AgendaItemInput(a.title, a.time, a.presenter, a.end_time, a.kind) for a in m.agenda],
        speaker_ids=[c.id for c in m.speakers],
    )  # fmt: skip


# --------------------------------------------------------------------------- services


def save_venue(db: Database, data: VenueInput) -> int:
    with db.transaction() as s:
        venue = new_or_loaded(s, Venue, data.id, data.version, "Der Veranstaltungsort")
        apply(venue, data)
        venue.country = venue.country or None
        venue.directions_url = venue.directions_url or None
        if errors := validate_venue(venue):
            raise ValidationError(errors)
        s.flush()
        return venue.id


def list_venues(db: Database) -> list[Venue]:
    with db.read() as s:
        return list(s.scalars(select(Venue).order_by(Venue.name, Venue.id)))


def delete_venue(db: Database, venue_id: int, *, version: int) -> None:
    with db.transaction() as s:
        venue = load_for_update(s, Venue, venue_id, version, "Der Veranstaltungsort")
        if s.scalar(select(exists().where(Meeting.venue_id == venue_id))):
            raise UserError(f"„{venue.name}“ ist Ort von Terminen und kann nicht gelöscht werden.")
        s.delete(venue)


def save_meeting(db: Database, data: MeetingInput) -> int:
    with db.transaction() as s:
        meeting = new_or_loaded(s, Meeting, data.id, data.version, "Der Termin")
        with s.no_autoflush:
            before = (meeting.starts_at, meeting.ends_at, meeting.venue_id, meeting.status)
            apply(meeting, data, skip=("id", "version", "agenda", "speaker_ids"))
            meeting.registration_contact = meeting.registration_contact or None
            meeting.agenda = [
                AgendaItem(
                    position=i,
                    kind=item.kind,
                    title=item.title.strip(),
                    time=item.time,
                    end_time=item.end_time,
                    presenter=(item.presenter or "").strip() or None,
                )
                for i, item in enumerate(data.agenda)
            ]
            if meeting.announced_starts_at is not None and before != (
                meeting.starts_at,
                meeting.ends_at,
                meeting.venue_id,
                meeting.status,
            ):
                # Calendars that imported the earlier .ics take the new one only with a higher SEQUENCE.
                meeting.sequence = (meeting.sequence or 0) + 1
            speakers = []
            for contact_id in dict.fromkeys(data.speaker_ids):
                contact = s.get(Contact, contact_id)
                if contact is None:
                    raise ValidationError(
                        [FieldError("speakers", "Eine gewählte Referentin/ein Referent gibt es nicht mehr.")]
                    )
                speakers.append(contact)
            meeting.speakers = speakers
            if meeting.venue_id is not None and s.get(Venue, meeting.venue_id) is None:
                raise ValidationError([FieldError("venue_id", "Der gewählte Veranstaltungsort gibt es nicht mehr.")])
            if errors := validate_meeting(meeting):
                raise ValidationError(errors)
        s.flush()
        return meeting.id


def get_meeting(db: Database, meeting_id: int) -> Meeting:
    with db.read() as s:
        meeting = s.scalars(
            select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(selectinload(Meeting.agenda), selectinload(Meeting.speakers), selectinload(Meeting.venue))
        ).one_or_none()
        if meeting is None:
            raise UserError("Den Termin gibt es nicht (mehr).")
        return meeting


def list_meetings(db: Database, year: int | None = None, *, with_programme: bool = False) -> list[Meeting]:
    """Meetings (with venue) in date order, optionally of one year; `with_programme` loads programme and
    speakers too (the year schedule prints them)."""
    with db.read() as s:
        query = select(Meeting).options(selectinload(Meeting.venue)).order_by(Meeting.starts_at, Meeting.id)
        if with_programme:
            query = query.options(selectinload(Meeting.agenda), selectinload(Meeting.speakers))
        if year is not None:
            query = query.where(
                Meeting.starts_at >= dt.datetime(year, 1, 1), Meeting.starts_at < dt.datetime(year + 1, 1, 1)
            )
        return list(s.scalars(query))


def delete_meeting(db: Database, meeting_id: int, *, version: int) -> None:
    with db.transaction() as s:
        s.delete(load_for_update(s, Meeting, meeting_id, version, "Der Termin"))


def time_range(meeting: Meeting) -> str:
    """`14:00–16:00`, as the command line and lists print it."""
    return f"{meeting.starts_at:%H:%M}–{meeting.ends_at:%H:%M}"


@dataclass(frozen=True)
class MeetingRow:
    """A line of the Termine list, with the reply figures counted in the database."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    kind: str
    status: str
    city: str
    invited: int
    accepted: int
    persons: int
    declined: int
    open: int
    tentative: int
    waitlisted: int = 0

    @property
    def rsvp_summary(self) -> str:
        if not self.invited:
            return "keine Einladungen"
        waiting = f" · {self.waitlisted} Warteliste" if self.waitlisted else ""
        return f"{self.accepted} Zusagen · {self.persons} Pers. · {self.open} offen{waiting}"


def list_meeting_rows(db: Database, year: int | None = None) -> list[MeetingRow]:
    """The meetings with their reply figures, read from meeting_reply_counts (kept by the database's
    triggers), so a refresh reads one row per meeting however many invitations there are."""
    counts = MeetingReplyCount
    query = (
        select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.title,
            Meeting.kind,
            Meeting.status,
            func.coalesce(Venue.city, ""),
            counts.open,
            counts.accepted,
            counts.declined,
            counts.tentative,
            counts.persons,
            counts.waitlisted,
        )
        .outerjoin(Venue, Meeting.venue_id == Venue.id)
        .outerjoin(counts, counts.meeting_id == Meeting.id)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if year is not None:
        query = query.where(
            Meeting.starts_at >= dt.datetime(year, 1, 1), Meeting.starts_at < dt.datetime(year + 1, 1, 1)
        )
    with db.read() as s:
        rows = s.connection().execute(query).all()
    result = []
    for meeting_id, starts_at, ends_at, title, kind, status, city, *figures in rows:
        open_, accepted, declined, tentative, persons, waitlisted = (n or 0 for n in figures)
        result.append(
            MeetingRow(
                meeting_id,
                starts_at,
                ends_at,
                title,
                kind,
                status,
                city,
                invited=open_ + accepted + declined + tentative + waitlisted,
                accepted=accepted,
                persons=persons,
                declined=declined,
                open=open_,
                tentative=tentative,
                waitlisted=waitlisted,
            )
        )
    return result


def meeting_years(db: Database) -> list[int]:
    with db.read() as s:
        return sorted({d.year for d in s.scalars(select(Meeting.starts_at))})


# --------------------------------------------------------------------------- what the meeting dialog starts from


def new_meeting_input(day: dt.date | None = None) -> MeetingInput:
    """A new meeting: two weeks ahead unless a day is given, 14–16 Uhr."""
    day = day or dt.date.today() + dt.timedelta(days=14)
    return MeetingInput(
        title="", starts_at=dt.datetime.combine(day, dt.time(14)), ends_at=dt.datetime.combine(day, dt.time(16))
    )


def load_meeting_input(db: Database, meeting_id: int) -> MeetingInput:
    """The stored meeting as its dialog edits it."""
    return meeting_input(get_meeting(db, meeting_id))


def duplicate_input(db: Database, meeting_id: int, new_day: dt.date) -> MeetingInput:
    """„Termin duplizieren“: same programme and details on a new date, status back to geplant, the deadline
    moved along and the letter dated on the day of printing."""
    data = load_meeting_input(db, meeting_id)
    shift = new_day - data.starts_at.date()
    data.id = data.version = None
    data.starts_at += shift
    data.ends_at += shift
    data.status = MeetingStatus.PLANNED.value
    data.letter_date = None
    if data.registration_deadline is not None:
        data.registration_deadline += shift
    return data


def parse_fee(text: str) -> Decimal | None:
    """The fee as typed: „15“, „15,50“, „15,50 €“; empty or „kostenlos“ means none. Anything else (also
    „NaN“ or „Infinity“, which Decimal would take) is refused beside the field."""
    cleaned = text.strip().replace("€", "").replace(",", ".").strip()
    if not cleaned or cleaned.lower() == "kostenlos":
        return None
    try:
        fee = Decimal(cleaned)
    except ArithmeticError:  # decimal.InvalidOperation
        fee = None
    if fee is None or not fee.is_finite():
        raise ValidationError([FieldError("fee", f"„{text}“ ist kein Betrag wie 15,00.")])
    return fee


def parse_time_of_day(text: str) -> dt.time:
    """A programme time as typed: 13, 13:30, 13.30 or „13:30 Uhr“; anything else raises ValueError."""
    parts = text.replace(".", ":").removesuffix("Uhr").strip().split(":")
    if len(parts) > 2:
        raise ValueError(text)
    return dt.time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
