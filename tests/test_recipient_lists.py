"""A list for every recipient (issue 16 part 6): catering, venue, speakers and the sign-in sheet, read back
from the PDF (text and positions), on the command line, and as properties over drawn scenarios."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import given
from reportlab.lib.units import mm

from geschaeftsstelle import invitations, meetings, members, office
from geschaeftsstelle.cli import main
from geschaeftsstelle.documents import attendance_list, page, recipient_lists
from geschaeftsstelle.store.database import Database
from tests import document_strategies as ds
from tests.test_documents_properties import (
    PAGE_H,
    PAGE_W,
    PROPERTY,
    Stored,
    assert_appears,
    assert_on_sheet,
    flow,
    note_shape,
    read_pdf,
    store,
)


def words(path: Path) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_words() for p in pdf.pages]


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def build(db: Database) -> int:
    """A two-day seminar: three organisations, diets, needs, a tentative, a declined and a waiting-like open
    reply; a programme with presenters and two speakers."""
    office.save_office(db, office.OfficeInput(
        name="Kreisgruppe Weimar", street="Marktstraße 1", postal_code="99423", city="Weimar", phone="03643 1234",
        email="info@kreisgruppe.example", signatory="Anna Leiterin", signatory_role="Geschäftsführerin",
        version=office.get_office(db).version or None,
    ))  # fmt: skip
    venue = meetings.save_venue(db, meetings.VenueInput(name="Gutshof", street="Oberdorfstraße 15", postal_code="04599",
                                                        city="Leipzig", accessible=True))  # fmt: skip
    speaker = members.save_contact(db, members.ContactInput(first_name="Rita", last_name="Rednerin"))
    meeting_id = meetings.save_meeting(db, meetings.MeetingInput(
        title="Klausur <b>& Planung</b>", starts_at=dt.datetime(2027, 5, 7, 10), ends_at=dt.datetime(2027, 5, 8, 15),
        venue_id=venue, catering="Mittags Buffet, nachmittags Kuchen", capacity=40, speaker_ids=[speaker],
        registration_contact="Bernd Büro, 03643 5678",
        agenda=[meetings.AgendaItemInput("Begrüßung", dt.time(10), "Anna Leiterin", dt.time(10, 30)),
                meetings.AgendaItemInput("Vortrag Inklusion", dt.time(10, 30), "Rita Rednerin", dt.time(12))],
    ))  # fmt: skip
    people = [
        ("Lebenshilfe", "Ida", "Iltis", invitations.ReplyInput("accepted", 3, ["Ida Iltis", "Jan Jäger"],
                                                               "Rollstuhlplatz", "2x vegetarisch")),
        ("Lebenshilfe", "Karl", "Kranich", invitations.ReplyInput("accepted", 1, [], "", "vegan")),
        ("Caritas", "Lea", "Luchs", invitations.ReplyInput("accepted", 2, [], "Gebärdensprachdolmetschung",
                                                           "glutenfrei")),
        ("Caritas", "Max", "Marder", invitations.ReplyInput("tentative", 1, [], "Induktionsschleife", "laktosefrei")),
        ("AWO", "Nina", "Nerz", invitations.ReplyInput("declined", 0)),
        ("AWO", "Otto", "Otter", None),
    ]  # fmt: skip
    contact_ids = []
    member_ids: dict[str, int] = {}
    for organisation, first, last, _reply in people:
        if organisation not in member_ids:
            member_ids[organisation] = members.save_member(db, members.MemberInput(name=organisation))
        contact_ids.append(members.save_contact(db, members.ContactInput(
            first_name=first, last_name=last, member_id=member_ids[organisation])))  # fmt: skip
    invitations.invite_contacts(db, meeting_id, contact_ids)
    rows = {r.contact_id: r for r in invitations.load_board(db, meeting_id).rows}
    for (_o, _f, _l, reply), contact_id in zip(people, contact_ids, strict=True):
        if reply is not None:
            invitations.record_reply(db, rows[contact_id].id, rows[contact_id].version, reply)
    return meeting_id


def test_catering_counts_persons_per_day_and_diets_without_names(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    out = tmp_path / "verpflegung.pdf"
    assert recipient_lists.catering_list(db, meeting_id, out) == 1
    text = text_of(out)
    assert "Verpflegung: Klausur <b>& Planung</b>" in text  # markup printed literally
    assert "Freitag, 7. Mai 2027 6" in text
    assert "Samstag, 8. Mai 2027 6" in text
    assert "vegetarisch 2" in text
    assert "vegan 1" in text
    assert "glutenfrei 2" in text
    assert "ohne besondere Wünsche 1" in text  # 6 - 2 - 1 - 2
    assert "Dazu 1 Person mit Zusage unter Vorbehalt." in text
    assert "laktosefrei" not in text  # the tentative reply's wish is not ordered
    assert "Mittags Buffet, nachmittags Kuchen" in text
    for name in ("Iltis", "Jäger", "Kranich", "Luchs", "Marder", "Lebenshilfe", "Caritas"):
        assert name not in text, name
    assert "Rollstuhl" not in text
    assert "Gebärden" not in text
    # positions: the diet figures stand in the right-hand column, in one line with their wish
    (page,) = words(out)
    vegan = next(w for w in page if w["text"] == "vegan")
    count = next(w for w in page if abs(w["top"] - vegan["top"]) < 2 and w["x0"] > vegan["x1"] + 50)
    assert count["text"] == "1"


def test_venue_lists_persons_needs_and_step_free_places_but_no_diets(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    out = tmp_path / "raum.pdf"
    recipient_lists.venue_list(db, meeting_id, out)
    text = text_of(out)
    assert "Zugesagt haben 6 Personen." in text
    assert "Plätze im Raum: 40." in text
    assert "(etwa für Rollstuhl oder Rollator): 1." in text
    assert "Der Ort ist bei uns als barrierefrei eingetragen." in text
    for need in ("Rollstuhlplatz", "Gebärdensprach", "Induktionsschleife", "(Zusage unter Vorbehalt)"):
        assert need in text, need
    for diet in ("vegetarisch", "vegan", "glutenfrei", "laktosefrei", "Buffet"):
        assert diet not in text, diet


def test_speakers_get_the_programme_and_whom_to_ask(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    out = tmp_path / "mitwirkende.pdf"
    recipient_lists.speakers_list(db, meeting_id, out)
    text = text_of(out)
    for expected in ("10:30–12:00 Uhr Vortrag Inklusion Rita Rednerin", "Begrüßung", "Mitwirkende", "Rita Rednerin",
                     "Anna Leiterin, Geschäftsführerin", "Telefon 03643 1234", "E-Mail info@kreisgruppe.example",
                     "Anmeldung und Rückfragen: Bernd Büro, 03643 5678"):  # fmt: skip
        assert expected in text, expected
    for private in ("Iltis", "vegan", "Rollstuhl"):
        assert private not in text


def test_sign_in_sheet_has_totals_per_organisation_and_a_confirmation(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    board = invitations.load_board(db, meeting_id)
    ida = next(r for r in board.rows if r.name.endswith("Iltis"))
    invitations.check_in(db, ida.id, ida.version, True)
    out = tmp_path / "nachweis.pdf"
    pages = attendance_list.sign_in_sheet(db, meeting_id, out, blank_rows=2)
    text = text_of(out)
    assert f"Seite {pages} von {pages}" in text
    assert "Teilnahme nach Organisation" in text
    assert "Caritas 2 2 0" in text  # invited 2, accepted persons 2 (the tentative one not), none present
    assert "Lebenshilfe 2 4 3" in text  # Ida's three persons present
    assert "AWO 2 0 0" in text
    assert "Insgesamt 6 6 3" in text
    assert "Bestätigung des Veranstalters" in text
    assert "am Freitag, 7. Mai 2027 in Gutshof, Oberdorfstraße 15, 04599 Leipzig stattgefunden hat" in " ".join(
        text.split()
    )
    assert "Ort, Datum" in text
    assert "Unterschrift" in text
    assert "Anna Leiterin, Geschäftsführerin" in text
    # positions: the totals table lies below the last signature row, the confirmation below the totals
    last = words(out)[-1]
    top = {w["text"]: w["top"] for w in last}
    assert top["Insgesamt"] < top["Bestätigung"] < top["Ort,"]
    for i, sheet in enumerate(read_pdf(out)):
        assert_on_sheet(sheet, f"Nachweis, Seite {i + 1}")


def test_sign_in_appendix_begins_a_new_page_when_the_rows_fill_the_last(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    counts = []
    for blank in range(10, 40, 3):  # moves the end of the rows down the page and onto the next
        out = tmp_path / f"n{blank}.pdf"
        pages = attendance_list.sign_in_sheet(db, meeting_id, out, blank_rows=blank)
        texts = [t.replace("\n", " ") for t in (text_of(out),)]
        assert f"Seite {pages} von {pages}" in texts[0]
        assert "Insgesamt 6 6" in texts[0]
        assert "Unterschrift" in texts[0]
        with pdfplumber.open(out) as pdf:
            assert len(pdf.pages) == pages
        counts.append(pages)
    assert counts == sorted(counts)
    assert counts[-1] > counts[0]


def test_nobody_checked_in_leaves_present_for_the_pen(db: Database, tmp_path: Path) -> None:
    meeting_id = build(db)
    out = tmp_path / "nachweis.pdf"
    attendance_list.sign_in_sheet(db, meeting_id, out)
    text = text_of(out)
    assert "Insgesamt 6 6\n" in text
    assert "Anwesende sind noch nicht erfasst" in text


@pytest.mark.parametrize(
    ("kind", "expect", "absent"),
    [
        ("catering", "vegetarisch 2", "Iltis"),
        ("venue", "Rollstuhlplatz", "glutenfrei"),
        ("speakers", "Vortrag Inklusion", "Rollstuhl"),
        ("sign-in", "Bestätigung des Veranstalters", "glutenfrei"),
    ],
)
def test_print_on_the_command_line(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, expect: str,
    absent: str,
) -> None:  # fmt: skip
    meeting_id = build(db)
    out = tmp_path / f"{kind}.pdf"
    assert main(["--db", db_url, "print", kind, "--meeting", str(meeting_id), "--out", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        assert f"geschrieben ({len(pdf.pages)} Seiten)" in capsys.readouterr().out
    text = text_of(out)
    assert expect in text
    assert absent not in text


def test_print_without_a_meeting_or_with_an_unknown_one(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", db_url, "print", "catering", "--out", str(out)]) == 1
    assert "Für „print catering“ fehlt --meeting ID" in capsys.readouterr().err
    assert main(["--db", db_url, "print", "venue", "--meeting", "999", "--out", str(out)]) == 1
    assert "Einen Termin mit der Nummer 999 gibt es nicht." in capsys.readouterr().err
    assert not out.exists()


# --------------------------------------------------------------------------- properties: nothing lost


def _accepted_or_tentative(s: Stored) -> list[invitations.Invitee]:
    return [r for r in s.board.rows if r.response in ("accepted", "tentative")]


def lists_print_everything(db: Database, tmp_path: Path, s: Stored) -> None:
    """Each list prints every value it promises, whole (empty, maximal, markup, scripts), on the sheet."""
    meeting_id = s.meeting.id
    printed = {}
    for kind in recipient_lists.KINDS:
        out = tmp_path / f"{kind}.pdf"
        recipient_lists.recipient_list(db, kind, meeting_id, out)
        pages = read_pdf(out)
        for i, sheet in enumerate(pages):
            assert_on_sheet(sheet, f"{kind}, Seite {i + 1}")
        # between letterhead and footer: a text flowing on to the next page continues there
        printed[kind] = "\n".join(flow(p.within(0, 30 * mm, PAGE_W, PAGE_H - page.FOOTER_H)) for p in pages)
    for kind in recipient_lists.KINDS:
        assert_appears(s.meeting.title, printed[kind], f"{kind}: Titel", hyphenated=True)
        assert_appears(s.venue, printed[kind], f"{kind}: Ort", hyphenated=True)
    assert_appears(s.meeting.catering, printed["catering"], "catering: Hinweise", hyphenated=True)
    figures = recipient_lists.catering_figures(s.board.rows)
    for other in figures.other:
        assert_appears(other.diet, printed["catering"], "catering: Wunsch", hyphenated=True)
    for r in _accepted_or_tentative(s):
        assert_appears(r.assistance, printed["venue"], "venue: Bedarf", hyphenated=True)
        if r.assistance.strip():
            assert_appears(r.name, printed["venue"], "venue: Name", hyphenated=True)
    for a in s.meeting.agenda:
        assert_appears(a.title, printed["speakers"], "speakers: Programmpunkt", hyphenated=True)
        assert_appears(a.presenter, printed["speakers"], "speakers: Wer", hyphenated=True)
    assert_appears(s.meeting.topic, printed["speakers"], "speakers: Thema", hyphenated=True)
    assert_appears(s.meeting.registration_contact, printed["speakers"], "speakers: Kontakt", hyphenated=True)
    # the sign-in sheet: every organisation in the totals, the totals add up, the confirmation is there
    out = tmp_path / "sign-in.pdf"
    total = attendance_list.sign_in_sheet(db, meeting_id, out, blank_rows=1)
    pages = read_pdf(out)
    assert len(pages) == total
    for i, sheet in enumerate(pages):
        assert_on_sheet(sheet, f"sign-in, Seite {i + 1}")
        assert f"Seite {i + 1} von {total}" in sheet.text
    text = "\n".join(p.text for p in pages)
    for row in s.board.rows:
        assert_appears(row.organisation, text, "sign-in: Organisation", hyphenated=True)
    assert "Bestätigung des Veranstalters" in text
    assert "Ort, Datum" in text


def open_to_all(sc: ds.Scenario) -> ds.Scenario:
    """The lists do not read `members_only`; a members-only meeting would refuse the drawn external invitees."""
    return dataclasses.replace(sc, meeting=dataclasses.replace(sc.meeting, members_only=False))


@PROPERTY
@given(sc=ds.scenario())
def test_recipient_lists_lose_no_text(db: Database, tmp_path: Path, sc: ds.Scenario) -> None:
    note_shape(sc)
    lists_print_everything(db, tmp_path, store(db, open_to_all(sc)))


@PROPERTY
@given(sc=ds.scenario(min_people=0))
def test_recipient_lists_with_few_or_no_invitees(db: Database, tmp_path: Path, sc: ds.Scenario) -> None:
    """The lists print on the letterhead, so the office stays within what the letterhead fits (DOOR's wide
    office is a known letterhead limit, see test_documents_properties); invitees may be none at all."""
    note_shape(sc)
    lists_print_everything(db, tmp_path, store(db, open_to_all(sc)))
