"""Layouts usable at 1024×700: no window or dialog needs more than 1024 px, columns are as wide as their header
and content (also after switching from an empty year), and widths the user sets are kept per list."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from geschaeftsstelle import demo, meetings
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting
from ui.main_window import MainWindow
from ui.meetings.board import RsvpBoard
from ui.meetings_overview import MeetingsOverview
from ui.pages import MEETINGS, PAGES

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCREEN = (1024, 700)


def _settle(qtbot: QtBot) -> None:
    qtbot.wait(20)  # the deferred column sizing and layout runs
    QApplication.processEvents()


def _columns_fit(table: QTableView) -> list[str]:
    """Columns narrower than their header or than the texts of the rows shown (up to the fitting cap)."""
    header = table.horizontalHeader()
    model = table.model()
    too_narrow = []
    for column in range(model.columnCount()):
        if table.isColumnHidden(column) or column == model.columnCount() - 1:  # the last one stretches
            continue
        wanted = max(header.sectionSizeHint(column), min(table.sizeHintForColumn(column), MeetingsOverview.FIT_MAX))
        if table.columnWidth(column) < wanted:
            too_narrow.append(
                f"{model.headerData(column, header.orientation())}: {table.columnWidth(column)} < {wanted}"
            )
    return too_narrow


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo.load_demo(db, dt.date(2026, 11, 23))
    return db


def test_main_window_and_board_fit_a_1024_screen(qtbot: QtBot, demo_db: Database) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    for page in range(len(PAGES)):
        window.show_page(page)
        _settle(qtbot)
        assert window.minimumSizeHint().width() <= SCREEN[0], PAGES[page]
        assert window.minimumSize().width() <= SCREEN[0], PAGES[page]
    window.resize(*SCREEN)
    _settle(qtbot)
    assert window.width() <= SCREEN[0]
    with demo_db.read() as s:
        meeting_id = s.scalars(select(Meeting.id).order_by(Meeting.starts_at)).first()
    assert meeting_id is not None
    board = RsvpBoard(demo_db, meeting_id)
    qtbot.addWidget(board)
    board.show()
    assert board.minimumSizeHint().width() <= SCREEN[0]
    board.resize(*SCREEN)
    _settle(qtbot)
    assert board.width() <= SCREEN[0]
    buttons = [b for b in board.findChildren(QPushButton) if b.isVisible()]
    assert len(buttons) >= 12
    for button in buttons:  # every button wholly inside the board: they wrap instead of being cut off
        right = button.mapTo(board, button.rect().bottomRight())
        assert right.x() <= board.width(), button.text()
        assert right.y() <= board.height(), button.text()
    if os.environ.get("GESCHAEFTSSTELLE_TEST_PG") is None:  # one set of pictures, from SQLite
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        window.show_page(MEETINGS)
        _settle(qtbot)
        assert window.grab().save(str(SCREENSHOTS / "15-termine-1024x700.png"))
        assert board.grab().save(str(SCREENSHOTS / "16-rueckmeldungen-1024x700.png"))


def test_switching_from_an_empty_year_leaves_no_collapsed_column(qtbot: QtBot, db: Database) -> None:
    for day, title in ((dt.date(2020, 3, 4), "Kreisarbeitsgemeinschaft Migration und Integration"),
                       (dt.date(2020, 9, 9), "Mitgliederversammlung mit Wahl des Vorstands")):  # fmt: skip
        data = meetings.new_meeting_input(day)
        data.title = title
        meetings.save_meeting(db, data)
    assert dt.date.today().year != 2020  # the current year, chosen at first, has no meetings
    page = MeetingsOverview(db)
    qtbot.addWidget(page)
    page.resize(*SCREEN)
    page.show()
    _settle(qtbot)
    assert page.year.currentData() == dt.date.today().year
    assert page.proxy.rowCount() == 0
    page.year.setCurrentIndex(page.year.findData(2020))
    _settle(qtbot)
    assert page.proxy.rowCount() == 2
    assert _columns_fit(page.table) == []


def test_column_widths_are_kept_per_list(qtbot: QtBot, demo_db: Database) -> None:
    page = MeetingsOverview(demo_db)
    qtbot.addWidget(page)
    page.show()
    _settle(qtbot)
    assert _columns_fit(page.table) == []
    page.table.setColumnWidth(2, 333)  # as if dragged: the page keeps it
    page.save_column_widths()
    assert QSettings().value(page.columns_key)
    again = MeetingsOverview(demo_db)
    qtbot.addWidget(again)
    again.show()
    _settle(qtbot)
    assert again.table.columnWidth(2) == 333
    QSettings().remove(page.columns_key)
