"""The reply form (Rückantwort): a page the member faxes or mails back, prefilled with their name."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.meeting_data import MeetingData
from geschaeftsstelle.documents.page import LEFT, PAGE_H, PAGE_W, TEXT_W, styles
from geschaeftsstelle.documents.text import date_de, esc, long_date_de, time_range_de
from geschaeftsstelle.models import Office

FORM_NAME = "replyform"


def draw_reply_form(c: Canvas, office: Office, m: MeetingData, a: Addressee | None) -> None:
    """One page: the fixed part is a PDF form drawn once per document; only the names differ per letter."""
    if not getattr(c, "_reply_form_defined", False):
        c.beginForm(FORM_NAME)
        name_y = _draw_static(c, office, m)
        c.endForm()
        c._reply_form_defined = True  # type: ignore[attr-defined]
        c._reply_form_name_y = name_y  # type: ignore[attr-defined]
    c.doForm("letterhead")
    c.doForm(FORM_NAME)
    y = c._reply_form_name_y  # type: ignore[attr-defined]
    c.setFont(fonts.SANS, 11)
    for value in (a.person if a is not None and a.has_person else "", a.organisation if a is not None else ""):
        if value:
            text = value
            while text and c.stringWidth(text, fonts.SANS, 11) > TEXT_W:
                text = text[:-1]
            c.drawString(LEFT, y - 5 * mm, text)
        y -= 14 * mm


def _draw_static(c: Canvas, office: Office, m: MeetingData) -> float:
    """Everything but the prefilled names; returns where the name field starts."""
    st = styles()
    y = PAGE_H - 40 * mm
    c.setFont(fonts.SANS_BOLD, 15)
    c.drawString(LEFT, y, "Rückantwort / Anmeldung")
    y -= 7 * mm
    c.setFont(fonts.SANS, 9.5)
    reply_mail = m.registration_contact or office.email
    ways = [f"per Fax an {office.fax}" if office.fax else "", f"per E-Mail an {reply_mail}" if reply_mail else ""]
    send_to = " · ".join(w for w in ways if w)
    if send_to:
        note = Paragraph(esc(f"Bitte zurück an {office.name} – {send_to}"), st.body.clone("note", fontSize=9.5))
        _w, h = note.wrap(TEXT_W, 30 * mm)
        note.drawOn(c, LEFT, y - h + 3 * mm)
        y -= h + 1 * mm
    if m.registration_deadline:
        c.setFont(fonts.SANS_BOLD, 9.5)
        c.drawString(LEFT, y, f"bis spätestens {date_de(m.registration_deadline)}")
        y -= 5 * mm
    when = f"{long_date_de(m.starts_at.date())}, {time_range_de(m.starts_at, m.ends_at)}"
    meeting = Paragraph(
        f"<b>{esc(m.title)}</b><br/>{esc(when)}" + (f"<br/>{esc(m.venue_line)}" if m.venue_line else ""), st.body
    )
    _w, h = meeting.wrap(TEXT_W, 60 * mm)
    y -= 3 * mm
    meeting.drawOn(c, LEFT, y - h)
    y -= h + 8 * mm

    c.setFont(fonts.SANS, 10)
    name_y = y
    y = _field(c, "Name", "", y)
    y = _field(c, "Organisation", "", y)
    y -= 3 * mm
    for label in ("nehme teil", "nehme nicht teil"):
        c.rect(LEFT, y - 1 * mm, 4 * mm, 4 * mm)
        c.drawString(LEFT + 7 * mm, y, label)
        y -= 8 * mm
    y = _field(c, "Anzahl Personen", "", y)
    y = _field(c, "Namen der Teilnehmenden", "", y)
    y = _field(c, "", "", y)
    y = _field(c, "Assistenzbedarf (z. B. Rollstuhlplatz, Gebärdensprache)", "", y)
    y = _field(c, "Verpflegung (z. B. vegetarisch, vegan)", "", y)
    y -= 12 * mm
    c.line(LEFT, y, LEFT + 60 * mm, y)
    c.line(LEFT + 80 * mm, y, PAGE_W - 20 * mm, y)
    c.setFont(fonts.SANS, 8)
    c.drawString(LEFT, y - 4 * mm, "Ort, Datum")
    c.drawString(LEFT + 80 * mm, y - 4 * mm, "Unterschrift")
    return name_y


def _field(c: Canvas, label: str, value: str, y: float) -> float:
    c.setFont(fonts.SANS, 8)
    if label:
        c.drawString(LEFT, y + 1 * mm, label)
    c.setFont(fonts.SANS, 11)
    if value:
        text = value
        while text and c.stringWidth(text, fonts.SANS, 11) > TEXT_W:
            text = text[:-1]
        c.drawString(LEFT, y - 5 * mm, text)
    c.setLineWidth(0.4)
    c.line(LEFT, y - 6.5 * mm, PAGE_W - 20 * mm, y - 6.5 * mm)
    return y - 14 * mm
