"""Kontakte: every person – member contacts, guests, speakers, jurors – with the same search.

A big office's list comes in two steps: the first screenful by name at once, then the whole list (20,000
people take longer to read than a window may take to appear) as soon as that first screenful is painted,
or when a search or filter needs it earlier.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members
from geschaeftsstelle.members import ContactRow
from geschaeftsstelle.store.database import Database
from ui.contact_dialog import ContactDialog
from ui.table_models import Column, RowTableModel, SearchProxy, list_table, sort_text

CONTACT_COLUMNS: list[Column[ContactRow]] = [
    Column("Name", lambda r: r.name, sort=lambda r: sort_text(r.sort_name)),
    Column("Organisation", lambda r: r.organisation),
    Column("Funktion", lambda r: r.role),
    Column("E-Mail", lambda r: r.email),
    Column("Telefon", lambda r: r.phone),
    Column("Ort", lambda r: r.city),
    Column("Bedarfe", lambda r: r.needs),
]
FILTERS = (("alle Personen", "all"), ("Ansprechpersonen der Mitglieder", "members"), ("Externe", "external"))


class ContactsView(QWidget):
    contactsChanged = Signal()
    statusMessage = Signal(str)
    #: More than a screen shows. With fewer contacts the whole list comes at once: it costs no more.
    FIRST_ROWS = 200

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.db = db
        self.model: RowTableModel[ContactRow] = RowTableModel(CONTACT_COLUMNS)
        self.proxy = SearchProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Suchen: Name, Organisation, Funktion, E-Mail, Ort …")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.filter = QComboBox()
        for label, key in FILTERS:
            self.filter.addItem(label, key)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table = list_table(self.proxy, 0)
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.count = QLabel()
        label = QLabel("&Suche:")
        label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._rest_pending = False
        self.table.viewport().installEventFilter(self)
        if load:  # the main window loads a page when it is first shown
            self.refresh()

    def refresh(self) -> None:
        first = members.first_contacts(self.db, self.FIRST_ROWS)
        self._rest_pending = len(first) == self.FIRST_ROWS
        if self._rest_pending:
            self.model.set_rows(first)
            self.count.setText("Weitere Personen werden gelesen …")
        else:
            self.model.set_rows(members.list_contacts(self.db))
            self._update_count()
        if not hasattr(self, "_sized"):
            self._sized = True
            for col, width in enumerate((220, 260, 160, 220, 120, 110)):
                self.table.setColumnWidth(col, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The first screenful is being painted: read the whole list once that paint is done."""
        if self._rest_pending and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.load_rest)
        return super().eventFilter(watched, event)

    def load_rest(self) -> None:
        """The whole list, if only the first screenful is shown so far."""
        if self._rest_pending:
            self._rest_pending = False
            self.model.set_rows(members.list_contacts(self.db))
            self._update_count()

    def _search_changed(self, text: str) -> None:
        self.load_rest()
        self.proxy.set_query(text)
        self._update_count()

    def _filter_changed(self, *_args: object) -> None:
        self.load_rest()
        key = self.filter.currentData()
        predicate = {
            "all": None,
            "members": lambda r: r.member_id is not None,
            "external": lambda r: r.member_id is None,
        }[key]
        self.proxy.set_extra(predicate)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"{self.proxy.rowCount()} von {self.model.rowCount()} Personen")

    def selected(self) -> ContactRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new(self) -> None:
        dialog = ContactDialog(self.db, None, None, self)
        if dialog.exec():
            self._changed("Kontakt gespeichert.")

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ContactDialog(self.db, row.id, None, self)
        if dialog.exec():
            self._changed("Kontakt gespeichert.")

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Kontakt löschen",
            f"{row.name} löschen? Frühere Einladungen bleiben als Zahl in der Statistik. "
            "Für eine Löschung nach DSGVO mit Schwärzung des Protokolls: Extras → Datenschutz.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            members.delete_contact(self.db, row.id)
            self._changed(f"{row.name} gelöscht.")

    def _changed(self, message: str) -> None:
        self.refresh()
        self.statusMessage.emit(message)
        self.contactsChanged.emit()
