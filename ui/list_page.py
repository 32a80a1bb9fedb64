"""The list page every list of the window is: a search field with its filters, the table, the count, buttons.

Members, contacts, meetings, the change log and the award's nominations are this one widget with their
own columns; Enter or a double-click on a row emits `opened` with that row, so each page says only what
opening means for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.table_models import Column, R, RowTableModel, SearchProxy, list_table


class ListPage(QWidget, Generic[R]):
    """`model` holds the rows (or is made from the columns); `noun` names the rows in the count („12 von 40
    Mitgliedern“; None: no count); `search_hint` is the search field's placeholder (None: no search field);
    `haystack` makes a row's search text where the rows carry no `search_text` of their own."""

    opened = Signal(object)

    def __init__(
        self,
        model: RowTableModel[R] | Sequence[Column[R]],
        *,
        noun: str | None,
        search_hint: str | None = None,
        sort_column: int = 0,
        order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
        haystack: Callable[[R], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.model: RowTableModel[R] = model if isinstance(model, RowTableModel) else RowTableModel(model)
        self.proxy = SearchProxy(haystack=haystack)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText(search_hint or "")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        search_label = QLabel("&Suche:")
        search_label.setBuddy(self.search)
        for widget in (search_label, self.search):
            widget.setVisible(search_hint is not None)
        self._keys = _ListKeys(self)
        self.search.installEventFilter(self._keys)
        self.search.returnPressed.connect(self.to_first_hit)
        self.table = list_table(self.proxy, sort_column, order)
        self.table.setAccessibleName(noun or "Liste")  # what a screen reader says on Tab
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.table.installEventFilter(self._keys)
        self.table.activated.connect(self._activated)
        self._last_filter: QWidget = self.search
        self.count = QLabel()
        self.count.setVisible(noun is not None)
        self.top = QHBoxLayout()
        self.top.addWidget(search_label)
        self.top.addWidget(self.search, 1)
        self.buttons = QHBoxLayout()
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.top)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.count)
        self.body.addLayout(self.buttons)
        self._widths_settled = False  # widths come once from the saved ones or the content, then stay
        self._fitting = False
        self.table.horizontalHeader().sectionResized.connect(self._column_resized)
        self.model.modelReset.connect(self._rows_arrived)

    # ------------------------------------------------------------------ column widths

    #: Rows measured for the widths (all 20,000 would take a noticeable moment) and the widest a column starts.
    FIT_SAMPLE = 300
    FIT_MAX = 420

    @property
    def columns_key(self) -> str:
        """Where this view's column widths are kept in QSettings (one entry per kind of list)."""
        return f"columns/{type(self).__name__}"

    def fit_columns(self) -> None:
        """Each column as wide as its header and the widest text of the rows (all rows, not only those the
        filters show: a year with no meetings must not leave „14:0…“ when the next year is chosen)."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        rows = min(self.model.rowCount(), self.FIT_SAMPLE)
        padding = 2 * self.table.style().pixelMetric(self.table.style().PixelMetric.PM_FocusFrameHMargin) + 16
        self._fitting = True
        try:
            for column in range(self.model.columnCount()):
                if self.table.isColumnHidden(column):
                    continue
                content = 0
                for row in range(rows):
                    text = self.model.data(self.model.index(row, column))
                    if isinstance(text, str) and text:
                        content = max(content, metrics.horizontalAdvance(text) + padding)
                self.table.setColumnWidth(column, max(header.sectionSizeHint(column), min(content, self.FIT_MAX)))
        finally:
            self._fitting = False

    def _rows_arrived(self) -> None:
        if not self._widths_settled and self.model.rowCount() and self.model.columnCount():
            QTimer.singleShot(0, self._settle_widths)  # after the page's own first sizing, if it does any

    def _settle_widths(self) -> None:
        if self._widths_settled:
            return
        self._widths_settled = True
        saved = QSettings().value(self.columns_key)
        widths = [int(w) for w in str(saved).split(",") if w.isdigit()] if saved else []
        if len(widths) != self.model.columnCount():
            self.fit_columns()
            return
        self._fitting = True
        try:
            for column, width in enumerate(widths):
                self.table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _column_resized(self, *_args: object) -> None:
        """Widths the user drags (or double-clicks) are kept for this kind of list."""
        if self._fitting or QApplication.mouseButtons() == Qt.MouseButton.NoButton:
            return
        self._widths_settled = True
        self.save_column_widths()

    def save_column_widths(self) -> None:
        header = self.table.horizontalHeader()
        QSettings().setValue(self.columns_key, ",".join(str(header.sectionSize(c)) for c in range(header.count())))

    # ------------------------------------------------------------------ building

    def add_filter(self, widget: QWidget, label: str = "") -> None:
        """A filter beside the search field (a combo box, a check box), with its own label if it has one;
        Tab reaches it after the search field and the filters before it, then the table."""
        if label:
            caption = QLabel(label)
            caption.setBuddy(widget)
            self.top.addWidget(caption)
        self.top.addWidget(widget)
        QWidget.setTabOrder(self._last_filter, widget)
        QWidget.setTabOrder(widget, self.table)
        self._last_filter = widget

    def add_combo(self, choices: Sequence[tuple[str, Any]], label: str = "") -> QComboBox:
        """A filter combo box of (label, key) choices; the page's `filter_changed` runs on every change."""
        combo = QComboBox()
        for text, key in choices:
            combo.addItem(text, key)
        combo.currentIndexChanged.connect(self.filter_changed)
        self.add_filter(combo, label)
        return combo

    def add_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons.addWidget(button)
        return button

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[R]) -> None:
        self.model.set_rows(rows)
        self.update_count()

    def filter_changed(self, *_args: object) -> None:
        """Called when a filter changes: pages with filters narrow the rows with `set_filter`."""

    def set_filter(self, predicate: Callable[[R], bool] | None) -> None:
        self.proxy.set_extra(predicate)
        self.update_count()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self.update_count()

    def update_count(self) -> None:
        if self.noun is not None:
            self.count.setText(f"{self.proxy.rowCount()} von {self.model.rowCount()} {self.noun}")

    def selected(self) -> R | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def selected_rows(self) -> list[R]:
        """Every selected row, in the model's order."""
        positions = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.row_at(r) for r in sorted(positions)]

    def select(self, wanted: Callable[[R], bool]) -> bool:
        """Select and show the first row shown for which `wanted` holds."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if wanted(self.model.row_at(self.proxy.mapToSource(index).row())):
                self.table.selectRow(r)
                self.table.scrollTo(index)
                return True
        return False

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def to_first_hit(self) -> None:
        """Enter or ↓ in the search field: the first row shown is selected and has the focus (Enter opens it)."""
        if not self.proxy.rowCount():
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        current = self.table.currentIndex()
        if not current.isValid() or not self.table.selectionModel().isRowSelected(current.row()):
            self.table.selectRow(0)
            self.table.setCurrentIndex(self.proxy.index(0, 0))
            self.table.scrollTo(self.proxy.index(0, 0))

    def list_key(self, watched: QObject, event: QKeyEvent) -> bool:
        """↓ from the search field to the first hit; letters typed on the list go to the search field."""
        key = event.key()
        if watched is self.search and key == Qt.Key.Key_Down:
            self.to_first_hit()
            return True
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if (row := self.selected()) is not None:
                self.opened.emit(row)
            return True
        text = event.text()
        if watched is self.table and self.search.isVisible() and plain and text.isprintable() and text.strip():
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            self.search.selectAll()  # typing on the list starts a new search
            self.search.insert(text)
            return True
        return False

    def _activated(self, index: object) -> None:
        row = self.selected()
        if row is not None:
            self.opened.emit(row)


class _ListKeys(QObject):
    """The page's key handling as its own filter object, so pages with an `eventFilter` of their own keep it."""

    def __init__(self, page: ListPage[Any]) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.page.list_key(watched, event)
        return False
