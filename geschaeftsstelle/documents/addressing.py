"""How a letter addresses a person: DIN 5008 address lines and the German salutation."""

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
        for f in fields(self):
            object.__setattr__(self, f.name, one_line(getattr(self, f.name)))

    @property
    def person(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def has_person(self) -> bool:
        return bool(self.first_name.strip() or self.last_name.strip())

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

    @property
    def display_name(self) -> str:
        return self.person or self.organisation


def addressee_of(contact: Contact) -> Addressee:
    """A member's contact gets the member's address unless the person has an own one."""
    member = contact.member
    own = bool(contact.street or contact.city)
    return Addressee(
        salutation=contact.salutation,
        title=contact.title,
        first_name=contact.first_name,
        last_name=contact.last_name,
        organisation=member.name if member is not None else (contact.organisation or ""),
        street=(contact.street if own else (member.street if member else "")) or "",
        postal_code=(contact.postal_code if own else (member.postal_code if member else "")) or "",
        city=(contact.city if own else (member.city if member else "")) or "",
        country=(contact.country if own else (member.country if member else "")) or "",
    )
