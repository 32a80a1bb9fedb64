"""Dialog for one award round: year, title, deadline, ceremony, criteria and jury."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import awards, meetings, members
from geschaeftsstelle.awards import AwardInput, CriterionInput
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.store.database import Database
from ui.form_fields import ErrorLabel, OptionalDateEdit, save_cancel_buttons, set_buddies

IdRole = Qt.ItemDataRole.UserRole + 1


class AwardDialog(QDialog):
    def __init__(self, db: Database, award_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.award_id = award_id
        self.version: int | None = None
        self.setWindowTitle("Preisrunde bearbeiten" if award_id else "Neue Preisrunde")
        self.resize(620, 640)

        self.year = QSpinBox()
        self.year.setRange(1900, 2200)
        self.year.setValue(dt.date.today().year)
        self.title_edit = QLineEdit()
        self.deadline = OptionalDateEdit()
        self.ceremony = QComboBox()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self.errors = {name: ErrorLabel() for name in ("year", "title", "criteria", "jury", "ceremony_id")}

        self.criteria = QListWidget()
        self.criteria.setFixedHeight(110)
        self.new_criterion = QLineEdit()
        self.new_criterion.setAccessibleName("Neues Kriterium")
        self.new_criterion.setPlaceholderText("Neues Kriterium, z. B. Wirkung")
        add_criterion = QPushButton("Hinzufügen")
        remove_criterion = QPushButton("Entfernen")
        add_criterion.clicked.connect(self._add_criterion)
        self.new_criterion.returnPressed.connect(self._add_criterion)
        remove_criterion.clicked.connect(lambda: self._remove(self.criteria))

        self.jury = QListWidget()
        self.jury.setFixedHeight(110)
        self.juror_choice = QComboBox()
        self.juror_choice.setEditable(True)
        self.juror_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        add_juror = QPushButton("In die Jury")
        remove_juror = QPushButton("Entfernen")
        add_juror.clicked.connect(self._add_juror)
        remove_juror.clicked.connect(lambda: self._remove(self.jury))
        for person in members.list_contacts(db):
            label = person.name + (f" ({person.organisation})" if person.organisation else "")
            self.juror_choice.addItem(label, person.id)

        form = QFormLayout()
        form.addRow("&Jahr *", self.year)
        form.addRow("", self.errors["year"])
        form.addRow("&Titel *", self.title_edit)
        form.addRow("", self.errors["title"])
        form.addRow("&Nominierungsfrist", self.deadline)
        form.addRow("&Verleihung (Termin)", self.ceremony)
        form.addRow("", self.errors["ceremony_id"])
        form.addRow("&Kriterien", _list_editor(self.criteria, self.new_criterion, add_criterion, remove_criterion,
                                               self.errors["criteria"]))  # fmt: skip
        form.addRow("J&ury", _list_editor(self.jury, self.juror_choice, add_juror, remove_juror, self.errors["jury"]))
        form.addRow("N&otizen", self.notes)
        set_buddies(form)

        buttons, self.save_button = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._shown_year = self.year.value()
        self.year.valueChanged.connect(self._fill_ceremonies)
        self.year.valueChanged.connect(self._title_follows_year)
        self._load()
        self._shown_year = self.year.value()

    def _title_follows_year(self, year: int) -> None:
        """"Ehrenamtspreis 2026" becomes "Ehrenamtspreis 2027" with the year; a title of one's own stays."""
        if self.title_edit.text().strip() in ("", default_title(self._shown_year)):
            self.title_edit.setText(default_title(year))
        self._shown_year = year

    def _fill_ceremonies(self, *_year: object) -> None:
        """The year's meetings; the chosen one stays chosen when it is still in the list."""
        current = self.ceremony.currentData()
        self.ceremony.clear()
        self.ceremony.addItem("noch offen", None)
        for m in meetings.list_meetings(self.db, self.year.value()):
            self.ceremony.addItem(f"{m.starts_at:%d.%m.%Y} – {m.title}", m.id)
        index = self.ceremony.findData(current)
        self.ceremony.setCurrentIndex(max(index, 0))

    def _load(self) -> None:
        if self.award_id is None:
            self.title_edit.setText(default_title(self.year.value()))
            self._fill_ceremonies()
            for name in ("Wirkung", "Nachhaltigkeit", "Vorbildcharakter"):
                self._append_criterion(name, None)
            return
        award = awards.get_award(self.db, self.award_id)
        self.version = award.version
        self.year.blockSignals(True)
        self.year.setValue(award.year)
        self.year.blockSignals(False)
        self.title_edit.setText(award.title)
        self.deadline.set_value(award.nomination_deadline)
        self.notes.setPlainText(award.notes)
        self._fill_ceremonies()
        self.ceremony.setCurrentIndex(max(self.ceremony.findData(award.ceremony_id), 0))
        for c in award.criteria:
            self._append_criterion(c.name, c.id)
        for j in award.jury:
            item = QListWidgetItem(j.full_name or j.organisation or "")
            item.setData(IdRole, j.id)
            self.jury.addItem(item)

    def _append_criterion(self, name: str, criterion_id: int | None) -> None:
        item = QListWidgetItem(name)
        item.setData(IdRole, criterion_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.criteria.addItem(item)

    def _add_criterion(self) -> None:
        name = self.new_criterion.text().strip()
        if name:
            self._append_criterion(name, None)
            self.new_criterion.clear()

    def _add_juror(self) -> None:
        contact_id = self.juror_choice.currentData()
        if contact_id is None or any(self.jury.item(i).data(IdRole) == contact_id for i in range(self.jury.count())):
            return
        item = QListWidgetItem(self.juror_choice.currentText())
        item.setData(IdRole, contact_id)
        self.jury.addItem(item)

    @staticmethod
    def _remove(widget: QListWidget) -> None:
        for item in widget.selectedItems():
            widget.takeItem(widget.row(item))

    def value(self) -> AwardInput:
        return AwardInput(
            year=self.year.value(),
            title=self.title_edit.text(),
            nomination_deadline=self.deadline.value(),
            ceremony_id=self.ceremony.currentData(),
            notes=self.notes.toPlainText(),
            criteria=[
                CriterionInput(self.criteria.item(i).text(), self.criteria.item(i).data(IdRole))
                for i in range(self.criteria.count())
            ],
            jury_ids=[self.jury.item(i).data(IdRole) for i in range(self.jury.count())],
            id=self.award_id,
            version=self.version,
        )

    def save(self) -> None:
        for label in self.errors.values():
            label.show_messages([])
        try:
            self.award_id = awards.save_award(self.db, self.value())
        except ValidationError as exc:
            for e in exc.errors:
                self.errors.get(e.field, self.errors["title"]).show_messages(exc.for_field(e.field))
            return
        except UserError as exc:
            QMessageBox.warning(self, "Preisrunde", str(exc))
            return
        self.accept()


def _list_editor(items: QWidget, entry: QWidget, add: QWidget, remove: QWidget, error: QWidget) -> QVBoxLayout:
    """A list with the field for a new entry, its add and remove buttons below, and the list's error line."""
    box = QVBoxLayout()
    box.addWidget(items)
    row = QHBoxLayout()
    row.addWidget(entry, 1)
    row.addWidget(add)
    row.addWidget(remove)
    box.addLayout(row)
    box.addWidget(error)
    return box


def default_title(year: int) -> str:
    return f"Ehrenamtspreis {year}"
