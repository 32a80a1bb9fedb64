"""Meeting dialog: the meeting's fields, its programme (TOPs, pauses, other points; reorder by drag or
Ctrl+↑/↓) and how its letters read (greeting, subject, date, signatures)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QEvent, QModelIndex, QObject, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import meetings
from geschaeftsstelle.errors import FieldError, UserError, ValidationError
from geschaeftsstelle.meetings import (
    AGENDA_KIND_LABELS,
    KIND_LABELS,
    SALUTATION_STYLE_LABELS,
    STATUS_LABELS,
    AgendaItemInput,
    MeetingInput,
)
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaKind, MeetingStatus
from ui.documents_menu import offer_meeting_notices
from ui.form_fields import ErrorLabel, FieldForm, OptionalDateEdit, dialog_buttons

COL_KIND, COL_START, COL_END, COL_TITLE, COL_PRESENTER = range(5)
HEADERS = ("Art", "Beginn", "Ende", "Titel", "Referent/in")
KIND_ROLE = Qt.ItemDataRole.UserRole
_KIND_TEXT = {kind.value: label for kind, label in AGENDA_KIND_LABELS.items()}
_KIND_CELL = {kind: label.split(" (")[0] for kind, label in _KIND_TEXT.items()}  # „TOP“ in the table
_ERROR_BRUSH = QBrush(QColor("#fde0e0"))
_AGENDA_FIELD = re.compile(r"agenda\[(\d+)\]\.(\w+)")
_FIELD_COLUMNS = {"kind": COL_KIND, "time": COL_START, "end_time": COL_END, "title": COL_TITLE,
                  "presenter": COL_PRESENTER}  # fmt: skip


def _time_text(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value else ""


def _parse_time(text: str) -> dt.time:
    """13, 13:30, 13.30 or „13:30 Uhr“; anything else raises ValueError."""
    parts = text.replace(".", ":").removesuffix("Uhr").strip().split(":")
    if len(parts) > 2:
        raise ValueError(text)
    return dt.time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)


class _KindDelegate(QStyledItemDelegate):
    """The Art column edits with a combo box: typing T or P picks, Enter or Tab takes it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for kind, label in _KIND_TEXT.items():
            combo.addItem(label, kind)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(KIND_ROLE)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), KIND_ROLE)
            model.setData(index, _KIND_CELL[editor.currentData()], Qt.ItemDataRole.DisplayRole)


class _ProgrammeTable(QTableWidget):
    """QTableWidget's own internal move copies cells and leaves holes; a drop here moves the whole row."""

    def __init__(self, editor: ProgrammeEditor) -> None:
        super().__init__(0, len(HEADERS))
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
    """Rows of (kind, start, end, title, presenter); the row header numbers the TOPs („TOP 1“, „TOP 2“ …)
    in the current order, pauses and other programme points stay unnumbered as in the letter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _ProgrammeTable(self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((COL_KIND, 120), (COL_START, 60), (COL_END, 60), (COL_TITLE, 280)):
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(COL_KIND, _KindDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragDropOverwriteMode(False)
        self.table.model().rowsMoved.connect(self._renumber)
        self.table.model().rowsInserted.connect(self._renumber)
        self.table.model().rowsRemoved.connect(self._renumber)
        self.table.itemChanged.connect(self._item_changed)
        caption = QLabel("&Programmpunkte")
        caption.setBuddy(self.table)
        hint = QLabel(
            "Zelle bearbeiten: F2 oder lostippen (Art: T = TOP, P = Pause, Pr = Programmpunkt; Enter übernimmt)"
            " · Strg+Enter: neuer Punkt · Strg+Entf: entfernen · Strg+↑/↓: verschieben."
            " Uhrzeiten wie 14 oder 14:30; das Ende ist freiwillig."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.error = ErrorLabel()
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
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self._agenda_rows: list[int] = []  # agenda index (as the service numbers it) → table row

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

    def add_item(
        self, title: str = "", time: dt.time | None = None, presenter: str = "", *, end_time: dt.time | None = None,
        kind: str = AgendaKind.TOP.value,
    ) -> int:  # fmt: skip
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else self.table.rowCount()
        self.table.insertRow(row)
        kind_item = QTableWidgetItem(_KIND_CELL.get(kind, kind))
        kind_item.setData(KIND_ROLE, kind)
        cells = {COL_KIND: kind_item, COL_START: QTableWidgetItem(_time_text(time)),
                 COL_END: QTableWidgetItem(_time_text(end_time)), COL_TITLE: QTableWidgetItem(title),
                 COL_PRESENTER: QTableWidgetItem(presenter)}  # fmt: skip
        for column, item in cells.items():
            self.table.setItem(row, column, item)
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
        items = [self.table.takeItem(source, c) for c in range(len(HEADERS))]
        column = max(self.table.currentColumn(), 0)
        self.table.removeRow(source)
        self.table.insertRow(target)
        for c, item in enumerate(items):
            self.table.setItem(target, c, item)
        self.table.setCurrentCell(target, column)
        self._renumber()

    def kind(self, row: int) -> str:
        item = self.table.item(row, COL_KIND)
        return (item.data(KIND_ROLE) if item else None) or AgendaKind.TOP.value

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    def _item_changed(self, item: QTableWidgetItem) -> None:
        """A row that becomes a pause is called „Pause“ unless it already has a title."""
        if item.column() != COL_KIND:
            return
        title = self.table.item(item.row(), COL_TITLE)
        if self.kind(item.row()) == AgendaKind.BREAK.value and title is not None and not title.text().strip():
            title.setText("Pause")
        self._renumber()

    def _renumber(self, *_args: object) -> None:
        labels, number = [], 0
        for row in range(self.table.rowCount()):
            if self.kind(row) == AgendaKind.TOP.value:
                number += 1
                labels.append(f"TOP {number}")
            else:
                labels.append("·")
        self.table.setVerticalHeaderLabels(labels)

    def items(self) -> list[AgendaItemInput]:
        """The programme in its shown order (empty rows left out); a time like 13 or 13:30 is read,
        anything else is refused beside the table."""
        result: list[AgendaItemInput] = []
        self._agenda_rows = []
        for row in range(self.table.rowCount()):
            texts = {c: self._text(row, c) for c in (COL_START, COL_END, COL_TITLE, COL_PRESENTER)}
            if not any(texts.values()):
                continue
            self._agenda_rows.append(row)
            times: dict[int, dt.time | None] = {}
            for column, name in ((COL_START, "time"), (COL_END, "end_time")):
                try:
                    times[column] = _parse_time(texts[column]) if texts[column] else None
                except (ValueError, IndexError):
                    message = f"Zeile {row + 1}: „{texts[column]}“ ist keine Uhrzeit wie 13:30."
                    raise ValidationError([FieldError(f"agenda[{len(result)}].{name}", message)]) from None
            result.append(
                AgendaItemInput(
                    title=texts[COL_TITLE], time=times[COL_START], presenter=texts[COL_PRESENTER] or None,
                    end_time=times[COL_END], kind=self.kind(row),
                )
            )  # fmt: skip
        return result

    def show_errors(self, errors: list[FieldError]) -> None:
        """The service's programme problems under the table, their cells marked; the first one is current."""
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for column in range(len(HEADERS)):
                if (item := self.table.item(row, column)) is not None:
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)
                    item.setToolTip("")
        first: tuple[int, int] | None = None
        for error in errors:
            match = _AGENDA_FIELD.fullmatch(error.field)
            if match is None or int(match[1]) >= len(self._agenda_rows):
                continue
            row, column = self._agenda_rows[int(match[1])], _FIELD_COLUMNS.get(match[2], COL_TITLE)
            if (item := self.table.item(row, column)) is not None:
                item.setBackground(_ERROR_BRUSH)
                item.setToolTip(error.message)
            first = first or (row, column)
        self.table.blockSignals(False)
        self.error.show_messages([e.message for e in errors])
        if first is not None:
            self.table.setCurrentCell(*first)


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
        self.starts = QDateTimeEdit(_qdatetime(data.starts_at))
        self.starts.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.starts.setCalendarPopup(True)
        self.ends = QTimeEdit(QTime(data.ends_at.hour, data.ends_at.minute))
        self.ends.setDisplayFormat("HH:mm")
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
        self.starts.dateTimeChanged.connect(self._update_letter_hints)
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
        self.letter.show_subject_for(self.title.text(), self.starts.date().toPython(), tentative=tentative)
        venue_id = self.venue.currentData()
        self.letter.show_venue_notes(None if venue_id is None else self._venue_notes.get(venue_id, ""))

    def collect(self) -> MeetingInput:
        start = self.starts.dateTime().toPython()
        end_time = self.ends.time().toPython()
        fee_text = self.fee.text().strip().replace("€", "").replace(",", ".")
        try:
            fee = Decimal(fee_text) if fee_text and fee_text.lower() != "kostenlos" else None
        except InvalidOperation:
            raise ValidationError([FieldError("fee", f"„{self.fee.text()}“ ist kein Betrag wie 15,00.")]) from None
        data = MeetingInput(
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


def new_meeting_input(day: dt.date | None = None) -> MeetingInput:
    day = day or dt.date.today() + dt.timedelta(days=14)
    return MeetingInput(
        title="", starts_at=dt.datetime.combine(day, dt.time(14)), ends_at=dt.datetime.combine(day, dt.time(16))
    )


def input_from_meeting(db: Database, meeting_id: int) -> MeetingInput:
    return meetings.meeting_input(meetings.get_meeting(db, meeting_id))


def duplicate_input(db: Database, meeting_id: int, new_day: dt.date) -> MeetingInput:
    """„Termin duplizieren“: same programme and details on a new date, status back to geplant, the deadline
    moved along and the letter dated on the day of printing."""
    data = input_from_meeting(db, meeting_id)
    shift = new_day - data.starts_at.date()
    data.id = data.version = None
    data.starts_at += shift
    data.ends_at += shift
    data.status = "planned"
    data.letter_date = None
    if data.registration_deadline is not None:
        data.registration_deadline += shift
    return data
