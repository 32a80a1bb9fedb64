"""The RSVP board's waiting list and the members-only confirmation, driven by keyboard and buttons on SQLite
and PostgreSQL: places left and positions shown, a decline moves the first waiting up, the letters and
e-mail drafts written for them; a former member is invited only after the confirmation that names her."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting, Office, Response
from tests.test_invitations import make_office
from ui.contact_dialog import ContactDialog
from ui.meetings.board import RsvpBoard
from ui.meetings.board_model import COL_MEMBERSHIP, COL_RESPONSE


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: messages.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: messages.append(text))
    return messages


def _cell(board: RsvpBoard, name: str, column: int) -> str:
    for i in range(board.model.rowCount()):
        if board.model.row_at(i).name == name:
            return str(board.model.data(board.model.index(i, column)))
    raise AssertionError(name)


def _select(board: RsvpBoard, text: str) -> None:
    board.search.clear()
    QTest.keyClicks(board.search, text)
    QTest.keyClick(board.search, Qt.Key.Key_Return)
    assert board.table.hasFocus()


def test_the_board_shows_places_left_and_the_waiting_list_and_writes_the_letters(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[str]
) -> None:
    ids = make_office(db, capacity=1)
    with db.transaction() as s:
        s.add(Office(id=1, name="Kreisgruppe", street="Markt 1", postal_code="99423", city="Weimar"))
    inv.invite_contacts(db, ids["meeting"], [ids["anna"], ids["bernd"], ids["carla"]])
    board = RsvpBoard(db, ids["meeting"])
    qtbot.addWidget(board)
    board.show()
    board.activateWindow()
    qtbot.waitUntil(board.isActiveWindow)
    assert "1 Platz frei" in board.figures.text()
    assert board.table.isColumnHidden(COL_MEMBERSHIP)  # not a members-only meeting

    for name in ("apel", "bauer", "christ"):  # three acceptances by phone, one place
        _select(board, name)
        QTest.keyClick(board.table, Qt.Key.Key_Z)
    assert "0 Plätze frei · 2 auf der Warteliste" in board.figures.text()
    assert _cell(board, "Bernd Bauer", COL_RESPONSE) == "Warteliste (Platz 1)"
    assert _cell(board, "Carla Christ", COL_RESPONSE) == "Warteliste (Platz 2)"
    assert board.waiting.text() == "Warteliste: 1. Bernd Bauer (1 Pers.) · 2. Carla Christ (1 Pers.)"
    assert "Auf die Warteliste gesetzt: Bernd Bauer, Carla Christ" in board.letters_due.text()

    _select(board, "apel")
    QTest.keyClick(board.table, Qt.Key.Key_A)  # Anna declines: Bernd moves up
    assert _cell(board, "Bernd Bauer", COL_RESPONSE) == "Zusage (nachgerückt)"
    assert _cell(board, "Carla Christ", COL_RESPONSE) == "Warteliste (Platz 1)"
    assert "Nachgerückt: Bernd Bauer – Brief „Platz frei“ fällig." in board.letters_due.text()
    assert "Auf die Warteliste gesetzt: Carla Christ" in board.letters_due.text()

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    board.waiting_list_letters()
    assert "Geschrieben in" in shown[-1]
    assert (tmp_path / next(p.name for p in tmp_path.glob("Platz-frei-*.pdf"))).stat().st_size > 1000
    assert list(tmp_path.glob("Warteliste-*.pdf"))
    drafts = sorted(tmp_path.glob("*.eml"))
    assert len(drafts) == 2
    tos = {email.message_from_bytes(p.read_bytes(), policy=default)["To"] for p in drafts}
    assert tos == {"Bernd Bauer <bernd@example.org>", "Carla Christ <carla@example.org>"}
    assert not board.letters_due.isVisible()

    with db.transaction() as s:  # the room grows: the free place goes to Carla
        s.execute(update(Meeting).where(Meeting.id == ids["meeting"]).values(capacity=2))
    board.reload()
    board.fill_free_places()
    assert _cell(board, "Carla Christ", COL_RESPONSE) == "Zusage (nachgerückt)"
    assert "0 Plätze frei" in board.figures.text()
    assert not board.waiting.isVisible()
    rows = {r.name: r.response for r in inv.load_board(db, ids["meeting"]).rows}
    assert rows == {"Anna Apel": "declined", "Bernd Bauer": "accepted", "Carla Christ": "accepted"}


def test_a_non_member_is_invited_only_after_the_confirmation(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, shown: list[str]
) -> None:
    ids = make_office(db)
    with db.transaction() as s:
        s.execute(update(Meeting).where(Meeting.id == ids["meeting"]).values(members_only=True))
    board = RsvpBoard(db, ids["meeting"])
    qtbot.addWidget(board)
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def answer(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)

    board.invite_speakers()  # Sina Sprecher is no member: asked, and "Nein"
    assert "ist nur für Mitglieder. Trotzdem einladen?" in asked[-1]
    assert "Sina Sprecher (kein Mitglied)" in asked[-1]
    assert board.model.rowCount() == 0
    board.invite_speakers()  # asked again, "Ja"
    assert board.model.rowCount() == 1
    assert "1 eingeladen." in shown[-1]
    assert not board.table.isColumnHidden(COL_MEMBERSHIP)
    assert _cell(board, "Sina Sprecher", COL_MEMBERSHIP) == "kein Mitglied"
    board.invite_members()  # members need no confirmation
    assert len(asked) == 2
    assert _cell(board, "Anna Apel", COL_MEMBERSHIP) == ""
    assert {r.response for r in inv.load_board(db, ids["meeting"]).rows} == {Response.OPEN.value}


def test_the_contact_dialog_keeps_the_standing_diet(qtbot: QtBot, db: Database) -> None:
    ids = make_office(db)
    dialog = ContactDialog(db, ids["anna"])
    qtbot.addWidget(dialog)
    dialog.needs.setText("Rollstuhlplatz")
    dialog.diet.setText("vegetarisch")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    inv.invite_contacts(db, ids["meeting"], [ids["anna"]])
    anna = inv.load_board(db, ids["meeting"]).rows[0]
    assert (anna.assistance, anna.diet) == ("Rollstuhlplatz", "vegetarisch")
    again = ContactDialog(db, ids["anna"])
    qtbot.addWidget(again)
    assert again.diet.text() == "vegetarisch"
