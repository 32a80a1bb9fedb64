"""The first page of an import wizard: a table file (.csv or .xlsx) chosen by path or through a file dialog.

The member import and the reply import both start here; each reads the file in its own `validatePage`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWizardPage


class TableFilePage(QWizardPage):
    """A path field with „Durchsuchen …“ and a line below it for what was read (or why not)."""

    def __init__(self, subtitle: str, dialog_title: str) -> None:
        super().__init__()
        self.dialog_title = dialog_title
        self.setTitle("Datei wählen")
        self.setSubTitle(subtitle)
        self.path = QLineEdit()
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton("Durchsuchen …")
        browse.clicked.connect(self.browse)
        self.info = QLabel()
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("&Datei:")
        label.setBuddy(self.path)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.info)
        layout.addStretch(1)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.dialog_title, str(Path.home()), "Tabellen (*.csv *.xlsx);;Alle Dateien (*)"
        )
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def show_error(self, message: object) -> None:
        self.info.setText(f"<span style='color:#c62828'>{message}</span>")
