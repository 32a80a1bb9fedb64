"""The setup assistant, walked with the keyboard only: letterhead in five steps, a wrong IBAN refused on its
page in German, the letterhead preview, how to begin; skipping saves nothing; repeatable from Einstellungen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from geschaeftsstelle import office
from geschaeftsstelle.store.database import Database
from tests.gui_helpers import type_text
from ui.app import make_application
from ui.first_run import START_DEMO, START_EMPTY, FirstRunWizard

pytestmark = pytest.mark.gui


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot: QtBot, text: str, then: Qt.Key = Qt.Key.Key_Tab) -> None:
    type_text(qtbot, _focus(), text)
    qtbot.keyClick(_focus(), then)


def _next(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    page = wizard.currentId()
    qtbot.keyClick(_focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() != page)


def _open(qtbot: QtBot, db: Database, **kwargs: bool) -> FirstRunWizard:
    make_application()
    wizard = FirstRunWizard(db, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    return wizard


def test_the_assistant_by_keyboard(qtbot: QtBot, db: Database) -> None:
    wizard = _open(qtbot, db)
    assert _focus() is wizard.fields["name"]  # the first input, not a button
    qtbot.keyClick(_focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == 0  # a name is needed
    assert "Namen der Geschäftsstelle" in wizard.currentPage().error.text()  # type: ignore[attr-defined]
    _type(qtbot, "Kreisgruppe Weimar")
    type_text(qtbot, _focus(), "KG Weimar")
    _next(qtbot, wizard)

    _type(qtbot, "Markt 1")
    _type(qtbot, "99423")
    _type(qtbot, "Weimar")
    assert _focus() is wizard.state
    type_text(qtbot, _focus(), "Th")  # Thüringen, as typed in a combo box
    _next(qtbot, wizard)

    _type(qtbot, "03643 123456")
    _type(qtbot, "")  # no fax
    type_text(qtbot, _focus(), "kg@example.org")
    _next(qtbot, wizard)

    _type(qtbot, "Sparkasse Mittelthüringen")
    type_text(qtbot, _focus(), "DE89 3704 0044 0532 0130 01")  # one digit wrong
    bank = wizard.currentId()
    qtbot.keyClick(_focus(), Qt.Key.Key_Return)
    assert wizard.currentId() == bank
    assert "IBAN" in wizard.currentPage().error.text()  # type: ignore[attr-defined]
    qtbot.keyClick(_focus(), Qt.Key.Key_Backspace)
    type_text(qtbot, _focus(), "0")
    _next(qtbot, wizard)

    _type(qtbot, "Erika Muster")
    type_text(qtbot, _focus(), "Geschäftsführerin")
    _next(qtbot, wizard)

    preview = wizard.currentPage().picture  # type: ignore[attr-defined]
    assert not preview.pixmap().isNull()  # the letterhead as it will print
    assert preview.pixmap().width() > 300
    _next(qtbot, wizard)

    qtbot.keyClick(_focus(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # &Leer beginnen
    qtbot.waitUntil(lambda: wizard.start_page.choice() == START_EMPTY)  # a mnemonic clicks after 100 ms
    qtbot.keyClick(_focus(), Qt.Key.Key_Return)  # Fertig
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.start == START_EMPTY

    o = office.get_office(db)
    assert (o.name, o.short_name, o.street, o.postal_code, o.city, o.state) == (
        "Kreisgruppe Weimar", "KG Weimar", "Markt 1", "99423", "Weimar", "TH"
    )  # fmt: skip
    assert (o.phone, o.fax, o.email) == ("03643 123456", None, "kg@example.org")
    assert (o.bank_name, o.iban) == ("Sparkasse Mittelthüringen", "DE89370400440532013000")
    assert (o.signatory, o.signatory_role) == ("Erika Muster", "Geschäftsführerin")


def test_skipping_saves_nothing(qtbot: QtBot, db: Database) -> None:
    wizard = _open(qtbot, db)
    type_text(qtbot, _focus(), "Halb eingetragen")
    qtbot.keyClick(_focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.start is None
    assert not office.is_configured(db)


def test_demo_data_with_the_own_letterhead(qtbot: QtBot, db: Database) -> None:
    wizard = _open(qtbot, db)
    type_text(qtbot, _focus(), "Netzwerk Ehrenamt Jena")
    for _page in range(6):
        _next(qtbot, wizard)
    qtbot.keyClick(_focus(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # &Demo-Daten laden
    qtbot.waitUntil(lambda: wizard.start_page.choice() == START_DEMO)
    qtbot.keyClick(_focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.start == START_DEMO
    assert not db.is_empty()
    assert office.get_office(db).name == "Netzwerk Ehrenamt Jena"


def test_repeated_from_the_settings(qtbot: QtBot, db: Database) -> None:
    office.save_office(db, office.OfficeInput(name="Kreisgruppe Apolda", city="Apolda"))
    make_application()
    from ui.settings_view import SettingsView

    view = SettingsView(db)
    qtbot.addWidget(view)
    view.show()
    walked: list[int] = []

    def walk() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard):
            QTimer.singleShot(10, walk)
            return
        assert wizard.fields["name"].text() == "Kreisgruppe Apolda"  # what is saved, to change
        assert wizard.fields["city"].text() == "Apolda"
        wizard.fields["name"].selectAll()
        type_text(qtbot, wizard.fields["name"], "Kreisgruppe Apolda-Weimar")
        while wizard.currentId() != wizard.pageIds()[-1]:
            walked.append(wizard.currentId())
            wizard.next()
        assert wizard.pageIds()[-1] == 5  # the letterhead only: no import or demo a second time
        wizard.accept()

    QTimer.singleShot(0, walk)
    qtbot.keyClick(view.assistant_button, Qt.Key.Key_Space)
    assert view.fields["name"].text() == "Kreisgruppe Apolda-Weimar"
    assert office.get_office(db).name == "Kreisgruppe Apolda-Weimar"
