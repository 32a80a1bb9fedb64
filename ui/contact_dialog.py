"""Dialog for one person: a member's contact, or an external guest, speaker or juror."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.store.database import Database
from ui.form_fields import FieldForm, resolve_conflict, save_cancel_buttons

SALUTATIONS = (("Frau", "Frau"), ("Herr", "Herr"), ("neutral (Guten Tag …)", ""))


class ContactDialog(QDialog):
    def __init__(
        self,
        db: Database,
        contact_id: int | None = None,
        member_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.contact_id = contact_id
        self.version: int | None = None
        self.setWindowTitle("Kontakt bearbeiten" if contact_id else "Neuer Kontakt")
        self.resize(560, 680)

        self.salutation = QComboBox()
        for label, value in SALUTATIONS:
            self.salutation.addItem(label, value)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("z. B. Dr.")
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.role = QLineEdit()
        self.member = QComboBox()
        self.member.addItem("— extern (Gast, Referent/in, Jury) —", None)
        for row in members.list_members(db):
            self.member.addItem(row.name if row.active else f"{row.name} (ausgetreten)", row.id)
        self.organisation = QLineEdit()
        self.street = QLineEdit()
        self.postal_code = QLineEdit()
        self.city = QLineEdit()
        self.country = QLineEdit()
        self.country.setPlaceholderText("leer = Deutschland")
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.is_primary = QCheckBox("Hauptansprechperson (erhält die Einladungen)")
        self.needs = QLineEdit()
        self.needs.setPlaceholderText("z. B. Rollstuhlplatz, Gebärdensprachdolmetschung")
        self.needs.setToolTip("Ständiger Bedarf: wird bei jeder neuen Einladung vorgeschlagen.")
        self.diet = QLineEdit()
        self.diet.setPlaceholderText("z. B. vegetarisch, keine Nüsse")
        self.diet.setToolTip("Ständige Angabe zur Ernährung: wird bei jeder neuen Einladung vorgeschlagen.")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(80)

        self.form = FieldForm()
        f = self.form
        f.add("salutation", "&Anrede", self.salutation)
        f.add("title", "&Titel", self.title_edit)
        f.add("first_name", "&Vorname", self.first_name)
        f.add("last_name", "&Nachname", self.last_name, required=True)
        f.add("role", "&Funktion", self.role)
        f.add("member_id", "&Mitglied", self.member)
        f.add("is_primary", "", self.is_primary)
        f.add("organisation", "&Organisation (extern)", self.organisation)
        f.add("street", "&Straße", self.street)
        f.add("postal_code", "&PLZ", self.postal_code)
        f.add("city", "O&rt", self.city)
        f.add("country", "Lan&d", self.country)
        f.add("email", "&E-Mail", self.email)
        f.add("phone", "Te&lefon", self.phone)
        f.add("needs", "&Bedarfe (ständig)", self.needs)
        f.add("diet", "Ernährun&g (ständig)", self.diet)
        f.add("notes", "Noti&zen", self.notes)

        buttons, self.save_button = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(f)
        layout.addWidget(buttons)
        self.member.currentIndexChanged.connect(self._member_changed)
        self._load(member_id)

    def _member_changed(self, *_args: object) -> None:
        external = self.member.currentData() is None
        self.is_primary.setEnabled(not external)
        if external:
            self.is_primary.setChecked(False)
        self.organisation.setEnabled(external)

    def _load(self, member_id: int | None) -> None:
        if self.contact_id is None:
            self.member.setCurrentIndex(max(self.member.findData(member_id), 0))
            self._member_changed()
            return
        c = members.get_contact(self.db, self.contact_id)
        self.version = c.version
        self.salutation.setCurrentIndex(max(self.salutation.findData(c.salutation), 0))
        self.title_edit.setText(c.title)
        self.first_name.setText(c.first_name)
        self.last_name.setText(c.last_name)
        self.role.setText(c.role)
        self.member.setCurrentIndex(max(self.member.findData(c.member_id), 0))
        self.organisation.setText(c.organisation or "")
        self.street.setText(c.street or "")
        self.postal_code.setText(c.postal_code or "")
        self.city.setText(c.city or "")
        self.country.setText(c.country or "")
        self.email.setText(c.email or "")
        self.phone.setText(c.phone or "")
        self.is_primary.setChecked(c.is_primary)
        self.needs.setText(c.needs)
        self.diet.setText(c.diet)
        self.notes.setPlainText(c.notes)
        self._member_changed()

    def value(self) -> members.ContactInput:
        return members.ContactInput(
            salutation=self.salutation.currentData(),
            title=self.title_edit.text(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            role=self.role.text(),
            member_id=self.member.currentData(),
            organisation=self.organisation.text() if self.member.currentData() is None else None,
            street=self.street.text(),
            postal_code=self.postal_code.text(),
            city=self.city.text(),
            country=self.country.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            is_primary=self.is_primary.isChecked(),
            needs=self.needs.text(),
            diet=self.diet.text(),
            notes=self.notes.toPlainText(),
            id=self.contact_id,
            version=self.version,
        )

    def save(self) -> None:
        try:
            self.contact_id = members.save_contact(self.db, self.value())
        except ValidationError as exc:
            field = self.form.show_errors(exc, "last_name")
            if field is not None:
                field.setFocus()
            return
        except ConflictError:
            if self.contact_id is None:
                return
            current = members.get_contact(self.db, self.contact_id)
            mine = self.value()
            keys = {"first_name": "Vorname", "last_name": "Nachname", "email": "E-Mail", "phone": "Telefon",
                    "role": "Funktion", "needs": "Bedarfe", "diet": "Ernährung", "notes": "Notizen"}  # fmt: skip
            differences = [
                (label, str(getattr(current, k) or ""), str(getattr(mine, k) or "").strip())
                for k, label in keys.items()
                if str(getattr(current, k) or "") != str(getattr(mine, k) or "").strip()
            ]
            choice = resolve_conflict(self, current.full_name or "Der Kontakt", differences)
            if choice == "reload":
                self._load(current.member_id)
            elif choice == "overwrite":
                self.version = current.version
                self.save()
            return
        except UserError as exc:
            QMessageBox.warning(self, "Kontakt", str(exc))
            return
        self.accept()
