"""Real offices' invitations, as a new user would enter them (tests/fixtures/seeds/, written after five
published invitations in our own words): every document prints, every sentence is built from present
facts, tentative and cancelled meetings say so, and a change after sending gets its own letter.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pdfplumber
import pytest

from geschaeftsstelle import calendar_export, exchange, invitations, meetings
from geschaeftsstelle.cli import main
from geschaeftsstelle.documents import attendance_list, badges, labels, schedule
from geschaeftsstelle.documents import invitations as letters
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meeting_notices import notices_due
from geschaeftsstelle.store.database import Database

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.json"))

#: Fragments that only appear when a sentence was glued from an empty field.
BROKEN = (
    "bis zum mit", "bis zum an", "per Fax an oder", "per Fax an –", "per E-Mail an .", "an oder per", "Ort: Ort",
    "Ort: .", "Thema: \n", "Es sprechen: .", "None", "{", "}", "[[", "]]", "||",
    "..", "kostet .", "Verpflegung: .", " ,",
)  # fmt: skip


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def load(db: Database, name: str) -> Database:
    exchange.import_file(db, SEEDS / name)
    return db


def meeting_ids(db: Database) -> list[int]:
    return [m.id for m in meetings.list_meetings(db)]


def assert_grammatical(text: str) -> None:
    joined = flat(text)
    for fragment in BROKEN:
        assert fragment not in text, fragment
        assert fragment not in joined, fragment


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_every_document_of_every_seed_prints(db: Database, seed: Path, tmp_path: Path) -> None:
    exchange.import_file(db, seed)
    for meeting_id in meeting_ids(db):
        out = tmp_path / f"einladung-{meeting_id}.pdf"
        letters.invitation_letters(db, meeting_id, out)
        text = pdf_text(out)
        assert_grammatical(text)
        assert "Rückantwort / Anmeldung" in text
        for make in (attendance_list.attendance_list, badges.name_badges, labels.meeting_labels):
            target = tmp_path / f"{make.__name__}-{meeting_id}.pdf"
            make(db, meeting_id, target)
            assert target.stat().st_size > 1000
        letters.reply_forms(db, meeting_id, tmp_path / f"antwort-{meeting_id}.pdf")
    for year in {m.starts_at.year for m in meetings.list_meetings(db)}:
        schedule.year_schedule(db, year, tmp_path / f"termine-{year}.pdf")
        calendar_export.export_year(db, year, tmp_path / f"termine-{year}.ics")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_every_seed_prints_from_the_command_line(sqlite_db: Database, seed: Path, tmp_path: Path) -> None:
    exchange.import_file(sqlite_db, seed)
    ids = meeting_ids(sqlite_db)
    year = meetings.list_meetings(sqlite_db)[0].starts_at.year
    path = sqlite_db.describe()
    sqlite_db.dispose()
    for meeting_id in ids:
        for kind in ("invitations", "reply-form", "attendance", "labels", "badges"):
            out = tmp_path / f"{kind}-{meeting_id}.pdf"
            assert main(["--db", path, "print", kind, "--meeting", str(meeting_id), "--out", str(out)]) == 0
            assert out.exists()
            assert not out.with_name(out.name + ".tmp").exists()
    assert main(["--db", path, "print", "schedule", "--year", str(year), "--out", str(tmp_path / "s.pdf")]) == 0


def test_lag_letter_collegial_two_signatories_programme_as_written(db: Database, tmp_path: Path) -> None:
    load(db, "002_lag_treffen.json")
    out = tmp_path / "lag.pdf"
    letters.invitation_letters(db, 1, out, with_reply_form=False)
    text = pdf_text(out)
    joined = flat(text)
    assert_grammatical(text)
    assert "Länderübergreifendes LAG-Treffen am 9. Juni in Leipzig" in joined  # own subject
    assert "07.05.2015" in joined  # the letter date, not today
    greetings = ("Liebe Frau Stadtmann,", "Lieber Herr Lummer,", "Hallo Kim Ahrens,", "Liebe Kolleginnen und Kollegen,")
    for greeting in greetings:
        assert greeting in joined, greeting
    assert "Herzliche Grüße" in joined
    assert "Mit freundlichen Grüßen" not in joined
    for part in ("Andreas Mehlich", "ThASG e. V.", "Uwe Lummer", "LAGFA e. V."):
        assert part in joined, part
    assert "10:00–11:00 Uhr TOP 1: Begrüßung und kurze Vorstellung" in joined
    assert "TOP 2: Erfahrungsaustausch" in joined
    assert "13:00–14:00 Uhr Mittagspause" in joined
    assert "TOP 3: Plenum" in joined  # pause and programme point are not numbered
    assert "TOP 4" not in joined
    assert "TOP 5" not in joined
    assert "Wegbeschreibung: https://villa.example/wegbeschreibung" in joined
    assert "barrierefrei" in joined
    assert "Bitte melden Sie sich bis zum 29.05.2015 an – per E-Mail an info@thasg.example." in joined
    # The whole 550-character description is there, in every one of the four letters.
    description = json.loads((SEEDS / "002_lag_treffen.json").read_text("utf-8"))["meetings"][0]["description"]
    assert len(description) > 500
    assert joined.count(flat(description)) == 4
    # The closing never stands alone: the line before "Herzliche Grüße" is on the same page.
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            page_text = page.extract_text() or ""
            if "Herzliche Grüße" in page_text:
                before = page_text.split("Herzliche Grüße")[0]
                assert "Wir freuen uns auf Ihr Kommen" in before


def test_return_line_keeps_street_postcode_and_town(db: Database, tmp_path: Path) -> None:
    load(db, "002_lag_treffen.json")  # a 79-character office name: the short name stands in
    out = tmp_path / "lag.pdf"
    letters.invitation_letters(db, 1, out, with_reply_form=False)
    with pdfplumber.open(out) as pdf:
        lines = (pdf.pages[0].extract_text() or "").splitlines()
    line = next(line for line in lines if line.startswith("ThASG"))
    assert line.startswith("ThASG e. V. · Anna-Siemsen-Straße 49 · 07745 Jena")
    assert "…" not in line


def test_tentative_meeting_says_so_everywhere(db: Database, tmp_path: Path) -> None:
    load(db, "000_kreisgruppe.json")
    festival = next(m for m in meetings.list_meetings(db) if m.status == "tentative")
    out = tmp_path / "fest.pdf"
    letters.invitation_letters(db, festival.id, out)
    joined = flat(pdf_text(out))
    assert "am 10.06.2020 (unter Vorbehalt)" in joined  # subject
    assert "Der Termin steht noch unter Vorbehalt" in joined  # text
    assert "Sommerfest der Kreisgruppe mit Ehrenamtsauszeichnung (unter Vorbehalt)" in joined  # reply form
    schedule.year_schedule(db, 2020, tmp_path / "termine.pdf")
    assert "unter Vorbehalt" in flat(pdf_text(tmp_path / "termine.pdf"))
    calendar_export.export_meeting(db, festival.id, tmp_path / "fest.ics")
    assert "STATUS:TENTATIVE" in (tmp_path / "fest.ics").read_text()


def test_meeting_without_venue_and_deadline_reads_well(db: Database, tmp_path: Path) -> None:
    load(db, "000_kreisgruppe.json")
    december = meetings.list_meetings(db)[-1]
    assert december.venue_id is None
    out = tmp_path / "dez.pdf"
    letters.invitation_letters(db, december.id, out)
    joined = flat(pdf_text(out))
    assert "Der Ort wird noch bekannt gegeben." in joined
    assert "Ort:" not in joined.split("Rückantwort")[0]
    assert "Bitte melden Sie sich mit dem beiliegenden Antwortformular an – per E-Mail an" in joined
    assert "per Fax" not in joined  # the office has no fax number
    assert_grammatical(pdf_text(out))


def _send_all(db: Database, meeting_id: int) -> None:
    board = invitations.load_board(db, meeting_id)
    invitations.record_sent(db, {r.id: r.version for r in board.rows}, dt.date(2020, 1, 10), "post")


def test_cancelled_meeting_refuses_invitations_and_gets_a_cancellation(db: Database, tmp_path: Path) -> None:
    load(db, "000_kreisgruppe.json")
    first = meetings.list_meetings(db)[0]
    _send_all(db, first.id)
    meeting = meetings.get_meeting(db, first.id)
    data = meetings.meeting_input(meeting)
    data.status = "cancelled"
    meetings.save_meeting(db, data)
    due = notices_due(db, first.id)
    assert due.cancelled
    assert due.sent == 5
    with pytest.raises(UserError, match="ist abgesagt"):
        letters.invitation_letters(db, first.id, tmp_path / "x.pdf")
    out = tmp_path / "absage.pdf"
    pages = letters.cancellation_letters(db, first.id, out)
    text = pdf_text(out)
    joined = flat(text)
    assert pages == 5
    assert joined.count("Absage: Kreisgruppensitzung am 12.02.2020") == 5
    assert "leider müssen wir die Veranstaltung „Kreisgruppensitzung“ am Mittwoch, 12. Februar 2020" in joined
    assert "Rückantwort" not in joined
    assert_grammatical(text)
    calendar_export.export_meeting(db, first.id, tmp_path / "x.ics")
    ics = (tmp_path / "x.ics").read_text()
    assert "STATUS:CANCELLED" in ics
    assert "SEQUENCE:1" in ics


def test_change_after_sending_gets_a_change_letter_with_old_and_new(db: Database, tmp_path: Path) -> None:
    load(db, "000_kreisgruppe.json")
    first = meetings.list_meetings(db)[0]
    with pytest.raises(UserError, match="nicht geändert"):
        letters.change_letters(db, first.id, tmp_path / "x.pdf")
    _send_all(db, first.id)
    data = meetings.meeting_input(meetings.get_meeting(db, first.id))
    data.starts_at, data.ends_at = dt.datetime(2020, 2, 19, 14), dt.datetime(2020, 2, 19, 17)
    data.venue_id = 2
    meetings.save_meeting(db, data)
    due = notices_due(db, first.id)
    assert [c.label for c in due.changes] == ["Datum", "Uhrzeit", "Ort"]
    out = tmp_path / "aenderung.pdf"
    letters.change_letters(db, first.id, out)
    text = pdf_text(out)
    joined = flat(text)
    assert_grammatical(text)
    assert "Terminänderung: Kreisgruppensitzung" in joined
    assert "Datum: neu Mittwoch, 19. Februar 2020 (bisher Mittwoch, 12. Februar 2020)" in joined
    assert "Uhrzeit: neu 14:00 bis 17:00 Uhr (bisher 13:00 bis 16:00 Uhr)" in joined
    assert re.search(r"Ort: neu Schloss Tonndorf, Schlossweg 1, 99438 Tonndorf \(bisher Frauenzentrum Erfurt", joined)
    calendar_export.export_meeting(db, first.id, tmp_path / "x.ics")
    assert "SEQUENCE:1" in (tmp_path / "x.ics").read_text()


def test_no_way_to_reply_leaves_out_the_sentence_and_warns_once(db: Database, tmp_path: Path) -> None:
    load(db, "004_programm.json")
    from geschaeftsstelle import office as office_service

    o = office_service.get_office(db)
    no_address = office_service.OfficeInput(name=o.name, street="", postal_code="", city="", version=o.version)
    office_service.save_office(db, no_address)
    warnings: list[str] = []
    out = tmp_path / "x.pdf"
    letters.invitation_letters(db, 1, out, with_reply_form=False, warn=warnings.append)
    assert len(warnings) == 1
    assert "keinen Weg für die Rückmeldung" in warnings[0]
    joined = flat(pdf_text(out))
    assert "Bitte melden Sie sich" not in joined
    assert "Eingang über den Hof, Aufzug vorhanden" in joined  # venue notes the meeting asked to print
    assert_grammatical(pdf_text(out))
