"""Exchange format v1: the whole office as one JSON file (docs/exchange-format.md).

Export writes everything in a stable order with ids renumbered by position, so export → import into
an empty database → export gives the identical file. Import is all or nothing: it reads and checks the
whole file, builds every row in one transaction and refuses the first problem with one line naming
the entry and field, e.g. `meetings[3].ends_at: Ende liegt vor Beginn.` (indices count from 0).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from geschaeftsstelle import awards, letter_templates, meetings, members, office
from geschaeftsstelle.database import Database
from geschaeftsstelle.errors import FieldError, UserError
from geschaeftsstelle.models import (
    MAX_PERSONS,
    STATES,
    AgendaItem,
    AgendaKind,
    AuditEntry,
    Award,
    AwardCriterion,
    Channel,
    Contact,
    Invitation,
    LetterKind,
    LetterTemplate,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    MemberTag,
    Nomination,
    NominationAttachment,
    NominationStatus,
    Office,
    Response,
    Salutation,
    SalutationStyle,
    Score,
    Venue,
)
from geschaeftsstelle.validation import normalize_iban

FORMAT = "geschaeftsstelle"
VERSION = 1
DATE = "%Y-%m-%d"
DATETIME = "%Y-%m-%dT%H:%M"
TIME = "%H:%M"
AUDIT_TIME = "%Y-%m-%dT%H:%M:%S"
_SHAPES = {
    DATE: re.compile(r"\d{4}-\d{2}-\d{2}"),
    DATETIME: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    TIME: re.compile(r"\d{2}:\d{2}"),
    AUDIT_TIME: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"),
}


class ExchangeError(UserError):
    """A problem in an exchange file, as one line `path.field: message`."""


# =========================================================================== export


def _date(value: dt.date | None) -> str | None:
    return value.strftime(DATE) if value else None


def _datetime(value: dt.datetime) -> str:
    return value.strftime(DATETIME)


def _opt_datetime(value: dt.datetime | None) -> str | None:
    return value.strftime(DATETIME) if value else None


def _time(value: dt.time | None) -> str | None:
    return value.strftime(TIME) if value else None


def export_office(db: Database) -> dict[str, Any]:
    with db.read() as s:
        return _export(s)


def _export(s: Session) -> dict[str, Any]:
    member_rows = list(s.scalars(select(Member).options(selectinload(Member.tag_rows)).order_by(Member.id)))
    contact_rows = list(s.scalars(select(Contact).order_by(Contact.id)))
    venue_rows = list(s.scalars(select(Venue).order_by(Venue.id)))
    meeting_rows = list(
        s.scalars(
            select(Meeting)
            .options(selectinload(Meeting.agenda), selectinload(Meeting.speakers), selectinload(Meeting.invitations))
            .order_by(Meeting.id)
        )
    )
    award_rows = list(
        s.scalars(
            select(Award)
            .options(
                selectinload(Award.criteria),
                selectinload(Award.jury),
                selectinload(Award.nominations).selectinload(Nomination.scores),
                selectinload(Award.nominations).selectinload(Nomination.attachments),
            )
            .order_by(Award.id)
        )
    )
    member_ref = {m.id: f"m{i + 1}" for i, m in enumerate(member_rows)}
    contact_ref = {c.id: f"c{i + 1}" for i, c in enumerate(contact_rows)}
    venue_ref = {v.id: f"v{i + 1}" for i, v in enumerate(venue_rows)}
    meeting_ref = {m.id: f"t{i + 1}" for i, m in enumerate(meeting_rows)}
    criterion_name = {c.id: c.name for a in award_rows for c in a.criteria}
    award_ref = {a.id: f"a{i + 1}" for i, a in enumerate(award_rows)}
    invitation_ref = {
        inv.id: f"{meeting_ref[m.id]}.invitations[{i}]" for m in meeting_rows for i, inv in enumerate(m.invitations)
    }
    nomination_ref_by_id = {n.id: f"n{k + 1}" for k, n in enumerate(n for a in award_rows for n in a.nominations)}
    refs_by_entity: dict[str, dict[int, str]] = {
        "office": {1: "office"},
        "member": member_ref,
        "contact": contact_ref,
        "venue": venue_ref,
        "meeting": meeting_ref,
        "invitation": invitation_ref,
        "award": award_ref,
        "nomination": nomination_ref_by_id,
    }
    audit_rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    kind_order = {k.value: i for i, k in enumerate(LetterKind)}
    template_rows = sorted(s.scalars(select(LetterTemplate)), key=lambda t: kind_order.get(t.kind, len(kind_order)))

    o = s.get(Office, 1)
    office_data = None
    if o is not None:
        office_data = {
            "name": o.name,
            "short_name": o.short_name,
            "street": o.street,
            "postal_code": o.postal_code,
            "city": o.city,
            "phone": o.phone,
            "fax": o.fax,
            "email": o.email,
            "website": o.website,
            "bank_name": o.bank_name,
            "iban": o.iban,
            "bic": o.bic,
            "signatory": o.signatory,
            "signatory_role": o.signatory_role,
            "state": o.state,
        }
    nomination_counter = 0

    def nomination_ref() -> str:
        nonlocal nomination_counter
        nomination_counter += 1
        return f"n{nomination_counter}"

    return {
        "format": FORMAT,
        "version": VERSION,
        "office": office_data,
        "letter_templates": [{"kind": t.kind, "text": t.text} for t in template_rows],
        "members": [
            {
                "id": member_ref[m.id],
                "name": m.name,
                "member_number": m.member_number,
                "street": m.street,
                "postal_code": m.postal_code,
                "city": m.city,
                "country": m.country,
                "email": m.email,
                "phone": m.phone,
                "website": m.website,
                "joined_on": _date(m.joined_on),
                "left_on": _date(m.left_on),
                "tags": m.tags,
                "notes": m.notes,
            }
            for m in member_rows
        ],
        "contacts": [
            {
                "id": contact_ref[c.id],
                "member": member_ref.get(c.member_id) if c.member_id else None,
                "salutation": c.salutation,
                "title": c.title,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "role": c.role,
                "organisation": c.organisation,
                "email": c.email,
                "phone": c.phone,
                "street": c.street,
                "postal_code": c.postal_code,
                "city": c.city,
                "country": c.country,
                "primary": c.is_primary,
                "needs": c.needs,
                "notes": c.notes,
            }
            for c in contact_rows
        ],
        "venues": [
            {
                "id": venue_ref[v.id],
                "name": v.name,
                "street": v.street,
                "postal_code": v.postal_code,
                "city": v.city,
                "country": v.country,
                "accessible": v.accessible,
                "directions_url": v.directions_url,
                "notes": v.notes,
            }
            for v in venue_rows
        ],
        "meetings": [
            {
                "id": meeting_ref[m.id],
                "title": m.title,
                "kind": m.kind,
                "status": m.status,
                "starts_at": _datetime(m.starts_at),
                "ends_at": _datetime(m.ends_at),
                "venue": venue_ref[m.venue_id] if m.venue_id else None,
                "topic": m.topic,
                "description": m.description,
                "speakers": [contact_ref[c.id] for c in m.speakers],
                "agenda": [
                    {
                        "kind": a.kind,
                        "time": _time(a.time),
                        "end_time": _time(a.end_time),
                        "title": a.title,
                        "presenter": a.presenter,
                    }
                    for a in m.agenda
                ],
                "registration_deadline": _date(m.registration_deadline),
                "registration_contact": m.registration_contact,
                "members_only": m.members_only,
                "fee": f"{m.fee:.2f}" if m.fee is not None else None,
                "catering": m.catering,
                "capacity": m.capacity,
                "salutation_style": m.salutation_style,
                "subject": m.subject,
                "letter_date": _date(m.letter_date),
                "signatory": m.signatory,
                "signatory_role": m.signatory_role,
                "signatory2": m.signatory2,
                "signatory2_role": m.signatory2_role,
                "print_venue_notes": m.print_venue_notes,
                "announced_starts_at": _opt_datetime(m.announced_starts_at),
                "announced_ends_at": _opt_datetime(m.announced_ends_at),
                "announced_venue": m.announced_venue,
                "sequence": m.sequence,
                "invitations": [
                    {
                        "contact": contact_ref[i.contact_id] if i.contact_id else None,
                        "guest_name": i.guest_name,
                        "guest_organisation": i.guest_organisation,
                        "sent_on": _date(i.sent_on),
                        "channel": i.channel,
                        "response": i.response,
                        "responded_on": _date(i.responded_on),
                        "persons": i.persons,
                        "attendee_names": list(i.attendee_names or []),
                        "assistance": i.assistance,
                        "diet": i.diet,
                        "attended": i.attended,
                        "notes": i.notes,
                    }
                    for i in m.invitations
                ],
            }
            for m in meeting_rows
        ],
        "awards": [
            {
                "id": f"a{ai + 1}",
                "year": a.year,
                "title": a.title,
                "nomination_deadline": _date(a.nomination_deadline),
                "ceremony": meeting_ref[a.ceremony_id] if a.ceremony_id else None,
                "criteria": [c.name for c in a.criteria],
                "jury": [contact_ref[c.id] for c in a.jury],
                "notes": a.notes,
                "nominations": [
                    {
                        "id": nomination_ref(),
                        "nominee": n.nominee,
                        "nominee_is_group": n.nominee_is_group,
                        "member": member_ref[n.member_id] if n.member_id else None,
                        "nominated_by": contact_ref[n.nominated_by_id] if n.nominated_by_id else None,
                        "category": n.category,
                        "justification": n.justification,
                        "received_on": _date(n.received_on),
                        "consent_publication": n.consent_publication,
                        "consent_photo": n.consent_photo,
                        "status": n.status,
                        "scores": [
                            {
                                "juror": contact_ref[sc.juror_id],
                                "criterion": criterion_name[sc.criterion_id],
                                "score": sc.score,
                            }
                            for sc in n.scores
                        ],
                        "attachments": [
                            {"path": att.path, "label": att.label, "added_on": _date(att.added_on)}
                            for att in n.attachments
                        ],
                    }
                    for n in a.nominations
                ],
            }
            for ai, a in enumerate(award_rows)
        ],
        "audit": [
            {
                "at": e.at.strftime(AUDIT_TIME),
                "user": e.user_name,
                "entity": e.entity,
                "record": refs_by_entity.get(e.entity, {}).get(e.entity_id),
                "label": e.label,
                "action": e.action,
                "changes": e.changes,
            }
            for e in audit_rows
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_file(db: Database, path: Path) -> dict[str, int]:
    data = export_office(db)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(data), encoding="utf-8")
    tmp.replace(path)  # never leave a half-written export behind
    return counts(data)


def counts(data: dict[str, Any]) -> dict[str, int]:
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


# =========================================================================== import


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ExchangeError(f"Das Feld „{key}“ steht in einem Eintrag doppelt.")
        result[key] = value
    return result


def load_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExchangeError(f"Die Datei „{path}“ gibt es nicht.") from exc
    except OSError as exc:
        raise ExchangeError(f"Die Datei „{path}“ kann nicht gelesen werden: {exc.strerror}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"Die Datei „{path.name}“ ist nicht UTF-8-kodiert (Byte {exc.start}).") from exc
    return loads(text, path.name)


def loads(text: str, name: str = "Datei") -> dict[str, Any]:
    if not text.strip():
        raise ExchangeError(f"Die Datei „{name}“ ist leer.")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"Die Datei „{name}“ ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg})."
        ) from exc
    except RecursionError as exc:
        raise ExchangeError(f"Die Datei „{name}“ ist zu tief verschachtelt.") from exc
    if not isinstance(data, dict):
        raise ExchangeError(f"Die Datei „{name}“ enthält kein Objekt auf oberster Ebene.")
    return data


class _Entry:
    """Typed, strict access to one JSON object; every problem names `path.field`."""

    def __init__(self, obj: Any, path: str, allowed: Iterable[str]) -> None:
        if not isinstance(obj, dict):
            raise ExchangeError(f"{path}: Ein Objekt {{…}} wird erwartet.")
        self.obj = obj
        self.path = path
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            self.fail(unknown[0], "Dieses Feld gibt es im Format nicht (Tippfehler?).")

    def fail(self, key: str, message: str) -> None:
        raise ExchangeError(f"{self.path}.{key}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.obj:
            if required:
                self.fail(key, "Das Feld fehlt.")
            return None
        return self.obj[key]

    def text(self, key: str, *, required: bool = False, default: str = "", limit: int = 100_000) -> str:
        value = self._get(key, required)
        if value is None:
            if required:
                self.fail(key, "Ein Text wird erwartet, nicht null.")
            return default
        if not isinstance(value, str):
            self.fail(key, f"Ein Text wird erwartet, nicht {_kind(value)}.")
        if len(value) > limit:
            self.fail(key, f"Der Text ist mit {len(value)} Zeichen zu lang (höchstens {limit}).")
        if "\x00" in value:
            self.fail(key, "Der Text enthält ein Nullzeichen.")
        return value

    def opt_text(self, key: str, *, limit: int = 100_000) -> str | None:
        value = self._get(key, False)
        if value is None:
            return None
        return self.text(key, limit=limit)

    def boolean(self, key: str, *, default: bool = False, nullable: bool = False) -> Any:
        value = self._get(key, False)
        if value is None:
            return None if nullable else default
        if not isinstance(value, bool):
            self.fail(key, f"true oder false wird erwartet, nicht {_kind(value)}.")
        return value

    def integer(self, key: str, *, default: int | None = None, low: int | None = None, high: int | None = None) -> Any:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, f"Eine ganze Zahl wird erwartet, nicht {_kind(value)}.")
        if low is not None and value < low:
            self.fail(key, f"Der Wert {value} ist zu klein (mindestens {low}).")
        if high is not None and value > high:
            self.fail(key, f"Der Wert {value} ist zu groß (höchstens {high}).")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        return self._parse(key, value, DATE, "JJJJ-MM-TT").date()

    def datetime(self, key: str) -> dt.datetime:
        value = self._get(key, True)
        return self._parse(key, value, DATETIME, "JJJJ-MM-TTTHH:MM")

    def opt_datetime(self, key: str) -> dt.datetime | None:
        value = self._get(key, False)
        if value is None:
            return None
        return self._parse(key, value, DATETIME, "JJJJ-MM-TTTHH:MM")

    def time(self, key: str) -> dt.time | None:
        value = self._get(key, False)
        if value is None:
            return None
        return self._parse(key, value, TIME, "HH:MM").time()

    def _parse(self, key: str, value: Any, fmt: str, shape: str) -> dt.datetime:
        if not isinstance(value, str):
            self.fail(key, f"Ein Datum als Text ({shape}) wird erwartet, nicht {_kind(value)}.")
        pattern = _SHAPES[fmt]
        if not pattern.fullmatch(value):
            self.fail(key, f"„{value}“ hat nicht die Form {shape}.")
        try:  # the shape is fixed above, so the fast ISO parser is exact here
            parsed = dt.datetime.strptime(value, fmt) if fmt == TIME else dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(key, f"„{value}“ ist kein gültiges Datum bzw. keine gültige Uhrzeit ({shape}).")
        return parsed

    def choice(self, key: str, values: Iterable[str], *, default: str | None = None, nullable: bool = False) -> Any:
        allowed = [str(v) for v in values]
        value = self._get(key, default is None and not nullable)
        if value is None:
            if nullable:
                return None
            if default is not None:
                return default
            self.fail(key, "Ein Wert fehlt.")
        if value not in allowed:
            shown = ", ".join(f'"{a}"' for a in allowed)
            self.fail(key, f"„{value}“ ist nicht erlaubt (möglich: {shown}).")
        return value

    def array(self, key: str) -> list[Any]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"Eine Liste […] wird erwartet, nicht {_kind(value)}.")
        return value

    def ref(self, key: str, table: dict[str, Any], what: str, *, required: bool = False) -> Any:
        value = self._get(key, required)
        if value is None:
            if required:
                self.fail(key, f"Der Verweis auf {what} fehlt.")
            return None
        if not isinstance(value, str) or value not in table:
            self.fail(key, f"Verweis „{value}“ auf {what} führt ins Leere.")
        return table[value]

    def refs(self, key: str, table: dict[str, Any], what: str) -> list[Any]:
        result = []
        seen = set()
        for i, value in enumerate(self.array(key)):
            if not isinstance(value, str) or value not in table:
                self.fail(f"{key}[{i}]", f"Verweis „{value}“ auf {what} führt ins Leere.")
            if value in seen:
                self.fail(f"{key}[{i}]", f"„{value}“ steht doppelt in der Liste.")
            seen.add(value)
            result.append(table[value])
        return result

    def check(self, errors: list[FieldError], rename: dict[str, str] | None = None) -> None:
        """Raise the first error a domain validator found, under this entry's path."""
        if errors:
            e = errors[0]
            name = (rename or {}).get(e.field, e.field)
            self.fail(name, e.message)


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "eine Zahl", float: "eine Zahl", str: "ein Text", list: "eine Liste"}.get(
        type(value), "ein Objekt" if isinstance(value, dict) else "null"
    )


_OFFICE_FIELDS = [
    "name",
    "short_name",
    "street",
    "postal_code",
    "city",
    "phone",
    "fax",
    "email",
    "website",
    "bank_name",
    "iban",
    "bic",
    "signatory",
    "signatory_role",
    "state",
]
_MEMBER_FIELDS = [
    "id",
    "name",
    "member_number",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "website",
    "joined_on",
    "left_on",
    "tags",
    "notes",
]
_CONTACT_FIELDS = [
    "id",
    "member",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "role",
    "organisation",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "country",
    "primary",
    "needs",
    "notes",
]
_VENUE_FIELDS = ["id", "name", "street", "postal_code", "city", "country", "accessible", "directions_url", "notes"]
_MEETING_FIELDS = [
    "id",
    "title",
    "kind",
    "status",
    "starts_at",
    "ends_at",
    "venue",
    "topic",
    "description",
    "speakers",
    "agenda",
    "registration_deadline",
    "registration_contact",
    "members_only",
    "fee",
    "catering",
    "capacity",
    "salutation_style",
    "subject",
    "letter_date",
    "signatory",
    "signatory_role",
    "signatory2",
    "signatory2_role",
    "print_venue_notes",
    "announced_starts_at",
    "announced_ends_at",
    "announced_venue",
    "sequence",
    "invitations",
]
_AGENDA_FIELDS = ["kind", "time", "end_time", "title", "presenter"]
_LETTER_TEMPLATE_FIELDS = ["kind", "text"]
#: The largest value an INTEGER column holds in PostgreSQL.
_MAX_INT = 2_147_483_647
_INVITATION_FIELDS = [
    "contact",
    "guest_name",
    "guest_organisation",
    "sent_on",
    "channel",
    "response",
    "responded_on",
    "persons",
    "attendee_names",
    "assistance",
    "diet",
    "attended",
    "notes",
]
_AWARD_FIELDS = ["id", "year", "title", "nomination_deadline", "ceremony", "criteria", "jury", "notes", "nominations"]
_NOMINATION_FIELDS = [
    "id",
    "nominee",
    "nominee_is_group",
    "member",
    "nominated_by",
    "category",
    "justification",
    "received_on",
    "consent_publication",
    "consent_photo",
    "status",
    "scores",
    "attachments",
]
_SCORE_FIELDS = ["juror", "criterion", "score"]


def _ids(items: list[Any], section: str) -> dict[str, int]:
    """Index of `id` → position, refusing missing and duplicate ids before anything is built."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        path = f"{section}[{i}]"
        if not isinstance(item, dict):
            raise ExchangeError(f"{path}: Ein Objekt {{…}} wird erwartet.")
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise ExchangeError(f"{path}.id: Eine nicht leere Kennung (Text) wird erwartet.")
        if ident in seen:
            raise ExchangeError(f"{path}.id: Die Kennung „{ident}“ steht schon bei {section}[{seen[ident]}].")
        seen[ident] = i
    return seen


def import_office(db: Database, data: dict[str, Any]) -> dict[str, int]:
    """Load a whole office into an empty database in one transaction; nothing changes on any error."""
    top = _Entry(
        data,
        "",
        [
            "format",
            "version",
            "office",
            "letter_templates",
            "members",
            "contacts",
            "venues",
            "meetings",
            "awards",
            "audit",
        ],
    )
    top.path = "Datei"
    if data.get("format") != FORMAT:
        raise ExchangeError('Datei.format: Das ist keine Austauschdatei der Geschäftsstelle ("geschaeftsstelle").')
    if data.get("version") != VERSION:
        raise ExchangeError(
            f"Datei.version: Version {data.get('version')!r} wird nicht unterstützt (diese Programmversion liest 1)."
        )
    with db.transaction() as s:
        s.info["audit"] = False  # the file carries its own change log
        if not _is_empty(s):
            raise ExchangeError(
                "Die Datenbank enthält schon Daten. Eine Austauschdatei wird nur in eine leere Datenbank geladen."
            )
        _import(s, top)
        try:
            s.flush()
        except IntegrityError as exc:  # every rule is checked above; this is the schema's last word
            raise ExchangeError(f"Die Datei verletzt eine Regel der Datenbank: {exc.orig}".splitlines()[0]) from exc
    return counts(data)


def import_file(db: Database, path: Path) -> dict[str, int]:
    return import_office(db, load_file(path))


def _is_empty(s: Session) -> bool:
    for model in (Office, LetterTemplate, Member, Contact, Venue, Meeting, Award):
        if s.scalar(select(func.count()).select_from(model)):
            return False
    return True


def _import(s: Session, top: _Entry) -> None:
    member_items = top.array("members")
    contact_items = top.array("contacts")
    venue_items = top.array("venues")
    meeting_items = top.array("meetings")
    award_items = top.array("awards")
    for section, items in (
        ("members", member_items),
        ("contacts", contact_items),
        ("venues", venue_items),
        ("meetings", meeting_items),
        ("awards", award_items),
    ):
        _ids(items, section)

    if top.obj.get("office") is not None:
        s.add(_office(_Entry(top.obj["office"], "office", _OFFICE_FIELDS)))
    for template in _letter_templates(top):
        s.add(template)

    member_by_ref: dict[str, Member] = {}
    numbers: dict[str, int] = {}
    for i, item in enumerate(member_items):
        e = _Entry(item, f"members[{i}]", _MEMBER_FIELDS)
        m = Member(
            name=e.text("name", required=True, limit=300),
            member_number=e.opt_text("member_number", limit=30) or None,
            street=e.text("street", limit=200),
            postal_code=e.text("postal_code", limit=20),
            city=e.text("city", limit=100),
            country=e.opt_text("country", limit=100),
            email=e.opt_text("email", limit=254),
            phone=e.opt_text("phone", limit=100),
            website=e.opt_text("website", limit=300),
            joined_on=e.date("joined_on"),
            left_on=e.date("left_on"),
            notes=e.text("notes"),
        )
        tags = e.array("tags")
        for t_i, tag in enumerate(tags):
            if not isinstance(tag, str) or not tag.strip():
                e.fail(f"tags[{t_i}]", "Ein Schlagwort muss ein nicht leerer Text sein.")
            if len(tag) > 100:
                e.fail(f"tags[{t_i}]", "Das Schlagwort ist zu lang (höchstens 100 Zeichen).")
        if len(set(tags)) != len(tags):
            e.fail("tags", "Ein Schlagwort steht doppelt in der Liste.")
        m.tag_rows = [MemberTag(tag=t) for t in sorted(tags)]
        e.check(members.validate_member(m))
        if m.member_number:
            if m.member_number in numbers:
                e.fail("member_number", f"Die Mitgliedsnummer steht schon bei members[{numbers[m.member_number]}].")
            numbers[m.member_number] = i
        s.add(m)
        member_by_ref[item["id"]] = m

    contact_by_ref: dict[str, Contact] = {}
    primary_of: dict[int, int] = {}
    for i, item in enumerate(contact_items):
        e = _Entry(item, f"contacts[{i}]", _CONTACT_FIELDS)
        member = e.ref("member", member_by_ref, "eine Mitgliedsorganisation")
        c = Contact(
            salutation=e.choice("salutation", [s.value for s in Salutation], default=""),
            title=e.text("title", limit=50),
            first_name=e.text("first_name", limit=100),
            last_name=e.text("last_name", limit=100),
            role=e.text("role", limit=200),
            organisation=e.opt_text("organisation", limit=300),
            email=e.opt_text("email", limit=254),
            phone=e.opt_text("phone", limit=100),
            street=e.opt_text("street", limit=200),
            postal_code=e.opt_text("postal_code", limit=20),
            city=e.opt_text("city", limit=100),
            country=e.opt_text("country", limit=100),
            is_primary=e.boolean("primary"),
            needs=e.text("needs"),
            notes=e.text("notes"),
        )
        c.member = member
        e.check(members.validate_contact(c), {"is_primary": "primary"})
        if c.is_primary and member is not None:
            key = id(member)
            if key in primary_of:
                e.fail("primary", f"Die Organisation hat schon eine Hauptansprechperson (contacts[{primary_of[key]}]).")
            primary_of[key] = i
        s.add(c)
        contact_by_ref[item["id"]] = c

    for m in member_by_ref.values():
        members.refresh_member_search(m)
    for c in contact_by_ref.values():
        members.refresh_contact_search(c)

    venue_by_ref: dict[str, Venue] = {}
    for i, item in enumerate(venue_items):
        e = _Entry(item, f"venues[{i}]", _VENUE_FIELDS)
        venue = Venue(
            name=e.text("name", required=True, limit=300),
            street=e.text("street", limit=200),
            postal_code=e.text("postal_code", limit=20),
            city=e.text("city", limit=100),
            country=e.opt_text("country", limit=100),
            accessible=e.boolean("accessible"),
            directions_url=e.opt_text("directions_url", limit=500),
            notes=e.text("notes"),
        )
        e.check(meetings.validate_venue(venue))
        s.add(venue)
        venue_by_ref[item["id"]] = venue

    meeting_by_ref: dict[str, Meeting] = {}
    for i, item in enumerate(meeting_items):
        meeting = _meeting(_Entry(item, f"meetings[{i}]", _MEETING_FIELDS), venue_by_ref, contact_by_ref)
        s.add(meeting)
        meeting_by_ref[item["id"]] = meeting

    years: dict[int, int] = {}
    nomination_ids: dict[str, str] = {}
    award_by_ref: dict[str, Award] = {}
    nomination_by_ref: dict[str, Nomination] = {}
    for i, item in enumerate(award_items):
        e = _Entry(item, f"awards[{i}]", _AWARD_FIELDS)
        award = _award(e, meeting_by_ref, contact_by_ref, member_by_ref, nomination_ids, nomination_by_ref)
        if award.year in years:
            e.fail("year", f"Für {award.year} gibt es schon eine Preisrunde (awards[{years[award.year]}]).")
        years[award.year] = i
        s.add(award)
        award_by_ref[item["id"]] = award

    s.flush()
    _import_audit(
        s,
        top,
        {
            "office": {"office": s.get(Office, 1)} if top.obj.get("office") is not None else {},
            "member": member_by_ref,
            "contact": contact_by_ref,
            "venue": venue_by_ref,
            "meeting": meeting_by_ref,
            "invitation": {
                f"{ref}.invitations[{i}]": inv
                for ref, m in meeting_by_ref.items()
                for i, inv in enumerate(m.invitations)
            },
            "award": award_by_ref,
            "nomination": nomination_by_ref,
        },
    )


def _office(e: _Entry) -> Office:
    o = Office(
        id=1,
        name=e.text("name", required=True, limit=300),
        short_name=e.text("short_name", limit=100),
        street=e.text("street", limit=200),
        postal_code=e.text("postal_code", limit=20),
        city=e.text("city", limit=100),
        phone=e.opt_text("phone", limit=100),
        fax=e.opt_text("fax", limit=100),
        email=e.opt_text("email", limit=254),
        website=e.opt_text("website", limit=300),
        bank_name=e.opt_text("bank_name", limit=200),
        iban=e.opt_text("iban", limit=42),
        bic=e.opt_text("bic", limit=11),
        signatory=e.text("signatory", limit=200),
        signatory_role=e.text("signatory_role", limit=200),
        state=e.choice("state", STATES, nullable=True),
    )
    e.check(office.validate_office(o))
    if o.iban:
        o.iban = normalize_iban(o.iban)
    return o


def _letter_templates(top: _Entry) -> list[LetterTemplate]:
    """The office's own letter texts: one per kind, each one a text the letter editor would save."""
    templates = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(top.array("letter_templates")):
        e = _Entry(raw, f"letter_templates[{i}]", _LETTER_TEMPLATE_FIELDS)
        kind = e.choice("kind", LetterKind)
        if kind in seen:
            e.fail("kind", f"Die Vorlage „{kind}“ steht schon bei letter_templates[{seen[kind]}].")
        seen[kind] = i
        text = e.text("text", required=True)
        if not text.strip():
            e.fail("text", "Der Text der Vorlage fehlt (ohne Eintrag gilt der mitgelieferte Text).")
        if problems := letter_templates.check(text, kind):
            e.fail("text", f"{problems[0]}.")
        templates.append(LetterTemplate(kind=kind, text=text))
    return templates


def _meeting(e: _Entry, venue_by_ref: dict[str, Venue], contact_by_ref: dict[str, Contact]) -> Meeting:
    fee_text = e.opt_text("fee", limit=20)
    fee = None
    if fee_text is not None:
        try:
            fee = Decimal(fee_text)
        except InvalidOperation:
            e.fail("fee", f'„{fee_text}“ ist kein Betrag (z. B. "15.00"; null für kostenlos).')
        if not fee.is_finite() or fee >= Decimal("1000000"):
            e.fail("fee", f"„{fee_text}“ ist kein gültiger Betrag.")
    meeting = Meeting(
        title=e.text("title", required=True, limit=300),
        kind=e.choice("kind", MeetingKind, default=MeetingKind.MEETING.value),
        status=e.choice("status", MeetingStatus, default=MeetingStatus.PLANNED.value),
        starts_at=e.datetime("starts_at"),
        ends_at=e.datetime("ends_at"),
        topic=e.text("topic"),
        description=e.text("description"),
        registration_deadline=e.date("registration_deadline"),
        registration_contact=e.opt_text("registration_contact", limit=300),
        members_only=e.boolean("members_only"),
        fee=fee,
        catering=e.text("catering"),
        capacity=e.integer("capacity", low=1, high=100_000),
        salutation_style=e.choice("salutation_style", SalutationStyle, default=SalutationStyle.FORMAL.value),
        subject=e.text("subject", limit=300),
        letter_date=e.date("letter_date"),
        signatory=e.text("signatory", limit=200),
        signatory_role=e.text("signatory_role", limit=200),
        signatory2=e.text("signatory2", limit=200),
        signatory2_role=e.text("signatory2_role", limit=200),
        print_venue_notes=e.boolean("print_venue_notes"),
        announced_starts_at=e.opt_datetime("announced_starts_at"),
        announced_ends_at=e.opt_datetime("announced_ends_at"),
        announced_venue=e.opt_text("announced_venue", limit=800),
        sequence=e.integer("sequence", default=0, low=0, high=_MAX_INT),
    )
    # What the invitees were told is a start and an end together (the place may be unknown: null).
    if meeting.announced_starts_at is None:
        for key in ("announced_ends_at", "announced_venue"):
            if e.obj.get(key) is not None:
                e.fail(key, "Ohne angekündigten Beginn (announced_starts_at) gibt es nichts Angekündigtes.")
    elif meeting.announced_ends_at is None:
        e.fail("announced_ends_at", "Zum angekündigten Beginn fehlt das angekündigte Ende.")
    elif meeting.announced_ends_at < meeting.announced_starts_at:
        e.fail("announced_ends_at", "Das angekündigte Ende liegt vor dem angekündigten Beginn.")
    meeting.venue = e.ref("venue", venue_by_ref, "einen Veranstaltungsort")
    meeting.speakers = e.refs("speakers", contact_by_ref, "eine Person")
    agenda = []
    for a_i, raw in enumerate(e.array("agenda")):
        a = _Entry(raw, f"{e.path}.agenda[{a_i}]", _AGENDA_FIELDS)
        agenda.append(
            AgendaItem(
                position=a_i,
                kind=a.choice("kind", AgendaKind, default=AgendaKind.TOP.value),
                time=a.time("time"),
                end_time=a.time("end_time"),
                title=a.text("title", required=True, limit=500),
                presenter=a.opt_text("presenter", limit=300),
            )
        )
    meeting.agenda = agenda
    e.check(meetings.validate_meeting(meeting))
    invited: dict[int, int] = {}
    invitations = []
    for inv_i, raw in enumerate(e.array("invitations")):
        ie = _Entry(raw, f"{e.path}.invitations[{inv_i}]", _INVITATION_FIELDS)
        contact = ie.ref("contact", contact_by_ref, "eine Person")
        names = ie.array("attendee_names")
        for n_i, name in enumerate(names):
            if not isinstance(name, str):
                ie.fail(f"attendee_names[{n_i}]", f"Ein Name (Text) wird erwartet, nicht {_kind(name)}.")
        inv = Invitation(
            guest_name=ie.opt_text("guest_name", limit=300),
            guest_organisation=ie.opt_text("guest_organisation", limit=300),
            sent_on=ie.date("sent_on"),
            channel=ie.choice("channel", Channel, nullable=True),
            response=ie.choice("response", Response, default=Response.OPEN.value),
            responded_on=ie.date("responded_on"),
            persons=ie.integer("persons", default=1, low=0, high=MAX_PERSONS),
            attendee_names=list(names),
            assistance=ie.text("assistance"),
            diet=ie.text("diet"),
            attended=ie.boolean("attended", nullable=True),
            notes=ie.text("notes"),
        )
        if contact is None and not inv.guest_name:
            ie.fail("contact", "Eine Einladung braucht eine Person (contact) oder einen Gastnamen (guest_name).")
        if contact is not None:
            if id(contact) in invited:
                ie.fail("contact", f"Diese Person ist schon eingeladen (invitations[{invited[id(contact)]}]).")
            invited[id(contact)] = inv_i
        inv.contact = contact
        ie.check(meetings.validate_invitation(inv))
        invitations.append(inv)
    meeting.invitations = invitations
    return meeting


def _award(
    e: _Entry,
    meeting_by_ref: dict[str, Meeting],
    contact_by_ref: dict[str, Contact],
    member_by_ref: dict[str, Member],
    nomination_ids: dict[str, str],
    nomination_by_ref: dict[str, Nomination],
) -> Award:
    criteria_names = e.array("criteria")
    for c_i, name in enumerate(criteria_names):
        if not isinstance(name, str) or not name.strip():
            e.fail(f"criteria[{c_i}]", "Ein Kriterium muss ein nicht leerer Text sein.")
    award = Award(
        year=e.integer("year", low=1900, high=2200),
        title=e.text("title", required=True, limit=300),
        nomination_deadline=e.date("nomination_deadline"),
        notes=e.text("notes"),
    )
    if award.year is None:
        e.fail("year", "Das Jahr fehlt.")
    award.ceremony = e.ref("ceremony", meeting_by_ref, "einen Termin")
    award.criteria = [AwardCriterion(position=i, name=name) for i, name in enumerate(criteria_names)]
    award.jury = e.refs("jury", contact_by_ref, "eine Person")
    e.check(awards.validate_award(award))
    criterion_by_name = {c.name: c for c in award.criteria}
    jury_ids = {id(c) for c in award.jury}
    nominations = []
    for n_i, raw in enumerate(e.array("nominations")):
        ne = _Entry(raw, f"{e.path}.nominations[{n_i}]", _NOMINATION_FIELDS)
        ident = raw.get("id")
        if not isinstance(ident, str) or not ident:
            ne.fail("id", "Eine nicht leere Kennung (Text) wird erwartet.")
        if ident in nomination_ids:
            ne.fail("id", f"Die Kennung „{ident}“ steht schon bei {nomination_ids[ident]}.")
        nomination_ids[ident] = ne.path
        n = Nomination(
            nominee=ne.text("nominee", required=True, limit=300),
            nominee_is_group=ne.boolean("nominee_is_group"),
            category=ne.opt_text("category", limit=200),
            justification=ne.text("justification"),
            received_on=ne.date("received_on"),
            consent_publication=ne.boolean("consent_publication"),
            consent_photo=ne.boolean("consent_photo"),
            status=ne.choice("status", NominationStatus, default=NominationStatus.RECEIVED.value),
        )
        n.member = ne.ref("member", member_by_ref, "eine Mitgliedsorganisation")
        n.nominated_by = ne.ref("nominated_by", contact_by_ref, "eine Person")
        ne.check(awards.validate_nomination(n))
        seen: dict[tuple[int, str], int] = {}
        scores = []
        for s_i, sraw in enumerate(ne.array("scores")):
            se = _Entry(sraw, f"{ne.path}.scores[{s_i}]", _SCORE_FIELDS)
            juror = se.ref("juror", contact_by_ref, "eine Person", required=True)
            if id(juror) not in jury_ids:
                se.fail("juror", f"„{sraw['juror']}“ gehört nicht zur Jury dieser Preisrunde.")
            if n.nominated_by is not None and juror is n.nominated_by:
                se.fail("juror", "Wer die Nominierung eingereicht hat, kann sie nicht bewerten.")
            criterion = se.choice("criterion", list(criterion_by_name))
            value = sraw.get("score")
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                se.fail("score", f"Die Bewertung „{value}“ liegt nicht zwischen 1 und 5.")
            key = (id(juror), criterion)
            if key in seen:
                se.fail("criterion", f"Diese Bewertung steht schon bei scores[{seen[key]}].")
            seen[key] = s_i
            scores.append(Score(juror=juror, criterion=criterion_by_name[criterion], score=value))
        n.scores = scores
        attachments = []
        for a_i, araw in enumerate(ne.array("attachments")):
            ae = _Entry(araw, f"{ne.path}.attachments[{a_i}]", ["path", "label", "added_on"])
            path = ae.text("path", required=True, limit=1000)
            if not path.strip():
                ae.fail("path", "Der Dateipfad fehlt.")
            attachments.append(
                NominationAttachment(path=path, label=ae.text("label", limit=300), added_on=ae.date("added_on"))
            )
        n.attachments = attachments
        nomination_by_ref[ident] = n
        nominations.append(n)
    award.nominations = nominations
    return award


_AUDIT_FIELDS = ["at", "user", "entity", "record", "label", "action", "changes"]


def _import_audit(s: Session, top: _Entry, refs: dict[str, dict[str, Any]]) -> None:
    rows = []
    for i, raw in enumerate(top.array("audit")):
        e = _Entry(raw, f"audit[{i}]", _AUDIT_FIELDS)
        at = e._parse("at", e._get("at", True), AUDIT_TIME, "JJJJ-MM-TTTHH:MM:SS")
        entity = e.choice("entity", list(refs))
        record = e.opt_text("record", limit=100)
        target = None
        if record is not None:
            target = refs[entity].get(record)
            if target is None:
                e.fail("record", f"Verweis „{record}“ führt ins Leere.")
        changes = e._get("changes", False) or {}
        if not isinstance(changes, dict) or not all(isinstance(v, list) and len(v) == 2 for v in changes.values()):
            e.fail("changes", "Ein Objekt {Feld: [alt, neu]} wird erwartet.")
        rows.append(
            {
                "at": at,
                "user_name": e.text("user", limit=200),
                "entity": entity,
                "entity_id": target.id if target is not None else 0,
                "label": e.text("label", limit=300),
                "action": e.choice("action", ["insert", "update", "delete"]),
                "changes": changes,
            }
        )
    if rows:
        s.execute(insert(AuditEntry), rows)
