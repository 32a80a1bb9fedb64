"""Jahresplanung: build a rule (n-th weekday, every k months) or list dates, preview with holidays, create."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import meetings, planning
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meetings import KIND_LABELS
from geschaeftsstelle.store.database import Database
from ui.form_fields import TimeInput, add_rows, dialog_buttons

NTH_LABELS = [("ersten", 1), ("zweiten", 2), ("dritten", 3), ("vierten", 4), ("letzten", -1)]
INTERVAL_LABELS = [("jeden Monat", 1), ("jeden 2. Monat", 2), ("jeden 3. Monat", 3), ("jedes Halbjahr", 6)]


class PlanningDialog(QDialog):
    """Preview lists every date; holidays are marked red and left unticked, the user ticks what to create."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.created: list[int] = []
        self.state = planning.office_state(db)
        self.setWindowTitle("Jahresplanung")
        self.resize(620, 640)
        self.year = QSpinBox()
        self.year.setRange(1900, 2200)
        self.year.setValue(dt.date.today().year + 1)
        self.nth = QComboBox()
        for label, value in NTH_LABELS:
            self.nth.addItem(label, value)
        self.nth.setCurrentIndex(1)
        self.weekday = QComboBox()
        for i, name in enumerate(planning.WEEKDAY_NAMES):
            self.weekday.addItem(name, i)
        self.weekday.setCurrentIndex(2)
        self.interval = QComboBox()
        for label, value in INTERVAL_LABELS:
            self.interval.addItem(label, value)
        self.rule = QLineEdit()
        self.rule.setPlaceholderText("eigene Regel, z. B. FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE")
        self.dates = QLineEdit()
        self.dates.setPlaceholderText("oder feste Daten: 12.02.2025, 14.05.2025 …")
        self.start = TimeInput(dt.time(14, 0))
        self.end = TimeInput(dt.time(16, 0))
        self.title = QLineEdit("Kreisgruppensitzung")
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.venue = QComboBox()
        self.venue.addItem("noch festzulegen", None)
        for venue in meetings.list_venues(db):
            self.venue.addItem(f"{venue.name}, {venue.city}" if venue.city else venue.name, venue.id)
        form = QFormLayout()
        add_rows(form, (
            ("&Jahr", self.year), ("A&m", self.nth), ("&Wochentag", self.weekday), ("Ab&stand", self.interval),
            ("&Regel", self.rule), ("&Daten", self.dates), ("&Beginn", self.start), ("&Ende", self.end),
            ("&Titel", self.title), ("&Art", self.kind), ("&Ort", self.venue),
        ))  # fmt: skip
        self.note = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.preview = QListWidget()
        self.preview.setAccessibleName("Termine, die angelegt werden")
        for signal in (self.year.valueChanged, self.nth.currentIndexChanged, self.weekday.currentIndexChanged,
                       self.interval.currentIndexChanged, self.rule.textChanged, self.dates.textChanged,
                       self.title.textChanged):  # fmt: skip
            signal.connect(self.update_preview)
        buttons = dialog_buttons(self, QDialogButtonBox.StandardButton.Cancel, self.create_meetings)
        self.create_button = buttons.addButton("Termine a&nlegen", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.update_preview()

    def current_dates(self) -> list[dt.date]:
        if self.dates.text().strip():
            return planning.parse_dates(self.dates.text())
        rule = self.rule.text().strip() or planning.build_rule(
            self.weekday.currentData(), self.nth.currentData(), self.interval.currentData()
        )
        return planning.expand_rule(rule, self.year.value())

    def update_preview(self, *_args: object) -> None:
        self.preview.clear()
        try:
            dates = self.current_dates()
        except UserError as exc:
            self.error.setText(str(exc))
            self.create_button.setEnabled(False)
            return
        self.error.setText("")
        planned = planning.plan_preview(self.db, dates, self.state, self.title.text())
        holidays = sum(1 for p in planned if p.holiday)
        existing = sum(1 for p in planned if p.existing)
        self.note.setText(
            f"{len(planned)} Termine. {planning.state_note(self.state)}"
            + (f" {holidays} auf Feiertagen (nicht angehakt)." if holidays else "")
            + (f" {existing} gibt es mit diesem Titel schon (nicht angehakt)." if existing else "")
        )
        for p in planned:
            item = QListWidgetItem(p.label())
            item.setData(Qt.ItemDataRole.UserRole, p.date)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            doubtful = p.holiday or p.existing
            item.setCheckState(Qt.CheckState.Unchecked if doubtful else Qt.CheckState.Checked)
            if doubtful:
                item.setForeground(QBrush(QColor("#c62828")))
            self.preview.addItem(item)
        self.create_button.setEnabled(True)

    def chosen_dates(self) -> list[dt.date]:
        return [
            self.preview.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.preview.count())
            if self.preview.item(i).checkState() == Qt.CheckState.Checked
        ]

    def create_meetings(self) -> None:
        try:
            data = planning.SeriesInput(
                title=self.title.text(),
                dates=self.chosen_dates(),
                start=self.start.value() or dt.time(14, 0),
                end=self.end.value() or dt.time(16, 0),
                kind=self.kind.currentData(),
                venue_id=self.venue.currentData(),
            )
            self.created = planning.create_series(self.db, data)
        except UserError as exc:
            QMessageBox.warning(self, "Jahresplanung", str(exc))
            return
        self.accept()
