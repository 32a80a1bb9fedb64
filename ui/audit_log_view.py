"""Änderungsprotokoll: who changed what and when, for all records or one, filterable as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QVBoxLayout, QWidget

from geschaeftsstelle import awards, meetings
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.audit import AuditRow
from geschaeftsstelle.store.database import Database
from ui.form_fields import dialog_buttons
from ui.list_page import ListPage
from ui.table_models import Column, RowTableModel, shown_text_tip

ACTION_LABELS = {"insert": "angelegt", "update": "geändert", "delete": "gelöscht"}
#: Enum values in the log by the names the dialogs show („Zusage“, not "accepted").
VALUE_NAMES: audit.ValueNames = {
    "meetings.kind": meetings.KIND_LABELS,
    "meetings.status": meetings.STATUS_LABELS,
    "meetings.salutation_style": meetings.SALUTATION_STYLE_LABELS,
    "invitations.response": meetings.RESPONSE_LABELS,
    "invitations.channel": meetings.CHANNEL_LABELS,
    "nominations.status": awards.STATUS_LABELS,
}


COLUMNS: list[Column[AuditRow]] = [
    Column("Zeitpunkt", lambda r: f"{r.at:%d.%m.%Y %H:%M}", sort=lambda r: r.id, tooltip=shown_text_tip),
    Column("Benutzer", lambda r: r.user_name, sort=lambda r: r.user_name, tooltip=shown_text_tip),
    Column("Art", lambda r: audit.ENTITY_LABELS.get(r.entity, r.entity), sort=lambda r: r.entity,
           tooltip=shown_text_tip),
    Column("Datensatz", lambda r: r.label, sort=lambda r: r.label.casefold(), tooltip=shown_text_tip),
    Column("Aktion", lambda r: ACTION_LABELS.get(r.action, r.action), sort=lambda r: r.action, tooltip=shown_text_tip),
    Column("Änderungen", lambda r: r.summary, sort=lambda r: r.summary, tooltip=shown_text_tip),
]


class AuditLogModel(RowTableModel[AuditRow]):
    COL_AT, COL_USER, COL_ENTITY, COL_LABEL, COL_ACTION, COL_CHANGES = range(len(COLUMNS))

    def __init__(self) -> None:
        super().__init__(COLUMNS)


def _haystack(r: AuditRow) -> str:
    return " ".join((r.user_name, r.label, r.summary, audit.ENTITY_LABELS.get(r.entity, r.entity)))


class AuditLogView(ListPage[AuditRow]):
    """Every typed word must occur (case and accents ignored); optionally one kind of record."""

    def __init__(
        self, db: Database, entity: str | None = None, entity_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            AuditLogModel(), noun="Einträgen", search_hint="Suchen: Name, Benutzer, Feld, Wert …", haystack=_haystack,
            sort_column=AuditLogModel.COL_AT, order=Qt.SortOrder.DescendingOrder, parent=parent,
        )  # fmt: skip
        self.db = db
        self.entity = entity
        self.entity_id = entity_id
        kinds = [("alle Arten", None), *((label, key) for key, label in audit.ENTITY_LABELS.items())]
        self.kind = self.add_combo(kinds)
        self.kind.setVisible(entity is None)
        self.table.horizontalHeader().setSectionResizeMode(AuditLogModel.COL_CHANGES, QHeaderView.ResizeMode.Stretch)
        self.refresh()

    def refresh(self) -> None:
        self.set_rows(audit.history(self.db, self.entity, self.entity_id, value_names=VALUE_NAMES))
        for col in range(AuditLogModel.COL_CHANGES):
            self.table.resizeColumnToContents(col)

    def filter_changed(self, *_args: object) -> None:
        entity = self.kind.currentData()
        self.set_filter(None if not entity else lambda r: r.entity == entity)


class AuditLogDialog(QDialog):
    """The log of one record (opened from a record's dialog) or of everything (from the menu)."""

    def __init__(
        self,
        db: Database,
        entity: str | None = None,
        entity_id: int | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Änderungsprotokoll – {title}" if title else "Änderungsprotokoll")
        self.resize(980, 560)
        self.view = AuditLogView(db, entity, entity_id, self)
        buttons = dialog_buttons(self, QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
