"""Mitgliederliste importieren: choose a file, check the column mapping, look at the problems, import.

The import itself runs in a worker thread with a progress dialog; cancelling rolls everything back,
so the database is exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from geschaeftsstelle import member_import
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.member_import import TARGETS, ImportResult, RowCheck, Table
from geschaeftsstelle.store.database import Database
from ui.background import BackgroundTask
from ui.table_file_page import TableFilePage
from ui.table_models import Column, RowTableModel

PREVIEW_KEYS = ("name", "city", "postal_code", "email", "first_name", "last_name", "contact_email")
_PROBLEM = QBrush(QColor("#c62828"))


def _problem_colour(row: RowCheck) -> QBrush | None:
    return None if row.ok else _PROBLEM


def _problem_tip(row: RowCheck, _text: str) -> str | None:
    return None if row.ok else "\n".join(row.problems)


def _value_column(key: str) -> Column[RowCheck]:
    return Column(member_import.TARGET_LABELS[key], lambda r: r.values.get(key, ""), tooltip=_problem_tip,
                  foreground=_problem_colour)  # fmt: skip


PREVIEW_COLUMNS: list[Column[RowCheck]] = [
    Column("Zeile", lambda r: str(r.line), tooltip=_problem_tip, foreground=_problem_colour),
    *(_value_column(key) for key in PREVIEW_KEYS),
    Column("Probleme", lambda r: " ".join(r.problems) or "in Ordnung", tooltip=_problem_tip,
           foreground=_problem_colour),
]  # fmt: skip


class PreviewModel(RowTableModel[RowCheck]):
    """The checked rows: line, main fields and the problems; problem rows in red."""

    def __init__(self) -> None:
        super().__init__(PREVIEW_COLUMNS)


class FilePage(TableFilePage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            "Eine Mitgliederliste als .csv oder .xlsx – auch ein Kontakte-Export aus Outlook.", "Mitgliederliste öffnen"
        )
        self.w = wizard

    def validatePage(self) -> bool:
        try:
            self.w.table = member_import.read_table(Path(self.path.text().strip()))
        except UserError as exc:
            self.show_error(exc)
            return False
        self.info.setText(self.w.table.description)
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Spalten zuordnen")
        self.setSubTitle("Welche Spalte der Datei gehört in welches Feld? Erkannte Spalten sind schon gewählt.")
        self.combos: list[QComboBox] = []
        self.form = QFormLayout()
        inner = QWidget()
        inner.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setAccessibleName("Zuordnung der Spalten")
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        table = self.w.table
        assert table is not None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = []
        mapping = member_import.auto_mapping(table.headers)
        for i, header in enumerate(table.headers):
            combo = QComboBox()
            combo.addItem("— nicht übernehmen —", None)
            for target in TARGETS:
                combo.addItem(target.label, target.key)
            combo.setCurrentIndex(max(combo.findData(mapping.get(i)), 0))
            example = next((r[i] for r in table.rows if i < len(r) and r[i].strip()), "")
            label = QLabel(f"{header or f'Spalte {i + 1}'}  <span style='color:gray'>{example[:40]}</span>")
            label.setBuddy(combo)
            self.form.addRow(label, combo)
            self.combos.append(combo)

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData() is not None}

    def validatePage(self) -> bool:
        keys = list(self.mapping().values())
        doubled = {k for k in keys if keys.count(k) > 1}
        if doubled:
            self.message.setText(
                "Ein Feld ist mehreren Spalten zugeordnet: "
                + ", ".join(member_import.TARGET_LABELS[k] for k in sorted(doubled))
            )
            return False
        try:
            assert self.w.table is not None
            self.w.checks = member_import.check_rows(self.w.db, self.w.table, self.mapping())
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        self.message.clear()
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Vorschau und Prüfung")
        self.model = PreviewModel()
        self.view = QTableView()
        self.view.setAccessibleName("Vorschau")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(len(PREVIEW_KEYS) + 1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Importieren")

    def initializePage(self) -> None:
        self.model.set_rows(self.w.checks)
        good = sum(1 for c in self.w.checks if c.ok)
        bad = len(self.w.checks) - good
        self.setSubTitle("Rot markierte Zeilen werden nicht importiert; alle anderen in einem Schritt.")
        self.summary.setText(f"{good} Zeilen werden importiert, {bad} Zeilen haben Probleme.")
        self.view.resizeColumnsToContents()

    def validatePage(self) -> bool:
        return self.w.run_import()


class ImportWizard(QWizard):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.table: Table | None = None
        self.checks: list[RowCheck] = []
        self.outcome: ImportResult | None = None
        self.setWindowTitle("Mitgliederliste importieren")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Weiter >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Zurück")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Abbrechen")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Importieren")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.resize(860, 600)

    def run_import(self) -> bool:
        """Import in a worker thread with a progress dialog; True when it went through."""
        if not any(c.ok for c in self.checks):
            QMessageBox.information(self, "Import", "Es gibt keine Zeile ohne Probleme; nichts zu importieren.")
            return False
        self.task = BackgroundTask(
            self,
            "Mitglieder werden importiert …",
            lambda progress: member_import.import_rows(self.db, self.checks, progress),
        )
        result, error = self.task.run()
        if error:
            QMessageBox.warning(self, "Import", error)
            return False
        self.outcome = result
        return result is not None


def run_import_wizard(parent: QWidget, db: Database) -> bool:
    """The main window's entry point: True when members were imported."""
    wizard = ImportWizard(db, parent)
    if wizard.exec() and wizard.outcome is not None:
        QMessageBox.information(parent, "Import", wizard.outcome.summary())
        return wizard.outcome.imported > 0
    return False
