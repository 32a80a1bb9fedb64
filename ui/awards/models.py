"""Table models of the award view: the ranked nominations and the jury's scoring grid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from geschaeftsstelle import awards
from geschaeftsstelle.awards import RankedNomination
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.models import Award, Contact, Nomination, NominationStatus

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


class NominationsModel(QAbstractTableModel):
    COL_RANK, COL_NOMINEE, COL_MEMBER, COL_STATUS, COL_MEAN, COL_COUNT, COL_PROBLEMS = range(7)
    HEADERS = ("Rang", "Nominiert", "Organisation", "Status", "Ø Bewertung", "Bewertungen", "Hinweise")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RankedNomination] = []

    def set_rows(self, rows: list[RankedNomination]) -> None:
        self.beginResetModel()
        self._rows = rows
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
        if role == SortRole:
            return (
                row.rank if row.rank is not None else 10_000,
                row.nominee.casefold(),
                row.member.casefold(),
                row.status,
                -(row.mean or 0.0),
                row.count,
                len(row.problems),
            )[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_RANK:
                if row.rank is None:
                    return "—"
                return f"{row.rank} (gleichauf)" if row.tied else str(row.rank)
            if col == self.COL_NOMINEE:
                return row.nominee
            if col == self.COL_MEMBER:
                return row.member
            if col == self.COL_STATUS:
                return awards.STATUS_LABELS[NominationStatus(row.status)]
            if col == self.COL_MEAN:
                return "—" if row.mean is None else f"{row.mean:.2f}".replace(".", ",")
            if col == self.COL_COUNT:
                return f"{row.count} (+{row.excluded} befangen)" if row.excluded else str(row.count)
            if col == self.COL_PROBLEMS:
                return "; ".join(row.problems)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == NominationStatus.WITHDRAWN.value:
            return QBrush(QColor("gray"))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_PROBLEMS and row.problems:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_RANK and row.tied:
            return "Gleicher Mittelwert wie eine andere Nominierung"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_RANK, self.COL_MEAN, self.COL_COUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ScoringModel(QAbstractTableModel):
    """Rows: nominations; columns: one per juror and criterion. Editing a cell saves the score at once."""

    errorOccurred = Signal(str)
    scoreSaved = Signal()

    def __init__(self, save: Callable[[int, int, int, int | None], None]) -> None:
        super().__init__()
        self._save = save
        self._nominations: list[Nomination] = []
        self._columns: list[tuple[Contact, int, str]] = []
        self._scores: dict[tuple[int, int, int], int] = {}

    def set_award(self, award: Award | None) -> None:
        self.beginResetModel()
        if award is None:
            self._nominations, self._columns, self._scores = [], [], {}
        else:
            self._nominations = [n for n in award.nominations if n.status != NominationStatus.WITHDRAWN.value]
            self._columns = [(j, c.id, c.name) for j in award.jury for c in award.criteria]
            self._scores = {
                (sc.nomination_id, sc.juror_id, sc.criterion_id): sc.score for n in award.nominations for sc in n.scores
            }
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._nominations)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            juror, _, criterion = self._columns[section]
            return f"{juror.full_name or juror.organisation}\n{criterion}"
        return self._nominations[section].nominee

    def conflict(self, index: AnyIndex) -> str | None:
        juror, _, _ = self._columns[index.column()]
        return awards.is_conflicted(juror, self._nominations[index.row()])

    def _key(self, index: AnyIndex) -> tuple[int, int, int]:
        juror, criterion_id, _ = self._columns[index.column()]
        return (self._nominations[index.row()].id, juror.id, criterion_id)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        nomination = self._nominations[index.row()]
        juror, _, _ = self._columns[index.column()]
        if nomination.nominated_by_id is not None and juror.id == nomination.nominated_by_id:
            return Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._scores.get(self._key(index))
        conflict = self.conflict(index)
        if role == Qt.ItemDataRole.EditRole:
            return "" if value is None else str(value)  # a line edit, so a score can also be cleared
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "befangen" if conflict else ""
            return str(value)
        if role == Qt.ItemDataRole.BackgroundRole and conflict:
            return QBrush(QColor(255, 224, 224))
        if role == Qt.ItemDataRole.ToolTipRole and conflict:
            return f"Befangen: {conflict}. Diese Bewertung zählt nicht für die Rangfolge."
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = str(value).strip() if value is not None else ""
        score: int | None
        if text == "":
            score = None
        else:
            try:
                score = int(text)
            except ValueError:
                self.errorOccurred.emit(f"Bewertung: „{text}“ ist keine Zahl zwischen 1 und 5.")
                return False
        nomination_id, juror_id, criterion_id = self._key(index)
        try:
            self._save(nomination_id, juror_id, criterion_id, score)
        except UserError as exc:
            self.errorOccurred.emit(str(exc))
            return False
        if score is None:
            self._scores.pop((nomination_id, juror_id, criterion_id), None)
        else:
            self._scores[(nomination_id, juror_id, criterion_id)] = score
        self.dataChanged.emit(index, index)
        self.scoreSaved.emit()
        return True
