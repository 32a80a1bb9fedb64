"""The main window: navigation between the office's areas, menus and toolbar, status bar.

Each page is a self-contained view with its own `*Changed` signals; this window connects them in one
place (`_connect_pages`) so a change in one area refreshes the others that show the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import APP_NAME, __version__, exchange, paths
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from ui.audit_log_view import AuditLogDialog
from ui.awards import AwardsView
from ui.contacts_view import ContactsView
from ui.documents_menu import print_documents
from ui.icons import themed
from ui.meetings import MeetingsView
from ui.members_view import MembersView
from ui.page_stack import PageStack, scrolling
from ui.pages import AWARDS, CONTACTS, MEETINGS, MEMBERS, PAGES, SETTINGS, DocumentSource
from ui.settings_view import SettingsView

__all__ = ["AWARDS", "CONTACTS", "MEETINGS", "MEMBERS", "PAGES", "SETTINGS", "MainWindow"]

NAV_ICONS = ("users", "address-book", "calendar-event", "award", "settings")  # in the order of PAGES
#: The Ansicht menu's entries: PAGES, each with its own Alt-letter.
PAGE_MENU_TEXTS = ("&Mitglieder", "&Kontakte", "&Termine", "&Ehrenamtspreis", "Ei&nstellungen")


class WelcomePage(QWidget):
    """Shown on an empty database: the three ways to begin."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(f"<h2>Willkommen bei {APP_NAME}</h2>")
        text = QLabel(
            "Die Datenbank ist noch leer. Womit möchten Sie beginnen?\n"
            "Sie können alles später unter „Datei“ und „Einstellungen“ nachholen."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.assistant_button = QPushButton("Einrichtungsassistent …")
        self.letterhead_button = QPushButton("Briefkopf einrichten")
        self.import_button = QPushButton("Mitgliederliste importieren …")
        self.demo_button = QPushButton("Demo-Daten laden")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        for button in (self.assistant_button, self.letterhead_button, self.import_button, self.demo_button):
            button.setMinimumWidth(320)
            button.setMinimumHeight(40)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(APP_NAME)
        icon = paths.resource("icons", "app.png")
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))

        self.members = MembersView(db, load=False)
        self.contacts = ContactsView(db, load=False)
        self.meetings = self._make_meetings_page()
        self.awards = AwardsView(db)
        self.awards.new_action.setShortcut(QKeySequence())  # Ctrl+N: the window's "Neu" calls new_nomination
        self.settings = SettingsView(db)
        self.welcome = WelcomePage()
        self.pages: list[QWidget] = [self.members, self.contacts, self.meetings, self.awards, self.settings]
        self._refresh = [page.refresh for page in (self.members, self.contacts, self.meetings, self.awards,
                                                   self.settings)]  # fmt: skip
        self._stale: set[int] = {MEMBERS, CONTACTS, MEETINGS}  # read when first shown: startup reads one list

        self.nav = QListWidget()
        self.nav.setAccessibleName("Bereiche")
        self.nav.setFixedWidth(170)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(4)
        for name in PAGES:
            self.nav.addItem(QListWidgetItem(name))
        self.stack = PageStack()
        for page in self.pages:
            self.stack.addWidget(page)
        self.stack.addWidget(self.welcome)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(scrolling(self.stack), 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_page)

        self._make_actions()
        self._make_menus()
        self._set_icons()
        self._connect_pages()
        self.statusBar().showMessage(f"Datenbank: {db.describe()}", 8000)
        self._restore_state()
        if db.is_empty():
            self.stack.setCurrentWidget(self.welcome)
            self.nav.blockSignals(True)
            self.nav.clearSelection()
            self.nav.blockSignals(False)
            for action in (self.new_action, self.find_action, self.delete_action, self.save_action):
                action.setEnabled(False)  # the welcome page has nothing to create, find or delete

    def _make_meetings_page(self) -> MeetingsView:
        """The Termine page: the list with its own toolbar (plan, programme, replies, check-in, statistics)."""
        view = MeetingsView(self.db, load=False)
        view.new_action.setShortcut(QKeySequence())  # Ctrl+N belongs to the window's "Neu", which calls it
        return view

    # ------------------------------------------------------------------ actions and menus

    def _action(
        self, text: str, slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = "",
    ) -> QAction:  # fmt: skip
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        self.new_action = self._action("&Neu …", self.new_record, QKeySequence.StandardKey.New, "Neuen Eintrag anlegen")
        self.find_action = self._action("Su&chen", self.focus_search, QKeySequence.StandardKey.Find)
        self.print_action = self._action(
            "&Drucken / PDF …", self.print_current, QKeySequence.StandardKey.Print, "Dokument als PDF erzeugen"
        )
        self.save_action = self._action("&Speichern", self.save_current, QKeySequence.StandardKey.Save)
        self.refresh_action = self._action("&Aktualisieren", self.refresh_all, QKeySequence.StandardKey.Refresh)
        self.delete_action = self._action("&Löschen …", self.delete_selected, QKeySequence.StandardKey.Delete)
        self.import_members_action = self._action("Mitgliederliste &importieren …", self.import_member_list)
        self.export_members_action = self._action("Mitglieder &exportieren …", self.export_member_list)
        self.export_all_action = self._action("Alle Daten exportieren (&JSON) …", self.export_all)
        self.backup_action = self._action("&Sicherung jetzt", self.backup_now)
        self.restore_action = self._action("Aus Sicherung &wiederherstellen …", self.restore_backup)
        self.quit_action = self._action("&Beenden", self.close, QKeySequence.StandardKey.Quit)
        self.audit_action = self._action("Ä&nderungsprotokoll …", self.show_audit_log)
        self.access_action = self._action("&Auskunft für ausgewählte Person …", self.access_report)
        self.erase_action = self._action("Ausgewählte Person nach DSGVO &löschen …", self.erase_person)
        self.former_action = self._action("&Kontakte ehemaliger Mitglieder …", self.former_members_contacts)
        self.about_action = self._action("Ü&ber Geschäftsstelle", self.about)
        self.reply_entry_action = self._action(
            "&Rückmeldung erfassen …", self.enter_replies, "Ctrl+R", "Antwortformulare per Code erfassen"
        )
        self.addAction(self.reply_entry_action)  # Ctrl+R from every page
        self.page_actions = []
        for i, text in enumerate(PAGE_MENU_TEXTS):
            action = self._action(text, partial(self.show_page, i), f"Ctrl+{i + 1}")
            self.page_actions.append(action)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Datei")
        for a in (self.new_action, self.print_action, None, self.import_members_action, self.export_members_action,
                  self.export_all_action, None, self.backup_action, self.restore_action, None,
                  self.quit_action):  # fmt: skip
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        edit_menu = bar.addMenu("&Bearbeiten")
        for a in (self.find_action, self.save_action, self.delete_action, None, self.refresh_action):
            edit_menu.addSeparator() if a is None else edit_menu.addAction(a)
        view_menu = bar.addMenu("&Ansicht")
        for a in self.page_actions:
            view_menu.addAction(a)
        extras = bar.addMenu("E&xtras")
        extras.addAction(self.reply_entry_action)
        extras.addAction(self.audit_action)
        privacy = extras.addMenu("&Datenschutz (DSGVO)")
        for a in (self.access_action, self.erase_action, self.former_action):
            privacy.addAction(a)
        help_menu = bar.addMenu("&Hilfe")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Werkzeuge")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(20, 20))
        self.toolbar = toolbar
        for a in (self.new_action, self.find_action, self.print_action, self.refresh_action, self.delete_action):
            toolbar.addAction(a)

    def _set_icons(self) -> None:
        """Tabler icons (ui/icons.py) for the navigation, the toolbar and the menus, in the palette's colour."""
        for action, name in (
            (self.new_action, "plus"), (self.find_action, "search"), (self.print_action, "printer"),
            (self.save_action, "device-floppy"), (self.refresh_action, "refresh"), (self.delete_action, "trash"),
            (self.import_members_action, "file-import"), (self.export_members_action, "file-export"),
            (self.export_all_action, "database-export"), (self.backup_action, "archive"),
            (self.restore_action, "restore"), (self.quit_action, "logout"), (self.audit_action, "history"),
            (self.access_action, "shield-lock"), (self.about_action, "info-circle"),
        ):  # fmt: skip
            themed(action, name)
        for action, name in zip(self.page_actions, NAV_ICONS, strict=True):
            themed(action, name)
        for row, action in enumerate(self.page_actions):  # the list shows the same icons as Ansicht
            item = self.nav.item(row)
            item.setIcon(action.icon())
            action.changed.connect(lambda item=item, action=action: item.setIcon(action.icon()))
        for button, name in ((self.welcome.assistant_button, "player-play"),
                             (self.welcome.letterhead_button, "building"), (self.welcome.import_button, "file-import"),
                             (self.welcome.demo_button, "users")):  # fmt: skip
            themed(button, name)

    def _connect_pages(self) -> None:
        for page in (self.members, self.contacts, self.meetings, self.awards, self.settings):
            signal = getattr(page, "statusMessage", None)
            if signal is not None:
                signal.connect(lambda message: self.statusBar().showMessage(message, 6000))
        self.members.membersChanged.connect(lambda: self._invalidate(CONTACTS))
        self.members.membersChanged.connect(self._leave_welcome)
        self.contacts.contactsChanged.connect(lambda: self._invalidate(MEMBERS))
        self.meetings.meetingsChanged.connect(lambda: self._invalidate(AWARDS))
        self.awards.awardsChanged.connect(lambda: self._invalidate(MEETINGS))  # the ceremony's invitees
        self.welcome.letterhead_button.clicked.connect(lambda: self.show_page(SETTINGS))
        self.welcome.assistant_button.clicked.connect(self.first_run)
        self.welcome.import_button.clicked.connect(self.import_member_list)
        self.welcome.demo_button.clicked.connect(self.load_demo)

    # ------------------------------------------------------------------ pages

    def _invalidate(self, index: int) -> None:
        """Reload a page now if it is shown, else when it is next shown."""
        if self.current_index() == index:
            self._refresh[index]()
            self._stale.discard(index)
        else:
            self._stale.add(index)

    def show_page(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self._refresh[index]()
        self.stack.setCurrentWidget(self.pages[index])
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        self.save_action.setEnabled(index == SETTINGS)
        self.delete_action.setEnabled(index in (MEMBERS, CONTACTS))
        self.new_action.setEnabled(index in (MEMBERS, CONTACTS, MEETINGS, AWARDS))
        self.find_action.setEnabled(index in (MEMBERS, CONTACTS))

    def current_index(self) -> int:
        widget = self.stack.currentWidget()
        return self.pages.index(widget) if widget in self.pages else -1

    def _leave_welcome(self) -> None:
        if self.stack.currentWidget() is self.welcome:
            self.show_page(MEMBERS)

    def new_record(self) -> None:
        page = self.current_index()
        if page == MEMBERS:
            self.members.new()
        elif page == CONTACTS:
            self.contacts.new()
        elif page == MEETINGS:
            self.meetings.new_meeting()
        elif page == AWARDS:
            self.awards.new_nomination()

    def focus_search(self) -> None:
        page = self.current_index()
        if page == MEMBERS:
            self.members.focus_search()
        elif page == CONTACTS:
            self.contacts.focus_search()

    def save_current(self) -> None:
        if self.current_index() == SETTINGS:
            self.settings.save()

    def delete_selected(self) -> None:
        page = self.current_index()
        if page == MEMBERS:
            self.members.delete_selected()
        elif page == CONTACTS:
            self.contacts.delete_selected()

    def refresh_all(self) -> None:
        for index in range(len(self.pages)):
            self._invalidate(index)
        self.statusBar().showMessage("Aktualisiert.", 3000)

    def print_current(self) -> None:
        """The documents the page shown offers (`DocumentSource`); the page decides, the window prints."""
        index = self.current_index()
        page = self.pages[index] if index >= 0 else None
        choices = page.document_choices() if isinstance(page, DocumentSource) else None
        if (out := print_documents(self, self.db, choices)) is not None:
            self.statusBar().showMessage(f"PDF gespeichert: {out}", 8000)

    # ------------------------------------------------------------------ data in and out

    def first_run(self) -> None:
        """The setup assistant (ui/first_run.py): letterhead, then import, demo data or an empty start."""
        from ui.first_run import START_DEMO, START_IMPORT, run_first_run

        start = run_first_run(self, self.db)
        if start is None:
            return
        self.refresh_all()
        if start == START_IMPORT:
            self.import_member_list()
        elif start == START_DEMO:
            self.show_page(MEMBERS)
            self.statusBar().showMessage("Briefkopf gespeichert, Demo-Daten geladen.", 8000)
        else:
            self.statusBar().showMessage("Briefkopf gespeichert.", 8000)

    def offer_first_run(self) -> None:
        """At the start of the program on a database without data or letterhead: the assistant once."""
        from geschaeftsstelle.office import is_configured

        if self.db.is_empty() and not is_configured(self.db):
            self.first_run()

    def load_demo(self) -> None:
        from geschaeftsstelle.demo import load_demo

        try:
            counts = load_demo(self.db)
        except UserError as exc:
            QMessageBox.warning(self, "Demo-Daten", str(exc))
            return
        self.refresh_all()
        self.show_page(MEMBERS)
        self.statusBar().showMessage(
            f"Demo-Daten geladen: {counts['members']} Mitglieder, {counts['meetings']} Termine.", 8000
        )

    def import_member_list(self) -> None:
        from ui.import_wizard import run_import_wizard

        if run_import_wizard(self, self.db):
            self.refresh_all()
            self.show_page(MEMBERS)

    def export_member_list(self) -> None:
        from geschaeftsstelle.member_export import export_members

        path, _ = QFileDialog.getSaveFileName(
            self, "Mitglieder exportieren", str(Path.home() / "Mitglieder.xlsx"), "Excel (*.xlsx);;CSV (*.csv)"
        )
        if not path:
            return
        try:
            count = export_members(self.db, Path(path))
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, "Mitglieder exportieren", str(exc))
            return
        self.statusBar().showMessage(f"{count} Mitglieder exportiert nach {path}.", 8000)

    def export_all(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Alle Daten exportieren", str(Path.home() / "geschaeftsstelle.json"), "JSON (*.json)"
        )
        if not path:
            return
        try:
            exchange.export_file(self.db, Path(path))
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return
        self.statusBar().showMessage(f"Alle Daten exportiert nach {path}.", 8000)

    def backup_now(self) -> None:
        from ui.backup_dialog import backup_now

        if (made := backup_now(self, self.db)) is not None:
            self.statusBar().showMessage(f"Gesichert: {made.path}", 8000)

    def restore_backup(self) -> None:
        from geschaeftsstelle.store.backup import POSTGRES_MESSAGE
        from ui.backup_dialog import RestoreDialog

        if not self.db.is_sqlite:
            QMessageBox.information(self, "Wiederherstellen", POSTGRES_MESSAGE)
            return
        dialog = RestoreDialog(self.db, self)
        if dialog.exec():
            self.refresh_all()
            self.statusBar().showMessage(f"Wiederhergestellt; der vorherige Stand liegt in {dialog.kept}.", 10000)

    # ------------------------------------------------------------------ extras

    def show_audit_log(self) -> None:
        AuditLogDialog(self.db, parent=self).exec()

    def _selected_contact_id(self) -> int | None:
        if self.current_index() != CONTACTS or self.contacts.selected() is None:
            QMessageBox.information(self, "Datenschutz", "Bitte zuerst unter „Kontakte“ eine Person auswählen.")
            return None
        row = self.contacts.selected()
        return row.id if row else None

    def access_report(self) -> None:
        from ui.privacy_dialogs import save_access_report

        contact_id = self._selected_contact_id()
        if contact_id is not None and (path := save_access_report(self, self.db, contact_id)):
            self.statusBar().showMessage(f"Auskunft gespeichert: {path}", 8000)

    def erase_person(self) -> None:
        from ui.privacy_dialogs import erase_with_confirmation

        contact_id = self._selected_contact_id()
        if contact_id is not None and erase_with_confirmation(self, self.db, contact_id):
            self.refresh_all()
            self.statusBar().showMessage("Person gelöscht; Einladungen bleiben anonym gezählt.", 8000)

    def former_members_contacts(self) -> None:
        from ui.privacy_dialogs import FormerMembersContactsDialog

        FormerMembersContactsDialog(self.db, self).exec()
        self.refresh_all()

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"Über {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Mitglieder, Termine, Einladungen und Ehrenamtspreis "
            f"für die Geschäftsstelle.<br><br>Datenbank: {self.db.describe()}",
        )

    def enter_replies(self) -> None:
        """„Rückmeldung erfassen“ (Ctrl+R): one window, kept open beside the others and brought forward."""
        from ui.meetings.reply_entry import ReplyEntryDialog

        dialog: ReplyEntryDialog | None = getattr(self, "_reply_entry", None)
        if dialog is None:
            dialog = ReplyEntryDialog(self.db, self)
            self._reply_entry = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.code.setFocus()

    # ------------------------------------------------------------------ window state

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        stored = settings.value("window/page", int(MEMBERS))
        try:
            page = int(stored) if isinstance(stored, int | str) else int(MEMBERS)
        except ValueError:
            page = int(MEMBERS)
        self.show_page(page if 0 <= page < len(PAGES) else MEMBERS)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        if self.current_index() >= 0:
            settings.setValue("window/page", self.current_index())
        super().closeEvent(event)
