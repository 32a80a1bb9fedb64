"""The import wizard, clicked through like a user: file, mapping, preview, import (and cancel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Member
from ui.import_wizard import ImportWizard

pytestmark = pytest.mark.gui
OUTLOOK = Path(__file__).parent / "fixtures" / "import" / "outlook_kontakte_cp1252.csv"


def _next(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Member)) or 0


def test_outlook_list_through_the_wizard(qtbot: QtBot, sqlite_db: Database) -> None:
    wizard = ImportWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.file_page.path, str(OUTLOOK))
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.mapping_page
    labels = [wizard.mapping_page.combos[i].currentText() for i in range(4)]
    assert labels == ["Anrede", "Titel", "Vorname", "Nachname"]
    _next(qtbot, wizard)
    page = wizard.preview_page
    assert wizard.currentPage() is page
    assert page.summary.text() == "5 Zeilen werden importiert, 2 Zeilen haben Probleme."
    problem = page.model.index(5, page.model.columnCount() - 1).data()
    assert "Postleitzahl" in problem
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.outcome is not None
    assert wizard.outcome.imported == 5
    assert _count(sqlite_db) == 5
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Contact).where(Contact.is_primary.is_(True))) == 5


def test_broken_file_stays_on_the_first_page(qtbot: QtBot, sqlite_db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "leer.csv"
    bad.write_bytes(b"")
    wizard = ImportWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.file_page.path, str(bad))
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.file_page
    assert "leer" in wizard.file_page.info.text()


def test_same_field_twice_is_refused(qtbot: QtBot, sqlite_db: Database) -> None:
    wizard = ImportWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.file_page.path, str(OUTLOOK))
    _next(qtbot, wizard)
    combos = wizard.mapping_page.combos
    combos[1].setCurrentIndex(combos[1].findData("first_name"))
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.mapping_page
    assert "Vorname" in wizard.mapping_page.message.text()


def test_cancel_during_import_leaves_nothing(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gross.csv"
    path.write_text("Name;Ort\n" + "".join(f"Verein {i};Weimar\n" for i in range(3000)), "utf-8")
    wizard = ImportWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.file_page.path, str(path))
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    from ui.background import BackgroundTask

    original_run = BackgroundTask.run

    def press_cancel_then_run(task: BackgroundTask) -> object:
        task.dialog.canceled.emit()  # what the dialog's "Abbrechen" button sends
        return original_run(task)

    monkeypatch.setattr(BackgroundTask, "run", press_cancel_then_run)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    assert wizard.run_import() is False
    assert "abgebrochen" in warnings[0]
    assert _count(sqlite_db) == 0
