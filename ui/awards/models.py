"""Table models of the award view: the ranked nominations and the jury's scoring grid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor

from geschaeftsstelle import awards
from geschaeftsstelle.awards import RankedNomination
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.models import Award, Contact, Nomination, NominationStatus
from ui.table_models import AnyIndex, Column, ObjectRole, RowTableModel, SortRole, no_tip

__all__ = ["NominationsModel", "ObjectRole", "ScoringModel", "SortRole"]

_GREY = QBrush(QColor("gray"))
_RED = QBrush(QColor("#b00020"))
_CONFLICT = QBrush(QColor(255, 224, 224))


def _rank(row: RankedNomination) -> str:
    if row.rank is None:
        return "—"
    return f"{row.rank} (gleichauf)" if row.tied else str(row.rank)


def _withdrawn(row: RankedNomination) -> QBrush | None:
    return _GREY if row.status == NominationStatus.WITHDRAWN.value else None


def _problems_colour(row: RankedNomination) -> QBrush | None:
    return _withdrawn(row) or (_RED if row.problems else None)


NOMINATION_COLUMNS: list[Column[RankedNomination]] = [
    Column("Rang", _rank, sort=lambda r: r.rank if r.rank is not None else 10_000, align_right=True,
           tooltip=lambda r, _t: "Gleicher Mittelwert wie eine andere Nominierung" if r.tied else None,
           foreground=_withdrawn),
    Column("Nominiert", lambda r: r.nominee, sort=lambda r: r.nominee.casefold(), tooltip=no_tip,
           foreground=_withdrawn),
    Column("Organisation", lambda r: r.member, sort=lambda r: r.member.casefold(), tooltip=no_tip,
           foreground=_withdrawn),
    Column("Status", lambda r: awards.STATUS_LABELS[NominationStatus(r.status)], sort=lambda r: r.status,
           tooltip=no_tip, foreground=_withdrawn),
    Column("Ø Bewertung", lambda r: "—" if r.mean is None else f"{r.mean:.2f}".replace(".", ","),
           sort=lambda r: -(r.mean or 0.0), align_right=True, tooltip=no_tip, foreground=_withdrawn),
    Column("Bewertungen", lambda r: f"{r.count} (+{r.excluded} befangen)" if r.excluded else str(r.count),
           sort=lambda r: r.count, align_right=True, tooltip=no_tip, foreground=_withdrawn),
    Column("Hinweise", lambda r: "; ".join(r.problems), sort=lambda r: len(r.problems), tooltip=no_tip,
           foreground=_problems_colour),
]  # fmt: skip


class NominationsModel(RowTableModel[RankedNomination]):
    """The round's nominations by rank; withdrawn ones grey, open problems red."""

    COL_RANK, COL_NOMINEE, COL_MEMBER, COL_STATUS, COL_MEAN, COL_COUNT, COL_PROBLEMS = range(len(NOMINATION_COLUMNS))

    def __init__(self) -> None:
        super().__init__(NOMINATION_COLUMNS)


class ScoringModel(RowTableModel[Nomination]):
    """Rows: nominations; columns: one per juror and criterion. Editing a cell saves the score at once."""

    errorOccurred = Signal(str)
    scoreSaved = Signal()

    def __init__(self, save: Callable[[int, int, int, int | None], None]) -> None:
        super().__init__([], row_header=lambda n: n.nominee)
        self._save = save
        self._jurors: list[tuple[Contact, int]] = []  # per column: the juror and the criterion's id
        self._scores: dict[tuple[int, int, int], int] = {}

    def set_award(self, award: Award | None) -> None:
        if award is None:
            self._jurors, self._scores = [], {}
            self.set_columns([], [])
            return
        self._jurors = [(j, c.id) for j in award.jury for c in award.criteria]
        self._scores = {
            (sc.nomination_id, sc.juror_id, sc.criterion_id): sc.score for n in award.nominations for sc in n.scores
        }
        columns = [self._column(j, c.id, c.name) for j in award.jury for c in award.criteria]
        self.set_columns(columns, [n for n in award.nominations if n.status != NominationStatus.WITHDRAWN.value])

    def _column(self, juror: Contact, criterion_id: int, criterion: str) -> Column[Nomination]:
        def value(n: Nomination) -> int | None:
            return self._scores.get((n.id, juror.id, criterion_id))

        def show(n: Nomination) -> str:
            score = value(n)
            if score is None:
                return "befangen" if awards.is_conflicted(juror, n) else ""
            return str(score)

        def tip(n: Nomination, _text: str) -> str | None:
            conflict = awards.is_conflicted(juror, n)
            return f"Befangen: {conflict}. Diese Bewertung zählt nicht für die Rangfolge." if conflict else None

        return Column(
            f"{juror.full_name or juror.organisation}\n{criterion}", show, tooltip=tip,
            background=lambda n: _CONFLICT if awards.is_conflicted(juror, n) else None,
            align=Qt.AlignmentFlag.AlignCenter,
            edit=lambda n: "" if value(n) is None else str(value(n)),  # a line edit, so a score can also be cleared
        )  # fmt: skip

    def conflict(self, index: AnyIndex) -> str | None:
        juror, _ = self._jurors[index.column()]
        return awards.is_conflicted(juror, self.row_at(index.row()))

    def _key(self, index: AnyIndex) -> tuple[int, int, int]:
        juror, criterion_id = self._jurors[index.column()]
        return (self.row_at(index.row()).id, juror.id, criterion_id)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        nomination = self.row_at(index.row())
        juror, _ = self._jurors[index.column()]
        if nomination.nominated_by_id is not None and juror.id == nomination.nominated_by_id:
            return Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable

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
