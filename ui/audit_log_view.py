"""Änderungsprotokoll: who changed what and when, for all records or one, filterable as you type."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle.search import fold, matches
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.audit import AuditRow
from geschaeftsstelle.store.database import Database

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
FilterRole = Qt.ItemDataRole.UserRole + 3
AnyIndex = QModelIndex | QPersistentModelIndex
ACTION_LABELS = {"insert": "angelegt", "update": "geändert", "delete": "gelöscht"}


class AuditLogModel(QAbstractTableModel):
    COL_AT, COL_USER, COL_ENTITY, COL_LABEL, COL_ACTION, COL_CHANGES = range(6)
    HEADERS = ("Zeitpunkt", "Benutzer", "Art", "Datensatz", "Aktion", "Änderungen")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[AuditRow] = []
        self._folded: list[str] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._folded = [fold(" ".join((r.user_name, r.label, r.summary, r.entity))) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ObjectRole:
            return row
        if role == FilterRole:
            return self._folded[index.row()]
        if role == SortRole:
            return (row.id, row.user_name, row.entity, row.label.casefold(), row.action, row.summary)[col]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                f"{row.at:%d.%m.%Y %H:%M}",
                row.user_name,
                audit.ENTITY_LABELS.get(row.entity, row.entity),
                row.label,
                ACTION_LABELS.get(row.action, row.action),
                row.summary,
            )[col]
        return None


class AuditFilter(QSortFilterProxyModel):
    """Every typed word must occur (case and accents ignored); optionally one kind of record."""

    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.entity: str | None = None
        self.setSortRole(SortRole)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_entity(self, entity: str | None) -> None:
        self.beginFilterChange()
        self.entity = entity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        row: AuditRow = model.data(index, ObjectRole)
        if self.entity and row.entity != self.entity:
            return False
        return not self.query or matches(model.data(index, FilterRole), self.query)


class AuditLogView(QWidget):
    def __init__(
        self, db: Database, entity: str | None = None, entity_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.entity = entity
        self.entity_id = entity_id
        self.model = AuditLogModel()
        self.proxy = AuditFilter()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Suchen: Name, Benutzer, Feld, Wert …")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        self.kind = QComboBox()
        self.kind.addItem("alle Arten", None)
        for key, label in audit.ENTITY_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(lambda _i: self.proxy.set_entity(self.kind.currentData()))
        self.kind.setVisible(entity is None)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(AuditLogModel.COL_AT, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(AuditLogModel.COL_CHANGES, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        top = QHBoxLayout()
        label = QLabel("&Suche:")
        label.setBuddy(self.search)
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(audit.history(self.db, self.entity, self.entity_id))
        for col in range(AuditLogModel.COL_CHANGES):
            self.table.resizeColumnToContents(col)
        self._count()

    def _count(self, *_args: object) -> None:
        self.count.setText(f"{self.proxy.rowCount()} von {self.model.rowCount()} Einträgen")


class AuditLogDialog(QDialog):
    """The log of one record (opened from a record's dialog) or of everything (from the menu)."""

    def __init__(
        self,
        db: Database,
        entity: str | None = None,
        entity_id: int | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Änderungsprotokoll – {title}" if title else "Änderungsprotokoll")
        self.resize(980, 560)
        self.view = AuditLogView(db, entity, entity_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
