"""Dialog for one member organisation with its contacts (add, edit, remove, choose the primary one)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.members import ContactRow
from geschaeftsstelle.store.database import Database
from ui.contact_dialog import ContactDialog
from ui.form_fields import FieldForm, OptionalDateEdit, resolve_conflict, save_cancel_buttons
from ui.table_models import Column, RowTableModel

CONTACT_COLUMNS: list[Column[ContactRow]] = [
    Column("Name", lambda r: r.name),
    Column("Funktion", lambda r: r.role),
    Column("E-Mail", lambda r: r.email),
    Column("Telefon", lambda r: r.phone),
    Column("Haupt", lambda r: "✔" if r.is_primary else ""),
    Column("Bedarfe", lambda r: r.needs),
]


class FoundingDateEdit(OptionalDateEdit):
    """An optional date reaching back before 1900: many associations are older (a 150th anniversary)."""

    EMPTY = QDate(1000, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumDate(self.EMPTY)
        self.set_value(None)

    def value(self) -> dt.date | None:
        qdate = self.date()
        return None if qdate == self.EMPTY else dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else self.EMPTY)


class MemberDialog(QDialog):
    def __init__(self, db: Database, member_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.member_id = member_id
        self.version: int | None = None
        self.changed = False
        self.setWindowTitle("Mitglied bearbeiten" if member_id else "Neues Mitglied")
        self.resize(720, 700)

        self.name = QLineEdit()
        self.member_number = QLineEdit()
        self.street = QLineEdit()
        self.postal_code = QLineEdit()
        self.city = QLineEdit()
        self.country = QLineEdit()
        self.country.setPlaceholderText("leer = Deutschland")
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.website = QLineEdit()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("durch Komma getrennt, z. B. Migration, Familie")
        self.joined_on = OptionalDateEdit()
        self.left_on = OptionalDateEdit()
        self.founded_on = FoundingDateEdit()
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notizen")

        self.form = FieldForm()
        f = self.form
        f.add("name", "&Name", self.name, required=True)
        f.add("member_number", "&Mitgliedsnummer", self.member_number)
        f.add("street", "&Straße", self.street)
        f.add("postal_code", "&PLZ", self.postal_code)
        f.add("city", "O&rt", self.city)
        f.add("country", "&Land", self.country)
        f.add("email", "&E-Mail", self.email)
        f.add("phone", "Tele&fon", self.phone)
        f.add("website", "&Website", self.website)
        f.add("tags", "Sc&hlagworte", self.tags)
        f.add("joined_on", "Mi&tglied seit", self.joined_on)
        f.add("left_on", "&Ausgetreten am", self.left_on)
        f.add("founded_on", "&Gegründet am", self.founded_on)
        details = QWidget()
        details.setLayout(f)

        self.contacts_model: RowTableModel[ContactRow] = RowTableModel(CONTACT_COLUMNS)
        self.contacts = QTableView()
        self.contacts.setAccessibleName("Kontakte")
        self.contacts.setModel(self.contacts_model)
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.contacts.verticalHeader().hide()
        self.contacts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.contacts.doubleClicked.connect(lambda _i: self.edit_contact())
        self.add_contact_button = QPushButton("Person hinzufügen …")
        self.edit_contact_button = QPushButton("Bearbeiten …")
        self.remove_contact_button = QPushButton("Entfernen")
        self.primary_button = QPushButton("Als Hauptansprechperson")
        self.add_contact_button.clicked.connect(self.add_contact)
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.remove_contact_button.clicked.connect(self.remove_contact)
        self.primary_button.clicked.connect(self.make_primary)
        contact_buttons = QHBoxLayout()
        for b in (self.add_contact_button, self.edit_contact_button, self.remove_contact_button, self.primary_button):
            contact_buttons.addWidget(b)
        contact_buttons.addStretch(1)
        contacts_page = QWidget()
        contacts_layout = QVBoxLayout(contacts_page)
        contacts_layout.addWidget(self.contacts)
        contacts_layout.addLayout(contact_buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, "Anga&ben")
        self.tabs.addTab(contacts_page, "&Kontakte")
        self.tabs.addTab(self.notes, "N&otizen")

        buttons, self.save_button = save_cancel_buttons(self, self.save, "Schließen")
        self.log_button = buttons.addButton("Änderungsprotokoll …", QDialogButtonBox.ButtonRole.HelpRole)
        self.log_button.clicked.connect(self.show_log)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._load()

    # ------------------------------------------------------------------ data

    def _load(self) -> None:
        self.log_button.setEnabled(self.member_id is not None)
        if self.member_id is None:
            self.contacts_model.set_rows([])
            return
        m = members.get_member(self.db, self.member_id)
        self.version = m.version
        self.name.setText(m.name)
        self.member_number.setText(m.member_number or "")
        self.street.setText(m.street)
        self.postal_code.setText(m.postal_code)
        self.city.setText(m.city)
        self.country.setText(m.country or "")
        self.email.setText(m.email or "")
        self.phone.setText(m.phone or "")
        self.website.setText(m.website or "")
        self.tags.setText(", ".join(m.tags))
        self.joined_on.set_value(m.joined_on)
        self.left_on.set_value(m.left_on)
        self.founded_on.set_value(m.founded_on)
        self.notes.setPlainText(m.notes)
        self._load_contacts()

    def _load_contacts(self) -> None:
        rows = members.list_contacts(self.db, self.member_id) if self.member_id is not None else []
        self.contacts_model.set_rows(rows)
        self.contacts.resizeColumnsToContents()

    def value(self) -> members.MemberInput:
        return members.MemberInput(
            name=self.name.text(),
            member_number=self.member_number.text(),
            street=self.street.text(),
            postal_code=self.postal_code.text(),
            city=self.city.text(),
            country=self.country.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            website=self.website.text(),
            joined_on=self.joined_on.value(),
            left_on=self.left_on.value(),
            founded_on=self.founded_on.value(),
            notes=self.notes.toPlainText(),
            tags=[t for t in self.tags.text().split(",") if t.strip()],
            id=self.member_id,
            version=self.version,
        )

    def _store(self) -> bool:
        """Save the fields; on a problem show it beside its field and stay open."""
        try:
            self.member_id = members.save_member(self.db, self.value())
        except ValidationError as exc:
            self.tabs.setCurrentIndex(0)
            field = self.form.show_errors(exc, "name")
            if field is not None:
                field.setFocus()
            return False
        except ConflictError:
            return self._conflict()
        except UserError as exc:
            QMessageBox.warning(self, "Mitglied", str(exc))
            return False
        self.form.clear_errors()
        self.version = members.get_member(self.db, self.member_id).version
        self.changed = True
        self.log_button.setEnabled(True)
        return True

    def save(self) -> None:
        if self._store():
            self.accept()

    def _conflict(self) -> bool:
        """Show what the other desk saved; reload it, or overwrite it knowingly, or go back to editing."""
        if self.member_id is None:
            return False
        try:
            current = members.get_member(self.db, self.member_id)
        except UserError as exc:
            QMessageBox.warning(self, "Mitglied", str(exc))
            return False
        mine = self.value()
        labels = {
            "name": "Name", "member_number": "Mitgliedsnummer", "street": "Straße", "postal_code": "PLZ", "city": "Ort",
            "email": "E-Mail", "phone": "Telefon", "website": "Website", "notes": "Notizen",
            "founded_on": "Gegründet am",
        }  # fmt: skip
        differences = [
            (label, str(getattr(current, key) or ""), str(getattr(mine, key) or "").strip())
            for key, label in labels.items()
            if str(getattr(current, key) or "") != str(getattr(mine, key) or "").strip()
        ]
        choice = resolve_conflict(self, f"„{current.name}“", differences)
        if choice == "reload":
            self._load()
            return False
        if choice == "overwrite":
            self.version = current.version
            return self._store()
        return False

    # ------------------------------------------------------------------ contacts

    def _selected_contact(self) -> ContactRow | None:
        rows = self.contacts.selectionModel().selectedRows()
        return self.contacts_model.row_at(rows[0].row()) if rows else None

    def add_contact(self) -> None:
        if self.member_id is None and not self._store():
            return  # a new member is saved first, so its contacts have somewhere to belong
        dialog = ContactDialog(self.db, None, self.member_id, self)
        if not self.contacts_model.rows():
            dialog.is_primary.setChecked(True)
        if dialog.exec():
            self.changed = True
            self._load_contacts()
            self._refresh_version()

    def edit_contact(self) -> None:
        row = self._selected_contact()
        if row is None:
            return
        dialog = ContactDialog(self.db, row.id, self.member_id, self)
        if dialog.exec():
            self.changed = True
            self._load_contacts()
            self._refresh_version()

    def remove_contact(self) -> None:
        row = self._selected_contact()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Person entfernen",
            f"{row.name} aus den Kontakten entfernen? Frühere Einladungen bleiben als Zahl erhalten.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        members.delete_contact(self.db, row.id, version=row.version)
        self.changed = True
        self._load_contacts()
        self._refresh_version()

    def make_primary(self) -> None:
        row = self._selected_contact()
        if row is None or self.member_id is None or self.version is None:
            return
        members.set_primary_contact(self.db, self.member_id, row.id, version=self.version)
        self.changed = True
        self._load_contacts()
        self._refresh_version()

    def _refresh_version(self) -> None:
        if self.member_id is not None:
            self.version = members.get_member(self.db, self.member_id).version

    def show_log(self) -> None:
        from ui.audit_log_view import AuditLogDialog

        if self.member_id is not None:
            AuditLogDialog(self.db, "member", self.member_id, self.name.text(), self).exec()
