"""Name badges for the accepted persons: eight per A4 page with cut marks; name large, organisation below."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.attendance_list import Attendee, attendees
from geschaeftsstelle.documents.meeting_data import load_meeting
from geschaeftsstelle.documents.page import PAGE_H, PAGE_W, Cancelled, Progress, new_canvas
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Office

COLS, ROWS = 2, 4
BADGE_W, BADGE_H = 90 * mm, 60 * mm
LEFT = (PAGE_W - COLS * BADGE_W) / 2
TOP = (PAGE_H - ROWS * BADGE_H) / 2


def badge_origin(index: int) -> tuple[float, float]:
    row, col = divmod(index % (COLS * ROWS), COLS)
    return LEFT + col * BADGE_W, PAGE_H - TOP - (row + 1) * BADGE_H


def render_badges(
    target: BytesIO | Path, office: Office, title: str, people: list[Attendee], progress: Progress | None = None
) -> int:
    people = [p for p in people if p.name.strip()]
    if not people:
        raise UserError("Es gibt noch keine Zusagen mit Namen für Namensschilder.")
    c = new_canvas(target, f"Namensschilder: {title}", office)
    pages = 0
    for i, person in enumerate(people):
        if i % (COLS * ROWS) == 0:
            if i:
                c.showPage()
            pages += 1
            _cut_marks(c)
        x, y = badge_origin(i)
        _badge(c, x, y, person, title)
        done = i + 1
        if (
            progress is not None
            and (done % (COLS * ROWS) == 0 or done == len(people))
            and not progress(done, len(people))
        ):
            raise Cancelled()
    c.showPage()
    c.save()
    return pages


def _fit_size(c: Canvas, text: str, font: str, start: float, minimum: float, width: float) -> float:
    size = start
    while size > minimum and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _badge(c: Canvas, x: float, y: float, person: Attendee, title: str) -> None:
    width = BADGE_W - 10 * mm
    c.setFont(fonts.SANS, 7.5)
    c.setFillGray(0.35)
    c.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 9 * mm, title[:70])
    c.setFillGray(0)
    size = _fit_size(c, person.name, fonts.SANS_BOLD, 24, 11, width)
    name = person.name
    while c.stringWidth(name, fonts.SANS_BOLD, size) > width:
        name = name[:-2] + "…"
    c.setFont(fonts.SANS_BOLD, size)
    c.drawCentredString(x + BADGE_W / 2, y + BADGE_H / 2, name)
    org = person.organisation
    org_size = _fit_size(c, org, fonts.SANS, 11, 7, width)
    while org and c.stringWidth(org, fonts.SANS, org_size) > width:
        org = org[:-2] + "…"
    c.setFont(fonts.SANS, org_size)
    c.drawCentredString(x + BADGE_W / 2, y + BADGE_H / 2 - 9 * mm, org)


def _cut_marks(c: Canvas) -> None:
    c.setLineWidth(0.3)
    c.setStrokeGray(0.3)
    xs = [LEFT + i * BADGE_W for i in range(COLS + 1)]
    ys = [PAGE_H - TOP - j * BADGE_H for j in range(ROWS + 1)]
    for x in xs:
        c.line(x, PAGE_H - TOP + 3 * mm, x, PAGE_H - TOP + 8 * mm)
        c.line(x, ys[-1] - 3 * mm, x, ys[-1] - 8 * mm)
    for y in ys:
        c.line(LEFT - 8 * mm, y, LEFT - 3 * mm, y)
        c.line(xs[-1] + 3 * mm, y, xs[-1] + 8 * mm, y)


def name_badges(db: Database, meeting_id: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    office, meeting = load_meeting(db, meeting_id)
    return render_badges(target, office, meeting.title, attendees(meeting), progress)
