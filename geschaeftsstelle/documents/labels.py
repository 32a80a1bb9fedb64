"""Address labels on Avery Zweckform sheets, with a start position to reuse a half-used sheet."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from geschaeftsstelle import members
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.meeting_data import load_meeting
from geschaeftsstelle.documents.page import PAGE_H, Cancelled, Progress, hyphenator, new_canvas
from geschaeftsstelle.documents.text import fit_lines, wrap_to_width
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office


@dataclass(frozen=True)
class Sheet:
    name: str
    cols: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def cell(self, index: int) -> tuple[float, float]:
        """Lower-left corner of label `index` (0-based, row by row) in PDF points."""
        row, col = divmod(index % self.per_sheet, self.cols)
        x = self.left + col * self.pitch_x
        y = PAGE_H - self.top - row * self.pitch_y - self.height
        return x, y


SHEETS = {
    "3474": Sheet("Avery Zweckform 3474 (3 × 8, 70 × 37 mm)", 3, 8, 70 * mm, 37 * mm, 0, 0.5 * mm, 70 * mm, 37 * mm),
    "L7163": Sheet("Avery L7163 (2 × 7, 99,1 × 38,1 mm)", 2, 7, 99.1 * mm, 38.1 * mm, 4.65 * mm, 15.15 * mm,
                   101.6 * mm, 38.1 * mm),
}  # fmt: skip
PADDING = 5 * mm
SIZES = (10.0, 7.0)  # the type of a sheet: the largest at which every label fits, never below 7 pt
LEADING = 1.2

#: Shorter forms for a label whose lines do not fit otherwise, in this order (the longer phrase first).
ABBREVIATIONS = (
    ("Gesellschaft mit beschränkter Haftung", "GmbH"),
    ("gemeinnützige GmbH", "gGmbH"),
    ("eingetragener Verein", "e. V."),
    ("eingetragene Genossenschaft", "eG"),
    ("Arbeitsgemeinschaft", "Arbeitsgem."),
    ("Bundesverband", "Bundesverb."),
    ("Landesverband", "Landesverb."),
    ("Kreisverband", "Kreisverb."),
    ("Professorin", "Prof."),
    ("Professor", "Prof."),
    ("Doktor", "Dr."),
    ("Straße", "Str."),
    ("straße", "str."),
)


@dataclass(frozen=True)
class Label:
    """An address by the part each line plays: the name lines may wrap and, as a last resort, shorten; the
    postal lines (street, postcode and town, country) always print whole."""

    names: tuple[str, ...]
    street: str
    place: str
    country: str

    @classmethod
    def of(cls, a: Addressee) -> Label:
        lines = a.address_lines()  # organisation, person, street, postcode and town, country
        n = int(bool(a.organisation)) + int(a.has_person)
        rest = lines[n:]
        street = rest.pop(0) if a.street else ""
        place = rest.pop(0) if (a.postal_code or a.city) else ""
        return cls(tuple(lines[:n]), street, place, rest[0] if rest else "")

    @property
    def postal(self) -> list[str]:
        return [line for line in (self.street, self.place, self.country) if line]

    def abbreviated(self) -> Label:
        return Label(tuple(abbreviate(n) for n in self.names), abbreviate(self.street), self.place, self.country)


def abbreviate(text: str) -> str:
    for long, short in ABBREVIATIONS:
        text = text.replace(long, short)
    return text


def render_labels(
    target: BytesIO | Path,
    office: Office,
    addresses: list[Addressee],
    *,
    sheet_type: str = "3474",
    start: int = 1,
    title: str = "Adressetiketten",
    progress: Progress | None = None,
) -> int:
    """One label per address; every sheet (page) in one type size, the largest at which all its labels fit."""
    sheet = SHEETS.get(sheet_type)
    if sheet is None:
        raise UserError(f"Unbekannter Etikettentyp „{sheet_type}“ (möglich: {', '.join(SHEETS)}).")
    if not 1 <= start <= sheet.per_sheet:
        raise UserError(f"Startposition: bitte eine Zahl von 1 bis {sheet.per_sheet} für {sheet.name}.")
    if not addresses:
        raise UserError("Es gibt keine Anschriften für diese Auswahl.")
    c = new_canvas(target, title, office)
    first = sheet.per_sheet - (start - 1)  # labels left on the first, half-used sheet
    chunks = [addresses[:first]] + [
        addresses[i : i + sheet.per_sheet] for i in range(first, len(addresses), sheet.per_sheet)
    ]
    done = 0
    for page, chunk in enumerate(chunks):
        offset = start - 1 if page == 0 else 0
        texts = [Label.of(a) for a in chunk]
        size = sheet_size(texts, sheet)
        for i, label in enumerate(texts):
            x, y = sheet.cell(offset + i)
            _draw_label(c, label_lines(label, size, sheet), size, x, y, sheet)
            done += 1
            if (
                progress is not None
                and (done % 50 == 0 or done == len(addresses))
                and not progress(done, len(addresses))
            ):
                raise Cancelled()
        c.showPage()
    c.save()
    return len(chunks)


def _box(sheet: Sheet, size: float) -> tuple[float, int]:
    """Width of a line and how many lines fit on a label at `size`."""
    return sheet.width - 2 * PADDING, int((sheet.height - 2 * PADDING) // (size * LEADING))


def _plain(label: Label, size: float, sheet: Sheet) -> list[str] | None:
    """The lines at `size` without shortening anything: each postal line on one line, the name lines
    wrapped; None if that does not fit."""
    width, max_lines = _box(sheet, size)
    postal = label.postal
    if any(stringWidth(line, fonts.SANS, size) > width for line in postal):
        return None
    lines: list[str] = []
    for name in label.names:
        lines += itertools.islice(wrap_to_width(name, fonts.SANS, size, width, hyphenator()), max_lines + 1)
        if len(lines) + len(postal) > max_lines:
            return None
    return lines + postal


def sheet_size(labels: list[Label], sheet: Sheet) -> float:
    """The largest size (in half points, 10 to 7 pt) at which every label of a sheet fits unshortened."""
    size = SIZES[0]
    while size > SIZES[1] and any(_plain(label, size, sheet) is None for label in labels):
        size -= 0.5
    return size


def label_lines(label: Label, size: float, sheet: Sheet) -> list[str]:
    """The printed lines at the sheet's size. What fits unshortened prints so; else, step by step: the usual
    abbreviations (e. V., GmbH, Str.); postcode and town and the country wrapped but never shortened (the
    post needs them whole); the street whole unless the name lines would get less than a line each; the
    name lines, the organisation first, in the lines left, with an ellipsis where they end early."""
    for candidate in (label, label.abbreviated()):
        lines = _plain(candidate, size, sheet)
        if lines is not None:
            return lines
    label = label.abbreviated()
    width, max_lines = _box(sheet, size)
    font, hyph = fonts.SANS, hyphenator()

    def wrapped(text: str) -> list[str]:
        return list(wrap_to_width(text, font, size, width, hyph)) if text else []

    place, country = wrapped(label.place), wrapped(label.country)
    street = wrapped(label.street)
    fixed = len(place) + len(country)
    room = max(max_lines - fixed - len(label.names), 1)  # one line kept for each name line
    if len(street) > room:
        street = fit_lines(label.street, font, size, width, room, hyph)[0]
    left = max_lines - fixed - len(street)
    names: list[str] = []
    for i, name in enumerate(label.names):  # the organisation first, one line kept for each name after it
        share = max(left - len(names) - (len(label.names) - i - 1), 1)
        names += fit_lines(name, font, size, width, share, hyph)[0]
    # Beyond the limits of the input fields (postcode, town and country fill a label on their own) the
    # lines would run into the label's lower margin: still printed, never dropped.
    return names + street + place + country


def _draw_label(c: Canvas, lines: list[str], size: float, x: float, y: float, sheet: Sheet) -> None:
    top = y + sheet.height - PADDING - size
    c.setFont(fonts.SANS, size)
    for i, line in enumerate(lines):
        c.drawString(x + PADDING, top - i * size * LEADING, line)


def meeting_labels(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    sheet_type: str = "3474",
    start: int = 1,
    progress: Progress | None = None,
) -> int:
    office, meeting = load_meeting(db, meeting_id)
    people = sorted(
        (i.addressee for i in meeting.invitees if i.addressee is not None),
        key=lambda a: (a.organisation.casefold(), a.last_name.casefold()),
    )
    return render_labels(
        target, office, people, sheet_type=sheet_type, start=start,
        title=f"Etiketten: {meeting.title}", progress=progress,
    )  # fmt: skip


def member_labels(
    db: Database, target: BytesIO | Path, *, sheet_type: str = "3474", start: int = 1, progress: Progress | None = None
) -> int:
    """All active members, addressed to their primary contact."""
    office = get_office(db)
    addresses = members.active_member_addressees(db)
    return render_labels(
        target, office, addresses, sheet_type=sheet_type, start=start, title="Etiketten: Mitglieder", progress=progress
    )
