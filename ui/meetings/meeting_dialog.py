"""Meeting dialog: the meeting's fields and its programme (numbered TOPs, reorder by drag or Ctrl+↑/↓)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import meetings
from geschaeftsstelle.database import Database
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.meetings import KIND_LABELS, STATUS_LABELS, AgendaItemInput, MeetingInput
from ui.form_fields import FieldForm, OptionalDateEdit

COL_TIME, COL_TITLE, COL_PRESENTER = range(3)


def german_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Button texts in German even when no Qt translation is installed."""
    texts = {
        QDialogButtonBox.StandardButton.Save: "&Speichern",
        QDialogButtonBox.StandardButton.Cancel: "Abbrechen",
        QDialogButtonBox.StandardButton.Ok: "OK",
    }
    for which, text in texts.items():
        if (button := box.button(which)) is not None:
            button.setText(text)
    return box


class _ProgrammeTable(QTableWidget):
    """QTableWidget's own internal move copies cells and leaves holes; a drop here moves the whole row."""

    def __init__(self, editor: ProgrammeEditor) -> None:
        super().__init__(0, 3)
        self._editor = editor

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not self:
            super().dropEvent(event)
            return
        source = self.currentRow()
        target = self.indexAt(event.position().toPoint()).row()
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self._editor.move_row(source, target if target >= 0 else self.rowCount() - 1)


class ProgrammeEditor(QWidget):
    """Rows of (time, title, presenter); the row header reads „TOP 1“, „TOP 2“ … in the current order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _ProgrammeTable(self)
        self.table.setHorizontalHeaderLabels(["Uhrzeit", "Programmpunkt", "Referent/in"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(COL_TITLE, 280)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragDropOverwriteMode(False)
        self.table.model().rowsMoved.connect(self._renumber)
        self.table.model().rowsInserted.connect(self._renumber)
        self.table.model().rowsRemoved.connect(self._renumber)
        add = QPushButton("Punkt &hinzufügen")
        remove = QPushButton("Punkt &entfernen")
        up = QPushButton("Nach &oben")
        down = QPushButton("Nach &unten")
        add.clicked.connect(lambda: self.add_item())
        remove.clicked.connect(self.remove_current)
        up.clicked.connect(lambda: self.move_current(-1))
        down.clicked.connect(lambda: self.move_current(1))
        self.table.installEventFilter(self)
        buttons = QHBoxLayout()
        for b in (add, remove, up, down):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+↑/↓ move the current point, Ctrl+Enter adds one below, Ctrl+Entf removes it."""
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_current(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_item()
                return True
            if key == Qt.Key.Key_Delete:
                self.remove_current()
                return True
        return super().eventFilter(watched, event)

    def add_item(self, title: str = "", time: dt.time | None = None, presenter: str = "") -> int:
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, COL_TIME, QTableWidgetItem(f"{time:%H:%M}" if time else ""))
        self.table.setItem(row, COL_TITLE, QTableWidgetItem(title))
        self.table.setItem(row, COL_PRESENTER, QTableWidgetItem(presenter))
        self.table.setCurrentCell(row, COL_TITLE)
        self._renumber()
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def move_current(self, delta: int) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.move_row(row, row + delta)

    def move_row(self, source: int, target: int) -> None:
        """Move one programme point to position `target`; the TOP numbers follow."""
        if source == target or not 0 <= source < self.table.rowCount() or not 0 <= target < self.table.rowCount():
            return
        values = [self._text(source, c) for c in range(3)]
        column = max(self.table.currentColumn(), 0)
        self.table.removeRow(source)
        self.table.insertRow(target)
        for c, value in enumerate(values):
            self.table.setItem(target, c, QTableWidgetItem(value))
        self.table.setCurrentCell(target, column)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    def _renumber(self, *_args: object) -> None:
        self.table.setVerticalHeaderLabels([f"TOP {i + 1}" for i in range(self.table.rowCount())])

    def items(self) -> list[AgendaItemInput]:
        """The programme in its shown order; a time like 13 or 13:30 is read, anything else is refused."""
        result = []
        for row in range(self.table.rowCount()):
            title, time_text, presenter = self._text(row, COL_TITLE), self._text(row, COL_TIME), self._text(row, 2)
            if not (title or time_text or presenter):
                continue
            time = None
            if time_text:
                try:
                    parts = time_text.replace(".", ":").removesuffix(" Uhr").split(":")
                    time = dt.time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
                except (ValueError, IndexError):
                    raise UserError(f"TOP {row + 1}: „{time_text}“ ist keine Uhrzeit wie 13:30.") from None
            result.append(AgendaItemInput(title=title, time=time, presenter=presenter or None))
        return result


class SpeakerList(QWidget):
    """Speakers in their order: contacts picked by name (external guests are contacts too)."""

    def __init__(self, db: Database, speaker_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._choices = dict(inv.contact_choices(db))
        self.list = QListWidget()
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
        labels = list(self._choices.values())
        label, ok = QInputDialog.getItem(self, "Referent/in", "Kontakt:", labels, 0, True)
        if ok and label in labels:
            contact_id = list(self._choices)[labels.index(label)]
            if contact_id not in self.ids():
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
        self.accessible = QCheckBox("barrierefrei")
        self.form = FieldForm()
        self.form.add("name", "&Name", self.name, required=True)
        self.form.add("street", "&Straße", self.street)
        self.form.add("postal_code", "&PLZ", self.postal_code)
        self.form.add("city", "&Ort", self.city)
        self.form.add("accessible", "", self.accessible)
        buttons = german_buttons(
            QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
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
            city=self.city.text(), accessible=self.accessible.isChecked(),
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


class MeetingDialog(QDialog):
    """Create or edit one meeting; `edit()` is the one entry point."""

    def __init__(self, db: Database, data: MeetingInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.data = data
        self.saved_id: int | None = None
        self.setWindowTitle("Neuer Termin" if data.id is None else f"Termin: {data.title}")
        self.resize(720, 620)
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
        self.starts = QDateTimeEdit(_qdatetime(data.starts_at))
        self.starts.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.starts.setCalendarPopup(True)
        self.ends = QTimeEdit(QTime(data.ends_at.hour, data.ends_at.minute))
        self.ends.setDisplayFormat("HH:mm")
        self.venue = QComboBox()
        self.venue.addItem("noch festzulegen", None)
        for venue in meetings.list_venues(db):
            self.venue.addItem(f"{venue.name}, {venue.city}" if venue.city else venue.name, venue.id)
        self.venue.setCurrentIndex(max(self.venue.findData(data.venue_id), 0))
        self.topic = QLineEdit(data.topic)
        self.description = QPlainTextEdit(data.description)
        self.deadline = OptionalDateEdit()
        self.deadline.set_value(data.registration_deadline)
        self.reply_contact = QLineEdit(data.registration_contact or "")
        self.members_only = QCheckBox("nur für Mitglieder")
        self.members_only.setChecked(data.members_only)
        self.fee = QLineEdit("" if data.fee is None else f"{data.fee:.2f}".replace(".", ","))
        self.fee.setPlaceholderText("kostenlos")
        self.catering = QLineEdit(data.catering)
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 100000)
        self.capacity.setSpecialValueText("unbegrenzt")
        self.capacity.setValue(data.capacity or 0)
        form.add("title", "&Titel", self.title, required=True)
        form.add("kind", "&Art", self.kind)
        form.add("status", "&Status", self.status)
        form.add("starts_at", "&Beginn", self.starts, required=True)
        form.add("ends_at", "&Ende", self.ends, required=True)
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
        form.add("registration_deadline", "Anmelde&schluss", self.deadline)
        form.add("registration_contact", "Rückmeldung &an", self.reply_contact)
        form.add("members_only", "", self.members_only)
        form.add("fee", "Teilnahmebeitra&g (€)", self.fee)
        form.add("catering", "&Verpflegung", self.catering)
        form.add("capacity", "&Plätze", self.capacity)
        form.add("description", "Beschrei&bung", self.description)
        self.speakers = SpeakerList(db, data.speaker_ids)
        form.add("speakers", "Referent/&innen", self.speakers)
        self.form = form
        general = QWidget()
        general.setLayout(form)
        self.programme = ProgrammeEditor()
        for item in data.agenda:
            self.programme.add_item(item.title, item.time, item.presenter or "")
        self.programme.table.setCurrentCell(-1, -1)
        tabs = QTabWidget()
        tabs.addTab(general, "&Allgemein")
        tabs.addTab(self.programme, "P&rogramm")
        self.tabs = tabs
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        german_buttons(buttons)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def collect(self) -> MeetingInput:
        start = self.starts.dateTime().toPython()
        end_time = self.ends.time().toPython()
        fee_text = self.fee.text().strip().replace("€", "").replace(",", ".")
        try:
            fee = Decimal(fee_text) if fee_text and fee_text.lower() != "kostenlos" else None
        except InvalidOperation:
            raise UserError(f"„{self.fee.text()}“ ist kein Betrag wie 15,00.") from None
        return MeetingInput(
            id=self.data.id,
            version=self.data.version,
            title=self.title.text(),
            kind=self.kind.currentData(),
            status=self.status.currentData(),
            starts_at=start.replace(second=0, microsecond=0),
            ends_at=dt.datetime.combine(start.date(), end_time.replace(second=0, microsecond=0)),
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

    def create_venue(self) -> None:
        dialog = VenueDialog(self.db, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.venue.addItem(dialog.label(), dialog.saved_id)
            self.venue.setCurrentIndex(self.venue.count() - 1)

    def save(self) -> None:
        try:
            self.saved_id = meetings.save_meeting(self.db, self.collect())
        except ValidationError as exc:
            first = self.form.show_errors(exc, "title")
            if any(e.field.startswith("agenda") for e in exc.errors):
                self.tabs.setCurrentWidget(self.programme)
                QMessageBox.warning(self, "Termin", str(exc))
            elif first is not None:
                self.tabs.setCurrentIndex(0)
                first.setFocus()
            return
        except UserError as exc:
            QMessageBox.warning(self, "Termin", str(exc))
            return
        self.accept()

    @classmethod
    def edit(cls, db: Database, data: MeetingInput, parent: QWidget | None = None) -> tuple[int | None, bool]:
        dialog = cls(db, data, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.saved_id, accepted


def new_meeting_input(day: dt.date | None = None) -> MeetingInput:
    day = day or dt.date.today() + dt.timedelta(days=14)
    return MeetingInput(
        title="", starts_at=dt.datetime.combine(day, dt.time(14)), ends_at=dt.datetime.combine(day, dt.time(16))
    )


def input_from_meeting(db: Database, meeting_id: int) -> MeetingInput:
    m = meetings.get_meeting(db, meeting_id)
    return MeetingInput(
        id=m.id, version=m.version, title=m.title, kind=m.kind, status=m.status, starts_at=m.starts_at,
        ends_at=m.ends_at, venue_id=m.venue_id, topic=m.topic, description=m.description,
        registration_deadline=m.registration_deadline, registration_contact=m.registration_contact,
        members_only=m.members_only, fee=m.fee, catering=m.catering, capacity=m.capacity,
        agenda=[AgendaItemInput(a.title, a.time, a.presenter) for a in m.agenda],
        speaker_ids=[c.id for c in m.speakers],
    )  # fmt: skip


def duplicate_input(db: Database, meeting_id: int, new_day: dt.date) -> MeetingInput:
    """„Termin duplizieren“: same programme and details on a new date, status back to geplant, no deadline."""
    data = input_from_meeting(db, meeting_id)
    shift = new_day - data.starts_at.date()
    data.id = data.version = None
    data.starts_at += shift
    data.ends_at += shift
    data.status = "planned"
    if data.registration_deadline is not None:
        data.registration_deadline += shift
    return data
