"""DSGVO tools: what we store about a person and where (Art. 15), erasure that keeps anonymous counts and
leaves nothing of the person behind (Art. 17), automatic clearing of assistance and dietary needs after a
meeting, and old contacts of former members.

Erasure covers the person's own rows, every change-log entry that names them (also other records' entries,
e.g. a meeting's speakers), on request the free-text mentions found by name, and on SQLite the WAL file
(checkpoint) and free pages (`secure_delete`, set on every connection). An erasure register (contact id and
date only) lets an older backup, once restored, have every erasure made since applied again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Text, cast, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from geschaeftsstelle import paths
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import BUSY_TIMEOUT_MS, Database
from geschaeftsstelle.store.models import (
    AgendaItem,
    AuditEntry,
    Award,
    Contact,
    ErasureRecord,
    Invitation,
    LetterTemplate,
    Meeting,
    Member,
    Nomination,
    NominationAttachment,
    Office,
    Score,
    Venue,
)
from geschaeftsstelle.store.records import existing, load_for_update

ANONYMISED = "anonymisiert"
DEFAULT_NEEDS_RETENTION_MONTHS = 3
ERASURE_PENDING = (
    "Die Löschung ist gespeichert, ist aber erst vollständig aus der Datenbankdatei verschwunden, wenn die "
    "anderen Plätze und Fenster, die diese Datenbank gerade geöffnet haben, sie schließen."
)
_CHECKPOINT_WAIT_MS = 2000
_SHORTEST_NEEDLE = 3


def access_report(db: Database, contact_id: int) -> dict[str, Any]:
    """Everything stored about one person, as plain data for JSON and the Auskunft PDF."""
    with db.read() as s:
        c = existing(s.get(Contact, contact_id), "Den Kontakt gibt es nicht (mehr).")
        person = {
            "Anrede": c.salutation or "neutral",
            "Titel": c.title,
            "Vorname": c.first_name,
            "Nachname": c.last_name,
            "Funktion": c.role,
            "Organisation": c.organisation_name,
            "E-Mail": c.email,
            "Telefon": c.phone,
            "Straße": c.street,
            "PLZ": c.postal_code,
            "Ort": c.city,
            "Land": c.country,
            "Hauptansprechperson": c.is_primary,
            "Bedarfe": c.needs,
            "Notizen": c.notes,
        }
        invitations = []
        for inv in s.scalars(
            select(Invitation)
            .where(Invitation.contact_id == contact_id)
            .options(selectinload(Invitation.meeting))
            .order_by(Invitation.id)
        ):
            invitations.append(
                {
                    "Termin": inv.meeting.title,
                    "Datum": f"{inv.meeting.starts_at:%d.%m.%Y}",
                    "Eingeladen am": _de(inv.sent_on),
                    "Versandweg": inv.channel,
                    "Rückmeldung": inv.response,
                    "Rückmeldung am": _de(inv.responded_on),
                    "Personen": inv.persons,
                    "Namen": list(inv.attendee_names or []),
                    "Assistenzbedarf": inv.assistance,
                    "Verpflegung": inv.diet,
                    "Anwesend": inv.attended,
                    "Notizen": inv.notes,
                }
            )
        nominations = [
            {"Preisrunde": n.award.title, "Nominiert": n.nominee, "Eingegangen": _de(n.received_on), "Status": n.status}
            for n in s.scalars(select(Nomination).where(Nomination.nominated_by_id == contact_id))
        ]
        jury = [a.title for a in s.scalars(select(Award).where(Award.jury.any(Contact.id == contact_id)))]
        scores = s.scalar(select(Score.id).where(Score.juror_id == contact_id).limit(1)) is not None
        log = [
            {
                "Zeit": f"{e.at:%d.%m.%Y %H:%M}",
                "Benutzer": e.user_name,
                "Aktion": e.action,
                "Änderungen": e.changes,
            }
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "contact", AuditEntry.entity_id == contact_id)
                .order_by(AuditEntry.id)
            )
        ]
        mentions = [
            {"Datensatz": m.record, "Feld": m.field, "Auszug": m.excerpt} for m in _find_mentions(s, c, _names(c))
        ]
    return {
        "Person": person,
        "Einladungen und Rückmeldungen": invitations,
        "Eingereichte Nominierungen": nominations,
        "Jury": jury,
        "Hat als Jury bewertet": scores,
        "Änderungsprotokoll": log,
        "Erwähnungen in Freitexten": mentions,
        "Speicherorte": storage_places(db),
        "Erstellt am": dt.datetime.now().strftime("%d.%m.%Y %H:%M"),
    }


def storage_places(db: Database) -> list[dict[str, str]]:
    """Art. 15: every place the program keeps data about people, backups and the log file included."""
    places = [{"Ort": f"Datenbank {db.describe()}", "Inhalt": "alle oben genannten Angaben"}]
    if db.is_sqlite:
        from geschaeftsstelle.store import backup

        path = db.sqlite_path
        assert path is not None
        infos = backup.list_backups(db)
        oldest = min((b.taken_at for b in infos), default=None)
        count = f"{len(infos)} Datei(en)" + (f", die älteste vom {oldest:%d.%m.%Y}" if oldest else "")
        places.append(
            {
                "Ort": f"Sicherungen im Ordner {backup.backup_folder(path)} ({count})",
                "Inhalt": "Kopien der Datenbank zum jeweiligen Zeitpunkt; sie werden automatisch aufgeräumt. "
                "Wird eine ältere Sicherung wiederhergestellt, werden alle seither gelöschten Personen "
                "sofort wieder gelöscht.",
            }
        )
    else:
        places.append(
            {
                "Ort": "Sicherungen des Datenbankservers",
                "Inhalt": "Kopien der Datenbank, soweit die Verwaltung des Servers sie anlegt.",
            }
        )
    places.append(
        {
            "Ort": f"Protokolldatei im Ordner {paths.user_log_dir()}",
            "Inhalt": "keine Angaben zu Personen (nur Art eines Fehlers und Nummer des Datensatzes)",
        }
    )
    places.append(
        {
            "Ort": "exportierte und gedruckte Dateien (Briefe, Listen, Austauschdateien)",
            "Inhalt": "dort, wo sie gespeichert wurden; das Programm führt über sie nicht Buch",
        }
    )
    return places


def _de(value: dt.date | None) -> str | None:
    return f"{value:%d.%m.%Y}" if value else None


# --------------------------------------------------------------------------- finding the person by name


def _names(c: Contact) -> list[str]:
    """The forms in which lists and free texts name the person: full name, "Vorname Nachname",
    "Nachname, Vorname", e-mail and phone."""
    forms = [c.full_name, f"{c.first_name} {c.last_name}"]
    if c.first_name and c.last_name:
        forms.append(f"{c.last_name}, {c.first_name}")
    forms += [c.email or "", c.phone or ""]
    return _usable(forms)


def _log_needles(c: Contact) -> list[str]:
    """What other records' change-log entries must not keep: the names, e-mail and phone, and the
    street when it is the person's own (not the organisation's shared address)."""
    needles = _names(c)
    if c.street and (c.member is None or c.street.strip() != (c.member.street or "").strip()):
        needles += _usable([c.street])
    return needles


def _mention_needles(c: Contact) -> list[str]:
    """Free text names people more loosely ("Frau Beispiel"): the last name alone finds those too."""
    return _usable([*_names(c), c.last_name])


def _usable(forms: Iterable[str]) -> list[str]:
    out: list[str] = []
    for form in forms:
        form = " ".join(form.split())
        if len(form) >= _SHORTEST_NEEDLE and form.casefold() not in (o.casefold() for o in out):
            out.append(form)
    return out


@dataclass(frozen=True)
class Mention:
    """One free-text field that names the person: shown for review before erasing, blanked on request."""

    record: str
    """The record as the user knows it, e.g. „Termin „Kreisgruppensitzung“ (12.02.2020)“."""
    field: str
    """The field in German, e.g. „Programm: vortragende Person“."""
    excerpt: str
    """The text around the first mention."""
    entity: str
    record_id: int
    table: str
    column: str
    row_key: int | str


#: Free-text fields searched for mentions: model, column, German field name.
_FREE_TEXT: tuple[tuple[type[Any], str, str], ...] = (
    (AgendaItem, "presenter", "Programm: vortragende Person"),
    (AgendaItem, "title", "Programm: Titel"),
    (Nomination, "nominee", "Nominierung: nominiert"),
    (Nomination, "justification", "Nominierung: Begründung"),
    (Nomination, "category", "Nominierung: Kategorie"),
    (NominationAttachment, "label", "Nominierung: Anlage"),
    (Meeting, "topic", "Termin: Thema"),
    (Meeting, "description", "Termin: Beschreibung"),
    (Meeting, "registration_contact", "Termin: Anmeldung bei"),
    (Meeting, "catering", "Termin: Verpflegung"),
    (Meeting, "signatory", "Termin: Unterschrift"),
    (Meeting, "signatory2", "Termin: zweite Unterschrift"),
    (Invitation, "guest_name", "Einladung: Gast"),
    (Invitation, "attendee_names", "Einladung: Namen der Teilnehmenden"),
    (Invitation, "notes", "Einladung: Notizen"),
    (Member, "notes", "Mitglied: Notizen"),
    (Contact, "notes", "Kontakt: Notizen"),
    (Contact, "needs", "Kontakt: Bedarfe"),
    (Venue, "notes", "Ort: Notizen"),
    (Award, "notes", "Preisrunde: Notizen"),
    (Office, "signatory", "Briefkopf: Unterschrift"),
    (LetterTemplate, "text", "Briefvorlage: Text"),
)
_MODELS: dict[str, type[Any]] = {model.__name__: model for model, _, _ in _FREE_TEXT}


def find_mentions(db: Database, contact_id: int) -> list[Mention]:
    """Free-text fields of other records that name the person (programme rows, justifications, notes …)."""
    with db.read() as s:
        c = existing(s.get(Contact, contact_id), "Den Kontakt gibt es nicht (mehr).")
        return _find_mentions(s, c, _mention_needles(c))


def _pattern(needles: Sequence[str]) -> re.Pattern[str] | None:
    if not needles:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.IGNORECASE)


def _find_mentions(s: Session, c: Contact, needles: Sequence[str]) -> list[Mention]:
    pattern = _pattern(needles)
    if pattern is None:
        return []
    found: list[Mention] = []
    for model, column, field_name in _FREE_TEXT:
        attr: InstrumentedAttribute[Any] = getattr(model, column)
        for obj in s.scalars(select(model).where(_contains_any(attr, needles)).order_by(*_order(model))):
            if model is Contact and obj.id == c.id:
                continue
            if model is Invitation and obj.contact_id == c.id:
                continue  # the person's own invitations are anonymised as a whole
            text = _as_text(getattr(obj, column))
            match = pattern.search(text)
            if match is None:
                continue
            entity, record_id, record = _describe(obj)
            key = obj.kind if model is LetterTemplate else obj.id
            excerpt = _excerpt(text, match)
            found.append(Mention(record, field_name, excerpt, entity, record_id, model.__name__, column, key))
    return found


def _contains_any(attr: InstrumentedAttribute[Any], needles: Sequence[str]) -> Any:
    target: Any = cast(attr, Text) if attr.key == "attendee_names" else attr
    conditions = []
    for needle in needles:
        conditions.append(target.icontains(needle, autoescape=True))
        escaped = json.dumps(needle)[1:-1]
        if attr.key == "attendee_names" and escaped != needle:
            conditions.append(target.icontains(escaped, autoescape=True))
    return or_(*conditions)


def _order(model: type[Any]) -> list[Any]:
    return [model.kind] if model is LetterTemplate else [model.id]


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value or ""


def _excerpt(text: str, match: re.Match[str], around: int = 40) -> str:
    start, end = max(0, match.start() - around), min(len(text), match.end() + around)
    piece = " ".join(text[start:end].split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


#: The records a mention can stand in: (class, change-log entity, the record in German), first match wins.
_MENTION_RECORDS: tuple[tuple[type[Any], str, Callable[[Any], str]], ...] = (
    (Meeting, "meeting", lambda m: f"Termin „{m.title}“ ({m.starts_at:%d.%m.%Y})"),
    (Invitation, "invitation", lambda i: f"Einladung zu „{i.meeting.title}“ ({i.meeting.starts_at:%d.%m.%Y})"),
    (Nomination, "nomination", lambda n: f"Nominierung „{n.nominee}“ ({n.award.title})"),
    (Member, "member", lambda m: f"Mitglied „{m.name}“"),
    (Contact, "contact", lambda c: f"Kontakt „{c.full_name or c.organisation or c.id}“"),
    (Venue, "venue", lambda v: f"Ort „{v.name}“"),
    (Award, "award", lambda a: f"Preisrunde „{a.title}“"),
    (Office, "office", lambda _: "Briefkopf"),
)


def _describe(obj: Any) -> tuple[str, int, str]:
    """(change-log entity, its id, the record in German) for a row holding a mention. An agenda item is
    told as its meeting and an attachment as its nomination: that is what the change log and the office know."""
    if isinstance(obj, AgendaItem):
        obj = obj.meeting
    elif isinstance(obj, NominationAttachment):
        obj = obj.nomination
    for cls, entity, described in _MENTION_RECORDS:
        if isinstance(obj, cls):
            return entity, obj.id, described(obj)
    return "letter_template", 0, f"Briefvorlage „{obj.kind}“"


def _blank_mentions(s: Session, c: Contact) -> int:
    """Replace the person's name in every free-text mention by „anonymisiert“; returns the fields changed.

    Runs with the change log off (the log must not copy the old text); each record changed gets one
    entry saying that a name was blanked, nothing more."""
    needles = _mention_needles(c)
    pattern = _pattern(needles)
    mentions = _find_mentions(s, c, needles)
    if pattern is None or not mentions:
        return 0
    for m in mentions:
        obj = s.get(_MODELS[m.table], m.row_key)
        value = getattr(obj, m.column)
        if isinstance(value, list):
            setattr(obj, m.column, [pattern.sub(ANONYMISED, str(v)) for v in value])
        else:
            setattr(obj, m.column, pattern.sub(ANONYMISED, value))
    s.flush()
    now, user = dt.datetime.now().replace(microsecond=0), audit.current_user()
    for entity, record_id in sorted({(m.entity, m.record_id) for m in mentions if m.entity in audit.ENTITY_LABELS}):
        s.add(
            AuditEntry(
                at=now,
                user_name=user[:200],
                entity=entity,
                entity_id=record_id,
                label=ANONYMISED,
                action="update",
                changes={"dsgvo": ["", "Name geschwärzt (Art. 17 DSGVO)"]},
            )
        )
    return len(mentions)


# --------------------------------------------------------------------------- erasure


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a person removes; the confirmation dialog shows exactly this."""

    contact_id: int
    name: str
    invitations: int
    nominations: int
    scores: int
    audit_entries: int
    mentions: tuple[Mention, ...] = field(default=())

    def describe(self) -> str:
        parts = [f"Alle Angaben zu {self.name} (Name, Anschrift, E-Mail, Telefon, Bedarfe, Notizen) werden gelöscht."]
        if self.invitations:
            parts.append(
                f"{self.invitations} Einladung(en) bleiben für die Statistik als „{ANONYMISED}“ erhalten; Namen, "
                "Assistenz- und Verpflegungsangaben darin werden gelöscht."
            )
        if self.nominations:
            parts.append(f"Bei {self.nominations} Nominierung(en) wird die vorschlagende Person entfernt.")
        if self.scores:
            parts.append(f"{self.scores} Jury-Bewertung(en) dieser Person werden gelöscht.")
        if self.audit_entries:
            parts.append(f"{self.audit_entries} Einträge im Änderungsprotokoll werden geschwärzt.")
        parts.append("Wo andere Einträge im Änderungsprotokoll die Person nennen, wird der Name geschwärzt.")
        if self.mentions:
            parts.append(
                f"Der Name steht außerdem in {len(self.mentions)} Freitext-Feld(ern) (Liste unten); diese bleiben, "
                "wenn sie nicht ausdrücklich mit geschwärzt werden."
            )
        parts.append("Das kann nicht rückgängig gemacht werden.")
        return " ".join(parts)


@dataclass(frozen=True)
class ErasureDone:
    """The outcome of an erasure: what was planned, how many free-text fields were blanked, and whether
    the database file is already free of the person (False: another desk holds the WAL open)."""

    plan: ErasurePlan
    mentions_blanked: int
    complete: bool

    @property
    def message(self) -> str:
        done = f"{self.plan.name} ist gelöscht."
        return done if self.complete else f"{done} {ERASURE_PENDING}"


def plan_erasure(db: Database, contact_id: int) -> ErasurePlan:
    with db.read() as s:
        c = existing(s.get(Contact, contact_id), "Den Kontakt gibt es nicht (mehr).")
        invitation_ids = list(s.scalars(select(Invitation.id).where(Invitation.contact_id == contact_id)))
        return ErasurePlan(
            contact_id=contact_id,
            name=c.full_name or c.organisation or "diese Person",
            invitations=len(invitation_ids),
            nominations=len(list(s.scalars(select(Nomination.id).where(Nomination.nominated_by_id == contact_id)))),
            scores=len(list(s.scalars(select(Score.id).where(Score.juror_id == contact_id)))),
            audit_entries=len(list(s.scalars(select(AuditEntry.id).where(_own_log(contact_id, invitation_ids))))),
            mentions=tuple(_find_mentions(s, c, _mention_needles(c))),
        )


def _own_log(contact_id: int, invitation_ids: list[int]) -> Any:
    return or_(
        (AuditEntry.entity == "contact") & (AuditEntry.entity_id == contact_id),
        (AuditEntry.entity == "invitation") & AuditEntry.entity_id.in_(invitation_ids or [-1]),
    )


def erase_contact(
    db: Database, contact_id: int, *, version: int | None = None, blank_mentions: bool = False
) -> ErasureDone:
    """Art. 17: remove the person; invitations stay as anonymous rows so meeting counts stay true.

    `version` is the contact's version the user saw (a changed contact is refused with the conflict
    message); `blank_mentions` also blanks the name in the free-text fields `plan_erasure` listed."""
    plan = plan_erasure(db, contact_id)
    with db.transaction() as s:
        s.info["audit"] = False  # the erasure itself must not copy the data into the log
        c = load_for_update(s, Contact, contact_id, version, "Der Kontakt")
        blanked = _erase(s, c, blank_mentions=blank_mentions, erased_on=dt.date.today())
    return ErasureDone(plan, blanked, checkpoint(db))


def _erase(s: Session, c: Contact, *, blank_mentions: bool, erased_on: dt.date) -> int:
    """The erasure inside one transaction; returns the free-text fields blanked."""
    contact_id, member_id = c.id, c.member_id
    blanked = _blank_mentions(s, c) if blank_mentions else 0
    invitation_ids = list(s.scalars(select(Invitation.id).where(Invitation.contact_id == contact_id)))
    s.execute(
        update(Invitation)
        .where(Invitation.contact_id == contact_id)
        .values(
            contact_id=None,
            guest_name=ANONYMISED,
            guest_organisation=None,
            attendee_names=[],
            assistance="",
            diet="",
            notes="",
            version=Invitation.version + 1,
        )
    )
    audit.blank_entries(s, _own_log(contact_id, invitation_ids), _log_needles(c), ANONYMISED)
    s.delete(c)
    s.flush()
    s.add(
        AuditEntry(
            at=dt.datetime.now().replace(microsecond=0),
            user_name=audit.current_user()[:200],
            entity="contact",
            entity_id=contact_id,
            label=ANONYMISED,
            action="delete",
            changes={"dsgvo": ["", "Löschung nach Art. 17 DSGVO"]},
        )
    )
    s.add(ErasureRecord(contact_id=contact_id, erased_on=erased_on, mentions_blanked=blank_mentions))
    if member_id is not None:
        from geschaeftsstelle.members import refresh_member_search

        member = s.get(Member, member_id)
        if member is not None:
            s.refresh(member, ["contacts"])
            refresh_member_search(member)
    return blanked


def checkpoint(db: Database) -> bool:
    """SQLite: copy the WAL into the database file and empty it (erased values must not stay in the WAL).
    Returns False when another connection's open read keeps it from completing (it completes when the
    others close); PostgreSQL and journal files without WAL: True."""
    if not db.is_sqlite:
        return True
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_WAIT_MS}")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        row = cur.fetchone()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.close()
    finally:
        raw.close()
    return row is None or int(row[0]) == 0


# --------------------------------------------------------------------------- erasure register, backups


@dataclass(frozen=True)
class RegisteredErasure:
    """One line of the erasure register: no name, only the former contact id and the date."""

    contact_id: int
    erased_on: dt.date
    mentions_blanked: bool = False


def erasure_register(db: Database) -> list[RegisteredErasure]:
    with db.read() as s:
        return [
            RegisteredErasure(r.contact_id, r.erased_on, r.mentions_blanked)
            for r in s.scalars(select(ErasureRecord).order_by(ErasureRecord.id))
        ]


def register_in_file(path: Path) -> list[RegisteredErasure]:
    """The erasure register of a SQLite file (e.g. the state kept before a restore); empty when the file
    cannot be read or predates the register."""
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)) as conn:
            rows = conn.execute(
                "SELECT contact_id, erased_on, mentions_blanked FROM erasure_register ORDER BY id"
            ).fetchall()
    except (sqlite3.Error, OSError):
        return []
    return [RegisteredErasure(int(cid), dt.date.fromisoformat(str(on)), bool(m)) for cid, on, m in rows]


def reapply_erasures(db: Database, earlier: Iterable[RegisteredErasure] | Path | None = None) -> int:
    """After restoring an older backup: erase again everyone erased since that backup was made.

    `earlier` is the register as it was before the restore: read with `erasure_register(db)` before
    restoring, or the file `backup.restore_database` kept of the previous state. Its entries missing from
    the restored register are written into it and their contacts, still present in the old backup, erased
    again (with their free-text mentions when the first erasure blanked those). The restored register's
    own entries are already in effect in that state and are left alone (a contact id met there again
    belongs to someone added later). Returns how many people were erased again."""
    if isinstance(earlier, Path):
        earlier = register_in_file(earlier)
    wanted = list(earlier or [])
    erased = 0
    with db.transaction() as s:
        s.info["audit"] = False
        known = {(r.contact_id, r.erased_on) for r in s.scalars(select(ErasureRecord))}
        for entry in sorted(wanted, key=lambda e: e.erased_on):
            if (entry.contact_id, entry.erased_on) in known:
                continue
            known.add((entry.contact_id, entry.erased_on))
            c = s.get(Contact, entry.contact_id)
            if c is None:
                s.add(ErasureRecord(**vars(entry)))
                continue
            _erase(s, c, blank_mentions=entry.mentions_blanked, erased_on=entry.erased_on)
            erased += 1
    checkpoint(db)
    return erased


def reapplied_text(count: int) -> str:
    """What the restore tells the user after `reapply_erasures` (empty when nobody had to be erased again)."""
    if not count:
        return ""
    who = "eine seither gelöschte Person wurde" if count == 1 else f"{count} seither gelöschte Personen wurden"
    return f"Die Sicherung ist älter als Löschungen nach Art. 17 DSGVO: {who} erneut gelöscht."


# --------------------------------------------------------------------------- needs and stale contacts


def _before(today: dt.date, span: relativedelta) -> dt.date:
    """`today - span`, or the first representable day when the span reaches back before the year 1."""
    try:
        return today - span
    except (OverflowError, ValueError):
        return dt.date.min


def clear_old_needs(
    db: Database,
    months: int = DEFAULT_NEEDS_RETENTION_MONTHS,
    today: dt.date | None = None,
    *,
    standing_needs: bool = False,
) -> int:
    """Assistance and dietary needs are health-related data: clear them a while after the meeting.
    Returns the number of invitations cleared.

    A contact's own standing needs (what every new invitation starts with) stay: they are the person's
    standing wish, not the meeting's. Only when the user asks (`standing_needs`) are those of everyone
    invited to the cleared meetings cleared too."""
    if months < 0:
        raise UserError("Die Aufbewahrungsfrist für Bedarfe darf nicht negativ sein.")
    cutoff = dt.datetime.combine(_before(today or dt.date.today(), relativedelta(months=months)), dt.time())
    with db.transaction() as s:
        s.info["audit"] = False
        meeting_ids = select(Meeting.id).where(Meeting.ends_at < cutoff)
        result = s.execute(
            update(Invitation)
            .where(
                Invitation.meeting_id.in_(meeting_ids),
                or_(Invitation.assistance != "", Invitation.diet != ""),
            )
            .values(assistance="", diet="", version=Invitation.version + 1)
        )
        if standing_needs:
            invited = select(Invitation.contact_id).where(Invitation.meeting_id.in_(meeting_ids))
            s.execute(
                update(Contact)
                .where(Contact.id.in_(invited), or_(Contact.needs != "", Contact.diet != ""))
                .values(needs="", diet="", version=Contact.version + 1)
            )
        return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class StaleContact:
    contact_id: int
    name: str
    member: str
    left_on: dt.date


def contacts_of_former_members(db: Database, years: int, today: dt.date | None = None) -> list[StaleContact]:
    """Contacts of members that left more than `years` years ago: candidates for erasure."""
    if years < 0:
        raise UserError("Die Anzahl der Jahre (--years) darf nicht negativ sein.")
    cutoff = _before(today or dt.date.today(), relativedelta(years=years))
    with db.read() as s:
        rows = s.execute(
            select(Contact, Member.name, Member.left_on)
            .join(Member, Contact.member_id == Member.id)
            .where(Member.left_on.is_not(None), Member.left_on < cutoff)
            .order_by(Member.left_on, Member.name, Contact.last_name)
        ).all()
        return [StaleContact(c.id, c.full_name or "", name, left_on or cutoff) for c, name, left_on in rows]
