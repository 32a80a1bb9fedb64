"""Replies from online forms (issue 16.2): a CSV/XLSX export of any form tool becomes the meeting's replies.

The office collects registrations with its website, LimeSurvey, Microsoft Forms or Nextcloud Forms and
exports a table. Four steps, shared by the window and the command line:

1. read the table with the member import's hardened readers (encoding, limits, defused XML);
2. map columns to reply fields, proposed from German and English headers (also a form's long questions)
   and remembered per meeting once an import is applied;
3. `preview`: match each row to an invitation by reply code, else e-mail, else name (and organisation),
   and sort it into matched (a new reply, a change of a recorded one, or unchanged), new (a known contact
   not invited yet, or a guest) and doubtful (several candidates, conflicting answers, unreadable values,
   each with a German reason). Nothing is written;
4. `apply_import`: one transaction with the versions the preview saw; if another desk changed one of
   those invitations meanwhile, the German conflict line and nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table as Table_
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from geschaeftsstelle import member_import, reply_codes
from geschaeftsstelle.errors import ConflictError, FieldError, UserError
from geschaeftsstelle.invitations import Invitee, NonMemberError, invitees
from geschaeftsstelle.invitations import _move_up as move_up_waiting
from geschaeftsstelle.invitations import _refuse_non_members as refuse_non_members
from geschaeftsstelle.meetings import RESPONSE_LABELS, validate_invitation
from geschaeftsstelle.search import fold
from geschaeftsstelle.store.audit import current_user
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    MAX_PERSONS,
    AuditEntry,
    Contact,
    Invitation,
    Meeting,
    MeetingStatus,
    Member,
    ReplyImportMapping,
    Response,
)
from geschaeftsstelle.store.records import clean_text, conflict_message, row_lock

MAX_ROWS = member_import.MAX_ROWS
Table = member_import.Table

# --------------------------------------------------------------------------- fields and their mapping


@dataclass(frozen=True)
class ReplyField:
    """A reply field a form column can fill: whole header spellings, and parts of a form's question."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    keywords: tuple[str, ...] = ()


FIELDS: tuple[ReplyField, ...] = (
    ReplyField("code", "Rückmeldecode", ("code", "rueckmeldecode", "antwortcode", "einladungscode", "anmeldecode",
               "zugangscode", "zugangsschluessel", "token", "replycode", "invitationcode", "registrationcode",
               "accesscode", "ihrcode"), ("code", "zugangsschluessel")),
    ReplyField("email", "E-Mail", ("email", "emailadresse", "mail", "mailadresse", "emailaddress", "ihreemailadresse",
               "ihremail", "youremail", "youremailaddress"), ("email", "mailadresse")),
    ReplyField("first_name", "Vorname", ("vorname", "firstname", "givenname", "rufname"),
               ("vorname", "firstname", "givenname")),
    ReplyField("last_name", "Nachname", ("nachname", "lastname", "surname", "familienname", "familyname", "zuname"),
               ("nachname", "familienname", "lastname", "surname", "familyname")),
    ReplyField("name", "Name", ("name", "ihrname", "namevorname", "vornamename", "vorundnachname",
               "vornameundnachname", "vollstaendigername", "fullname", "yourname", "teilnehmerin", "teilnehmer",
               "teilnehmende", "person"), ("vorundnachname", "vornameundnachname", "vollstaendigername", "fullname",
               "ihrname", "yourname")),
    ReplyField("organisation", "Organisation", ("organisation", "organization", "verein", "einrichtung", "traeger",
               "firma", "institution", "company", "mitgliedsorganisation", "dienststelle", "verband", "arbeitgeber",
               "affiliation"), ("organisation", "organization", "verein", "einrichtung", "traeger", "institution",
               "firma", "company", "verband", "dienststelle")),
    ReplyField("answer", "Zu- oder Absage", ("teilnahme", "zusage", "zuabsage", "zusageabsage", "antwort",
               "rueckmeldung", "anmeldung", "teilnehmen", "attendance", "attending", "rsvp", "response", "answer",
               "participation"), ("teilnahme", "teilnehmen", "nehmensie", "zusage", "absage", "kommensie", "dabei",
               "attend", "participat", "rsvp")),
    ReplyField("persons", "Personen", ("personen", "anzahl", "anzahlpersonen", "personenzahl", "anzahlderpersonen",
               "teilnehmerzahl", "teilnehmendenzahl", "persons", "people", "numberofpersons", "numberofpeople",
               "guests"), ("anzahl", "personen", "persons", "people", "howmany", "numberof")),
    ReplyField("attendee_names", "Namen der Begleitpersonen", ("begleitpersonen", "begleitung",
               "namenderbegleitpersonen", "companions", "accompaniedby", "guestnames"),
               ("begleit", "companion", "accompan", "weiterepersonen", "weitereteilnehmende")),
    ReplyField("assistance", "Assistenzbedarf", ("assistenz", "assistenzbedarf", "barrierefreiheit",
               "unterstuetzungsbedarf", "beduerfnisse", "accessibility", "assistance", "specialneeds"),
               ("assistenz", "barriere", "unterstuetz", "rollstuhl", "gebaerden", "beduerfnis", "hilfebedarf",
               "assistance", "accessib")),
    ReplyField("diet", "Verpflegung", ("verpflegung", "essen", "ernaehrung", "ernaehrungsweise", "essenswunsch",
               "diaet", "unvertraeglichkeiten", "allergien", "diet", "dietary", "food", "meal", "catering"),
               ("verpflegung", "mittagessen", "abendessen", "essenswunsch", "ernaehrung", "vegetar", "vegan", "diaet",
               "unvertraeglich", "allergi", "buffet", "diet", "food", "meal", "catering")),
    ReplyField("notes", "Bemerkungen", ("bemerkung", "bemerkungen", "anmerkung", "anmerkungen", "kommentar",
               "kommentare", "notiz", "notizen", "nachricht", "hinweis", "hinweise", "sonstiges", "notes", "comment",
               "comments", "message", "remarks"), ("bemerkung", "anmerkung", "kommentar", "nachricht", "hinweis",
               "sonstig", "mitteilen", "comment", "remark", "message")),
)  # fmt: skip
FIELD_LABELS = {f.key: f.label for f in FIELDS}
#: The order in which a form's questions are read for keywords: specific words before general ones
#: ("Namen der Begleitpersonen" is the companions, not the persons; "Vorname" is not the name).
_KEYWORD_ORDER = ("code", "email", "attendee_names", "persons", "answer", "assistance", "diet", "notes",
                  "first_name", "last_name", "organisation", "name")  # fmt: skip
_BY_KEY = {f.key: f for f in FIELDS}
_EMPTY_VALUES = {"anonymous", "anonym", "-", "--", "n/a", "na", "keine angabe", "k. a.", "k.a."}

Mapping_ = dict[str, str]  # field key → column header


def _plausible(key: str, value: str) -> bool:
    value = value.strip()
    if not value or fold(value) in _EMPTY_VALUES:
        return False
    return "@" in value if key == "email" else True


def propose_mapping(headers: list[str], rows: list[list[str]] | None = None) -> Mapping_:
    """Field → header from German and English headers: whole spellings first, then words of a form's
    question. When two columns fit one field (Microsoft Forms' own „E-Mail“, often „anonymous“, and a
    question „Ihre E-Mail-Adresse“), the one with more plausible values in the first 200 rows wins."""
    sample = (rows or [])[:200]
    keys = [member_import.header_key(h) for h in headers]
    taken: set[int] = set()
    mapping: Mapping_ = {}

    def filled(key: str, i: int) -> int:
        return sum(1 for r in sample if i < len(r) and _plausible(key, r[i]))

    def take(f: ReplyField, candidates: list[int]) -> None:
        if candidates:
            best = max(candidates, key=lambda i: (filled(f.key, i), -i))
            mapping[f.key] = headers[best]
            taken.add(best)

    for f in FIELDS:
        take(f, [i for i, k in enumerate(keys) if k and k in f.synonyms and i not in taken])
    for key in _KEYWORD_ORDER:
        f = _BY_KEY[key]
        if key not in mapping:
            take(f, [i for i, k in enumerate(keys) if i not in taken and k and any(w in k for w in f.keywords)])
    return mapping


def _remembered(db: Database, meeting_id: int) -> Mapping_ | None:
    """As stored: the mapped fields, and an empty column for each field the user left out although the
    headers proposed one (it stays out next time)."""
    with db.read() as s:
        row = s.get(ReplyImportMapping, meeting_id)
        return dict(row.mapping) if row is not None else None


def remembered_mapping(db: Database, meeting_id: int) -> Mapping_ | None:
    """The mapping last applied for this meeting (mapped fields only), if any."""
    stored = _remembered(db, meeting_id)
    return {k: h for k, h in stored.items() if h} if stored is not None else None


def mapping_for(db: Database, meeting_id: int, table: Table) -> Mapping_:
    """What the window and the command line start from: the remembered choices where this file has their
    columns (a field left out stays out), the proposal from the headers for the rest."""
    proposal = propose_mapping(table.headers, table.rows)
    remembered = _remembered(db, meeting_id)
    if remembered is None:
        return proposal
    present = set(table.headers)
    decided = {k: h for k, h in remembered.items() if k in _BY_KEY and (not h or h in present)}
    kept = {k: h for k, h in decided.items() if h}
    for key, header in proposal.items():
        if key not in decided and header not in kept.values():
            kept[key] = header
    return kept


def parse_map_option(text: str) -> tuple[str, str]:
    """`field=column` of the command line's --map (an empty column unmaps the field)."""
    key, sep, header = text.partition("=")
    key = key.strip()
    if not sep or key not in _BY_KEY:
        choices = ", ".join(_BY_KEY)
        raise UserError(f"--map „{text}“: bitte Feld=Spalte angeben; Felder sind {choices}.")
    return key, header.strip()


def column_indexes(table: Table, mapping: Mapping_, file_name: str = "") -> dict[str, int]:
    """Field → column index; a mapped column missing from the file is one German line."""
    where = f" der Datei „{file_name}“" if file_name else ""
    indexes: dict[str, int] = {}
    for key, header in mapping.items():
        if key not in _BY_KEY:
            raise UserError(f"Das Feld „{key}“ gibt es beim Import von Anmeldungen nicht.")
        if not header:
            continue
        if header not in table.headers:
            raise UserError(
                f"Die Spalte „{header}“ (für {FIELD_LABELS[key]}) fehlt in{where or ' der Datei'}; "
                "bitte die Zuordnung ändern. Die Datenbank ist unverändert."
            )
        indexes[key] = table.headers.index(header)
    doubled = [h for h in set(mapping.values()) if h and list(mapping.values()).count(h) > 1]
    if doubled:
        raise UserError(f"Die Spalte „{doubled[0]}“ ist mehreren Feldern zugeordnet; bitte nur einem.")
    return indexes


# --------------------------------------------------------------------------- reading the answers

_WORD = re.compile(r"[a-z0-9]+")
_ACCEPT_PHRASES = {"ja", "j", "yes", "y", "zusage", "zugesagt", "ich nehme teil", "ich komme", "wir kommen",
                   "wir nehmen teil", "nehme teil", "teilnahme", "ich bin dabei", "wir sind dabei", "dabei",
                   "angemeldet", "anmeldung", "accept", "accepted", "attending", "i will attend", "will attend",
                   "i attend", "x", "wahr", "true"}  # fmt: skip
_DECLINE_PHRASES = {"nein", "n", "no", "absage", "abgesagt", "ich nehme nicht teil", "ich komme nicht",
                    "wir kommen nicht", "keine teilnahme", "leider nicht", "nicht dabei", "decline", "declined",
                    "not attending", "i will not attend", "will not attend", "falsch", "false"}  # fmt: skip
_TENTATIVE_PHRASES = {"vielleicht", "evtl", "eventuell", "unter vorbehalt", "vorbehaltlich", "unsicher",
                      "noch unklar", "noch offen", "unklar", "maybe", "perhaps", "tentative", "tentatively",
                      "not sure", "possibly"}  # fmt: skip
_TENTATIVE_WORDS = {"vielleicht", "evtl", "eventuell", "vorbehalt", "vorbehaltlich", "unsicher", "unklar", "maybe",
                    "perhaps", "tentative", "tentatively", "possibly"}  # fmt: skip
_DECLINE_WORDS = {"nein", "no", "nicht", "kein", "keine", "absage", "abgesagt", "not", "decline", "declined",
                  "cannot", "cant", "leider"}  # fmt: skip
_ACCEPT_WORDS = {"ja", "yes", "zusage", "zugesagt", "teil", "teilnahme", "komme", "kommen", "dabei", "angemeldet",
                 "accept", "accepted", "attend", "attending"}  # fmt: skip


def parse_answer(text: str) -> str | None:
    """accepted / declined / tentative from a form's answer in German or English; None if unreadable.

    „Ja, ich nehme teil“, „Zusage“, „yes“ → accepted; „Nein“, „Ich nehme nicht teil“, „Absage“ → declined;
    „vielleicht“, „unter Vorbehalt“ → tentative. A first word „ja“/„nein“ decides unless the rest says the
    opposite (then it is unreadable: better asked than guessed)."""
    words = _WORD.findall(fold(text))
    phrase = " ".join(words)
    if not phrase:
        return None
    if phrase in _ACCEPT_PHRASES:
        return Response.ACCEPTED.value
    if phrase in _DECLINE_PHRASES:
        return Response.DECLINED.value
    if phrase in _TENTATIVE_PHRASES:
        return Response.TENTATIVE.value
    first, rest = words[0], set(words[1:])
    if first in ("ja", "yes", "j", "y"):
        if rest & {"nein", "no"}:
            return None
        return Response.TENTATIVE.value if rest & _TENTATIVE_WORDS else Response.ACCEPTED.value
    if first in ("nein", "no", "n"):
        return None if rest & {"ja", "yes"} else Response.DECLINED.value
    all_words = set(words)
    if all_words & _TENTATIVE_WORDS:
        return Response.TENTATIVE.value
    if all_words & _DECLINE_WORDS:
        return Response.DECLINED.value
    if all_words & _ACCEPT_WORDS:
        return Response.ACCEPTED.value
    return None


_NUMBER_WORDS = {
    "null": 0, "kein": 0, "keine": 0, "zero": 0, "none": 0,
    "ein": 1, "eine": 1, "einer": 1, "eins": 1, "one": 1, "allein": 1, "alleine": 1, "nur ich": 1, "ich allein": 1,
    "ich": 1, "alone": 1, "just me": 1, "only me": 1, "myself": 1,
    "zwei": 2, "two": 2, "drei": 3, "three": 3, "vier": 4, "four": 4, "funf": 5, "five": 5, "sechs": 6, "six": 6,
    "sieben": 7, "seven": 7, "acht": 8, "eight": 8, "neun": 9, "nine": 9, "zehn": 10, "ten": 10, "elf": 11,
    "eleven": 11, "zwolf": 12, "twelve": 12,
    "zu zweit": 2, "zu dritt": 3, "zu viert": 4, "zu funft": 5, "zu sechst": 6, "zu siebt": 7, "zu acht": 8,
    "zu neunt": 9, "zu zehnt": 10, "zu elft": 11, "zu zwolft": 12,
}  # fmt: skip
_PERSON_UNITS = {"person", "personen", "pers", "persons", "people", "teilnehmende", "teilnehmer", "gaste",
                 "guests", "erwachsene", "leute"}  # fmt: skip


_NEGATIVE = re.compile(r"-\s*\d")


def parse_persons(text: str) -> int | None:
    """Persons as a number („2“, „2 Personen“) or in words up to twelve („zwei“, „zu dritt“, „twelve“);
    None if unreadable. The range is checked by the caller (at most MAX_PERSONS)."""
    if _NEGATIVE.search(text):
        return None
    words = [w for w in _WORD.findall(fold(text)) if w not in _PERSON_UNITS]
    phrase = " ".join(words)
    if phrase.isdigit() and len(phrase) <= 6:
        return int(phrase)
    return _NUMBER_WORDS.get(phrase)


_NAME_SEPARATORS = re.compile(r"\s*(?:[\n;,/&+]|\bund\b|\band\b)\s*", re.IGNORECASE)


def parse_names(text: str) -> list[str]:
    """Companions' names, one per line or separated by `;`, `,`, `/`, `&`, „und“, „and“."""
    return [n for n in (clean_text(p) for p in _NAME_SEPARATORS.split(text)) if n]


# --------------------------------------------------------------------------- the preview


@dataclass(frozen=True)
class FormReply:
    """What one row says; None where the file says nothing (the stored value is kept)."""

    response: str
    persons: int | None = None
    attendee_names: tuple[str, ...] | None = None
    assistance: str | None = None
    diet: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ReplyValues:
    """The reply an invitation has (or will have after the import): the fields an import writes."""

    response: str
    persons: int
    attendee_names: tuple[str, ...]
    assistance: str
    diet: str
    notes: str


class Section:
    MATCHED = "matched"
    NEW = "new"
    DOUBTFUL = "doubtful"


SECTION_LABELS = {Section.MATCHED: "Zugeordnet", Section.NEW: "Neu", Section.DOUBTFUL: "Zweifelhaft"}


@dataclass
class PreviewRow:
    """One row of the file and what the import would do with it."""

    line: int
    who: str  # the person as the file names them
    section: str = Section.DOUBTFUL
    reasons: list[str] = field(default_factory=list)  # German: why doubtful, or a hint
    reply: FormReply | None = None
    target: ReplyValues | None = None  # the invitation's reply after the import
    invitation_id: int | None = None
    version: int | None = None  # the invitation's version the preview saw
    invitee: str = ""  # the matched invitee as the board names them
    matched_by: str = ""
    change: str = ""  # German: „neue Rückmeldung: Zusage, 2 Personen“, „Änderung: …“, „unverändert“
    contact_id: int | None = None  # new: a known contact not invited yet
    guest_name: str = ""
    guest_organisation: str = ""
    duplicate_of: int | None = None  # the line of an identical row before it
    key: tuple[Any, ...] = ()  # whom the row is about (an invitation, a contact, a guest)

    @property
    def writes(self) -> bool:
        """Whether applying the preview writes this row (a matched change or a new person)."""
        if self.duplicate_of is not None or self.target is None:
            return False
        if self.section == Section.MATCHED:
            return bool(self.change) and not self.change.startswith("unverändert")
        return self.section == Section.NEW


@dataclass
class ReplyPreview:
    meeting_id: int
    meeting_title: str
    file_name: str
    mapping: Mapping_
    rows: list[PreviewRow]
    #: fields the headers proposed that the user left out: remembered as left out for the meeting
    left_out: tuple[str, ...] = ()

    def section(self, name: str) -> list[PreviewRow]:
        return [r for r in self.rows if r.section == name]

    @property
    def matched(self) -> list[PreviewRow]:
        return self.section(Section.MATCHED)

    @property
    def new(self) -> list[PreviewRow]:
        return self.section(Section.NEW)

    @property
    def doubtful(self) -> list[PreviewRow]:
        return self.section(Section.DOUBTFUL)

    def counts(self) -> dict[str, int]:
        matched = [r for r in self.matched if r.duplicate_of is None]
        return {
            "new_replies": sum(1 for r in matched if r.writes and r.change.startswith("neue")),
            "changes": sum(1 for r in matched if r.writes and r.change.startswith("Änderung")),
            "unchanged": sum(1 for r in self.matched if not r.writes),
            "new": sum(1 for r in self.new if r.duplicate_of is None),
            "doubtful": len(self.doubtful),
        }

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{len(self.matched)} zugeordnet ({c['new_replies']} neue Rückmeldungen, {c['changes']} Änderungen, "
            f"{c['unchanged']} unverändert), {c['new']} neu, {c['doubtful']} zweifelhaft."
        )

    def report_lines(self) -> list[str]:
        """The preview as the command line prints it: a summary, then one line per row and section."""
        lines = [f"„{self.file_name}“ für „{self.meeting_title}“: {self.summary()}"]
        for name in (Section.MATCHED, Section.NEW, Section.DOUBTFUL):
            rows = self.section(name)
            if rows:
                lines.append(f"{SECTION_LABELS[name]}:")
            for r in rows:
                who = f"{r.who} → {r.invitee}" if r.invitee and fold(r.invitee) != fold(r.who) else r.who or r.invitee
                text = r.change if name != Section.DOUBTFUL else " ".join(r.reasons)
                if name != Section.DOUBTFUL and r.reasons:
                    text += " (" + " ".join(r.reasons) + ")"
                lines.append(f"  Zeile {r.line}: {who}: {text}")
        return lines


_TITLES = {"dr", "prof", "dipl", "ing", "med", "phil", "rer", "nat", "herr", "frau", "hr", "fr", "mr", "mrs", "ms"}


def _name_key(text: str) -> str:
    """A name compared however it is written: „Dr. Apel, Anna“ and „anna apel“ are the same."""
    return " ".join(sorted(w for w in _WORD.findall(fold(text)) if w not in _TITLES))


def _org_key(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


@dataclass
class _Candidates:
    """The meeting's invitees and the known contacts, indexed the ways a row is matched."""

    invitees: dict[int, Invitee]
    by_code: dict[str, int]
    by_email: dict[str, list[int]]
    by_name: dict[str, list[int]]
    last_names: dict[int, str]
    contacts_by_email: dict[str, list[tuple[int, str, str]]]  # e-mail → (contact id, name, organisation)


def _read_candidates(db: Database, meeting_id: int, emails: Collection[str]) -> _Candidates:
    rows = invitees(db, meeting_id)
    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    last_names: dict[int, str] = {}
    for r in rows:
        if r.email:
            by_email[r.email.strip().casefold()].append(r.id)
        if r.addressee is not None and r.addressee.has_person:
            by_name[_name_key(f"{r.addressee.first_name} {r.addressee.last_name}")].append(r.id)
            last_names[r.id] = " ".join(_WORD.findall(fold(r.addressee.last_name)))
        elif r.name:
            by_name[_name_key(r.name)].append(r.id)
    invited_contacts = {r.contact_id for r in rows if r.contact_id is not None}
    contacts: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    wanted = sorted({e for e in emails if e not in by_email})
    with db.read() as s:
        for start in range(0, len(wanted), 500):
            query = (
                select(Contact.id, Contact.title, Contact.first_name, Contact.last_name, Contact.organisation,
                       Member.name, Contact.email)
                .outerjoin(Member, Contact.member_id == Member.id)
                .where(Contact.email.in_(wanted[start : start + 500]))
            )  # fmt: skip
            for cid, title, first, last, organisation, member_name, email in s.execute(query):
                if cid in invited_contacts:
                    continue
                name = " ".join(p for p in (title, first, last) if p) or organisation or member_name or ""
                contacts[(email or "").strip().casefold()].append((cid, name, member_name or organisation or ""))
    by_code = {r.reply_code: r.id for r in rows if r.reply_code}
    return _Candidates({r.id: r for r in rows}, by_code, by_email, by_name, last_names, contacts)


def _code_problem(code: str, cand: _Candidates) -> str | None:
    """Why a row's reply code names no invitee of this meeting (a wrong check character is caught by
    `reply_codes.check` before any lookup); None when it does."""
    try:
        canonical = reply_codes.check(code)
    except UserError as exc:
        return str(exc)
    if canonical in cand.by_code:
        return None
    return f"Der Code „{reply_codes.printed(canonical)}“ gehört zu keiner Einladung dieses Termins."


def _row_values(row: list[str], columns: Mapping[str, int]) -> dict[str, str]:
    return {key: clean_text(row[i]) if i < len(row) else "" for key, i in columns.items()}


def _label(invitee: Invitee) -> str:
    return f"{invitee.name} ({invitee.organisation})" if invitee.organisation else invitee.name


def _read_reply(values: dict[str, str], mapped: Collection[str], problems: list[str]) -> FormReply | None:
    """The row's answer, persons, companions and needs; problems (German) for what cannot be read."""
    response: str | None = Response.ACCEPTED.value  # a registration form without the question: it is a yes
    if "answer" in mapped:
        answer = values.get("answer", "")
        response = parse_answer(answer)
        if not answer.strip():
            problems.append("Die Antwort zur Teilnahme fehlt.")
        elif response is None:
            problems.append(f"Die Antwort „{answer[:60]}“ ist als Zu- oder Absage nicht lesbar.")
    persons: int | None = None
    if raw := values.get("persons", "").strip():
        persons = parse_persons(raw)
        if persons is None:
            problems.append(f"Die Personenzahl „{raw[:40]}“ ist nicht lesbar (Zahl oder Wort bis zwölf).")
        elif persons > MAX_PERSONS:
            problems.append(f"{persons} Personen sind zu viele für eine Anmeldung (höchstens {MAX_PERSONS}).")
            persons = None
    names = parse_names(values.get("attendee_names", "")) if values.get("attendee_names") else None
    if response == Response.DECLINED.value and persons is not None and persons > 1:
        problems.append(f"Die Antwort ist eine Absage, aber es sind {persons} Personen angegeben.")
    if names is not None and persons is None and not problems and response != Response.DECLINED.value:
        persons = min(1 + len(names), MAX_PERSONS)  # the companions and the person who answered
    if names is not None and persons is not None and len(names) > max(persons, 1):
        problems.append(f"Es sind mehr Namen ({len(names)}) als Personen ({persons}) angegeben.")
    if problems or response is None:
        return None
    return FormReply(
        response=response,
        persons=persons,
        attendee_names=tuple(names) if names is not None else None,
        assistance=values.get("assistance") or None,
        diet=values.get("diet") or None,
        notes=values.get("notes") or None,
    )


def _stored(invitee: Invitee) -> ReplyValues:
    return ReplyValues(invitee.response, invitee.persons, tuple(invitee.attendee_names), invitee.assistance,
                       invitee.diet, invitee.notes)  # fmt: skip


def _target(reply: FormReply, stored: ReplyValues | None) -> ReplyValues:
    """The reply after the import: the file's values; where it says nothing, what is stored; a form's note
    is added to the office's own notes (once: a second import of the same file changes nothing)."""
    persons = reply.persons
    if persons is None:
        replied = stored is not None and stored.response != Response.OPEN.value and stored.persons >= 1
        persons = stored.persons if replied and stored is not None else 1
    notes = stored.notes if stored is not None else ""
    if reply.notes and reply.notes not in notes:
        notes = f"{notes}\n{reply.notes}" if notes else reply.notes
    return ReplyValues(
        response=reply.response,
        persons=persons,
        attendee_names=reply.attendee_names if reply.attendee_names is not None
        else (stored.attendee_names if stored is not None else ()),
        assistance=reply.assistance if reply.assistance is not None else (stored.assistance if stored else ""),
        diet=reply.diet if reply.diet is not None else (stored.diet if stored else ""),
        notes=notes,
    )  # fmt: skip


def _describe(values: ReplyValues) -> str:
    text = RESPONSE_LABELS[Response(values.response)]
    if values.response != Response.DECLINED.value:
        text += f", {values.persons} {'Person' if values.persons == 1 else 'Personen'}"
    if values.attendee_names:
        text += " (" + ", ".join(values.attendee_names) + ")"
    if values.assistance:
        text += f", Assistenz: {values.assistance}"
    if values.diet:
        text += f", Verpflegung: {values.diet}"
    return text


def _change(stored: ReplyValues, target: ReplyValues, recorded: bool) -> str:
    if not recorded:
        return "neue Rückmeldung: " + _describe(target)
    parts = []
    if stored.response != target.response:
        old, new = (RESPONSE_LABELS[Response(v)] for v in (stored.response, target.response))
        parts.append(f"{old} → {new}")
    if stored.persons != target.persons:
        parts.append(f"Personen {stored.persons} → {target.persons}")
    if stored.attendee_names != target.attendee_names:
        parts.append("Namen: " + (", ".join(target.attendee_names) or "keine"))
    for label, old_text, new_text in (("Assistenz", stored.assistance, target.assistance),
                                      ("Verpflegung", stored.diet, target.diet)):  # fmt: skip
        if old_text != new_text:
            parts.append(f"{label}: {new_text or 'keine Angabe'}")
    if stored.notes != target.notes:
        parts.append("Bemerkung ergänzt")
    if not parts:
        return "unverändert (schon so erfasst)"
    return "Änderung: " + "; ".join(parts)


def _who(values: dict[str, str]) -> str:
    person = " ".join(p for p in (values.get("first_name", ""), values.get("last_name", "")) if p)
    name = person or values.get("name", "") or values.get("email", "")
    organisation = values.get("organisation", "")
    return f"{name} ({organisation})" if name and organisation else name or organisation


def _email(values: dict[str, str]) -> str:
    email = values.get("email", "").strip().casefold()
    return email if "@" in email else ""


def _match(row: PreviewRow, values: dict[str, str], cand: _Candidates) -> None:
    """Code, else e-mail, else name (and organisation); sets the row's invitation or its new person."""
    person = " ".join(p for p in (values.get("first_name", ""), values.get("last_name", "")) if p)
    name_key = _name_key(person or values.get("name", ""))
    org_key = _org_key(values.get("organisation", ""))
    email = _email(values)
    found: list[int] = []
    if code := values.get("code", "").strip():
        if (problem := _code_problem(code, cand)) is None:
            found, row.matched_by = [cand.by_code[reply_codes.normalise(code)]], "Code"
        else:
            row.reasons.append(problem)
    if not found and email and (by_email := cand.by_email.get(email)):
        found, row.matched_by = by_email, "E-Mail"
        if len(found) > 1 and name_key:
            narrowed = [i for i in found if i in cand.by_name.get(name_key, [])]
            found, row.matched_by = (narrowed, "E-Mail und Name") if narrowed else (found, row.matched_by)
    if not found and name_key and (by_name := cand.by_name.get(name_key)):
        found, row.matched_by = by_name, "Name"
        if len(found) > 1 and org_key:
            narrowed = [i for i in found if _org_key(cand.invitees[i].organisation) == org_key]
            found, row.matched_by = (narrowed, "Name und Organisation") if narrowed else (found, row.matched_by)
        elif org_key and _org_key(cand.invitees[found[0]].organisation) == org_key:
            row.matched_by = "Name und Organisation"
    if len(found) > 1:
        names = ", ".join(_label(cand.invitees[i]) for i in found[:3]) + (" …" if len(found) > 3 else "")
        row.reasons.append(f"Die Zeile passt zu {len(found)} Eingeladenen ({names}); bitte von Hand erfassen.")
        return
    if found:
        invitee = cand.invitees[found[0]]
        last = " ".join(_WORD.findall(fold(values.get("last_name", "") or values.get("name", ""))))
        known_last = cand.last_names.get(invitee.id)
        if row.matched_by == "E-Mail" and last and known_last and known_last not in last:
            row.reasons.append(f"Die E-Mail-Adresse gehört zu „{_label(invitee)}“, der Name „{_who(values)}“ nicht.")
            return
        row.invitation_id, row.version, row.invitee = invitee.id, invitee.version, _label(invitee)
        row.key = ("invitation", invitee.id)
        row.section = Section.MATCHED
        if row.reasons:  # a wrong code, found by e-mail or name all the same
            row.reasons = [f"{row.reasons[0]} Zugeordnet über {row.matched_by}."]
        return
    if row.reasons:  # a code that fits nobody: not a new guest
        return
    if email and (contacts := cand.contacts_by_email.get(email)):
        if len(contacts) > 1:
            row.reasons.append(f"Die E-Mail-Adresse gehört zu {len(contacts)} Kontakten; bitte von Hand einladen.")
            return
        cid, name, organisation = contacts[0]
        row.contact_id, row.invitee = cid, f"{name} ({organisation})" if organisation else name
        row.matched_by, row.key, row.section = "E-Mail (Kontakt, nicht eingeladen)", ("contact", cid), Section.NEW
        return
    guest = person or values.get("name", "")
    if not guest:
        row.reasons.append("Die Zeile nennt weder Code noch E-Mail-Adresse einer eingeladenen Person noch einen Namen.")
        return
    if len(guest) > 300 or len(values.get("organisation", "")) > 300:
        row.reasons.append("Name oder Organisation sind zu lang (höchstens 300 Zeichen).")
        return
    row.guest_name, row.guest_organisation = guest, values.get("organisation", "")
    row.invitee = _who(values)
    row.matched_by, row.key, row.section = "neu als Gast", ("guest", name_key, org_key), Section.NEW


def _mark_repeats(rows: list[PreviewRow]) -> None:
    """Several rows about the same person: identical answers count once; different ones are doubtful."""
    groups: dict[tuple[Any, ...], list[PreviewRow]] = defaultdict(list)
    for r in rows:
        if r.key and r.section != Section.DOUBTFUL:
            groups[r.key].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        if all(r.reply == group[0].reply for r in group):
            for r in group[1:]:
                r.duplicate_of = group[0].line
                r.change = f"doppelt, wie Zeile {group[0].line}: wird einmal übernommen"
            continue
        lines = ", ".join(str(r.line) for r in group)
        for r in group:
            r.section = Section.DOUBTFUL
            r.reasons.append(f"Für „{r.invitee or r.who}“ stehen in den Zeilen {lines} verschiedene Antworten.")


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise UserError(f"„{meeting.title}“ ist abgesagt; Anmeldungen werden nicht mehr übernommen.")


def _check_readable(table: Table, columns: Mapping[str, int], file_name: str) -> None:
    """A character no encoding we read could decode (U+FFFD) would be stored as garbage: refuse the file."""
    for offset, row in enumerate(table.rows):
        if any("\ufffd" in row[i] for i in columns.values() if i < len(row)):
            line = table.lines[offset] if offset < len(table.lines) else offset + 2
            raise UserError(
                f"Die Datei „{file_name}“ hat in Zeile {line} Zeichen in unlesbarer Kodierung (weder UTF-8 noch "
                "UTF-16 noch Windows-1252); bitte als „CSV UTF-8“ speichern. Die Datenbank ist unverändert."
            )


def preview(db: Database, meeting_id: int, table: Table, mapping: Mapping_, file_name: str = "") -> ReplyPreview:
    """What importing `table` with `mapping` would do for the meeting; reads only, writes nothing."""
    with db.read() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("Den Termin gibt es nicht (mehr).")
        _refuse_cancelled(meeting)
        title = meeting.title
    if len(table.rows) > MAX_ROWS:
        raise UserError(f"Die Datei „{file_name}“ hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
    columns = column_indexes(table, mapping, file_name)
    if not columns.keys() & {"code", "email", "name", "first_name", "last_name"}:
        raise UserError("Keine Spalte ist Code, E-Mail oder Name zugeordnet; so lässt sich keine Zeile zuordnen.")
    _check_readable(table, columns, file_name)
    all_values = [_row_values(row, columns) for row in table.rows]
    cand = _read_candidates(db, meeting_id, {e for v in all_values if (e := _email(v))})
    rows: list[PreviewRow] = []
    for offset, values in enumerate(all_values):
        line = table.lines[offset] if offset < len(table.lines) else offset + 2
        row = PreviewRow(line=line, who=_who(values))
        problems = list(table.row_problems.get(offset, []))
        row.reply = _read_reply(values, columns.keys(), problems)
        _match(row, values, cand)
        if problems:
            row.section = Section.DOUBTFUL
            row.reasons = problems + row.reasons
        rows.append(row)
    _mark_repeats(rows)
    for row in rows:
        if row.section == Section.DOUBTFUL or row.reply is None:
            row.section = Section.DOUBTFUL
            continue
        stored = _stored(cand.invitees[row.invitation_id]) if row.invitation_id is not None else None
        row.target = _target(row.reply, stored)
        if row.duplicate_of is not None:
            continue
        if stored is not None:
            recorded = stored.response != Response.OPEN.value or cand.invitees[row.invitation_id or 0].responded_on
            row.change = _change(stored, row.target, bool(recorded))
        else:
            row.change = "einladen mit Rückmeldung: " + _describe(row.target)
    left_out = tuple(k for k in propose_mapping(table.headers, table.rows) if k not in mapping)
    return ReplyPreview(meeting_id, title, file_name, dict(mapping), rows, left_out)


def read_preview(db: Database, meeting_id: int, path: Path, mapping: Mapping_ | None = None) -> ReplyPreview:
    """Read the file and preview it with `mapping`, else the remembered or proposed one."""
    table = member_import.read_table(path)
    return preview(db, meeting_id, table, mapping_for(db, meeting_id, table) if mapping is None else mapping, path.name)


# --------------------------------------------------------------------------- applying


@dataclass(frozen=True)
class ImportOutcome:
    new_replies: int
    changes: int
    invited: int
    skipped_new: int
    doubtful: int
    waitlisted: int = 0  # acceptances that did not fit: on the Warteliste
    moved_up: tuple[int, ...] = ()  # invitations moved up from the Warteliste (for the „Platz frei“ letters)

    def summary(self) -> str:
        text = (
            f"{self.new_replies} neue Rückmeldungen und {self.changes} Änderungen übernommen, "
            f"{self.invited} Personen neu eingeladen"
        )
        if self.skipped_new:
            text += f", {self.skipped_new} neue Personen nicht eingeladen"
        if self.waitlisted:
            text += f", {self.waitlisted} Zusagen auf der Warteliste (Termin voll)"
        if self.moved_up:
            text += f", {len(self.moved_up)} von der Warteliste nachgerückt"
        if self.doubtful:
            text += f", {self.doubtful} zweifelhafte Zeilen nicht übernommen"
        return text + "."


_WRITTEN = ("response", "persons", "attendee_names", "assistance", "diet", "notes", "responded_on")
_WAITING = ("waitlisted_at", "moved_up_at")


def _accepted_persons(s: Session, meeting_id: int) -> int:
    query = select(func.coalesce(func.sum(Invitation.persons), 0)).where(
        Invitation.meeting_id == meeting_id, Invitation.response == Response.ACCEPTED.value
    )
    return int(s.scalar(query) or 0)


def _check(values: ReplyValues, line: int) -> None:
    """The reply checked as `invitations.record_reply` checks it (the same validation, on a transient row)."""
    probe = Invitation(response=values.response, persons=values.persons, attendee_names=list(values.attendee_names),
                       channel=None)  # fmt: skip
    errors = validate_invitation(probe)
    if len(values.attendee_names) > max(values.persons, 1):
        errors.append(FieldError("attendee_names", "Es sind mehr Namen als Personen angegeben."))
    if errors:
        raise UserError(f"Zeile {line}: {errors[0].message} Die Datenbank ist unverändert.")


def _new_values(values: ReplyValues, old_response: str, old_responded_on: dt.date | None, today: dt.date
                ) -> dict[str, Any]:  # fmt: skip
    responded_on = today if old_response != values.response or old_responded_on is None else old_responded_on
    return {"response": values.response, "persons": values.persons, "attendee_names": list(values.attendee_names),
            "assistance": clean_text(values.assistance), "diet": clean_text(values.diet),
            "notes": clean_text(values.notes), "responded_on": responded_on}  # fmt: skip


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass
class _Places:
    """The meeting's capacity and the persons accepted so far, for the waiting-list rule of
    `invitations.record_reply`: an acceptance that does not fit waits, in order of arrival (file order)."""

    capacity: int | None
    taken: int
    waitlisted: int = 0

    def place(self, values: dict[str, Any], before: str, now: dt.datetime) -> None:
        """Set response, waitlisted_at and moved_up_at of a reply about to be written (`values`)."""
        accepted, waiting = Response.ACCEPTED.value, Response.WAITLISTED.value
        if values["response"] != accepted:
            return
        if before == accepted or self.capacity is None:
            self.taken += values["persons"]  # an acceptance already held keeps its place
        elif self.taken + values["persons"] > self.capacity:
            values["response"] = waiting
            self.waitlisted += 1
            if before != waiting:
                values["waitlisted_at"] = now
        else:
            self.taken += values["persons"]
            if before == waiting:
                values["moved_up_at"] = now


def _update_replies(s: Session, meeting_id: int, rows: list[PreviewRow], today: dt.date, places: _Places) -> None:
    """The matched changes as one executemany UPDATE with the change log entries the ORM would write, in
    bulk: 2,000 rows through the ORM cost seconds (a flush per row, a contact loaded for each log label).
    The rows are read first with the versions (locked on PostgreSQL; SQLite's write lock is held), so a
    change by another desk since the preview is the German conflict line and nothing is written."""
    seen = {r.invitation_id: r for r in rows if r.invitation_id is not None}
    columns = (Invitation.id, Invitation.version, Contact.title, Contact.first_name, Contact.last_name,
               Invitation.guest_name, *(getattr(Invitation, k) for k in (*_WRITTEN, *_WAITING)))  # fmt: skip
    current: dict[int, Any] = {}
    ids = sorted(seen)
    for start in range(0, len(ids), 5000):
        query = (select(*columns).outerjoin(Contact, Invitation.contact_id == Contact.id)
                 .where(Invitation.id.in_(ids[start : start + 5000])))  # fmt: skip
        if row_lock(s):
            query = query.with_for_update(of=Invitation)
        current.update((r.id, r) for r in s.execute(query))
    updates: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    now = dt.datetime.now().replace(microsecond=0)
    user = (s.info.get("audit_user") or current_user())[:200]
    for inv_id, row in seen.items():
        found = current.get(inv_id)
        if found is None:
            raise ConflictError(f"Die Einladung von „{row.invitee}“ wurde inzwischen gelöscht; bitte die Datei "
                                "noch einmal einlesen. Die Datenbank ist unverändert.")  # fmt: skip
        if found.version != row.version:
            raise ConflictError(conflict_message(f"Die Einladung von „{row.invitee}“"))
        assert row.target is not None
        _check(row.target, row.line)
        new = _new_values(row.target, found.response, found.responded_on, today)
        new |= {"waitlisted_at": found.waitlisted_at, "moved_up_at": found.moved_up_at}
        if found.response == Response.ACCEPTED.value:
            places.taken -= found.persons  # counted again by `place` with the persons the file gives
        places.place(new, found.response, now)
        updates.append({"_id": inv_id, "_version": found.version, **new})
        changes = {k: [_plain(getattr(found, k)), _plain(v)] for k, v in new.items() if getattr(found, k) != v}
        who = " ".join(p for p in (found.title, found.first_name, found.last_name) if p) or (found.guest_name or "")
        log.append({"at": now, "user_name": user, "entity": "invitation", "entity_id": inv_id,
                    "label": f"{who} – Termin {meeting_id}"[:300], "action": "update", "changes": changes})  # fmt: skip
    if not updates:
        return
    table = cast(Table_, Invitation.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
        .values({k: bindparam(k) for k in (*_WRITTEN, *_WAITING)} | {"version": table.c.version + 1})
    )
    done = s.connection().execute(statement, updates)
    if s.get_bind().dialect.supports_sane_multi_rowcount and done.rowcount != len(updates):
        raise ConflictError(conflict_message("Eine der Einladungen"))
    if s.info.get("audit", True):
        s.execute(insert(AuditEntry), log)


def non_members(db: Database, result: ReplyPreview) -> list[str]:
    """The new people of the preview a members-only meeting needs a confirmation for (guests, contacts of
    no member or of a former one), as „Name (kein Mitglied)“; empty for other meetings."""
    new = [r for r in result.new if r.writes]
    with db.read() as s:
        meeting = s.get(Meeting, result.meeting_id)
        if meeting is None or not meeting.members_only or not new:
            return []
        names = [f"{r.guest_name} (kein Mitglied)" for r in new if r.contact_id is None]
        try:
            refuse_non_members(s, meeting, {r.contact_id: (r.invitee, r.invitee) for r in new
                                            if r.contact_id is not None})  # fmt: skip
        except NonMemberError as exc:
            names += exc.names
    return names


def apply_import(
    db: Database, result: ReplyPreview, *, add_new: bool | Collection[int] = False, allow_non_members: bool = False
) -> ImportOutcome:
    """Write the preview in one transaction: matched changes always; new people when `add_new` is True
    (or the lines it lists). Refused with the German conflict line, nothing written, when an invitation
    changed since the preview (its version), a new contact was invited meanwhile, or the meeting is
    cancelled. With a capacity, acceptances that no longer fit go onto the Warteliste in file order and
    places freed by declines go to the waiting (as `invitations.record_reply` does); new people who are no
    members of a members-only meeting only with `allow_non_members`. The mapping is remembered."""
    changes = [r for r in result.matched if r.writes]
    wanted_new = [r for r in result.new if r.writes and (add_new is True or (
        not isinstance(add_new, bool) and r.line in add_new))]  # fmt: skip
    today = dt.date.today()
    with db.transaction() as s:
        meeting = s.get(Meeting, result.meeting_id, with_for_update=row_lock(s))
        if meeting is None:
            raise UserError("Den Termin gibt es nicht (mehr).")
        _refuse_cancelled(meeting)
        places = _Places(meeting.capacity, _accepted_persons(s, meeting.id))
        _update_replies(s, result.meeting_id, changes, today, places)
        contact_ids = [r.contact_id for r in wanted_new if r.contact_id is not None]
        if contact_ids:
            already = s.scalars(
                select(Invitation.contact_id).where(
                    Invitation.meeting_id == result.meeting_id, Invitation.contact_id.in_(contact_ids)
                )
            ).first()
            if already is not None:
                raise ConflictError("Eine der neuen Personen wurde inzwischen eingeladen; bitte die Datei noch einmal "
                                    "einlesen. Die Datenbank ist unverändert.")  # fmt: skip
            existing = set(s.scalars(select(Contact.id).where(Contact.id.in_(contact_ids))))
            if gone := [r for r in wanted_new if r.contact_id is not None and r.contact_id not in existing]:
                raise ConflictError(f"Den Kontakt „{gone[0].invitee}“ gibt es nicht mehr; bitte die Datei noch "
                                    "einmal einlesen. Die Datenbank ist unverändert.")  # fmt: skip
        if meeting.members_only and not allow_non_members and wanted_new:
            if guests := [f"{r.guest_name} (kein Mitglied)" for r in wanted_new if r.contact_id is None]:
                raise NonMemberError(meeting.title, guests)
            refuse_non_members(s, meeting, {r.contact_id: (r.invitee, r.invitee) for r in wanted_new
                                            if r.contact_id is not None})  # fmt: skip
        now = dt.datetime.now()
        for row in wanted_new:
            assert row.target is not None
            _check(row.target, row.line)
            values = _new_values(row.target, Response.OPEN.value, None, today)
            places.place(values, Response.OPEN.value, now)
            s.add(Invitation(
                meeting_id=result.meeting_id,
                contact_id=row.contact_id,
                guest_name=None if row.contact_id is not None else row.guest_name,
                guest_organisation=None if row.contact_id is not None else (row.guest_organisation or None),
                **values,
            ))  # fmt: skip
        s.flush()
        moved_up = move_up_waiting(s, meeting)
        remembered = {k: "" for k in result.left_out} | dict(result.mapping)
        stored = s.get(ReplyImportMapping, result.meeting_id)
        if stored is None:
            s.add(ReplyImportMapping(meeting_id=result.meeting_id, mapping=remembered))
        elif stored.mapping != remembered:
            stored.mapping = remembered
        s.flush()
    counts = result.counts()
    return ImportOutcome(
        new_replies=counts["new_replies"],
        changes=counts["changes"],
        invited=len(wanted_new),
        skipped_new=counts["new"] - len(wanted_new),
        doubtful=counts["doubtful"],
        waitlisted=places.waitlisted,
        moved_up=tuple(moved_up),
    )
