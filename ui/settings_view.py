"""Einstellungen: the office's letterhead (Briefkopf), where the database lives, and the letter templates."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import office
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.validation import check_iban, format_iban
from ui.form_fields import FieldForm
from ui.letter_templates_view import LetterTemplatesView


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
            ("short_name", "Kurzna&me (für die Absenderzeile im Fensterumschlag)", False),
            ("street", "&Straße", False),
            ("postal_code", "&PLZ", False),
            ("city", "O&rt", False),
            ("phone", "&Telefon", False),
            ("fax", "&Fax", False),
            ("email", "&E-Mail", False),
            ("website", "&Website", False),
            ("bank_name", "&Bank", False),
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
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        where = QGroupBox("Datenbank")
        where_layout = QVBoxLayout(where)
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where_layout.addWidget(self.location)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(letterhead)
        layout.addLayout(buttons)
        layout.addWidget(where)
        layout.addStretch(1)
        scroll = QScrollArea()
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
        self.templates.refresh()

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
