"""The waiting list's letters and e-mail drafts: „Sie haben einen Platz“ to those who moved up, and „Sie
stehen auf der Warteliste (Platz N)“ to those whose acceptance came when the room was full.

They are DIN 5008 letters as the invitations are (documents/invitations.py: the same first page, story and
closing, page flow), with shipped texts (resources/templates/warteliste_*.txt) filled from the meeting's
letter values plus the place on the list and the persons. A field left empty drops its [[optional block]].
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from io import BytesIO
from pathlib import Path

from geschaeftsstelle import invitations, paths
from geschaeftsstelle.documents.invitations import letter_story
from geschaeftsstelle.documents.letter_layout import draw_first_page, flow_letter
from geschaeftsstelle.documents.letter_values import template_values
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import define_letterhead, new_canvas
from geschaeftsstelle.documents.text import date_de
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.invitations import Invitee
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office, Response

#: kind → (shipped text, subject prefix, whom it is for)
PLACE = "place"
WAITING = "waiting"
_KINDS = {
    PLACE: ("warteliste_platz_frei.txt", "Ihr Platz", Response.ACCEPTED.value),
    WAITING: ("warteliste_eintrag.txt", "Warteliste", Response.WAITLISTED.value),
}
_FIELD = re.compile(r"\{(\w+)\}")
_BLOCK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


def shipped_text(kind: str) -> str:
    return paths.resource("templates", _KINDS[_kind(kind)][0]).read_text("utf-8")


def _kind(kind: str) -> str:
    if kind not in _KINDS:
        raise UserError(f"Einen Warteliste-Brief „{kind}“ gibt es nicht (möglich: place, waiting).")
    return kind


def fill(text: str, values: dict[str, str]) -> list[str]:
    """The paragraphs of `text` with its fields filled; a [[block]] with an empty field is left out."""

    def block(match: re.Match[str]) -> str:
        inner = match.group(1)
        return "" if any(not values.get(name, "") for name in _FIELD.findall(inner)) else inner

    filled = _FIELD.sub(lambda m: values.get(m.group(1), ""), _BLOCK.sub(block, text.replace("\r\n", "\n")))
    return [" ".join(p.split()) for p in filled.split("\n\n") if p.strip()]


def subject(kind: str, m: MeetingData) -> str:
    return f"{_KINDS[_kind(kind)][1]}: {m.title} am {date_de(m.starts_at.date())}"


def _persons_sentence(kind: str, persons: int) -> str:
    if persons <= 1:
        return ""
    return f" für {persons} Personen" if kind == PLACE else f" mit {persons} Personen"


def letter_values(kind: str, m: MeetingData, office: Office, invitee: Invitee, position: int | None) -> dict[str, str]:
    values = template_values(m, office, greeting=invitee.greeting(m.salutation_style), with_reply_form=False)
    values["personen_satz"] = _persons_sentence(kind, invitee.persons)
    values["platz"] = str(position) if position else ""
    return values


def _chosen(kind: str, m: MeetingData, invitation_ids: Collection[int]) -> list[tuple[Invitee, int | None]]:
    """The chosen invitees this letter is for (moved up: accepted; waiting: on the list), with their place on
    the list; refused in one German line when none of them is."""
    wanted = set(invitation_ids)
    positions = invitations.waiting_positions(m.invitees)
    response = _KINDS[kind][2]
    chosen = [(i, positions.get(i.id)) for i in m.invitees if i.id in wanted and i.response == response]
    if not chosen:
        what = "nachgerückt (Zusage)" if kind == PLACE else "auf der Warteliste"
        raise UserError(f"Keine der gewählten Personen ist {what}; es gibt keinen Brief zu schreiben.")
    return chosen


def waiting_list_letters(
    db: Database,
    meeting_id: int,
    invitation_ids: Collection[int],
    target: BytesIO | Path,
    *,
    kind: str = PLACE,
    today: dt.date | None = None,
) -> int:
    """One letter per chosen invitee with an address (a guest without one gets the e-mail only); returns the
    number of pages."""
    kind = _kind(kind)
    office, m = load_meeting(db, meeting_id)
    chosen = [(i, pos) for i, pos in _chosen(kind, m, invitation_ids) if i.addressee is not None]
    if not chosen:
        raise UserError("Keine der gewählten Personen hat eine Postanschrift im Kontakt.")
    text = shipped_text(kind)
    title = subject(kind, m)
    c = new_canvas(target, title, office)
    define_letterhead(c, office)
    pages = 0
    for invitee, position in chosen:
        a = invitee.addressee
        assert a is not None  # chosen above
        draw_first_page(c, office, a, today or dt.date.today(), m.signatories)
        story, closing = letter_story(m, office, fill(text, letter_values(kind, m, office, invitee, position)), title)
        pages += flow_letter(c, office, [*story, closing], a.display_name)
    c.save()
    return pages


def write_email_drafts(
    db: Database, meeting_id: int, invitation_ids: Collection[int], folder: Path, *, kind: str = PLACE
) -> list[Path]:
    """One .eml draft (X-Unsent, opens as a new message in Outlook) per chosen invitee with an e-mail address."""
    kind = _kind(kind)
    office, m = load_meeting(db, meeting_id)
    chosen = [(i, pos) for i, pos in _chosen(kind, m, invitation_ids) if i.email]
    if not chosen:
        raise UserError("Keine der gewählten Personen hat eine E-Mail-Adresse.")
    folder.mkdir(parents=True, exist_ok=True)
    text = shipped_text(kind)
    signature = [p for p in (office.signatory, office.signatory_role, office.name) if p]
    written = []
    for invitee, position in chosen:
        paragraphs = fill(text, letter_values(kind, m, office, invitee, position))
        msg = EmailMessage(policy=SMTP)
        msg["Subject"] = subject(kind, m)
        if office.email:
            msg["From"] = formataddr((office.name, office.email))
        msg["To"] = formataddr((invitee.name, invitee.email))
        msg["X-Unsent"] = "1"
        msg.set_content("\n\n".join([*paragraphs, "Mit freundlichen Grüßen", "\n".join(signature)]) + "\n")
        path = folder / f"{m.starts_at:%Y-%m-%d}_{kind}_{invitee.id}.eml"
        path.write_bytes(msg.as_bytes())
        written.append(path)
    return written
