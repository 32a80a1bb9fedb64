"""Termine: the year's meetings with status and reply figures; upcoming first, past greyed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import meetings
from geschaeftsstelle.meetings import KIND_LABELS, STATUS_LABELS, MeetingRow
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MeetingKind, MeetingStatus
from ui.table_models import Column, RowTableModel, SearchProxy, list_table


def _upcoming_first(r: MeetingRow) -> float:
    """Upcoming meetings by date, then past ones newest first (one number, as Qt sorts it)."""
    stamp = r.starts_at.timestamp()
    return 1e11 - stamp if r.ends_at < dt.datetime.now() else stamp


MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("Datum", lambda r: f"{r.starts_at:%d.%m.%Y}", sort=_upcoming_first),
    Column(
        "Zeit",
        lambda r: f"{r.starts_at:%H:%M}–{r.ends_at:%H:%M} Uhr",
        sort=lambda r: r.starts_at.hour * 60 + r.starts_at.minute,
    ),
    Column("Titel", lambda r: r.title),
    Column("Art", lambda r: KIND_LABELS[MeetingKind(r.kind)]),
    Column("Ort", lambda r: r.city or "noch festzulegen"),
    Column("Status", lambda r: STATUS_LABELS[MeetingStatus(r.status)]),
    Column("Rückmeldungen", lambda r: r.rsvp_summary, sort=lambda r: r.accepted),
]


class _MeetingSearch(SearchProxy):
    """Meetings have no stored search text; filter on year, kind and status only."""

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # type: ignore[no-untyped-def]
        model = self.sourceModel()
        assert isinstance(model, RowTableModel)
        return self._extra is None or self._extra(model.row_at(source_row))


class MeetingsOverview(QWidget):
    meetingsChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.db = db
        self.model: RowTableModel[MeetingRow] = RowTableModel(
            MEETING_COLUMNS, dimmed=lambda r: r.ends_at < dt.datetime.now()
        )
        self.proxy = _MeetingSearch()
        self.proxy.setSourceModel(self.model)
        self.year = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("alle Arten", None)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.status = QComboBox()
        self.status.addItem("jeder Status", None)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        for combo in (self.year, self.kind, self.status):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.table = list_table(self.proxy, 0)
        top = QHBoxLayout()
        for text, combo in (("&Jahr:", self.year), ("&Art:", self.kind), ("S&tatus:", self.status)):
            label = QLabel(text)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo)
        top.addStretch(1)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        if load:  # the main window loads a page when it is first shown
            self.refresh()

    def refresh(self) -> None:
        current = self.year.currentData()
        years = meetings.meeting_years(self.db)
        this_year = dt.date.today().year
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("alle Jahre", None)
        for y in sorted(set(years) | {this_year}, reverse=True):
            self.year.addItem(str(y), y)
        index = self.year.findData(current if current is not None else this_year)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.model.set_rows(meetings.list_meeting_rows(self.db))
        self._filter_changed()
        self.table.resizeColumnsToContents()

    def selected(self) -> MeetingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _filter_changed(self, *_args: object) -> None:
        year, kind, status = self.year.currentData(), self.kind.currentData(), self.status.currentData()

        def accept(r: MeetingRow) -> bool:
            return (
                (year is None or r.starts_at.year == year)
                and (kind is None or r.kind == kind)
                and (status is None or r.status == status)
            )

        self.proxy.set_extra(accept)
        self.count.setText(f"{self.proxy.rowCount()} von {self.model.rowCount()} Terminen")
