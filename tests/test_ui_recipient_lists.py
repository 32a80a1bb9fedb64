"""The window's side of issue 16 parts 6 and 8: the recipient lists one click from the meeting, the founding
date in the member dialog, the anniversaries dialog reached from the members page (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from geschaeftsstelle import members
from geschaeftsstelle.store.database import Database
from tests.gui_helpers import preview_answered
from tests.test_recipient_lists import build
from ui.anniversaries_dialog import AnniversariesDialog
from ui.app import make_application
from ui.documents_menu import DocumentDialog, meeting_documents, member_documents
from ui.member_dialog import MemberDialog
from ui.members_view import MembersView

pytestmark = pytest.mark.gui


def test_meeting_offers_a_list_for_every_recipient(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    make_application()
    meeting_id = build(db)
    choices = meeting_documents(meeting_id, "Klausur", 2027)
    dialog = DocumentDialog(choices)
    qtbot.addWidget(dialog)
    labels = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    expected = {
        "Liste für die Verpflegung (ohne Namen)": "vegetarisch 2",
        "Liste für den Veranstaltungsort (Personen, Assistenz)": "Rollstuhlplatz",
        "Programm für die Mitwirkenden": "Vortrag Inklusion",
        "Teilnahmenachweis (Teilnehmerliste mit Summen und Bestätigung)": "Bestätigung des Veranstalters",
    }
    for label, text in expected.items():
        assert label in labels
        dialog.kind.setCurrentIndex(labels.index(label))
        choice = dialog.choice()
        out = tmp_path / choice.file_name
        choice.make(db, out, dialog.options(), lambda _done, _total: True)
        with pdfplumber.open(out) as pdf:
            assert text in "\n".join(p.extract_text() or "" for p in pdf.pages)
    dialog.kind.setCurrentIndex(labels.index("Teilnahmenachweis (Teilnehmerliste mit Summen und Bestätigung)"))
    assert not dialog.blank_rows.isHidden()  # the sign-in sheet takes blank rows like the attendance list


def test_member_dialog_keeps_a_founding_date_before_1900(qtbot: QtBot, db: Database) -> None:
    make_application()
    dialog = MemberDialog(db)
    qtbot.addWidget(dialog)
    dialog.name.setText("Turnverein 1848")
    dialog.founded_on.setDate(QDate(1848, 3, 18))
    dialog.save_button.click()
    (row,) = members.list_members(db)
    assert members.get_member(db, row.id).founded_on == dt.date(1848, 3, 18)
    again = MemberDialog(db, row.id)
    qtbot.addWidget(again)
    assert again.founded_on.value() == dt.date(1848, 3, 18)
    again.founded_on.set_value(None)
    assert again.founded_on.value() is None
    assert again.founded_on.text() == ""  # an empty optional date is an empty field with its typing hint
    assert again.founded_on.placeholderText().startswith("TT.MM.JJJJ")


def test_a_founding_date_in_the_future_is_shown_beside_its_field(qtbot: QtBot, db: Database) -> None:
    make_application()
    dialog = MemberDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Zukunft e. V.")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    dialog.founded_on.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    dialog.save_button.click()
    assert members.list_members(db) == []
    assert dialog.form.errors["founded_on"].text() == "Das Gründungsdatum liegt in der Zukunft."


def test_anniversaries_dialog_from_the_members_page(qtbot: QtBot, db: Database) -> None:
    make_application()
    members.save_member(db, members.MemberInput(name="Caritas", city="Erfurt", founded_on=dt.date(1877, 1, 15)))
    members.save_member(db, members.MemberInput(name="AWO", founded_on=dt.date(2001, 5, 1)))
    view = MembersView(db)
    qtbot.addWidget(view)
    assert any(b.text() == "&Jubiläen …" for b in view.findChildren(QPushButton))
    dialog = AnniversariesDialog(db, view, year=2027)
    qtbot.addWidget(dialog)
    assert [(a.name, a.years) for a in dialog.rows()] == [("Caritas", 150)]
    assert dialog.model.data(dialog.model.index(0, 3)) == "150 Jahre"
    dialog.year.setValue(2026)
    assert [(a.name, a.years) for a in dialog.rows()] == [("AWO", 25)]
    dialog.year.setValue(2030)
    assert dialog.rows() == []
    assert "kein Mitglied ein rundes Jubiläum" in dialog.summary.text()
    with preview_answered(lambda _preview: None):
        dialog.make_pdf()
    labels = [c.label for c in member_documents()]
    assert f"Jubiläen der Mitglieder {dt.date.today().year}" in labels
