"""Meeting dialog: the meeting's fields, its programme (`ProgrammeEditor`) and how its letters read
(greeting, subject, date, signatures)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import meetings
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.meetings import (
    KIND_LABELS,
    SALUTATION_STYLE_LABELS,
    STATUS_LABELS,
    MeetingInput,
)
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MeetingStatus
from ui.documents_menu import offer_meeting_notices
from ui.form_fields import DateTimeInput, FieldForm, OptionalDateEdit, TimeInput, dialog_buttons
from ui.meetings.programme_editor import ProgrammeEditor
from ui.meetings.speaker_picker import SpeakerPicker


class SpeakerList(QWidget):
    """Speakers in their order: contacts picked by name (external guests are contacts too)."""

    def __init__(self, db: Database, speaker_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._choices = dict(inv.contact_choices(db))
        self.list = QListWidget()
        self.list.setAccessibleName("Referent/innen")
        self.list.setMaximumHeight(90)
        for cid in speaker_ids:
            self._add(cid)
        add = QPushButton("Hin&zufügen …")
        remove = QPushButton("Entfernen")
        for button in (add, remove):
            button.setAutoDefault(False)
        add.clicked.connect(self.pick)
        remove.clicked.connect(lambda: self.list.takeItem(self.list.currentRow()))
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.list)

    def _add(self, contact_id: int) -> None:
        item = QListWidgetItem(self._choices.get(contact_id, f"Kontakt {contact_id}"))
        item.setData(Qt.ItemDataRole.UserRole, contact_id)
        self.list.addItem(item)

    def pick(self) -> None:
        contact_id = SpeakerPicker.choose(self, self._choices, self.ids())
        if contact_id is not None and contact_id not in self.ids():
            self._add(contact_id)

    def ids(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]


class VenueDialog(QDialog):
    """A new venue from within the meeting dialog."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.saved_id: int | None = None
        self.setWindowTitle("Neuer Veranstaltungsort")
        self.name = QLineEdit()
        self.street = QLineEdit()
        self.postal_code = QLineEdit()
        self.city = QLineEdit()
        self.accessible = QCheckBox("&barrierefrei")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("z. B. Eingang über den Hof, Parkplätze hinter dem Haus")
        self.notes.setMaximumHeight(70)
        self.form = FieldForm()
        self.form.add("name", "&Name", self.name, required=True)
        self.form.add("street", "S&traße", self.street)
        self.form.add("postal_code", "&PLZ", self.postal_code)
        self.form.add("city", "&Ort", self.city)
        self.form.add("accessible", "", self.accessible)
        self.form.add("notes", "&Hinweise", self.notes)
        buttons = dialog_buttons(
            self, QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self.save
        )
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)

    def label(self) -> str:
        return (
            f"{self.name.text().strip()}, {self.city.text().strip()}" if self.city.text().strip() else self.name.text()
        )

    def save(self) -> None:
        data = meetings.VenueInput(
            name=self.name.text(), street=self.street.text(), postal_code=self.postal_code.text(),
            city=self.city.text(), accessible=self.accessible.isChecked(), notes=self.notes.toPlainText().strip(),
        )  # fmt: skip
        try:
            self.saved_id = meetings.save_venue(self.db, data)
        except ValidationError as exc:
            if (first := self.form.show_errors(exc, "name")) is not None:
                first.setFocus()
            return
        self.accept()


def _qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def automatic_subject(title: str, day: dt.date, *, tentative: bool = False) -> str:
    """The invitation's subject line when the meeting has none of its own (as the letters word it)."""
    subject = f"Einladung: {title.strip() or '…'} am {day:%d.%m.%Y}"
    return f"{subject} (unter Vorbehalt)" if tentative else subject


class LetterFields(QWidget):
    """The „Brief“ tab: how this meeting's letters greet, their subject and date, and who signs."""

    def __init__(self, db: Database, data: MeetingInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        office = get_office(db)
        self._office_role = office.signatory_role
        self.salutation = QComboBox()
        for style, label in SALUTATION_STYLE_LABELS.items():
            self.salutation.addItem(label, style.value)
        self.salutation.setCurrentIndex(max(self.salutation.findData(data.salutation_style), 0))
        self.subject = QLineEdit(data.subject)
        self.subject.setToolTip("Betreff der Einladung; Absage und Terminänderung haben ihren eigenen.")
        self.letter_date = OptionalDateEdit()
        self.letter_date.setSpecialValueText("heute (Tag des Drucks)")
        self.letter_date.set_value(data.letter_date)
        self.signatory = QLineEdit(data.signatory)
        self.signatory.setPlaceholderText(
            f"aus den Einstellungen: {office.signatory}" if office.signatory else "wie in den Einstellungen"
        )
        self.signatory_role = QLineEdit(data.signatory_role)
        self.signatory2 = QLineEdit(data.signatory2)
        self.signatory2.setPlaceholderText("keine zweite Unterschrift")
        self.signatory2_role = QLineEdit(data.signatory2_role)
        self.print_venue_notes = QCheckBox("&Hinweise des Veranstaltungsorts im Brief drucken")
        self.print_venue_notes.setChecked(data.print_venue_notes)
        self.venue_notes = QLabel()
        self.venue_notes.setWordWrap(True)
        self.venue_notes.setStyleSheet("color: palette(placeholder-text);")
        self.signatory.textChanged.connect(self._update_role_hint)
        self._update_role_hint()
        form = FieldForm()
        form.add("salutation_style", "A&nrede", self.salutation)
        form.add("subject", "&Betreff", self.subject)
        form.add("letter_date", "Brief&datum", self.letter_date)
        form.add("signatory", "&Unterschrift 1", self.signatory)
        form.add("signatory_role", "Fun&ktion", self.signatory_role)
        form.add("signatory2", "Unterschrift &2", self.signatory2)
        form.add("signatory2_role", "Funk&tion", self.signatory2_role)
        form.add("print_venue_notes", "", self.print_venue_notes)
        form.addRow("", self.venue_notes)
        self.form = form
        self.setLayout(form)

    def _update_role_hint(self, *_args: object) -> None:
        """Without an own name the office's signatory signs, with the office's function."""
        own = bool(self.signatory.text().strip())
        self.signatory_role.setPlaceholderText("" if own or not self._office_role else f"aus den Einstellungen: "
                                               f"{self._office_role}")  # fmt: skip

    def show_subject_for(self, title: str, day: dt.date, *, tentative: bool) -> None:
        self.subject.setPlaceholderText(f"automatisch: {automatic_subject(title, day, tentative=tentative)}")

    def show_venue_notes(self, notes: str | None) -> None:
        if notes is None:
            self.venue_notes.setText("Noch kein Ort gewählt.")
        else:
            self.venue_notes.setText(f"Hinweise des Orts: {notes}" if notes.strip() else "Der Ort hat keine Hinweise.")

    def fill(self, data: MeetingInput) -> None:
        """Copy the letter fields into `data`."""
        data.salutation_style = self.salutation.currentData()
        data.subject = self.subject.text().strip()
        data.letter_date = self.letter_date.value()
        data.signatory = self.signatory.text().strip()
        data.signatory_role = self.signatory_role.text().strip()
        data.signatory2 = self.signatory2.text().strip()
        data.signatory2_role = self.signatory2_role.text().strip()
        data.print_venue_notes = self.print_venue_notes.isChecked()


class MeetingDialog(QDialog):
    """Create or edit one meeting; `edit()` is the one entry point. After saving, letters the invitees
    are owed (a cancellation, a change of date or place) are offered for printing."""

    def __init__(self, db: Database, data: MeetingInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.data = data
        self.saved_id: int | None = None
        self.setWindowTitle("Neuer Termin" if data.id is None else f"Termin: {data.title}")
        self.resize(760, 640)
        form = FieldForm()
        self.title = QLineEdit(data.title)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.kind.setCurrentIndex(max(self.kind.findData(data.kind), 0))
        self.status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.status.setCurrentIndex(max(self.status.findData(data.status), 0))
        self.starts = DateTimeInput(data.starts_at)
        self.ends = TimeInput(data.ends_at.time())
        self.venue = QComboBox()
        self.venue.addItem("noch festzulegen", None)
        self._venue_notes: dict[int, str] = {}
        for venue in meetings.list_venues(db):
            self.venue.addItem(f"{venue.name}, {venue.city}" if venue.city else venue.name, venue.id)
            self._venue_notes[venue.id] = venue.notes or ""
        self.venue.setCurrentIndex(max(self.venue.findData(data.venue_id), 0))
        self.topic = QLineEdit(data.topic)
        self.description = QPlainTextEdit(data.description)
        self.deadline = OptionalDateEdit()
        self.deadline.set_value(data.registration_deadline)
        self.reply_contact = QLineEdit(data.registration_contact or "")
        self.members_only = QCheckBox("nur für &Mitglieder")
        self.members_only.setChecked(data.members_only)
        self.fee = QLineEdit("" if data.fee is None else f"{data.fee:.2f}".replace(".", ","))
        self.fee.setPlaceholderText("kostenlos")
        self.catering = QLineEdit(data.catering)
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 100000)
        self.capacity.setSpecialValueText("unbegrenzt")
        self.capacity.setValue(data.capacity or 0)
        # Alt letters: one per visible page, never one of the tabs' (A, G, F) or Speichern's (S).
        form.add("title", "&Titel", self.title, required=True)
        form.add("kind", "A&rt", self.kind)
        form.add("status", "Stat&us", self.status)
        form.add("starts_at", "&Beginn", self.starts, required=True)
        form.add("ends_at", "En&de", self.ends, required=True)
        new_venue = QPushButton("&Neuer Ort …")
        new_venue.setAutoDefault(False)
        new_venue.clicked.connect(self.create_venue)
        venue_row = QWidget()
        venue_layout = QHBoxLayout(venue_row)
        venue_layout.setContentsMargins(0, 0, 0, 0)
        venue_layout.addWidget(self.venue, 1)
        venue_layout.addWidget(new_venue)
        venue_row.setFocusProxy(self.venue)
        form.add("venue_id", "&Ort", venue_row)
        form.fields["venue_id"] = self.venue
        form.add("topic", "T&hema", self.topic)
        form.add("registration_deadline", "Anme&ldeschluss", self.deadline)
        form.add("registration_contact", "Rüc&kmeldung an", self.reply_contact)
        form.add("members_only", "", self.members_only)
        form.add("fee", "Teilnahmebe&itrag (€)", self.fee)
        form.add("catering", "&Verpflegung", self.catering)
        form.add("capacity", "&Plätze", self.capacity)
        form.add("description", "Bes&chreibung", self.description)
        self.speakers = SpeakerList(db, data.speaker_ids)
        form.add("speakers", "R&eferent/innen", self.speakers)
        self.form = form
        general = QWidget()
        general.setLayout(form)
        self.programme = ProgrammeEditor()
        for item in data.agenda:
            self.programme.add_item(item.title, item.time, item.presenter or "", end_time=item.end_time, kind=item.kind)
        self.programme.table.setCurrentCell(-1, -1)
        self.letter = LetterFields(db, data)
        tabs = QTabWidget()
        tabs.addTab(general, "&Allgemein")
        tabs.addTab(self.programme, "Pro&gramm")
        tabs.addTab(self.letter, "Brie&f")
        self.tabs = tabs
        self.title.textChanged.connect(self._update_letter_hints)
        self.starts.changed.connect(self._update_letter_hints)
        self.venue.currentIndexChanged.connect(self._update_letter_hints)
        self.status.currentIndexChanged.connect(self._update_letter_hints)
        self._update_letter_hints()
        buttons = dialog_buttons(
            self, QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self.save
        )
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def _update_letter_hints(self, *_args: object) -> None:
        tentative = self.status.currentData() == MeetingStatus.TENTATIVE.value
        self.letter.show_subject_for(self.title.text(), self.starts.shown_date(), tentative=tentative)
        venue_id = self.venue.currentData()
        self.letter.show_venue_notes(None if venue_id is None else self._venue_notes.get(venue_id, ""))

    def collect(self) -> MeetingInput:
        start = self.starts.value()
        end_time = self.ends.value() or start.time()
        fee = meetings.parse_fee(self.fee.text())
        data = MeetingInput(
            id=self.data.id,
            version=self.data.version,
            title=self.title.text(),
            kind=self.kind.currentData(),
            status=self.status.currentData(),
            starts_at=start,
            ends_at=dt.datetime.combine(start.date(), end_time),
            venue_id=self.venue.currentData(),
            topic=self.topic.text(),
            description=self.description.toPlainText(),
            registration_deadline=self.deadline.value(),
            registration_contact=self.reply_contact.text() or None,
            members_only=self.members_only.isChecked(),
            fee=fee,
            catering=self.catering.text(),
            capacity=self.capacity.value() or None,
            agenda=self.programme.items(),
            speaker_ids=self.speakers.ids(),
        )
        self.letter.fill(data)
        return data

    def create_venue(self) -> None:
        dialog = VenueDialog(self.db, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self._venue_notes[dialog.saved_id] = dialog.notes.toPlainText().strip()
            self.venue.addItem(dialog.label(), dialog.saved_id)
            self.venue.setCurrentIndex(self.venue.count() - 1)

    def show_errors(self, exc: ValidationError) -> None:
        """Each message beside its field on its tab; the tab of the first problem is shown, its field focused."""
        agenda = [e for e in exc.errors if e.field.startswith("agenda")]
        letter = [e for e in exc.errors if e.field in self.letter.form.errors]
        general = [e for e in exc.errors if e not in agenda and e not in letter]
        first_general = self.form.show_errors(ValidationError(general), "title")
        first_letter = self.letter.form.show_errors(ValidationError(letter), "subject")
        self.programme.show_errors(agenda)
        first = exc.errors[0] if exc.errors else None
        if first in agenda:
            self.tabs.setCurrentWidget(self.programme)
            self.programme.table.setFocus()
        elif first in letter and first_letter is not None:
            self.tabs.setCurrentWidget(self.letter)
            first_letter.setFocus()
        elif first_general is not None:
            self.tabs.setCurrentIndex(0)
            first_general.setFocus()

    def save(self) -> None:
        was_cancelled = self.data.id is not None and self.data.status == MeetingStatus.CANCELLED.value
        try:
            self.saved_id = meetings.save_meeting(self.db, self.collect())
        except ValidationError as exc:
            self.show_errors(exc)
            return
        except UserError as exc:
            QMessageBox.warning(self, "Termin", str(exc))
            return
        offer_meeting_notices(self, self.db, self.saved_id, self.title.text(), already_cancelled=was_cancelled)
        self.accept()

    @classmethod
    def edit(cls, db: Database, data: MeetingInput, parent: QWidget | None = None) -> tuple[int | None, bool]:
        dialog = cls(db, data, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.saved_id, accepted
