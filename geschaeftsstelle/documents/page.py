"""What every office document shares: A4 geometry, styles, the letterhead drawn once as a PDF form,
the footer, metadata, and a small flow engine that fills frames page by page (fast for thousands of
pages, and it lets a letter continue on numbered follow-up pages without losing a line).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Table, TableStyle

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Office
from geschaeftsstelle.validation import format_iban

PAGE_W, PAGE_H = A4
LEFT = 25 * mm
RIGHT = 20 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
FOOTER_H = 22 * mm

#: progress(done, total) -> False to cancel; called between records, never inside one.
Progress = Callable[[int, int], bool]


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__("Das Erstellen des Dokuments wurde abgebrochen.")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    right: ParagraphStyle


@functools.cache
def styles() -> Styles:
    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=10.5, leading=14, alignment=TA_LEFT, spaceAfter=6)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, spaceAfter=0),
        bold=ParagraphStyle("bold", parent=body, fontName=fonts.SANS_BOLD),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, fontSize=11, spaceBefore=6),
        title=ParagraphStyle("title", parent=body, fontName=fonts.SANS_BOLD, fontSize=15, leading=19, spaceAfter=4),
        cell=ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        cell_bold=ParagraphStyle(
            "cellb", parent=body, fontName=fonts.SANS_BOLD, fontSize=9.5, leading=12, spaceAfter=0
        ),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
    )


def new_canvas(target: BytesIO | Path, title: str, office: Office) -> Canvas:
    fonts.register()
    c = Canvas(
        target if isinstance(target, BytesIO) else str(target),
        pagesize=A4,
        initialFontName=fonts.SANS,
        initialFontSize=10,
        pageCompression=1,
    )
    c.setTitle(title)
    c.setAuthor(office.name or "Geschäftsstelle")
    c.setCreator("Geschäftsstelle")
    c.setSubject(title)
    return c


def office_footer_lines(office: Office) -> list[str]:
    address = ", ".join(p for p in (office.name, office.street, f"{office.postal_code} {office.city}".strip()) if p)
    contact = " · ".join(
        p
        for p in (
            f"Telefon {office.phone}" if office.phone else "",
            f"Fax {office.fax}" if office.fax else "",
            office.email or "",
            office.website or "",
        )
        if p
    )
    bank = " · ".join(
        p
        for p in (
            office.bank_name or "",
            f"IBAN {format_iban(office.iban)}" if office.iban else "",
            f"BIC {office.bic}" if office.bic else "",
        )
        if p
    )
    return [line for line in (address, contact, bank) if line]


def define_letterhead(c: Canvas, office: Office, name: str = "letterhead") -> None:
    """The office's name, the footer and the fold and hole marks, drawn once and reused on every page."""
    c.beginForm(name)
    c.setFont(fonts.SANS_BOLD, 15)
    c.drawString(LEFT, PAGE_H - 20 * mm, office.name or "Geschäftsstelle")
    c.setFont(fonts.SANS, 9)
    address = " · ".join(p for p in (office.street, f"{office.postal_code} {office.city}".strip()) if p)
    c.drawString(LEFT, PAGE_H - 26 * mm, address)
    c.setLineWidth(0.5)
    c.setStrokeGray(0.4)
    c.line(LEFT, PAGE_H - 29 * mm, PAGE_W - RIGHT, PAGE_H - 29 * mm)
    c.setFont(fonts.SANS, 7.5)
    c.setFillGray(0.25)
    for i, line in enumerate(office_footer_lines(office)):
        c.drawString(LEFT, 16 * mm - i * 3.6 * mm, line)
    c.setFillGray(0)
    c.setLineWidth(0.3)
    c.setStrokeGray(0.5)
    for y in (105, 210):  # fold marks of DIN 5008 form B
        c.line(3 * mm, PAGE_H - y * mm, 8 * mm, PAGE_H - y * mm)
    c.line(3 * mm, PAGE_H - 148.5 * mm, 10 * mm, PAGE_H - 148.5 * mm)  # hole mark
    c.endForm()


class SharedParagraph(Paragraph):
    """A paragraph repeated in every letter of a run: its line breaks are computed once per width."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if getattr(self, "_wrapped_for", None) == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return size


PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")


def keep_together(flowables: list[Flowable]) -> Table:
    """A block that moves to the next page as a whole (a one-cell table never splits inside its cell)."""
    table = Table([[flowables]], colWidths=[TEXT_W])
    # Tables set a font on every cell; name ours, or ReportLab writes an unembedded Helvetica into the PDF.
    table.setStyle(
        TableStyle([(side, (0, 0), (-1, -1), 0) for side in PADDINGS] + [("FONT", (0, 0), (-1, -1), fonts.SANS)])
    )
    return table


def flow(
    c: Canvas,
    story: list[Flowable],
    first_frame: Frame,
    next_page: Callable[[], Frame],
) -> int:
    """Fill `first_frame`, then as many follow-up pages as needed; returns the number of pages used.
    A flowable that cannot fit even on an empty page is split or, if it refuses, drawn clipped rather
    than silently dropped."""
    pages = 1
    frame = first_frame
    pending = list(story)
    while pending:
        frame.addFromList(pending, c)
        if not pending:
            break
        # Frame.addFromList does not split a flowable on a partly filled page (only document templates do):
        # put as much of a long table or paragraph as fits here before turning the page.
        parts = frame.split(pending[0], c)
        if len(parts) > 1 and frame.add(parts[0], c):
            pending[0:1] = parts[1:]
            continue
        c.showPage()
        pages += 1
        frame = next_page()
        if frame.add(pending[0], c) == 0:  # too tall for an empty frame: split it or draw what fits
            parts = frame.split(pending[0], c)
            if parts:
                pending[0:1] = parts
                continue
            pending.pop(0)
            continue
        pending.pop(0)
    return pages
