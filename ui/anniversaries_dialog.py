"""Jubiläen: the members' round anniversaries of a chosen year on screen, with the same list as PDF."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members
from geschaeftsstelle.members import Anniversary
from geschaeftsstelle.store.database import Database
from ui.documents_menu import anniversaries_choice, preview_document
from ui.table_models import Column, RowTableModel

ANNIVERSARY_COLUMNS: list[Column[Anniversary]] = [
    Column("Tag", lambda a: f"{a.day:%d.%m.%Y}", sort=lambda a: a.day.isoformat()),
    Column("Mitglied", lambda a: a.name),
    Column("Ort", lambda a: a.city),
    Column("Jubiläum", lambda a: f"{a.years} Jahre", sort=lambda a: f"{a.years:05d}"),
    Column("Gegründet am", lambda a: f"{a.founded_on:%d.%m.%Y}", sort=lambda a: a.founded_on.isoformat()),
]


class AnniversariesDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None, year: int | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Jubiläen der Mitglieder")
        self.resize(720, 480)
        self.year = QSpinBox()
        self.year.setRange(1000, 9999)
        self.year.setValue(year or dt.date.today().year)
        caption = QLabel("&Jahr")
        caption.setBuddy(self.year)
        self.model: RowTableModel[Anniversary] = RowTableModel(ANNIVERSARY_COLUMNS)
        self.table = QTableView()
        self.table.setAccessibleName("Jubiläen")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        self.pdf_button = buttons.addButton("&PDF …", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(self.make_pdf)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(caption)
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        rows = members.anniversaries(self.db, self.year.value())
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        year = self.year.value()
        self.summary.setText(
            f"{len(rows)} Mitglieder mit rundem Jubiläum im Jahr {year}." if rows
            else f"Im Jahr {year} hat kein Mitglied ein rundes Jubiläum (nach den eingetragenen Gründungsdaten)."
        )  # fmt: skip

    def rows(self) -> list[Anniversary]:
        return list(self.model.rows())

    def make_pdf(self) -> None:
        preview_document(self, self.db, anniversaries_choice(self.year.value()), {})
