"""Form building blocks shared by every dialog: labelled fields with inline error messages, captions that
lead to their fields, and the button row with German texts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QWidget

from geschaeftsstelle.errors import ValidationError

_EMPTY = QDate(1900, 1, 1)


def py_date(value: QDate) -> dt.date:
    """Qt's date as Python's (`toPython()` is typed as returning object)."""
    return dt.date(value.year(), value.month(), value.day())


def py_time(value: QTime) -> dt.time:
    """Qt's time to the minute, as the records keep it."""
    return dt.time(value.hour(), value.minute())


def py_datetime(value: QDateTime) -> dt.datetime:
    return dt.datetime.combine(py_date(value.date()), py_time(value.time()))


class OptionalDateEdit(QDateEdit):
    """A date that may stay empty (shown as „—“), in German format with a calendar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd.MM.yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText("—")
        self.set_value(None)

    def value(self) -> dt.date | None:
        qdate = self.date()
        if qdate == _EMPTY:
            return None
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _EMPTY)


class ErrorLabel(QLabel):
    """The red sentence beside a field the service refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #c62828;")
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        self.setText("\n".join(messages))
        self.setVisible(bool(messages))


class FieldForm(QFormLayout):
    """A QFormLayout that remembers one error label per field name, with label buddies set."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: dict[str, ErrorLabel] = {}
        self.fields: dict[str, QWidget] = {}

    def add(self, name: str, label: str, widget: QWidget, required: bool = False) -> QWidget:
        text = f"{label} *" if required else label
        caption = QLabel(text)
        caption.setBuddy(widget)
        if required:
            caption.setToolTip("Pflichtfeld")
        error = ErrorLabel()
        self.addRow(caption, widget)
        self.addRow("", error)
        self.errors[name] = error
        self.fields[name] = widget
        return widget

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_messages([])

    def show_errors(self, exc: ValidationError, fallback: str) -> QWidget | None:
        """Show each message beside its field; returns the first field with a problem (to focus it)."""
        self.clear_errors()
        first: QWidget | None = None
        for error in exc.errors:
            name = error.field if error.field in self.errors else fallback
            self.errors[name].show_messages(exc.for_field(error.field) or [error.message])
            first = first or self.fields.get(name)
        return first


def resolve_conflict(parent: QWidget, what: str, differences: list[tuple[str, str, str]]) -> str:
    """Someone else saved the same record meanwhile: show their change; returns "reload", "overwrite" or "cancel"."""
    from PySide6.QtWidgets import QMessageBox

    lines = [
        f"• {label}: gespeichert „{theirs or '—'}“, Ihre Eingabe „{mine or '—'}“" for label, theirs, mine in differences
    ]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Gleichzeitig geändert")
    box.setText(f"{what} wurde inzwischen an einem anderen Platz geändert und gespeichert.")
    box.setInformativeText(
        ("Unterschiede:\n" + "\n".join(lines[:12]) if lines else "Die Felder dieses Dialogs sind gleich geblieben.")
        + "\n\nNeu laden verwirft Ihre Eingaben; Überschreiben ersetzt die andere Änderung."
    )
    reload_button = box.addButton("Neu laden", QMessageBox.ButtonRole.ResetRole)
    overwrite_button = box.addButton("Trotzdem überschreiben", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload_button:
        return "reload"
    if clicked is overwrite_button:
        return "overwrite"
    return "cancel"


Button = QDialogButtonBox.StandardButton
#: The standard buttons in German even when no Qt translation is installed.
GERMAN_TEXTS: dict[QDialogButtonBox.StandardButton, str] = {
    Button.Save: "&Speichern",
    Button.Cancel: "Abbrechen",
    Button.Ok: "OK",
    Button.Close: "Schließen",
}


def dialog_buttons(
    dialog: QDialog,
    which: QDialogButtonBox.StandardButton,
    on_accept: Callable[[], object] | None = None,
    texts: Mapping[QDialogButtonBox.StandardButton, str] | None = None,
) -> QDialogButtonBox:
    """Every dialog's button row: German texts (`texts` where a dialog words one differently); the accepting
    button runs `on_accept` (which accepts when it succeeds) or simply accepts, the other one rejects."""
    box = QDialogButtonBox(which)
    for button, text in (GERMAN_TEXTS | dict(texts or {})).items():
        if (shown := box.button(button)) is not None:
            shown.setText(text)
    box.accepted.connect(on_accept if on_accept is not None else dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def save_cancel_buttons(
    dialog: QDialog, on_save: Callable[[], object], cancel_text: str = "Abbrechen"
) -> tuple[QDialogButtonBox, QPushButton]:
    """The record dialogs' button row: „Speichern“ runs `on_save` (which accepts when it succeeds)."""
    buttons = dialog_buttons(
        dialog, Button.Save | Button.Cancel, on_save, {Button.Save: "Speichern", Button.Cancel: cancel_text}
    )
    return buttons, buttons.button(Button.Save)


def add_rows(form: QFormLayout, rows: Iterable[tuple[str, QWidget]]) -> None:
    """Rows of caption and field, each caption leading to its field (Alt+letter, screen readers)."""
    for text, widget in rows:
        caption = QLabel(text)
        caption.setBuddy(widget)
        form.addRow(caption, widget)


def set_buddies(form: QFormLayout) -> None:
    """Every label of a form leads to its field (Alt+letter, screen readers)."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        caption = label.widget() if label is not None else None
        target = field.widget() if field is not None else None
        if isinstance(caption, QLabel) and target is not None:
            caption.setBuddy(target)
