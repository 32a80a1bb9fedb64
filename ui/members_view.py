"""Mitglieder: the member directory with search as you type and an active/former filter."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.members import MemberRow
from geschaeftsstelle.store.database import Database
from ui.member_dialog import MemberDialog
from ui.table_models import Column, RowTableModel, SearchProxy, list_table


def _date(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


MEMBER_COLUMNS: list[Column[MemberRow]] = [
    Column("Name", lambda r: r.name),
    Column("Nr.", lambda r: r.member_number, sort=lambda r: r.member_number.rjust(30)),
    Column("Ort", lambda r: r.city),
    Column("Hauptansprechperson", lambda r: r.primary_contact),
    Column("E-Mail", lambda r: r.email),
    Column("Telefon", lambda r: r.phone),
    Column("Schlagworte", lambda r: r.tags),
    Column("Mitglied seit", lambda r: _date(r.joined_on), sort=lambda r: (r.joined_on or dt.date.min).isoformat()),
]
COL_NAME = 0
FILTERS = (("aktive Mitglieder", "active"), ("ehemalige Mitglieder", "former"), ("alle", "all"))


class MembersView(QWidget):
    membersChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.db = db
        self.model: RowTableModel[MemberRow] = RowTableModel(MEMBER_COLUMNS, dimmed=lambda r: not r.active)
        self.proxy = SearchProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Suchen: Name, Nummer, Ort, Schlagwort, Ansprechperson …")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.filter = QComboBox()
        for label, key in FILTERS:
            self.filter.addItem(label, key)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table = list_table(self.proxy, COL_NAME)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.count = QLabel()
        search_label = QLabel("&Suche:")
        search_label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._filter_changed()
        if load:  # the main window loads a page when it is first shown
            self.refresh()

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        selected = self.selected()
        self.model.set_rows(members.list_members(self.db))
        if not hasattr(self, "_sized"):
            self._sized = True
            widths = (280, 50, 120, 180, 200, 120, 160)
            for col, width in enumerate(widths):
                self.table.setColumnWidth(col, width)
        self._update_count()
        if selected is not None:
            self.select_id(selected.id)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_count()

    def _filter_changed(self, *_args: object) -> None:
        key = self.filter.currentData()
        predicate = {"active": lambda r: r.active, "former": lambda r: not r.active, "all": None}[key]
        self.proxy.set_extra(predicate)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} von {total} Mitgliedern")

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_id(self, member_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if self.model.row_at(self.proxy.mapToSource(index).row()).id == member_id:
                self.table.selectRow(r)
                self.table.scrollTo(index)
                return

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------------ actions

    def new(self) -> None:
        dialog = MemberDialog(self.db, None, self)
        if dialog.exec() or dialog.changed:
            self._changed(dialog.member_id, "Mitglied gespeichert.")

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = MemberDialog(self.db, row.id, self)
        if dialog.exec() or dialog.changed:
            self._changed(row.id, "Mitglied gespeichert.")

    def _changed(self, member_id: int | None, message: str) -> None:
        self.refresh()
        if member_id is not None:
            self.select_id(member_id)
        self.statusMessage.emit(message)
        self.membersChanged.emit()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Mitglied löschen", f"„{row.name}“ mit allen Ansprechpersonen endgültig löschen?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            members.delete_member(self.db, row.id)
        except UserError as exc:
            box = QMessageBox(QMessageBox.Icon.Information, "Mitglied löschen", str(exc), parent=self)
            former = box.addButton("Als ehemaliges Mitglied setzen", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is former:
                members.set_left(self.db, row.id, row.left_on or dt.date.today())
                self._changed(row.id, f"„{row.name}“ ist jetzt ehemaliges Mitglied.")
            return
        self._changed(None, f"„{row.name}“ gelöscht.")
