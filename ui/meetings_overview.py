"""Termine: the year's meetings with status and reply figures; upcoming first, past greyed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from geschaeftsstelle import meetings
from geschaeftsstelle.meetings import KIND_LABELS, STATUS_LABELS, MeetingRow
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MeetingKind, MeetingStatus
from ui.list_page import ListPage
from ui.table_models import Column, RowTableModel


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


class MeetingsOverview(ListPage[MeetingRow]):
    meetingsChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        model = RowTableModel(MEETING_COLUMNS, dimmed=lambda r: r.ends_at < dt.datetime.now())
        super().__init__(model, noun="Terminen", parent=parent)
        self.db = db
        self.year = self.add_combo([], "&Jahr:")
        self.kind = self.add_combo([("alle Arten", None), *((label, k.value) for k, label in KIND_LABELS.items())],
                                   "A&rt:")  # fmt: skip
        self.status = self.add_combo(
            [("jeder Status", None), *((label, s.value) for s, label in STATUS_LABELS.items())], "S&tatus:"
        )
        self.top.addStretch(1)
        if load:  # the main window loads a page when it is first shown
            self.refresh()

    def refresh(self) -> None:
        first = self.year.count() == 0  # "alle Jahre" chosen stays chosen; only the first start picks this year
        current = self.year.currentData()
        years = meetings.meeting_years(self.db)
        this_year = dt.date.today().year
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("alle Jahre", None)
        for y in sorted(set(years) | {this_year}, reverse=True):
            self.year.addItem(str(y), y)
        index = self.year.findData(this_year if first else current)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.model.set_rows(meetings.list_meeting_rows(self.db))
        self.filter_changed()
        if not self.model.rowCount() or self._widths_settled:
            return
        self._settle_widths()  # now, not after the event loop: from the rows of every year, not those shown

    def filter_changed(self, *_args: object) -> None:
        year, kind, status = self.year.currentData(), self.kind.currentData(), self.status.currentData()

        def accept(r: MeetingRow) -> bool:
            return (
                (year is None or r.starts_at.year == year)
                and (kind is None or r.kind == kind)
                and (status is None or r.status == status)
            )

        self.set_filter(accept)
