"""Teilnehmerliste: the sign-in sheet for the door.

Every row is at least 10 mm high (room to sign) and grows when a long name, organisation or assistance
note needs more lines: nothing is shortened. The row heights are measured before drawing, so the number
of pages is known: every page gets its own small table with the header row, "Seite x von y" is exact, no
row is split (only one taller than a whole page continues in a row of its own on the next page), and the
time grows linearly with the number of rows (one giant ReportLab table would not).

The sign-in sheet (`sign_in_sheet`) is the same list followed by an appendix that funders ask for as proof of
participation: invited, accepted and present per organisation, and a confirmation block with place, date and
the organiser's signature. The appendix flows on below the last row and on further pages as needed; its pages
are counted beforehand on a scratch canvas, so "Seite x von y" stays exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle.addressing import one_line
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import (
    CELL_PADDING,
    PAGE_H,
    PAGE_W,
    TEXT_W,
    Cancelled,
    Progress,
    Styles,
    cell,
    flow,
    keep_together,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.text import esc, long_date_de, shorten_to_width, time_range_de
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office, Response

MARGIN = 15 * mm
ROW_H = 10 * mm  # the least height of a row: room to sign
CELL_PAD_Y = 1  # points above and below a cell's text
HEADER_ROW_H = 7 * mm
TOP_BLOCK_H = 30 * mm
FOOTER_H = 12 * mm
MAX_BLANK_ROWS = 500
APPENDIX_GAP = 6 * mm
MIN_APPENDIX_ROOM = 45 * mm  # less room than this below the last row: the appendix begins on a new page


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
    appendix: Callable[[], list[Flowable]] | None = None,
) -> int:
    """The list; with `appendix` (a story made afresh on each call) flowed on after the last row."""
    if not 0 <= blank_rows <= MAX_BLANK_ROWS:
        raise UserError(f"Leerzeilen: bitte eine Zahl von 0 bis {MAX_BLANK_ROWS}.")
    st = styles()
    text_style = st.cell.clone("att", fontSize=8.5, leading=10)
    all_rows = rows + [Attendee("", "", "")] * blank_rows
    width = PAGE_W - 2 * MARGIN
    if with_assistance:
        widths = [10 * mm, 50 * mm, 45 * mm, 37 * mm, width - 142 * mm]
        header: list[object] = ["Nr.", "Name", "Organisation", "Assistenz", "Unterschrift"]
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
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ]
    )
    top_h = max(TOP_BLOCK_H, _top_block_height(office, meeting, st))
    usable = PAGE_H - 2 * MARGIN - top_h - FOOTER_H - HEADER_ROW_H
    lines = _lines(all_rows, widths, text_style, with_assistance, usable)
    pages = _paginate([h for _cells, h in lines], usable)
    title = f"Teilnehmerliste: {meeting.title}"
    total = len(pages)
    appendix_top: float | None = None  # where the appendix begins on the last page of rows (None: a new page)
    if appendix is not None:
        first, stop = pages[-1]
        appendix_top = PAGE_H - MARGIN - top_h - HEADER_ROW_H - sum(h for _c, h in lines[first:stop]) - APPENDIX_GAP
        if appendix_top - MARGIN - FOOTER_H < MIN_APPENDIX_ROOM:
            appendix_top = None
        scratch = Canvas(BytesIO(), pagesize=(PAGE_W, PAGE_H))
        used = flow(scratch, appendix(), _appendix_frame(appendix_top), lambda: _appendix_frame(None))
        total += used - (1 if appendix_top is not None else 0)
    c = new_canvas(target, title, office)
    for page, (first, stop) in enumerate(pages):
        chunk = lines[first:stop]
        _top_block(c, office, meeting, st)
        data = [header] + [cells for cells, _h in chunk]
        table = Table(data, colWidths=widths, rowHeights=[HEADER_ROW_H] + [h for _cells, h in chunk], style=style)
        _w, h = table.wrapOn(c, width, usable + HEADER_ROW_H)
        table.drawOn(c, MARGIN, PAGE_H - MARGIN - top_h - h)
        if appendix is None or page < len(pages) - 1 or appendix_top is None:
            _footer(c, office, page + 1, total)
            c.showPage()
        if progress is not None and not progress(page + 1, len(pages)):
            raise Cancelled()
    if appendix is not None:
        number = len(pages) if appendix_top is not None else len(pages) + 1

        def turn() -> None:
            nonlocal number
            _footer(c, office, number, total)
            c.showPage()
            number += 1

        flow(c, appendix(), _appendix_frame(appendix_top), lambda: _appendix_frame(None), turn)
        _footer(c, office, number, total)
        c.showPage()
    c.save()
    return total


def _footer(c: Canvas, office: Office, page: int, total: int) -> None:
    c.setFont(fonts.SANS, 8)
    c.drawRightString(PAGE_W - MARGIN, MARGIN, f"Seite {page} von {total}")
    c.drawString(MARGIN, MARGIN, shorten_to_width(office.name, fonts.SANS, 8, PAGE_W - 2 * MARGIN - 30 * mm))


def _appendix_frame(top: float | None) -> Frame:
    """The appendix's frame from `top` (None: the top margin of a new page) down to the footer."""
    top = PAGE_H - MARGIN if top is None else top
    return Frame(MARGIN, MARGIN + FOOTER_H, PAGE_W - 2 * MARGIN, top - MARGIN - FOOTER_H, leftPadding=0,
                 rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip


def _lines(
    rows: list[Attendee], widths: list[float], style: ParagraphStyle, with_assistance: bool, usable: float
) -> list[tuple[list[object], float]]:
    """Each attendee's table cells and row height: 10 mm, or what its longest cell needs. A row taller than a
    page (only a very long assistance note makes one) continues in rows of its own without a number."""
    result: list[tuple[list[object], float]] = []
    for number, row in enumerate(rows, start=1):
        texts = [row.name, row.organisation] + ([row.assistance] if with_assistance else [])
        cells: list[object] = [cell(text, style, w) if text else "" for text, w in zip(texts, widths[1:], strict=False)]
        if all(
            "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= w - CELL_PADDING
            for text, w in zip(texts, widths[1:], strict=False)
        ):  # the usual row: every text on one line (measured without wrapping it twice)
            result.append(([str(number), *cells, ""], ROW_H))
            continue
        while True:
            inner = [(p, w - CELL_PADDING) for p, w in zip(cells, widths[1:], strict=False) if isinstance(p, Paragraph)]
            need = max((p.wrap(w, usable)[1] for p, w in inner), default=0.0) + 2 * CELL_PAD_Y
            if need <= usable:
                result.append(([str(number) if number else "", *cells, ""], max(ROW_H, need)))
                break
            now: list[object] = []
            later: list[object] = []
            for p, w in zip(cells, widths[1:], strict=False):
                parts = p.split(w - CELL_PADDING, usable - 2 * CELL_PAD_Y) if isinstance(p, Paragraph) else []
                if len(parts) == 2:
                    now.append(parts[0])
                    later.append(parts[1])
                else:
                    now.append(p)
                    later.append("")
            result.append(([str(number) if number else "", *now, ""], usable))
            cells, number = later, 0
    return result


def _paginate(heights: list[float], usable: float) -> list[tuple[int, int]]:
    """(first, stop) row indices of each page: as many whole rows as fit, at least one page."""
    pages = []
    first, used = 0, 0.0
    for i, h in enumerate(heights):
        if i > first and used + h > usable + 0.01:
            pages.append((first, i))
            first, used = i, 0.0
        used += h
    pages.append((first, len(heights)))
    return pages


def _top_paragraphs(office: Office, m: MeetingData, st: Styles) -> tuple[Paragraph, Paragraph]:
    """The office's name, then the title block (a long title wraps) at the top of every page."""
    body = st.body
    name = Paragraph(esc(office.name), body.clone("top-office", fontSize=8.5, leading=10, spaceAfter=0))
    block = Paragraph(
        f"<font size=14><b>Teilnehmerliste: {esc(m.title)}</b></font><br/>"
        f"{esc(_when(m))}"
        f"<br/>{esc(m.venue_line or 'Ort wird noch festgelegt')}",
        body.clone("top", leading=15),
    )
    return name, block


def _when(m: MeetingData) -> str:
    """Day and time; a meeting over several days names its first and last day."""
    if m.ends_at.date() > m.starts_at.date():
        return (f"{long_date_de(m.starts_at.date())}, {m.starts_at:%H:%M} Uhr bis "
                f"{long_date_de(m.ends_at.date())}, {m.ends_at:%H:%M} Uhr")  # fmt: skip
    return f"{long_date_de(m.starts_at.date())}, {time_range_de(m.starts_at, m.ends_at)}"


def _top_block_height(office: Office, m: MeetingData, st: Styles) -> float:
    """Room above the table: at least TOP_BLOCK_H, more when the title or the office's name wraps."""
    name, block = _top_paragraphs(office, m, st)
    height: float = (
        name.wrap(PAGE_W - 2 * MARGIN, PAGE_H)[1] + 3 * mm + block.wrap(PAGE_W - 2 * MARGIN, PAGE_H)[1] + 3 * mm
    )
    return height


def _top_block(c: Canvas, office: Office, m: MeetingData, st: Styles) -> None:
    top = PAGE_H - MARGIN
    name, block = _top_paragraphs(office, m, st)
    _w, h = name.wrap(PAGE_W - 2 * MARGIN, PAGE_H)
    name.drawOn(c, MARGIN, top - h)
    top -= h + 3 * mm
    _w, h = block.wrap(PAGE_W - 2 * MARGIN, PAGE_H)
    block.drawOn(c, MARGIN, top - h)


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


# --------------------------------------------------------------------------- the sign-in sheet for funders


@dataclass(frozen=True)
class OrganisationTotals:
    """One organisation's figures: invitations, accepted persons, persons checked in at the door."""

    organisation: str
    invited: int
    accepted: int
    present: int


def organisation_totals(meeting: MeetingData) -> list[OrganisationTotals]:
    """Per organisation (by name; people without one together at the end): only accepted replies count as
    accepted (a waiting or tentative person does not), present are the persons of invitations checked in."""
    figures: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for inv in meeting.invitees:
        key = inv.organisation.casefold()
        names.setdefault(key, inv.organisation)
        row = figures.setdefault(key, [0, 0, 0])
        row[0] += 1
        if inv.response == Response.ACCEPTED.value:
            row[1] += inv.persons
        if inv.attended:
            row[2] += max(inv.persons, 1)
    order = sorted(figures, key=lambda k: (k == "", k))
    return [OrganisationTotals(names[k], *figures[k]) for k in order]


def sign_in_appendix(office: Office, meeting: MeetingData, st: Styles) -> list[Flowable]:
    """Totals per organisation and the organiser's confirmation (made only from filled fields)."""
    totals = organisation_totals(meeting)
    checked_in = any(inv.attended is not None for inv in meeting.invitees)
    width = PAGE_W - 2 * MARGIN
    widths = [width - 90 * mm, 30 * mm, 30 * mm, 30 * mm]
    number_style = st.cell.clone("number-head", alignment=TA_RIGHT)
    head = [Paragraph("<b>Organisation</b>", st.cell)] + [
        Paragraph(f"<b>{label}</b>", number_style) for label in ("Eingeladen", "Zugesagt (Pers.)", "Anwesend (Pers.)")
    ]

    def present(value: int) -> str:
        return str(value) if checked_in else ""

    rows: list[list[object]] = [head]
    for t in totals:
        rows.append([cell(t.organisation or "ohne Organisation", st.cell, widths[0]), str(t.invited), str(t.accepted),
                     present(t.present)])  # fmt: skip
    rows.append([Paragraph("<b>Insgesamt</b>", st.cell), str(sum(t.invited for t in totals)),
                 str(sum(t.accepted for t in totals)), present(sum(t.present for t in totals))])  # fmt: skip
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.SANS, 9.5),
                ("FONT", (0, -1), (-1, -1), fonts.SANS_BOLD, 9.5),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#333333"),
                ("LINEBELOW", (0, 1), (-1, -2), 0.3, "#bbbbbb"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, "#333333"),
            ]
        )
    )
    story: list[Flowable] = [Spacer(1, 1), Paragraph("Teilnahme nach Organisation", st.heading), table]
    if not checked_in:
        story.append(Paragraph("Anwesende sind noch nicht erfasst: bitte nach der Veranstaltung eintragen.", st.small))
    day = long_date_de(meeting.starts_at.date())
    sentence = f"Hiermit bestätigen wir, dass die Veranstaltung „{meeting.title}“ am {day}"
    sentence += f" in {meeting.venue_line}" if meeting.venue_line else ""
    sentence += " stattgefunden hat und die in dieser Liste eingetragenen Personen teilgenommen haben."
    signer = ", ".join(p for p in (one_line(office.signatory), one_line(office.signatory_role)) if p)
    under = "<br/>".join(esc(p) for p in (signer, one_line(office.name)) if p) or "Veranstalter"
    line_style = st.small.clone("sign-line", leading=11)
    signature = Table(
        [["", "", ""], [Paragraph("Ort, Datum", line_style), "", Paragraph(f"Unterschrift<br/>{under}", line_style)]],
        colWidths=[65 * mm, 10 * mm, TEXT_W - 75 * mm],  # inside keep_together's block, which is TEXT_W wide
        rowHeights=[16 * mm, None],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
                ("LINEBELOW", (0, 0), (0, 0), 0.6, "#333333"),
                ("LINEBELOW", (2, 0), (2, 0), 0.6, "#333333"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    story.append(Spacer(1, 4 * mm))
    confirmation = keep_together(
        [Paragraph("Bestätigung des Veranstalters", st.heading), Paragraph(esc(sentence), st.body), signature]
    )
    confirmation.hAlign = "LEFT"  # in line with the table above, not centred in the wider frame
    story.append(confirmation)
    return story


def sign_in_sheet(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    blank_rows: int = 10,
    progress: Progress | None = None,
) -> int:
    """The attendance list with totals per organisation and the organiser's confirmation (proof for funders)."""
    office, meeting = load_meeting(db, meeting_id)
    st = styles()
    return render_attendance(
        target, office, meeting, attendees(meeting), blank_rows=blank_rows, progress=progress,
        appendix=lambda: sign_in_appendix(office, meeting, st),
    )  # fmt: skip
