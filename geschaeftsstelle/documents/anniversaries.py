"""Jubiläen: the members' round anniversaries of a year (10, 20, 25, … years since founding), for the office
to plan congratulations and a summer festival that honours them. Read through `members.anniversaries`."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from geschaeftsstelle import members
from geschaeftsstelle.documents.page import TEXT_W, Progress, cell, list_table, render_list, styles
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
        story.append(list_table(table_rows, widths))
    else:
        story.append(Paragraph(f"Im Jahr {year} hat kein Mitglied ein rundes Jubiläum (nach den eingetragenen "
                               "Gründungsdaten).", st.body))  # fmt: skip
    return render_list(target, office, title, story, progress)


def anniversary_list(db: Database, year: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    """The PDF of `year`'s round anniversaries; returns the number of pages."""
    return render_anniversaries(target, get_office(db), year, members.anniversaries(db, year), progress)
