"""Invitation letters (DIN 5008 form B) with the reply form, one letter per invitee, in one PDF.

The body comes from an editable template (resources/templates/einladung.txt) whose {fields} are
filled with escaped values. The address lies exactly in the window of a DL/C5/6 envelope: 20 mm from
the left, 45 mm from the top, 85 × 45 mm (return line in the upper 17.7 mm, address below).
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import paths
from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.letter_layout import body_frame, draw_first_page, follow_page
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import (
    TEXT_W,
    Cancelled,
    Progress,
    SharedParagraph,
    define_letterhead,
    flow,
    keep_together,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.reply_form import draw_reply_form
from geschaeftsstelle.documents.text import date_de, esc, long_date_de, money_de, time_range_de
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Office

TEMPLATE = "einladung.txt"
SELECTIONS = ("all", "unsent", "open")


@dataclass(frozen=True)
class Letter:
    addressee: Addressee
    invitation_id: int | None


def default_template() -> str:
    return paths.resource("templates", TEMPLATE).read_text("utf-8")


def fill_template(template: str, values: dict[str, str]) -> list[str]:
    """Paragraphs with their {fields} filled in; a paragraph whose fields are all empty is left out."""
    formatter = string.Formatter()
    paragraphs = []
    for block in template.replace("\r\n", "\n").split("\n\n"):
        try:
            parsed = list(formatter.parse(block))
        except ValueError as exc:
            raise UserError(f"Die Briefvorlage ist fehlerhaft: {exc}.") from exc
        names = [name for _, name, _, _ in parsed if name]
        unknown = [n for n in names if n not in values]
        if unknown:
            raise UserError(
                f"Die Briefvorlage enthält den unbekannten Platzhalter {{{unknown[0]}}}. "
                f"Möglich sind: {', '.join('{' + k + '}' for k in sorted(values))}."
            )
        if names and not any(values[n] for n in names):
            continue
        text = "".join(literal + (values[name] if name else "") for literal, name, _, _ in parsed).strip()
        if text:
            paragraphs.append(text)
    return paragraphs


def template_values(m: MeetingData, office: Office) -> dict[str, str]:
    venue = m.venue_line or "Ort wird noch bekannt gegeben"
    speakers = ", ".join(m.speakers)
    return {
        "titel": m.title,
        "datum": long_date_de(m.starts_at.date()),
        "uhrzeit": time_range_de(m.starts_at, m.ends_at),
        "ort": venue,
        "thema": m.topic,
        "beschreibung": m.description,
        "referenten": speakers,
        "anmeldeschluss": date_de(m.registration_deadline) if m.registration_deadline else "",
        "antwort_an": m.registration_contact or office.email or "",
        "fax": office.fax or "",
        "telefon": office.phone or "",
        "beitrag": money_de(m.fee),
        "mitglieder_hinweis": (
            "Die Veranstaltung richtet sich ausschließlich an Personen aus unseren Mitgliedsorganisationen."
            if m.members_only
            else ""
        ),
        "verpflegung": m.catering,
        "geschaeftsstelle": office.name,
    }


def _programme(m: MeetingData, st: object) -> list[object]:
    if not m.agenda:
        return []
    rows = []
    for top, item in enumerate(m.agenda, start=1):
        time = f"{item.time:%H:%M} Uhr" if item.time else ""
        title = esc(f"TOP {top}: {item.title}")
        if item.presenter:
            title += f"<br/><font size=8.5 color='#555555'>{esc(item.presenter)}</font>"
        rows.append([Paragraph(esc(time), st.cell), Paragraph(title, st.cell)])  # type: ignore[attr-defined]
    table = Table(rows, colWidths=[24 * mm, TEXT_W - 24 * mm], repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.SANS, 9.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, "#bbbbbb"),
            ]
        )
    )
    return [Paragraph("Programm", st.heading), table, Spacer(1, 4 * mm)]  # type: ignore[attr-defined]


def render_letters(
    target: BytesIO | Path,
    office: Office,
    meeting: MeetingData,
    letters: list[Letter],
    *,
    template: str | None = None,
    with_reply_form: bool = True,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write all letters into one PDF; returns the number of pages."""
    if not letters:
        raise UserError("Es gibt keine Empfängerinnen oder Empfänger für diese Auswahl.")
    today = today or dt.date.today()
    st = styles()
    paragraphs = fill_template(
        template if template is not None else default_template(), template_values(meeting, office)
    )
    subject = f"Einladung: {meeting.title} am {date_de(meeting.starts_at.date())}"
    c = new_canvas(target, subject, office)
    define_letterhead(c, office)
    closing = keep_together(
        [
            Paragraph("Mit freundlichen Grüßen", st.body),
            Spacer(1, 10 * mm),
            Paragraph(esc(office.signatory), st.body.clone("sig", spaceAfter=0)),
            Paragraph(esc(office.signatory_role), st.small),
        ]
    )
    body_flowables = [SharedParagraph(esc(p), st.body) for p in paragraphs[:1]]
    rest = [SharedParagraph(esc(p), st.body) for p in paragraphs[1:]]
    subject_para = SharedParagraph(f"<b>{esc(subject)}</b>", st.bold)
    programme = _programme(meeting, st)
    deadline = []
    if meeting.registration_deadline:
        deadline = [
            Paragraph(
                f"<b>Anmeldeschluss: {date_de(meeting.registration_deadline)}</b>"
                + (
                    f" · Rückmeldung an {esc(meeting.registration_contact or office.email or '')}"
                    if (meeting.registration_contact or office.email)
                    else ""
                ),
                st.body,
            )
        ]
    pages = 0
    for done, letter in enumerate(letters, start=1):
        a = letter.addressee
        draw_first_page(c, office, a, today)
        story = [
            subject_para,
            Spacer(1, 3 * mm),
            Paragraph(esc(a.greeting()), st.body),
            *body_flowables,
            *programme,
            *rest,
            *deadline,
            closing,
        ]
        frame = body_frame()
        recipient = a.display_name
        page_counter = [1]

        def next_page(recipient: str = recipient, counter: list[int] = page_counter) -> Frame:
            counter[0] += 1
            return follow_page(c, office, counter[0], recipient)

        pages += flow(c, story, frame, next_page)
        c.showPage()
        if with_reply_form:
            draw_reply_form(c, office, meeting, a)
            c.showPage()
            pages += 1
        if progress is not None and not progress(done, len(letters)):
            raise Cancelled()
    c.save()
    return pages


def select_letters(meeting: MeetingData, selection: str = "all") -> list[Letter]:
    if selection not in SELECTIONS:
        raise UserError(f"Unbekannte Auswahl „{selection}“ (möglich: all, unsent, open).")
    result = []
    for inv in meeting.invitees:
        if inv.addressee is None:
            continue
        if selection == "unsent" and inv.sent_on is not None:
            continue
        if selection == "open" and inv.response != "open":
            continue
        result.append(Letter(inv.addressee, inv.invitation_id))
    return sorted(result, key=lambda letter: (letter.addressee.organisation.casefold(), letter.addressee.last_name))


def invitation_letters(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    selection: str = "all",
    with_reply_form: bool = True,
    template: str | None = None,
    progress: Progress | None = None,
) -> int:
    office, meeting = load_meeting(db, meeting_id)
    letters = select_letters(meeting, selection)
    return render_letters(
        target, office, meeting, letters, template=template, with_reply_form=with_reply_form, progress=progress
    )


def reply_forms(
    db: Database, meeting_id: int, target: BytesIO | Path, *, selection: str = "all", progress: Progress | None = None
) -> int:
    """Only the reply forms, one per invitee (or one blank form when nobody is selected)."""
    office, meeting = load_meeting(db, meeting_id)
    letters = select_letters(meeting, selection)
    c = new_canvas(target, f"Rückantwort: {meeting.title}", office)
    define_letterhead(c, office)
    people: list[Addressee | None] = [letter.addressee for letter in letters] or [None]
    for done, a in enumerate(people, start=1):
        draw_reply_form(c, office, meeting, a)
        c.showPage()
        if progress is not None and not progress(done, len(people)):
            raise Cancelled()
    c.save()
    return len(people)
