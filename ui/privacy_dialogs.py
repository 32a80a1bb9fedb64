"""DSGVO in the window: Auskunft for one person, erasure with an exact confirmation, old contacts."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import members, privacy
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database


def save_access_report(parent: QWidget, db: Database, contact_id: int) -> Path | None:
    """Ask where to save, then write the Auskunft as JSON; returns the file or None when cancelled."""
    try:
        report = privacy.access_report(db, contact_id)
    except UserError as exc:
        QMessageBox.warning(parent, "Auskunft", str(exc))
        return None
    person = report["Person"]
    suggestion = f"Auskunft {person['Vorname']} {person['Nachname']}.pdf".replace("/", "-").strip()
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Auskunft speichern", str(Path.home() / suggestion), "PDF (*.pdf);;JSON (*.json)"
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".pdf", ".json"):
        target = target.with_suffix(".json" if "json" in chosen.lower() else ".pdf")
    try:
        if target.suffix.lower() == ".pdf":
            from geschaeftsstelle.documents.access_report import access_report_pdf

            access_report_pdf(db, contact_id, target)
        else:
            target.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        QMessageBox.warning(parent, "Auskunft", f"Die Datei „{target}“ kann nicht geschrieben werden: {exc.strerror}.")
        return None
    return target


MENTIONS_SHOWN = 12


def mentions_text(mentions: tuple[privacy.Mention, ...] | list[privacy.Mention]) -> str:
    """The free-text places naming the person, one per line, for review before erasing."""
    lines = [f"• {m.record} – {m.field}: {m.excerpt}" for m in mentions[:MENTIONS_SHOWN]]
    if len(mentions) > MENTIONS_SHOWN:
        lines.append(f"… und {len(mentions) - MENTIONS_SHOWN} weitere (alle unter „Details anzeigen“)")
    return "\n".join(lines)


def erase_with_confirmation(parent: QWidget, db: Database, contact_id: int) -> bool:
    """Say exactly what will be removed, list the free-text mentions for review; erase only after an explicit
    yes (and blank the mentions only when asked to)."""
    try:
        plan = privacy.plan_erasure(db, contact_id)
        seen = members.get_contact(db, contact_id).version  # erasing a person changed meanwhile is refused
    except UserError as exc:
        QMessageBox.warning(parent, "Löschen nach DSGVO", str(exc))
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Löschen nach DSGVO")
    box.setText(f"{plan.name} endgültig löschen?")
    informative = plan.describe()
    blank: QCheckBox | None = None
    if plan.mentions:
        informative += "\n\nDer Name steht in diesen Freitexten:\n" + mentions_text(plan.mentions)
        box.setDetailedText("\n".join(f"{m.record} – {m.field}: {m.excerpt}" for m in plan.mentions))
        blank = QCheckBox(f"Den Namen auch in diesen {len(plan.mentions)} Freitext-Feld(ern) schwärzen")
        box.setCheckBox(blank)
    box.setInformativeText(informative)
    erase = box.addButton("Endgültig löschen", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not erase:
        return False
    try:
        done = privacy.erase_contact(
            db, contact_id, version=seen, blank_mentions=blank is not None and blank.isChecked()
        )
    except UserError as exc:
        QMessageBox.warning(parent, "Löschen nach DSGVO", str(exc))
        return False
    if not done.complete:
        QMessageBox.information(parent, "Löschen nach DSGVO", done.message)
    return True


class FormerMembersContactsDialog(QDialog):
    """Contacts of members that left more than N years ago: candidates for erasure."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Kontakte ehemaliger Mitglieder")
        self.resize(720, 480)
        self.years = QSpinBox()
        self.years.setRange(0, 50)
        self.years.setValue(3)
        self.years.setSuffix(" Jahre")
        self.years.valueChanged.connect(self.refresh)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Kontakte ehemaliger Mitglieder")
        self.table.setHorizontalHeaderLabels(["Person", "Organisation", "ausgetreten am"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        label = QLabel("Ausgetreten vor mehr als:")
        label.setBuddy(self.years)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        buttons.rejected.connect(self.reject)
        self.erase_button = buttons.addButton("Ausgewählte löschen …", QDialogButtonBox.ButtonRole.ActionRole)
        self.erase_button.clicked.connect(self.erase_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.years)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        self.rows = privacy.contacts_of_former_members(self.db, self.years.value())
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.name, row.member, f"{row.left_on:%d.%m.%Y}")):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def erase_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        for r in rows:
            if not erase_with_confirmation(self, self.db, self.rows[r].contact_id):
                break
        self.refresh()
