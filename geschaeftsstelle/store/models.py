"""The office's data as SQLAlchemy 2 typed ORM classes.

Constraints live in the schema as well as in the services: the services give the user a German
sentence, the schema guarantees that no code path (import, script, a future bug) stores nonsense.
Enumerations are plain strings with CHECK constraints, so SQLite and PostgreSQL share one schema and
migrations never have to alter a native enum type.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    func,
    inspect,
    text,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, UOWTransaction, mapped_column, relationship

from geschaeftsstelle.reply_codes import new_code as new_reply_code

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Salutation(enum.StrEnum):
    FRAU = "Frau"
    HERR = "Herr"
    NEUTRAL = ""


class MeetingKind(enum.StrEnum):
    MEETING = "meeting"
    CONFERENCE = "conference"
    NETWORK = "network"
    FESTIVAL = "festival"
    WORKSHOP = "workshop"
    OTHER = "other"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Channel(enum.StrEnum):
    POST = "post"
    EMAIL = "email"
    FAX = "fax"
    PHONE = "phone"
    IN_PERSON = "in_person"


class SalutationStyle(enum.StrEnum):
    """How a meeting's letters greet: "Sehr geehrte Frau Dr. Richter," or "Liebe Frau Richter,"."""

    FORMAL = "formal"
    COLLEGIAL = "collegial"


class AgendaKind(enum.StrEnum):
    """A programme row: a numbered TOP, a pause, or an unnumbered programme point."""

    TOP = "top"
    BREAK = "break"
    ITEM = "item"


class LetterKind(enum.StrEnum):
    """The letter texts the office can edit (Einstellungen → Briefvorlagen)."""

    INVITATION = "invitation"
    REPLY_FORM = "reply_form"
    CANCELLATION = "cancellation"
    CHANGE = "change"
    AWARD_WINNER = "award_winner"
    AWARD_THANKS = "award_thanks"
    AWARD_CONSENT = "award_consent"


class Response(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"
    #: Accepted, but the meeting was full: on its Warteliste (invitations.waitlisted_at is the order).
    WAITLISTED = "waitlisted"


class NominationStatus(enum.StrEnum):
    RECEIVED = "received"
    COMPLETE = "complete"
    SHORTLISTED = "shortlisted"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    WITHDRAWN = "withdrawn"


STATES = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
MAX_PERSONS = 50


def _in(column: str, values: Iterable[object]) -> str:
    """SQL for `column IN (...)` from an enum or tuple, so the CHECK can never drift from the code."""
    items = ", ".join("'" + str(v) + "'" for v in values)
    return f"{column} IN ({items})"


def _nonblank(column: str) -> str:
    return f"length(trim({column})) > 0"


class Versioned:
    """Optimistic locking: a save carrying an old version is refused instead of overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))


class Office(Versioned, Base):
    """The letterhead: exactly one row."""

    __tablename__ = "office"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("state IS NULL OR " + _in("state", STATES), name="state"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    short_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(100))
    fax: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    bank_name: Mapped[str | None] = mapped_column(String(200))
    iban: Mapped[str | None] = mapped_column(String(42))
    bic: Mapped[str | None] = mapped_column(String(11))
    signatory: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str | None] = mapped_column(String(2))


member_tags = Table(
    "member_tags",
    Base.metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    CheckConstraint(_nonblank("tag"), name="tag_nonblank"),
)


class Member(Versioned, Base):
    """A member organisation."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint(_nonblank("name"), name="name_nonblank"),
        CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on", name="left_after_join"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    member_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    founded_on: Mapped[dt.date | None] = mapped_column(Date)  # the organisation's founding day (anniversaries)
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="member", cascade="all, delete-orphan", passive_deletes=True, order_by="Contact.id"
    )
    tag_rows: Mapped[list[MemberTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MemberTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return sorted(t.tag for t in self.tag_rows)

    @property
    def primary_contact(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), None)


class MemberTag(Base):
    __table__ = member_tags

    if TYPE_CHECKING:  # mapped from the table above; declared for the type checker
        member_id: Mapped[int]
        tag: Mapped[str]


class Contact(Versioned, Base):
    """A person: a member's contact, or an external guest, speaker or juror."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint(_in("salutation", Salutation), name="salutation"),
        CheckConstraint("length(trim(first_name || last_name || coalesce(organisation, ''))) > 0", name="has_name"),
        CheckConstraint("member_id IS NOT NULL OR is_primary = false", name="primary_needs_member"),
        Index(
            "uq_contacts_primary_per_member",
            "member_id",
            unique=True,
            sqlite_where=text("is_primary = 1"),
            postgresql_where=text("is_primary"),
        ),
        # The contact list's order (members.list_contacts): PostgreSQL reads 20,000 rows in index order instead
        # of sorting them in temporary files. Not on SQLite: there it saves ~8 ms of ~80, SQLAlchemy cannot
        # reflect an expression index there (the schema comparison fails on its warning) and a batch migration
        # of contacts would silently drop it.
        Index("ix_contacts_sort_name", func.lower(text("last_name")), func.lower(text("first_name")), "id").ddl_if(
            dialect="postgresql"
        ),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    salutation: Mapped[str] = mapped_column(String(10), default="")
    title: Mapped[str] = mapped_column(String(50), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Standing needs, proposed on every new invitation: assistance (`needs`) and diet.
    needs: Mapped[str] = mapped_column(Text, default="")
    diet: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    member: Mapped[Member | None] = relationship(back_populates="contacts")

    @property
    def full_name(self) -> str:
        """Name line as in an address: title, first and last name."""
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def organisation_name(self) -> str:
        if self.member is not None:
            return self.member.name
        return self.organisation or ""


class Venue(Versioned, Base):
    __tablename__ = "venues"
    __table_args__ = (CheckConstraint(_nonblank("name"), name="name_nonblank"),)
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str | None] = mapped_column(String(100))
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    directions_url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")


meeting_speakers = Table(
    "meeting_speakers",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default=text("0")),
)


class Meeting(Versioned, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_nonblank("title"), name="title_nonblank"),
        CheckConstraint(_in("kind", MeetingKind), name="kind"),
        CheckConstraint(_in("status", MeetingStatus), name="status"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint(
            "registration_deadline IS NULL OR registration_deadline <= starts_at", name="deadline_before_start"
        ),
        CheckConstraint("fee IS NULL OR fee >= 0", name="fee_nonnegative"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(_in("salutation_style", SalutationStyle), name="salutation_style"),
        CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default=MeetingKind.MEETING.value)
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED.value)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"), index=True)
    topic: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    registration_deadline: Mapped[dt.date | None] = mapped_column(Date)
    registration_contact: Mapped[str | None] = mapped_column(String(300))
    members_only: Mapped[bool] = mapped_column(Boolean, default=False)
    fee: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    catering: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    # How the letters read: greeting style, an own subject line, the letter date, who signs.
    salutation_style: Mapped[str] = mapped_column(
        String(20), default=SalutationStyle.FORMAL.value, server_default=SalutationStyle.FORMAL.value
    )
    subject: Mapped[str] = mapped_column(String(300), default="", server_default="")
    letter_date: Mapped[dt.date | None] = mapped_column(Date)
    signatory: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory2: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory2_role: Mapped[str] = mapped_column(String(200), default="", server_default="")
    print_venue_notes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # What the invitees were last told (set when letters are recorded as sent): the change letter states
    # old and new, and the calendar file's SEQUENCE rises with every change after that.
    announced_starts_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    announced_ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    announced_venue: Mapped[str | None] = mapped_column(String(800))
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    venue: Mapped[Venue | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AgendaItem.position",
    )
    speakers: Mapped[list[Contact]] = relationship(secondary=meeting_speakers, order_by=meeting_speakers.c.position)
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True, order_by="Invitation.id"
    )


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(_nonblank("title"), name="title_nonblank"),
        CheckConstraint(_in("kind", AgendaKind), name="kind"),
        CheckConstraint("end_time IS NULL OR time IS NOT NULL", name="end_needs_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10), default=AgendaKind.TOP.value, server_default=AgendaKind.TOP.value)
    time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(500))
    presenter: Mapped[str | None] = mapped_column(String(300))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class Invitation(Versioned, Base):
    """One invited contact for one meeting; carries the reply (RSVP) and the check-in."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "contact_id"),
        CheckConstraint("channel IS NULL OR " + _in("channel", Channel), name="channel"),
        CheckConstraint(_in("response", Response), name="response"),
        CheckConstraint(f"persons >= 0 AND persons <= {MAX_PERSONS}", name="persons_range"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    guest_name: Mapped[str | None] = mapped_column(String(300))
    guest_organisation: Mapped[str | None] = mapped_column(String(300))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(20))
    response: Mapped[str] = mapped_column(String(20), default=Response.OPEN.value)
    responded_on: Mapped[dt.date | None] = mapped_column(Date)
    persons: Mapped[int] = mapped_column(Integer, default=1)
    attendee_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    assistance: Mapped[str] = mapped_column(Text, default="")
    diet: Mapped[str] = mapped_column(Text, default="")
    attended: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: When the acceptance went onto the Warteliste (its order), and when a freed place went to it.
    waitlisted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    moved_up_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Printed on the letter and the reply form, typed or scanned back („Rückmeldung erfassen“). A fresh random
    #: one on every insert that names none (ORM and Core); bulk writers pass their own, checked unique.
    reply_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_reply_code)

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    contact: Mapped[Contact | None] = relationship()


class MeetingReplyCount(Base):
    """A meeting's reply figures, kept by the database itself: triggers on invitations (migration 0005) add
    and take away on every insert, COPY, update and delete, so the Termine list reads 600 rows instead of
    counting every invitation, however many there are. No row: no invitation yet. Never written here."""

    __tablename__ = "meeting_reply_counts"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    open: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    accepted: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    declined: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    tentative: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    persons: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # of the accepted
    attended: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    waitlisted: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # migration 0009


class ReplyImportMapping(Base):
    """Which column of a meeting's online-form export holds which reply field (`reply_import`), as
    field key → column header: the next export of the same form is mapped at once. Headers only, no
    personal data; written with the import it was used for (migration 0012)."""

    __tablename__ = "reply_import_mappings"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


#: Every trigger of the program's schema (same names on SQLite and PostgreSQL, all on invitations; they keep
#: meeting_reply_counts exact). A database with another trigger is not this program's schema.
DATABASE_TRIGGERS: tuple[str, ...] = (
    "invitations_count_insert",
    "invitations_count_update",
    "invitations_count_delete",
)
#: PostgreSQL only: the function those triggers run.
DATABASE_FUNCTIONS: tuple[str, ...] = ("meeting_reply_counts_apply",)


class LetterTemplate(Versioned, Base):
    """An office's own text for one kind of letter; without a row the shipped text is used."""

    __tablename__ = "letter_templates"
    __table_args__ = (CheckConstraint(_in("kind", LetterKind), name="kind"),)
    __mapper_args__ = {"version_id_col": Versioned.version}

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


award_jurors = Table(
    "award_jurors",
    Base.metadata,
    Column("award_id", ForeignKey("awards.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default=text("0")),
)


class Award(Versioned, Base):
    """One round of the Ehrenamtspreis (one per year)."""

    __tablename__ = "awards"
    __table_args__ = (
        CheckConstraint("year >= 1900 AND year <= 2200", name="year_range"),
        CheckConstraint(_nonblank("title"), name="title_nonblank"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    nomination_deadline: Mapped[dt.date | None] = mapped_column(Date)
    ceremony_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    ceremony: Mapped[Meeting | None] = relationship()
    criteria: Mapped[list[AwardCriterion]] = relationship(
        back_populates="award", cascade="all, delete-orphan", passive_deletes=True, order_by="AwardCriterion.position"
    )
    jury: Mapped[list[Contact]] = relationship(
        secondary=award_jurors, order_by=(award_jurors.c.position, award_jurors.c.contact_id)
    )
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="award", cascade="all, delete-orphan", passive_deletes=True, order_by="Nomination.id"
    )


class AwardCriterion(Base):
    __tablename__ = "award_criteria"
    __table_args__ = (
        UniqueConstraint("award_id", "name"),
        CheckConstraint(_nonblank("name"), name="name_nonblank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))

    award: Mapped[Award] = relationship(back_populates="criteria")


class Nomination(Versioned, Base):
    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint(_nonblank("nominee"), name="nominee_nonblank"),
        CheckConstraint(_in("status", NominationStatus), name="status"),
        CheckConstraint(_in("address_salutation", Salutation), name="address_salutation"),
    )
    __mapper_args__ = {"version_id_col": Versioned.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    nominee: Mapped[str] = mapped_column(String(300))
    # Where letters to the nominee go: a contact, else the free address below (migration 0011).
    nominee_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    address_salutation: Mapped[str] = mapped_column(String(10), default="", server_default="")
    address_title: Mapped[str] = mapped_column(String(50), default="", server_default="")
    address_first_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    address_last_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    address_organisation: Mapped[str] = mapped_column(String(300), default="", server_default="")
    address_street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address_postal_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    address_city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    address_country: Mapped[str] = mapped_column(String(100), default="", server_default="")
    address_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    #: Printed on the consent request; the reply is recorded by it (awards.record_consent). A fresh one on every
    #: insert that names none (migration 0011 gave older rows theirs); the exchange import passes the file's.
    reply_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_reply_code)
    nominee_is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    category: Mapped[str | None] = mapped_column(String(200))
    justification: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    consent_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_photo: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=NominationStatus.RECEIVED.value)

    award: Mapped[Award] = relationship(back_populates="nominations")
    member: Mapped[Member | None] = relationship()
    nominated_by: Mapped[Contact | None] = relationship(foreign_keys=[nominated_by_id])
    nominee_contact: Mapped[Contact | None] = relationship(foreign_keys=[nominee_contact_id])
    scores: Mapped[list[Score]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan", passive_deletes=True, order_by="Score.id"
    )
    attachments: Mapped[list[NominationAttachment]] = relationship(
        back_populates="nomination",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="NominationAttachment.id",
    )


class NominationAttachment(Base):
    """A document belonging to a nomination: a copy in the attachments folder (`attachments.py`) under a
    generated `stored_name`, checked by its SHA-256 before it is opened; `label` is the original file name.

    Rows from before the copies (migration 0007) pointed at a path that cannot be trusted; they keep only
    their label (`stored_name` NULL) until the file is added again.
    """

    __tablename__ = "nomination_attachments"
    __table_args__ = (
        CheckConstraint(_nonblank("label"), name="label_nonblank"),
        CheckConstraint(
            "stored_name IS NULL OR (sha256 IS NOT NULL AND size IS NOT NULL)", name="stored_file_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300), default="")
    added_on: Mapped[dt.date | None] = mapped_column(Date)

    nomination: Mapped[Nomination] = relationship(back_populates="attachments")


class AuditEntry(Base):
    """One change of one record: who, when, what, and each field from old to new (Änderungsprotokoll)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, list[object]]] = mapped_column(JSON, default=dict)


class Score(Base):
    """One juror's score (1–5) for one criterion of one nomination."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("nomination_id", "juror_id", "criterion_id"),
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("award_criteria.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)

    nomination: Mapped[Nomination] = relationship(back_populates="scores")
    juror: Mapped[Contact] = relationship()
    criterion: Mapped[AwardCriterion] = relationship()


@event.listens_for(Session, "after_flush")
def _store_link_positions(session: Session, _context: UOWTransaction) -> None:
    """Speakers and jurors keep the order the user gave them: write each link's position."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Meeting):
            links, owner_col, attr = meeting_speakers, meeting_speakers.c.meeting_id, "speakers"
        elif isinstance(obj, Award):
            links, owner_col, attr = award_jurors, award_jurors.c.award_id, "jury"
        else:
            continue
        if not inspect(obj).attrs[attr].history.has_changes():
            continue
        for position, contact in enumerate(getattr(obj, attr)):
            session.execute(
                update(links).where(owner_col == obj.id, links.c.contact_id == contact.id).values(position=position)
            )


class ErasureRecord(Base):
    """Erasure register (Art. 17): which contact was erased and when, ids and date only, so that an older
    backup restored later can have every erasure made since applied again (privacy.reapply_erasures)."""

    __tablename__ = "erasure_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(Integer, index=True)
    erased_on: Mapped[dt.date] = mapped_column(Date)
    #: Whether mentions of the name in free text were blanked too (then they are blanked again).
    mentions_blanked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
