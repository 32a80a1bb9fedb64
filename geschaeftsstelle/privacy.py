"""DSGVO tools: what we store about a person (Art. 15), erasure that keeps anonymous counts (Art. 17),
automatic clearing of assistance and dietary needs after a meeting, and old contacts of former members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AuditEntry,
    Award,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    Score,
)

ANONYMISED = "anonymisiert"
DEFAULT_NEEDS_RETENTION_MONTHS = 3


def access_report(db: Database, contact_id: int) -> dict[str, Any]:
    """Everything stored about one person, as plain data for JSON and the Auskunft PDF."""
    with db.read() as s:
        c = s.get(Contact, contact_id)
        if c is None:
            raise UserError("Den Kontakt gibt es nicht (mehr).")
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
    return {
        "Person": person,
        "Einladungen und Rückmeldungen": invitations,
        "Eingereichte Nominierungen": nominations,
        "Jury": jury,
        "Hat als Jury bewertet": scores,
        "Änderungsprotokoll": log,
        "Erstellt am": dt.datetime.now().strftime("%d.%m.%Y %H:%M"),
    }


def _de(value: dt.date | None) -> str | None:
    return f"{value:%d.%m.%Y}" if value else None


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a person removes; the confirmation dialog shows exactly this."""

    contact_id: int
    name: str
    invitations: int
    nominations: int
    scores: int
    audit_entries: int

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
        parts.append("Das kann nicht rückgängig gemacht werden.")
        return " ".join(parts)


def plan_erasure(db: Database, contact_id: int) -> ErasurePlan:
    with db.read() as s:
        c = s.get(Contact, contact_id)
        if c is None:
            raise UserError("Den Kontakt gibt es nicht (mehr).")
        invitation_ids = list(s.scalars(select(Invitation.id).where(Invitation.contact_id == contact_id)))
        return ErasurePlan(
            contact_id=contact_id,
            name=c.full_name or c.organisation or "diese Person",
            invitations=len(invitation_ids),
            nominations=len(list(s.scalars(select(Nomination.id).where(Nomination.nominated_by_id == contact_id)))),
            scores=len(list(s.scalars(select(Score.id).where(Score.juror_id == contact_id)))),
            audit_entries=len(list(s.scalars(_audit_of(contact_id, invitation_ids)))),
        )


def _audit_of(contact_id: int, invitation_ids: list[int]) -> Any:
    return select(AuditEntry.id).where(
        or_(
            (AuditEntry.entity == "contact") & (AuditEntry.entity_id == contact_id),
            (AuditEntry.entity == "invitation") & AuditEntry.entity_id.in_(invitation_ids or [-1]),
        )
    )


def erase_contact(db: Database, contact_id: int) -> ErasurePlan:
    """Art. 17: remove the person; invitations stay as anonymous rows so meeting counts stay true."""
    plan = plan_erasure(db, contact_id)
    with db.transaction() as s:
        s.info["audit"] = False  # the erasure itself must not copy the data into the log
        c = s.get(Contact, contact_id)
        if c is None:
            return plan
        member_id = c.member_id
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
        audit_ids = list(s.scalars(_audit_of(contact_id, invitation_ids)))
        if audit_ids:
            s.execute(update(AuditEntry).where(AuditEntry.id.in_(audit_ids)).values(label=ANONYMISED, changes={}))
        s.delete(c)
        s.flush()
        s.add(
            AuditEntry(
                at=dt.datetime.now().replace(microsecond=0),
                user_name=_user(),
                entity="contact",
                entity_id=contact_id,
                label=ANONYMISED,
                action="delete",
                changes={"dsgvo": ["", "Löschung nach Art. 17 DSGVO"]},
            )
        )
        if member_id is not None:
            from geschaeftsstelle.members import refresh_member_search

            member = s.get(Member, member_id)
            if member is not None:
                s.refresh(member, ["contacts"])
                refresh_member_search(member)
    return plan


def _user() -> str:
    from geschaeftsstelle.store.audit import current_user

    return current_user()


def clear_old_needs(db: Database, months: int = DEFAULT_NEEDS_RETENTION_MONTHS, today: dt.date | None = None) -> int:
    """Assistance and dietary needs are health-related data: clear them a while after the meeting.
    Returns the number of invitations cleared."""
    if months < 0:
        raise UserError("Die Aufbewahrungsfrist für Bedarfe darf nicht negativ sein.")
    cutoff = dt.datetime.combine((today or dt.date.today()) - relativedelta(months=months), dt.time())
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
        return result.rowcount or 0


@dataclass(frozen=True)
class StaleContact:
    contact_id: int
    name: str
    member: str
    left_on: dt.date


def contacts_of_former_members(db: Database, years: int, today: dt.date | None = None) -> list[StaleContact]:
    """Contacts of members that left more than `years` years ago: candidates for erasure."""
    cutoff = (today or dt.date.today()) - relativedelta(years=years)
    with db.read() as s:
        rows = s.execute(
            select(Contact, Member.name, Member.left_on)
            .join(Member, Contact.member_id == Member.id)
            .where(Member.left_on.is_not(None), Member.left_on < cutoff)
            .order_by(Member.left_on, Member.name, Contact.last_name)
        ).all()
        return [StaleContact(c.id, c.full_name or "", name, left_on) for c, name, left_on in rows]
