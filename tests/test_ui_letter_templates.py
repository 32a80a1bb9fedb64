"""Einstellungen → Briefvorlagen, driven like a user: typing, clicks, keys; the database is checked afterwards."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from geschaeftsstelle import letter_templates as lt
from geschaeftsstelle import office
from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind
from tests.gui_helpers import type_text
from ui.app import make_application
from ui.letter_templates_view import LetterTemplatesView
from ui.main_window import MainWindow
from ui.pages import SETTINGS

pytestmark = pytest.mark.gui
INVITATION = LetterKind.INVITATION.value


def _open(qtbot: QtBot, db: Database) -> LetterTemplatesView:
    view = LetterTemplatesView(db)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    return view


@pytest.fixture
def view(qtbot: QtBot, sqlite_db: Database) -> Iterator[LetterTemplatesView]:
    make_application()
    yield _open(qtbot, sqlite_db)
    QThreadPool.globalInstance().waitForDone(20_000)  # no preview still reading when the database closes


def _to_end(qtbot: QtBot, view: LetterTemplatesView) -> None:
    qtbot.keyClick(view.editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_shipped_text_is_shown_and_marked(qtbot: QtBot, view: LetterTemplatesView) -> None:
    assert view.editor.toPlainText() == lt.default_text(INVITATION)
    assert "mitgelieferte Standardtext" in view.origin.text()
    assert not view.save_button.isEnabled()
    assert not view.reset_button.isEnabled()
    assert not view.problem_list.isVisible()
    qtbot.waitUntil(lambda: "zuerst unter „Termine“ einen Termin anlegen" in view.preview_status.text())


def test_unknown_placeholder_shows_its_line_and_disables_save(qtbot: QtBot, view: LetterTemplatesView) -> None:
    _to_end(qtbot, view)
    line = view.editor.textCursor().blockNumber() + 1
    qtbot.keyClicks(view.editor, "Bis bald, {unbekannt}")
    assert view.problem_list.isVisible()
    assert [view.problem_list.item(i).text() for i in range(view.problem_list.count())] == [
        f"Zeile {line}: Den Platzhalter {{unbekannt}} gibt es nicht."
    ]
    assert not view.save_button.isEnabled()
    assert [s.cursor.blockNumber() for s in view.editor.extraSelections()] == [line - 1]  # the line is marked
    for _ in "unbekannt}":
        qtbot.keyClick(view.editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(view.editor, "titel}")
    assert not view.problem_list.isVisible()
    assert view.save_button.isEnabled()
    assert "Ungespeicherte Änderungen" in view.origin.text()


def test_valid_edit_saved_lands_in_database(qtbot: QtBot, view: LetterTemplatesView, sqlite_db: Database) -> None:
    _to_end(qtbot, view)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    type_text(qtbot, view.editor, "Herzliche Grüße aus der {geschaeftsstelle}.")
    with qtbot.waitSignal(view.statusMessage) as status:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    stored = lt.get_template(sqlite_db, INVITATION)
    assert not stored.is_default
    assert stored.text.endswith("Ihnen.\n\nHerzliche Grüße aus der {geschaeftsstelle}.\n")
    assert status.args == ["Briefvorlage „Einladung“ gespeichert."]
    assert "eigene Text der Geschäftsstelle" in view.origin.text()
    assert not view.save_button.isEnabled()  # nothing left to save
    assert view.reset_button.isEnabled()


def test_placeholders_of_the_kind_inserted_by_double_click_and_enter(
    qtbot: QtBot, view: LetterTemplatesView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.kind.setCurrentIndex(view.kind.findData(LetterKind.CHANGE.value))
    assert view.editor.toPlainText() == lt.default_text(LetterKind.CHANGE)
    names = [view.placeholders.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.placeholders.count())]
    assert names == list(lt.FIELDS[LetterKind.CHANGE])
    qtbot.keyClick(view.editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    row = names.index("aenderungen")
    item = view.placeholders.item(row)
    view.placeholders.scrollToItem(item)
    where = view.placeholders.visualItemRect(item).center()
    qtbot.mouseClick(view.placeholders.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click's
    qtbot.mouseDClick(view.placeholders.viewport(), Qt.MouseButton.LeftButton, pos=where)  # first press
    assert view.editor.toPlainText().startswith("{aenderungen}")
    assert QApplication.focusWidget() is view.editor  # back in the text, ready to type on
    view.placeholders.setCurrentRow(names.index("titel"))
    qtbot.keyClick(view.placeholders, Qt.Key.Key_Return)
    assert view.editor.toPlainText().startswith("{aenderungen}{titel}")

    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    view.kind.setCurrentIndex(view.kind.findData(INVITATION))
    assert "„Terminänderung“ sind noch nicht gespeichert" in asked[0]
    assert view.kind.currentData() == LetterKind.CHANGE.value  # kept, with the typed text
    assert view.editor.toPlainText().startswith("{aenderungen}{titel}")


def test_reset_restores_shipped_text(qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    make_application()
    lt.save_template(sqlite_db, INVITATION, "{anrede}\n\nEigener Text der Geschäftsstelle.", None)
    view = _open(qtbot, sqlite_db)
    assert view.editor.toPlainText() == "{anrede}\n\nEigener Text der Geschäftsstelle.\n"
    assert "eigene Text" in view.origin.text()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert "„Einladung“ wiederherstellen" in asked[0]
    assert not lt.get_template(sqlite_db, INVITATION).is_default  # "Nein" changes nothing
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert lt.get_template(sqlite_db, INVITATION).is_default
    assert view.editor.toPlainText() == lt.default_text(INVITATION)
    assert "mitgelieferte Standardtext" in view.origin.text()
    QThreadPool.globalInstance().waitForDone(20_000)


def test_conflict_from_another_desk_reloads_on_request(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    desk_a, desk_b = _open(qtbot, sqlite_db), _open(qtbot, sqlite_db)
    for desk, words in ((desk_a, "Gruß von Platz A."), (desk_b, "Gruß von Platz B.")):
        _to_end(qtbot, desk)
        type_text(qtbot, desk.editor, words)
    qtbot.mouseClick(desk_a.save_button, Qt.MouseButton.LeftButton)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.mouseClick(desk_b.save_button, Qt.MouseButton.LeftButton)
    assert "an einem anderen Platz geändert" in asked[0]
    assert "an einem anderen Platz geändert" in desk_b.save_error.text()  # kept typing: nothing overwritten
    assert desk_b.editor.toPlainText().endswith("Platz B.")
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(desk_b.save_button, Qt.MouseButton.LeftButton)
    assert desk_b.editor.toPlainText().endswith("Platz A.\n")
    assert lt.get_template(sqlite_db, INVITATION).text.endswith("Platz A.\n")
    QThreadPool.globalInstance().waitForDone(20_000)


def test_preview_shows_page_one_and_follows_typing(qtbot: QtBot, sqlite_db: Database) -> None:
    make_application()
    load_demo(sqlite_db)
    view = _open(qtbot, sqlite_db)
    assert view.meeting.count() > 0
    assert view.invitee.count() > 1
    assert view.invitee.currentData() is not None  # a real invitee, not the sample address
    qtbot.waitUntil(lambda: not view.preview.pixmap().isNull(), timeout=30_000)
    qtbot.waitUntil(lambda: not view.preview_busy(), timeout=30_000)
    first = view.preview.pixmap()
    assert first.width() > 300
    assert first.height() > first.width()  # a portrait page
    assert view.preview_status.text() == ""
    before = view.preview_count
    _to_end(qtbot, view)
    with qtbot.waitSignal(view.previewFinished, timeout=30_000):
        qtbot.keyClicks(view.editor, "Ein neuer Satz am Ende.")
    assert view.preview_count == before + 1  # one picture per pause, not one per keystroke
    assert view.preview.pixmap().cacheKey() != first.cacheKey()
    qtbot.keyClicks(view.editor, " {kaputt")
    qtbot.waitUntil(lambda: "keine Probleme mehr" in view.preview_status.text(), timeout=5_000)
    QThreadPool.globalInstance().waitForDone(20_000)


def test_window_short_name_and_ctrl_s_on_the_templates_tab(qtbot: QtBot, sqlite_db: Database) -> None:
    make_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    window.show_page(SETTINGS)
    settings = window.settings
    type_text(qtbot, settings.fields["name"], "Paritätische Kreisgruppe Weimar/Weimarer Land")
    type_text(qtbot, settings.fields["short_name"], "Parität Weimar")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    assert office.get_office(sqlite_db).short_name == "Parität Weimar"

    settings.tabs.setCurrentWidget(settings.templates)
    view = settings.templates
    _to_end(qtbot, view)
    qtbot.keyClicks(view.editor, "[[{geschaeftsstelle_kurz}]]")
    window.save_action.trigger()  # Ctrl+S saves the template shown, not the letterhead
    assert lt.get_template(sqlite_db, INVITATION).text.endswith("[[{geschaeftsstelle_kurz}]]\n")
    QThreadPool.globalInstance().waitForDone(20_000)


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text)
    return match.group(1).lower() if match else None


def test_every_input_has_a_label_and_alt_letters_are_unique(qtbot: QtBot, sqlite_db: Database) -> None:
    make_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    window.show_page(SETTINGS)
    window.settings.tabs.setCurrentWidget(window.settings.templates)
    view = window.settings.templates
    letters = [_mnemonic(a.text()) for a in window.menuBar().actions()]
    tabs = window.settings.tabs.tabBar()
    letters += [_mnemonic(tabs.tabText(i)) for i in range(tabs.count())]
    buddies = []
    for label in view.findChildren(QLabel):
        if (letter := _mnemonic(label.text())) is not None:
            letters.append(letter)
            buddies.append(label.buddy())
    letters += [_mnemonic(b.text()) for b in view.findChildren(QAbstractButton) if _mnemonic(b.text())]
    letters = [x for x in letters if x]
    assert len(letters) == len(set(letters)), letters
    inputs = [view.kind, view.editor, view.problem_list, view.placeholders, view.meeting, view.invitee]
    assert all(widget in buddies for widget in inputs)
    assert all(widget.accessibleName() for widget in (view.editor, view.placeholders, view.preview))
