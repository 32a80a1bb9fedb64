"""Printing from the window: choose a document, it is made in the background and saved (and opened)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.store.database import Database
from tests.gui_helpers import preview_answered
from ui.app import make_application
from ui.documents_menu import DocumentDialog
from ui.main_window import MainWindow
from ui.pages import MEETINGS, MEMBERS

pytestmark = pytest.mark.gui


def _choose(label: str) -> None:
    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DocumentDialog):
            QTimer.singleShot(10, handle)
            return
        dialog.kind.setCurrentIndex(dialog.kind.findText(label))
        dialog.blank_rows.setValue(3)
        dialog.accept()

    QTimer.singleShot(0, handle)


@pytest.mark.parametrize(
    ("page", "label", "expected"),
    [
        (MEETINGS, "Teilnehmerliste", "Teilnehmerliste: Kreisgruppensitzung"),
        (MEETINGS, "Einladungsbriefe mit Rückantwort", "Rückantwort / Anmeldung"),
        (MEMBERS, "Adressetiketten aller aktiven Mitglieder", "Camsin e. V."),
    ],
)
def test_print_from_the_window(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: int, label: str,
    expected: str,
) -> None:  # fmt: skip
    load_demo(sqlite_db, today=dt.date(2026, 11, 23))
    make_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    window.show_page(page)
    if page == MEETINGS:
        window.meetings.overview.year.setCurrentIndex(window.meetings.overview.year.findData(2026))
        window.meetings.overview.table.selectRow(0)
    out = tmp_path / "dokument.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    _choose(label)
    with preview_answered(lambda preview: (preview.save_button.click(), preview.open_button.click())):
        window.print_action.trigger()
    assert opened == [str(out)]
    with pdfplumber.open(out) as pdf:
        assert expected in "".join(p.extract_text() or "" for p in pdf.pages)
    assert not out.with_name(out.name + ".tmp").exists()


def test_a_failed_job_is_logged_with_its_traceback_but_without_its_values(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The user reads one German sentence; the log gets where it failed for support, never what was stored."""
    from ui.background import run_in_background

    make_application()
    parent = QWidget()
    qtbot.addWidget(parent)

    stored = {"name": "Erika Mustermann <erika@example.org>"}  # a value read from the database

    def broken_job(_progress: object) -> None:
        raise ValueError(stored["name"])

    with caplog.at_level("ERROR", logger="ui.background"):
        result, error = run_in_background(parent, "Test", broken_job)
    assert result is None
    assert error is not None
    assert error.startswith("Die Aufgabe ist fehlgeschlagen")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged
    assert "broken_job" in logged
    assert "test_ui_documents.py" in logged
    assert "Erika" not in logged
    assert "example.org" not in logged
