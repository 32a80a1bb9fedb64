"""Picking a speaker from all contacts by keyboard: the typed words may occur anywhere in „Name – Organisation“
and are folded like every search ("Loecherbach", "löcherbach" and "cherbach" find Löcherbach).

Enter takes the highlighted contact (↓/↑ from the search field move the highlight), else the only one that
matches or the one whose label is exactly what was typed; otherwise the dialog says in German why nothing
was taken and stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle.search import matches, search_fold

_ID = Qt.ItemDataRole.UserRole


class SpeakerPicker(QDialog):
    """One contact out of `choices` (id → label); `taken` are already speakers and are refused with a note."""

    def __init__(self, choices: dict[int, str], taken: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Referent/in hinzufügen")
        self.chosen: int | None = None
        self._taken = set(taken)
        self._labels = dict(choices)
        self._folded = {cid: search_fold(label) for cid, label in choices.items()}
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name oder Organisation, auch nur ein Teil")
        self.search.setClearButtonEnabled(True)
        label = QLabel("&Suche:")
        label.setBuddy(self.search)
        self.hits = QListWidget()
        self.hits.setAccessibleName("Passende Kontakte")
        for cid, text in choices.items():
            item = QListWidgetItem(text)
            item.setData(_ID, cid)
            self.hits.addItem(item)
        self.hits.itemActivated.connect(lambda item: self._take(item.data(_ID)))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Hinzufügen")
        ok.clicked.connect(self.take_current)
        buttons.rejected.connect(self.reject)
        for button in (ok, buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            button.setAutoDefault(False)  # Enter is handled by the search field and the list
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.hits, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 380)
        self.search.setFocus()

    def visible_items(self) -> list[QListWidgetItem]:
        return [self.hits.item(i) for i in range(self.hits.count()) if not self.hits.item(i).isHidden()]

    def _filter(self, text: str) -> None:
        self.hits.setCurrentRow(-1)  # a highlight from an earlier query is not taken by Enter
        self.hits.clearSelection()
        self.message.clear()
        for i in range(self.hits.count()):
            item = self.hits.item(i)
            item.setHidden(not matches(self._folded[item.data(_ID)], text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.take_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        shown = self.visible_items()
        if not shown:
            return
        current = self.hits.currentItem()
        at = shown.index(current) if current in shown else -1
        target = shown[max(0, min(len(shown) - 1, at + step))] if at >= 0 or step > 0 else shown[0]
        self.hits.setCurrentItem(target)
        self.hits.scrollToItem(target)

    def take_current(self) -> None:
        """Enter: the highlighted contact, else the only match or the exact one; else a note why not."""
        current = self.hits.currentItem()
        if current is not None and not current.isHidden() and current.isSelected():
            self._take(current.data(_ID))
            return
        typed = self.search.text().strip()
        if not typed:
            self.message.setText("Bitte im Feld Suche einen Namen eingeben.")
            return
        shown = self.visible_items()
        exact = [i for i in shown if self._folded[i.data(_ID)] == search_fold(typed)]
        if len(shown) == 1 or len(exact) == 1:
            self._take((exact or shown)[0].data(_ID))
        elif not shown:
            self.message.setText(f"Kein Kontakt passt zu „{typed}“: bitte den Namen prüfen oder den Kontakt anlegen.")
        else:
            self.message.setText(f"{len(shown)} Kontakte passen zu „{typed}“: bitte mit ↓ einen auswählen.")

    def _take(self, contact_id: int) -> None:
        if contact_id in self._taken:
            self.message.setText(f"{self._labels[contact_id]} ist schon als Referent/in eingetragen.")
            return
        self.chosen = contact_id
        self.accept()

    @classmethod
    def choose(cls, parent: QWidget | None, choices: dict[int, str], taken: list[int]) -> int | None:
        """The contact picked, or None when the dialog was cancelled."""
        picker = cls(choices, taken, parent)
        return picker.chosen if picker.exec() == QDialog.DialogCode.Accepted else None
