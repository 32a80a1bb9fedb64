"""Teilnahme-Statistik: members' attendance per year (sortable, exportable) and a bar chart per meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import statistics
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database


class _NumberItem(QTableWidgetItem):
    """Sorts by its number, not its text („9“ before „10“)."""

    def __init__(self, text: str, value: float) -> None:
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.value < getattr(other, "value", 0)


class AttendanceChart(QWidget):
    """Bars of invited (light) and present (dark) per meeting, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[statistics.MeetingAttendance] = []
        self.setMinimumHeight(180)

    def set_bars(self, bars: list[statistics.MeetingAttendance]) -> None:
        self.bars = bars
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Keine Termine in diesem Jahr.")
            return
        top, bottom_space = 16.0, 34.0
        height = self.height() - top - bottom_space
        slot = self.width() / len(self.bars)
        peak = max(max(b.invited, b.attended) for b in self.bars) or 1
        for i, bar in enumerate(self.bars):
            x = i * slot + slot * 0.15
            width = slot * 0.7
            for value, colour, shrink in ((bar.invited, "#bbdefb", 0.0), (bar.attended, "#1565c0", 0.2)):
                h = height * value / peak
                rect = QRectF(x + width * shrink / 2, top + height - h, width * (1 - shrink), h)
                painter.fillRect(rect, QColor(colour))
            painter.setPen(QColor("#333333"))
            painter.drawText(QRectF(x - 10, top + height - height * bar.attended / peak - 16, width + 20, 14),
                             Qt.AlignmentFlag.AlignCenter, str(bar.attended))  # fmt: skip
            painter.drawText(QRectF(i * slot, top + height + 4, slot, 14), Qt.AlignmentFlag.AlignCenter,
                             f"{bar.starts_at:%d.%m.}")  # fmt: skip
        painter.drawText(QRectF(0, self.height() - 14, self.width(), 14), Qt.AlignmentFlag.AlignCenter,
                         "hell: eingeladen · dunkel: anwesend")  # fmt: skip
        painter.end()


class StatisticsDialog(QDialog):
    def __init__(self, db: Database, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Teilnahme-Statistik")
        self.resize(760, 620)
        self.year = QSpinBox()
        self.year.setRange(1900, 2200)
        self.year.setValue(year or dt.date.today().year)
        self.year.valueChanged.connect(self.refresh)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Termine und Teilnahme")
        self.table.setHorizontalHeaderLabels(statistics.HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.chart = AttendanceChart()
        export = QPushButton("&Exportieren …")
        export.clicked.connect(self.export)
        year_label = QLabel("&Jahr:")
        year_label.setBuddy(self.year)
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel("Anwesende je Termin:"))
        layout.addWidget(self.chart, 1)
        self.refresh()

    def refresh(self) -> None:
        year = self.year.value()
        rows = statistics.member_attendance(self.db, year)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(r.name))
            self.table.setItem(i, 1, _NumberItem(str(r.invited), r.invited))
            self.table.setItem(i, 2, _NumberItem(str(r.attended), r.attended))
            self.table.setItem(i, 3, _NumberItem(r.rate_text(), r.rate if r.rate is not None else -1))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnToContents(0)
        self.chart.set_bars(statistics.meeting_attendance(self.db, year))

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Statistik exportieren", f"Teilnahme_{self.year.value()}.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
        )
        if not name:
            return
        try:
            count = statistics.export_statistics(self.db, self.year.value(), Path(name))
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, "Statistik", str(exc))
            return
        QMessageBox.information(self, "Statistik", f"{count} Mitgliedsorganisationen exportiert nach {name}.")
