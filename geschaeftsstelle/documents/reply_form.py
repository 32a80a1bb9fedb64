"""The reply form (Rückantwort): a page the member faxes or mails back, prefilled with their name."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from geschaeftsstelle import letter_templates
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.letter_layout import fit
from geschaeftsstelle.documents.letter_values import template_values
from geschaeftsstelle.documents.meeting_data import MeetingData
from geschaeftsstelle.documents.page import LEFT, PAGE_H, PAGE_W, TEXT_W, styles
from geschaeftsstelle.documents.text import esc, long_date_de
from geschaeftsstelle.meeting_text import time_span
from geschaeftsstelle.store.models import LetterKind, Office

FORM_NAME = "replyform"


def draw_reply_form(
    c: Canvas, office: Office, m: MeetingData, a: Addressee | None, template: str | None = None
) -> None:
    """One page: the fixed part is a PDF form drawn once per document; only the names differ per letter.
    `template` is the office's text for the lines above the form (the shipped one when None)."""
    if not getattr(c, "_reply_form_defined", False):
        c.beginForm(FORM_NAME)
        text = template if template is not None else letter_templates.default_text(LetterKind.REPLY_FORM)
        values = template_values(m, office, with_reply_form=True)
        name_y = _draw_static(c, m, letter_templates.fill(text, LetterKind.REPLY_FORM, values))
        c.endForm()
        c._reply_form_defined = True
        c._reply_form_name_y = name_y
    c.doForm("letterhead")
    c.doForm(FORM_NAME)
    y: float = c._reply_form_name_y
    c.setFont(fonts.SANS, 11)
    for value in (a.person if a is not None and a.has_person else "", a.organisation if a is not None else ""):
        if value:
            c.drawString(LEFT, y - 5 * mm, fit(c, value, fonts.SANS, 11, TEXT_W))
        y -= 14 * mm


def _draw_static(c: Canvas, m: MeetingData, notes: list[str]) -> float:
    """Everything but the prefilled names; returns where the name field starts. The notes (the office's
    template) and the meeting's lines share 70 mm: longer text gets smaller type, down to 6 pt."""
    st = styles()
    y = PAGE_H - 40 * mm
    c.setFont(fonts.SANS_BOLD, 15)
    c.drawString(LEFT, y, "Rückantwort / Anmeldung")
    y -= 7 * mm
    when = f"{long_date_de(m.starts_at.date())}, {time_span(m.starts_at, m.ends_at)}"
    title = esc(m.title) + (" (unter Vorbehalt)" if m.is_tentative else "")
    head = f"<b>{title}</b><br/>{esc(when)}" + (f"<br/>{esc(m.venue_line)}" if m.venue_line else "")
    for size in (9.5, 8.5, 7.5, 6.5, 6.0):
        note_style = st.body.clone("note", fontSize=size, leading=size * 1.3, spaceAfter=1)
        blocks = [Paragraph(esc(n), note_style) for n in notes]
        meeting = Paragraph(head, st.body.clone("replyhead", fontSize=size + 1, leading=(size + 1) * 1.3))
        heights = [b.wrap(TEXT_W, PAGE_H)[1] + 1 * mm for b in blocks]
        _w, h = meeting.wrap(TEXT_W, PAGE_H)
        if sum(heights) + h <= 70 * mm:
            break
    for block, bh in zip(blocks, heights, strict=True):
        block.drawOn(c, LEFT, y - bh + 3 * mm)
        y -= bh
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
    return float(name_y)


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
    return float(y - 14 * mm)
