"""Sicherung jetzt / Aus Sicherung wiederherstellen: the backups with date and size; restore on demand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import privacy
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.backup import BackupInfo
from geschaeftsstelle.store.database import Database

InfoRole = Qt.ItemDataRole.UserRole + 1


def backup_now(parent: QWidget, db: Database) -> BackupInfo | None:
    if not db.is_sqlite:
        QMessageBox.information(parent, "Sicherung", backup.POSTGRES_MESSAGE)
        return None
    try:
        made = backup.make_backup(db)
    except UserError as exc:
        QMessageBox.warning(parent, "Sicherung", str(exc))
        return None
    QMessageBox.information(parent, "Sicherung", f"Die Datenbank wurde gesichert:\n{made.path}\n{made.describe()}")
    return made


class RestoreDialog(QDialog):
    """The backups, newest first; the chosen one replaces today's data after today's state is kept."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kept: Path | None = None
        self.setWindowTitle("Aus Sicherung wiederherstellen")
        self.resize(680, 440)
        self.list = QListWidget()
        for info in backup.list_backups(db):
            row = QListWidgetItem(info.describe())
            row.setData(InfoRole, info)
            if not info.readable:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(row)
        note = QLabel(
            "Vor dem Wiederherstellen wird der heutige Stand gesichert; er steht danach ebenfalls in dieser Liste."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Wiederherstellen …")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.restore)
        buttons.rejected.connect(self.reject)
        label = QLabel("&Sicherungen (neueste zuerst):")
        label.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.restore_button.setEnabled(self.list.count() > 0)

    def restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        info: BackupInfo = item.data(InfoRole)
        answer = QMessageBox.question(self, "Wiederherstellen", f"Den Stand vom {info.describe()} wiederherstellen?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            _restored, self.kept = backup.restore_database(self.db, info.path)
            # The backup may predate erasures (Art. 17): the kept previous state's register names them.
            again = privacy.reapply_erasures(self.db, self.kept) if self.kept is not None else 0
        except UserError as exc:
            QMessageBox.warning(self, "Wiederherstellen", str(exc))
            return
        if notice := privacy.reapplied_text(again):
            QMessageBox.information(self, "Wiederherstellen", notice)
        self.accept()
