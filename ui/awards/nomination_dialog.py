"""Dialog for one nomination: nominee, their address (a contact or typed), organisation, who nominated,
justification, consent, attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import attachments, awards, members
from geschaeftsstelle.awards import NominationInput
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.store.database import Database
from ui.form_fields import ErrorLabel, OptionalDateEdit, save_cancel_buttons, set_buddies

IdRole = Qt.ItemDataRole.UserRole + 1
SourceRole = Qt.ItemDataRole.UserRole + 2  # a picked file's path until the nomination is saved


class NominationDialog(QDialog):
    def __init__(
        self, db: Database, award_id: int, nomination_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.award_id = award_id
        self.nomination_id = nomination_id
        self.version: int | None = None
        self.problems: list[str] = []
        self.setWindowTitle("Nominierung bearbeiten" if nomination_id else "Neue Nominierung")
        self.resize(680, 860)

        self.nominee = QLineEdit()
        self.is_group = QCheckBox("Gruppe (nicht eine Einzelperson)")
        self.member = QComboBox()
        self.member.addItem("—", None)
        for member in members.list_members(db):
            suffix = " (ausgetreten)" if not member.active else ""
            self.member.addItem(member.name + suffix, member.id)
        self.nominated_by = QComboBox()
        self.nominated_by.addItem("—", None)
        for contact in members.list_contacts(db):
            self.nominated_by.addItem(
                contact.name + (f" ({contact.organisation})" if contact.organisation else ""), contact.id
            )
        self.nominee_contact = QComboBox()
        self.nominee_contact.setAccessibleName("Anschrift aus den Kontakten")
        self.nominee_contact.addItem("— Anschrift unten eingeben —", None)
        for contact in members.list_contacts(db):
            self.nominee_contact.addItem(
                contact.name + (f" ({contact.organisation})" if contact.organisation else ""), contact.id
            )
        self.nominee_contact.currentIndexChanged.connect(self._address_mode)
        self.address_salutation = QComboBox()
        for text, value in (("—", ""), ("Frau", "Frau"), ("Herr", "Herr")):
            self.address_salutation.addItem(text, value)
        self.address = {
            name: QLineEdit()
            for name in ("address_title", "address_first_name", "address_last_name", "address_organisation",
                         "address_street", "address_postal_code", "address_city", "address_country", "address_email")
        }  # fmt: skip
        self.category = QLineEdit()
        self.justification = QPlainTextEdit()
        self.received_on = OptionalDateEdit()
        self.received_on.set_value(dt.date.today())
        self.consent_publication = QCheckBox("Einverständnis, namentlich genannt zu werden")
        self.consent_photo = QCheckBox("Einverständnis zu Fotos")
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #8a5300;")
        self.attachments = QListWidget()
        self.attachments.setFixedHeight(80)
        self.attachments.itemDoubleClicked.connect(self._open_attachment)
        add_file = QPushButton("Datei hinzufügen …")
        remove_file = QPushButton("Unterlage entfernen")
        add_file.clicked.connect(self._add_attachment)
        remove_file.clicked.connect(self._remove_attachment)
        self.errors = {
            name: ErrorLabel() for name in ("nominee", "member_id", "nominated_by_id", "status", "address")
        }

        form = QFormLayout()
        form.addRow("&Nominiert *", self.nominee)
        form.addRow("", self.errors["nominee"])
        form.addRow("", self.is_group)
        form.addRow("&Anschrift", self._address_box())
        form.addRow("", self.errors["address"])
        form.addRow("&Organisation", self.member)
        form.addRow("", self.errors["member_id"])
        form.addRow("&Vorgeschlagen von", self.nominated_by)
        form.addRow("", self.errors["nominated_by_id"])
        form.addRow("&Kategorie", self.category)
        form.addRow("&Begründung", self.justification)
        form.addRow("&Eingegangen am", self.received_on)
        form.addRow("", self.consent_publication)
        form.addRow("", self.consent_photo)
        files = QVBoxLayout()
        files.addWidget(self.attachments)
        row = QHBoxLayout()
        row.addWidget(add_file)
        row.addWidget(remove_file)
        row.addStretch(1)
        files.addLayout(row)
        form.addRow("&Unterlagen", files)
        set_buddies(form)

        buttons, self.save_button = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._load()

    def _address_box(self) -> QGroupBox:
        """A contact, or the free address: salutation, title, names, a second name line, street, place, e-mail."""
        box = QGroupBox()
        box.setFocusProxy(self.nominee_contact)  # Alt+A („Anschrift“) goes to its first field
        grid = QGridLayout(box)
        labels = {
            "address_title": "Titel", "address_first_name": "Vorname", "address_last_name": "Nachname",
            "address_organisation": "2. Namenszeile", "address_street": "Straße", "address_postal_code": "PLZ",
            "address_city": "Ort", "address_country": "Land", "address_email": "E-Mail",
        }  # fmt: skip
        grid.addWidget(QLabel("Aus Kontakten"), 0, 0)
        grid.addWidget(self.nominee_contact, 0, 1, 1, 3)
        grid.addWidget(QLabel("Anrede"), 1, 0)
        grid.addWidget(self.address_salutation, 1, 1)
        places = [("address_title", 1, 2), ("address_first_name", 2, 0), ("address_last_name", 2, 2),
                  ("address_organisation", 3, 0), ("address_street", 4, 0), ("address_postal_code", 5, 0),
                  ("address_city", 5, 2), ("address_country", 6, 0), ("address_email", 6, 2)]  # fmt: skip
        for name, row, column in places:
            label = QLabel(labels[name])
            label.setBuddy(self.address[name])
            self.address[name].setAccessibleName(labels[name])
            grid.addWidget(label, row, column)
            span = 3 if name in ("address_organisation", "address_street") else 1
            grid.addWidget(self.address[name], row, column + 1, 1, span)
        return box

    def _address_mode(self) -> None:
        """A chosen contact's address is used: the free fields are then not editable."""
        free = self.nominee_contact.currentData() is None
        self.address_salutation.setEnabled(free)
        for edit in self.address.values():
            edit.setEnabled(free)

    def _load(self) -> None:
        self.problem_label.hide()
        if self.nomination_id is None:
            return
        award = awards.get_award(self.db, self.award_id)
        n = next((n for n in award.nominations if n.id == self.nomination_id), None)
        if n is None:
            raise UserError("Die Nominierung gibt es nicht (mehr).")
        self.version = n.version
        self.nominee.setText(n.nominee)
        self.is_group.setChecked(n.nominee_is_group)
        self.nominee_contact.setCurrentIndex(max(self.nominee_contact.findData(n.nominee_contact_id), 0))
        self.address_salutation.setCurrentIndex(max(self.address_salutation.findData(n.address_salutation), 0))
        for name, edit in self.address.items():
            edit.setText(getattr(n, name) or "")
        self.member.setCurrentIndex(max(self.member.findData(n.member_id), 0))
        self.nominated_by.setCurrentIndex(max(self.nominated_by.findData(n.nominated_by_id), 0))
        self.category.setText(n.category or "")
        self.justification.setPlainText(n.justification)
        self.received_on.set_value(n.received_on)
        self.consent_publication.setChecked(n.consent_publication)
        self.consent_photo.setChecked(n.consent_photo)
        for att in n.attachments:
            item = QListWidgetItem(att.label if att.stored_name else f"{att.label} (Datei fehlt)")
            item.setToolTip(
                f"{att.label}, {att.size or 0:,} Bytes".replace(",", ".")
                if att.stored_name
                else attachments.UNFILED_NOTICE
            )
            item.setData(IdRole, att.id)
            self.attachments.addItem(item)
        problems = awards.completeness(n, award)
        self.problem_label.setText("Noch offen: " + "; ".join(problems) if problems else "")
        self.problem_label.setVisible(bool(problems))

    def value(self) -> NominationInput:
        return NominationInput(
            award_id=self.award_id,
            nominee=self.nominee.text(),
            nominee_is_group=self.is_group.isChecked(),
            member_id=self.member.currentData(),
            nominated_by_id=self.nominated_by.currentData(),
            category=self.category.text(),
            justification=self.justification.toPlainText(),
            received_on=self.received_on.value(),
            consent_publication=self.consent_publication.isChecked(),
            consent_photo=self.consent_photo.isChecked(),
            id=self.nomination_id,
            version=self.version,
            nominee_contact_id=self.nominee_contact.currentData(),
            address_salutation=self.address_salutation.currentData() or "",
            **{name: edit.text() for name, edit in self.address.items()},
        )

    def save(self) -> None:
        for label in self.errors.values():
            label.show_messages([])
        try:
            self.nomination_id, self.problems = awards.save_nomination(self.db, self.value())
            self.version = self._stored_version()
            for i in range(self.attachments.count()):
                item = self.attachments.item(i)
                if item.data(IdRole) is None:
                    item.setData(
                        IdRole,
                        awards.add_attachment(
                            self.db, self.nomination_id, item.data(SourceRole), item.text(), version=self.version
                        ),
                    )
                    self.version = self._stored_version()
        except ValidationError as exc:
            address = [e.message for e in exc.errors if e.field.startswith(("address_", "nominee_contact"))]
            self.errors["address"].show_messages(address)
            for e in exc.errors:
                if not e.field.startswith(("address_", "nominee_contact")):
                    self.errors.get(e.field, self.errors["nominee"]).show_messages(exc.for_field(e.field))
            return
        except UserError as exc:
            QMessageBox.warning(self, "Nominierung", str(exc))
            return
        self.accept()

    def _stored_version(self) -> int | None:
        """The nomination's version as stored now (each attachment added or removed raises it)."""
        if self.nomination_id is None:
            return None
        award = awards.get_award(self.db, self.award_id)
        n = next((n for n in award.nominations if n.id == self.nomination_id), None)
        return None if n is None else n.version

    def _add_attachment(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Unterlage hinzufügen", str(Path.home()))
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> bool:
        """Take a picked file into the list (copied when the nomination is saved); refused with one line."""
        try:
            source = attachments.check_source(path)
        except UserError as exc:
            QMessageBox.warning(self, "Unterlage", str(exc))
            return False
        item = QListWidgetItem(source.name)
        item.setToolTip(f"{source} (wird beim Speichern in den Anlagenordner kopiert)")
        item.setData(IdRole, None)
        item.setData(SourceRole, str(source))
        self.attachments.addItem(item)
        return True

    def _remove_attachment(self) -> None:
        for item in self.attachments.selectedItems():
            attachment_id = item.data(IdRole)
            if attachment_id is not None:
                try:
                    awards.remove_attachment(self.db, attachment_id, version=self.version)
                except UserError as exc:
                    QMessageBox.warning(self, "Unterlage", str(exc))
                    return
                self.version = self._stored_version()
            self.attachments.takeItem(self.attachments.row(item))

    def _open_attachment(self, item: QListWidgetItem) -> None:
        attachment_id = item.data(IdRole)
        if attachment_id is None:
            QMessageBox.information(
                self, "Unterlage", "Die Unterlage wird beim Speichern übernommen und lässt sich danach öffnen."
            )
            return
        try:
            path = attachments.open_path(self.db, attachment_id)
        except UserError as exc:
            QMessageBox.warning(self, "Unterlage", str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
