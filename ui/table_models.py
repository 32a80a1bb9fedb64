"""One table model for every list of the window and a search proxy.

A list is a tuple of columns declared once: a header, how to show a row and how to sort it, and what a
cell may add (tooltip, colours, alignment, the text an editor starts from); rows are frozen dataclasses
from the services (or records). Sorting happens in the model (Python's sort on cached keys) and filtering
on the rows' folded search text in one pass: the proxy then only looks up a set, because a Python
`lessThan`/`filterAcceptsRow` doing the work per call costs seconds at 20,000 contacts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
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

from geschaeftsstelle.search import search_fold

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


def long_text_tip(_row: object, text: str) -> str | None:
    """The default tooltip: the whole text where a column may cut it off."""
    return text if len(text) > 40 else None


def no_tip(_row: object, _text: str) -> str | None:
    return None


def shown_text_tip(_row: object, text: str) -> str | None:
    return text or None


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: `show` gives the cell's text, `sort` its order (else the text, case- and accent-blind);
    `tooltip(row, text)`, `foreground`, `background`, `align` and `edit` (the text an editor starts from)
    only where a list needs them."""

    header: str
    show: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[R, str], str | None] = long_text_tip
    foreground: Callable[[R], QBrush | None] | None = None
    background: Callable[[R], QBrush | None] | None = None
    align: Qt.AlignmentFlag | None = None
    edit: Callable[[R], str] | None = None

    def key(self, row: R) -> Any:
        return self.sort(row) if self.sort else sort_text(self.show(row))

    def alignment(self) -> Qt.AlignmentFlag | None:
        return RIGHT if self.align_right else self.align


class RowTableModel(QAbstractTableModel, Generic[R]):
    """The rows of one list, in the order of its sort column. `dimmed` rows show in placeholder grey;
    `identity` (a record id) lets `replace_row` refresh one row after a save; `row_header` labels rows."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        dimmed: Callable[[R], bool] | None = None,
        *,
        identity: Callable[[R], Hashable] | None = None,
        row_header: Callable[[R], str] | None = None,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self._rows: list[R] = []
        self._dimmed = dimmed
        self._identity = identity
        self._row_header = row_header
        self._positions: dict[Hashable, int] | None = None  # identity → row, made when first needed
        self._keys: dict[int, dict[int, Any]] = {}  # column → id(row) → sort key; dropped with the rows
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.generation = 0  # tells the proxy that its cached filter result belongs to older rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._keys.clear()
        self._rows = self._sorted(list(rows))
        self._positions = None
        self.generation += 1
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column[R]], rows: Sequence[R]) -> None:
        """A grid whose columns depend on the data (one per juror and criterion): both at once."""
        self.beginResetModel()
        self.columns = list(columns)
        self._keys.clear()
        self._rows = self._sorted(list(rows))
        self._positions = None
        self.generation += 1
        self.endResetModel()

    def replace_row(self, new: R) -> None:
        """Put a saved record's new row in place of its old one (or at the end); only that row repaints."""
        assert self._identity is not None, "replace_row needs the model's identity"
        if self._positions is None:
            self._positions = {self._identity(r): i for i, r in enumerate(self._rows)}
        self.generation += 1  # the proxy's filter result names the old row object
        i = self._positions.get(self._identity(new))
        if i is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._positions[self._identity(new)] = len(self._rows)
            self._rows.append(new)
            self.endInsertRows()
            return
        old = self._rows[i]
        for keys in self._keys.values():
            keys.pop(id(old), None)
        self._rows[i] = new
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

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
        self._positions = None
        position = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(position[id(r)], i.column()) for i, r in held])
        self.layoutChanged.emit()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        if self._row_header is not None and 0 <= section < len(self._rows):
            return self._row_header(self._rows[section])
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
            return column.tooltip(row, column.show(row))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.foreground is not None and (brush := column.foreground(row)) is not None:
                return brush
            if self._dimmed is not None and self._dimmed(row):
                # Placeholder grey: clearly secondary, still readable, and right in dark palettes too.
                return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return column.background(row) if column.background is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = column.alignment()
            return int(align) if align is not None else None
        if role == Qt.ItemDataRole.EditRole and column.edit is not None:
            return column.edit(row)
        return None


class SearchProxy(QSortFilterProxyModel):
    """Every word typed must occur in the row's folded `search_text` (the rule of `search.matches`, with
    the query folded once), or in the text `haystack` makes of a row (folded once per row and kept); an
    extra predicate (active/former, kind, …) narrows further. Sorting is done by the source model, so the
    proxy keeps its order."""

    def __init__(
        self, extra: Callable[[Any], bool] | None = None, *, haystack: Callable[[Any], str] | None = None
    ) -> None:
        super().__init__()
        self._words: list[str] = []
        self._extra = extra
        self._haystack = haystack
        self._haystacks: dict[int, str] = {}  # id(row) → folded haystack, for the rows of one generation
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
        words = search_fold(text).split()
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
        if not self._words:
            return True
        if self._haystack is None:
            haystack: str = row.search_text
        else:
            haystack = self._haystacks.get(id(row)) or self._made_haystack(row)
        return all(word in haystack for word in self._words)

    def _made_haystack(self, row: Any) -> str:
        assert self._haystack is not None
        made = self._haystacks[id(row)] = search_fold(self._haystack(row))
        return made

    def _recompute(self, candidates: list[Any] | None = None) -> bool:
        """One pass over the rows, or over the rows shown so far when the query only got longer."""
        model = self._source
        assert model is not None
        if self._generation != model.generation:
            self._haystacks.clear()
        self._generation = model.generation
        extra = self._extra
        if not self._words and extra is None:
            changed = self._shown_ids is not None
            self._shown, self._shown_ids = model.rows(), None
            return changed
        rows = model.rows() if candidates is None else candidates
        words = self._words
        if self._haystack is None and extra is None:  # the search field alone: no call per row
            shown = [r for r in rows if all(word in r.search_text for word in words)]
        else:
            shown = [r for r in rows if (extra is None or extra(r)) and self.row_matches(r)]
        ids = {id(r) for r in shown}
        changed = ids != self._shown_ids if self._shown_ids is not None else len(shown) != len(model.rows())
        self._shown, self._shown_ids = shown, ids
        return changed

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self._source
        assert model is not None
        if self._generation != model.generation:
            self._recompute()
        shown = self._shown_ids
        return shown is None or id(model._rows[source_row]) in shown  # same module: no call per row

    def source_row(self, row: int) -> Any:
        """The row object shown at position `row` of the proxy."""
        assert self._source is not None
        return self._source.row_at(self.mapToSource(self.index(row, 0)).row())


def list_table(
    proxy: QSortFilterProxyModel, sort_column: int = 0, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
) -> QTableView:
    """The read-only, row-selecting, sortable table every list page shows."""
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(sort_column, order)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table
