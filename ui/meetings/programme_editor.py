"""The meeting's programme as a table: TOPs, pauses and other points with times and presenters; reorder by
drag or Ctrl+↑/↓, the TOP numbers follow; the service's problems are marked in their cells."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle.errors import FieldError, ValidationError
from geschaeftsstelle.meetings import AGENDA_KIND_LABELS, AgendaItemInput, parse_time_of_day
from geschaeftsstelle.store.models import AgendaKind
from ui.form_fields import ErrorLabel
from ui.table_models import AnyIndex

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


class _KindDelegate(QStyledItemDelegate):
    """The Art column edits with a combo box: typing T or P picks, Enter or Tab takes it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        for kind, label in _KIND_TEXT.items():
            combo.addItem(label, kind)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(KIND_ROLE)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
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
                    times[column] = parse_time_of_day(texts[column]) if texts[column] else None
                except ValueError:
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
