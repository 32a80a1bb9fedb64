"""DIN 5008 form B letter layout shared by every letter the office sends (invitations, award letters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import reply_codes
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee, one_line
from geschaeftsstelle.documents.meeting_data import Signatory
from geschaeftsstelle.documents.page import FOOTER_H, LEFT, PAGE_H, PAGE_W, TEXT_W, flow, styles
from geschaeftsstelle.documents.text import date_de, esc
from geschaeftsstelle.store.models import Office

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


def return_line(c: Canvas, office: Office) -> tuple[list[str], float]:
    """The sender lines above the address (Rücksendeangabe) and their type size: always name, street,
    postcode and town. One line with the full name at 6.5 pt; if that is too wide, the office's short
    name; else smaller type down to 6 pt; else the name shortened with "…"; only a street and town that
    alone fill the window push the name onto a line of its own. Street, postcode and town are never
    shortened."""
    place = one_line(f"{office.postal_code} {office.city}")
    address = " · ".join(p for p in (one_line(office.street), place) if p)
    width = ADDRESS_W - 5 * mm
    names = [n for n in dict.fromkeys((one_line(office.name), one_line(office.short_name))) if n] or [""]

    def line(name: str) -> str:
        return " · ".join(p for p in (name, address) if p)

    for size in (6.5, 6.25, 6.0):
        for name in names:
            if c.stringWidth(line(name), fonts.SANS, size) <= width:
                return [line(name)], size
    name = min(names, key=len)
    rest = c.stringWidth(" · " + address, fonts.SANS, 6.0) if address else 0
    if width - rest >= 15 * mm:  # room for a shortened name on the same line
        return [" · ".join(p for p in (fit(c, name, fonts.SANS, 6.0, width - rest), address) if p)], 6.0
    return [p for p in (fit(c, name, fonts.SANS, 6.0, width), *simpleSplit(address, fonts.SANS, 6.0, width)) if p], 6.0


def draw_first_page(
    c: Canvas,
    office: Office,
    a: Addressee,
    letter_date: dt.date,
    signatories: Sequence[Signatory] = (),
    *,
    shared_form: str | None = None,
    reply_code: str = "",
) -> None:
    """Letterhead, return line, the address inside the window, and the information block. With
    `shared_form`, what is the same in every letter of a run (return line, information block) is drawn
    once as that PDF form and reused. `reply_code` (the invitation's) closes the information block, drawn
    per letter."""
    c.doForm("letterhead")
    if shared_form is None:
        _draw_sender_and_info(c, office, letter_date, signatories)
    else:
        defined: set[str] = c.__dict__.setdefault("_letter_forms", set())
        if shared_form not in defined:
            c.beginForm(shared_form)
            _draw_sender_and_info(c, office, letter_date, signatories)
            c.endForm()
            defined.add(shared_form)
        c.doForm(shared_form)
    draw_address(c, a)
    if reply_code:
        draw_info_code(c, reply_code)


#: The information block's rows (Ansprechperson, Telefon, E-Mail, Datum): the reply code goes below them.
INFO_ROWS = 4
INFO_ROW_H = 10 * mm


def draw_info_code(c: Canvas, code: str) -> None:
    """„Ihr Rückmeldecode K7M-Q2X“ as the information block's last row (below the four fixed rows, so the
    same place in every letter, whichever of them are empty)."""
    y = PAGE_H - INFO_TOP - INFO_ROWS * INFO_ROW_H
    c.setFont(fonts.SANS, 7.5)
    c.drawString(INFO_LEFT, y, "Ihr Rückmeldecode")
    c.setFont(fonts.SANS_BOLD, 9.5)
    c.drawString(INFO_LEFT, y - 4 * mm, reply_codes.printed(code))


def _draw_sender_and_info(c: Canvas, office: Office, letter_date: dt.date, signatories: Sequence[Signatory]) -> None:
    sender, size = return_line(c, office)
    c.setFont(fonts.SANS, size)
    for i, line in enumerate(sender):  # top to bottom, the last line just above the address
        above = (len(sender) - 1 - i) * size * 1.1
        c.drawString(ADDRESS_LEFT + 5 * mm, PAGE_H - ADDRESS_TOP - RETURN_ZONE_H + 3 * mm + above, line)
    contact = signatories[0].name if signatories else office.signatory
    info = [
        ("Ihre Ansprechperson", one_line(contact)),
        ("Telefon", one_line(office.phone)),
        ("E-Mail", one_line(office.email)),
        ("Datum", date_de(letter_date)),
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


def draw_address(c: Canvas, a: Addressee) -> None:
    """The recipient's lines in the envelope window below the return line, never outside it and never
    one left out: 10 pt; else wrapped; else 7.5 pt; else at 7.5 pt with organisation and person on one
    line each, shortened with "…", while street, postcode, town and country stay whole (wrapped)."""
    lines = a.address_lines()
    width = ADDRESS_W - 5 * mm
    zone_h = ADDRESS_H - RETURN_ZONE_H
    x, top = ADDRESS_LEFT + 5 * mm, PAGE_H - ADDRESS_TOP - RETURN_ZONE_H
    for size, leading in ((10, 12.5), (7.5, 9)):
        if len(lines) * leading <= zone_h and all(c.stringWidth(line, fonts.SANS, size) <= width for line in lines):
            _draw_lines(c, lines, x, top, size, leading)
            return
        para, h = _address_paragraph(lines, size, leading, width)
        if h <= zone_h:
            para.drawOn(c, x, top - h)
            return
    names = [fit(c, line, fonts.SANS, 7.5, width) for line in a.name_lines()]
    postal = [part for line in a.postal_lines() for part in simpleSplit(line, fonts.SANS, 7.5, width)]
    _draw_lines(c, [*names, *postal], x, top, 7.5, 9)


def _address_paragraph(lines: list[str], size: float, leading: float, width: float) -> tuple[Paragraph, float]:
    para = Paragraph(
        "<br/>".join(esc(line) for line in lines),
        styles().body.clone(f"address{size}", spaceAfter=0, leading=leading, fontSize=size),
    )
    _w, h = para.wrap(width, (ADDRESS_H - RETURN_ZONE_H) * 4)
    return para, h


def _draw_lines(c: Canvas, lines: list[str], x: float, top: float, size: float, leading: float) -> None:
    """Plain lines placed as a Paragraph of the same type would place them (first baseline one ascent
    below the top), at a fraction of its cost: thousands of letters draw their addresses this way."""
    text = c.beginText(x, top - pdfmetrics.getAscent(fonts.SANS, size))
    text.setFont(fonts.SANS, size, leading)
    for line in lines:
        text.textLine(line)
    c.drawText(text)


def signature_block(signatories: Sequence[Signatory], office: Office) -> list[Flowable]:
    """Name and role of who signs: the meeting's one or two signatories side by side, else the office's."""
    st = styles()
    people = list(signatories) or ([Signatory(office.signatory, office.signatory_role)] if office.signatory else [])
    if not people:
        return []

    def cell(p: Signatory) -> list[Flowable]:
        cell_style = st.body.clone("sig", spaceAfter=0)
        return [Paragraph(esc(p.name), cell_style), *([Paragraph(esc(p.role), st.small)] if p.role else [])]

    if len(people) == 1:
        return cell(people[0])
    table = Table([[cell(p) for p in people]], colWidths=[TEXT_W / len(people)] * len(people))
    table.setStyle(
        TableStyle(
            [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
            + [("FONT", (0, 0), (-1, -1), fonts.SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    return [table]


class ClosingBlock(Flowable):  # type: ignore[misc]  # ReportLab has no type hints: Flowable is Any
    """ "Mit freundlichen Grüßen" and the signatures, kept on one page with (the end of) the last paragraph:
    the closing never stands alone on a page, and a long last paragraph still splits before it."""

    def __init__(self, last: Flowable | None, closing: list[Flowable]) -> None:
        super().__init__()
        self.last = last
        self.closing = closing

    @classmethod
    def of(cls, last: Flowable | None, words: str, signatures: list[Flowable]) -> ClosingBlock:
        return cls(last, [Paragraph(esc(words), styles().body), Spacer(1, 12 * mm), *signatures])

    def _closing_height(self, avail_w: float) -> float:
        h = 0.0
        for f in self.closing:
            _w, fh = f.wrap(avail_w, PAGE_H)
            h += fh + f.getSpaceAfter()
        return h

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        last_h = 0.0
        if self.last is not None:
            _w, last_h = self.last.wrap(availWidth, availHeight)
            last_h += self.last.getSpaceAfter()
        self.width, self.height = availWidth, last_h + self._closing_height(availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.last is None:
            return []
        parts = self.last.split(availWidth, availHeight - self._closing_height(availWidth))
        if len(parts) < 2:
            return []  # not even a line fits beside the closing: all of it goes to the next page
        return [*parts[:-1], ClosingBlock(parts[-1], self.closing)]

    def draw(self) -> None:
        y = self.height
        for f in [*([self.last] if self.last is not None else []), *self.closing]:
            _w, h = f.wrap(self.width, PAGE_H)
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


def fit(c: Canvas, text: str, font: str, size: float, width: float) -> str:
    """`text`, or its longest beginning that fits with "…" (a binary search: a 100,000-character name
    costs a few dozen width measurements, not one per character)."""
    if c.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if c.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def follow_frame() -> Frame:
    """Where the text continues on page 2 and after, below the short header."""
    top = PAGE_H - 42 * mm
    return Frame(LEFT, FOOTER_H, TEXT_W, top - FOOTER_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def draw_follow_header(c: Canvas, page_no: int, recipient: str) -> None:
    """Letterhead, recipient and page number of a follow-up page (DIN 5008 Folgeseite)."""
    c.doForm("letterhead")
    c.setFont(fonts.SANS, 8.5)
    c.drawRightString(PAGE_W - 20 * mm, PAGE_H - 36 * mm, f"Seite {page_no}")
    c.drawString(LEFT, PAGE_H - 36 * mm, fit(c, recipient, fonts.SANS, 8.5, TEXT_W - 30 * mm))


def follow_page(c: Canvas, office: Office, page_no: int, recipient: str) -> Frame:
    draw_follow_header(c, page_no, recipient)
    return follow_frame()


def flow_letter(c: Canvas, office: Office, story: list[Flowable], recipient: str) -> int:
    """One letter whose first page is drawn: `story` from the first page's body onto follow-up pages numbered
    from 2 and naming `recipient`, then the page turned for the next letter. Returns the pages it used."""
    number = 1

    def next_page() -> Frame:
        nonlocal number
        number += 1
        return follow_page(c, office, number, recipient)

    pages = flow(c, story, body_frame(), next_page)
    c.showPage()
    return pages
