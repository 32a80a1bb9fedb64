"""Name badges for the accepted persons: eight per A4 page with cut marks; name large, organisation below."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.attendance_list import Attendee, attendees
from geschaeftsstelle.documents.meeting_data import load_meeting
from geschaeftsstelle.documents.page import PAGE_H, PAGE_W, Cancelled, Progress, hyphenator, new_canvas
from geschaeftsstelle.documents.text import fit_lines, shorten_to_width
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office

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


NAME_SIZES = (24.0, 11.0)  # largest and smallest type for the name
ORG_SIZES = (11.0, 7.0)
NAME_TOP, NAME_BOTTOM = 45 * mm, 24 * mm  # the name's area, measured from the badge's lower edge
ORG_TOP = 19 * mm


def name_lines_allowed(size: float) -> int:
    """A name reads best on one line: two lines only below 14 pt, more only below 12 pt."""
    return 1 if size > 14 else 2 if size > 12 else 99


def fit_block(
    text: str,
    font: str,
    sizes: tuple[float, float],
    width: float,
    height: float,
    lines_allowed: Callable[[float], int] = lambda size: 99,
) -> tuple[float, list[str]]:
    """The largest size (in half points) at which `text` wraps into whole words within `width` × `height`.
    At the smallest size, long words hyphenate or break, and if the text is still too long the last line
    that fits ends with an ellipsis. The time grows at most linearly with the text (each try wraps only the
    lines that fit; cutting one letter at a time took 148 s for a 100,000-letter name)."""
    largest, smallest = sizes
    widest = max((stringWidth(word, font, 1) for word in text.split()), default=0.0)

    def max_lines(size: float) -> int:
        return max(min(int(height // (size * 1.15)), lines_allowed(size)), 1)

    size = largest
    while size > smallest:
        if widest * size <= width:  # no word has to break at this size
            lines, complete = fit_lines(text, font, size, width, max_lines(size))
            if complete:
                return size, lines
        size -= 0.5
    return smallest, fit_lines(text, font, smallest, width, max_lines(smallest), hyphenator())[0]


def _badge(c: Canvas, x: float, y: float, person: Attendee, title: str) -> None:
    width = BADGE_W - 10 * mm
    cx = x + BADGE_W / 2
    c.setFont(fonts.SANS, 7.5)
    c.setFillGray(0.35)
    c.drawCentredString(cx, y + BADGE_H - 9 * mm, shorten_to_width(title, fonts.SANS, 7.5, width))
    c.setFillGray(0)
    size, lines = fit_block(person.name, fonts.SANS_BOLD, NAME_SIZES, width, NAME_TOP - NAME_BOTTOM, name_lines_allowed)
    leading = size * 1.15
    # The block of lines centred in the name's area, between the title and the organisation.
    baseline = y + (NAME_TOP + NAME_BOTTOM) / 2 + (len(lines) - 1) * leading / 2 - size * 0.35
    c.setFont(fonts.SANS_BOLD, size)
    for i, line in enumerate(lines):
        c.drawCentredString(cx, baseline - i * leading, line)
    if person.organisation:
        org_size, org_lines = fit_block(person.organisation, fonts.SANS, ORG_SIZES, width, 2 * 11 * 1.15)
        c.setFont(fonts.SANS, org_size)
        for i, line in enumerate(org_lines):
            c.drawCentredString(cx, y + ORG_TOP - org_size - i * org_size * 1.15, line)


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
