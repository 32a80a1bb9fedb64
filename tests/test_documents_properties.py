"""Documents print what was typed, however it was typed (issue 13 part 7): tabs, CR, LF and soft hyphens that
the services keep reach no letter, reply form, label, badge or list as a missing-glyph box, a glued word or
a lost space. The PDFs are read back with pdfminer (pdfplumber's reader, called directly: four times as fast).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from geschaeftsstelle import invitations, meetings, members, office
from geschaeftsstelle.database import Database
from geschaeftsstelle.documents import attendance_list, badges, fonts, labels
from geschaeftsstelle.documents import invitations as letters
from geschaeftsstelle.documents.addressing import Addressee

PAGE_W, PAGE_H = 210 * mm, 297 * mm
INFO_LEFT = 125 * mm
BODY_TOP = 98.5 * mm


@dataclass(frozen=True)
class Page:
    chars: tuple[dict, ...]  # in drawing order: text, x0, x1, top, bottom (points from the top), size, fontname

    @functools.cached_property
    def text(self) -> str:
        """The page's text in drawing order: a table cell, drawn as a whole, stays together."""
        return flow(self.chars)

    @functools.cached_property
    def lines(self) -> dict[float, list[dict]]:
        """The characters by line (their top, rounded)."""
        lines: dict[float, list[dict]] = {}
        for c in self.chars:
            lines.setdefault(round(c["top"]), []).append(c)
        return lines

    def line_of(self, char: dict) -> str:
        """The text of the line a character stands on (same top and size)."""
        near = [*self.lines.get(round(char["top"]) - 1, []), *self.lines.get(round(char["top"]), []),
                *self.lines.get(round(char["top"]) + 1, [])]  # fmt: skip
        return flow(c for c in near if abs(c["top"] - char["top"]) < 1 and c["size"] == char["size"])

    def within(self, x0: float, top: float, x1: float, bottom: float) -> list[dict]:
        """The characters that begin inside the box (x0, top, x1, bottom)."""
        return [c for c in self.chars if x0 - 0.5 <= c["x0"] < x1 and top - 0.5 <= c["top"] < bottom]


def read_pdf(path: Path) -> list[Page]:
    """Every page's characters, read with pdfminer (what pdfplumber reads with; called directly it takes a
    quarter of the time, and the suite reads a few hundred pages)."""
    pages = []
    with path.open("rb") as f:
        document = PDFDocument(PDFParser(f))
        resources = PDFResourceManager(caching=True)
        device = PDFPageAggregator(resources, laparams=None)
        interpreter = PDFPageInterpreter(resources, device)
        for pdf_page in PDFPage.create_pages(document):
            interpreter.process_page(pdf_page)
            layout = device.get_result()
            chars: list[dict] = []
            _collect(layout, layout.height, chars)
            pages.append(Page(tuple(chars)))
    return pages


def _collect(container: LTContainer, height: float, chars: list[dict]) -> None:
    for obj in container:
        if isinstance(obj, LTChar):
            chars.append({"text": obj.get_text(), "x0": obj.x0, "x1": obj.x1, "top": height - obj.y1,
                          "bottom": height - obj.y0, "size": obj.size, "fontname": obj.fontname})  # fmt: skip
        elif isinstance(obj, LTContainer):  # a PDF form (letterhead, a letter's shared text)
            _collect(obj, height, chars)


def flow(chars: Iterable[dict]) -> str:
    """Characters in drawing order as text: a space where there is a gap or a new line."""
    out: list[str] = []
    last = None
    for c in chars:
        if last is not None and (abs(c["top"] - last["top"]) > 1 or c["x0"] - last["x1"] > 1):
            out.append(" ")
        out.append(c["text"])
        last = c
    return "".join(out)


@functools.cache
def _glyphs() -> frozenset[int]:
    fonts.register()
    maps = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in (fonts.SANS, fonts.SANS_BOLD)]
    return frozenset(maps[0] & maps[1])


def _wild(ch: str) -> bool:
    """A character whose text layer is not itself: no DejaVu glyph, or beyond U+FFFF (module doc)."""
    return ord(ch) > 0xFFFF or ord(ch) not in _glyphs()


#: Invisible by definition: soft hyphen, zero-width space, joiners, word joiner, BOM. ReportLab drops them (a
#: soft hyphen shows only where it breaks a line, as "-").
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@functools.lru_cache(maxsize=256)
def _canon(text: str, hyphenated: bool) -> tuple[str, list[bool]]:
    """The text without whitespace and invisible characters (and, for table cells, without hyphens), and for
    each character kept whether whitespace stood before it."""
    out: list[str] = []
    gaps: list[bool] = []
    gap = False
    for ch in text:
        if ch.isspace():
            gap = True
        elif ch not in INVISIBLE and not (hyphenated and ch == "-"):
            out.append(ch)
            gaps.append(gap)
            gap = False
    return "".join(out), gaps


def occurrences(value: str, text: str, *, hyphenated: bool = False) -> list[tuple[int, int]]:
    """Where `value` stands in `text`, as spans of the canonical text (`_canon`): every character in order,
    whitespace free, except that a space of the value must be whitespace in the text."""
    hay, gaps = _canon(text, hyphenated)
    needle, needle_gaps = _canon(value, hyphenated)
    if not needle:
        return [(0, 0)]
    bounds = [i for i, gap in enumerate(needle_gaps) if gap and i]
    segments: list[tuple[int, str]] = []
    start = None
    for i in range(len(needle) + 1):
        literal = i < len(needle) and not _wild(needle[i])
        if literal and start is None:
            start = i
        elif not literal and start is not None:
            segments.append((start, needle[start:i]))
            start = None
    n = len(needle)
    if not segments:
        return [(0, n)] if len(hay) >= n else []
    anchor_at, anchor = max(segments, key=lambda seg: len(seg[1]))
    found = []
    pos = hay.find(anchor)
    while pos != -1:
        o = pos - anchor_at
        if (
            0 <= o <= len(hay) - n
            and all(hay.startswith(seg, o + k) for k, seg in segments)
            and all(gaps[o + b] for b in bounds)
        ):
            found.append((o, o + n))
        pos = hay.find(anchor, pos + 1)
    return found


def appears(value: str, text: str, *, hyphenated: bool = False) -> bool:
    return bool(occurrences(value, text, hyphenated=hyphenated))


def assert_appears(value: str | None, text: str, what: str, *, hyphenated: bool = False) -> None:
    if value and value.strip():
        assert appears(value, text, hyphenated=hyphenated), f"{what} {value!r} fehlt in:\n{text[:4000]}"


def is_first_page(page: Page) -> bool:
    """A letter's first page carries its information block ("Datum") 125 mm from the left."""
    return appears("Datum", flow(page.within(INFO_LEFT, 45 * mm, PAGE_W, BODY_TOP)))


def filled_text(pages: list[Page]) -> str:
    """What the templates filled: the letters' bodies and the reply forms' lines above the fields (not the
    address, return line, information block or follow-up header, whose values are fitted by rule)."""
    parts = []
    for page in pages:
        bottom = PAGE_H - 22 * mm
        if "Rückantwort / Anmeldung" in page.text:
            labels = [c["top"] for c in page.chars if c["text"] == "N" and c["size"] < 9 and page.line_of(c) == "Name"]
            top, bottom = 35 * mm, min(labels, default=bottom)
        else:
            top = BODY_TOP - 2 if is_first_page(page) else 40 * mm
        parts.append(flow(c for c in page.chars if top <= c["top"] < bottom))
    return "\n".join(parts)


OFFICE = {"name": "Kreisgruppe Weimar", "street": "Marktstraße 1", "postal_code": "99423", "city": "Weimar",
          "phone": "03643 1234", "email": "info@example.org", "signatory": "Anna Leiterin"}  # fmt: skip


#: Text as typed or pasted into a name or address field: tab, CR, LF, other line breaks, soft hyphens.
FIELD = st.text(alphabet=st.sampled_from(list("aßÄé.- \t\r\n\u00a0\u00ad\u2028\x85<&>")), max_size=20)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(FIELD, min_size=8, max_size=8), salutation=st.sampled_from(["Frau", "Herr", ""]))
def test_an_address_is_made_of_single_lines(values: list[str], salutation: str) -> None:
    """Tab, CR and LF typed into a name or an address field (the services keep them) never reach a letter:
    address lines, greeting and display name are single lines with single spaces, as DIN 5008 writes them.
    (A tab drawn as plain text prints as the font's missing-glyph box; a CR is dropped by esc() and glues
    two words; a LF adds a line to the window.) Soft hyphens go too (see the soft hyphen tests)."""
    a = Addressee(salutation, *values)
    for style in ("formal", "collegial"):
        printed = [*a.address_lines(), a.greeting(style), a.display_name, a.person, a.organisation]
        for line in printed:
            assert line == line.strip(), line
            assert "  " not in line, line
            assert not any(ch in line for ch in "\t\n\r\v\f\x85\u2028\u2029\u00ad"), line


def test_tab_in_a_name_prints_as_a_space_on_letter_reply_form_and_label(db: Database, tmp_path: Path) -> None:
    office.save_office(db, office.OfficeInput(name="Kreisgruppe", street="Markt 1", postal_code="99423",
                                              city="Weimar", email="info@example.org"))  # fmt: skip
    meeting_id = meetings.save_meeting(
        db,
        meetings.MeetingInput(
            title="Sitzung", starts_at=dt.datetime(2031, 3, 4, 14), ends_at=dt.datetime(2031, 3, 4, 16)
        ),
    )
    contact_id = members.save_contact(db, members.ContactInput(
        salutation="Frau", first_name="Anna\tMaria", last_name="Beispiel\rSchmidt", organisation="Verein\tfür\nAlle",
        street="Am\tAnger 2", postal_code="99423", city="Weimar",
    ))  # fmt: skip
    invitations.invite_contacts(db, meeting_id, [contact_id])
    for make, name in ((letters.invitation_letters, "brief.pdf"), (labels.meeting_labels, "etikett.pdf")):
        make(db, meeting_id, tmp_path / name)
        text = "\n".join(p.text for p in read_pdf(tmp_path / name))
        assert "\x00" not in text  # the missing-glyph box of a tab or CR drawn as text
        for part in ("Anna Maria", "Beispiel Schmidt", "Verein für Alle", "Am Anger 2"):
            assert appears(part, text), (part, text)


def test_tab_cr_and_lf_in_a_meeting_print_as_spaces_and_line_breaks(db: Database, tmp_path: Path) -> None:
    """The meeting's one-line fields print as one line (the badge draws the title as plain text: a tab was
    a missing-glyph box), and a lone CR in a text (old Mac line ends, some web forms) is a line break:
    esc() dropped it and glued the words. A CRLF blank line separates paragraphs like a LF one."""
    office.save_office(db, office.OfficeInput(name="Kreisgruppe", street="Markt 1", postal_code="99423",
                                              city="Weimar", email="info@example.org"))  # fmt: skip
    meeting_id = meetings.save_meeting(db, meetings.MeetingInput(
        title="Sitzung\tdes\rVorstands", starts_at=dt.datetime(2031, 3, 4, 14), ends_at=dt.datetime(2031, 3, 4, 16),
        description="Erster\rAbsatz\r\n\r\nZweiter Absatz", topic="Haushalt\rund Satzung",
    ))  # fmt: skip
    contact_id = members.save_contact(db, members.ContactInput(first_name="Anna", last_name="Beispiel",
                                                               organisation="Verein\rfür Alle"))  # fmt: skip
    invitations.invite_contacts(db, meeting_id, [contact_id])
    row = invitations.load_board(db, meeting_id).rows[0]
    invitations.record_reply(db, row.id, row.version, invitations.ReplyInput(
        response="accepted", persons=1, attendee_names=["Anna\rBeispiel"], assistance="Rollstuhl\rplatz",
    ))  # fmt: skip
    badges.name_badges(db, meeting_id, tmp_path / "schilder.pdf")
    attendance_list.attendance_list(db, meeting_id, tmp_path / "liste.pdf", with_assistance=True)
    letters.invitation_letters(db, meeting_id, tmp_path / "brief.pdf")
    for name in ("schilder.pdf", "liste.pdf", "brief.pdf"):
        text = "\n".join(p.text for p in read_pdf(tmp_path / name))
        assert "\x00" not in text, name
        assert_appears("Sitzung des Vorstands", text, name)
    liste = "\n".join(p.text for p in read_pdf(tmp_path / "liste.pdf"))
    for part in ("Anna Beispiel", "Verein für Alle", "Rollstuhl platz"):
        assert_appears(part, liste, "Teilnehmerliste")
    brief = read_pdf(tmp_path / "brief.pdf")[0]
    for part in ("Erster Absatz", "Haushalt und Satzung"):
        assert_appears(part, brief.text, "Einladung")
    # Two paragraphs: more room between "Absatz" and "Zweiter" than between two lines of one paragraph.
    first = next(c for c in brief.chars if c["text"] == "Z" and brief.line_of(c).startswith("Zweiter"))
    above = max(c["top"] for c in brief.chars if c["top"] < first["top"] - 1 and brief.line_of(c) == "Absatz")
    assert first["top"] - above > 14 + 3  # leading 14 pt, space after a paragraph 6 pt


def test_soft_hyphen_pasted_from_a_word_processor_keeps_the_next_space(db: Database, tmp_path: Path) -> None:
    """A soft hyphen (U+00AD, which Word and web pages carry along when text is pasted) made ReportLab's
    Paragraph drop the space before an escaped character: "Kreis\u00adgruppe & Co" printed "Kreisgruppe& Co".
    The documents' data drop soft hyphens (they only hint where a word may break)."""
    office.save_office(db, office.OfficeInput(**OFFICE))
    meeting_id = meetings.save_meeting(db, meetings.MeetingInput(
        title="Treffen der Kreis\u00adgruppe & Partner", starts_at=dt.datetime(2031, 3, 4, 14),
        ends_at=dt.datetime(2031, 3, 4, 16), description="Selbst\u00adhilfe <Nord> und Süd",
    ))  # fmt: skip
    contact_id = members.save_contact(db, members.ContactInput(
        first_name="Anna", last_name="Beispiel", organisation="Eltern\u00adinitiative & Co", street="Am Anger 2",
        postal_code="99423", city="Weimar",
    ))  # fmt: skip
    invitations.invite_contacts(db, meeting_id, [contact_id])
    row = invitations.load_board(db, meeting_id).rows[0]
    invitations.record_reply(db, row.id, row.version, invitations.ReplyInput(response="accepted"))
    letters.invitation_letters(db, meeting_id, tmp_path / "brief.pdf")
    attendance_list.attendance_list(db, meeting_id, tmp_path / "liste.pdf")
    brief = "\n".join(p.text for p in read_pdf(tmp_path / "brief.pdf"))
    liste = "\n".join(p.text for p in read_pdf(tmp_path / "liste.pdf"))
    for part in ("Kreisgruppe & Partner", "Selbsthilfe <Nord>", "Elterninitiative & Co"):
        assert_appears(part, brief, "Einladung")
    for part in ("Kreisgruppe & Partner", "Elterninitiative & Co"):
        assert_appears(part, liste, "Teilnehmerliste")


def test_soft_hyphen_in_the_office_keeps_the_reply_sentence_apart(db: Database, tmp_path: Path) -> None:
    """The same for the office's name in the letter's text and the reply form ("per Post an …")."""
    office.save_office(db, office.OfficeInput(**{**OFFICE, "name": "Kreis\u00adgruppe & Partner", "email": None}))
    meeting_id = meetings.save_meeting(db, meetings.MeetingInput(
        title="Sitzung", starts_at=dt.datetime(2031, 3, 4, 14), ends_at=dt.datetime(2031, 3, 4, 16)))  # fmt: skip
    contact_id = members.save_contact(db, members.ContactInput(first_name="Anna", last_name="Beispiel"))
    invitations.invite_contacts(db, meeting_id, [contact_id])
    letters.invitation_letters(db, meeting_id, tmp_path / "brief.pdf")
    text = filled_text(read_pdf(tmp_path / "brief.pdf"))
    assert_appears("per Post an Kreisgruppe & Partner, Marktstraße 1, 99423 Weimar", text, "Einladung")
    assert_appears("Bitte zurück an Kreisgruppe & Partner", text, "Rückantwort")
