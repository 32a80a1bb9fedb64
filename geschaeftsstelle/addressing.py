"""How the office names and addresses a person: the one rule for the RSVP board, every letter and label, and
the e-mail drafts — name as shown, DIN 5008 address lines, the German greeting per salutation style.

It lives in the core (not in documents/) so that the invitations service can build its invitee read model
with it and the documents read names only through that model.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from geschaeftsstelle.store.models import Contact, SalutationStyle
from geschaeftsstelle.validation import is_germany

#: Tab and every kind of line break (the services keep tab, CR and LF; pasted text brings the others).
_BREAKS = dict.fromkeys(map(ord, "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"), " ")
SOFT_HYPHEN = "\u00ad"


def one_line(value: str | None) -> str:
    """A field as one line of an address: tabs and line breaks become a space, runs of spaces one space (drawn
    as text a tab prints as a missing-glyph box, and esc() drops a CR, which glues two words). A
    non-breaking space stays one; soft hyphens go (see `without_soft_hyphens`)."""
    if not value:
        return ""
    if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        # the usual field, already one line: every break, soft hyphen and non-ASCII blank is "not printable"
        return value
    value = without_soft_hyphens(value).translate(_BREAKS)
    return " ".join(part for part in value.split(" ") if part).strip()


def without_soft_hyphens(value: str | None) -> str:
    """Text pasted from a word processor or a web page carries soft hyphens (U+00AD), which only hint where a
    word may break; after one, ReportLab's Paragraph drops the space before an escaped character
    ("Kreis\u00adgruppe & Co" printed "Kreisgruppe& Co")."""
    return (value or "").replace(SOFT_HYPHEN, "")


@dataclass(frozen=True)
class Addressee:
    """Every field is kept as one line (`one_line`), however it was typed or imported."""

    salutation: str  # "Frau", "Herr" or "" (neutral)
    title: str
    first_name: str
    last_name: str
    organisation: str
    street: str
    postal_code: str
    city: str
    country: str = ""

    def __post_init__(self) -> None:
        values = [getattr(self, name) for name in _ADDRESSEE_FIELDS]  # dataclasses.fields() costs more
        if _all_one_line(values):
            return  # the usual contact (a board reads 2,000 of them): nothing to clean
        for name, value in zip(_ADDRESSEE_FIELDS, values, strict=True):
            if (cleaned := one_line(value)) is not value:
                object.__setattr__(self, name, cleaned)

    @property
    def person(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def has_person(self) -> bool:
        return bool(self.first_name.strip() or self.last_name.strip())

    @property
    def display_name(self) -> str:
        """The name a list or an e-mail shows: the person, or the organisation for a contact without one."""
        return self.person or self.organisation

    def address_lines(self) -> list[str]:
        """Organisation, name line, street, postal code and city, foreign country in capitals."""
        return [*self.name_lines(), *self.postal_lines()]

    def name_lines(self) -> list[str]:
        """Who: organisation and person (the lines a full window may shorten)."""
        lines = []
        if self.organisation:
            lines.append(self.organisation)
        if self.has_person:
            prefix = {"Frau": "Frau ", "Herr": "Herrn "}.get(self.salutation, "")
            lines.append(prefix + self.person)
        return lines

    def postal_lines(self) -> list[str]:
        """Where: street, postcode and town, a foreign country (never shortened: the post needs them whole)."""
        lines = []
        if self.street:
            lines.append(self.street)
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        if place:
            lines.append(place)
        if self.country and not is_germany(self.country):
            lines.append(self.country.upper())
        return lines

    def greeting(self, style: str = SalutationStyle.FORMAL.value) -> str:
        """Formal: "Sehr geehrte Frau Dr. Richter,"; collegial: "Liebe Frau Dr. Richter," and, without a
        person, "Liebe Kolleginnen und Kollegen,". A neutral salutation greets with the full name."""
        surname = " ".join(p for p in (self.title, self.last_name) if p)
        collegial = style == SalutationStyle.COLLEGIAL.value
        if not self.has_person:
            return "Liebe Kolleginnen und Kollegen," if collegial else "Sehr geehrte Damen und Herren,"
        if self.salutation == "Frau" and surname:
            return f"Liebe Frau {surname}," if collegial else f"Sehr geehrte Frau {surname},"
        if self.salutation == "Herr" and surname:
            return f"Lieber Herr {surname}," if collegial else f"Sehr geehrter Herr {surname},"
        return f"Hallo {self.person}," if collegial else f"Guten Tag {self.person},"


_ADDRESSEE_FIELDS = tuple(f.name for f in fields(Addressee))


def _all_one_line(values: list[str]) -> bool:
    """Whether `one_line` would keep every value as it is, tested at once on the values joined by "|": nothing
    unprintable (breaks, soft hyphens, other blanks), no double space, no space at the start or end of one.
    A "|" beside a space inside a value, or a None, only sends them the slow way."""
    try:
        joined = "|".join(values)
    except TypeError:
        return False
    return (
        joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )


#: Nobody in particular: the greeting of a circular ("Sehr geehrte Damen und Herren,").
EVERYONE = Addressee("", "", "", "", "", "", "", "")


def greeting(style: str = SalutationStyle.FORMAL.value, person: Addressee | None = None) -> str:
    """The greeting for `person`, or for everyone when the letter or e-mail goes to no one in particular."""
    return (person or EVERYONE).greeting(style)


def contact_addressee(
    person: tuple[str | None, str | None, str | None, str | None],
    organisation: str | None,
    own_address: tuple[str | None, str | None, str | None, str | None],
    member: tuple[str | None, str | None, str | None, str | None, str | None] | None,
) -> Addressee:
    """The rule for a contact as plain values (a query's columns): `person` is (salutation, title, first, last),
    addresses are (street, postal code, city, country), `member` is (name, street, postal code, city,
    country) or None. A member's contact is named with the member and gets the member's address unless the
    person has an own one."""
    street, postal_code, city, country = own_address
    if not (street or city):  # no own address: the member's, or none
        street, postal_code, city, country = member[1:] if member is not None else (None, None, None, None)
    salutation, title, first_name, last_name = person
    return Addressee(
        salutation=salutation or "",
        title=title or "",
        first_name=first_name or "",
        last_name=last_name or "",
        organisation=(member[0] if member is not None else organisation) or "",
        street=street or "",
        postal_code=postal_code or "",
        city=city or "",
        country=country or "",
    )


def addressee_of(contact: Contact) -> Addressee:
    """`contact_addressee` for a loaded contact (with its member)."""
    m = contact.member
    return contact_addressee(
        (contact.salutation, contact.title, contact.first_name, contact.last_name),
        contact.organisation,
        (contact.street, contact.postal_code, contact.city, contact.country),
        (m.name, m.street, m.postal_code, m.city, m.country) if m is not None else None,
    )
