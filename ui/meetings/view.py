"""Termine page: the meeting list with the actions of the meetings issue (edit, duplicate, plan, replies, …).

The list itself (year/kind/status filters, upcoming first, past greyed, reply figures) is the main
window's `MeetingsOverview`; this view adds the actions and emits `meetingsChanged` after any save.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import calendar_export, meetings
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from ui.documents_menu import DocumentChoice, meeting_documents, year_documents
from ui.form_fields import dialog_buttons, py_date
from ui.meetings.board import RsvpBoard
from ui.meetings.meeting_dialog import MeetingDialog
from ui.meetings.planning_dialog import PlanningDialog
from ui.meetings.reply_import_dialog import run_reply_import
from ui.meetings.statistics_view import StatisticsDialog
from ui.meetings_overview import MeetingsOverview


def ask_date(parent: QWidget, title: str, start: dt.date) -> dt.date | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(start.year, start.month, start.day))
    buttons = dialog_buttons(dialog, QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Neues Datum:"))
    layout.addWidget(calendar)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return py_date(calendar.selectedDate())


class MeetingsView(QWidget):
    meetingsChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.db = db
        self.overview = MeetingsOverview(db, self, load=load)
        self.overview.statusMessage.connect(self.statusMessage)
        self.overview.opened.connect(lambda _row: self.open_board())
        self.new_action = self._action("&Neuer Termin …", self.new_meeting, QKeySequence.StandardKey.New)
        self.edit_action = self._action("&Bearbeiten …", self.edit_meeting, "F2")
        self.duplicate_action = self._action("Termin &duplizieren …", self.duplicate_meeting, "Ctrl+D")
        self.plan_action = self._action("&Jahresplanung …", self.plan_year, "Ctrl+J")
        self.board_action = self._action("&Rückmeldungen / Check-in …", self.open_board, "Ctrl+B")
        self.import_replies_action = self._action("Anmeldungen &importieren …", self.import_replies)
        self.ics_action = self._action("&Kalender (.ics) …", self.export_ics)
        self.stats_action = self._action("&Statistik …", self.show_statistics)
        toolbar = QToolBar()
        for action in self.actions():
            toolbar.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(self.overview, 1)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                ) -> QAction:  # fmt: skip
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def refresh(self) -> None:
        self.show_meeting(self._current_id())

    def _current_id(self) -> int | None:
        row = self.overview.selected()
        return row.id if row is not None else None

    def show_meeting(self, meeting_id: int | None) -> None:
        """Read the list again and select the meeting, switching the year filter to its year when it hides it."""
        self.overview.refresh()
        if meeting_id is None or self.overview.select(lambda r: r.id == meeting_id):
            return
        row = next((r for r in self.overview.model.rows() if r.id == meeting_id), None)
        if row is not None:
            year = self.overview.year
            year.setCurrentIndex(max(year.findData(row.starts_at.year), 0))
            self.overview.select(lambda r: r.id == meeting_id)

    def _changed(self, message: str = "", meeting_id: int | None = None) -> None:
        keep = meeting_id if meeting_id is not None else self._current_id()
        self.show_meeting(keep)
        self.meetingsChanged.emit()
        if message:
            self.statusMessage.emit(message)

    def _selected_id(self) -> int | None:
        row = self.overview.selected()
        if row is None:
            QMessageBox.information(self, "Termine", "Bitte zuerst einen Termin auswählen.")
            return None
        return row.id

    def new_meeting(self) -> None:
        saved, ok = MeetingDialog.edit(self.db, meetings.new_meeting_input(), self)
        if ok and saved is not None:
            self._changed("Termin angelegt.", saved)

    def edit_meeting(self) -> None:
        if (meeting_id := self._selected_id()) is None:
            return
        try:
            data = meetings.load_meeting_input(self.db, meeting_id)
        except UserError as exc:
            QMessageBox.warning(self, "Termine", str(exc))
            return
        _saved, ok = MeetingDialog.edit(self.db, data, self)
        if ok:
            self._changed("Termin gespeichert.")

    def duplicate_meeting(self) -> None:
        if (meeting_id := self._selected_id()) is None:
            return
        row = self.overview.selected()
        assert row is not None
        day = ask_date(self, "Termin duplizieren", row.starts_at.date() + dt.timedelta(days=28))
        if day is None:
            return
        saved, ok = MeetingDialog.edit(self.db, meetings.duplicate_input(self.db, meeting_id, day), self)
        if ok:
            self._changed("Termin dupliziert.", saved)

    def plan_year(self) -> None:
        dialog = PlanningDialog(self.db, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed(f"{len(dialog.created)} Termine angelegt.", dialog.created[0] if dialog.created else None)

    def open_board(self) -> None:
        if (meeting_id := self._selected_id()) is None:
            return
        board = RsvpBoard(self.db, meeting_id, self)
        board.changed.connect(self.meetingsChanged)
        board.exec()
        self.refresh()

    def export_ics(self) -> None:
        year = self.overview.year.currentData() or dt.date.today().year
        name, _ = QFileDialog.getSaveFileName(self, "Kalender exportieren", f"Termine_{year}.ics", "Kalender (*.ics)")
        if not name:
            return
        try:
            count = calendar_export.export_year(self.db, year, Path(name))
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, "Kalender", str(exc))
            return
        self.statusMessage.emit(f"{count} Termine nach {name} exportiert.")

    def document_choices(self) -> list[DocumentChoice]:
        """Drucken / PDF on this page: the selected meeting's documents, else the year's schedule."""
        row = self.overview.selected()
        if row is None:
            self.statusMessage.emit(
                "Kein Termin ausgewählt: Einladungen, Listen und Briefe eines Termins gibt es, "
                "wenn ein Termin in der Liste ausgewählt ist."
            )
            return year_documents(self.overview.year.currentData() or dt.date.today().year)
        return meeting_documents(row.id, row.title, row.starts_at.year)

    def show_statistics(self) -> None:
        StatisticsDialog(self.db, self.overview.year.currentData(), self).exec()

    def import_replies(self) -> None:
        """Registrations exported from an online form (CSV/XLSX) become the selected meeting's replies."""
        if (meeting_id := self._selected_id()) is None:
            return
        if run_reply_import(self, self.db, meeting_id) is not None:
            self._changed("Anmeldungen übernommen.")
