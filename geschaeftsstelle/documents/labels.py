"""Address labels on Avery Zweckform sheets, with a start position to reuse a half-used sheet."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.meeting_data import load_meeting
from geschaeftsstelle.documents.page import PAGE_H, Cancelled, Progress, new_canvas
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Member, Office
from geschaeftsstelle.office import get_office


@dataclass(frozen=True)
class Sheet:
    name: str
    cols: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def cell(self, index: int) -> tuple[float, float]:
        """Lower-left corner of label `index` (0-based, row by row) in PDF points."""
        row, col = divmod(index % self.per_sheet, self.cols)
        x = self.left + col * self.pitch_x
        y = PAGE_H - self.top - row * self.pitch_y - self.height
        return x, y


SHEETS = {
    "3474": Sheet("Avery Zweckform 3474 (3 × 8, 70 × 37 mm)", 3, 8, 70 * mm, 37 * mm, 0, 0.5 * mm, 70 * mm, 37 * mm),
    "L7163": Sheet("Avery L7163 (2 × 7, 99,1 × 38,1 mm)", 2, 7, 99.1 * mm, 38.1 * mm, 4.65 * mm, 15.15 * mm,
                   101.6 * mm, 38.1 * mm),
}  # fmt: skip
PADDING = 5 * mm


def render_labels(
    target: BytesIO | Path,
    office: Office,
    addresses: list[list[str]],
    *,
    sheet_type: str = "3474",
    start: int = 1,
    title: str = "Adressetiketten",
    progress: Progress | None = None,
) -> int:
    sheet = SHEETS.get(sheet_type)
    if sheet is None:
        raise UserError(f"Unbekannter Etikettentyp „{sheet_type}“ (möglich: {', '.join(SHEETS)}).")
    if not 1 <= start <= sheet.per_sheet:
        raise UserError(f"Startposition: bitte eine Zahl von 1 bis {sheet.per_sheet} für {sheet.name}.")
    if not addresses:
        raise UserError("Es gibt keine Anschriften für diese Auswahl.")
    c = new_canvas(target, title, office)
    index = start - 1
    pages = 1
    for done, lines in enumerate(addresses, start=1):
        if index and index % sheet.per_sheet == 0:
            c.showPage()
            pages += 1
        x, y = sheet.cell(index)
        _draw_label(c, lines, x, y, sheet)
        index += 1
        if progress is not None and (done % 50 == 0 or done == len(addresses)) and not progress(done, len(addresses)):
            raise Cancelled()
    c.showPage()
    c.save()
    return pages


def _draw_label(c: Canvas, lines: list[str], x: float, y: float, sheet: Sheet) -> None:
    width = sheet.width - 2 * PADDING
    lines = lines[:6]
    size = 10.0
    while size > 6 and (
        any(c.stringWidth(line, fonts.SANS, size) > width for line in lines)
        or len(lines) * size * 1.2 > sheet.height - 2 * PADDING
    ):
        size -= 0.5
    leading = size * 1.2
    top = y + sheet.height - PADDING - size
    c.setFont(fonts.SANS, size)
    for i, line in enumerate(lines):
        while line and c.stringWidth(line, fonts.SANS, size) > width:
            line = line[:-2] + "…"
        c.drawString(x + PADDING, top - i * leading, line)


def meeting_labels(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    sheet_type: str = "3474",
    start: int = 1,
    progress: Progress | None = None,
) -> int:
    office, meeting = load_meeting(db, meeting_id)
    people = sorted(
        (i.addressee for i in meeting.invitees if i.addressee is not None),
        key=lambda a: (a.organisation.casefold(), a.last_name.casefold()),
    )
    return render_labels(
        target, office, [a.address_lines() for a in people], sheet_type=sheet_type, start=start,
        title=f"Etiketten: {meeting.title}", progress=progress,
    )  # fmt: skip


def member_labels(
    db: Database, target: BytesIO | Path, *, sheet_type: str = "3474", start: int = 1, progress: Progress | None = None
) -> int:
    """All active members, addressed to their primary contact."""
    office = get_office(db)
    with db.read() as s:
        found = s.scalars(select(Member).options(selectinload(Member.contacts)).order_by(Member.name)).all()
        addresses = []
        for m in found:
            if m.left_on is not None:
                continue
            p = m.primary_contact
            a = Addressee(
                salutation=p.salutation if p else "", title=p.title if p else "", first_name=p.first_name if p else "",
                last_name=p.last_name if p else "", organisation=m.name, street=m.street, postal_code=m.postal_code,
                city=m.city, country=m.country or "",
            )  # fmt: skip
            addresses.append(a.address_lines())
    return render_labels(
        target, office, addresses, sheet_type=sheet_type, start=start, title="Etiketten: Mitglieder", progress=progress
    )
