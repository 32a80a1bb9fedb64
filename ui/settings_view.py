"""Einstellungen: the office's letterhead (Briefkopf), where the database lives, and the letter templates.

The database section also names a shared PostgreSQL server for the next start. Its address is kept in
the program's settings (QSettings) without the password; the password goes to the operating system's
credential store (store/credentials.py) or, where there is none, is asked for at each start.
"""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from geschaeftsstelle import office
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.store import credentials
from geschaeftsstelle.store.database import ENV_VAR, Database, server_url, ssl_mode
from geschaeftsstelle.validation import check_iban, format_iban
from ui.form_fields import FieldForm
from ui.letter_templates_view import LetterTemplatesView

SERVER_SETTING = "database/url"
"""QSettings key of the shared server's address (never with a password)."""

SSL_CHOICES = [
    ("wenn der Server es kann (prefer)", "prefer"),
    ("immer – sonst nicht verbinden (require)", "require"),
]


def stored_server_url() -> str | None:
    """The server address chosen on this page for the next start, or None for the own SQLite file."""
    value = QSettings().value(SERVER_SETTING)
    return value if isinstance(value, str) and value else None


def database_argument(given: str | None) -> str | None:
    """What the window opens: `--db`, else $GESCHAEFTSSTELLE_DB, else the server chosen here, else the file."""
    if given is not None or os.environ.get(ENV_VAR):
        return given
    return stored_server_url()


def ask_database_password(question: str) -> str | None:
    """The window's password question when the credential store has none (or the server refused it)."""
    text, ok = QInputDialog.getText(
        QApplication.activeWindow(), "Kennwort für den Datenbankserver", question, QLineEdit.EchoMode.Password
    )
    return text if ok and text else None


def install_password_prompt() -> None:
    """At the window's start: connections may ask at the desk for a missing or refused password."""
    credentials.set_prompt(ask_database_password)


class SettingsView(QWidget):
    officeChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.version: int | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.form = FieldForm()
        labels = [
            ("name", "&Name der Geschäftsstelle", True),
            ("short_name", "Kur&zname (für die Absenderzeile im Fensterumschlag)", False),
            ("street", "S&traße", False),
            ("postal_code", "&PLZ", False),
            ("city", "O&rt", False),
            ("phone", "T&elefon", False),
            ("fax", "&Fax", False),
            ("email", "E-&Mail", False),
            ("website", "&Website", False),
            ("bank_name", "Bank", False),
            ("iban", "&IBAN", False),
            ("bic", "BI&C", False),
            ("signatory", "&Unterschrift (Name)", False),
            ("signatory_role", "Fun&ktion", False),
        ]
        for name, label, required in labels:
            edit = QLineEdit()
            self.fields[name] = edit
            self.form.add(name, label, edit, required)
        self.state = QComboBox()
        self.state.addItem("— bitte wählen —", None)
        for code, state_name in office.STATE_NAMES.items():
            self.state.addItem(state_name, code)
        self.form.add("state", "Bundes&land (für Feiertage)", self.state)
        self.fields["iban"].textEdited.connect(self._check_iban_live)

        letterhead = QGroupBox("Briefkopf")
        letterhead.setLayout(self.form)
        self.save_button = QPushButton("&Speichern")
        self.save_button.clicked.connect(self.save_letterhead)
        buttons = QHBoxLayout()
        self.assistant_button = QPushButton("Einrichtun&gsassistent …")
        self.assistant_button.clicked.connect(self.run_assistant)
        buttons.addWidget(self.assistant_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        where = QGroupBox("Datenbank")
        where_layout = QVBoxLayout(where)
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where_layout.addWidget(self.location)
        self.server = QLineEdit()
        self.server.setPlaceholderText("postgresql+psycopg://benutzer@server/datenbank")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("bleibt im Schlüsselbund des Betriebssystems")
        self.ssl = QComboBox()
        for label, mode in SSL_CHOICES:
            self.ssl.addItem(label, mode)
        server_form = QFormLayout()
        server_form.addRow("Gemeinsamer Server", self.server)
        server_form.addRow("Kennwort", self.password)
        server_form.addRow("Verschl&üsselung", self.ssl)
        where_layout.addLayout(server_form)
        self.server_note = QLabel()
        self.server_note.setWordWrap(True)
        where_layout.addWidget(self.server_note)
        self.use_server_button = QPushButton("Server ab dem nächsten Start verwenden")
        self.use_server_button.clicked.connect(self.use_server)
        self.use_file_button = QPushButton("Wieder die eigene Datei verwenden")
        self.use_file_button.clicked.connect(self.use_own_file)
        server_buttons = QHBoxLayout()
        server_buttons.addStretch(1)
        server_buttons.addWidget(self.use_file_button)
        server_buttons.addWidget(self.use_server_button)
        where_layout.addLayout(server_buttons)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(letterhead)
        layout.addLayout(buttons)
        layout.addWidget(where)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setAccessibleName("Briefkopf und Datenbank")
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.templates = LetterTemplatesView(db)
        self.templates.statusMessage.connect(self.statusMessage)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "Briefk&opf")
        self.tabs.addTab(self.templates, "Brief&vorlagen")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.refresh()

    def refresh(self) -> None:
        o = office.get_office(self.db)
        self.version = o.version if o.version else None
        for name, edit in self.fields.items():
            value = getattr(o, name) or ""
            edit.setText(format_iban(value) if name == "iban" and value else value)
        self.state.setCurrentIndex(max(self.state.findData(o.state), 0))
        self.form.clear_errors()
        text = f"Die Daten liegen in: {self.db.describe()}"
        if self.db.is_sqlite:
            text += "\n(SQLite-Datei; für mehrere Arbeitsplätze empfiehlt sich ein gemeinsamer PostgreSQL-Server.)"
        if self.db.on_network_drive:
            text += (
                "\nAchtung: Die Datei liegt auf einem Netzlaufwerk. Dort ist gleichzeitiges Arbeiten an mehreren "
                "Plätzen unsicher; bitte einen PostgreSQL-Server verwenden."
            )
        self.location.setText(text)
        self._show_server()
        self.templates.refresh()

    def _show_server(self) -> None:
        shown = None if self.db.is_sqlite else self.db.url.render_as_string(hide_password=True)
        shown = shown or stored_server_url()
        self.server.setText(shown or "")
        self.password.clear()
        mode = "prefer"
        if shown:
            with contextlib.suppress(ArgumentError, ValueError):
                mode = ssl_mode(make_url(shown))
        self.ssl.setCurrentIndex(max(self.ssl.findData(mode), 0))
        stored = stored_server_url()
        note = (
            f"Ab dem nächsten Start: {stored}" if stored else "Ab dem nächsten Start: die eigene Datei (SQLite)."
        )
        if not credentials.store_available():
            note += (
                "\nDieser Rechner hat keinen Schlüsselbund: Das Kennwort wird nicht gespeichert, das Programm fragt "
                "beim Start danach (Kommandozeile: Umgebungsvariable GESCHAEFTSSTELLE_DB_PASSWORD)."
            )
        self.server_note.setText(note)
        self.use_file_button.setEnabled(stored is not None)

    def use_server(self) -> bool:
        """Keep the server address (without password) for the next start; the password goes to the keyring."""
        try:
            url, in_store = server_url(self.server.text(), self.password.text(), self.ssl.currentData())
        except UserError as exc:
            QMessageBox.warning(self, "Datenbank", str(exc))
            self.server.setFocus()
            return False
        address = url.render_as_string(hide_password=True)
        QSettings().setValue(SERVER_SETTING, address)
        self._show_server()
        message = f"Ab dem nächsten Start wird der Server {address} verwendet."
        if self.password.text() and not in_store:
            message += " Das Kennwort wird nicht gespeichert; das Programm fragt beim Start danach."
        self.statusMessage.emit(message)
        return True

    def use_own_file(self) -> None:
        QSettings().remove(SERVER_SETTING)
        self._show_server()
        self.statusMessage.emit("Ab dem nächsten Start wird wieder die eigene Datei verwendet.")

    def _check_iban_live(self, text: str) -> None:
        message = check_iban(text) if len("".join(text.split())) >= 15 else None
        self.form.errors["iban"].show_messages([message] if message else [])

    def value(self) -> office.OfficeInput:
        data = {name: edit.text() for name, edit in self.fields.items()}
        return office.OfficeInput(**data, state=self.state.currentData(), version=self.version)

    def save(self) -> bool:
        """Ctrl+S saves what the shown tab holds: the letterhead or the letter template."""
        if self.tabs.currentWidget() is self.templates:
            return self.templates.save()
        return self.save_letterhead()

    def save_letterhead(self) -> bool:
        try:
            office.save_office(self.db, self.value())
        except ValidationError as exc:
            field = self.form.show_errors(exc, "name")
            if field is not None:
                field.setFocus()
            return False
        except UserError as exc:
            QMessageBox.warning(self, "Briefkopf", str(exc))
            return False
        self.refresh()
        self.statusMessage.emit("Briefkopf gespeichert.")
        self.officeChanged.emit()
        return True

    def run_assistant(self) -> None:
        """The setup assistant again (ui/first_run.py), for the letterhead only; the page shows the result."""
        from ui.first_run import run_first_run

        if run_first_run(self, self.db, repeat=True) is not None:
            self.refresh()
            self.statusMessage.emit("Briefkopf gespeichert.")
            self.officeChanged.emit()
