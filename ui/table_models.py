"""One table model for the plain-data lists (members, contacts, meetings) and a search proxy.

A list is a tuple of columns, each with a header, how to show a row and how to sort it; rows are
frozen dataclasses from the services. The proxy filters on the row's folded `search_text`, so typing
"muller" finds "Müller" without touching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from geschaeftsstelle.search import fold

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    show: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    align_right: bool = False


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], dimmed: Callable[[R], bool] | None = None) -> None:
        super().__init__()
        self.columns = list(columns)
        self._rows: list[R] = []
        self._dimmed = dimmed

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[R]:
        return self._rows

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(row)
        if role == ObjectRole:
            return row
        if role == SortRole:
            return column.sort(row) if column.sort else fold(column.show(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.show(row)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.ForegroundRole and self._dimmed is not None and self._dimmed(row):
            return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SearchProxy(QSortFilterProxyModel):
    """Every word typed must occur in the row's `search_text`; an extra predicate narrows further."""

    def __init__(self, extra: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self._words: list[str] = []
        self._extra = extra
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_extra(self, extra: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._extra = extra
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RowTableModel)
        row = model.row_at(source_row)
        if self._extra is not None and not self._extra(row):
            return False
        if not self._words:
            return True
        haystack = row.search_text  # type: ignore[attr-defined]
        return all(word in haystack for word in self._words)
