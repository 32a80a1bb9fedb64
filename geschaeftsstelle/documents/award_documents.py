"""Ehrenamtspreis documents: the jury dossier, the certificates (Urkunden) and the letters to winners and
nominators. Public documents (certificate, winner letter) print a name only with consent to publication.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageBreak, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import awards
from geschaeftsstelle.documents import award_letters as replies
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.letter_layout import draw_first_page, flow_letter
from geschaeftsstelle.documents.page import (
    PAGE_H,
    PAGE_W,
    TEXT_W,
    Cancelled,
    Progress,
    cell,
    define_letterhead,
    flow,
    keep_together,
    letterhead_page,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.text import date_de, esc
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Award, Nomination, NominationStatus, Office


def _load(db: Database, year: int) -> tuple[Office, Award]:
    return get_office(db), awards.award_for_year(db, year)


def citation(n: Nomination) -> str:
    """The first sentence of the justification, as the certificate's line of honour."""
    text = " ".join((n.justification or "").split())
    if not text:
        return ""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first if len(first) <= 240 else first[:237] + "…"


# --------------------------------------------------------------------------- dossier


def jury_dossier(db: Database, year: int, target: BytesIO | Path) -> int:
    office, award = _load(db, year)
    nominations = [n for n in award.nominations if n.status != NominationStatus.WITHDRAWN.value]
    if not nominations:
        raise UserError(f"Die Preisrunde {year} hat noch keine Nominierungen.")
    st = styles()
    jury_names = ", ".join(j.full_name or j.organisation or "" for j in award.jury)
    c = new_canvas(target, f"Juryunterlagen {award.title}", office)
    define_letterhead(c, office)
    story: list[Flowable] = [
        Paragraph(esc(f"Juryunterlagen – {award.title}"), st.title),
        Paragraph(esc(f"{len(nominations)} Nominierungen · Jury: {jury_names}"), st.small),
        Spacer(1, 4 * mm),
    ]
    for i, n in enumerate(nominations, start=1):
        facts = [
            ("Organisation", n.member.name if n.member else "—"),
            ("Vorgeschlagen von", n.nominated_by.full_name if n.nominated_by else "—"),
            ("Eingegangen", date_de(n.received_on) or "—"),
            ("Kategorie", n.category or ("Gruppe" if n.nominee_is_group else "Einzelperson")),
            ("Einverständnis", ("Veröffentlichung ja" if n.consent_publication else "Veröffentlichung NEIN")
             + (", Fotos ja" if n.consent_photo else ", Fotos nein")),
        ]  # fmt: skip
        problems = awards.completeness(n, award)
        table = Table(
            [[cell(k, st.cell_bold, 40 * mm), cell(v, st.cell, TEXT_W - 40 * mm)] for k, v in facts],
            colWidths=[40 * mm, TEXT_W - 40 * mm],
        )
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.SANS, 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        criteria = [cell(cr.name, st.cell, 50 * mm) for cr in award.criteria]
        scores = Table(
            [["Kriterium", "1", "2", "3", "4", "5", "Bemerkung"]] + [[p, "", "", "", "", "", ""] for p in criteria],
            colWidths=[50 * mm] + [9 * mm] * 5 + [TEXT_W - 95 * mm],
            # 9 mm to write a remark in; a long criterion gets the lines it needs (cell padding 3 pt each side)
            rowHeights=[6 * mm] + [max(9 * mm, p.wrap(50 * mm - 12, PAGE_H)[1] + 6) for p in criteria],
        )
        scores.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
                    ("GRID", (0, 0), (-1, -1), 0.4, "#777777"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                    ("ALIGN", (1, 0), (5, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [
            keep_together(
                [Paragraph(esc(f"{i}. {n.nominee}"), st.heading), table]
                + ([Paragraph(esc("Hinweis: " + "; ".join(problems)), st.small)] if problems else [])
            ),
            Paragraph("Begründung", st.bold),
            *[Paragraph(esc(part), st.body) for part in (n.justification or "— keine Begründung —").split("\n\n")],
            keep_together(
                [
                    Paragraph("Bewertung (bitte ankreuzen)", st.bold),
                    scores,
                    Spacer(1, 2 * mm),
                    Paragraph("Name des Jurymitglieds: ______________________________", st.small),
                ]
            ),
        ]
        if i < len(nominations):
            story.append(PageBreak())
    page = letterhead_page(c, top=36 * mm)
    pages = _flow_with_breaks(c, story, page, page())
    c.showPage()
    c.save()
    return pages


def _flow_with_breaks(c: Canvas, story: list[Flowable], next_page: Callable[[], Frame], first: Frame) -> int:
    """`flow` per section: a PageBreak starts each nomination on a new page."""
    sections: list[list[Flowable]] = [[]]
    for f in story:
        if isinstance(f, PageBreak):
            sections.append([])
        else:
            sections[-1].append(f)
    pages = 0
    frame = first
    for k, section in enumerate(sections):
        if k:
            c.showPage()
            frame = next_page()
        pages += flow(c, section, frame, next_page)
    return pages


# --------------------------------------------------------------------------- certificates


def certificates(
    db: Database, year: int, target: BytesIO | Path, *, place_date: str | None = None
) -> tuple[int, list[str]]:
    """One certificate per winner; returns the page count and the consent warnings to show the user."""
    office, award = _load(db, year)
    winners = [n for n in award.nominations if n.status == NominationStatus.AWARDED.value]
    if not winners:
        raise UserError(f"In der Preisrunde {year} ist noch niemand ausgezeichnet.")
    when = award.ceremony.starts_at.date() if award.ceremony else dt.date.today()
    place_date = place_date or f"{office.city or ''}, {date_de(when)}".strip(", ")
    warnings = [w for n in winners for w in awards.public_warnings(n) if "Veröffentlichung" in w]
    fonts.register()
    st = styles()
    name_style = st.title.clone("cert-name", fontName=fonts.SERIF_BOLD, fontSize=30, leading=36, alignment=TA_CENTER)
    line_style = st.body.clone("cert-line", fontName=fonts.SERIF_ITALIC, fontSize=13, leading=18, alignment=TA_CENTER)
    member_style = st.body.clone("cert-member", fontName=fonts.SERIF, fontSize=12, leading=15, alignment=TA_CENTER)
    c = new_canvas(target, f"Urkunden {award.title}", office)
    for n in winners:
        cx = PAGE_W / 2
        c.setStrokeColorRGB(0.55, 0.45, 0.2)
        c.setLineWidth(2)
        c.rect(15 * mm, 15 * mm, PAGE_W - 30 * mm, PAGE_H - 30 * mm)
        c.setLineWidth(0.6)
        c.rect(18 * mm, 18 * mm, PAGE_W - 36 * mm, PAGE_H - 36 * mm)
        c.setFont(fonts.SERIF, 13)
        c.drawCentredString(cx, PAGE_H - 45 * mm, office.name or "")
        c.setFont(fonts.SERIF_BOLD, 34)
        c.drawCentredString(cx, PAGE_H - 80 * mm, "Urkunde")
        c.setFont(fonts.SERIF, 18)
        c.drawCentredString(cx, PAGE_H - 97 * mm, award.title)
        c.setFont(fonts.SERIF_ITALIC, 13)
        c.drawCentredString(cx, PAGE_H - 120 * mm, "verliehen an")
        name, h = _fitted(esc(awards.public_name(n)), name_style, PAGE_W - 50 * mm, NAME_H)
        name.drawOn(c, 25 * mm, PAGE_H - 128 * mm - h)
        y = PAGE_H - 134 * mm - h
        if n.member is not None:
            member, hm = _fitted(esc(n.member.name), member_style, PAGE_W - 60 * mm, 25 * mm)
            member.drawOn(c, 30 * mm, y - hm + 12)
            y -= hm + 7 * mm
        text = citation(n) if n.consent_publication else ""
        if text:
            line = Paragraph(esc(f"„{text}“"), line_style)
            _w, h2 = line.wrap(PAGE_W - 60 * mm, 60 * mm)
            line.drawOn(c, 30 * mm, y - h2)
        c.setFont(fonts.SERIF, 11)
        c.drawString(30 * mm, 62 * mm, place_date)
        for x, who, role in ((30 * mm, office.signatory, office.signatory_role), (115 * mm, "", "für die Jury")):
            c.setLineWidth(0.5)
            c.line(x, 45 * mm, x + 65 * mm, 45 * mm)
            c.setFont(fonts.SERIF, 10)
            c.drawString(x, 40 * mm, who)
            c.setFont(fonts.SERIF_ITALIC, 9)
            c.drawString(x, 35 * mm, role)
        c.showPage()
    c.save()
    return len(winners), warnings


NAME_H = 40 * mm  # the winner's name on a certificate: 30 pt, smaller for a long name to stay in this height


def _fitted(text: str, style: ParagraphStyle, width: float, height: float) -> tuple[Paragraph, float]:
    """`text` at the style's size, or the largest smaller one (in steps of 2 pt, down to 10 pt) at which it
    fits `height`: a long name wraps and shrinks instead of running into the signatures."""
    size = style.fontSize
    while True:
        s = style.clone(f"{style.name}-{size}", fontSize=size, leading=size * style.leading / style.fontSize)
        para = Paragraph(text, s)
        _w, h = para.wrap(width, height)
        if h <= height or size <= 10:
            return para, h
        size -= 2


# --------------------------------------------------------------------------- letters


def award_letters(db: Database, year: int, target: BytesIO | Path, *, progress: Progress | None = None) -> int:
    """A letter to each winner (to their address, else care of their organisation) and to each nominator of
    a winner; the office's template for the winner letter (documents/award_letters.py)."""
    if not any(n.status == NominationStatus.AWARDED.value for n in awards.award_for_year(db, year).nominations):
        raise UserError(f"In der Preisrunde {year} ist noch niemand ausgezeichnet.")
    return replies.reply_letters(db, year, target, kinds=("winner",), progress=progress)[0]


def render_award_letters(
    target: BytesIO | Path,
    office: Office,
    title: str,
    letters: list[tuple[Addressee, str, list[str]]],
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """One letter per (addressee, subject, paragraphs). The last paragraph, the closing and the signature
    move to the next page together: the signature is never alone on a page."""
    st = styles()
    c = new_canvas(target, title, office)
    define_letterhead(c, office)
    today = today or dt.date.today()
    pages = 0
    for done, (a, subject, paragraphs) in enumerate(letters, start=1):
        draw_first_page(c, office, a, today)
        body = [Paragraph(esc(p), st.body) for p in paragraphs]
        closing = [
            Paragraph("Mit freundlichen Grüßen", st.body),
            Spacer(1, 10 * mm),
            Paragraph(esc(office.signatory), st.body),
            Paragraph(esc(office.signatory_role), st.small),
        ]
        story = [
            Paragraph(f"<b>{esc(subject)}</b>", st.bold),
            Spacer(1, 3 * mm),
            Paragraph(esc(a.greeting()), st.body),
            *body[:-1],
            keep_together([*body[-1:], keep_together(closing)]),
        ]
        pages += flow_letter(c, office, story, a.display_name)
        if progress is not None and not progress(done, len(letters)):
            raise Cancelled()
    c.save()
    return pages
