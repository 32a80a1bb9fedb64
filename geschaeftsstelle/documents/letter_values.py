"""The words a meeting's letters are filled with: every value from a present fact, never a placeholder.
The office's fields are taken as one line each (addressing.one_line), as the meeting's are (meeting_data).

Each optional sentence is built here only from fields that are filled ("per Fax an … oder per E-Mail
an …" becomes "per E-Mail an …" without a fax number), so that a template's optional blocks can leave
out what is not there.
"""

from __future__ import annotations

from geschaeftsstelle import reply_codes
from geschaeftsstelle.documents.addressing import one_line
from geschaeftsstelle.documents.meeting_data import MeetingData
from geschaeftsstelle.documents.text import date_de, long_date_de, money_de
from geschaeftsstelle.letter_templates import PROGRAMME
from geschaeftsstelle.meeting_text import time_span
from geschaeftsstelle.store.models import Office

#: Stands in a filled paragraph where the programme table goes (no user text can contain it: control
#: characters are removed from everything the program stores).
PROGRAMME_MARK = "\x00programm\x00"

TENTATIVE_NOTE = "Bitte beachten Sie: Der Termin steht noch unter Vorbehalt; wir bestätigen ihn rechtzeitig."
MEMBERS_ONLY_NOTE = "Die Veranstaltung richtet sich ausschließlich an Personen aus unseren Mitgliedsorganisationen."
ASSISTANCE_QUESTION = (
    "Teilen Sie uns dabei bitte mit, ob Sie Assistenz benötigen (z. B. einen Rollstuhlplatz oder "
    "Gebärdensprachdolmetschung)"
)


def reply_email(m: MeetingData, office: Office) -> str:
    """The meeting's "Rückmeldung an" when it is an address, else the office's e-mail."""
    contact = one_line(m.registration_contact)
    if "@" in contact:
        return contact
    return one_line(office.email)


def reply_person(m: MeetingData) -> str:
    """A name in "Rückmeldung an" (seed: "Andreas Mehlich") rather than an address."""
    contact = one_line(m.registration_contact)
    return "" if "@" in contact else contact


def office_post_address(office: Office) -> str:
    place = " ".join(p for p in (one_line(office.postal_code), one_line(office.city)) if p)
    if not one_line(office.street) or not place:
        return ""
    return ", ".join(p for p in (one_line(office.name), one_line(office.street), place) if p)


def reply_ways(m: MeetingData, office: Office) -> str:
    """`per Fax an 03643 1234 oder per E-Mail an info@…`, only the ways that exist; post as the last resort."""
    ways = []
    if fax := one_line(office.fax):
        ways.append(f"per Fax an {fax}")
    if email := reply_email(m, office):
        ways.append(f"per E-Mail an {email}")
    if not ways and (post := office_post_address(office)):
        ways.append(f"per Post an {post}")
    return " oder ".join(ways)


def has_reply_way(m: MeetingData, office: Office) -> bool:
    return bool(reply_ways(m, office))


def reply_sentence(m: MeetingData, office: Office, *, with_reply_form: bool) -> str:
    """ "Bitte melden Sie sich bis zum 29.05.2015 mit dem beiliegenden Antwortformular an – per E-Mail an …."
    with the assistance question; empty when the invitee has no way to reply."""
    ways = reply_ways(m, office)
    if not ways:
        return ""
    sentence = "Bitte melden Sie sich"
    if m.registration_deadline:
        sentence += f" bis zum {date_de(m.registration_deadline)}"
    if person := reply_person(m):
        sentence += f" bei {person}"
    if with_reply_form:
        sentence += " mit dem beiliegenden Antwortformular"
    sentence += f" an – {ways}. {ASSISTANCE_QUESTION}"
    sentence += " oder besondere Wünsche zur Verpflegung haben." if m.catering.strip() else "."
    return sentence


def venue_notes_sentences(m: MeetingData) -> str:
    parts = []
    if m.venue_name and m.venue_accessible:
        parts.append("Der Veranstaltungsort ist barrierefrei zugänglich.")
    if m.venue_directions.strip():
        parts.append(f"Wegbeschreibung: {m.venue_directions.strip()}")
    if m.venue_notes.strip():
        parts.append(m.venue_notes.strip())
    return " ".join(parts)


def change_lines(m: MeetingData) -> str:
    """One line per changed fact: `Datum: neu Donnerstag, 13. Februar 2020 (bisher Mittwoch, …)`."""
    return "\n".join(f"{c.label}: neu {c.after} (bisher {c.before})" for c in m.changes)


def template_values(
    m: MeetingData, office: Office, *, greeting: str = "", with_reply_form: bool = True, reply_code: str = ""
) -> dict[str, str]:
    """Every field a letter template can use, for one meeting (and one addressee's greeting and reply code)."""
    start, end = m.starts_at, m.ends_at
    return {
        "anrede": greeting,
        "code": reply_codes.printed(reply_code) if reply_code else "",
        "titel": m.title,
        "datum": date_de(start.date()),
        "datum_lang": long_date_de(start.date()),
        "uhrzeit": time_span(start, end),
        "beginn": f"{start:%H:%M} Uhr",
        "ende": f"{end:%H:%M} Uhr",
        "ort": m.venue_line,
        "ort_name": m.venue_name,
        "ort_hinweise": venue_notes_sentences(m),
        "thema": m.topic,
        "beschreibung": m.description,
        "referenten": ", ".join(s for s in m.speakers if s),
        "anmeldeschluss": date_de(m.registration_deadline),
        "antwort_an": reply_email(m, office),
        "fax": one_line(office.fax),
        "telefon": one_line(office.phone),
        "rueckmeldewege": reply_ways(m, office),
        "rueckmeldung": reply_sentence(m, office, with_reply_form=with_reply_form),
        "beitrag": money_de(m.fee) if m.fee else "",
        "verpflegung": m.catering,
        "mitglieder_hinweis": MEMBERS_ONLY_NOTE if m.members_only else "",
        "vorbehalt_hinweis": TENTATIVE_NOTE if m.is_tentative else "",
        "geschaeftsstelle": one_line(office.name),
        "geschaeftsstelle_kurz": one_line(office.short_name or office.name),
        "aenderungen": change_lines(m),
        PROGRAMME: PROGRAMME_MARK if m.agenda else "",
    }


def subject_line(m: MeetingData, kind: str) -> str:
    """The bold subject: the meeting's own one or "Einladung: … am …", marked while tentative."""
    when = date_de(m.starts_at.date())
    if kind == "cancellation":
        return f"Absage: {m.title} am {when}"
    if kind == "change":
        return f"Terminänderung: {m.title}"
    subject = m.subject.strip() or f"Einladung: {m.title} am {when}"
    return f"{subject} (unter Vorbehalt)" if m.is_tentative else subject
