"""Invitation letters (DIN 5008 form B) with the reply form, one letter per invitee, in one PDF.

The body comes from an editable template (resources/templates/einladung.txt) whose placeholders are
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import paths
from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import (
    FOOTER_H,
    LEFT,
    PAGE_H,
    PAGE_W,
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

ADDRESS_LEFT = 20 * mm
ADDRESS_TOP = 45 * mm
ADDRESS_W = 85 * mm
ADDRESS_H = 45 * mm
RETURN_ZONE_H = 17.7 * mm
INFO_LEFT = 125 * mm
INFO_TOP = 50 * mm
BODY_TOP = 98.5 * mm
TEMPLATE = "einladung.txt"
SELECTIONS = ("all", "unsent", "open")


@dataclass(frozen=True)
class Letter:
    addressee: Addressee
    invitation_id: int | None


def default_template() -> str:
    return paths.resource("templates", TEMPLATE).read_text("utf-8")


def fill_template(template: str, values: dict[str, str]) -> list[str]:
    """Paragraphs with placeholders filled; a paragraph whose placeholders are all empty is left out."""
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


def _draw_first_page(c: Canvas, office: Office, m: MeetingData, a: Addressee, today: dt.date) -> None:
    c.doForm("letterhead")
    # Return address in the top of the address field, then the recipient lines below it.
    sender = " · ".join(p for p in (office.name, office.street, f"{office.postal_code} {office.city}".strip()) if p)
    c.setFont(fonts.SANS, 6.5)
    return_y = PAGE_H - ADDRESS_TOP - RETURN_ZONE_H + 3 * mm
    c.drawString(ADDRESS_LEFT + 5 * mm, return_y, _fit(c, sender, fonts.SANS, 6.5, ADDRESS_W - 5 * mm))
    st = styles()
    lines = a.address_lines()
    text = "<br/>".join(esc(line) for line in lines)
    para = Paragraph(text, st.body.clone("address", spaceAfter=0, leading=12.5, fontSize=10))
    zone_h = ADDRESS_H - RETURN_ZONE_H
    _w, h = para.wrap(ADDRESS_W - 5 * mm, zone_h * 3)
    if h > zone_h:  # a very long organisation name: smaller type, never outside the window
        para = Paragraph(text, st.body.clone("address-small", spaceAfter=0, leading=9, fontSize=7.5))
        _w, h = para.wrap(ADDRESS_W - 5 * mm, zone_h * 3)
        while h > zone_h and para.frags:
            lines = lines[:-1] if len(lines) > 4 else [lines[0][: max(10, len(lines[0]) - 40)] + "…", *lines[1:]]
            para = Paragraph("<br/>".join(esc(line) for line in lines), para.style)
            _w, h = para.wrap(ADDRESS_W - 5 * mm, zone_h * 3)
    para.drawOn(c, ADDRESS_LEFT + 5 * mm, PAGE_H - ADDRESS_TOP - RETURN_ZONE_H - h)
    # Information block on the right.
    info = [
        ("Ihre Ansprechperson", office.signatory),
        ("Telefon", office.phone or ""),
        ("E-Mail", office.email or ""),
        ("Datum", date_de(today)),
    ]
    y = PAGE_H - INFO_TOP
    for label, value in info:
        if not value:
            continue
        c.setFont(fonts.SANS, 7.5)
        c.drawString(INFO_LEFT, y, label)
        c.setFont(fonts.SANS, 9.5)
        c.drawString(INFO_LEFT, y - 4 * mm, _fit(c, value, fonts.SANS, 9.5, PAGE_W - INFO_LEFT - 15 * mm))
        y -= 10 * mm


def _fit(c: Canvas, text: str, font: str, size: float, width: float) -> str:
    if c.stringWidth(text, font, size) <= width:
        return text
    while text and c.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _follow_page(c: Canvas, office: Office, page_no: int, recipient: str) -> Frame:
    c.doForm("letterhead")
    c.setFont(fonts.SANS, 8.5)
    c.drawRightString(PAGE_W - 20 * mm, PAGE_H - 36 * mm, f"Seite {page_no}")
    c.drawString(LEFT, PAGE_H - 36 * mm, _fit(c, recipient, fonts.SANS, 8.5, TEXT_W - 30 * mm))
    top = PAGE_H - 42 * mm
    return Frame(LEFT, FOOTER_H, TEXT_W, top - FOOTER_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


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
        _draw_first_page(c, office, meeting, a, today)
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
        frame = Frame(
            LEFT, FOOTER_H, TEXT_W, PAGE_H - BODY_TOP - FOOTER_H,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        recipient = a.display_name
        page_counter = [1]

        def next_page(recipient: str = recipient, counter: list[int] = page_counter) -> Frame:
            counter[0] += 1
            return _follow_page(c, office, counter[0], recipient)

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
