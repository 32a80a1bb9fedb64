"""Kontakte: every person – member contacts, guests, speakers, jurors – with the same search.

A big office's list comes in two steps: the first screenful by name at once, then the whole list (20,000
people take longer to read than a window may take to appear) as soon as that first screenful is painted,
or when a search or filter needs it earlier.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from geschaeftsstelle import members
from geschaeftsstelle.members import ContactRow
from geschaeftsstelle.store.database import Database
from ui.contact_dialog import ContactDialog
from ui.list_page import ListPage
from ui.table_models import Column, sort_text

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


class ContactsView(ListPage[ContactRow]):
    contactsChanged = Signal()
    statusMessage = Signal(str)
    #: More than a screen shows. With fewer contacts the whole list comes at once: it costs no more.
    FIRST_ROWS = 200

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(
            CONTACT_COLUMNS, noun="Personen", search_hint="Suchen: Name, Organisation, Funktion, E-Mail, Ort …",
            parent=parent,
        )  # fmt: skip
        self.db = db
        self.filter = self.add_combo(FILTERS)
        self.opened.connect(lambda _row: self.edit_selected())
        self._rest_pending = False
        self._sized = False
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
            self.set_rows(members.list_contacts(self.db))
        if not self._sized:
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
            self.set_rows(members.list_contacts(self.db))

    def _search_changed(self, text: str) -> None:
        self.load_rest()
        super()._search_changed(text)

    def filter_changed(self, *_args: object) -> None:
        self.load_rest()
        key = self.filter.currentData()
        predicate = {
            "all": None,
            "members": lambda r: r.member_id is not None,
            "external": lambda r: r.member_id is None,
        }[key]
        self.set_filter(predicate)

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
            members.delete_contact(self.db, row.id, version=row.version)
            self._changed(f"{row.name} gelöscht.")

    def _changed(self, message: str) -> None:
        self.refresh()
        self.statusMessage.emit(message)
        self.contactsChanged.emit()
