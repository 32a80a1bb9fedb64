"""Exchange format v1 (docs/exchange-format.md): the constants and each entity's fields, written once.

A `Table` lists an entry's fields in file order. The reader checks an entry against it, the export
writes a row through it in that order, and the import maps each field to its column, so a field
added here is read, written and imported alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.models import (
    MAX_PERSONS,
    STATES,
    AgendaKind,
    Channel,
    LetterKind,
    MeetingKind,
    MeetingStatus,
    NominationStatus,
    Response,
    Salutation,
    SalutationStyle,
)

FORMAT = "geschaeftsstelle"
VERSION = 1
DATE = "%Y-%m-%d"
DATETIME = "%Y-%m-%dT%H:%M"
TIME = "%H:%M"
AUDIT_TIME = "%Y-%m-%dT%H:%M:%S"
#: The largest value an INTEGER column holds in PostgreSQL.
MAX_INT = 2_147_483_647
#: The top-level keys in the order the export writes them.
TOP_KEYS = ("format", "version", "office", "letter_templates", "members", "contacts", "venues", "meetings", "awards",
            "audit")  # fmt: skip
#: Sections whose entries carry an `id` that other entries refer to (checked before anything is read).
ID_SECTIONS = ("members", "contacts", "venues", "meetings", "awards")
#: The sections in the order the import reads them; each may refer only to sections before it.
SECTIONS = ("office", "letter_templates", "members", "contacts", "venues", "meetings", "awards", "audit")
#: What an import or export reports it moved, in this order (as `counts` of a document).
COUNTED = ("members", "contacts", "venues", "meetings", "invitations", "awards", "nominations", "letter_templates",
           "audit")  # fmt: skip
AUDIT_ENTITIES = ("office", "member", "contact", "venue", "meeting", "invitation", "award", "nomination")


class ExchangeError(UserError):
    """A problem in an exchange file, as one line `path.field: message`."""


@dataclass(frozen=True, slots=True, repr=False)
class HugeNumber:
    """An integer in the file with more digits than Python converts; each field check refuses it by name."""

    digits: int
    DIGITS = 4_000  # not a field (no annotation): the most digits read as an int

    def __str__(self) -> str:
        return f"Zahl mit {self.digits} Stellen"

    __repr__ = __str__  # as a message shows it (`Version {value!r}`)


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an entry: how it is checked (`kind` and its limits) and which column holds it.

    Kinds: text, opt_text, flag, number, day, moment, clock, stamp, choice, ref, pick (a reference by
    name among the entry's siblings), amount, texts, tags, names, refs, changes, ident and rows (a
    list of nested entries, read by the import on its own).
    """

    key: str
    kind: str
    column: str = ""
    limit: int = 100_000
    required: bool = False
    default: Any = None
    nullable: bool = False
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    target: str = ""
    what: str = ""

    @property
    def name(self) -> str:
        """Where the reader puts the value: the column, else the key."""
        return self.column or self.key


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: the reader keeps a plan per table
class Table:
    fields: tuple[Field, ...]

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)


def _values(enum_type: Any) -> tuple[str, ...]:
    return tuple(str(v.value) for v in enum_type)


def text(key: str, limit: int = 100_000, *, required: bool = False) -> Field:
    return Field(key, "text", limit=limit, required=required, default="")


def opt_text(key: str, limit: int = 100_000, *, blank_is_null: bool = False) -> Field:
    """Text or null; with blank_is_null an empty text is stored as null too (`nullable` says so)."""
    return Field(key, "opt_text", limit=limit, nullable=blank_is_null)


def flag(key: str, column: str = "", *, nullable: bool = False) -> Field:
    return Field(key, "flag", column=column, default=False, nullable=nullable)


def number(key: str, low: int, high: int, default: int | None = None) -> Field:
    return Field(key, "number", low=low, high=high, default=default)


def choice(key: str, values: tuple[str, ...], default: str | None = None, *, nullable: bool = False) -> Field:
    return Field(key, "choice", choices=values, default=default, nullable=nullable)


def ref(key: str, target: str, what: str, column: str, *, required: bool = False) -> Field:
    return Field(key, "ref", column=column, target=target, what=what, required=required)


ID = Field("id", "ident")

OFFICE = Table((
    text("name", 300, required=True), text("short_name", 100), text("street", 200), text("postal_code", 20),
    text("city", 100), opt_text("phone", 100), opt_text("fax", 100), opt_text("email", 254), opt_text("website", 300),
    opt_text("bank_name", 200), opt_text("iban", 42), opt_text("bic", 11), text("signatory", 200),
    text("signatory_role", 200), choice("state", STATES, nullable=True),
))  # fmt: skip
LETTER_TEMPLATE = Table((choice("kind", _values(LetterKind)), text("text", required=True)))
MEMBER = Table((
    ID, text("name", 300, required=True), opt_text("member_number", 30, blank_is_null=True), text("street", 200),
    text("postal_code", 20), text("city", 100), opt_text("country", 100), opt_text("email", 254),
    opt_text("phone", 100), opt_text("website", 300), Field("joined_on", "day"), Field("left_on", "day"),
    Field("founded_on", "day"), Field("tags", "tags"), text("notes"),
))  # fmt: skip
CONTACT = Table((
    ID, ref("member", "members", "eine Mitgliedsorganisation", "member_id"),
    choice("salutation", _values(Salutation), default=""), text("title", 50), text("first_name", 100),
    text("last_name", 100), text("role", 200), opt_text("organisation", 300), opt_text("email", 254),
    opt_text("phone", 100), opt_text("street", 200), opt_text("postal_code", 20), opt_text("city", 100),
    opt_text("country", 100), flag("primary", "is_primary"), text("needs"), text("notes"),
    text("diet"),  # extension of v1 (standing needs): the standing diet beside `needs`
))  # fmt: skip
VENUE = Table((
    ID, text("name", 300, required=True), text("street", 200), text("postal_code", 20), text("city", 100),
    opt_text("country", 100), flag("accessible"), opt_text("directions_url", 500), text("notes"),
))  # fmt: skip
MEETING = Table((
    ID, text("title", 300, required=True), choice("kind", _values(MeetingKind), MeetingKind.MEETING.value),
    choice("status", _values(MeetingStatus), MeetingStatus.PLANNED.value), Field("starts_at", "moment", required=True),
    Field("ends_at", "moment", required=True), ref("venue", "venues", "einen Veranstaltungsort", "venue_id"),
    text("topic"), text("description"), Field("speakers", "refs", target="contacts", what="eine Person"),
    Field("agenda", "rows"), Field("registration_deadline", "day"), opt_text("registration_contact", 300),
    flag("members_only"), Field("fee", "amount", limit=20), text("catering"), number("capacity", 1, 100_000),
    choice("salutation_style", _values(SalutationStyle), SalutationStyle.FORMAL.value), text("subject", 300),
    Field("letter_date", "day"), text("signatory", 200), text("signatory_role", 200), text("signatory2", 200),
    text("signatory2_role", 200), flag("print_venue_notes"), Field("announced_starts_at", "moment"),
    Field("announced_ends_at", "moment"), opt_text("announced_venue", 800), number("sequence", 0, MAX_INT, 0),
    Field("invitations", "rows"),
))  # fmt: skip
AGENDA_ITEM = Table((
    choice("kind", _values(AgendaKind), AgendaKind.TOP.value), Field("time", "clock"), Field("end_time", "clock"),
    text("title", 500, required=True), opt_text("presenter", 300),
))  # fmt: skip
INVITATION = Table((
    ref("contact", "contacts", "eine Person", "contact_id"), opt_text("guest_name", 300),
    opt_text("guest_organisation", 300), Field("sent_on", "day"), choice("channel", _values(Channel), nullable=True),
    choice("response", _values(Response), Response.OPEN.value), Field("responded_on", "day"),
    number("persons", 0, MAX_PERSONS, 1), Field("attendee_names", "texts"), text("assistance"), text("diet"),
    flag("attended", nullable=True), text("notes"), opt_text("reply_code", 16),
    # Extension of v1 (waiting list): when the acceptance went onto the Warteliste, and when it moved up.
    Field("waitlisted_at", "moment"), Field("moved_up_at", "moment"),
))  # fmt: skip
AWARD = Table((
    ID, number("year", 1900, 2200), text("title", 300, required=True), Field("nomination_deadline", "day"),
    ref("ceremony", "meetings", "einen Termin", "ceremony_id"), Field("criteria", "names"),
    Field("jury", "refs", target="contacts", what="eine Person"), text("notes"), Field("nominations", "rows"),
))  # fmt: skip
NOMINATION = Table((
    ID, text("nominee", 300, required=True), flag("nominee_is_group"),
    ref("member", "members", "eine Mitgliedsorganisation", "member_id"),
    ref("nominated_by", "contacts", "eine Person", "nominated_by_id"), opt_text("category", 200),
    text("justification"), Field("received_on", "day"), flag("consent_publication"), flag("consent_photo"),
    choice("status", _values(NominationStatus), NominationStatus.RECEIVED.value), Field("scores", "rows"),
    Field("attachments", "rows"),
    # Extension of v1 (award replies): where letters to the nominee go, and the code of the consent reply.
    ref("nominee_contact", "contacts", "eine Person", "nominee_contact_id"),
    choice("address_salutation", _values(Salutation), default=""), text("address_title", 50),
    text("address_first_name", 100), text("address_last_name", 100), text("address_organisation", 300),
    text("address_street", 200), text("address_postal_code", 20), text("address_city", 100),
    text("address_country", 100), text("address_email", 254), opt_text("reply_code", 16),
))  # fmt: skip
SCORE = Table((
    ref("juror", "contacts", "eine Person", "juror_id", required=True),
    Field("criterion", "pick", column="criterion_id", target="criteria"), Field("score", "grade"),
))  # fmt: skip
#: An attachment travels as its stored name (`file`, in the folder `<file>.anlagen/` beside the exchange file),
#: label and SHA-256; `file` null is a label without a file. The import also reads the `path` of older files.
ATTACHMENT = Table((
    Field("file", "opt_text", column="stored_name", limit=64), text("label", 300), opt_text("sha256", 64),
    number("size", 0, MAX_INT), Field("added_on", "day"),
))  # fmt: skip
ATTACHMENT_READ = Table((*ATTACHMENT.fields, opt_text("path", 1000)))
AUDIT_ENTRY = Table((
    Field("at", "stamp"), Field("user", "text", column="user_name", limit=200, default=""),
    choice("entity", AUDIT_ENTITIES), Field("record", "opt_text", column="entity_id", limit=100), text("label", 300),
    choice("action", ("insert", "update", "delete")), Field("changes", "changes"),
))  # fmt: skip


def counts(data: dict[str, Any]) -> dict[str, int]:
    """What a whole-office document holds, section by section (also what import and export report)."""
    return {
        "members": len(data.get("members") or []),
        "contacts": len(data.get("contacts") or []),
        "venues": len(data.get("venues") or []),
        "meetings": len(data.get("meetings") or []),
        "invitations": sum(len(m.get("invitations") or []) for m in data.get("meetings") or []),
        "awards": len(data.get("awards") or []),
        "nominations": sum(len(a.get("nominations") or []) for a in data.get("awards") or []),
        "letter_templates": len(data.get("letter_templates") or []),
        "audit": len(data.get("audit") or []),
    }
