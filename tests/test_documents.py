"""Documents read back from the PDF: text, positions, fonts, escaping, page flow."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.lib.units import mm

from geschaeftsstelle import exchange
from geschaeftsstelle.documents import attendance_list, badges, invitations, labels, schedule
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.page import Cancelled
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database

FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"
HOSTILE_ORG = "Kinder <Zukunft> & Familie e. V."


def office_data(**changes: Any) -> dict[str, Any]:
    data = json.loads(FIXTURE.read_text("utf-8"))
    data["contacts"] += [
        {"id": "c20", "member": None, "salutation": "", "first_name": "", "last_name": "",
         "organisation": "Landratsamt Weimarer Land", "street": "Bahnhofstraße 28", "postal_code": "99510",
         "city": "Apolda"},
        {"id": "c21", "member": None, "salutation": "Frau", "first_name": "Zofia", "last_name": "Wójcik-Łęcka",
         "organisation": "<img src=\"/etc/passwd\"> <font size=80>Gross</font>", "street": "ul. Długa 5",
         "postal_code": "80-831", "city": "Gdańsk", "country": "Polen"},
    ]  # fmt: skip
    inv = data["meetings"][0]["invitations"]
    for ref in ("c3", "c5", "c6", "c7", "c20", "c21"):
        inv.append({"contact": ref, "response": "accepted", "persons": 1})
    for key, value in changes.items():
        data[key] = value
    return data


@pytest.fixture
def office_db(sqlite_db: Database) -> Database:
    exchange.import_office(sqlite_db, office_data())
    return sqlite_db


def words(pdf_path: Path, page: int = 0) -> list[dict[str, Any]]:
    with pdfplumber.open(pdf_path) as pdf:
        return pdf.pages[page].extract_words(keep_blank_chars=True, use_text_flow=True)


def page_texts(pdf_path: Path) -> list[str]:
    with pdfplumber.open(pdf_path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def test_letters_address_field_salutations_and_content(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "einladungen.pdf"
    invitations.invitation_letters(office_db, 1, out)
    texts = page_texts(out)
    letters = [t for t in texts if "Einladung: Kreisgruppensitzung am 12.02.2020" in t]
    assert len(letters) == 9  # every invitee with an address record
    greetings = {line for t in letters for line in t.splitlines() if line.startswith(("Sehr geehrte", "Guten Tag"))}
    assert {
        "Sehr geehrte Frau Dr. Beispiel,",
        "Sehr geehrter Herr Wiśniewski,",
        "Sehr geehrter Herr Prof. Dr. Löcherbach,",
        "Guten Tag Kim Muster,",
        "Sehr geehrte Damen und Herren,",
        "Sehr geehrte Frau Wójcik-Łęcka,",
    } <= greetings
    first = letters[0]
    assert "TOP 1: Begrüßung" in first
    assert "TOP 2: Aktuelles aus dem Landesverband" in first
    assert "Bitte melden Sie sich bis zum 05.02.2020 mit dem beiliegenden Antwortformular an" in " ".join(first.split())
    assert "Rückantwort / Anmeldung" in "".join(texts)
    assert "Mit freundlichen Grüßen" in "".join(texts)
    assert "DE82 8305 3030 0018 0092 20" in first  # footer with IBAN


def test_address_lines_lie_inside_the_envelope_window(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "einladungen.pdf"
    invitations.invitation_letters(office_db, 1, out, with_reply_form=False)
    window = (20 * mm, 45 * mm, 105 * mm, 90 * mm)  # x0, top, x1, bottom in points from the top left
    with pdfplumber.open(out) as pdf:
        checked = 0
        for page in pdf.pages:
            text = page.extract_text() or ""
            if "Einladung:" not in text:
                continue
            for word in page.extract_words():
                if word["text"] in ("Camsin", "Apolda", "Gdańsk", "POLEN", "Landratsamt"):
                    assert window[0] <= word["x0"], word
                    assert word["x1"] <= window[2], word
                    assert window[1] <= word["top"], word
                    assert word["bottom"] <= window[3], word
                    checked += 1
    assert checked >= 5


def test_markup_in_names_prints_literally(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "einladungen.pdf"
    invitations.invitation_letters(office_db, 1, out)
    text = "".join(page_texts(out))
    assert HOSTILE_ORG in text
    assert '<img src="/etc/passwd"> <font size=80>Gross</font>' in text


def test_unicode_names_extract_exactly(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "liste.pdf"
    attendance_list.attendance_list(office_db, 1, out)
    text = "".join(page_texts(out))
    for name in ("Jörg Schäfer", "Nguyễn Thị Minh", "Ελένη Παπαδοπούλου", "Иван Петров", "Zofia Wójcik-Łęcka"):
        assert name in text, name


def test_fonts_embedded_and_metadata(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "einladungen.pdf"
    invitations.invitation_letters(office_db, 1, out)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    assert all(" yes " in line for line in fonts), fonts
    assert not any("Helvetica" in line for line in fonts)
    with pdfplumber.open(out) as pdf:
        assert pdf.metadata["Title"] == "Einladung: Kreisgruppensitzung am 12.02.2020"
        assert pdf.metadata["Author"] == "Paritätische Kreisgruppe Weimar/Weimarer Land"
    assert subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stderr == ""


def test_long_organisation_name_stays_inside_the_window(tmp_path: Path, office_db: Database) -> None:
    from geschaeftsstelle.documents.meeting_data import load_meeting

    office, meeting = load_meeting(office_db, 1)
    long_name = "Arbeitsgemeinschaft " * 15  # 300 characters
    a = Addressee("Frau", "", "Anna", "Lang", long_name.strip(), "Marktstraße 1", "99423", "Weimar")
    out = tmp_path / "lang.pdf"
    invitations.render_letters(out, office, meeting, [invitations.Letter(a, None)], with_reply_form=False)
    address = [w for w in words(out) if 62 * mm < w["top"] < 92 * mm and w["x0"] < 105 * mm]
    assert any("Arbeitsgemeinschaft" in w["text"] for w in address)
    for word in address:
        assert word["x1"] <= 105 * mm, word
        assert word["bottom"] <= 90 * mm, word


def test_forty_programme_items_flow_to_a_numbered_second_page(office_db: Database, tmp_path: Path) -> None:
    from dataclasses import replace

    from geschaeftsstelle.documents.meeting_data import AgendaLine, load_meeting

    office, meeting = load_meeting(office_db, 1)
    meeting = replace(meeting, agenda=tuple(AgendaLine(None, f"Punkt Nummer {i}", None) for i in range(1, 41)))
    a = Addressee("Herr", "", "Max", "Muster", "Camsin e. V.", "Marktstraße 1", "99423", "Weimar")
    out = tmp_path / "lang.pdf"
    pages = invitations.render_letters(out, office, meeting, [invitations.Letter(a, None)], with_reply_form=False)
    assert pages >= 2
    texts = page_texts(out)
    assert "Seite 2" in texts[1]
    joined = "\n".join(texts)
    for i in range(1, 41):
        assert f"TOP {i}: Punkt Nummer {i}" in joined
    assert "Mit freundlichen Grüßen" in texts[-1]


def test_selection_unsent_and_open(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "offen.pdf"
    invitations.invitation_letters(office_db, 1, out, selection="open", with_reply_form=False)
    text = "".join(page_texts(out))
    assert "Löcherbach" in text
    assert "Sehr geehrte Frau Dr. Beispiel" not in text
    with pytest.raises(UserError, match="keine Empfänger"):
        invitations.invitation_letters(office_db, 2, tmp_path / "leer.pdf")


def test_template_placeholders(office_db: Database, tmp_path: Path) -> None:
    template = (
        "Liebe Mitglieder, am {datum_lang} um {uhrzeit} in {ort}.\n\n"
        "Nur wenn gesetzt: {referenten}\n\n{mitglieder_hinweis}"
    )
    out = tmp_path / "vorlage.pdf"
    invitations.invitation_letters(office_db, 1, out, template=template, with_reply_form=False)
    text = " ".join(page_texts(out)[0].split())
    assert "Liebe Mitglieder, am Mittwoch, 12. Februar 2020 um 13:00 bis 16:00 Uhr in Gutshof Stötteritz" in text
    assert "Nur wenn gesetzt: Prof. Dr. Peter Löcherbach" in text
    assert "ausschließlich an Personen aus unseren Mitgliedsorganisationen" in text
    with pytest.raises(UserError, match=r"Zeile 1: Den Platzhalter \{uhrzeitt\} gibt es nicht"):
        invitations.invitation_letters(office_db, 1, tmp_path / "falsch.pdf", template="Um {uhrzeitt}")
    assert not (tmp_path / "falsch.pdf").exists()


def test_attendance_list_rows_header_and_pages(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "liste.pdf"
    pages = attendance_list.attendance_list(office_db, 1, out, blank_rows=40, with_assistance=True)
    texts = page_texts(out)
    assert pages == len(texts) == 3
    for i, t in enumerate(texts, start=1):
        assert "Unterschrift" in t  # the header row repeats
        assert f"Seite {i} von {pages}" in t
    joined = "\n".join(texts)
    # Anna's reply names two persons: each on a row of their own, once.
    assert joined.count("Anna Beispiel") == 1
    assert joined.count("Jörg Schäfer") == 1
    assert "Rollstuhl" in joined
    assert "Łukasz" not in joined  # declined


def test_attendance_list_refuses_silly_blank_rows(office_db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Leerzeilen"):
        attendance_list.attendance_list(office_db, 1, tmp_path / "x.pdf", blank_rows=100_000)


def test_year_schedule(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "termine.pdf"
    schedule.year_schedule(office_db, 2020, out)
    text = "".join(page_texts(out))
    assert "Sitzungstermine 2020" in text
    assert "Mi., 12.02.2020" in text
    assert "Ort wird noch festgelegt" in text  # the summer festival has no venue yet
    assert "(unter Vorbehalt)" in text
    assert "mit Prof. Dr. Peter Löcherbach" in text


@pytest.mark.parametrize(("sheet", "start"), [("3474", 1), ("3474", 5), ("L7163", 3)])
def test_labels_land_in_their_cells(office_db: Database, tmp_path: Path, sheet: str, start: int) -> None:
    out = tmp_path / "etiketten.pdf"
    labels.meeting_labels(office_db, 1, out, sheet_type=sheet, start=start)
    spec = labels.SHEETS[sheet]
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        page_h = float(page.height)
        found = []
        for word in page.extract_words():
            found.append(word)
    # Every word lies inside one label cell, and the first address starts in cell `start`.
    cells = []
    for i in range(spec.per_sheet):
        x, y = spec.cell(i)
        cells.append((x, page_h - y - spec.height, x + spec.width, page_h - y))
    used = set()
    for w in found:
        inside = [i for i, (x0, top, x1, bottom) in enumerate(cells)
                  if x0 <= w["x0"] and w["x1"] <= x1 and top <= w["top"] and w["bottom"] <= bottom]  # fmt: skip
        assert inside, w
        used.add(inside[0])
    assert min(used) == start - 1


def test_member_labels_and_bad_start(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "mitglieder.pdf"
    labels.member_labels(office_db, out)
    text = "".join(page_texts(out))
    assert "Camsin e. V." in text
    assert "Lebenshilfe" not in text  # a former member
    with pytest.raises(UserError, match="Startposition"):
        labels.member_labels(office_db, out, start=25)


def test_badges_eight_per_page(office_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "schilder.pdf"
    pages = badges.name_badges(office_db, 1, out)
    texts = page_texts(out)
    assert pages == len(texts) == 1  # exactly eight accepted persons fill one sheet
    for name in ("Anna Beispiel", "Jörg Schäfer", "Kim Muster", "Zofia Wójcik-Łęcka", "Иван Петров"):
        assert name in texts[0]
    assert texts[0].count("Camsin e. V.") == 2
    with pdfplumber.open(out) as pdf:
        names = [w for w in pdf.pages[0].extract_words() if w["text"] == "Schäfer"]
        assert names[0]["bottom"] - names[0]["top"] > 15  # large type


def test_generation_can_be_cancelled(office_db: Database, tmp_path: Path) -> None:
    calls = []

    def stop_after_two(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 2

    with pytest.raises(Cancelled):
        invitations.invitation_letters(office_db, 1, tmp_path / "x.pdf", progress=stop_after_two)
    assert calls[-1] == (2, 9)
