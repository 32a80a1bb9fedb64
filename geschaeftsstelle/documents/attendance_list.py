"""Teilnehmerliste: the sign-in sheet for the door.

Rows have a fixed height (room to sign), so the number of pages is known before drawing: every page
gets its own small table with the header row, "Seite x von y" is exact, no row is ever split, and the
time grows linearly with the number of rows (one giant ReportLab table would not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import PAGE_H, PAGE_W, Cancelled, Progress, new_canvas, styles
from geschaeftsstelle.documents.text import esc, long_date_de, time_range_de
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Office

MARGIN = 15 * mm
ROW_H = 10 * mm
HEADER_ROW_H = 7 * mm
TOP_BLOCK_H = 30 * mm
FOOTER_H = 12 * mm
MAX_BLANK_ROWS = 500


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str
    assistance: str


def attendees(meeting: MeetingData) -> list[Attendee]:
    """Each accepted person on a row of their own, sorted by organisation, then name."""
    rows = []
    for inv in meeting.invitees:
        if inv.response != "accepted":
            continue
        names = [n for n in inv.attendee_names if n.strip()] or ([inv.name] if inv.name else [])
        for n in names[: max(inv.persons, 1)]:
            rows.append(Attendee(n, inv.organisation, inv.assistance))
        for _ in range(max(inv.persons - len(names), 0)):
            rows.append(Attendee("", inv.organisation, ""))  # an unnamed companion signs in by hand
    return sorted(rows, key=lambda r: (r.organisation.casefold(), r.name == "", r.name.casefold()))


def render_attendance(
    target: BytesIO | Path,
    office: Office,
    meeting: MeetingData,
    rows: list[Attendee],
    *,
    blank_rows: int = 10,
    with_assistance: bool = False,
    progress: Progress | None = None,
) -> int:
    if not 0 <= blank_rows <= MAX_BLANK_ROWS:
        raise UserError(f"Leerzeilen: bitte eine Zahl von 0 bis {MAX_BLANK_ROWS}.")
    st = styles()
    cell = st.cell.clone("att", fontSize=8.5, leading=10)
    all_rows = rows + [Attendee("", "", "")] * blank_rows
    usable = PAGE_H - 2 * MARGIN - TOP_BLOCK_H - FOOTER_H - HEADER_ROW_H
    per_page = max(int(usable // ROW_H), 1)
    pages = max(math.ceil(len(all_rows) / per_page), 1)
    width = PAGE_W - 2 * MARGIN
    if with_assistance:
        widths = [10 * mm, 50 * mm, 45 * mm, 37 * mm, width - 142 * mm]
        header = ["Nr.", "Name", "Organisation", "Assistenz", "Unterschrift"]
    else:
        widths = [10 * mm, 55 * mm, 65 * mm, width - 130 * mm]
        header = ["Nr.", "Name", "Organisation", "Unterschrift"]
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), fonts.SANS_BOLD, 9),
            ("FONT", (0, 1), (-1, -1), fonts.SANS, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, "#777777"),
            ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )
    title = f"Teilnehmerliste: {meeting.title}"
    c = new_canvas(target, title, office)
    for page in range(pages):
        chunk = all_rows[page * per_page : (page + 1) * per_page]
        _top_block(c, office, meeting, st)
        data: list[list[object]] = [header]
        for i, row in enumerate(chunk, start=page * per_page + 1):
            line: list[object] = [str(i), _clip(row.name, cell), _clip(row.organisation, cell)]
            if with_assistance:
                line.append(_clip(row.assistance, cell))
            line.append("")
            data.append(line)
        table = Table(data, colWidths=widths, rowHeights=[HEADER_ROW_H] + [ROW_H] * len(chunk), style=style)
        _w, h = table.wrapOn(c, width, usable + HEADER_ROW_H)
        table.drawOn(c, MARGIN, PAGE_H - MARGIN - TOP_BLOCK_H - h)
        c.setFont(fonts.SANS, 8)
        c.drawRightString(PAGE_W - MARGIN, MARGIN, f"Seite {page + 1} von {pages}")
        c.drawString(MARGIN, MARGIN, office.name)
        c.showPage()
        if progress is not None and not progress(page + 1, pages):
            raise Cancelled()
    c.save()
    return pages


def _clip(text: str, style: object) -> Paragraph | str:
    """Names may wrap onto a second line; longer ones are shortened so the row height holds."""
    if not text:
        return ""
    if len(text) > 64:
        text = text[:62] + "…"
    return Paragraph(esc(text), style)  # type: ignore[arg-type]


def _top_block(c: Canvas, office: Office, m: MeetingData, st: object) -> None:
    top = PAGE_H - MARGIN
    c.setFont(fonts.SANS, 8.5)
    c.drawString(MARGIN, top - 3 * mm, office.name)
    block = Paragraph(
        f"<font size=14><b>Teilnehmerliste: {esc(m.title)}</b></font><br/>"
        f"{esc(long_date_de(m.starts_at.date()))}, {esc(time_range_de(m.starts_at, m.ends_at))}"
        f"<br/>{esc(m.venue_line or 'Ort wird noch festgelegt')}",
        st.body.clone("top", leading=15),  # type: ignore[attr-defined]
    )
    _w, h = block.wrap(PAGE_W - 2 * MARGIN, TOP_BLOCK_H)
    block.drawOn(c, MARGIN, top - 6 * mm - h)


def attendance_list(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    blank_rows: int = 10,
    with_assistance: bool = False,
    progress: Progress | None = None,
) -> int:
    office, meeting = load_meeting(db, meeting_id)
    return render_attendance(
        target, office, meeting, attendees(meeting), blank_rows=blank_rows, with_assistance=with_assistance,
        progress=progress,
    )  # fmt: skip
