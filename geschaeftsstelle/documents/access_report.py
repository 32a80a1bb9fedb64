"""Auskunft nach Art. 15 DSGVO: everything stored about one person, as a readable PDF."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import privacy
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.page import (
    TEXT_W,
    cell,
    define_letterhead,
    flow,
    letterhead_page,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.text import esc
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "ja"
    if value is False:
        return "nein"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items()) or "—"
    return str(value)


def render_access_report(target: BytesIO | Path, report: dict[str, Any], office_name: str, office: Any) -> int:
    st = styles()
    person = report["Person"]
    name = " ".join(p for p in (person.get("Titel"), person.get("Vorname"), person.get("Nachname")) if p)
    c = new_canvas(target, f"Auskunft nach Art. 15 DSGVO: {name}", office)
    define_letterhead(c, office)

    def table(rows: list[tuple[str, Any]]) -> Table:
        t = Table(
            [[cell(k, st.cell_bold, 45 * mm), cell(_text(v), st.cell, TEXT_W - 45 * mm)] for k, v in rows],
            colWidths=[45 * mm, TEXT_W - 45 * mm],
        )
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#cccccc"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return t

    story: list[Any] = [
        Paragraph(esc(f"Auskunft nach Art. 15 DSGVO: {name}"), st.title),
        Paragraph(esc(f"Erstellt am {report['Erstellt am']} von {office_name}"), st.small),
        Spacer(1, 4 * mm),
        Paragraph("Gespeicherte Angaben zur Person", st.heading),
        table(list(person.items())),
    ]
    sections = (
        ("Einladungen und Rückmeldungen", "Einladungen und Rückmeldungen"),
        ("Eingereichte Nominierungen", "Eingereichte Nominierungen (Ehrenamtspreis)"),
        ("Änderungsprotokoll", "Änderungsprotokoll"),
        ("Erwähnungen in Freitexten", "Erwähnungen in Freitexten"),
        ("Speicherorte", "Wo diese Angaben gespeichert sind"),
    )
    for key, heading in sections:
        entries = report.get(key) or []
        story.append(Paragraph(esc(f"{heading} ({len(entries)})"), st.heading))
        if not entries:
            story.append(Paragraph("Keine.", st.body))
        for entry in entries:
            story += [table(list(entry.items())), Spacer(1, 3 * mm)]
    jury = report.get("Jury") or []
    story += [
        Paragraph("Jury des Ehrenamtspreises", st.heading),
        Paragraph(esc(", ".join(jury) if jury else "Keine."), st.body),
    ]
    page = letterhead_page(c, top=36 * mm)
    pages = flow(c, story, page(), page)
    c.showPage()
    c.save()
    return pages


def access_report_pdf(db: Database, contact_id: int, target: BytesIO | Path) -> int:
    office = get_office(db)
    return render_access_report(
        target, privacy.access_report(db, contact_id), office.name or "der Geschäftsstelle", office
    )
