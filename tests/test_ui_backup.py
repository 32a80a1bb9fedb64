"""Sicherung jetzt and Aus Sicherung wiederherstellen in the window; a damaged file offers its backup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from geschaeftsstelle import members, privacy
from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.database import Database
from ui.backup_dialog import RestoreDialog, backup_now

pytestmark = pytest.mark.gui


def test_backup_now_then_restore_it(qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo(sqlite_db)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    made = backup_now(None, sqlite_db)  # type: ignore[arg-type]
    assert made is not None
    assert "35 Mitglieder" in shown[0]
    members.save_member(sqlite_db, members.MemberInput(name="Nach der Sicherung e. V."))

    dialog = RestoreDialog(sqlite_db)
    qtbot.addWidget(dialog)
    assert dialog.list.count() >= 1
    assert "35 Mitglieder" in dialog.list.item(0).text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.kept is not None
    assert "Nach der Sicherung e. V." not in [r.name for r in members.list_members(sqlite_db)]
    assert any(b.path == dialog.kept for b in backup.list_backups(sqlite_db))  # today's state was kept


def test_postgresql_office_is_pointed_to_pg_dump(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL-Variante")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    assert backup_now(None, db) is None  # type: ignore[arg-type]
    assert "pg_dump" in shown[0]


def test_restoring_an_older_backup_erases_again_whoever_was_erased_since(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Art. 17 survives a restore: the backup still holds the person, the restore erases her again and says so."""
    person = members.save_contact(sqlite_db, members.ContactInput(first_name="Zora", last_name="Quellmalz"))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    assert backup_now(None, sqlite_db) is not None  # type: ignore[arg-type]  # no parent window in the test
    privacy.erase_contact(sqlite_db, person, version=members.get_contact(sqlite_db, person).version)

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog = RestoreDialog(sqlite_db)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert person not in [c.id for c in members.list_contacts(sqlite_db)]
    assert shown == ["Die Sicherung ist älter als Löschungen nach Art. 17 DSGVO: eine seither gelöschte Person "
                     "wurde erneut gelöscht."]
