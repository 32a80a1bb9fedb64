"""What every office document shares: A4 geometry, styles, the letterhead drawn once as a PDF form,
the footer, metadata, and a small flow engine that fills frames page by page (fast for thousands of
pages, and it lets a letter continue on numbered follow-up pages without losing a line).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Table, TableStyle

try:
    import pyphen
except ImportError:  # pragma: no cover - a dependency; without it cells still break long words between letters
    pyphen = None

from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import one_line
from geschaeftsstelle.documents.text import LONGEST_WORD, SOFT_HYPHEN, esc, fitting_prefix
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.models import Office
from geschaeftsstelle.validation import format_iban

PAGE_W, PAGE_H = A4
LEFT = 25 * mm
RIGHT = 20 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
FOOTER_H = 22 * mm

#: progress(done, total) -> False to cancel; called between records, never inside one.
Progress = Callable[[int, int], bool]


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__("Das Erstellen des Dokuments wurde abgebrochen.")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    right: ParagraphStyle


class _GermanHyphenation:
    """pyphen's German dictionary, loaded when a word first needs hyphenation: parsing it takes ~0.8 s, and
    most documents never break a word."""

    def __init__(self) -> None:
        self._iterate: Callable[[str], Iterable[tuple[str, str]]] | None = None

    def __call__(self, word: str) -> Iterable[tuple[str, str]]:
        if self._iterate is None:
            self._iterate = pyphen.Pyphen(lang="de_DE").iterate
        return self._iterate(word)


@functools.cache
def hyphenator() -> Callable[[str], Iterable[tuple[str, str]]] | None:
    """German hyphenation (word -> (head, tail) pairs) for words wider than their column; None if pyphen or
    its dictionary is missing (long words then break between letters)."""
    if pyphen is None or "de_DE" not in pyphen.LANGUAGES:
        return None
    return _GermanHyphenation()


@functools.cache
def styles() -> Styles:
    fonts.register()
    # splitLongWords (ReportLab's default, set on purpose): a word wider than its column breaks between letters
    # rather than running over the edge. German words in narrow cells hyphenate at syllables through `cell()`.
    body = ParagraphStyle(
        "body", fontName=fonts.SANS, fontSize=10.5, leading=14, alignment=TA_LEFT, spaceAfter=6, splitLongWords=1
    )
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, spaceAfter=0),
        bold=ParagraphStyle("bold", parent=body, fontName=fonts.SANS_BOLD),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, fontSize=11, spaceBefore=6),
        title=ParagraphStyle("title", parent=body, fontName=fonts.SANS_BOLD, fontSize=15, leading=19, spaceAfter=4),
        cell=ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        cell_bold=ParagraphStyle(
            "cellb", parent=body, fontName=fonts.SANS_BOLD, fontSize=9.5, leading=12, spaceAfter=0
        ),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
    )


#: ReportLab's default left plus right padding of a table cell; `cell()` keeps words this much narrower.
CELL_PADDING = 12
_LETTERS = re.compile(r"^([\W\d_]*)([^\W\d_]+)([\W\d_]*)$")


def soft_hyphens(text: str, width: float, font: str, size: float) -> str:
    """`text` with soft hyphens (U+00AD) in every word wider than `width`: at its German syllables, and
    between letters where a syllable alone is still too wide. ReportLab breaks a word only there and prints
    the hyphen only at a break: "Gebärden-sprachdolmetschung", never "Gebärdenspr|achdolmetsc|hung".
    Words that fit stay untouched; a URL or a code (not only letters) breaks between letters as before.

    ReportLab's own hyphenation (style.hyphenationLang) is not used: after a hyphenation point or a URL
    slash it leaves the rest of the word unbroken even when it is still wider than the column, and that
    rest ran over the edge of the cell and the page."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        parts = _LETTERS.match(token)
        hyphenate = hyphenator()
        if not parts or not hyphenate or len(parts.group(2)) > LONGEST_WORD or stringWidth(token, font, size) <= width:
            return token
        before, letters, after = parts.groups()
        cuts = sorted({len(head) for head, _tail in hyphenate(letters)})
        if not cuts:
            return token
        pieces = [letters[a:b] for a, b in zip([0, *cuts], [*cuts, len(letters)], strict=True)]
        shy_pieces = []
        for piece in pieces:  # a syllable wider than the column: soft hyphens between its letters, too
            start = 0
            while start < len(piece):
                end = max(fitting_prefix(piece, font, size, width - stringWidth("-", font, size), start), start + 1)
                shy_pieces.append(piece[start:end])
                start = end
        return before + "\xad".join(shy_pieces) + after

    return re.sub(r"\S+", word, text.replace(SOFT_HYPHEN, ""))


def hyphenated(text: str, width: float, font: str, size: float) -> str:
    """Paragraph markup of plain `text` whose words wider than `width` break at their syllables."""
    return esc(soft_hyphens(text, width, font, size), keep_soft_hyphens=True)


def cell(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A table cell of column `width` holding plain (unescaped) `text` that wraps inside the column."""
    return Paragraph(hyphenated(text, width - CELL_PADDING, style.fontName, style.fontSize), style)


def new_canvas(target: BytesIO | Path, title: str, office: Office) -> Canvas:
    fonts.register()
    c = Canvas(
        target if isinstance(target, BytesIO) else str(target),
        pagesize=A4,
        initialFontName=fonts.SANS,
        initialFontSize=10,
        pageCompression=1,
    )
    c.setTitle(title)
    c.setAuthor(office.name or "Geschäftsstelle")
    c.setCreator("Geschäftsstelle")
    c.setSubject(title)
    return c


def office_footer_lines(office: Office) -> list[str]:
    """Address, contact and bank lines of the footer; each field on one line (a tab or line break in a
    field would print as a box or glue two words)."""
    name, street, place = (
        one_line(office.name),
        one_line(office.street),
        one_line(f"{office.postal_code} {office.city}"),
    )
    address = ", ".join(p for p in (name, street, place) if p)
    contact = " · ".join(
        p
        for p in (
            f"Telefon {one_line(office.phone)}" if one_line(office.phone) else "",
            f"Fax {one_line(office.fax)}" if one_line(office.fax) else "",
            one_line(office.email),
            one_line(office.website),
        )
        if p
    )
    bank = " · ".join(
        p
        for p in (
            one_line(office.bank_name),
            f"IBAN {format_iban(office.iban)}" if office.iban else "",
            f"BIC {one_line(office.bic)}" if one_line(office.bic) else "",
        )
        if p
    )
    return [line for line in (address, contact, bank) if line]


def _fitted_lines(lines: list[str], font: str, sizes: tuple[float, ...], most: int) -> tuple[list[str], float]:
    """`lines` wrapped to the text width at the largest of `sizes` that needs at most `most` lines (else at
    the smallest size, however many lines that takes): never past the edge of the sheet."""
    for size in sizes:
        wrapped = [part for line in lines for part in simpleSplit(line, font, size, TEXT_W)]
        if len(wrapped) <= most:
            return wrapped, size
    return wrapped, sizes[-1]


def letterhead_name_lines(name: str) -> tuple[list[str], float]:
    """The office's name in the letterhead: one line at 15 pt if it fits, else smaller and on up to two
    lines ("Thüringer Arbeitsgemeinschaft Soziale Stadtentwicklung und Gemeinwesenarbeit e. V."), and
    for a name of the longest allowed kind more lines at 7 pt: never cut off at the page edge."""
    for size, most in ((15, 1), (14, 1), (13, 1), (13, 2), (12, 2), (11, 2), (10, 2), (9, 3)):
        lines = simpleSplit(name, fonts.SANS_BOLD, size, TEXT_W)
        if len(lines) <= most:
            return lines, size
    return simpleSplit(name, fonts.SANS_BOLD, 7, TEXT_W), 7


def define_letterhead(c: Canvas, office: Office, name: str = "letterhead") -> None:
    """The office's name, the footer and the fold and hole marks, drawn once and reused on every page."""
    c.beginForm(name)
    lines, size = letterhead_name_lines(one_line(office.name) or "Geschäftsstelle")
    c.setFont(fonts.SANS_BOLD, size)
    for i, line in enumerate(lines):  # top to bottom, the last line where a one-line name stands
        c.drawString(LEFT, PAGE_H - 20 * mm + (len(lines) - 1 - i) * size * 1.15, line)
    street, place = one_line(office.street), one_line(f"{office.postal_code} {office.city}")
    address, size = _fitted_lines([" · ".join(p for p in (street, place) if p)], fonts.SANS, (9, 8, 7, 6.5), 1)
    if len(address) > 1:  # a very long street: two or more small lines above the rule
        address, size = _fitted_lines([street, place], fonts.SANS, (6.5,), 2)
    c.setFont(fonts.SANS, size)
    for i, line in enumerate(address):  # top to bottom, the last line where a one-line address stands
        c.drawString(LEFT, PAGE_H - 26 * mm + (len(address) - 1 - i) * size * 1.1, line)
    c.setLineWidth(0.5)
    c.setStrokeGray(0.4)
    c.line(LEFT, PAGE_H - 29 * mm, PAGE_W - RIGHT, PAGE_H - 29 * mm)
    footer_lines = office_footer_lines(office)  # each on one line if it can be, else wrapped at 6 pt
    footer, size = _fitted_lines(footer_lines, fonts.SANS, (7.5, 7, 6.5, 6), len(footer_lines))
    c.setFont(fonts.SANS, size)
    c.setFillGray(0.25)
    step = min(3.6 * mm, 15 * mm / max(len(footer), 1))
    top = max(16 * mm, 4 * mm + (len(footer) - 1) * step)  # more than three lines start higher
    for i, line in enumerate(footer):
        c.drawString(LEFT, top - i * step, line)
    c.setFillGray(0)
    c.setLineWidth(0.3)
    c.setStrokeGray(0.5)
    for y in (105, 210):  # fold marks of DIN 5008 form B
        c.line(3 * mm, PAGE_H - y * mm, 8 * mm, PAGE_H - y * mm)
    c.line(3 * mm, PAGE_H - 148.5 * mm, 10 * mm, PAGE_H - 148.5 * mm)  # hole mark
    c.endForm()


class SharedParagraph(Paragraph):  # type: ignore[misc]  # ReportLab has no type hints: Paragraph is Any
    """A paragraph repeated in every letter of a run: its line breaks are computed once per width.

    ReportLab's Paragraph.split() cuts along the line breaks of the last wrap() and deletes them when the
    paragraph cannot be cut at that height. The cache therefore holds only while those line breaks exist,
    and split() always works on a wrap for its own width (a cached width without line breaks ended the
    letter run with AttributeError 'blPara')."""

    _wrapped_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_for == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        self._wrapped_for = None
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        try:
            parts: list[Flowable] = super().split(availWidth, availHeight)
            return parts
        finally:
            if not hasattr(self, "blPara"):
                self._wrapped_for = None


PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")


class DoesNotFit(UserError):
    """A part of a document that is taller than an empty page and cannot be split (never text)."""

    def __init__(self, flowable: Flowable) -> None:
        super().__init__(
            "Ein Teil des Dokuments ist größer als eine ganze Seite und lässt sich nicht teilen "
            f"({flowable.identity(60)})."
        )


class Block(Table):  # type: ignore[misc]  # ReportLab has no type hints: Table is Any
    """What keep_together returns: a one-cell table (a table never splits inside its only cell), so the
    block moves to the next page as a whole. Only when it is taller than an empty page does flow() break
    it up: its parts flow on, and the last part still stays with the end of the part before it."""

    def __init__(self, flowables: list[Flowable], *, keep_last: bool = True) -> None:
        super().__init__([[list(flowables)]], colWidths=[TEXT_W])
        # Tables set a font on every cell; name ours, or ReportLab writes an unembedded Helvetica into the PDF.
        self.setStyle(
            TableStyle([(side, (0, 0), (-1, -1), 0) for side in PADDINGS] + [("FONT", (0, 0), (-1, -1), fonts.SANS)])
        )
        self.contents = list(flowables)
        self.keep_last = keep_last

    def break_up(self, width: float, height: float) -> list[Flowable]:
        """The parts for an empty frame of `width` × `height` that this block does not fit into."""
        contents = self.contents
        if self.keep_last and len(contents) >= 2:
            *free, before, last = contents
            _w, last_h = last.wrap(width, height)
            room = height - last_h - last.getSpaceBefore() - before.getSpaceAfter()
            _w, before_h = before.wrap(width, height)
            if room > 0 and before_h > room / 2:
                # Cut `before` so that its tail (about half the room) goes to the next page with `last`.
                parts = before.split(width, before_h - room / 2)
                if len(parts) == 2:
                    return [*free, parts[0], Block([parts[1], last], keep_last=False)]
        return contents


def keep_together(flowables: list[Flowable]) -> Table:
    """A block that moves to the next page as a whole (unless it is taller than a page: see Block)."""
    return Block(flowables)


def flow(
    c: Canvas,
    story: list[Flowable],
    first_frame: Frame,
    next_page: Callable[[], Frame],
    show_page: Callable[[], None] | None = None,
) -> int:
    """Fill `first_frame`, then as many follow-up pages as needed; returns the number of pages used.
    `show_page` turns the page (default `c.showPage`; letters laid out once as PDF forms end one form and
    begin the next instead).

    Nothing is ever left out. What does not fit on the rest of a page is split there: a paragraph between
    lines, a table between rows. On an empty page, a keep_together block taller than the page flows as its
    parts, and a table row taller than the page is split inside the row and continues on the next page.
    What cannot be split at all (no text, no table of text) raises DoesNotFit rather than vanishing."""
    pages = 1
    frame = first_frame
    pending = list(story)
    while pending:
        frame.addFromList(pending, c)
        if not pending:
            break
        head = pending[0]
        # Frame.addFromList does not split a flowable on a partly filled page (only document templates do):
        # put as much of a long table or paragraph as fits here before turning the page.
        parts = frame.split(head, c)
        if len(parts) > 1 and _taller_than_frame(parts[1], frame):
            parts = _split_in_row(head, frame, c) or parts  # the next row would not fit on any page: start it here
        if len(parts) > 1 and frame.add(parts[0], c):
            pending[0:1] = parts[1:]
            continue
        # Taller than a whole page: waiting for the next page would not help, so break it up here.
        broken = _break_up(head, frame, c) if frame._atTop or _taller_than_frame(head, frame) else None
        if broken is not None:
            pending[0:1] = broken
        elif frame._atTop:  # nothing on this page yet, and still it cannot be placed or split
            raise DoesNotFit(head)
        else:
            (show_page or c.showPage)()
            pages += 1
            frame = next_page()
    return pages


def _taller_than_frame(flowable: Flowable, frame: Frame) -> bool:
    """A block, or the first row of a table after its repeated header, taller than the whole `frame`."""
    if isinstance(flowable, Block):
        taller: bool = flowable.wrap(frame._aW, frame._aH)[1] > frame._aH
        return taller
    if isinstance(flowable, Table):
        flowable.wrap(frame._aW, frame._aH)
        heights = flowable._rowHeights
        rows = flowable.repeatRows
        n = rows if isinstance(rows, int) else max(rows) + 1
        return len(heights) > n and sum(heights[: n + 1]) > frame._aH
    return False


def _split_in_row(table: Table, frame: Frame, c: Canvas) -> list[Flowable]:
    """`table` split at the bottom of the frame, inside the row that lies there (ReportLab ≥ 4)."""
    if isinstance(table, Block) or not isinstance(table, Table):
        return []
    # ReportLab splits only flowables given as a list inside a cell and would leave a bare Paragraph or a
    # number out of both halves, so every cell becomes a list (or a string) first.
    table._cellvalues = [
        [v if isinstance(v, list | tuple | str) else [v] if isinstance(v, Flowable) else str(v) for v in row]
        for row in table._cellvalues
    ]
    # Centred or bottom-aligned text in a row split across pages is placed above the page's top edge (ReportLab
    # 4–5): a table with a row taller than a page aligns its cells to the top.
    for row_styles in table._cellStyles:
        for cell_style in row_styles:
            cell_style.valign = "TOP"
    by_row, in_row = table.splitByRow, table.splitInRow
    table.splitByRow, table.splitInRow = 0, 1
    try:
        parts: list[Flowable] = frame.split(table, c)
    finally:
        table.splitByRow, table.splitInRow = by_row, in_row
    for part in parts:
        if isinstance(part, Table):
            part.splitByRow, part.splitInRow = by_row, in_row  # the rest again moves whole rows first
    return parts


def _break_up(flowable: Flowable, frame: Frame, c: Canvas) -> list[Flowable] | None:
    """Parts that replace `flowable`, which is taller than the whole `frame`, with progress made on this
    page; None if nothing of it fits on what is left of this page."""
    if isinstance(flowable, Block):
        return flowable.break_up(frame._aW, frame._aH)
    parts = _split_in_row(flowable, frame, c)
    if len(parts) > 1 and frame.add(parts[0], c):
        return parts[1:]
    return None


LIST_TOP = 40 * mm  # lists start below the letterhead's rule


def letterhead_page(c: Canvas, top: float = LIST_TOP) -> Callable[[], Frame]:
    """Begins a page of a list or report: draws the letterhead (defined by `define_letterhead`) and returns
    the text frame below it. Used for the first page and as `flow`'s `next_page`, so every page looks alike."""

    def page() -> Frame:
        c.doForm("letterhead")
        return Frame(LEFT, FOOTER_H, TEXT_W, PAGE_H - top - FOOTER_H, leftPadding=0, rightPadding=0, topPadding=0)

    return page


def render_list(
    target: BytesIO | Path, office: Office, title: str, story: list[Flowable], progress: Progress | None = None
) -> int:
    """A list document (schedule, anniversaries, recipient lists): `story` flowed below the letterhead on as
    many pages as it needs; returns the number of pages. One step of `progress`, so a cancel is honoured."""
    c = new_canvas(target, title, office)
    define_letterhead(c, office)
    page = letterhead_page(c)
    if progress is not None and not progress(0, 1):
        raise Cancelled()
    pages = flow(c, story, page(), page)
    c.showPage()
    c.save()
    if progress is not None:
        progress(1, 1)
    return pages


def list_table(
    rows: list[list[object]], widths: list[float], *, header: bool = True, spans: Iterable[tuple[object, ...]] = ()
) -> Table:
    """The lists' table: top-aligned cells, a strong rule under the header row (repeated on every page), thin
    rules between the rows. `spans` are extra style commands that come first (cells joined across columns)."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[object, ...]] = [*spans, ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, "#333333"))
    commands += [
        ("LINEBELOW", (0, 1 if header else 0), (-1, -1), 0.3, "#bbbbbb"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
    ]
    table.setStyle(TableStyle(commands))
    return table
