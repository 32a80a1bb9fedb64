"""DIN 5008 form B letter layout shared by every letter the office sends (invitations, award letters)."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.page import FOOTER_H, LEFT, PAGE_H, PAGE_W, TEXT_W, styles
from geschaeftsstelle.documents.text import date_de, esc
from geschaeftsstelle.models import Office

ADDRESS_LEFT = 20 * mm
ADDRESS_TOP = 45 * mm
ADDRESS_W = 85 * mm
ADDRESS_H = 45 * mm
RETURN_ZONE_H = 17.7 * mm
INFO_LEFT = 125 * mm
INFO_TOP = 50 * mm
BODY_TOP = 98.5 * mm


def body_frame() -> Frame:
    return Frame(
        LEFT,
        FOOTER_H,
        TEXT_W,
        PAGE_H - BODY_TOP - FOOTER_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def draw_first_page(c: Canvas, office: Office, a: Addressee, today: dt.date) -> None:
    """Letterhead, return line, the address inside the window, and the information block."""
    c.doForm("letterhead")
    # Return address in the top of the address field, then the recipient lines below it.
    sender = " · ".join(p for p in (office.name, office.street, f"{office.postal_code} {office.city}".strip()) if p)
    c.setFont(fonts.SANS, 6.5)
    return_y = PAGE_H - ADDRESS_TOP - RETURN_ZONE_H + 3 * mm
    c.drawString(ADDRESS_LEFT + 5 * mm, return_y, fit(c, sender, fonts.SANS, 6.5, ADDRESS_W - 5 * mm))
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
        c.drawString(INFO_LEFT, y - 4 * mm, fit(c, value, fonts.SANS, 9.5, PAGE_W - INFO_LEFT - 15 * mm))
        y -= 10 * mm


def fit(c: Canvas, text: str, font: str, size: float, width: float) -> str:
    if c.stringWidth(text, font, size) <= width:
        return text
    while text and c.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def follow_page(c: Canvas, office: Office, page_no: int, recipient: str) -> Frame:
    c.doForm("letterhead")
    c.setFont(fonts.SANS, 8.5)
    c.drawRightString(PAGE_W - 20 * mm, PAGE_H - 36 * mm, f"Seite {page_no}")
    c.drawString(LEFT, PAGE_H - 36 * mm, fit(c, recipient, fonts.SANS, 8.5, TEXT_W - 30 * mm))
    top = PAGE_H - 42 * mm
    return Frame(LEFT, FOOTER_H, TEXT_W, top - FOOTER_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
