"""Never crash, never drop (issue 13): every document prints every value the program accepts, read back from
the PDF. Long paragraphs and table rows continue on the next page, a word wider than its column breaks
inside the column, labels keep one type size per sheet, badges fit any name quickly, and a letter's
signature never stands alone on a page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import exchange, members
from geschaeftsstelle.documents import access_report, attendance_list, badges, fonts, labels, page, schedule
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.award_documents import render_award_letters
from geschaeftsstelle.documents.meeting_data import MeetingData
from geschaeftsstelle.documents.text import fit_lines, shorten_to_width, wrap_to_width
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting, Office

FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "office_documents.json"
OFFICE = Office(name="Geschäftsstelle Test", street="Marktstraße 1", postal_code="99423", city="Weimar")


@pytest.fixture
def office_db(sqlite_db: Database) -> Database:
    exchange.import_file(sqlite_db, FIXTURE)
    return sqlite_db


def words_of(seed: int, count: int) -> list[str]:
    """Distinct made-up words (some long) that a dictionary hyphenates like German ones."""
    rnd = random.Random(seed)
    syllables = ("ge", "bär", "den", "spra", "che", "dol", "met", "schung", "kreis", "grup", "pe", "ver", "ein")
    return [f"w{i}" + "".join(rnd.choice(syllables) for _ in range(rnd.randint(0, 5))) for i in range(count)]


def unbroken(text: str) -> str:
    """Extracted text as one string: line breaks and hyphens added at line ends gone, no whitespace."""
    return re.sub(r"\s+", "", re.sub(r"-\n", "", text))


def column_text(path: Path, x0: float, x1: float, top: float = 30 * mm, bottom: float = page.FOOTER_H) -> str:
    """The text of a column (x0…x1 in points, between letterhead and footer) over all pages, in order."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(p.crop((x0, top, x1, p.height - bottom)).extract_text() or "" for p in pdf.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _meeting(**changes: Any) -> MeetingData:
    base = MeetingData(
        id=1, title="Mitgliederversammlung", kind="meeting", status="confirmed",
        starts_at=dt.datetime(2020, 2, 12, 13), ends_at=dt.datetime(2020, 2, 12, 16), venue_name="Gutshof",
        venue_address="Oberdorfstraße 15, 04599 Leipzig", topic="", description="", registration_deadline=None,
        registration_contact=None, members_only=False, fee=None, catering="", speakers=(), agenda=(),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


# The year schedule and the access report: nothing vanishes --------------------------------------------------


def test_schedule_keeps_a_meeting_with_a_300_word_topic_and_every_other_one(
    office_db: Database, tmp_path: Path
) -> None:
    topic = words_of(1, 300)
    with office_db.transaction() as s:
        meeting = s.get(Meeting, 1)
        assert meeting is not None
        meeting.topic = " ".join(topic)
    out = tmp_path / "termine.pdf"
    pages = schedule.year_schedule(office_db, 2020, out)
    texts = pages_text(out)
    assert pages == len(texts) >= 2  # the long row continues on the next page
    joined = "\n".join(texts)
    for title in ("Kreisgruppensitzung", "Sommerfest", "Klausur"):
        assert title in joined, title
    column = unbroken(column_text(out, page.LEFT + 62 * mm, page.LEFT + page.TEXT_W - 45 * mm))
    position = 0
    for word in topic:  # every word, in order
        position = column.index(word, position) + len(word)
    assert "Datum Zeit Termin Ort" in texts[1]  # the header repeats above the continued row


def test_schedule_row_starts_on_the_page_where_the_table_starts(office_db: Database, tmp_path: Path) -> None:
    """A row taller than a page starts right below the rows before it, with no second header on that page."""
    meetings = [
        _meeting(id=i, title=f"Termin {i}", starts_at=dt.datetime(2020, 1, 1 + i, 10),
                 ends_at=dt.datetime(2020, 1, 1 + i, 12), topic=" ".join(words_of(i, 400 if i == 1 else 3)))
        for i in range(4)
    ]  # fmt: skip
    out = tmp_path / "termine.pdf"
    schedule.render_schedule(out, get_office(office_db), 2020, meetings)
    texts = pages_text(out)
    assert re.search(r"\bTermin 1\b", texts[0])
    assert texts[0].count("Datum Zeit Termin Ort") == 1
    assert all(len(re.findall(rf"\bTermin {i}\b", "\n".join(texts))) == 1 for i in range(4))


@pytest.mark.parametrize("line_breaks", [False, True])
def test_access_report_prints_10000_characters_of_notes(sqlite_db: Database, tmp_path: Path, line_breaks: bool) -> None:
    words = words_of(2, 1500)
    notes = ""
    for i, word in enumerate(words):
        notes += word + ("\n" if line_breaks and i % 40 == 39 else " ")
    notes = notes[:10_000].rsplit(None, 1)[0]
    assert len(notes) > 9_900
    contact = members.save_contact(sqlite_db, members.ContactInput(last_name="Muster", first_name="Kim", notes=notes))
    out = tmp_path / "auskunft.pdf"
    pages = access_report.access_report_pdf(sqlite_db, contact, out)
    assert pages >= 3
    values = unbroken(column_text(out, page.LEFT + 45 * mm, page.LEFT + page.TEXT_W + 1))
    assert re.sub(r"\s+", "", notes) in values
    assert "Jury des Ehrenamtspreises" in pages_text(out)[-1]  # and what follows the notes


# The flow engine itself ---------------------------------------------------------------------------------------


def _render(story: list[Any], first_h: float = 150 * mm, full_h: float = 240 * mm) -> tuple[Path, int]:
    """The story through page.flow: a short first frame (like a letter's first page), then full pages."""
    out = BytesIO()
    c = page.new_canvas(out, "Test", OFFICE)

    def frame(h: float) -> Frame:
        return Frame(page.LEFT, page.FOOTER_H, page.TEXT_W, h, leftPadding=0, rightPadding=0, topPadding=0)

    pages = page.flow(c, story, frame(first_h), lambda: frame(full_h))
    c.showPage()
    c.save()
    return out, pages  # type: ignore[return-value]


def _text(pdf: BytesIO) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_a_table_row_taller_than_a_page_continues_on_the_next_pages() -> None:
    st = page.styles()
    long_words = words_of(3, 1200)
    table = Table(
        [
            [Paragraph("KOPF", st.cell_bold), Paragraph("TEXT", st.cell_bold)],
            [Paragraph("ROWA", st.cell), Paragraph("erste Zeile", st.cell)],
            # a bare Paragraph, no list: ReportLab alone would leave it out when it splits the row
            [Paragraph("ROWB", st.cell), Paragraph(" ".join(long_words), st.cell)],
            ["ROWC", "danach"],
        ],
        colWidths=[30 * mm, page.TEXT_W - 30 * mm],
        repeatRows=1,
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.3, "#999999")]))
    pdf, pages = _render([Paragraph("Vorher", st.body), table, Paragraph("Nachher", st.body)])
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    assert pages == len(texts) >= 3
    assert all(t.startswith("KOPF TEXT") for t in texts[1:])  # the header above every continuation
    stream = unbroken(re.sub(r"KOPF TEXT|ROW[ABC]", "", "\n".join(texts)))
    assert stream == unbroken("Vorher erste Zeile " + " ".join(long_words) + " danach Nachher")


@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_every_alignment_of_a_row_taller_than_a_page_keeps_all_text(valign: str) -> None:
    """ReportLab places centred text of a row split across pages above the page's top edge: flow() aligns
    such a table to the top."""
    st = page.styles()
    rows = [(made_up(1, 120, 12), made_up(2, 800, 12)), ("kurz", "z"), (made_up(4, 120, 12), made_up(5, 900, 12))]
    table = Table(
        [[Paragraph(a, st.cell_bold), Paragraph(b, st.cell)] for a, b in rows],
        colWidths=[80 * mm, page.TEXT_W - 80 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), valign)]))
    pdf, pages = _render([Paragraph("Vorher", st.body), table], first_h=200 * mm)
    assert pages >= 5
    with pdfplumber.open(pdf) as doc:
        first, second = (
            "\n".join(p.crop((x0, 0, x1, p.height)).extract_text() or "" for p in doc.pages)
            for x0, x1 in ((page.LEFT, page.LEFT + 80 * mm - 1), (page.LEFT + 80 * mm + 1, page.LEFT + page.TEXT_W + 2))
        )
    assert unbroken(first) == unbroken("Vorher " + " ".join(a for a, _b in rows))
    assert unbroken(second) == unbroken(" ".join(b for _a, b in rows))


def test_shared_paragraph_splits_at_a_page_break_in_every_letter() -> None:
    """The SharedParagraph of an invitation run (cached line breaks) once ended in AttributeError 'blPara'."""
    st = page.styles()
    words = words_of(4, 90)  # ~550 characters: a description that reaches the page break
    shared = page.SharedParagraph(" ".join(words), st.body)
    for first_h in (40 * mm, 30 * mm, 17 * mm, 15 * mm, 30 * mm):  # the same paragraph in one letter after another
        filler = Spacer(1, first_h - 14 * mm)
        pdf, pages = _render([filler, shared, Paragraph("ENDE", st.body)], first_h=first_h)
        assert pages >= 2
        assert unbroken(_text(pdf)) == unbroken(" ".join(words) + " ENDE")


def test_keep_together_taller_than_a_page_flows_and_keeps_its_end_together() -> None:
    st = page.styles()
    words = words_of(5, 900)
    closing = page.keep_together([Paragraph("GRUSS", st.body), Spacer(1, 10 * mm), Paragraph("NAME", st.body)])
    block = page.keep_together([Paragraph(" ".join(words), st.body), closing])
    pdf, _pages = _render([Paragraph("Vorher", st.body), block])
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    assert unbroken("\n".join(texts)) == unbroken("Vorher " + " ".join(words) + " GRUSS NAME")
    last = next(t for t in texts if "GRUSS" in t)
    assert "NAME" in last
    assert words[-1] in last  # the closing shares its page with the end of the paragraph before it


def test_what_cannot_be_split_raises_a_clear_error() -> None:
    class Tall(Spacer):
        pass

    with pytest.raises(page.DoesNotFit, match="größer als eine ganze Seite"):
        _render([Tall(10, 300 * mm)])


# Hypothesis: random paragraphs, tables and blocks always print all their text -------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
token = hst.text(alphabet=LETTERS, min_size=1, max_size=60)


def made_up(seed: int, count: int, longest: int) -> str:
    """`count` words of 1 to `longest` letters: long texts without making hypothesis draw every letter."""
    rnd = random.Random(seed)
    return " ".join("".join(rnd.choices(LETTERS, k=rnd.randint(1, longest))) for _ in range(count))


texts = hst.one_of(
    hst.lists(token, min_size=1, max_size=40).map(" ".join),
    hst.builds(made_up, hst.integers(0, 2**32), hst.integers(1, 200), hst.sampled_from([10, 30, 120])),
)


@hst.composite
def stories(draw: hst.DrawFn) -> tuple[list[Any], str]:
    st = page.styles()
    story: list[Any] = []
    expected: list[str] = []
    for _ in range(draw(hst.integers(1, 3))):
        kind = draw(hst.sampled_from(["paragraph", "table", "block"]))
        if kind == "paragraph":
            text = draw(texts)
            story.append(Paragraph(text, st.body))
            expected.append(text)
        elif kind == "block":
            parts = draw(hst.lists(texts, min_size=1, max_size=2))
            story.append(page.keep_together([Paragraph(t, st.body) for t in parts]))
            expected += parts
        else:
            cells = draw(hst.lists(texts, min_size=1, max_size=3))
            width = draw(hst.sampled_from([18 * mm, 40 * mm, 120 * mm]))
            hyphenated = draw(hst.booleans())  # page.cell (soft hyphens) or a bare Paragraph (letters only)
            rows = [
                [f"ROW{i}Z", page.cell(t, st.cell, width) if hyphenated else Paragraph(t, st.cell)]
                for i, t in enumerate(cells)
            ]
            header = draw(hst.booleans())
            table = Table(
                ([["KOPFZ", "TEXTZ"]] if header else []) + rows,
                colWidths=[page.TEXT_W - width, width],
                repeatRows=1 if header else 0,
            )
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), fonts.SANS)]))
            story.append(table)
            expected += cells
    return story, " ".join(expected)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(stories(), hst.sampled_from([40 * mm, 150 * mm]))
def test_flow_prints_all_text_of_any_story(story_and_text: tuple[list[Any], str], first_h: float) -> None:
    story, expected = story_and_text
    pdf, _pages = _render(story, first_h=first_h)
    printed = re.sub(r"KOPFZ|TEXTZ|ROW\d+Z", "", _text(pdf))
    assert unbroken(printed) == unbroken(expected)


@hst.composite
def tables(draw: hst.DrawFn) -> tuple[Table, float, list[str], list[str]]:
    """Two columns of text, rows of any height, any vertical alignment."""
    st = page.styles()
    left = draw(hst.sampled_from([30 * mm, 80 * mm]))
    rows = draw(hst.lists(hst.tuples(texts, texts), min_size=1, max_size=3))
    hyphenated = draw(hst.booleans())
    table = Table(
        [
            [page.cell(a, st.cell_bold, left), page.cell(b, st.cell, page.TEXT_W - left)]
            if hyphenated
            else [Paragraph(a, st.cell_bold), Paragraph(b, st.cell)]
            for a, b in rows
        ],
        colWidths=[left, page.TEXT_W - left],
    )
    valign = draw(hst.sampled_from(["TOP", "MIDDLE", "BOTTOM"]))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), valign), ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#999999")]))
    return table, left, [a for a, _b in rows], [b for _a, b in rows]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tables(), hst.sampled_from([40 * mm, 150 * mm]))
def test_flow_prints_every_cell_of_any_table(drawn: tuple[Table, float, list[str], list[str]], first_h: float) -> None:
    table, left, first, second = drawn
    pdf, _pages = _render([table], first_h=first_h)
    with pdfplumber.open(pdf) as doc:
        columns = [
            "\n".join(p.crop((x0, 0, x1, p.height)).extract_text() or "" for p in doc.pages)
            for x0, x1 in ((page.LEFT, page.LEFT + left - 1), (page.LEFT + left + 1, page.LEFT + page.TEXT_W + 2))
        ]
    assert unbroken(columns[0]) == unbroken(" ".join(first))
    assert unbroken(columns[1]) == unbroken(" ".join(second))


@settings(max_examples=100, deadline=None)
@given(texts, hst.floats(3, 300), hst.booleans())
def test_wrap_to_width_keeps_every_letter_within_the_width(text: str, width: float, hyphenate: bool) -> None:
    fonts.register()
    hyphenator = page.hyphenator() if hyphenate else None
    lines = list(wrap_to_width(text, fonts.SANS, 10, width, hyphenator))
    assert "".join(line.replace("-", "") for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert stringWidth(line, fonts.SANS, 10) <= width + 1e-6 or len(line.rstrip("-")) == 1
    shown, complete = fit_lines(text, fonts.SANS, 10, width, 2, hyphenator)
    assert len(shown) <= 2
    assert complete == (len(lines) <= 2)


# A word wider than its column ----------------------------------------------------------------------------------


def test_a_word_wider_than_its_column_breaks_inside_the_column(office_db: Database, tmp_path: Path) -> None:
    url = "https://www.example.org/" + "".join(words_of(6, 30))  # ~200 letters, no space, no hyphenation point
    meetings = [_meeting(venue_name=url, venue_address="")]
    out = tmp_path / "termine.pdf"
    schedule.render_schedule(out, get_office(office_db), 2020, meetings)
    left, right = page.LEFT + page.TEXT_W - 45 * mm, page.LEFT + page.TEXT_W
    assert url in unbroken(column_text(out, left, right + 2))
    with pdfplumber.open(out) as pdf:
        chars = [ch for ch in pdf.pages[0].chars if ch["x0"] >= left - 1 and ch["top"] > 40 * mm]
    assert chars
    assert max(ch["x1"] for ch in chars) <= right + 0.5  # inside the column, not over the page edge


def test_cells_hyphenate_german_words_at_syllables(office_db: Database, tmp_path: Path) -> None:
    word = "Gebärdensprachdolmetschung"
    people = [attendance_list.Attendee("Kim Muster", "Camsin e. V.", word)]
    out = tmp_path / "liste.pdf"
    attendance_list.render_attendance(
        out, get_office(office_db), _meeting(), people, blank_rows=0, with_assistance=True
    )
    column = column_text(out, 120 * mm, 157 * mm)  # Assistenz: 37 mm at 8.5 pt, too narrow for the word
    lines = [line for line in column.splitlines() if line.strip() and line.strip() != "Assistenz"]
    assert len(lines) >= 2
    assert "".join(line.removesuffix("-") for line in lines) == word
    assert all(line.endswith("-") for line in lines[:-1])
    syllables = [1 + len(part) for part in ("Ge", "bär", "den", "sprach", "dol", "met", "schung")]
    breaks = {sum(syllables[: i + 1]) - i - 1 for i in range(len(syllables))}
    assert {len("".join(x.removesuffix("-") for x in lines[: i + 1])) for i in range(len(lines) - 1)} <= breaks


def test_attendance_rows_grow_for_long_names_instead_of_cutting_them(office_db: Database, tmp_path: Path) -> None:
    long_org = "Arbeitsgemeinschaft der Selbsthilfegruppen für Menschen mit Behinderungen und chronischen " * 3
    people = [attendance_list.Attendee("Anna Beispiel " * 8, long_org.strip(), "")] + [
        attendance_list.Attendee(f"Person {i}", "Verein", "") for i in range(40)
    ]
    out = tmp_path / "liste.pdf"
    pages = attendance_list.render_attendance(out, get_office(office_db), _meeting(), people, blank_rows=3)
    texts = pages_text(out)
    assert pages == len(texts)
    for n, text in enumerate(texts, start=1):
        assert f"Seite {n} von {pages}" in text
    assert unbroken(long_org) in unbroken(column_text(out, 80 * mm, 145 * mm))
    assert unbroken("Anna Beispiel " * 8) in unbroken(column_text(out, 25 * mm, 80 * mm))


# Labels: one type size per sheet -------------------------------------------------------------------------------


def test_labels_use_one_type_size_per_sheet_and_keep_postcode_and_town_whole(tmp_path: Path) -> None:
    plain = Addressee("Herr", "Dr.", "Max", "Muster", "Camsin e. V.", "Marktstraße 1", "99423", "Weimar")
    long_org = Addressee(
        "", "", "", "", "Arbeitsgemeinschaft der Selbsthilfegruppen für Menschen mit Behinderungen und chronischen "
        "Erkrankungen im Landkreis Weimarer Land eingetragener Verein", "Carl-August-Allee 12", "99423", "Weimar",
    )  # fmt: skip
    extreme = Addressee(
        "Frau", "Prof. Dr.", "Kim", "Muster", "Verein " * 40, "Lange Straße " * 15, "12345",
        "Sankt Ingbert-Rohrbach an der Blies bei Saarbrücken im Saarpfalz-Kreis", "Vereinigtes Königreich",
    )  # fmt: skip
    out = tmp_path / "etiketten.pdf"
    addresses = [plain, long_org] * 5 + [extreme] + [plain] * 30
    pages = labels.render_labels(out, OFFICE, addresses, sheet_type="3474")
    sheet = labels.SHEETS["3474"]
    with pdfplumber.open(out) as pdf:
        assert pages == len(pdf.pages) == 2
        sizes = [{round(ch["size"], 2) for ch in p.chars} for p in pdf.pages]
        text = [p.extract_text() or "" for p in pdf.pages]
        for p in pdf.pages:  # every character inside a label
            for ch in p.chars:
                assert any(
                    x <= ch["x0"] and ch["x1"] <= x + sheet.width and p.height - y - sheet.height <= ch["top"]
                    for x, y in map(sheet.cell, range(sheet.per_sheet))
                ), ch["text"]
    assert all(len(s) == 1 for s in sizes), sizes  # one size per sheet
    first, second = (min(s) for s in sizes)
    assert 7 <= first < second  # one extreme address makes its own sheet small, not the next one
    assert "Sankt Ingbert-Rohrbach" in text[0]
    assert unbroken("12345 Sankt Ingbert-Rohrbach an der Blies bei Saarbrücken im Saarpfalz-Kreis") in unbroken(text[0])
    assert "VEREINIGTES KÖNIGREICH" in text[0]
    assert text[0].count("99423 Weimar") == 10 + 13  # every postcode and town line whole
    assert "Camsin e. V." in text[1]


def test_label_sheet_size_is_the_largest_that_fits(tmp_path: Path) -> None:
    plain = Addressee("", "", "Anna", "Beispiel", "", "Am Anger 2", "99423", "Weimar")
    out = tmp_path / "etiketten.pdf"
    labels.render_labels(out, OFFICE, [plain] * 3, sheet_type="L7163")
    with pdfplumber.open(out) as pdf:
        assert {round(ch["size"], 2) for ch in pdf.pages[0].chars} == {10.0}


# Badges --------------------------------------------------------------------------------------------------------


def test_badges_with_a_100000_character_name_finish_quickly(tmp_path: Path) -> None:
    people = [
        attendance_list.Attendee("x" * 100_000, "y" * 100_000, ""),
        attendance_list.Attendee("Anna " * 20_000, "Verein " * 15_000, ""),
        attendance_list.Attendee("Kim Muster", "Camsin e. V.", ""),
    ]
    out = tmp_path / "schilder.pdf"
    started = time.perf_counter()
    badges.render_badges(out, OFFICE, "Kreisgruppensitzung " * 20, people)
    assert time.perf_counter() - started < 2
    text = pages_text(out)[0]
    assert "Kim Muster" in text
    assert "xxxxxxxxxx" in text
    assert "…" in text  # shortened visibly, as the last resort


def test_shorten_to_width_is_not_quadratic() -> None:
    fonts.register()
    started = time.perf_counter()
    short = shorten_to_width("n" * 1_000_000, fonts.SANS, 10, 200)
    assert time.perf_counter() - started < 0.5
    assert short.endswith("…")
    assert stringWidth(short, fonts.SANS, 10) <= 200


# Award letters: the signature stays with the last paragraph ----------------------------------------------------


def test_award_letter_signature_never_stands_alone(tmp_path: Path) -> None:
    office = Office(name="Geschäftsstelle Test", street="Marktstraße 1", postal_code="99423", city="Weimar",
                    signatory="Andrea Lindner", signatory_role="Regionalleiterin")  # fmt: skip
    a = Addressee("Frau", "", "Erika", "Sommer", "", "Am Anger 2", "99423", "Weimar")
    letters = [
        (a, f"Brief {k}", [" ".join(["Wort"] * k), f"Schlussabsatz {k} mit einem Dank."]) for k in range(430, 600, 8)
    ]
    out = tmp_path / "briefe.pdf"
    render_award_letters(out, office, "Briefe", letters)
    texts = pages_text(out)
    closings = [t for t in texts if "Mit freundlichen Grüßen" in t]
    assert len(closings) == len(letters)
    for t in closings:
        assert re.search(r"Schlussabsatz \d+ mit einem Dank", flat(t)), t  # the last paragraph on the same page
        assert "Andrea Lindner" in t
        assert "Regionalleiterin" in t
    assert any("Seite 2" in t and "Mit freundlichen Grüßen" in t for t in texts)  # some closings did turn the page
