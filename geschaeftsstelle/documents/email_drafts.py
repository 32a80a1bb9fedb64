"""Invitation e-mails as .eml drafts, for offices without a mail server of their own.

Each draft carries `X-Unsent: 1`, so Outlook opens it as a new message ready to send; Thunderbird
opens it via "Als neu bearbeiten". One draft per invitee keeps the personal salutation; one draft
with everyone in BCC is the quick way for a circular.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from io import BytesIO
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.calendar_export import location, programme_text
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, Office, SalutationStyle


@dataclass(frozen=True)
class Recipient:
    invitation_id: int
    name: str
    email: str
    salutation: str
    first_name: str
    last_name: str
    title: str


def greeting(r: Recipient, style: str = SalutationStyle.FORMAL.value) -> str:
    """The letters' greeting rule (documents.addressing) for an e-mail: "Sehr geehrte Frau Dr. Weber,"."""
    person = Addressee(r.salutation, r.title, r.first_name, r.last_name, "", "", "", "")
    return person.greeting(style)


def invitation_text(meeting: Meeting, office: Office | None, salutation_line: str) -> str:
    when = f"{meeting.starts_at:%d.%m.%Y}, {meeting.starts_at:%H:%M}–{meeting.ends_at:%H:%M} Uhr"
    lines = [
        salutation_line,
        "",
        f"herzlich laden wir Sie ein zu: {meeting.title}",
        "",
        f"Termin: {when}",
        f"Ort: {location(meeting)}",
    ]
    if programme := programme_text(meeting):
        lines += ["", programme]
    if meeting.registration_deadline:
        reply_to = f" bei {meeting.registration_contact}" if meeting.registration_contact else ""
        lines += ["", f"Bitte melden Sie sich bis zum {meeting.registration_deadline:%d.%m.%Y}{reply_to} an."]
    lines += ["", "Mit freundlichen Grüßen"]
    if office is not None:
        lines += [p for p in (office.signatory, office.signatory_role, office.name) if p]
    return "\n".join(lines) + "\n"


def recipients(db: Database, meeting_id: int, invitation_ids: list[int] | None = None) -> list[Recipient]:
    """Invitees with an e-mail address (contact's own), optionally only the selected invitations."""
    query = (
        select(Invitation.id, Contact)
        .join(Contact, Invitation.contact_id == Contact.id)
        .where(Invitation.meeting_id == meeting_id, Contact.email.is_not(None), Contact.email != "")
        .order_by(Contact.last_name, Contact.first_name, Invitation.id)
    )
    if invitation_ids is not None:
        query = query.where(Invitation.id.in_(invitation_ids))
    with db.read() as s:
        return [
            Recipient(inv_id, c.full_name or c.organisation or "", c.email or "", c.salutation, c.first_name,
                      c.last_name, c.title)
            for inv_id, c in s.execute(query)
        ]  # fmt: skip


def _message(meeting: Meeting, office: Office | None, body: str, attachment: bytes | None, name: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = f"Einladung: {meeting.title} am {meeting.starts_at:%d.%m.%Y}"
    if office is not None and office.email:
        msg["From"] = formataddr((office.name, office.email))
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=name)
    return msg


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("_")[:60] or "Entwurf"


def write_drafts(
    db: Database,
    meeting_id: int,
    folder: Path,
    *,
    bcc: bool = False,
    invitation_ids: list[int] | None = None,
    attachment: bytes | None = None,
    attachment_name: str = "Einladung.pdf",
    personal_letters: bool = False,
) -> list[Path]:
    """Write the drafts into `folder`; returns the files. `attachment` is a PDF (bytes) for every draft;
    `personal_letters` attaches each invitee's own invitation letter with reply form instead."""
    with db.read() as s:
        meeting = s.scalars(
            select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(selectinload(Meeting.venue), selectinload(Meeting.agenda))
        ).one_or_none()
        office = s.get(Office, 1)
    if meeting is None:
        raise UserError("Den Termin gibt es nicht (mehr).")
    people = recipients(db, meeting_id, invitation_ids)
    if not people:
        raise UserError("Keine der gewählten eingeladenen Personen hat eine E-Mail-Adresse.")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{meeting.starts_at:%Y-%m-%d}_{_safe(meeting.title)}"
    written: list[Path] = []
    if bcc:
        everyone = Addressee("", "", "", "", "", "", "", "").greeting(meeting.salutation_style)
        msg = _message(meeting, office, invitation_text(meeting, office, everyone),
                       attachment, attachment_name)  # fmt: skip
        if office is not None and office.email:
            msg["To"] = formataddr((office.name, office.email))
        msg["Bcc"] = ", ".join(formataddr((r.name, r.email)) for r in people)
        path = folder / f"{stem}_alle.eml"
        path.write_bytes(msg.as_bytes())
        return [path]
    letters = personal_letter_pdfs(db, meeting_id, {r.invitation_id for r in people}) if personal_letters else {}
    for r in people:
        pdf = letters.get(r.invitation_id, attachment)
        msg = _message(
            meeting,
            office,
            invitation_text(meeting, office, greeting(r, meeting.salutation_style)),
            pdf,
            attachment_name,
        )
        msg["To"] = formataddr((r.name, r.email))
        path = folder / f"{stem}_{r.invitation_id}_{_safe(r.name)}.eml"
        path.write_bytes(msg.as_bytes())
        written.append(path)
    return written


def personal_letter_pdfs(db: Database, meeting_id: int, invitation_ids: set[int]) -> dict[int, bytes]:
    """Each selected invitee's DIN 5008 invitation letter (with reply form) as its own PDF."""
    from geschaeftsstelle.documents.invitations import load_meeting, render_letters, select_letters

    office, meeting = load_meeting(db, meeting_id)
    result: dict[int, bytes] = {}
    for letter in select_letters(meeting):
        if letter.invitation_id in invitation_ids:
            buffer = BytesIO()
            render_letters(buffer, office, meeting, [letter])
            result[letter.invitation_id] = buffer.getvalue()
    return result


def address_list(db: Database, meeting_id: int, invitation_ids: list[int] | None = None) -> str:
    """`Name <a@b.de>; …` for the clipboard."""
    return "; ".join(formataddr((r.name, r.email)) for r in recipients(db, meeting_id, invitation_ids))
