"""Every document read back from its PDF: who is addressed how, what each page holds, where it lies.

The office is tests/fixtures/documents/office_documents.json: the small office plus addressees in Greek,
Cyrillic, Vietnamese, Arabic and Polish, an organisation-only addressee, a walk-in guest, and markup-like
text in names and a meeting title. ReportLab does not shape Arabic (no bidi, no joining forms): Arabic
names print as unjoined letters left to right, but they print, and the stored text is extracted again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.lib.units import mm

from geschaeftsstelle import exchange
from geschaeftsstelle.documents import attendance_list, badges, invitations, labels, schedule
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import Cancelled
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database

FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "office_documents.json"
OFFICE_NAME = "Paritätische Kreisgruppe Weimar/Weimarer Land"
HOSTILE = (
    "Kinder <Zukunft> & Familie e. V.",
    '<img src="/etc/passwd"> <font size=80>Gross</font>',
    "Русский дом & Co <Weimar>",
    "Gast <b>Ohne Vertrag",
    "Presse & Funk",
)
ACCEPTED = (
    "Anna Beispiel", "Jörg Schäfer", "Kim Muster", "Nguyễn Thị Minh", "Ελένη Παπαδοπούλου", "Иван Петров",
    "Zofia Wójcik-Łęcka", "Ελένη Αθανασίου", "Дмитрий Смирнов", "Trần Văn Đức", "سارة الأحمد", "Gast <b>Ohne Vertrag",
)  # fmt: skip


@pytest.fixture
def office_db(sqlite_db: Database) -> Database:
    exchange.import_file(sqlite_db, FIXTURE)
    return sqlite_db


def pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _words(path: Path) -> list[dict[str, Any]]:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[0].extract_words(use_text_flow=True)


def flat(text: str) -> str:
    """Whitespace as one space: a wrapped cell reads like the stored text again."""
    return " ".join(text.split())


def no_images(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        assert all(not page.images for page in pdf.pages)


# Salutation and address lines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("salutation", "title", "first", "last", "org", "expected"),
    [
        ("Frau", "Dr.", "Erika", "Beispiel", "", "Sehr geehrte Frau Dr. Beispiel,"),
        ("Herr", "", "Max", "Muster", "Camsin e. V.", "Sehr geehrter Herr Muster,"),
        ("Herr", "Prof. Dr.", "Peter", "Löcherbach", "", "Sehr geehrter Herr Prof. Dr. Löcherbach,"),
        ("", "", "Kim", "Muster", "", "Guten Tag Kim Muster,"),
        ("", "Dr.", "Kim", "Muster", "", "Guten Tag Dr. Kim Muster,"),
        ("", "", "", "", "Landratsamt Weimarer Land", "Sehr geehrte Damen und Herren,"),
        ("Frau", "", "", "", "Landratsamt Weimarer Land", "Sehr geehrte Damen und Herren,"),
        ("Frau", "", "Ελένη", "Αθανασίου", "", "Sehr geehrte Frau Αθανασίου,"),
        ("Herr", "", "Дмитрий", "Смирнов", "", "Sehr geehrter Herr Смирнов,"),
    ],
)
def test_greeting(salutation: str, title: str, first: str, last: str, org: str, expected: str) -> None:
    a = Addressee(salutation, title, first, last, org, "Marktstraße 1", "99423", "Weimar")
    assert a.greeting() == expected


def test_address_lines_din_5008() -> None:
    a = Addressee("Herr", "Dr.", "Max", "Muster", "Camsin e. V.", "Marktstraße 1", "99423", "Weimar")
    assert a.address_lines() == ["Camsin e. V.", "Herrn Dr. Max Muster", "Marktstraße 1", "99423 Weimar"]
    abroad = Addressee("Frau", "", "Zofia", "Wójcik", "", "ul. Długa 5", "80-831", "Gdańsk", "Polen")
    assert abroad.address_lines() == ["Frau Zofia Wójcik", "ul. Długa 5", "80-831 Gdańsk", "POLEN"]
    home = Addressee("", "", "Kim", "Muster", "", "Am Anger 2", "99423", "Weimar", "Deutschland")
    assert home.address_lines() == ["Kim Muster", "Am Anger 2", "99423 Weimar"]


# Letters and reply forms -----------------------------------------------------------------------------


def test_every_letter_greets_right_and_is_followed_by_its_reply_form(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "briefe.pdf"
    pages = invitations.invitation_letters(office_db, 1, out)
    texts = pages_text(out)
    assert pages == len(texts) == 2 * 13  # 13 addressees (the walk-in guest gets no letter), one page each + form
    expected = {
        "Sehr geehrte Frau Αθανασίου,": "Ελένη Αθανασίου",
        "Sehr geehrter Herr Смирнов,": "Дмитрий Смирнов",
        "Guten Tag Trần Văn Đức,": "Trần Văn Đức",
        "Guten Tag سارة الأحمد,": "سارة الأحمد",
        "Sehr geehrte Damen und Herren,": "",
        "Sehr geehrte Frau Wójcik-Łęcka,": "Zofia Wójcik-Łęcka",
    }
    seen = set()
    for letter, form in zip(texts[0::2], texts[1::2], strict=True):
        assert "Einladung: Kreisgruppensitzung am 12.02.2020" in letter
        assert "Rückantwort / Anmeldung" in form
        greeting = next(line for line in letter.splitlines() if line.startswith(("Sehr geehrte", "Guten Tag")))
        if greeting in expected:
            seen.add(greeting)
            if expected[greeting]:
                assert expected[greeting] in form  # prefilled with the invitee's name
    assert seen == set(expected)
    form = flat(texts[1])
    for part in ("per Fax an 03643 123457", "kreisgruppe@example.org", "bis spätestens 05.02.2020", "nehme teil",
                 "nehme nicht teil", "Anzahl Personen", "Namen der Teilnehmenden", "Assistenzbedarf", "Verpflegung",
                 "Unterschrift", "Mittwoch, 12. Februar 2020, 13:00 bis 16:00 Uhr"):  # fmt: skip
        assert part in form, part


def test_letter_has_programme_deadline_fee_and_escaped_names(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "briefe.pdf"
    invitations.invitation_letters(office_db, 1, out, with_reply_form=False)
    joined = flat("\n".join(pages_text(out)))
    for part in ("13:00 Uhr TOP 1: Begrüßung", "TOP 2: Aktuelles aus dem Landesverband", "Andrea Lindner",
                 "Bitte melden Sie sich bis zum 05.02.2020", "Die Teilnahme ist kostenlos.", "Gutshof Stötteritz e.V.",
                 "Mit freundlichen Grüßen", "Regionalleiterin", "IBAN DE82 8305 3030 0018 0092 20"):  # fmt: skip
        assert part in joined, part
    assert HOSTILE[0] in joined
    assert HOSTILE[1] in joined
    assert HOSTILE[2] in joined
    no_images(out)


def test_fold_and_hole_marks_and_information_block(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "briefe.pdf"
    invitations.invitation_letters(office_db, 1, out, with_reply_form=False)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        marks = sorted(round(line["top"] / mm, 1) for line in page.lines if line["x0"] < 5 * mm)
        assert marks == [105.0, 148.5, 210.0]
        date = [w for w in page.extract_words() if w["text"] == dt.date.today().strftime("%d.%m.%Y")]
        assert date
        assert date[0]["x0"] >= 125 * mm - 1
        assert date[0]["top"] < 98.5 * mm


def test_reply_forms_alone_and_blank_form(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "antwort.pdf"
    assert invitations.reply_forms(office_db, 1, out, selection="open") == 1  # only Prof. Löcherbach is open
    text = pages_text(out)[0]
    assert "Prof. Dr. Peter Löcherbach" in text
    assert "Katholische Hochschule Mainz" in text
    # A meeting without invitations still gets one blank form to copy.
    blank = tmp_path / "leer.pdf"
    assert invitations.reply_forms(office_db, 2, blank) == 1
    assert "Rückantwort / Anmeldung" in pages_text(blank)[0]


def test_reply_form_progress_and_cancel(office_db: Database, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    invitations.reply_forms(office_db, 1, tmp_path / "a.pdf", progress=lambda d, t: calls.append((d, t)) or True)
    assert calls == [(i, 13) for i in range(1, 14)]
    with pytest.raises(Cancelled):
        invitations.reply_forms(office_db, 1, tmp_path / "b.pdf", progress=lambda d, t: d < 3)


# Attendance list ------------------------------------------------------------------------------------------


def test_attendance_list_everyone_accepted_once_sorted_and_escaped(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "liste.pdf"
    attendance_list.attendance_list(office_db, 1, out, blank_rows=0)
    text = flat("\n".join(pages_text(out)))
    for name in ACCEPTED:
        assert text.count(name) == 1, name
    assert "Łukasz" not in text
    assert "Löcherbach" not in text
    with pdfplumber.open(out) as pdf:  # a wrapped cell is read column by column
        columns = " ".join(
            flat(page.crop((x0 * mm, 0, x1 * mm, page.height)).extract_text() or "")
            for page in pdf.pages
            for x0, x1 in ((25, 80), (80, 145))
        )
    for hostile in HOSTILE:
        assert hostile in columns, hostile
    no_images(out)
    rows = attendance_list.attendees(load_meeting(office_db, 1)[1])
    keys = [(r.organisation.casefold(), r.name.casefold()) for r in rows]
    assert keys == sorted(keys)  # by organisation, then name
    assert [r.name for r in rows if r.organisation == "Camsin e. V."] == ["Anna Beispiel", "Jörg Schäfer"]


def _meeting() -> MeetingData:
    return MeetingData(
        id=1, title="Mitgliederversammlung", kind="meeting", status="confirmed",
        starts_at=dt.datetime(2020, 2, 12, 13), ends_at=dt.datetime(2020, 2, 12, 16), venue_name="Gutshof",
        venue_address="Oberdorfstraße 15, 04599 Leipzig", topic="", description="", registration_deadline=None,
        registration_contact=None, members_only=False, fee=None, catering="", speakers=(), agenda=(),
    )  # fmt: skip


@pytest.mark.parametrize("count", [22, 230])
def test_attendance_rows_never_split_and_pages_are_exact(office_db: Database, tmp_path: Path, count: int) -> None:
    from geschaeftsstelle.office import get_office

    people = [attendance_list.Attendee(f"Person {i:04d}", f"Verein {i // 3}", "") for i in range(count)]
    out = tmp_path / "liste.pdf"
    pages = attendance_list.render_attendance(out, get_office(office_db), _meeting(), people, blank_rows=5)
    total = count + 5
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == pages
        numbers: list[int] = []
        for n, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            assert text.count("Unterschrift") == 1  # the header on every page
            assert f"Seite {n} von {pages}" in text
            ys = sorted({round(line["top"], 1) for line in page.lines if line["x1"] - line["x0"] > 100})
            for a, b in itertools.pairwise(ys):  # whole rows only: the header row 7 mm, every other row 10 mm
                assert min(abs(b - a - 7 * mm), abs(b - a - 10 * mm)) < 0.3, (a, b)
            numbers += [int(w["text"]) for w in page.extract_words() if w["text"].isdigit() and w["x0"] < 25 * mm]
    assert numbers == list(range(1, total + 1))
    per_page = -(-total // pages)
    assert pages == -(-total // per_page)


def test_attendance_progress_and_cancel(office_db: Database, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    pages = attendance_list.attendance_list(
        office_db, 1, tmp_path / "a.pdf", blank_rows=60, progress=lambda d, t: calls.append((d, t)) or True
    )
    assert calls == [(i, pages) for i in range(1, pages + 1)]
    with pytest.raises(Cancelled):
        attendance_list.attendance_list(office_db, 1, tmp_path / "b.pdf", blank_rows=60, progress=lambda d, t: False)


# Year schedule --------------------------------------------------------------------------------------------


def test_schedule_escapes_titles_and_marks_tentative(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "termine.pdf"
    schedule.year_schedule(office_db, 2020, out)
    text = flat(pages_text(out)[0])
    with pdfplumber.open(out) as pdf:  # the title wraps inside its column
        column = flat(pdf.pages[0].crop((87 * mm, 0, 145 * mm, pdf.pages[0].height)).extract_text() or "")
    assert "Klausur <Vorstand> & <font size=80>Beirat</font>" in column
    assert text.index("Kreisgruppensitzung") < text.index("Sommerfest") < text.index("Klausur")  # by date
    assert "(unter Vorbehalt)" in text
    assert "Ort wird noch festgelegt" in text
    assert "13:00–16:00 Uhr" in text
    assert "Sitzungstermine 2020" in text
    empty = tmp_path / "leer.pdf"
    schedule.year_schedule(office_db, 2031, empty)
    assert "Für 2031 sind noch keine Termine eingetragen." in " ".join(w["text"] for w in _words(empty))


def test_long_schedule_repeats_its_header(office_db: Database, tmp_path: Path) -> None:
    from dataclasses import replace

    from geschaeftsstelle.office import get_office

    base = _meeting()
    meetings = [
        replace(base, id=i, title=f"Termin {i}", starts_at=dt.datetime(2020, 1, 1, 10) + dt.timedelta(days=3 * i),
                ends_at=dt.datetime(2020, 1, 1, 12) + dt.timedelta(days=3 * i), topic="Thema " * 12)
        for i in range(80)
    ]  # fmt: skip
    out = tmp_path / "termine.pdf"
    pages = schedule.render_schedule(out, get_office(office_db), 2020, meetings)
    texts = pages_text(out)
    assert pages == len(texts) >= 3
    for t in texts[1:]:
        assert "Datum Zeit Termin Ort" in t
    joined = "\n".join(texts)
    for i in range(80):
        assert len(re.findall(rf"\bTermin {i}\b", joined)) == 1


def test_long_schedule_starts_on_the_first_page(office_db: Database, tmp_path: Path) -> None:
    from dataclasses import replace

    from geschaeftsstelle.office import get_office

    meetings = [
        replace(_meeting(), id=i, title=f"Termin {i}", starts_at=dt.datetime(2020, 1, 1 + i, 10),
                ends_at=dt.datetime(2020, 1, 1 + i, 12), topic="Thema " * 12)
        for i in range(20)
    ]  # fmt: skip
    out = tmp_path / "termine.pdf"
    schedule.render_schedule(out, get_office(office_db), 2020, meetings)
    first = pages_text(out)[0]
    assert "Datum Zeit Termin Ort" in first
    assert re.search(r"\bTermin 0\b", first)


def test_long_programme_begins_on_the_first_page(office_db: Database, tmp_path: Path) -> None:
    from dataclasses import replace

    from geschaeftsstelle.documents.meeting_data import AgendaLine

    office, meeting = load_meeting(office_db, 1)
    meeting = replace(meeting, agenda=tuple(AgendaLine(None, f"Punkt Nummer {i}", None) for i in range(1, 41)))
    a = Addressee("Herr", "", "Max", "Muster", "Camsin e. V.", "Marktstraße 1", "99423", "Weimar")
    out = tmp_path / "lang.pdf"
    invitations.render_letters(out, office, meeting, [invitations.Letter(a, None)], with_reply_form=False)
    assert "TOP 1: Punkt Nummer 1" in pages_text(out)[0]


# Labels ---------------------------------------------------------------------------------------------------


def _cells_used(path: Path, sheet: labels.Sheet) -> list[dict[int, str]]:
    """Per page: label cell index → the text inside it; every word must lie inside one cell."""
    result = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            height = float(page.height)
            cells: dict[int, list[str]] = {}
            for w in page.extract_words(keep_blank_chars=True):
                for i in range(sheet.per_sheet):
                    x, y = sheet.cell(i)
                    top, bottom = height - y - sheet.height, height - y
                    if x <= w["x0"] and w["x1"] <= x + sheet.width and top <= w["top"] and w["bottom"] <= bottom:
                        cells.setdefault(i, []).append(w["text"])
                        break
                else:
                    raise AssertionError(f"outside every label: {w}")
            result.append({i: " ".join(words) for i, words in cells.items()})
    return result


def test_label_sheets_match_the_avery_specs() -> None:
    s3474, l7163 = labels.SHEETS["3474"], labels.SHEETS["L7163"]
    assert (s3474.cols, s3474.rows, round(s3474.width / mm, 1), round(s3474.height / mm, 1)) == (3, 8, 70, 37)
    assert (l7163.cols, l7163.rows, round(l7163.width / mm, 1), round(l7163.height / mm, 1)) == (2, 7, 99.1, 38.1)
    for sheet in (s3474, l7163):
        x, y = sheet.cell(sheet.per_sheet - 1)  # the last label still lies on the A4 page
        assert x >= 0
        assert y >= 0
        assert x + sheet.width <= 210 * mm + 0.01


def test_labels_start_position_continues_on_a_new_sheet(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "etiketten.pdf"
    assert labels.meeting_labels(office_db, 1, out, sheet_type="3474", start=20) == 2
    used = _cells_used(out, labels.SHEETS["3474"])
    assert sorted(used[0]) == [19, 20, 21, 22, 23]  # positions 20–24 of the half-used sheet
    assert sorted(used[1]) == list(range(8))  # the other 8 of 13 addressees from the top of a new sheet
    every = " | ".join(text for page in used for text in page.values())
    assert "Русский дом & Co <Weimar>" in every
    assert "Herrn Дмитрий Смирнов" in every
    assert "Landratsamt Weimarer Land" in every
    assert every.count("Herrn Prof. Dr. Peter Löcherbach") == 1
    no_images(out)


def test_labels_l7163_one_address_per_cell(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "etiketten.pdf"
    assert labels.meeting_labels(office_db, 1, out, sheet_type="L7163") == 1
    (used,) = _cells_used(out, labels.SHEETS["L7163"])
    assert sorted(used) == list(range(13))
    meeting = load_meeting(office_db, 1)[1]
    expected = {" ".join(i.addressee.address_lines()) for i in meeting.invitees if i.addressee is not None}
    assert set(used.values()) == expected  # each cell holds one whole address, nothing else


# Badges ---------------------------------------------------------------------------------------------------


def test_badges_every_named_person_inside_its_badge(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "schilder.pdf"
    pages = badges.name_badges(office_db, 1, out)
    people = [p for p in attendance_list.attendees(load_meeting(office_db, 1)[1]) if p.name]
    assert pages == -(-len(people) // 8) == 2
    with pdfplumber.open(out) as pdf:
        joined = flat("\n".join(p.extract_text() or "" for p in pdf.pages))
        for i, person in enumerate(people):
            page = pdf.pages[i // 8]
            x, y = badges.badge_origin(i)
            box = page.crop((x, page.height - y - badges.BADGE_H, x + badges.BADGE_W, page.height - y))
            inside = flat(box.extract_text() or "")
            assert person.name in inside, (person.name, inside)
            assert person.organisation in inside, (person.organisation, inside)
    assert "Gast <b>Ohne Vertrag" in joined
    assert "Presse & Funk" in joined
    with pytest.raises(UserError, match="keine Zusagen"):
        badges.name_badges(office_db, 3, tmp_path / "leer.pdf")


# Arabic: printed without shaping, never a crash -----------------------------------------------------------


def test_arabic_prints_without_crash_and_extracts_as_stored(office_db: Database, tmp_path: Path) -> None:
    for make in (
        lambda out: invitations.invitation_letters(office_db, 1, out),
        lambda out: attendance_list.attendance_list(office_db, 1, out),
        lambda out: labels.meeting_labels(office_db, 1, out),
        lambda out: badges.name_badges(office_db, 1, out),
    ):
        out = tmp_path / "arabisch.pdf"
        make(out)
        text = "\n".join(pages_text(out))
        assert "سارة الأحمد" in text or "جمعية الأمل" in text


def _metadata(path: Path) -> dict[str, Any]:
    with pdfplumber.open(path) as pdf:
        return dict(pdf.metadata)


def test_metadata_of_each_document(office_db: Database, tmp_path: Path) -> None:
    made = {
        "Teilnehmerliste: Kreisgruppensitzung": lambda out: attendance_list.attendance_list(office_db, 1, out),
        "Sitzungstermine 2020": lambda out: schedule.year_schedule(office_db, 2020, out),
        "Etiketten: Mitglieder": lambda out: labels.member_labels(office_db, out),
        "Namensschilder: Kreisgruppensitzung": lambda out: badges.name_badges(office_db, 1, out),
        "Rückantwort: Kreisgruppensitzung": lambda out: invitations.reply_forms(office_db, 1, out),
    }
    for title, make in made.items():
        out = tmp_path / "doc.pdf"
        make(out)
        meta = _metadata(out)
        assert meta["Title"] == title
        assert meta["Author"] == OFFICE_NAME
        # ReportLab writes the date without the "D:" prefix the PDF spec recommends (see the report).
        assert meta["CreationDate"].removeprefix("D:").startswith(f"{dt.date.today():%Y%m%d}")


def test_documents_from_either_database(db: Database, tmp_path: Path) -> None:
    """The same data read from SQLite and PostgreSQL prints the same: JSON names, times, decimals, order."""
    exchange.import_file(db, FIXTURE)
    _office, meeting = load_meeting(db, 1)
    assert meeting.starts_at == dt.datetime(2020, 2, 12, 13, 0)
    assert [a.title for a in meeting.agenda][:2] == ["Begrüßung", "Aktuelles aus dem Landesverband"]
    out = tmp_path / "liste.pdf"
    attendance_list.attendance_list(db, 1, out, blank_rows=0)
    text = flat("\n".join(pages_text(out)))
    for name in ACCEPTED:
        assert text.count(name) == 1, name
    letters = tmp_path / "briefe.pdf"
    assert invitations.invitation_letters(db, 1, letters) == 26
    assert schedule.year_schedule(db, 2020, tmp_path / "termine.pdf") == 1


def test_letter_without_catering_leaves_the_sentence_out(office_db: Database, tmp_path: Path) -> None:
    from dataclasses import replace

    office, meeting = load_meeting(office_db, 1)
    a = Addressee("Herr", "", "Max", "Muster", "Camsin e. V.", "Marktstraße 1", "99423", "Weimar")
    out = tmp_path / "brief.pdf"
    invitations.render_letters(
        out, office, replace(meeting, catering=""), [invitations.Letter(a, None)], with_reply_form=False
    )
    text = flat(pages_text(out)[0])
    assert "Die Teilnahme ist kostenlos." in text
    assert "Verpflegung: ." not in text


def test_every_generator_reports_progress_and_can_be_cancelled(office_db: Database, tmp_path: Path) -> None:
    makers = [
        lambda p: badges.name_badges(office_db, 1, tmp_path / "a.pdf", progress=p),
        lambda p: schedule.year_schedule(office_db, 2020, tmp_path / "b.pdf", progress=p),
        lambda p: labels.member_labels(office_db, tmp_path / "c.pdf", progress=p),
        lambda p: labels.meeting_labels(office_db, 1, tmp_path / "d.pdf", progress=p),
    ]
    for make in makers:
        calls: list[tuple[int, int]] = []
        make(lambda done, total, calls=calls: calls.append((done, total)) or True)
        assert calls
        assert calls[-1][0] == calls[-1][1]  # the last report says "all done"
        with pytest.raises(Cancelled):
            make(lambda done, total: False)
