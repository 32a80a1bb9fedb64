"""Selection and filters survive (issue 18.5): closing the board, saving and planning keep or show the meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from geschaeftsstelle import meetings
from geschaeftsstelle.store.database import Database
from tests.test_invitations import make_office
from ui.meetings import MeetingsView
from ui.meetings.meeting_dialog import MeetingDialog


def _selected(view: MeetingsView) -> meetings.MeetingRow:
    row = view.overview.selected()
    assert row is not None
    return row


def _view(qtbot: QtBot, db: Database) -> MeetingsView:
    view = MeetingsView(db)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def test_the_meeting_stays_selected_after_the_board_closes(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = make_office(sqlite_db)
    view = _view(qtbot, sqlite_db)
    year = view.overview.year
    year.setFocus()
    qtbot.keyClicks(year, "2030")  # the combo box jumps to the typed year
    assert year.currentData() == 2030
    view.overview.table.setFocus()
    view.overview.select(lambda r: r.id == ids["meeting"])  # (the Termine list has no search field)
    assert _selected(view).id == ids["meeting"]

    def close_board() -> None:
        board = QApplication.activeModalWidget()
        if board is None:
            QTimer.singleShot(10, close_board)
            return
        qtbot.keyClick(board, Qt.Key.Key_Escape)

    QTimer.singleShot(0, close_board)
    qtbot.keyClick(view.overview.table, Qt.Key.Key_Return)  # Enter opens the board
    assert _selected(view).id == ids["meeting"]
    assert year.currentData() == 2030


def test_a_new_meeting_in_another_year_is_selected_and_shown(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_office(sqlite_db)
    view = _view(qtbot, sqlite_db)
    assert view.overview.year.currentData() == dt.date.today().year

    def save_in_2031(_cls: object, db: Database, data: meetings.MeetingInput, _parent: object) -> tuple[int, bool]:
        data.title = "Klausurtag"
        data.starts_at = dt.datetime(2031, 5, 6, 10)
        data.ends_at = dt.datetime(2031, 5, 6, 16)
        return meetings.save_meeting(db, data), True

    monkeypatch.setattr(MeetingDialog, "edit", classmethod(save_in_2031))
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    qtbot.keyClick(view.overview.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert _selected(view).title == "Klausurtag"
    assert view.overview.year.currentData() == 2031


def test_all_years_stays_chosen_after_saving(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = make_office(sqlite_db)
    view = _view(qtbot, sqlite_db)
    view.overview.year.setCurrentIndex(view.overview.year.findData(None))
    view.overview.select(lambda r: r.id == ids["meeting"])
    view.refresh()
    assert view.overview.year.currentData() is None
    assert _selected(view).id == ids["meeting"]


def test_print_without_a_selected_meeting_says_why(qtbot: QtBot, sqlite_db: Database) -> None:
    make_office(sqlite_db)
    view = _view(qtbot, sqlite_db)
    said: list[str] = []
    view.statusMessage.connect(said.append)
    view.overview.table.clearSelection()
    view.document_choices()
    assert any("Termin ausgewählt" in s for s in said)
