"""Form building blocks shared by every dialog: labelled fields with inline error messages, captions that
lead to their fields, and the button row with German texts."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from geschaeftsstelle.errors import FieldError, ValidationError

_EMPTY = QDate(1900, 1, 1)
DATE_HINT = "TT.MM.JJJJ"
TIME_HINT = "HH:MM"
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:uhr)?(?:\s*(\d{2}))?$")
_TIME_DIGITS = re.compile(r"^(\d{3,4})\s*(?:uhr)?$")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?(\d{2}|\d{4})?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def py_date(value: QDate) -> dt.date:
    """Qt's date as Python's (`toPython()` is typed as returning object)."""
    return dt.date(value.year(), value.month(), value.day())


def py_time(value: QTime) -> dt.time:
    """Qt's time to the minute, as the records keep it."""
    return dt.time(value.hour(), value.minute())


def py_datetime(value: QDateTime) -> dt.datetime:
    return dt.datetime.combine(py_date(value.date()), py_time(value.time()))


# ---------------------------------------------------------------------- German typing of dates and times


def _full_year(digits: str, today: dt.date) -> int:
    """Two digits mean the century that puts the year at most 20 years ahead („85“ 1985, „27“ 2027)."""
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if year <= today.year + 20 else year - 100


def parse_german_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A date as office workers type it: „15.04.2027“, „15.4.27“, „15.4.“ (this year), „1504“, „150427“,
    „15042027“ or ISO „2027-04-15“; None for an empty text. Raises ValueError (German) when it is no date."""
    today = today or dt.date.today()
    cleaned = text.strip()
    if not cleaned:
        return None
    if match := _ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DATE.match(cleaned):
        day, month = int(match.group(1)), int(match.group(2))
        year = _full_year(match.group(3), today) if match.group(3) else today.year
    elif cleaned.isdigit() and len(cleaned) in (4, 6, 8):
        day, month = int(cleaned[:2]), int(cleaned[2:4])
        year = _full_year(cleaned[4:], today) if len(cleaned) > 4 else today.year
    else:
        raise ValueError(f"„{cleaned}“ ist kein Datum; bitte als {DATE_HINT} eingeben, z. B. 15.04.2027.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"Den {cleaned} gibt es nicht im Kalender; bitte als {DATE_HINT} eingeben.") from None


def parse_german_time(text: str) -> dt.time | None:
    """A time as typed: „14:00“, „14.00“, „14 Uhr“, „14 Uhr 30“, „1400“, „930“, „9“; None for an empty text.
    Raises ValueError (German) when it is no time of day."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    hour = minute = -1
    if match := _TIME_DIGITS.match(cleaned):
        digits = match.group(1)
        hour, minute = int(digits[:-2]), int(digits[-2:])
    elif match := _TIME.match(cleaned):
        if match.group(2) is not None and match.group(3) is not None:
            hour = -1
        else:
            hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"„{text.strip()}“ ist keine Uhrzeit; bitte als {TIME_HINT} eingeben, z. B. 14:00.")
    return dt.time(hour, minute)


def parse_german_datetime(text: str, previous: dt.datetime | None = None) -> dt.datetime | None:
    """„15.04.2027 10:00“, „15.4.27, 10 Uhr“, „1504 1400“; a date alone keeps the previous time, a time alone
    the previous date. None for an empty text; ValueError (German) otherwise."""
    cleaned = text.strip().replace(",", " ")
    if not cleaned:
        return None
    first, _space, rest = cleaned.partition(" ")
    rest = rest.strip()
    if rest.lower().startswith("um "):
        rest = rest[3:]
    if not rest and previous is not None and (":" in first or first.lower().endswith("uhr")):
        time = parse_german_time(first)
        assert time is not None
        return dt.datetime.combine(previous.date(), time)
    date = parse_german_date(first)
    assert date is not None
    if not rest:
        if previous is None:
            raise ValueError(f"Zu „{cleaned}“ fehlt die Uhrzeit; bitte als {DATE_HINT} {TIME_HINT} eingeben.")
        return dt.datetime.combine(date, previous.time())
    time = parse_german_time(rest)
    assert time is not None
    return dt.datetime.combine(date, time)


class _TypedInput(QLineEdit):
    """A line the user types a date or time into in German; it is tidied when the field is left (or on
    Enter), a text that is no date is marked and named in the dialog's error message. ↑/↓ step by a day
    (or a minute), Alt+↓ or F4 opens a calendar at today or the date typed."""

    HINT = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_name = ""  # the service's field, set by FieldForm.add: errors are shown beside the field
        self.setPlaceholderText(self.HINT)
        self.setToolTip(f"z. B. {self.HINT}; Alt+↓ öffnet den Kalender" if "TT" in self.HINT else self.HINT)
        self.editingFinished.connect(self.tidy)

    # subclasses: parse the text, format a value, step a value
    def _parse(self, text: str) -> object:
        raise NotImplementedError

    def _format(self, value: object) -> str:
        raise NotImplementedError

    def _step(self, value: object | None, steps: int, big: bool) -> object:
        raise NotImplementedError

    def _caption(self) -> str:
        """The field's name as its label shows it (without „&“ and „*“), for error messages."""
        window = self.window()
        for label in window.findChildren(QLabel):
            if label.buddy() is self or (label.buddy() is not None and label.buddy().isAncestorOf(self)):
                return label.text().replace("&", "").rstrip(" *:")
        return self.accessibleName() or "Datum"

    def problem(self) -> str | None:
        """The German sentence for a text that is no date or time (None when it is fine)."""
        try:
            self._parse(self.text())
        except ValueError as exc:
            return f"{self._caption()}: {exc}"
        return None

    def _checked(self) -> object:
        try:
            return self._parse(self.text())
        except ValueError as exc:
            raise ValidationError([FieldError(self.field_name or "date", f"{self._caption()}: {exc}")]) from None

    def tidy(self) -> None:
        """Show what was understood in the full German form, or mark the field as wrong."""
        try:
            value = self._parse(self.text())
        except ValueError as exc:
            self.setStyleSheet("border: 1px solid #c62828;")
            self.setToolTip(str(exc))
            return
        self.setStyleSheet("")
        shown = "" if value is None else self._format(value)
        if shown != self.text():
            self.setText(shown)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if (key == Qt.Key.Key_Down and alt) or key == Qt.Key.Key_F4:
            self.open_calendar()
            return
        steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: 1, Qt.Key.Key_PageDown: -1}.get(Qt.Key(key))
        if steps is not None and not alt:
            try:
                current = self._parse(self.text())
            except ValueError:
                current = None
            self.setText(self._format(self._step(current, steps, key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown))))
            self.setStyleSheet("")
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        """Dates only: a calendar below the field, at the date typed or today; Enter or a click takes a day."""

    def _calendar_for(self, current: dt.date | None, take: Callable[[dt.date], None]) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        day = current or dt.date.today()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))

        def chosen(qdate: QDate) -> None:
            take(py_date(qdate))
            self.setStyleSheet("")
            calendar.close()
            calendar.deleteLater()
            self.setFocus()

        calendar.activated.connect(chosen)
        calendar.clicked.connect(chosen)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar = calendar
        calendar.show()
        calendar.setFocus()


class DateInput(_TypedInput):
    """A date typed in German (see `parse_german_date`); empty allowed where `optional`."""

    HINT = DATE_HINT

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self.optional = optional
        self._minimum: dt.date | None = None

    def _parse(self, text: str) -> dt.date | None:
        value = parse_german_date("" if text == getattr(self, "_special", None) else text)
        if value is None and not self.optional:
            raise ValueError(f"Bitte ein Datum eingeben ({DATE_HINT}).")
        return value

    def _format(self, value: object) -> str:
        assert isinstance(value, dt.date)
        return f"{value:%d.%m.%Y}"

    def _step(self, value: object | None, steps: int, big: bool) -> dt.date:
        day = value if isinstance(value, dt.date) else dt.date.today()
        if not isinstance(value, dt.date):
            return day
        if big:
            month = day.month - 1 + steps
            year, month = day.year + month // 12, month % 12 + 1
            return dt.date(year, month, min(day.day, calendar_module.monthrange(year, month)[1]))
        return day + dt.timedelta(days=steps)

    def value(self) -> dt.date | None:
        value = self._checked()
        assert value is None or isinstance(value, dt.date)
        return value

    def set_value(self, value: dt.date | None) -> None:
        self.setText("" if value is None else self._format(value))
        self.setStyleSheet("")

    def open_calendar(self) -> None:
        try:
            current = self._parse(self.text())
        except ValueError:
            current = None
        self._calendar_for(current, self.set_value)

    # QDateEdit's words, for dialogs written against it: the minimum date stands for „empty“ (subclasses
    # that override value/set_value in these words must not be called back from here).
    def setSpecialValueText(self, text: str) -> None:
        self.setPlaceholderText(text)
        self._special = text

    def text(self) -> str:
        """What the field says: the special text (e.g. „heute (Tag des Drucks)“) while it is empty."""
        shown = super().text()
        return shown or getattr(self, "_special", "")

    def setMinimumDate(self, qdate: QDate) -> None:
        self._minimum = py_date(qdate)

    def date(self) -> QDate:
        value = DateInput.value(self)
        if value is None:
            return QDate(self._minimum.year, self._minimum.month, self._minimum.day) if self._minimum else _EMPTY
        return QDate(value.year, value.month, value.day)

    def setDate(self, qdate: QDate) -> None:
        value = py_date(qdate)
        DateInput.set_value(self, None if value == (self._minimum or py_date(_EMPTY)) else value)


#: The old name: every optional date of the dialogs is now the German date input.
OptionalDateEdit = DateInput


class TimeInput(_TypedInput):
    """A time of day typed in German („14:00“, „14 Uhr“, „1400“); ↑/↓ step by an hour, Bild↑/↓ by 15 minutes."""

    HINT = TIME_HINT

    def __init__(self, value: dt.time | None = None, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.set_value(value)

    def _parse(self, text: str) -> dt.time | None:
        value = parse_german_time(text)
        if value is None and not self.optional:
            raise ValueError(f"Bitte eine Uhrzeit eingeben ({TIME_HINT}).")
        return value

    def _format(self, value: object) -> str:
        assert isinstance(value, dt.time)
        return f"{value:%H:%M}"

    def _step(self, value: object | None, steps: int, big: bool) -> dt.time:
        if not isinstance(value, dt.time):
            return dt.time(14, 0)
        minutes = (value.hour * 60 + value.minute + steps * (15 if big else 60)) % (24 * 60)
        return dt.time(minutes // 60, minutes % 60)

    def value(self) -> dt.time | None:
        value = self._checked()
        assert value is None or isinstance(value, dt.time)
        return value

    def set_value(self, value: dt.time | None) -> None:
        self.setText("" if value is None else self._format(value))
        self.setStyleSheet("")

    # QTimeEdit's words, for code written against it
    def time(self) -> QTime:
        value = self.value() or dt.time(0, 0)
        return QTime(value.hour, value.minute)

    def setTime(self, qtime: QTime) -> None:
        self.set_value(py_time(qtime))


class DateTimeInput(_TypedInput):
    """Date and time in one line („15.04.2027 10:00“); a date alone keeps the time shown before.
    ↑/↓ step by a day, Alt+↓ opens the calendar; `changed` is emitted when a new value is understood."""

    HINT = f"{DATE_HINT} {TIME_HINT}"
    changed = Signal()

    def __init__(self, value: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last = value
        self.set_value(value)
        self.editingFinished.connect(self._remember)

    def _parse(self, text: str) -> dt.datetime:
        value = parse_german_datetime(text, self._last)
        if value is None:
            raise ValueError(f"Bitte Datum und Uhrzeit eingeben ({self.HINT}).")
        return value

    def _format(self, value: object) -> str:
        assert isinstance(value, dt.datetime)
        return f"{value:%d.%m.%Y %H:%M}"

    def _step(self, value: object | None, steps: int, big: bool) -> dt.datetime:
        current = value if isinstance(value, dt.datetime) else self._last
        return current + dt.timedelta(days=steps * (7 if big else 1))

    def _remember(self) -> None:
        try:
            value = self._parse(self.text())
        except ValueError:
            return
        if value != self._last:
            self._last = value
            self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self._remember()

    def value(self) -> dt.datetime:
        value = self._checked()
        assert isinstance(value, dt.datetime)
        return value

    def shown_date(self) -> dt.date:
        """The date as far as it is understood (the last good one while the text is half typed)."""
        try:
            return self._parse(self.text()).date()
        except ValueError:
            return self._last.date()

    # QDateTimeEdit's words, for code written against it
    def time(self) -> QTime:
        return QTime(self.value().hour, self.value().minute)

    def date(self) -> QDate:
        day = self.value().date()
        return QDate(day.year, day.month, day.day)

    def set_value(self, value: dt.datetime) -> None:
        self._last = value
        self.setText(self._format(value))
        self.setStyleSheet("")

    def open_calendar(self) -> None:
        def take(day: dt.date) -> None:
            self.set_value(dt.datetime.combine(day, self._last.time()))
            self.changed.emit()

        self._calendar_for(self.shown_date(), take)


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
        if isinstance(widget, _TypedInput):
            widget.field_name = name
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
    keyboard_rules(dialog)
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
        if target is None and field is not None and (inner := field.layout()) is not None:
            target = _first_input(inner)  # a list with its buttons: the caption leads to the list
        if isinstance(caption, QLabel) and target is not None:
            caption.setBuddy(target)


def _first_input(layout: QLayout) -> QWidget | None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return widget
        inner = item.layout() if item is not None else None
        if inner is not None and (found := _first_input(inner)) is not None:
            return found
    return None


# ---------------------------------------------------------------------- keyboard rules of every dialog


def _state(dialog: QDialog) -> list[object]:
    """What the user can have changed in a dialog: every input's value, every table's texts."""
    values: list[object] = []
    for widget in dialog.findChildren(QWidget):
        if widget.window() is not dialog:  # pop-ups of combo boxes and completers
            continue
        if isinstance(widget, QLineEdit) and not isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append(widget.currentText() if widget.isEditable() else widget.currentIndex())
        elif isinstance(widget, QCheckBox):
            values.append(widget.isChecked())
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QListWidget):  # its private model is wrapped badly by PySide: ask the items
            values.append([(widget.item(i).text(), widget.item(i).checkState()) for i in range(widget.count())])
        elif isinstance(widget, QTableWidget):
            values.append([[item.text() if (item := widget.item(r, c)) else "" for c in range(widget.columnCount())]
                           for r in range(widget.rowCount())])  # fmt: skip
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            model = widget.model()
            if model is not None and model.rowCount() < 500:
                values.append([model.data(model.index(r, c)) for r in range(model.rowCount())
                               for c in range(model.columnCount())])  # fmt: skip
    return values


def first_input(container: QWidget) -> QWidget | None:
    """The first field in tab order a user types into (not a tab bar, a button or a label)."""
    start = container.nextInFocusChain()
    widget = start
    for _ in range(2000):
        if widget is container or widget is None:
            return None
        if (
            container.isAncestorOf(widget)
            and widget.isVisibleTo(container)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and not isinstance(widget, (QTabBar, QTabWidget, QPushButton, QDialogButtonBox))
        ):
            return widget
        widget = widget.nextInFocusChain()
        if widget is start:
            return None
    return None


class KeyboardRules(QObject):
    """The keyboard rules every dialog follows, installed once by its button row (`dialog_buttons`):
    it opens with the focus in its first input, not on a tab bar; Tab leaves tables and multi-line fields
    (Ctrl+Tab types a tab character there); Esc (or closing the window) on a changed dialog asks before
    discarding the changes."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.before: list[object] | None = None
        self.asking = False
        dialog.installEventFilter(self)

    def _prepare(self) -> None:
        for view in self.dialog.findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)
        for text in self.dialog.findChildren(QPlainTextEdit) + self.dialog.findChildren(QTextEdit):
            if not text.isReadOnly():
                text.setTabChangesFocus(True)
                text.installEventFilter(self)
        focused = self.dialog.focusWidget()
        target = first_input(self.dialog)
        if (focused is None or isinstance(focused, (QTabBar, QPushButton))) and target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)
        self.before = _state(self.dialog)

    def changed(self) -> bool:
        return self.before is not None and _state(self.dialog) != self.before

    def may_discard(self) -> bool:
        """True when nothing changed or the user agrees to discard the changes."""
        if not self.changed() or self.asking:
            return True
        self.asking = True
        try:
            answer = QMessageBox.question(
                self.dialog,
                self.dialog.windowTitle() or "Änderungen",
                "Ihre Eingaben in diesem Fenster sind noch nicht gespeichert. Verwerfen?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
        finally:
            self.asking = False
        return answer == QMessageBox.StandardButton.Discard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if "dialog" not in self.__dict__:  # Python's half of the object is already gone (teardown)
            return False
        if watched is self.dialog:
            if kind == QEvent.Type.Show and self.before is None:
                self._prepare()
            elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if event.key() == Qt.Key.Key_Escape and not event.modifiers() and not self.may_discard():
                    return True
            elif kind == QEvent.Type.Close and event.spontaneous() and not self.may_discard():
                event.ignore()
                return True
            return False
        ctrl_tab = (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        )
        if ctrl_tab and isinstance(watched, QPlainTextEdit | QTextEdit):
            watched.insertPlainText("\t")
            return True
        return False


def keyboard_rules(dialog: QDialog) -> KeyboardRules:
    """The dialog's `KeyboardRules` (installed once)."""
    existing = dialog.findChild(KeyboardRules)
    return existing if isinstance(existing, KeyboardRules) else KeyboardRules(dialog)
