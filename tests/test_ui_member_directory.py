"""The member directory driven like a user: contacts of a member, leaving, deleting, shortcuts, export.

Only the OS-modal statics (QMessageBox.question, QFileDialog.getSaveFileName) are patched; everything
else is typed and clicked, and the database is read back afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from geschaeftsstelle import members
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact
from tests.gui_helpers import type_text
from ui.app import make_application
from ui.contact_dialog import ContactDialog
from ui.main_window import MainWindow
from ui.member_dialog import MemberDialog
from ui.pages import CONTACTS, MEMBERS

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database) -> MainWindow:
    make_application()
    members.save_member(sqlite_db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    w = MainWindow(sqlite_db)
    qtbot.addWidget(w)
    w.show()
    w.show_page(MEMBERS)
    return w


def on_modal(cls: type, act: Callable[[QWidget], None]) -> None:
    """Act on the modal dialog that the next call opens, while it waits for the user."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(10, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def answer_questions(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def add_person(qtbot: QtBot, dialog: MemberDialog, first: str, last: str) -> None:
    def fill(c: ContactDialog) -> None:
        type_text(qtbot, c.first_name, first)
        type_text(qtbot, c.last_name, last)
        qtbot.mouseClick(c.save_button, Qt.MouseButton.LeftButton)

    on_modal(ContactDialog, fill)
    qtbot.mouseClick(dialog.add_contact_button, Qt.MouseButton.LeftButton)


def test_contacts_of_a_member_primary_and_removal(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    mid = window.members.model.row_at(0).id

    def work(d: MemberDialog) -> None:
        add_person(qtbot, d, "Sandra", "Lehmann")
        add_person(qtbot, d, "Jörg", "Weiß")
        assert [r.is_primary for r in d.contacts_model.rows()] == [True, False]  # the first became primary
        d.tabs.setCurrentIndex(1)
        weiss = next(i for i, r in enumerate(d.contacts_model.rows()) if r.name == "Jörg Weiß")
        d.contacts.selectRow(weiss)
        qtbot.mouseClick(d.primary_button, Qt.MouseButton.LeftButton)
        lehmann = next(i for i, r in enumerate(d.contacts_model.rows()) if r.name == "Sandra Lehmann")
        d.contacts.selectRow(lehmann)
        qtbot.mouseClick(d.remove_contact_button, Qt.MouseButton.LeftButton)
        assert [r.name for r in d.contacts_model.rows()] == ["Jörg Weiß"]
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

    window.members.select_id(mid)
    on_modal(MemberDialog, work)
    window.members.edit_selected()
    assert "Sandra Lehmann" in asked[0]
    with sqlite_db.read() as s:
        people = s.scalars(select(Contact).where(Contact.member_id == mid)).all()
        assert [(c.full_name, c.is_primary) for c in people] == [("Jörg Weiß", True)]
    assert window.members.model.row_at(0).primary_contact == "Jörg Weiß"
    type_text(qtbot, window.members.search, "weiss")  # contact names are searchable, ß folded to ss
    assert window.members.proxy.rowCount() == 1


def test_leaving_date_in_the_dialog_makes_a_former_member(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database
) -> None:
    mid = window.members.model.row_at(0).id

    def leave(d: MemberDialog) -> None:
        d.left_on.setDate(QDate(2024, 12, 31))
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

    window.members.select_id(mid)
    on_modal(MemberDialog, leave)
    qtbot.keyClick(window.members.table, Qt.Key.Key_Return)  # Enter opens the selected member
    assert members.get_member(sqlite_db, mid).left_on == dt.date(2024, 12, 31)
    assert window.members.proxy.rowCount() == 0
    assert window.members.count.text() == "0 von 1 Mitgliedern"
    window.members.filter.setCurrentIndex(window.members.filter.findData("former"))
    assert window.members.proxy.index(0, 0).data() == "Camsin e. V."
    assert window.members.proxy.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed


def test_delete_key_asks_first_and_no_keeps_the_member(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = window.members.model.row_at(0).id
    window.members.select_id(mid)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    assert window.delete_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)
    window.delete_action.trigger()
    assert "Camsin e. V." in asked[0]
    assert members.get_member(sqlite_db, mid).name == "Camsin e. V."
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    window.delete_action.trigger()  # no history: it really goes
    assert members.list_members(sqlite_db) == []
    assert window.members.model.rowCount() == 0


def test_contact_with_hostile_text_round_trips(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page(CONTACTS)
    note = "Rollstuhl, bitte Rampe am Seiteneingang. " * 250  # about 10,000 characters
    last = "<b>&amp;</b> 🎉 الرعاية"

    def fill(c: ContactDialog) -> None:
        qtbot.mouseClick(c.save_button, Qt.MouseButton.LeftButton)  # empty: the last name is required
        assert c.isVisible()
        assert c.form.errors["last_name"].isVisible()
        c.salutation.setCurrentIndex(c.salutation.findData("Herr"))
        type_text(qtbot, c.first_name, "Émile")
        type_text(qtbot, c.last_name, last)
        type_text(qtbot, c.email, "emile@example.org")
        c.notes.setPlainText(note)
        qtbot.mouseClick(c.save_button, Qt.MouseButton.LeftButton)

    on_modal(ContactDialog, fill)
    window.new_action.trigger()
    with sqlite_db.read() as s:
        c = s.scalars(select(Contact)).one()
        assert (c.salutation, c.first_name, c.last_name, c.member_id) == ("Herr", "Émile", last, None)
        assert c.notes == note.strip()
    assert window.contacts.proxy.index(0, 0).data() == f"Émile {last}"
    window.find_action.trigger()  # Ctrl+F: into the search field of the page shown
    assert window.focusWidget() is window.contacts.search
    type_text(qtbot, window.contacts.search, "EMILE الرعاية")
    assert window.contacts.proxy.rowCount() == 1

    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    window.contacts.table.selectRow(0)
    window.delete_action.trigger()
    assert asked
    with sqlite_db.read() as s:
        assert s.scalars(select(Contact)).all() == []


def test_refresh_shows_what_another_desk_saved(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    members.save_member(sqlite_db, members.MemberInput(name="Tafel Weimar e. V.", city="Weimar"))
    assert window.members.model.rowCount() == 1
    window.refresh_action.trigger()  # F5
    assert window.members.model.rowCount() == 2
    assert window.refresh_action.shortcut().toString() == "F5"


def test_export_members_through_the_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Mitglieder.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    window.export_members_action.trigger()
    text = target.read_text(encoding="utf-8-sig")
    assert "Camsin e. V." in text
    assert str(target) in window.statusBar().currentMessage()


def test_cancelled_export_does_nothing(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    window.statusBar().clearMessage()
    window.export_members_action.trigger()
    assert warnings == []
    assert window.statusBar().currentMessage() == ""
