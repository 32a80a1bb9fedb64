"""Table model of the RSVP board: one row per invitee, single rows refreshed with dataChanged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from geschaeftsstelle.invitations import BoardRow
from geschaeftsstelle.meetings import CHANNEL_LABELS, RESPONSE_LABELS
from geschaeftsstelle.search import fold
from geschaeftsstelle.store.models import Channel, Response

AnyIndex = QModelIndex | QPersistentModelIndex
ObjectRole = Qt.ItemDataRole.UserRole + 1
(COL_NAME, COL_ORG, COL_RESPONSE, COL_PERSONS, COL_NAMES, COL_ASSISTANCE, COL_DIET, COL_CHANNEL, COL_DATE,
 COL_ATTENDED, COL_NOTES) = range(11)  # fmt: skip
HEADERS = ("Name", "Organisation", "Rückmeldung", "Pers.", "Teilnehmende", "Assistenz", "Verpflegung", "Weg",
           "Antwort am", "Anwesend", "Notizen")  # fmt: skip
_RESPONSE_COLOURS = {
    Response.ACCEPTED.value: QColor("#2e7d32"),
    Response.DECLINED.value: QColor("#c62828"),
    Response.TENTATIVE.value: QColor("#ef6c00"),
}


def _show(row: BoardRow, col: int) -> str:
    if col == COL_NAME:
        return row.name
    if col == COL_ORG:
        return row.organisation
    if col == COL_RESPONSE:
        return RESPONSE_LABELS[Response(row.response)]
    if col == COL_PERSONS:
        return str(row.persons) if row.response in (Response.ACCEPTED.value, Response.TENTATIVE.value) else ""
    if col == COL_NAMES:
        return ", ".join(row.attendee_names)
    if col == COL_ASSISTANCE:
        return row.assistance
    if col == COL_DIET:
        return row.diet
    if col == COL_CHANNEL:
        return CHANNEL_LABELS[Channel(row.channel)] if row.channel else ""
    if col == COL_DATE:
        return f"{row.responded_on:%d.%m.%Y}" if row.responded_on else ""
    if col == COL_ATTENDED:
        return {True: "✓ da", False: "fehlt", None: ""}[row.attended]
    return row.notes.replace("\n", " ")


class BoardModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[BoardRow] = []
        self._index: dict[int, int] = {}

    def set_rows(self, rows: list[BoardRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._index = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def rows(self) -> list[BoardRow]:
        return self._rows

    def row_at(self, row: int) -> BoardRow:
        return self._rows[row]

    def update_row(self, new: BoardRow) -> None:
        """Replace one invitee's row after a save; only that row repaints."""
        i = self._index.get(new.id)
        if i is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._index[new.id] = len(self._rows)
            self._rows.append(new)
            self.endInsertRows()
            return
        self._rows[i] = new
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(HEADERS) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _show(row, index.column())
        if role == ObjectRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_RESPONSE:
            colour = _RESPONSE_COLOURS.get(row.response)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (COL_NAMES, COL_NOTES, COL_ASSISTANCE):
            return _show(row, index.column()) or None
        return None


class BoardFilter(QSortFilterProxyModel):
    """Words typed must all occur in name, organisation or attendee names; optionally only open replies."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.only_open = False

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_open(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_open = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, BoardModel)
        row = model.row_at(source_row)
        if self.only_open and row.response != Response.OPEN.value:
            return False
        return all(word in row.search_text for word in self._words)
