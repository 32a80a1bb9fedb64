"""„Rückmeldung erfassen“: a faxed or mailed reply recorded by its code, keyboard only.

Type or scan the code (Enter) → the invitee, organisation and meeting are shown; Z, A or V picks Zusage,
Absage or Vorbehalt, Tab moves through persons, names, assistance and diet; Enter saves and the code field
is ready for the next reply. A code with a wrong check character is refused below the field before any
lookup, and the field keeps what was typed; a reply another desk changed meanwhile gives the conflict
message and nothing is overwritten.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import reply_codes
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MAX_PERSONS, Channel, Response

#: The replies a form brings back, by the key that picks them (the labels start with it).
CHOICES = ((Response.ACCEPTED, "Zusage (Z)"), (Response.DECLINED, "Absage (A)"), (Response.TENTATIVE, "Vorbehalt (V)"))
_CHOICE_KEYS = {Qt.Key.Key_Z: 0, Qt.Key.Key_A: 1, Qt.Key.Key_V: 2}


class ReplyEntryDialog(QDialog):
    """One reply after the other by code; `saved` fires with the invitation id after each save."""

    saved = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Rückmeldung erfassen")
        self.resize(560, 380)
        self.row: inv.Invitee | None = None
        self.last_save_seconds = 0.0  # Enter to saved, for the speed test and the bench
        self.code = QLineEdit()
        self.code.setPlaceholderText("Code tippen oder scannen, z. B. K7M-Q2X")
        self.code.textEdited.connect(self._code_edited)
        self.code_problem = QLabel()
        self.code_problem.setStyleSheet("color: #c62828;")
        self.code_problem.setWordWrap(True)
        self.who = QLabel("–")
        self.who.setWordWrap(True)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.response = QComboBox()
        for response, label in CHOICES:
            self.response.addItem(label, response.value)
        self.response.installEventFilter(self)
        self.persons = QSpinBox()
        self.persons.setRange(0, MAX_PERSONS)
        self.persons.setValue(1)
        self.names = QLineEdit()
        self.names.setPlaceholderText("Namen der Teilnehmenden, mit Komma getrennt")
        self.assistance = QLineEdit()
        self.assistance.setPlaceholderText("z. B. Rollstuhlplatz, Gebärdensprachdolmetschung")
        self.diet = QLineEdit()
        self.diet.setPlaceholderText("z. B. vegetarisch, 2x vegan")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("&Speichern")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.enter)
        form = QFormLayout()
        form.addRow("&Code", self.code)
        form.addRow("", self.code_problem)
        form.addRow("Eingeladen", self.who)
        form.addRow("&Rückmeldung", self.response)
        form.addRow("&Personen", self.persons)
        form.addRow("&Namen", self.names)
        form.addRow("&Assistenz", self.assistance)
        form.addRow("&Verpflegung", self.diet)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignRight)
        self._reply_fields: tuple[QWidget, ...] = (self.response, self.persons, self.names, self.assistance, self.diet)
        self._set_reply_enabled(False)
        self.code.setFocus()

    # ------------------------------------------------------------------ keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Z, A or V in the reply field picks Zusage, Absage or Vorbehalt at once (a combo box's own search
        would wait for more letters); a decline sets the persons to 0."""
        index = (
            _CHOICE_KEYS.get(Qt.Key(event.key()))
            if watched is self.response and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
            else None
        )
        if index is None:
            return super().eventFilter(watched, event)
        self.response.setCurrentIndex(index)
        if CHOICES[index][0] == Response.DECLINED:
            self.persons.setValue(0)
        elif self.persons.value() == 0:
            self.persons.setValue(1)
        return True

    def enter(self) -> None:
        """Enter: look the code up while no invitee is shown (typing in the code field forgets the shown
        one), else save the reply."""
        if self.row is None:
            self.look_up()
        else:
            self.save()

    # ------------------------------------------------------------------ steps

    def look_up(self) -> bool:
        typed = self.code.text()
        try:
            code = reply_codes.check(typed)  # before any lookup: a mistyped code never finds somebody else
            row = inv.find_by_code(self.db, code)
            meeting = inv.meeting_of(self.db, row.id)
        except UserError as exc:
            self._show_problem(str(exc))
            return False
        self.row = row
        self.code.setText(reply_codes.printed(code))
        self.code_problem.clear()
        who = f"{row.name}" + (f" – {row.organisation}" if row.organisation else "")
        self.who.setText(f"{who}\n{meeting.title}, {meeting.starts_at:%d.%m.%Y %H:%M} Uhr")
        current = self.response.findData(row.response)
        self.response.setCurrentIndex(max(current, 0))
        self.persons.setValue(max(row.persons, 1))
        self.names.setText(", ".join(row.attendee_names))
        self.assistance.setText(row.assistance)
        self.diet.setText(row.diet)
        self._set_reply_enabled(True)
        self.response.setFocus()
        return True

    def save(self) -> bool:
        row = self.row
        if row is None:
            return False
        started = time.perf_counter()
        response = self.response.currentData()
        names = [n.strip() for n in self.names.text().split(",") if n.strip()]
        reply = inv.ReplyInput(
            response=response,
            persons=self.persons.value(),
            attendee_names=names,
            assistance=self.assistance.text(),
            diet=self.diet.text(),
            channel=row.channel or Channel.FAX.value,
            notes=row.notes,
        )
        try:
            saved = inv.record_reply(self.db, row.id, row.version, reply)
        except UserError as exc:
            self.status.setStyleSheet("color: #c62828;")
            self.status.setText(str(exc))
            return False
        self.last_save_seconds = time.perf_counter() - started
        label = dict((r.value, text.split(" (")[0]) for r, text in CHOICES).get(saved.response, saved.response)
        persons = f" ({saved.persons} Pers.)" if saved.response == Response.ACCEPTED.value else ""
        self.status.setStyleSheet("")
        self.status.setText(f"Gespeichert: {saved.name} – {label}{persons}.")
        self.saved.emit(saved.id)
        self._clear()
        return True

    # ------------------------------------------------------------------ helpers

    def _show_problem(self, message: str) -> None:
        """The German message below the field; the field keeps what was typed, ready to be corrected."""
        self.row = None
        self.code_problem.setText(message)
        self.who.setText("–")
        self._set_reply_enabled(False)
        self.code.setFocus()

    def _code_edited(self, _text: str) -> None:
        if self.row is not None:  # a new code typed over a found one: the form belongs to nobody again
            self.row = None
            self.who.setText("–")
            self._set_reply_enabled(False)

    def _clear(self) -> None:
        self.row = None
        self.code.clear()
        self.code_problem.clear()
        self.who.setText("–")
        self.response.setCurrentIndex(0)
        self.persons.setValue(1)
        for field in (self.names, self.assistance, self.diet):
            field.clear()
        self._set_reply_enabled(False)
        self.code.setFocus()

    def _set_reply_enabled(self, on: bool) -> None:
        for widget in self._reply_fields:
            widget.setEnabled(on)
