"""The reply form (Rückantwort): a page the member faxes or mails back, prefilled with their name and the
invitation's reply code (in large type and as a QR code, so the office types or scans it back)."""

from __future__ import annotations

import re

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from geschaeftsstelle import letter_templates, reply_codes
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.letter_layout import fit
from geschaeftsstelle.documents.letter_values import template_values
from geschaeftsstelle.documents.meeting_data import MeetingData
from geschaeftsstelle.documents.page import LEFT, PAGE_H, PAGE_W, TEXT_W, styles
from geschaeftsstelle.documents.text import esc, long_date_de
from geschaeftsstelle.meeting_text import time_span
from geschaeftsstelle.store.models import LetterKind, Office

FORM_NAME = "replyform"
#: The QR code's side; it stands right of the tick boxes, its top this far below the name field's top.
QR_SIDE = 20 * mm
QR_BELOW_NAME = 23 * mm
QR_RIGHT = PAGE_W - 20 * mm
_DARK_RUN = re.compile(rb"\x01+")


def draw_reply_form(
    c: Canvas,
    office: Office,
    m: MeetingData,
    a: Addressee | None,
    template: str | None = None,
    reply_code: str = "",
) -> None:
    """One page: the fixed part is a PDF form drawn once per document; only the names and the reply code
    differ per letter. `template` is the office's text for the lines above the form (the shipped one when
    None)."""
    if not getattr(c, "_reply_form_defined", False):
        c.beginForm(FORM_NAME)
        text = template if template is not None else letter_templates.default_text(LetterKind.REPLY_FORM)
        values = template_values(m, office, with_reply_form=True)
        name_y = _draw_static(c, m, letter_templates.fill(text, LetterKind.REPLY_FORM, values))
        c.endForm()
        c._reply_form_defined = True
        c._reply_form_name_y = name_y
    c.doForm("letterhead")
    c.doForm(FORM_NAME)
    y: float = c._reply_form_name_y
    c.setFont(fonts.SANS, 11)
    for value in (a.person if a is not None and a.has_person else "", a.organisation if a is not None else ""):
        if value:
            c.drawString(LEFT, y - 5 * mm, fit(c, value, fonts.SANS, 11, TEXT_W))
        y -= 14 * mm
    if reply_code:
        draw_code(c, reply_code, c._reply_form_name_y - QR_BELOW_NAME)


def _draw_static(c: Canvas, m: MeetingData, notes: list[str]) -> float:
    """Everything but the prefilled names; returns where the name field starts. The notes (the office's
    template) and the meeting's lines share 70 mm: longer text gets smaller type, down to 6 pt."""
    st = styles()
    y = PAGE_H - 40 * mm
    c.setFont(fonts.SANS_BOLD, 15)
    c.drawString(LEFT, y, "Rückantwort / Anmeldung")
    y -= 7 * mm
    when = f"{long_date_de(m.starts_at.date())}, {time_span(m.starts_at, m.ends_at)}"
    title = esc(m.title) + (" (unter Vorbehalt)" if m.is_tentative else "")
    head = f"<b>{title}</b><br/>{esc(when)}" + (f"<br/>{esc(m.venue_line)}" if m.venue_line else "")
    for size in (9.5, 8.5, 7.5, 6.5, 6.0):
        note_style = st.body.clone("note", fontSize=size, leading=size * 1.3, spaceAfter=1)
        blocks = [Paragraph(esc(n), note_style) for n in notes]
        meeting = Paragraph(head, st.body.clone("replyhead", fontSize=size + 1, leading=(size + 1) * 1.3))
        heights = [b.wrap(TEXT_W, PAGE_H)[1] + 1 * mm for b in blocks]
        _w, h = meeting.wrap(TEXT_W, PAGE_H)
        if sum(heights) + h <= 70 * mm:
            break
    for block, bh in zip(blocks, heights, strict=True):
        block.drawOn(c, LEFT, y - bh + 3 * mm)
        y -= bh
    y -= 3 * mm
    meeting.drawOn(c, LEFT, y - h)
    y -= h + 8 * mm

    c.setFont(fonts.SANS, 10)
    name_y = y
    y = _field(c, "Name", "", y)
    y = _field(c, "Organisation", "", y)
    y -= 3 * mm
    for label in ("nehme teil", "nehme nicht teil"):
        c.rect(LEFT, y - 1 * mm, 4 * mm, 4 * mm)
        c.drawString(LEFT + 7 * mm, y, label)
        y -= 8 * mm
    y = _field(c, "Anzahl Personen", "", y)
    y = _field(c, "Namen der Teilnehmenden", "", y)
    y = _field(c, "", "", y)
    y = _field(c, "Assistenzbedarf (z. B. Rollstuhlplatz, Gebärdensprache)", "", y)
    y = _field(c, "Verpflegung (z. B. vegetarisch, vegan)", "", y)
    y -= 12 * mm
    c.line(LEFT, y, LEFT + 60 * mm, y)
    c.line(LEFT + 80 * mm, y, PAGE_W - 20 * mm, y)
    c.setFont(fonts.SANS, 8)
    c.drawString(LEFT, y - 4 * mm, "Ort, Datum")
    c.drawString(LEFT + 80 * mm, y - 4 * mm, "Unterschrift")
    return float(name_y)


def _field(c: Canvas, label: str, value: str, y: float) -> float:
    c.setFont(fonts.SANS, 8)
    if label:
        c.drawString(LEFT, y + 1 * mm, label)
    c.setFont(fonts.SANS, 11)
    if value:
        text = value
        while text and c.stringWidth(text, fonts.SANS, 11) > TEXT_W:
            text = text[:-1]
        c.drawString(LEFT, y - 5 * mm, text)
    c.setLineWidth(0.4)
    c.line(LEFT, y - 6.5 * mm, PAGE_W - 20 * mm, y - 6.5 * mm)
    return float(y - 14 * mm)


def draw_code(c: Canvas, code: str, top: float) -> None:
    """„Ihr Code K7M-Q2X“ and its QR code (the printed form, which a scanner types back) with its top at `top`."""
    shown = reply_codes.printed(code)
    left = QR_RIGHT - QR_SIDE
    c.setFont(fonts.SANS, 8)
    c.drawRightString(left - 3 * mm, top - 4 * mm, "Ihr Rückmeldecode")
    c.setFont(fonts.SANS_BOLD, 14)
    c.drawRightString(left - 3 * mm, top - 10 * mm, shown)
    draw_qr(c, shown, left, top - QR_SIDE, QR_SIDE)


def draw_qr(c: Canvas, value: str, x: float, y: float, side: float) -> None:
    """`value` as a QR code filling the square at (x, y): one rectangle per run of dark modules in a row,
    written in module units under one transformation (a few hundred bytes, no float formatting per module)."""
    modules = qr_modules(value)
    count = len(modules)
    quiet = 2  # modules of white margin each side (the page around it is white too)
    unit = side / (count + 2 * quiet)
    runs = [
        f"{run.start()} {row} {run.end() - run.start()} 1 re"
        for row, line in enumerate(modules)
        for run in _DARK_RUN.finditer(bytes(line))
    ]
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    c.transform(unit, 0, 0, -unit, x + quiet * unit, y + side - quiet * unit)  # row 0 at the top
    c.addLiteral(" ".join(runs) + " f")
    c.restoreState()


# A printed code („K7M-Q2X“) is 7 characters of QR's alphanumeric mode: always version 1 (21×21), level M,
# one block of 16 data and 10 error correction codewords. ReportLab's own encoder (barcode.qrencoder) lays out
# the fixed patterns, the format information of mask 0 and the order of the data modules once; per code only
# the codewords are computed here (its generic path costs ~0.5 ms a code, a 2,000-letter run would feel it).
# tests/test_reply_codes.py checks every matrix against ReportLab's full encoding.
_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_DATA_CODEWORDS, _EC_CODEWORDS = 16, 10
_EXP = [0] * 512
_LOG = [0] * 256
_v = 1
for _i in range(255):
    _EXP[_i] = _v
    _LOG[_v] = _i
    _v <<= 1
    if _v & 0x100:
        _v ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _generator(degree: int) -> list[int]:
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            nxt[j + 1] ^= _EXP[_LOG[coef] + i] if coef else 0
        poly = nxt
    return poly


_GENERATOR = _generator(_EC_CODEWORDS)


def _template() -> tuple[list[list[bool]], list[tuple[int, int, bool]]]:
    """The fixed modules of version 1-M with mask 0, and (row, col, mask bit) of each data module in order."""
    qr = QRCode(1, QRErrorCorrectLevel.M)
    qr.addData("222-222")
    qr.makeImpl(False, 0)
    positions = [(row, col, (row + col) % 2 == 0) for col, row in qr.dataPosIterator()]
    return [list(line) for line in qr.modules], positions


_BASE, _POSITIONS = _template()


def qr_modules(value: str) -> list[list[bool]]:
    """The QR matrix (True = dark) of a printed reply code, as ReportLab encodes it at level M with mask 0."""
    if len(value) != 7 or any(ch not in _ALPHANUMERIC for ch in value):
        qr = QRCode(1, QRErrorCorrectLevel.M)  # anything else: ReportLab's generic path
        qr.addData(value)
        qr.makeImpl(False, 0)
        return [list(line) for line in qr.modules]
    digits = [_ALPHANUMERIC.index(ch) for ch in value]
    bits = "0010" + format(len(value), "09b")
    bits += "".join(format(45 * digits[i] + digits[i + 1], "011b") for i in range(0, 6, 2))
    bits += format(digits[6], "06b") + "0000"  # the last character alone, then the terminator
    data = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    data += [(0xEC, 0x11)[i % 2] for i in range(_DATA_CODEWORDS - len(data))]
    remainder = data + [0] * _EC_CODEWORDS
    for i in range(_DATA_CODEWORDS):
        coef = remainder[i]
        if coef:
            log = _LOG[coef]
            for j in range(1, _EC_CODEWORDS + 1):
                remainder[i + j] ^= _EXP[log + _LOG[_GENERATOR[j]]]
    codewords = data + remainder[_DATA_CODEWORDS:]
    modules = [line[:] for line in _BASE]
    for k, (row, col, mask) in enumerate(_POSITIONS):
        modules[row][col] = bool(codewords[k >> 3] >> (7 - (k & 7)) & 1) ^ mask
    return modules
