"""One table model for the plain-data lists (members, contacts, meetings) and a search proxy.

A list is a tuple of columns, each with a header, how to show a row and how to sort it; rows are
frozen dataclasses from the services. Sorting happens in the model (Python's sort on cached keys) and
filtering on the rows' folded `search_text` in one pass: the proxy then only looks up a set, because a
Python `lessThan`/`filterAcceptsRow` doing the work per call costs seconds at 20,000 contacts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView

from geschaeftsstelle.search import fold

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
_MARKS = re.compile("[\u0300-\u036f]")


def sort_text(text: str) -> str:
    """Case- and accent-blind order ("Ärzte" beside "Arzt") in C-speed steps; `fold` is ten times slower."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    show: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    align_right: bool = False

    def key(self, row: R) -> Any:
        return self.sort(row) if self.sort else sort_text(self.show(row))


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], dimmed: Callable[[R], bool] | None = None) -> None:
        super().__init__()
        self.columns = list(columns)
        self._rows: list[R] = []
        self._dimmed = dimmed
        self._keys: dict[int, dict[int, Any]] = {}  # column → id(row) → sort key; dropped with the rows
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.generation = 0  # tells the proxy that its cached filter result belongs to older rows

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self._keys.clear()
        self._rows = self._sorted(list(rows))
        self.generation += 1
        self.endResetModel()

    def rows(self) -> list[R]:
        return self._rows

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def sort_key(self, row: R, column: int) -> Any:
        keys = self._keys.setdefault(column, {})
        key = keys.get(id(row))
        if key is None:
            key = keys[id(row)] = self.columns[column].key(row)
        return key

    def _sorted(self, rows: list[R]) -> list[R]:
        """Keys made in one comprehension, then positions sorted by them: no Python call per comparison,
        which counts when the contacts view sorts 20,000 rows before its first paint."""
        if not 0 <= self._sort_column < len(self.columns):
            return rows
        column = self.columns[self._sort_column]
        cached = self._keys.setdefault(self._sort_column, {})
        if len(cached) != len(rows):  # new rows (set_rows empties the cache) or only some keys asked for yet
            if column.sort is not None:
                sort = column.sort
                cached.update(zip(map(id, rows), [sort(r) for r in rows], strict=True))
            else:
                show = column.show
                cached.update(zip(map(id, rows), [sort_text(show(r)) for r in rows], strict=True))
        keys = [cached[i] for i in map(id, rows)]
        order = sorted(range(len(rows)), key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return [rows[i] for i in order]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort for the proxy; selections (persistent indexes) follow their rows."""
        self._sort_column, self._sort_order = column, order
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(index, self._rows[index.row()]) for index in persistent]
        self._rows = self._sorted(self._rows)
        position = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(position[id(r)], i.column()) for i, r in held])
        self.layoutChanged.emit()

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
            return self.sort_key(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.show(row)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.ForegroundRole and self._dimmed is not None and self._dimmed(row):
            # Placeholder grey: clearly secondary, still readable, and right in dark palettes too.
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SearchProxy(QSortFilterProxyModel):
    """Every word typed must occur in the row's folded `search_text` (the rule of `search.matches`, with
    the query folded once); an extra predicate (active/former, kind, …) narrows further. Sorting is done
    by the source model, so the proxy keeps its order."""

    def __init__(self, extra: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self._words: list[str] = []
        self._extra = extra
        self._source: RowTableModel[Any] | None = None
        self._shown: list[Any] = []
        self._shown_ids: set[int] | None = None  # id() of the rows that pass; None = every row
        self._generation = -1
        self.setSortRole(SortRole)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, RowTableModel)
        self._source = model
        super().setSourceModel(model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._source is not None:
            self._source.sort(column, order)

    def set_query(self, text: str) -> None:
        words = fold(text).split()
        longer = all(any(old in new for new in words) for old in self._words)  # can only shrink the result
        up_to_date = self._source is not None and self._generation == self._source.generation
        candidates = self._shown if longer and up_to_date and self._shown_ids is not None else None
        self._words = words
        if not up_to_date or self._recompute(candidates):  # the same rows as before: no pass over the rows
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_extra(self, extra: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._extra = extra
        self._generation = -1
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def row_matches(self, row: Any) -> bool:
        haystack = row.search_text
        return all(word in haystack for word in self._words)

    def _recompute(self, candidates: list[Any] | None = None) -> bool:
        """One pass over the rows, or over the rows shown so far when the query only got longer."""
        model = self._source
        assert model is not None
        self._generation = model.generation
        extra = self._extra
        if not self._words and extra is None:
            changed = self._shown_ids is not None
            self._shown, self._shown_ids = model.rows(), None
            return changed
        rows = model.rows() if candidates is None else candidates
        shown = [r for r in rows if (extra is None or extra(r)) and self.row_matches(r)]
        ids = {id(r) for r in shown}
        changed = ids != self._shown_ids if self._shown_ids is not None else len(shown) != len(model.rows())
        self._shown, self._shown_ids = shown, ids
        return changed

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self._source
        if self._generation != model.generation:  # type: ignore[union-attr]
            self._recompute()
        shown = self._shown_ids
        return shown is None or id(model._rows[source_row]) in shown  # type: ignore[union-attr]


def list_table(proxy: QSortFilterProxyModel, sort_column: int = 0) -> QTableView:
    """The read-only, row-selecting, sortable table every list page shows."""
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table
