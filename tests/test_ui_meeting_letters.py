"""The meeting dialog's letter fields and programme kinds typed like a user, and the letters invitees are
owed after their invitations went out (Absage, Terminänderung): offered after saving, printed from the
documents menu, the change noted as sent; the database and the PDF text are asserted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.meeting_notices import notices_due
from geschaeftsstelle.meetings import get_meeting, load_meeting_input
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office
from tests.gui_helpers import preview_answered, type_text
from tests.test_invitations import make_office
from ui.documents_menu import DocumentDialog, ask_and_make, meeting_documents
from ui.meetings.meeting_dialog import MeetingDialog
from ui.meetings.programme_editor import COL_END, COL_KIND, COL_START, COL_TITLE

ALT = Qt.KeyboardModifier.AltModifier
_MNEMONIC = re.compile(r"&([^&])")


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Information and warnings are recorded; questions are recorded and answered from `answers` (Ja if empty)."""
    seen: dict[str, list[str]] = {"shown": [], "questions": [], "answers": [], "opened": []}

    def question(_parent: QWidget, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        seen["questions"].append(text)
        answer = seen["answers"].pop(0) if seen["answers"] else "Ja"
        return QMessageBox.StandardButton.Yes if answer == "Ja" else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: seen["shown"].append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: seen["shown"].append(text))
    monkeypatch.setattr(QMessageBox, "question", question)
    # Opening the finished PDF would start the desktop's PDF program.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: seen["opened"].append(url.toLocalFile()))
    return seen


def _office(db: Database) -> None:
    with db.transaction() as s:
        s.add(Office(id=1, name="Kreisgruppe Weimar", street="Markt 1", postal_code="99423", city="Weimar",
                     signatory="Erika Muster", signatory_role="Geschäftsführerin", email="kg@example.org"))  # fmt: skip


def _sent_office(db: Database) -> dict[str, int]:
    """The test office with both invitations recorded as sent by post."""
    ids = make_office(db)
    _office(db)
    inv.invite_all_members(db, ids["meeting"])
    rows = inv.load_board(db, ids["meeting"]).rows
    inv.record_sent(db, {r.id: r.version for r in rows}, dt.date(2030, 2, 1), "post")
    return ids


def _open(qtbot: QtBot, db: Database, meeting_id: int) -> MeetingDialog:
    dialog = MeetingDialog(db, load_meeting_input(db, meeting_id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _alt(qtbot: QtBot, dialog: QWidget, key: Qt.Key) -> QWidget:
    qtbot.keyClick(dialog, key, ALT)
    focused = QApplication.focusWidget()
    assert focused is not None
    return focused


def _type_cell(qtbot: QtBot, table: QWidget, text: str) -> None:
    """F2 on the current cell, type, Tab to the next cell (the editor takes it)."""
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def _save(qtbot: QtBot, dialog: MeetingDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_letter_fields_and_programme_kinds_by_keyboard(
    qtbot: QtBot, sqlite_db: Database, boxes: dict[str, list[str]]
) -> None:
    ids = make_office(sqlite_db)
    _office(sqlite_db)
    dialog = _open(qtbot, sqlite_db, ids["meeting"])

    _alt(qtbot, dialog, Qt.Key.Key_F)
    assert dialog.tabs.currentWidget() is dialog.letter
    assert dialog.letter.subject.placeholderText() == "automatisch: Einladung: Kreisgruppensitzung am 12.03.2030"
    assert dialog.letter.signatory.placeholderText() == "aus den Einstellungen: Erika Muster"
    assert dialog.letter.letter_date.text() == "heute (Tag des Drucks)"
    salutation = _alt(qtbot, dialog, Qt.Key.Key_N)
    assert salutation is dialog.letter.salutation
    qtbot.keyClick(salutation, Qt.Key.Key_Down)
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_B), "Einladung zur Frühjahrssitzung")
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_U), "Dr. Jana Jäger")
    assert dialog.letter.signatory_role.placeholderText() == ""  # an own name: the office's function is not used
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_K), "Vorsitzende")
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_2), "Tom Schatz")
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_T), "Schatzmeister")
    qtbot.keyClick(dialog, Qt.Key.Key_H, ALT)  # the checkbox's own letter ticks it (as an animated click)
    qtbot.waitUntil(dialog.letter.print_venue_notes.isChecked)
    # An empty optional date cannot be typed into (ui/form_fields.OptionalDateEdit); its value is set.
    dialog.letter.letter_date.set_value(dt.date(2030, 2, 20))

    _alt(qtbot, dialog, Qt.Key.Key_G)
    table = _alt(qtbot, dialog, Qt.Key.Key_P)
    assert table is dialog.programme.table
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentColumn() == COL_KIND
    qtbot.keyClick(table, Qt.Key.Key_Right)  # a new row is a TOP
    _type_cell(qtbot, table, "14")
    _type_cell(qtbot, table, "14:45")
    _type_cell(qtbot, table, "Begrüßung und Bericht")
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.keyClick(table, Qt.Key.Key_P)  # typing in the Art cell opens its list at „Pause“
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.programme.kind(1) == "break")
    assert table.item(1, COL_TITLE).text() == "Pause"
    assert table.item(1, COL_KIND).text() == "Pause"
    qtbot.keyClick(table, Qt.Key.Key_Right)
    _type_cell(qtbot, table, "14.45")
    _type_cell(qtbot, table, "15 Uhr")
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Home)
    _type_cell(qtbot, table, "Pr")
    _type_cell(qtbot, table, "15:00")
    qtbot.keyClick(table, Qt.Key.Key_Right)
    _type_cell(qtbot, table, "Führung durchs Haus")
    assert [table.verticalHeaderItem(r).text() for r in range(3)] == ["TOP 1", "·", "·"]

    _save(qtbot, dialog)
    assert dialog.saved_id == ids["meeting"], (boxes, dialog.programme.error.text())
    saved = get_meeting(sqlite_db, ids["meeting"])
    assert (saved.salutation_style, saved.subject, saved.letter_date) == (
        "collegial", "Einladung zur Frühjahrssitzung", dt.date(2030, 2, 20),
    )  # fmt: skip
    assert (saved.signatory, saved.signatory_role, saved.signatory2, saved.signatory2_role) == (
        "Dr. Jana Jäger", "Vorsitzende", "Tom Schatz", "Schatzmeister",
    )  # fmt: skip
    assert saved.print_venue_notes is True
    assert [(a.kind, a.time, a.end_time, a.title) for a in saved.agenda] == [
        ("top", dt.time(14), dt.time(14, 45), "Begrüßung und Bericht"),
        ("break", dt.time(14, 45), dt.time(15), "Pause"),
        ("item", dt.time(15), None, "Führung durchs Haus"),
    ]  # fmt: skip

    again = _open(qtbot, sqlite_db, ids["meeting"])  # everything comes back as saved
    assert again.letter.salutation.currentData() == "collegial"
    assert again.letter.signatory2_role.text() == "Schatzmeister"
    assert [again.programme.kind(r) for r in range(3)] == ["top", "break", "item"]
    assert again.programme.table.item(1, COL_END).text() == "15:00"


def _mnemonics(widgets: list[QWidget]) -> list[str]:
    letters = []
    for widget in widgets:
        if isinstance(widget, QLabel | QAbstractButton) and (match := _MNEMONIC.search(widget.text())):
            letters.append(match[1].casefold())
    return letters


def test_every_input_has_a_buddy_and_each_page_unique_alt_letters(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = make_office(sqlite_db)
    dialog = _open(qtbot, sqlite_db, ids["meeting"])
    common = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    common += [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()]
    common_letters = [m[1].casefold() for text in common if (m := _MNEMONIC.search(text))]
    for index in range(dialog.tabs.count()):
        page = dialog.tabs.widget(index)
        letters = common_letters + _mnemonics(page.findChildren(QWidget))
        assert len(letters) == len(set(letters)), (dialog.tabs.tabText(index), sorted(letters))
    for form in (dialog.form, dialog.letter.form):
        for name, field in form.fields.items():
            labelled = [
                label for label in dialog.findChildren(QLabel)
                if label.buddy() is not None and field in (label.buddy(), label.buddy().focusProxy())
            ]  # fmt: skip
            checkbox_text = getattr(field, "text", lambda: "")()
            assert labelled or "&" in checkbox_text, name
    assert dialog.letter.print_venue_notes.text().startswith("&Hinweise")


def test_service_errors_beside_letter_and_programme_fields(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = make_office(sqlite_db)
    dialog = _open(qtbot, sqlite_db, ids["meeting"])
    _alt(qtbot, dialog, Qt.Key.Key_F)
    type_text(qtbot, _alt(qtbot, dialog, Qt.Key.Key_T), "Schatzmeister")  # a function without a name
    _alt(qtbot, dialog, Qt.Key.Key_A)
    _save(qtbot, dialog)
    assert dialog.saved_id is None
    assert dialog.tabs.currentWidget() is dialog.letter
    assert dialog.letter.form.errors["signatory2"].text() == "Zur Funktion der zweiten Unterschrift fehlt der Name."
    assert dialog.letter.form.errors["signatory2"].isVisible()
    assert QApplication.focusWidget() is dialog.letter.signatory2
    type_text(qtbot, dialog.letter.signatory2, "Tom Schatz")

    editor = dialog.programme
    editor.add_item("Bericht", dt.time(15), end_time=dt.time(14))
    editor.add_item("Ausklang")
    editor.table.setCurrentCell(1, COL_END)
    _alt(qtbot, dialog, Qt.Key.Key_G)
    _type_cell(qtbot, editor.table, "16:30")  # an end without a start
    _save(qtbot, dialog)
    assert dialog.saved_id is None
    assert dialog.tabs.currentWidget() is editor
    assert not dialog.letter.form.errors["signatory2"].isVisible()
    assert editor.error.text() == (
        "Programmpunkt 1: Das Ende liegt vor dem Beginn.\nProgrammpunkt 2: Zum Ende fehlt der Beginn."
    )
    assert editor.table.item(0, COL_END).toolTip() == "Programmpunkt 1: Das Ende liegt vor dem Beginn."
    assert editor.table.item(1, COL_START).toolTip() == "Programmpunkt 2: Zum Ende fehlt der Beginn."
    assert (editor.table.currentRow(), editor.table.currentColumn()) == (0, COL_END)

    editor.table.setCurrentCell(0, COL_END)
    _type_cell(qtbot, editor.table, "25:00")
    _save(qtbot, dialog)
    assert editor.error.text() == "Zeile 1: „25:00“ ist keine Uhrzeit wie 13:30."
    assert editor.table.item(1, COL_START).toolTip() == ""
    editor.table.setCurrentCell(0, COL_END)
    _type_cell(qtbot, editor.table, "16")
    editor.table.setCurrentCell(1, COL_START)
    _type_cell(qtbot, editor.table, "16")
    _save(qtbot, dialog)
    assert dialog.saved_id == ids["meeting"]
    assert [(a.time, a.end_time) for a in get_meeting(sqlite_db, ids["meeting"]).agenda] == [
        (dt.time(15), dt.time(16)), (dt.time(16), dt.time(16, 30)),
    ]  # fmt: skip


def test_moving_a_meeting_offers_the_change_letter(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, boxes: dict[str, list[str]]
) -> None:
    ids = _sent_office(sqlite_db)
    out = tmp_path / "Terminänderung.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    dialog = _open(qtbot, sqlite_db, ids["meeting"])
    starts = _alt(qtbot, dialog, Qt.Key.Key_B)
    assert starts is dialog.starts
    qtbot.keyClick(starts, Qt.Key.Key_Up)  # the day, one up: Wednesday 13 March instead of Tuesday 12 March
    with preview_answered(lambda preview: (preview.save_button.click(), preview.open_button.click())):
        _save(qtbot, dialog)

    assert boxes["questions"][0] == (
        "Für diesen Termin wurden bereits 2 Einladungen verschickt. Seitdem hat sich geändert:\n"
        "• Datum: neu Mittwoch, 13. März 2030 (bisher Dienstag, 12. März 2030)\n\n"
        "Jetzt die Terminänderung an alle Eingeladenen drucken?"
    )
    assert boxes["questions"][1] == "Terminänderung als verschickt vermerken?"
    assert boxes["opened"] == [str(out)]
    text = _pdf_text(out)
    assert "Terminänderung" in text
    assert "Mittwoch, 13. März 2030" in text
    assert not out.with_name(out.name + ".tmp").exists()
    assert not notices_due(sqlite_db, ids["meeting"]).any  # noted as sent: the new date is the announced one

    again = _open(qtbot, sqlite_db, ids["meeting"])
    _save(qtbot, again)  # nothing new to tell: no question
    assert len(boxes["questions"]) == 2


def test_change_letter_from_the_documents_menu_not_noted(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, boxes: dict[str, list[str]]
) -> None:
    ids = _sent_office(sqlite_db)
    dialog = _open(qtbot, sqlite_db, ids["meeting"])
    qtbot.keyClick(_alt(qtbot, dialog, Qt.Key.Key_D), Qt.Key.Key_Up)  # the end an hour later
    boxes["answers"][:] = ["Nein"]
    _save(qtbot, dialog)
    assert "• Uhrzeit: neu 14:00 bis 17:00 Uhr (bisher 14:00 bis 16:00 Uhr)" in boxes["questions"][0]

    out = tmp_path / "aenderung.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    boxes["answers"][:] = ["Nein"]
    _print_from_menu(qtbot, sqlite_db, ids["meeting"], "Terminänderung an alle Eingeladenen")
    assert boxes["questions"][-1] == "Terminänderung als verschickt vermerken?"
    assert "Terminänderung" in _pdf_text(out)
    assert notices_due(sqlite_db, ids["meeting"]).changes  # still due: not noted as sent


def _print_from_menu(qtbot: QtBot, db: Database, meeting_id: int, label: str) -> Path | None:
    """Drucken / PDF for a meeting: pick `label` in the document dialog like a user and create it."""
    parent = QWidget()
    qtbot.addWidget(parent)

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DocumentDialog):
            QTimer.singleShot(10, choose)
            return
        dialog.kind.setCurrentIndex(dialog.kind.findText(label))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).buttons()[0], Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    meeting = get_meeting(db, meeting_id)
    with preview_answered(lambda preview: preview.save_button.click()):
        return ask_and_make(parent, db, meeting_documents(meeting_id, meeting.title, meeting.starts_at.year))


def test_cancelling_offers_the_cancellation_once(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, boxes: dict[str, list[str]]
) -> None:
    ids = _sent_office(sqlite_db)
    dialog = _open(qtbot, sqlite_db, ids["meeting"])
    status = _alt(qtbot, dialog, Qt.Key.Key_U)
    status.setCurrentIndex(status.findText("abgesagt"))
    boxes["answers"][:] = ["Nein"]
    _save(qtbot, dialog)
    assert boxes["questions"] == [
        "Für diesen Termin wurden bereits 2 Einladungen verschickt. Jetzt die Absage an alle Eingeladenen drucken?"
    ]
    later = _open(qtbot, sqlite_db, ids["meeting"])
    type_text(qtbot, _alt(qtbot, later, Qt.Key.Key_H), " (fällt aus)")
    _save(qtbot, later)
    assert len(boxes["questions"]) == 1  # already cancelled before: not asked at every later save

    out = tmp_path / "absage.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    assert _print_from_menu(qtbot, sqlite_db, ids["meeting"], "Absage an alle Eingeladenen") == out
    assert "Absage" in _pdf_text(out)
    assert len(boxes["questions"]) == 1  # nothing to note for a cancellation

    _print_from_menu(qtbot, sqlite_db, ids["meeting"], "Terminänderung an alle Eingeladenen")
    assert "abgesagt" in boxes["shown"][-1]  # the service's sentence, as a warning
