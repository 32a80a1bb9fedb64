"""Jubiläen: the members' round anniversaries of a year (10, 20, 25, … years since founding), for the office
to plan congratulations and a summer festival that honours them. Read through `members.anniversaries`."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import members
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.page import (
    FOOTER_H,
    LEFT,
    PAGE_H,
    TEXT_W,
    Cancelled,
    Progress,
    cell,
    define_letterhead,
    flow,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.text import date_de, esc
from geschaeftsstelle.members import Anniversary
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office


def render_anniversaries(
    target: BytesIO | Path, office: Office, year: int, rows: list[Anniversary], progress: Progress | None = None
) -> int:
    st = styles()
    title = f"Jubiläen unserer Mitglieder {year}"
    c = new_canvas(target, title, office)
    define_letterhead(c, office)
    widths = [24 * mm, TEXT_W - 96 * mm, 44 * mm, 28 * mm]
    table_rows: list[list[object]] = [
        [Paragraph(f"<b>{h}</b>", st.cell) for h in ("Tag", "Mitglied", "Ort", "Jubiläum")]
    ]
    for a in rows:
        jubilee = esc(f"{a.years} Jahre") + f"<br/><font size=7.5>gegr. {esc(date_de(a.founded_on))}</font>"
        table_rows.append([Paragraph(esc(f"{a.day:%d.%m.}"), st.cell), cell(a.name, st.cell, widths[1]),
                           cell(a.city, st.cell, widths[2]), Paragraph(jubilee, st.cell)])  # fmt: skip
    story: list[object] = [Paragraph(esc(title), st.title), Spacer(1, 3 * mm)]
    if rows:
        table = Table(table_rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#333333"),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#bbbbbb"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(f"Im Jahr {year} hat kein Mitglied ein rundes Jubiläum (nach den eingetragenen "
                               "Gründungsdaten).", st.body))  # fmt: skip

    def frame() -> Frame:
        c.doForm("letterhead")
        return Frame(LEFT, FOOTER_H, TEXT_W, PAGE_H - 40 * mm - FOOTER_H, leftPadding=0, rightPadding=0, topPadding=0)

    if progress is not None and not progress(0, 1):
        raise Cancelled()
    pages = flow(c, story, frame(), frame)
    c.showPage()
    c.save()
    if progress is not None:
        progress(1, 1)
    return pages


def anniversary_list(db: Database, year: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    """The PDF of `year`'s round anniversaries; returns the number of pages."""
    return render_anniversaries(target, get_office(db), year, members.anniversaries(db, year), progress)
