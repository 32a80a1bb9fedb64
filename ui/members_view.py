"""Mitglieder: the member directory with search as you type and an active/former filter."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QMessageBox, QWidget

from geschaeftsstelle import members
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.members import MemberRow
from geschaeftsstelle.store.database import Database
from ui.documents_menu import DocumentChoice, member_documents
from ui.list_page import ListPage
from ui.member_dialog import MemberDialog
from ui.table_models import Column, RowTableModel


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


class MembersView(ListPage[MemberRow]):
    membersChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(
            RowTableModel(MEMBER_COLUMNS, dimmed=lambda r: not r.active), noun="Mitgliedern",
            search_hint="Suchen: Name, Nummer, Ort, Schlagwort, Ansprechperson …", sort_column=COL_NAME, parent=parent,
        )  # fmt: skip
        self.db = db
        self.filter = self.add_combo(FILTERS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.add_button("&Jubiläen …", self.show_anniversaries)
        self.opened.connect(lambda _row: self.edit_selected())
        self._sized = False
        self.filter_changed()
        if load:  # the main window loads a page when it is first shown
            self.refresh()

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        selected = self.selected()
        self.set_rows(members.list_members(self.db))
        if not self._sized:
            self._sized = True
            widths = (280, 50, 120, 180, 200, 120, 160)
            for col, width in enumerate(widths):
                self.table.setColumnWidth(col, width)
        if selected is not None:
            self.select_id(selected.id)

    def filter_changed(self, *_args: object) -> None:
        key = self.filter.currentData()
        predicate = {"active": lambda r: r.active, "former": lambda r: not r.active, "all": None}[key]
        self.set_filter(predicate)

    def document_choices(self) -> list[DocumentChoice]:
        """Drucken / PDF on this page: address labels of every active member."""
        return member_documents()

    def show_anniversaries(self) -> None:
        """The members' round anniversaries of a year, on screen and as PDF."""
        from ui.anniversaries_dialog import AnniversariesDialog

        AnniversariesDialog(self.db, self).exec()

    def select_id(self, member_id: int) -> None:
        self.select(lambda r: r.id == member_id)

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
            members.delete_member(self.db, row.id, version=row.version)
        except UserError as exc:
            box = QMessageBox(QMessageBox.Icon.Information, "Mitglied löschen", str(exc), parent=self)
            former = box.addButton("Als ehemaliges Mitglied setzen", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is former:
                members.set_left(self.db, row.id, row.left_on or dt.date.today(), version=row.version)
                self._changed(row.id, f"„{row.name}“ ist jetzt ehemaliges Mitglied.")
            return
        self._changed(None, f"„{row.name}“ gelöscht.")
