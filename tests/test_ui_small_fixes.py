"""Smaller defects of issue 18 (part 12), each driven by keys only: a planned date that duplicates a meeting,
a wrong rule in German, the award title following its year, backups told apart to the second, Neu/Suchen/
Löschen off on the welcome page, a print error as one German sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from geschaeftsstelle.meetings import MeetingInput, save_meeting
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.database import Database
from ui.app import make_application
from ui.awards.award_dialog import AwardDialog
from ui.documents_menu import DocumentChoice, make_document
from ui.main_window import MainWindow
from ui.meetings.planning_dialog import PlanningDialog

pytestmark = pytest.mark.gui


def test_planning_warns_of_a_date_that_exists_already(qtbot: QtBot, db: Database) -> None:
    save_meeting(db, MeetingInput("Kreisgruppensitzung", dt.datetime(2027, 4, 14, 14), dt.datetime(2027, 4, 14, 16)))
    dialog = PlanningDialog(db)
    qtbot.addWidget(dialog)
    dialog.dates.setFocus()
    qtbot.keyClicks(dialog.dates, "14.04.2027, 12.05.2027")
    first, second = dialog.preview.item(0), dialog.preview.item(1)
    assert "„Kreisgruppensitzung“ gibt es an diesem Tag schon" in first.text()
    assert first.checkState() == Qt.CheckState.Unchecked
    assert second.checkState() == Qt.CheckState.Checked
    assert "1 gibt es mit diesem Titel schon (nicht angehakt)" in dialog.note.text()
    assert dialog.chosen_dates() == [dt.date(2027, 5, 12)]
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Vorstand")  # another title: no clash
    assert dialog.preview.item(0).checkState() == Qt.CheckState.Checked


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY", "FREQ", "BYDAY=+2WE", "FREQ=MONTHLY;BYDAY=XX", "FOO=1"])
def test_a_wrong_rule_is_explained_in_german(qtbot: QtBot, sqlite_db: Database, rule: str) -> None:
    dialog = PlanningDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.rule.setFocus()
    qtbot.keyClicks(dialog.rule, rule)
    text = dialog.error.text()
    assert text.startswith(f"Die Regel „{rule}“ ist ungültig")
    for python in ("unpack", "expected", "invalid", "unknown", "missing", "positional", "rrule"):
        assert python not in text
    assert not dialog.create_button.isEnabled()


def test_award_title_follows_the_year_unless_typed(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = AwardDialog(sqlite_db)
    qtbot.addWidget(dialog)
    year = dialog.year.value()
    assert dialog.title_edit.text() == f"Ehrenamtspreis {year}"
    dialog.year.setFocus()
    qtbot.keyClick(dialog.year, Qt.Key.Key_Up)
    assert dialog.title_edit.text() == f"Ehrenamtspreis {year + 1}"
    dialog.year.lineEdit().selectAll()
    qtbot.keyClicks(dialog.year, "2031")
    assert dialog.title_edit.text() == "Ehrenamtspreis 2031"
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Preis der Stadt")
    qtbot.keyClick(dialog.year, Qt.Key.Key_Down)
    assert dialog.title_edit.text() == "Preis der Stadt"


def test_backups_of_one_minute_are_told_apart(sqlite_db: Database) -> None:
    first = backup.make_backup(sqlite_db, now=dt.datetime(2026, 11, 24, 9, 30, 5))
    second = backup.make_backup(sqlite_db, now=dt.datetime(2026, 11, 24, 9, 30, 41))
    assert first.path.name != second.path.name
    assert first.describe() != second.describe()
    assert "24.11.2026 09:30:05 Uhr" in first.describe()
    listed = [b.describe() for b in backup.list_backups(sqlite_db)]
    assert any("09:30:41 Uhr" in line for line in listed)


def test_welcome_page_offers_no_dead_actions(qtbot: QtBot, sqlite_db: Database) -> None:
    make_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.welcome
    for action in (window.new_action, window.find_action, window.delete_action):
        assert not action.isEnabled(), action.text()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # nothing happens, nothing breaks
    assert window.stack.currentWidget() is window.welcome


def test_a_print_error_is_one_german_sentence(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: shown.append(text))

    def make(_db: Database, out: Path, _options: dict[str, Any], _progress: Any) -> int:
        (tmp_path / "logo.png").read_bytes()  # a logo that has gone: FileNotFoundError
        return 0

    make_application()
    assert not make_document(None, sqlite_db, DocumentChoice("Einladungen", "x.pdf", make), {}, tmp_path / "x.pdf")  # type: ignore[arg-type]
    assert shown == [
        "„Einladungen“ konnte nicht erstellt werden: eine Datei oder ein Ordner („logo.png“) wurde nicht gefunden."
    ]
