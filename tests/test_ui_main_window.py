"""The main window and the member directory, driven like a user; the database is checked afterwards."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from geschaeftsstelle import members, office
from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.meetings import MeetingInput, save_meeting
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Member
from tests.gui_helpers import type_text
from ui.app import make_application
from ui.contact_dialog import ContactDialog
from ui.main_window import MainWindow
from ui.member_dialog import MemberDialog
from ui.pages import CONTACTS, MEETINGS, MEMBERS, SETTINGS

pytestmark = pytest.mark.gui
ROOT = Path(__file__).parent.parent


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database) -> MainWindow:
    make_application()
    w = MainWindow(sqlite_db)
    qtbot.addWidget(w)
    w.show()
    return w


def on_modal(cls: type, act: Callable[[QWidget], None]) -> None:
    """Act on the modal dialog the next call opens (as a user would, while it waits)."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(10, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def test_empty_database_offers_three_ways_to_start(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    assert window.stack.currentWidget() is window.welcome
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert window.current_index() == MEMBERS
    assert window.members.model.rowCount() == 35
    assert window.members.proxy.rowCount() == 33  # two demo members have left
    qtbot.mouseClick(window.welcome.letterhead_button, Qt.MouseButton.LeftButton)
    assert window.current_index() == SETTINGS


def test_pages_shortcuts_and_restored_state(qtbot: QtBot, sqlite_db: Database) -> None:
    load_demo(sqlite_db)
    make_application()
    w = MainWindow(sqlite_db)
    qtbot.addWidget(w)
    w.show()
    w.page_actions[MEETINGS].trigger()
    assert w.current_index() == MEETINGS
    assert w.meetings.overview.model.rowCount() == 9
    assert w.page_actions[CONTACTS].shortcut().toString() == "Ctrl+3".replace("3", str(CONTACTS + 1))
    assert w.new_action.shortcut().toString() == "Ctrl+N"
    assert w.find_action.shortcut().toString() == "Ctrl+F"
    assert w.print_action.shortcut().toString() == "Ctrl+P"
    assert w.refresh_action.shortcut().toString() == "F5"
    w.resize(960, 651)
    w.close()
    assert QSettings().value("window/page") in (MEETINGS, str(MEETINGS))
    again = MainWindow(sqlite_db)
    qtbot.addWidget(again)
    assert again.current_index() == MEETINGS
    assert again.size().height() == 651  # the offscreen screen is 800 px wide: width is clamped


@pytest.mark.parametrize("query", ["MÜLLER", "muller", "Müller", "Mueller"])
def test_search_ignores_case_and_accents(qtbot: QtBot, window: MainWindow, sqlite_db: Database, query: str) -> None:
    """Umlauts typed spelled out or without dots find each other (issue 18, defect 9); Miller is no Müller."""
    for name, city in (("Müller-Stiftung", "Weimar"), ("Tafel", "Apolda"), ("Mueller GmbH", "Jena"),
                       ("Miller & Co", "Erfurt")):  # fmt: skip
        members.save_member(sqlite_db, members.MemberInput(name=name, city=city))
    window.members.refresh()
    type_text(qtbot, window.members.search, query)
    shown = [window.members.proxy.index(r, 0).data() for r in range(window.members.proxy.rowCount())]
    assert sorted(shown) == ["Mueller GmbH", "Müller-Stiftung"]
    assert window.members.count.text() == "2 von 4 Mitgliedern"


def test_new_member_with_inline_errors_then_contact(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    window.show_page(MEMBERS)

    def fill_member(d: MemberDialog) -> None:
        type_text(qtbot, d.name, "Kinder <Zukunft> & Familie e. V.")
        type_text(qtbot, d.email, "kaputt")
        type_text(qtbot, d.postal_code, "9942")
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
        assert d.isVisible()  # refused: the messages stand beside the fields
        assert "E-Mail-Adresse" in d.form.errors["email"].text()
        assert d.form.errors["email"].isVisible()
        assert "Postleitzahl" in d.form.errors["postal_code"].text()
        d.email.clear()
        type_text(qtbot, d.email, "info@kinder.example")
        d.postal_code.clear()
        type_text(qtbot, d.postal_code, "99423")
        type_text(qtbot, d.tags, "Familie, Kinder")

        def fill_contact(c: ContactDialog) -> None:
            c.salutation.setCurrentIndex(c.salutation.findData("Frau"))
            type_text(qtbot, c.title_edit, "Dr.")
            type_text(qtbot, c.first_name, "Anna")
            type_text(qtbot, c.last_name, "Beispiel")
            assert c.is_primary.isChecked()  # the first person of a member becomes its primary contact
            qtbot.mouseClick(c.save_button, Qt.MouseButton.LeftButton)

        on_modal(ContactDialog, fill_contact)
        qtbot.mouseClick(d.add_contact_button, Qt.MouseButton.LeftButton)
        assert d.contacts_model.rowCount() == 1
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

    on_modal(MemberDialog, fill_member)
    window.new_action.trigger()
    with sqlite_db.read() as s:
        m = s.scalars(select(Member)).one()
        assert (m.name, m.email, m.postal_code, m.tags) == (
            "Kinder <Zukunft> & Familie e. V.",
            "info@kinder.example",
            "99423",
            ["Familie", "Kinder"],
        )
        c = s.scalars(select(Contact)).one()
        assert (c.salutation, c.title, c.full_name, c.is_primary) == ("Frau", "Dr.", "Dr. Anna Beispiel", True)
    row = window.members.model.row_at(0)
    assert row.primary_contact == "Dr. Anna Beispiel"
    assert window.members.proxy.index(0, 0).data() == "Kinder <Zukunft> & Familie e. V."


def test_hostile_text_is_saved_and_shown_as_typed(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    mid = members.save_member(sqlite_db, members.MemberInput(name="Start"))
    window.members.refresh()
    note = "Notiz " * 1700  # about 10,000 characters
    name = "<b>&amp;</b> 🎉 جمعية الرعاية"

    def edit(d: MemberDialog) -> None:
        d.name.clear()
        type_text(qtbot, d.name, name)
        d.notes.setPlainText(note)
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

    window.members.select_id(mid)
    on_modal(MemberDialog, edit)
    window.members.edit_selected()
    m = members.get_member(sqlite_db, mid)
    assert m.name == name
    assert m.notes == note.strip()
    assert window.members.proxy.index(0, 0).data() == name


def test_delete_with_history_offers_former_member(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = members.save_member(sqlite_db, members.MemberInput(name="Camsin e. V."))
    cid = members.save_contact(sqlite_db, members.ContactInput(member_id=mid, last_name="Beispiel"))
    meeting = save_meeting(
        sqlite_db, MeetingInput("Sitzung", dt.datetime(2020, 2, 12, 14), dt.datetime(2020, 2, 12, 16))
    )
    with sqlite_db.transaction() as s:
        s.add(Invitation(meeting_id=meeting, contact_id=cid))
    window.show_page(MEMBERS)
    window.members.refresh()
    window.members.select_id(mid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    explanations: list[str] = []

    def choose_former(box: QMessageBox) -> int:
        explanations.append(box.text())
        former = next(b for b in box.buttons() if b.text() == "Als ehemaliges Mitglied setzen")
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self: former)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_former)
    window.delete_action.trigger()
    assert "Geschichte" in explanations[0]
    m = members.get_member(sqlite_db, mid)
    assert m.left_on == dt.date.today()
    assert window.members.proxy.rowCount() == 0  # now listed under former members
    window.members.filter.setCurrentIndex(window.members.filter.findData("former"))
    assert window.members.proxy.rowCount() == 1


def test_external_contact_in_contacts_view(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    members.save_member(sqlite_db, members.MemberInput(name="Camsin e. V."))
    window.show_page(CONTACTS)

    def fill(c: ContactDialog) -> None:
        c.salutation.setCurrentIndex(c.salutation.findData(""))
        type_text(qtbot, c.first_name, "Kim")
        type_text(qtbot, c.last_name, "Muster")
        assert c.organisation.isEnabled()
        assert not c.is_primary.isEnabled()
        type_text(qtbot, c.organisation, "Thüringer Allgemeine")
        type_text(qtbot, c.postal_code, "99423")
        type_text(qtbot, c.city, "Weimar")
        type_text(qtbot, c.needs, "Gebärdensprachdolmetschung")
        qtbot.mouseClick(c.save_button, Qt.MouseButton.LeftButton)

    on_modal(ContactDialog, fill)
    window.new_action.trigger()
    row = window.contacts.model.row_at(0)
    assert (row.name, row.organisation, row.needs, row.salutation) == (
        "Kim Muster",
        "Thüringer Allgemeine",
        "Gebärdensprachdolmetschung",
        "",
    )
    type_text(qtbot, window.contacts.search, "thuringer")
    assert window.contacts.proxy.rowCount() == 1


def test_settings_letterhead_with_iban_check(qtbot: QtBot, window: MainWindow, sqlite_db: Database) -> None:
    window.show_page(SETTINGS)
    view = window.settings
    type_text(qtbot, view.fields["name"], "Paritätische Kreisgruppe Weimar")
    type_text(qtbot, view.fields["iban"], "DE82 8305 3030 0018 0092 21")
    assert "Prüfziffer" in view.form.errors["iban"].text()  # checked while typing
    window.save_action.trigger()
    assert not office.is_configured(sqlite_db)
    view.fields["iban"].clear()
    type_text(qtbot, view.fields["iban"], "DE82 8305 3030 0018 0092 20")
    view.state.setCurrentIndex(view.state.findData("TH"))
    window.save_action.trigger()
    o = office.get_office(sqlite_db)
    assert (o.name, o.iban, o.state) == ("Paritätische Kreisgruppe Weimar", "DE82830530300018009220", "TH")
    assert view.fields["iban"].text() == "DE82 8305 3030 0018 0092 20"
    assert sqlite_db.describe() in view.location.text()


def test_screenshot_mode_writes_one_png_per_view(sqlite_db: Database, tmp_path: Path) -> None:
    load_demo(sqlite_db)
    out = tmp_path / "bilder"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", sqlite_db.describe(), "--screenshots", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs[:5] == [
        "1-mitglieder.png",
        "2-kontakte.png",
        "3-termine.png",
        "4-ehrenamtspreis.png",
        "5-einstellungen.png",
    ]
    assert "6-mitglied-dialog.png" in pngs
    assert all((out / p).stat().st_size > 10_000 for p in pngs)


@pytest.mark.parametrize("choice", ["Neu laden", "Trotzdem überschreiben"])
def test_second_desk_saving_the_same_member_sees_the_other_change(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    mid = members.save_member(sqlite_db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    desk_a = MemberDialog(sqlite_db, mid)
    desk_b = MemberDialog(sqlite_db, mid)
    qtbot.addWidget(desk_a)
    qtbot.addWidget(desk_b)
    desk_a.city.clear()
    type_text(qtbot, desk_a.city, "Apolda")
    qtbot.mouseClick(desk_a.save_button, Qt.MouseButton.LeftButton)
    shown: list[str] = []

    def pick(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        button = next(b for b in box.buttons() if b.text() == choice)
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self: button)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", pick)
    desk_b.city.clear()
    type_text(qtbot, desk_b.city, "Jena")
    qtbot.mouseClick(desk_b.save_button, Qt.MouseButton.LeftButton)
    assert "Ort: gespeichert „Apolda“, Ihre Eingabe „Jena“" in shown[0]
    saved = members.get_member(sqlite_db, mid).city
    if choice == "Neu laden":
        assert saved == "Apolda"  # nothing silently overwritten
        assert desk_b.city.text() == "Apolda"
    else:
        assert saved == "Jena"  # overwritten knowingly
