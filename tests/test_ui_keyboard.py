"""Keyboard-only work in the window (issue 18): every test types as an office worker would, with keys only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QMessageBox, QPlainTextEdit, QTabBar
from pytestqt.qtbot import QtBot

from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.meetings import MeetingInput
from geschaeftsstelle.store.database import Database
from ui.form_fields import DateInput, DateTimeInput, TimeInput, parse_german_date, parse_german_time

TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.04.2027", dt.date(2027, 4, 15)),
        ("15.4.27", dt.date(2027, 4, 15)),
        ("1504", dt.date(TODAY.year, 4, 15)),
        ("15042027", dt.date(2027, 4, 15)),
        ("150427", dt.date(2027, 4, 15)),
        ("15.4.", dt.date(TODAY.year, 4, 15)),
        ("1.1.85", dt.date(1985, 1, 1)),
        ("2027-04-15", dt.date(2027, 4, 15)),
        ("  ", None),
    ],
)
def test_german_dates_are_understood(typed: str, expected: dt.date | None) -> None:
    assert parse_german_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:00", dt.time(14)), ("14 Uhr", dt.time(14)), ("1400", dt.time(14)), ("9.30", dt.time(9, 30)),
     ("930", dt.time(9, 30)), ("14 Uhr 30", dt.time(14, 30)), ("14:00 Uhr", dt.time(14))],
)  # fmt: skip
def test_german_times_are_understood(typed: str, expected: dt.time) -> None:
    assert parse_german_time(typed) == expected


@pytest.mark.parametrize("typed", ["32.01.2027", "29.02.2027", "15.13.27", "morgen", "12345", "25:00", "14:75"])
def test_wrong_dates_and_times_are_refused_in_german(typed: str) -> None:
    with pytest.raises(ValueError, match=r"TT\.MM\.JJJJ|HH:MM|Kalender"):
        parse_german_date(typed) if "." in typed or not typed.count(":") else parse_german_time(typed)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_shown_reads_back(day: dt.date) -> None:
    assert parse_german_date(f"{day:%d.%m.%Y}") == day
    assert parse_german_date(f"{day.day}.{day.month}.{day.year:04d}") == day
    assert parse_german_date(f"{day:%d%m%Y}") == day


def _type_at_focus(qtbot: QtBot, text: str) -> None:
    """Each key to whichever widget has the focus at that moment, as a keyboard delivers it."""
    for ch in text:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClicks(focused, ch)


def _typed(qtbot: QtBot, widget: DateInput | TimeInput | DateTimeInput, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_an_empty_optional_date_is_filled_by_keys_and_tab_leaves(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    layout = QVBoxLayout(window)
    date = DateInput()
    after = QLineEdit()
    layout.addWidget(date)
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    date.setFocus()
    assert date.value() is None
    _typed(qtbot, date, "1.4.2027")
    assert date.text() == "01.04.2027"
    assert date.value() == dt.date(2027, 4, 1)
    assert after.hasFocus()  # Tab left the date
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(date, Qt.Key.Key_Delete)
    assert date.value() is None  # an optional date may be emptied again
    qtbot.keyClick(date, Qt.Key.Key_Up)
    assert date.value() == TODAY  # ↑ on an empty date is today, not 02.01.1900
    qtbot.keyClick(date, Qt.Key.Key_Up)
    assert date.value() == TODAY + dt.timedelta(days=1)
    date.set_value(None)
    qtbot.keyClick(date, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert date.calendar.isVisible()
    assert date.calendar.selectedDate().toPython() == TODAY  # the calendar opens at today
    qtbot.keyClick(date.calendar.focusWidget() or date.calendar, Qt.Key.Key_Right)
    qtbot.keyClick(date.calendar.focusWidget() or date.calendar, Qt.Key.Key_Return)
    assert date.value() == TODAY + dt.timedelta(days=1)
    assert not date.calendar.isVisible()


def test_a_date_that_is_none_is_named_in_german(qtbot: QtBot) -> None:
    date = DateInput()
    qtbot.addWidget(date)
    qtbot.keyClicks(date, "31.02.2027")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    with pytest.raises(ValidationError, match=r"Den 31\.02\.2027 gibt es nicht im Kalender"):
        date.value()


def _meeting_dialog(db: Database, qtbot: QtBot) -> QDialog:
    from ui.meetings.meeting_dialog import MeetingDialog

    data = MeetingInput(
        title="", kind="meeting", status="planned",
        starts_at=dt.datetime(2026, 12, 15, 14), ends_at=dt.datetime(2026, 12, 15, 16),
    )  # fmt: skip
    dialog = MeetingDialog(db, data)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_a_meeting_begins_when_typed_with_dots(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _meeting_dialog(sqlite_db, qtbot)
    assert dialog.focusWidget() is dialog.title  # a new record starts in its first input, not the tab bar
    qtbot.keyClicks(dialog.title, "Kreisgruppensitzung")
    dialog.starts.setFocus()
    qtbot.keyClick(dialog.starts, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _typed(qtbot, dialog.starts, "15.04.2027 10:00")
    assert dialog.starts.text() == "15.04.2027 10:00"
    qtbot.keyClick(dialog.ends, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _typed(qtbot, dialog.ends, "12 Uhr")
    dialog.deadline.setFocus()
    _typed(qtbot, dialog.deadline, "0104")
    data = dialog.collect()
    assert data.starts_at == dt.datetime(2027, 4, 15, 10)
    assert data.ends_at == dt.datetime(2027, 4, 15, 12)
    assert data.registration_deadline == dt.date(TODAY.year, 4, 1)


def test_esc_on_a_changed_dialog_asks_before_discarding(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _meeting_dialog(sqlite_db, qtbot)
    qtbot.keyClicks(dialog.title, "Sitzung")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert len(asked) == 1
    assert dialog.title.text() == "Sitzung"
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(asked) == 2
    unchanged = _meeting_dialog(sqlite_db, qtbot)
    qtbot.keyClick(unchanged.title, Qt.Key.Key_Escape)
    assert not unchanged.isVisible()
    assert len(asked) == 2


def test_tab_leaves_multi_line_fields_and_ctrl_tab_types_a_tab(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _meeting_dialog(sqlite_db, qtbot)
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "Ablauf")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.description.toPlainText() == "Ablauf\t"
    qtbot.keyClick(dialog.description, Qt.Key.Key_Tab)
    assert not dialog.description.hasFocus()
    assert dialog.description.toPlainText() == "Ablauf\t"


def test_new_record_dialogs_focus_their_first_input(qtbot: QtBot, sqlite_db: Database) -> None:
    from ui.contact_dialog import ContactDialog
    from ui.member_dialog import MemberDialog

    for dialog in (MemberDialog(sqlite_db), ContactDialog(sqlite_db)):
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        focused = QApplication.focusWidget()
        assert not isinstance(focused, QTabBar | QPlainTextEdit), type(dialog)
        assert isinstance(focused, QLineEdit | QComboBox), type(focused)
        if isinstance(dialog, MemberDialog):
            qtbot.keyClicks(focused, "Kreisverband Nord")
            assert dialog.name.text() == "Kreisverband Nord"


def test_search_hits_open_by_keys_and_letters_on_the_list_go_to_search(qtbot: QtBot) -> None:
    from dataclasses import dataclass

    from ui.list_page import ListPage
    from ui.table_models import Column

    @dataclass
    class Row:
        name: str

        @property
        def search_text(self) -> str:
            return self.name.lower()

    page: ListPage[Row] = ListPage([Column("Name", lambda r: r.name)], noun="Zeilen", search_hint="Name")
    qtbot.addWidget(page)
    page.set_rows([Row("Anna Apel"), Row("Bernd Bauer"), Row("Carla Christ")])
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    opened: list[Row] = []
    page.opened.connect(opened.append)
    page.focus_search()
    qtbot.keyClicks(page.search, "bau")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.table.hasFocus()
    assert page.selected() == Row("Bernd Bauer")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [Row("Bernd Bauer")]
    _type_at_focus(qtbot, "chr")  # letters on the list start a new search
    assert page.search.hasFocus()
    assert page.search.text() == "chr"
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    assert opened[-1] == Row("Carla Christ")
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()  # Tab leaves the list


def test_typing_a_name_on_the_board_does_not_change_a_reply(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_invitations import make_office
    from tests.test_ui_meetings import _db_row
    from ui.meetings.board import RsvpBoard

    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    ids = make_office(sqlite_db, capacity=3)
    board = RsvpBoard(sqlite_db, ids["meeting"])
    qtbot.addWidget(board)
    board.show()
    board.activateWindow()
    qtbot.waitUntil(board.isActiveWindow)
    board.invite_members()
    qtbot.keyClicks(board.search, "bau")
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    qtbot.keyClick(board.table, Qt.Key.Key_Z)  # right after Enter from the search: a reply at once
    assert _db_row(sqlite_db, ids["bernd"]).response == "accepted"
    _type_at_focus(qtbot, "apel")  # the next name, typed with Bernd still selected
    assert _db_row(sqlite_db, ids["bernd"]).response == "accepted"
    assert board.search.text() == "apel"
    assert _db_row(sqlite_db, ids["anna"]).response == "open"
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    qtbot.keyClick(board.table, Qt.Key.Key_A)
    assert _db_row(sqlite_db, ids["anna"]).response == "declined"
    qtbot.keyClick(board.table, Qt.Key.Key_Down)
    qtbot.keyClick(board.table, Qt.Key.Key_Up)
    qtbot.keyClick(board.table, Qt.Key.Key_Z)  # a reply letter alone, not after a search: after a moment
    qtbot.waitUntil(lambda: _db_row(sqlite_db, ids["anna"]).response == "accepted", timeout=3000)
