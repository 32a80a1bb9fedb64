"""Invitation e-mails as .eml drafts, for offices without a mail server of their own.

Each draft carries `X-Unsent: 1`, so Outlook opens it as a new message ready to send; Thunderbird
opens it via "Als neu bearbeiten". One draft per invitee keeps the personal salutation; one draft
with everyone in BCC is the quick way for a circular.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from io import BytesIO
from pathlib import Path

from geschaeftsstelle import invitations, meetings
from geschaeftsstelle.addressing import greeting
from geschaeftsstelle.calendar_export import location, programme_text
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.invitations import Invitee
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting, Office


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


def recipients(db: Database, meeting_id: int, invitation_ids: list[int] | None = None) -> list[Invitee]:
    """Invitees with an e-mail address (contact's own), optionally only the selected invitations; by last name,
    first name, then in the order they were invited."""
    people = invitations.invitees(db, meeting_id, invitation_ids, with_email=True)
    return sorted(people, key=_by_name)


def _by_name(i: Invitee) -> tuple[str, str, int]:
    a = i.addressee
    return (a.last_name, a.first_name, i.id) if a is not None else ("", "", i.id)


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
    meeting = meetings.get_meeting(db, meeting_id)
    office = get_office(db)
    people = recipients(db, meeting_id, invitation_ids)
    if not people:
        raise UserError("Keine der gewählten eingeladenen Personen hat eine E-Mail-Adresse.")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{meeting.starts_at:%Y-%m-%d}_{_safe(meeting.title)}"
    written: list[Path] = []
    if bcc:
        everyone = greeting(meeting.salutation_style)
        msg = _message(meeting, office, invitation_text(meeting, office, everyone),
                       attachment, attachment_name)  # fmt: skip
        if office is not None and office.email:
            msg["To"] = formataddr((office.name, office.email))
        msg["Bcc"] = ", ".join(formataddr((r.name, r.email)) for r in people)
        path = folder / f"{stem}_alle.eml"
        path.write_bytes(msg.as_bytes())
        return [path]
    letters = personal_letter_pdfs(db, meeting_id, {r.id for r in people}) if personal_letters else {}
    for r in people:
        pdf = letters.get(r.id, attachment)
        msg = _message(
            meeting,
            office,
            invitation_text(meeting, office, r.greeting(meeting.salutation_style)),
            pdf,
            attachment_name,
        )
        msg["To"] = formataddr((r.name, r.email))
        path = folder / f"{stem}_{r.id}_{_safe(r.name)}.eml"
        path.write_bytes(msg.as_bytes())
        written.append(path)
    return written


def personal_letter_pdfs(db: Database, meeting_id: int, invitation_ids: set[int]) -> dict[int, bytes]:
    """Each selected invitee's DIN 5008 invitation letter (with reply form) as its own PDF."""
    from geschaeftsstelle.documents.invitations import render_letters, select_letters
    from geschaeftsstelle.documents.meeting_data import load_meeting

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
