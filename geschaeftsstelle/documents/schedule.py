"""Sitzungstermine: the year's meetings for the notice board and the members' calendars."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.meeting_data import MeetingData, load_year
from geschaeftsstelle.documents.page import (
    CELL_PADDING,
    TEXT_W,
    Progress,
    hyphenated,
    list_table,
    render_list,
    styles,
)
from geschaeftsstelle.documents.text import WEEKDAYS, esc
from geschaeftsstelle.meetings import STATUS_LABELS
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MeetingStatus, Office


def render_schedule(
    target: BytesIO | Path, office: Office, year: int, meetings: list[MeetingData], progress: Progress | None = None
) -> int:
    st = styles()
    title = f"Sitzungstermine {year}"
    header = [Paragraph(f"<b>{h}</b>", st.cell) for h in ("Datum", "Zeit", "Termin", "Ort")]
    widths = [31 * mm, 31 * mm, TEXT_W - 107 * mm, 45 * mm]
    size = st.cell.fontSize
    what_w, where_w = widths[2] - CELL_PADDING, widths[3] - CELL_PADDING

    def fitted(text: str, width: float, font: str = fonts.SANS) -> str:  # escaped; long words break in the column
        return hyphenated(text, width, font, size)

    rows: list[list[object]] = [header]
    for m in meetings:
        status = MeetingStatus(m.status)
        date = f"{WEEKDAYS[m.starts_at.weekday()][:2]}., {m.starts_at:%d.%m.%Y}"
        what = f"<b>{fitted(m.title, what_w, fonts.SANS_BOLD)}</b>"
        if m.topic:
            what += f"<br/>{fitted(m.topic, what_w)}"
        if m.speakers:
            # grey, not italic: the oblique font has no Arabic letters, and speakers' names may need them
            what += f"<br/><font color='#555555'>mit {fitted(', '.join(m.speakers), what_w)}</font>"
        if status in (MeetingStatus.TENTATIVE, MeetingStatus.CANCELLED):
            what += f"<br/><font color='#b00020'>({STATUS_LABELS[status]})</font>"
        where = fitted(m.venue_line, where_w) if m.venue_line else "<i>Ort wird noch festgelegt</i>"
        rows.append(
            [
                Paragraph(esc(date), st.cell),
                Paragraph(esc(f"{m.starts_at:%H:%M}–{m.ends_at:%H:%M} Uhr"), st.cell),
                Paragraph(what, st.cell),
                Paragraph(where, st.cell),
            ]
        )
    spans: list[tuple[object, ...]] = []
    if len(rows) == 1:
        rows.append([Paragraph(f"Für {year} sind noch keine Termine eingetragen.", st.cell), "", "", ""])
        spans = [("SPAN", (0, 1), (-1, 1))]  # the sentence runs across the whole table
    story = [Paragraph(esc(title), st.title), Spacer(1, 3 * mm), list_table(rows, widths, spans=spans)]
    return render_list(target, office, title, story, progress)


def year_schedule(db: Database, year: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    office, meetings = load_year(db, year)
    return render_schedule(target, office, year, meetings, progress)
