"""The Ehrenamtspreis page: rounds, ranked nominations, the jury's scoring grid and the decision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import awards
from geschaeftsstelle.awards import RankedNomination
from geschaeftsstelle.documents import award_documents, award_letters
from geschaeftsstelle.documents.page import Progress
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Award, NominationStatus
from ui.awards.award_dialog import AwardDialog
from ui.awards.models import NominationsModel, ScoringModel
from ui.awards.nomination_dialog import NominationDialog
from ui.documents_menu import DocumentChoice, ask_and_make
from ui.list_page import ListPage


class AwardsView(QWidget):
    awardsChanged = Signal()
    #: The main window connects this to its status bar.
    statusMessage = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.award: Award | None = None
        self._score_versions: dict[int, int] = {}  # nomination id → version the scoring grid shows

        self.round_choice = QComboBox()
        self.round_choice.setMinimumWidth(220)
        self.round_choice.currentIndexChanged.connect(self._round_chosen)
        new_round = QPushButton("Neue Preisrunde …")
        new_round.clicked.connect(self.new_award)
        self.edit_round = QPushButton("Preisrunde bearbeiten …")
        self.edit_round.clicked.connect(self.edit_award)
        self.info = QLabel()
        self.info.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Preisrunde:"))
        top.addWidget(self.round_choice)
        top.addWidget(new_round)
        top.addWidget(self.edit_round)
        top.addStretch(1)

        self.nominations: ListPage[RankedNomination] = ListPage(
            NominationsModel(), noun=None, sort_column=NominationsModel.COL_RANK
        )
        self.nominations.body.setContentsMargins(0, 0, 0, 0)
        self.nominations.opened.connect(lambda _row: self.edit_nomination())
        self.model = self.nominations.model
        self.proxy = self.nominations.proxy
        self.table = self.nominations.table
        self.table.horizontalHeader().setSectionResizeMode(
            NominationsModel.COL_PROBLEMS, QHeaderView.ResizeMode.Stretch
        )

        self.new_action = QAction("Neue Nominierung …", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_nomination)
        self.addAction(self.new_action)
        self.nominations.add_button("Neue Nominierung …", self.new_nomination)
        self.nominations.add_button("Bearbeiten …", self.edit_nomination)
        self.status_button = QToolButton()
        self.status_button.setText("Status ändern")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.status_button)
        for status, label in awards.STATUS_LABELS.items():
            action = menu.addAction(label)
            action.triggered.connect(lambda _checked=False, s=status: self.change_status(s))
        self.status_button.setMenu(menu)
        self.nominations.buttons.addWidget(self.status_button)
        self.decide_button = self.nominations.add_button("Ausgewählte auszeichnen …", self.decide)
        self.nominations.buttons.addStretch(1)
        self.documents_bar = QHBoxLayout()
        self.document_buttons: list[QPushButton] = []
        for index, text in enumerate(("Juryunterlagen …", "Urkunden …", "Briefe …")):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, i=index: self.print_document(i))
            self.documents_bar.addWidget(button)
            self.document_buttons.append(button)
        self.nominations.buttons.addLayout(self.documents_bar)

        self.scoring = ScoringModel(self._save_score)
        self.scoring.errorOccurred.connect(lambda message: QMessageBox.warning(self, "Bewertung", message))
        self.scoring.scoreSaved.connect(self._refresh_ranking)
        self.grid = QTableView()
        self.grid.setAccessibleName("Bewertungen der Jury")
        self.grid.setModel(self.scoring)
        self.grid.horizontalHeader().setDefaultSectionSize(140)
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(
            QLabel("Bewertung 1–5 je Jurymitglied und Kriterium (rot: befangen, zählt nicht; grau: eigene Nominierung)")
        )
        grid_layout.addWidget(self.grid)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.nominations)
        splitter.addWidget(grid_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)
        self.refresh()

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Reload the rounds, keeping the chosen one."""
        current = self.round_choice.currentData()
        self.round_choice.blockSignals(True)
        self.round_choice.clear()
        for award in awards.list_awards(self.db):
            self.round_choice.addItem(award.title, award.id)
        index = self.round_choice.findData(current)
        self.round_choice.setCurrentIndex(index if index >= 0 else 0)
        self.round_choice.blockSignals(False)
        self._round_chosen()

    def _round_chosen(self, *_args: object) -> None:
        award_id = self.round_choice.currentData()
        self.award = awards.get_award(self.db, award_id) if award_id is not None else None
        has_round = self.award is not None
        self.new_action.setEnabled(has_round)
        for w in (self.edit_round, self.status_button, self.decide_button, *self.document_buttons):
            w.setEnabled(has_round)
        self._show_award()

    def _show_award(self) -> None:
        award = self.award
        if award is None:
            self.info.setText("Noch keine Preisrunde. Legen Sie mit „Neue Preisrunde …“ die erste an.")
            self.model.set_rows([])
            self.scoring.set_award(None)
            return
        deadline = f"{award.nomination_deadline:%d.%m.%Y}" if award.nomination_deadline else "keine"
        ceremony = f"{award.ceremony.title} am {award.ceremony.starts_at:%d.%m.%Y}" if award.ceremony else "noch offen"
        self.info.setText(
            f"Nominierungsfrist: {deadline} · Verleihung: {ceremony} · Jury: {len(award.jury)} · "
            f"Kriterien: {', '.join(c.name for c in award.criteria) or 'keine'}"
        )
        self.model.set_rows(awards.ranking(award))
        self.scoring.set_award(award)
        self._score_versions = {n.id: n.version for n in award.nominations}
        for col in range(NominationsModel.COL_PROBLEMS):
            self.table.resizeColumnToContents(col)

    def _refresh_ranking(self) -> None:
        if self.award is not None:
            self.award = awards.get_award(self.db, self.award.id)
            self.model.set_rows(awards.ranking(self.award))
            self.awardsChanged.emit()

    def _save_score(self, nomination_id: int, juror_id: int, criterion_id: int, value: int | None) -> None:
        """With the nomination's version the grid was filled with (or its own last save gave)."""
        version = self._score_versions[nomination_id]
        self._score_versions[nomination_id] = awards.set_score(
            self.db, nomination_id, juror_id, criterion_id, value, version=version
        )

    # ------------------------------------------------------------------ actions

    def selected_ids(self) -> list[int]:
        return [row.nomination_id for row in self.nominations.selected_rows()]

    def new_award(self) -> None:
        dialog = AwardDialog(self.db, None, self)
        if dialog.exec():
            self.refresh()
            self.round_choice.setCurrentIndex(self.round_choice.findData(dialog.award_id))
            self.awardsChanged.emit()

    def edit_award(self) -> None:
        if self.award is None:
            return
        dialog = AwardDialog(self.db, self.award.id, self)
        if dialog.exec():
            self.refresh()
            self.awardsChanged.emit()

    def new_nomination(self) -> None:
        if self.award is None:
            return
        dialog = NominationDialog(self.db, self.award.id, None, self)
        if dialog.exec():
            self._after_nomination_saved(dialog)

    def edit_nomination(self) -> None:
        ids = self.selected_ids()
        if self.award is None or not ids:
            return
        dialog = NominationDialog(self.db, self.award.id, ids[0], self)
        if dialog.exec():
            self._after_nomination_saved(dialog)

    def _after_nomination_saved(self, dialog: NominationDialog) -> None:
        self._round_chosen()
        if dialog.problems:
            self.statusMessage.emit(f"Nominierung gespeichert – noch offen: {'; '.join(dialog.problems)}")
        else:
            self.statusMessage.emit("Nominierung gespeichert.")
        self.awardsChanged.emit()

    def change_status(self, status: NominationStatus) -> None:
        warnings: list[str] = []
        try:
            for row in self.nominations.selected_rows():
                warnings += awards.set_status(self.db, row.nomination_id, status.value, version=row.version)
        except UserError as exc:
            QMessageBox.warning(self, "Status ändern", str(exc))
        if warnings:
            QMessageBox.information(self, "Hinweis zum Datenschutz", "\n".join(warnings))
        self._round_chosen()
        self.awardsChanged.emit()

    def decide(self) -> None:
        ids = self.selected_ids()
        if self.award is None or not ids:
            QMessageBox.information(self, "Auszeichnen", "Bitte zuerst die Preisträgerinnen und Preisträger markieren.")
            return
        names = [n.nominee for n in self.award.nominations if n.id in ids]
        ceremony = self.award.ceremony
        text = "Ausgezeichnet werden:\n• " + "\n• ".join(names)
        text += "\n\nAlle anderen Nominierungen der Shortlist gelten als nicht ausgezeichnet."
        if ceremony is not None:
            text += f"\nPreisträger und Vorschlagende werden zu „{ceremony.title}“ eingeladen."
        answer = QMessageBox.question(self, "Auszeichnen", text)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            warnings = awards.decide(self.db, self.award.id, ids, version=self.award.version)
        except UserError as exc:
            QMessageBox.warning(self, "Auszeichnen", str(exc))
            return
        if warnings:
            QMessageBox.information(self, "Hinweis zum Datenschutz", "\n".join(warnings))
        self._round_chosen()
        self.statusMessage.emit(
            f"{len(ids)} Nominierung(en) ausgezeichnet. Briefe an Preisträger, Dank an Vorschlagende und Bitte um "
            "Einverständnis: Drucken / PDF."
        )
        self.awardsChanged.emit()

    def print_document(self, index: int) -> None:
        """One click from the page to the round's dossier, certificates or letters (as PDF)."""
        choices = self.document_choices()
        if not choices:
            return
        out = ask_and_make(self, self.db, [choices[index]])
        if out is not None:
            self.statusMessage.emit(f"PDF gespeichert: {out}")

    def document_choices(self) -> list[DocumentChoice]:
        """Dossier, certificates and letters of the chosen round, for the window's Drucken / PDF."""
        if self.award is None:
            return []
        year = self.award.year
        warnings: list[str] = []  # the certificates' privacy notes, shown once the PDF is there

        def certificates(db: Database, out: Path, _options: object, _progress: object) -> int:
            pages, found = award_documents.certificates(db, year, out)
            warnings[:] = found
            return pages

        def show_warnings(parent: QWidget, _db: Database) -> None:
            if warnings:
                QMessageBox.information(parent, "Hinweis zum Datenschutz", "\n".join(warnings))
                warnings.clear()

        return [
            DocumentChoice(f"Juryunterlagen {year}", f"Juryunterlagen {year}.pdf",
                           lambda db, out, o, p: award_documents.jury_dossier(db, year, out)),
            DocumentChoice(f"Urkunden {year}", f"Urkunden {year}.pdf", certificates, after=show_warnings),
            DocumentChoice(f"Briefe an Preisträger und Vorschlagende {year}", f"Briefe Ehrenamtspreis {year}.pdf",
                           lambda db, out, o, p: award_documents.award_letters(db, year, out, progress=p)),
            *self._reply_choices(year),
        ]  # fmt: skip

    def _reply_choices(self, year: int) -> list[DocumentChoice]:
        """After the decision: thank-you letters to nominators not chosen, consent requests (with code and QR
        code), and all of the decision's letters in one PDF; nominations without an address are named."""
        if self.award is None or not any(
            n.status in (NominationStatus.AWARDED.value, NominationStatus.NOT_AWARDED.value)
            for n in self.award.nominations
        ):
            return []
        missing: list[str] = []

        def letters(kinds: tuple[str, ...]) -> Callable[[Database, Path, dict[str, Any], Progress], int]:
            def make(db: Database, out: Path, _options: dict[str, Any], progress: Progress) -> int:
                pages, found = award_letters.reply_letters(db, year, out, kinds=kinds, progress=progress)
                missing[:] = found
                return pages

            return make

        def show_missing(parent: QWidget, _db: Database) -> None:
            if missing:
                QMessageBox.information(parent, "Fehlende Anschriften", "\n".join(missing))
                missing.clear()

        return [
            DocumentChoice(f"Dank an Vorschlagende (nicht ausgewählt) {year}", f"Dank Vorschlagende {year}.pdf",
                           letters(("thanks",)), after=show_missing),
            DocumentChoice(f"Bitte um Einverständnis zur Veröffentlichung {year}", f"Einverständnis {year}.pdf",
                           letters(("consent",)), after=show_missing),
            DocumentChoice(f"Alle Briefe nach der Entscheidung {year}", f"Briefe Entscheidung {year}.pdf",
                           letters(awards.REPLY_KINDS), after=show_missing),
        ]  # fmt: skip
