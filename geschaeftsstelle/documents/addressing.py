"""How a letter addresses a person: DIN 5008 address lines and the German salutation."""

from __future__ import annotations

from dataclasses import dataclass

from geschaeftsstelle.models import Contact, SalutationStyle
from geschaeftsstelle.validation import is_germany


@dataclass(frozen=True)
class Addressee:
    salutation: str  # "Frau", "Herr" or "" (neutral)
    title: str
    first_name: str
    last_name: str
    organisation: str
    street: str
    postal_code: str
    city: str
    country: str = ""

    @property
    def person(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def has_person(self) -> bool:
        return bool(self.first_name.strip() or self.last_name.strip())

    def address_lines(self) -> list[str]:
        """Organisation, name line, street, postal code and city, foreign country in capitals."""
        lines = []
        if self.organisation:
            lines.append(self.organisation)
        if self.has_person:
            prefix = {"Frau": "Frau ", "Herr": "Herrn "}.get(self.salutation, "")
            lines.append(prefix + self.person)
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
