"""Text limits with one source: the model's column lengths, plus one ceiling for free text.

Why one source: when the window, the list import and the exchange import each had their own idea of "too
long", an office could save a text that PostgreSQL's column or the exchange import refused later, and then
could not move to another PC. Every check of text length reads this module; the PostgreSQL columns are the
same numbers (they come from the same model), and free-text columns (`Text`) get `FREE_TEXT_LIMIT`.
"""

from __future__ import annotations

from sqlalchemy import Column, String, Text, inspect
from sqlalchemy.sql.schema import Table

from geschaeftsstelle.errors import FieldError

#: Notes, descriptions, justifications, needs: some thirty pages of text, short enough for every document
#: routine (all linear in the text's length) and the exchange file.
FREE_TEXT_LIMIT = 100_000

#: Derived columns nobody types.
_NOT_TYPED = {"search_text"}

#: German names of the fields, by column name; a table-specific name wins ("meetings.title").
_LABELS = {
    "name": "Der Name",
    "short_name": "Der Kurzname",
    "member_number": "Die Mitgliedsnummer",
    "street": "Die Straße",
    "postal_code": "Die Postleitzahl",
    "city": "Der Ort",
    "country": "Das Land",
    "email": "Die E-Mail-Adresse",
    "phone": "Die Telefonnummer",
    "fax": "Die Faxnummer",
    "website": "Die Webseite",
    "bank_name": "Die Bank",
    "iban": "Die IBAN",
    "bic": "Die BIC",
    "signatory": "Die unterzeichnende Person",
    "signatory_role": "Die Funktion der unterzeichnenden Person",
    "signatory2": "Die zweite unterzeichnende Person",
    "signatory2_role": "Die Funktion der zweiten unterzeichnenden Person",
    "state": "Das Bundesland",
    "notes": "Die Notizen",
    "tag": "Das Schlagwort",
    "salutation": "Die Anrede",
    "title": "Der Titel",
    "first_name": "Der Vorname",
    "last_name": "Der Nachname",
    "role": "Die Funktion",
    "organisation": "Die Organisation",
    "needs": "Die ständigen Bedarfe",
    "directions_url": "Der Link zur Anfahrt",
    "topic": "Das Thema",
    "description": "Die Beschreibung",
    "registration_contact": "„Rückmeldung an“",
    "catering": "Die Verpflegung",
    "subject": "Der Betreff",
    "presenter": "Referent/in",
    "guest_name": "Der Name des Gastes",
    "guest_organisation": "Die Organisation des Gastes",
    "assistance": "Der Assistenzbedarf",
    "diet": "Die Angaben zur Ernährung",
    "nominee": "Die nominierte Person",
    "category": "Die Kategorie",
    "justification": "Die Begründung",
    "label": "Die Bezeichnung",
    "path": "Die Datei",
    "text": "Der Text",
    "meetings.title": "Der Titel des Termins",
    "agenda_items.title": "Der Programmpunkt",
    "venues.name": "Der Name des Orts",
    "award_criteria.name": "Das Kriterium",
    "contacts.title": "Der Titel (z. B. Dr.)",
    "nominations.address_title": "Der Titel in der Anschrift der oder des Nominierten",
    "nominations.address_first_name": "Der Vorname in der Anschrift der oder des Nominierten",
    "nominations.address_last_name": "Der Nachname in der Anschrift der oder des Nominierten",
    "nominations.address_organisation": "Die zweite Namenszeile der Anschrift der oder des Nominierten",
    "nominations.address_street": "Die Straße in der Anschrift der oder des Nominierten",
    "nominations.address_postal_code": "Die Postleitzahl in der Anschrift der oder des Nominierten",
    "nominations.address_city": "Der Ort in der Anschrift der oder des Nominierten",
    "nominations.address_country": "Das Land in der Anschrift der oder des Nominierten",
    "nominations.address_email": "Die E-Mail-Adresse der oder des Nominierten",
    # Fields that are not text: named in the change log as in their dialogs.
    "is_primary": "„Hauptansprechperson“",
    "joined_on": "„Mitglied seit“",
    "left_on": "„Ausgetreten am“",
    "founded_on": "„Gegründet am“",
    "starts_at": "Der Beginn",
    "ends_at": "Das Ende",
    "kind": "Die Art",
    "status": "Der Status",
    "venue_id": "Der Veranstaltungsort",
    "registration_deadline": "Der Anmeldeschluss",
    "members_only": "„Nur für Mitglieder“",
    "fee": "Der Teilnahmebeitrag",
    "capacity": "Die Plätze",
    "salutation_style": "Die Anrede im Brief",
    "letter_date": "Das Briefdatum",
    "print_venue_notes": "„Hinweise des Orts im Brief“",
    "announced_starts_at": "Der angekündigte Beginn",
    "announced_ends_at": "Das angekündigte Ende",
    "announced_venue": "Der angekündigte Ort",
    "sequence": "Die laufende Nummer",
    "accessible": "„Barrierefrei“",
    "member_id": "Das Mitglied",
    "contact_id": "Der Kontakt",
    "meeting_id": "Der Termin",
    "sent_on": "„Eingeladen am“",
    "channel": "Der Weg",
    "response": "Die Rückmeldung",
    "responded_on": "„Rückmeldung am“",
    "persons": "Die Personen",
    "attendee_names": "Die Namen der Teilnehmenden",
    "attended": "„Teilgenommen“",
    "waitlisted_at": "„Auf der Warteliste seit“",
    "moved_up_at": "„Nachgerückt am“",
    "reply_code": "Der Rückmeldecode",
    "year": "Das Jahr",
    "nomination_deadline": "Die Nominierungsfrist",
    "ceremony_id": "Die Preisverleihung",
    "award_id": "Die Preisrunde",
    "nominee_contact_id": "Der Kontakt der oder des Nominierten",
    "nominee_is_group": "„Gruppe“",
    "nominated_by_id": "„Nominiert von“",
    "received_on": "„Eingegangen am“",
    "consent_publication": "„Einverständnis Veröffentlichung“",
    "consent_photo": "„Einverständnis Foto“",
    "address_salutation": "Die Anrede in der Anschrift der oder des Nominierten",
    "tags": "Die Schlagworte",
    "agenda": "Das Programm",
    "speakers": "Die Referent/innen",
    "jury": "Die Jury",
    "criteria": "Die Kriterien",
    "invitations.notes": "Die Notizen zur Einladung",
}

_PLURAL = {"notes", "needs", "diet"}


def column_limit(column: Column[object]) -> int | None:
    """Most characters the column holds; None for columns that are not text."""
    if isinstance(column.type, String) and column.type.length:
        return int(column.type.length)
    if isinstance(column.type, Text | String):
        return FREE_TEXT_LIMIT
    return None


def limit_of(table: Table, column: str) -> int:
    """The limit of one text column ("how long may a member's name be?"), for imports and dialogs."""
    limit = column_limit(table.c[column])
    if limit is None:
        raise KeyError(f"{table.name}.{column} is not a text column")
    return limit


def field_label(table: str, column: str) -> str:
    return _LABELS.get(f"{table}.{column}") or _LABELS.get(column) or f"Das Feld „{column}“"


def field_name(table: str, column: str) -> str:
    """The field's name as its dialog shows it ("Telefonnummer", "Mitglied seit"), for lists such as the
    change log: `field_label` without its article or quotes."""
    label = field_label(table, column)
    for article in ("Der ", "Die ", "Das "):
        if label.startswith(article):
            label = label[len(article):]
            break
    return label.strip("„“")


_TEXT_COLUMNS: dict[type[object], tuple[tuple[str, int, str, str], ...]] = {}


def _text_columns(model: type[object]) -> tuple[tuple[str, int, str, str], ...]:
    """(attribute, limit, label, verb) of every typed text column of a mapped class, worked out once: the
    exchange import checks 200,000 invitations."""
    if model in _TEXT_COLUMNS:
        return _TEXT_COLUMNS[model]
    found = []
    for prop in inspect(model).column_attrs:
        column = prop.columns[0]
        if prop.key in _NOT_TYPED or not isinstance(column, Column):
            continue
        limit = column_limit(column)
        if limit is None:
            continue
        table = column.table.name if column.table is not None else ""
        verb = "sind" if column.name in _PLURAL else "ist"
        found.append((prop.key, limit, field_label(table, column.name), verb))
    _TEXT_COLUMNS[model] = tuple(found)
    return _TEXT_COLUMNS[model]


def too_long(record: object, model: type[object] | None = None) -> list[FieldError]:
    """One German problem per text field that exceeds its column, named by its field. `record` is an ORM
    object of `model` or anything with the same attributes (the exchange import checks plain entries)."""
    problems = []
    for key, limit, label, verb in _text_columns(model or type(record)):
        value = getattr(record, key, None)
        if isinstance(value, str) and len(value) > limit:
            message = f"{label} {verb} mit {len(value):,} Zeichen zu lang (höchstens {limit:,}).".replace(",", ".")
            problems.append(FieldError(key, message))
    return problems
