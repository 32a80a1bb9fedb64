"""Anmeldungen importieren: an online form's export (CSV/XLSX) becomes the meeting's replies.

Three pages: the file; the column mapping (a table of reply fields, each with a combo box of the file's
columns, proposed from the headers or remembered from the last import for this meeting); the preview
in three sections (zugeordnet, neu, zweifelhaft). Reading and matching run off the GUI thread; nothing is
written before „Übernehmen“, which applies everything in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from geschaeftsstelle import member_import, reply_import
from geschaeftsstelle.reply_import import FIELDS, ImportOutcome, PreviewRow, ReplyPreview, Section, Table
from geschaeftsstelle.store.database import Database
from ui.background import run_in_background
from ui.table_file_page import TableFilePage
from ui.table_models import Column, RowTableModel

_DOUBTFUL = QBrush(QColor("#c62828"))


def _reasons(row: PreviewRow) -> str:
    return " ".join(row.reasons)


SECTION_COLUMNS: dict[str, list[Column[PreviewRow]]] = {
    Section.MATCHED: [
        Column("Zeile", lambda r: str(r.line), sort=lambda r: r.line, align_right=True),
        Column("In der Datei", lambda r: r.who),
        Column("Eingeladen", lambda r: r.invitee),
        Column("Zugeordnet über", lambda r: r.matched_by),
        Column("Was sich ändert", lambda r: r.change + (f" ({_reasons(r)})" if r.reasons else "")),
    ],
    Section.NEW: [
        Column("Zeile", lambda r: str(r.line), sort=lambda r: r.line, align_right=True),
        Column("In der Datei", lambda r: r.who),
        Column("Wird eingeladen als", lambda r: r.matched_by),
        Column("Rückmeldung", lambda r: r.change),
    ],
    Section.DOUBTFUL: [
        Column("Zeile", lambda r: str(r.line), sort=lambda r: r.line, align_right=True),
        Column("In der Datei", lambda r: r.who),
        Column("Warum zweifelhaft", _reasons, foreground=lambda _r: _DOUBTFUL),
    ],
}


class FilePage(TableFilePage):
    def __init__(self, wizard: ReplyImportDialog) -> None:
        super().__init__(
            "Der Export eines Online-Formulars als .csv oder .xlsx (Website, LimeSurvey, Microsoft Forms, "
            "Nextcloud Forms …).",
            "Anmeldungen öffnen",
        )
        self.w = wizard

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip())
        db, meeting_id = self.w.db, self.w.meeting_id

        def read(_progress: object) -> tuple[Table, dict[str, str]]:
            table = member_import.read_table(path)
            return table, reply_import.mapping_for(db, meeting_id, table)

        result, error = run_in_background(self, "Die Datei wird gelesen …", read)
        if error:
            self.show_error(error)
            return False
        self.w.table, self.w.mapping = result
        self.w.file_name = path.name
        self.info.setText(self.w.table.description)
        return True


class MappingPage(QWizardPage):
    """One row per reply field: which column of the file fills it (or none)."""

    def __init__(self, wizard: ReplyImportDialog) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Spalten zuordnen")
        self.setSubTitle("Welche Spalte der Datei gehört zu welchem Feld? Erkannte Spalten sind schon gewählt; die "
                         "Zuordnung wird für diesen Termin gemerkt.")  # fmt: skip
        self.table = QTableWidget(len(FIELDS), 3)
        self.table.setAccessibleName("Zuordnung der Spalten")
        self.table.setHorizontalHeaderLabels(["Feld", "Spalte der Datei", "Beispiel"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.combos: dict[str, QComboBox] = {}
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        table = self.w.table
        assert table is not None
        self.combos = {}
        for row, f in enumerate(FIELDS):
            item = QTableWidgetItem(f.label)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem("— keine —", "")
            for header in table.headers:
                if header:
                    combo.addItem(header, header)
            combo.setCurrentIndex(max(combo.findData(self.w.mapping.get(f.key, "")), 0))
            combo.currentIndexChanged.connect(lambda _i, key=f.key: self._show_example(key))
            self.table.setCellWidget(row, 1, combo)
            self.combos[f.key] = combo
            self._show_example(f.key)
        self.table.resizeColumnsToContents()
        self.message.clear()

    def _show_example(self, key: str) -> None:
        table = self.w.table
        header = self.combos[key].currentData()
        example = ""
        if table is not None and header:
            i = table.headers.index(header)
            example = next((r[i] for r in table.rows if i < len(r) and r[i].strip()), "")
        row = [f.key for f in FIELDS].index(key)
        self.table.setItem(row, 2, QTableWidgetItem(example[:80]))

    def mapping(self) -> dict[str, str]:
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData()}

    def validatePage(self) -> bool:
        table, db, meeting_id, name = self.w.table, self.w.db, self.w.meeting_id, self.w.file_name
        assert table is not None
        mapping = self.mapping()

        def match(_progress: object) -> ReplyPreview:
            return reply_import.preview(db, meeting_id, table, mapping, name)

        result, error = run_in_background(self, "Die Anmeldungen werden zugeordnet …", match)
        if error:
            self.message.setText(error)
            return False
        self.w.mapping = mapping
        self.w.preview = result
        return True


class PreviewPage(QWizardPage):
    """Zugeordnet, neu, zweifelhaft: what „Übernehmen“ would do with each row."""

    def __init__(self, wizard: ReplyImportDialog) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Vorschau")
        self.setSubTitle("Noch ist nichts gespeichert. Zweifelhafte Zeilen werden nicht übernommen; bitte von Hand "
                         "erfassen.")  # fmt: skip
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.models: dict[str, RowTableModel[PreviewRow]] = {}
        self.views: dict[str, QTableView] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self.add_new = QCheckBox("&Neue Personen einladen (mit ihrer Rückmeldung)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        for name, columns in SECTION_COLUMNS.items():
            model: RowTableModel[PreviewRow] = RowTableModel(columns)
            view = QTableView()
            view.setAccessibleName(f"Vorschau: {reply_import.SECTION_LABELS[name]}")
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            box = QGroupBox()
            inner = QVBoxLayout(box)
            inner.addWidget(view)
            if name == Section.NEW:
                inner.addWidget(self.add_new)
            layout.addWidget(box, 1)
            self.models[name], self.views[name], self.boxes[name] = model, view, box
        self.setButtonText(QWizard.WizardButton.FinishButton, "Übernehmen")

    def initializePage(self) -> None:
        result = self.w.preview
        assert result is not None
        self.summary.setText(result.summary())
        for name, model in self.models.items():
            rows = result.section(name)
            model.set_rows(rows)
            self.boxes[name].setTitle(f"{reply_import.SECTION_LABELS[name]} ({len(rows)})")
            self.views[name].resizeColumnsToContents()
        self.add_new.setChecked(False)
        self.add_new.setEnabled(bool(result.new))

    def validatePage(self) -> bool:
        return self.w.apply()


class ReplyImportDialog(QWizard):
    def __init__(self, db: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id = meeting_id
        self.table: Table | None = None
        self.mapping: dict[str, str] = {}
        self.file_name = ""
        self.preview: ReplyPreview | None = None
        self.outcome: ImportOutcome | None = None
        self.setWindowTitle("Anmeldungen importieren")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Weiter >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Zurück")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Abbrechen")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Übernehmen")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.resize(960, 680)

    def apply(self) -> bool:
        """„Übernehmen“: one transaction off the GUI thread; a conflict is shown and nothing is written."""
        result = self.preview
        assert result is not None
        add_new = self.preview_page.add_new.isChecked()
        db = self.db
        allow_non_members = False
        if add_new and (names := reply_import.non_members(db, result)):
            shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
            answer = QMessageBox.question(
                self, "Anmeldungen importieren",
                f"Der Termin ist nur für Mitglieder. Trotzdem einladen: {shown}?",
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return False
            allow_non_members = True

        def write(_progress: object) -> ImportOutcome:
            return reply_import.apply_import(db, result, add_new=add_new, allow_non_members=allow_non_members)

        outcome, error = run_in_background(self, "Die Rückmeldungen werden übernommen …", write)
        if error:
            QMessageBox.warning(self, "Anmeldungen importieren", error)
            return False
        self.outcome = outcome
        return True


def run_reply_import(parent: QWidget, db: Database, meeting_id: int) -> ImportOutcome | None:
    """The board's and the meetings page's entry point: the outcome when replies were taken over."""
    dialog = ReplyImportDialog(db, meeting_id, parent)
    if dialog.exec() and dialog.outcome is not None:
        QMessageBox.information(parent, "Anmeldungen importieren", dialog.outcome.summary())
        return dialog.outcome
    return None
