"""Einstellungen → Briefvorlagen: the office edits its letter texts, sees problems by line and page 1 live.

The preview is made off the GUI thread (the PDF by the documents module, the picture by pdfium) and only
300 ms after the last keystroke, so typing never waits for it; only the newest request is ever shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPixmap, QShowEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import letter_templates as lt
from geschaeftsstelle import meetings
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.invitations import load_board
from geschaeftsstelle.letter_templates import KIND_LABELS, TemplateInfo, TemplateProblem
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind
from ui.form_fields import ErrorLabel

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
A4_WIDTH_PT = 595.0
_PDFIUM = threading.Lock()  # pdfium is not thread-safe: one page at a time in this process


def page_image(pdf: bytes, width_px: int) -> QImage:
    """Page 1 of a PDF as a picture `width_px` wide (a QImage, so it may be made in any thread)."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            scale = max(0.5, min(width_px / page.get_width(), 4.0))
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, 3 bytes a pixel
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
            return image.copy()  # detached from pdfium's buffer before the document closes
        finally:
            document.close()


class _PreviewSignals(QObject):
    done = Signal(int, QImage)
    failed = Signal(int, str)


class PreviewJob(QRunnable):
    """Make the PDF of page 1 and its picture in the thread pool; report with the request's serial number."""

    def __init__(
        self, db: Database, kind: str, meeting_id: int, text: str, invitation_id: int | None, width_px: int, serial: int
    ) -> None:
        super().__init__()
        self.signals = _PreviewSignals()
        self.args = (db, kind, meeting_id, text, invitation_id)
        self.width_px = width_px
        self.serial = serial

    def run(self) -> None:
        try:
            from geschaeftsstelle.documents.invitations import preview_page

            image = page_image(preview_page(*self.args[:4], invitation_id=self.args[4]), self.width_px)
        except UserError as exc:
            self.signals.failed.emit(self.serial, str(exc))
        except Exception as exc:  # the editor stays usable; the reason goes to the log for support
            log.exception("Vorschau der Briefvorlage fehlgeschlagen")
            self.signals.failed.emit(self.serial, f"Die Vorschau kann nicht erstellt werden ({type(exc).__name__}).")
        else:
            self.signals.done.emit(self.serial, image)


class PlaceholderList(QListWidget):
    """The fields of one kind of letter, each with what it holds; double-click or Enter inserts one."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # wrapped rows measured once
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doubleClicked.connect(lambda index: self._choose(index.row()))

    def set_fields(self, fields: dict[str, str]) -> None:
        self.clear()
        for name, description in fields.items():
            item = QListWidgetItem(f"{{{name}}}\n{description}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(description)
            self.addItem(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self._choose(self.currentRow())
            return
        super().keyPressEvent(event)

    def _choose(self, row: int) -> None:
        item = self.item(row)
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))


def _meeting_label(r: meetings.MeetingRow) -> str:
    invited = f"{r.invited} Eingeladene" if r.invited else "noch niemand eingeladen"
    return f"{r.starts_at:%d.%m.%Y} · {r.title} ({invited})"


class LetterTemplatesView(QWidget):
    templateSaved = Signal(str)
    statusMessage = Signal(str)
    previewFinished = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.info: TemplateInfo | None = None
        self.problems: list[TemplateProblem] = []
        self._loaded = False
        self._stale = False
        self.preview_count = 0
        self._busy = False
        self._pending = False
        self._image: QImage | None = None
        self._jobs: dict[int, _PreviewSignals] = {}  # kept here so they are deleted in this thread

        self.kind = QComboBox()
        for kind in LetterKind:
            self.kind.addItem(KIND_LABELS[kind], kind.value)
        kind_label = QLabel("B&rief:")
        kind_label.setBuddy(self.kind)
        self.origin = QLabel()
        head = QHBoxLayout()
        head.addWidget(kind_label)
        head.addWidget(self.kind)
        head.addSpacing(12)
        head.addWidget(self.origin, 1)

        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Text der Vorlage")
        editor_label = QLabel("&Text der Vorlage")
        editor_label.setBuddy(self.editor)
        self.position = QLabel()
        self.position.setStyleSheet("color: palette(placeholder-text);")
        self.problem_list = QListWidget()
        self.problem_list.setAccessibleName("Probleme der Vorlage")
        self.problem_list.setStyleSheet("color: #c62828;")
        self.problem_list.setMaximumHeight(96)
        self.problem_label = QLabel("Prob&leme (Eingabetaste springt zur Zeile):")
        self.problem_label.setBuddy(self.problem_list)
        self.save_error = ErrorLabel()
        self.save_button = QPushButton("&Speichern")
        self.reset_button = QPushButton("Auf Standard &zurücksetzen")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (editor_label, self.editor, self.position, self.problem_label, self.problem_list):
            left_layout.addWidget(widget, 1 if widget is self.editor else 0)
        left_layout.addWidget(self.save_error)
        left_layout.addLayout(buttons)

        self.placeholders = PlaceholderList()
        self.placeholders.setAccessibleName("Platzhalter")
        placeholder_label = QLabel("&Platzhalter – Doppelklick oder Eingabetaste fügt ein:")
        placeholder_label.setWordWrap(True)
        placeholder_label.setBuddy(self.placeholders)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(placeholder_label)
        middle_layout.addWidget(self.placeholders, 1)

        self.meeting = QComboBox()
        self.meeting.setMinimumContentsLength(20)
        self.meeting.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        meeting_label = QLabel("Ter&min:")
        meeting_label.setBuddy(self.meeting)
        self.invitee = QComboBox()
        self.invitee.setMinimumContentsLength(20)
        self.invitee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        invitee_label = QLabel("&Empfänger:")
        invitee_label.setBuddy(self.invitee)
        pickers = QVBoxLayout()
        for label, combo in ((meeting_label, self.meeting), (invitee_label, self.invitee)):
            row = QHBoxLayout()
            label.setMinimumWidth(70)
            row.addWidget(label)
            row.addWidget(combo, 1)
            pickers.addLayout(row)
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setAccessibleName("Vorschau der ersten Seite")
        self.preview_area = QScrollArea()
        self.preview_area.setAccessibleName("Vorschau des Briefs")
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # no resize see-saw
        self.preview_area.setWidget(self.preview)
        self.preview_area.viewport().installEventFilter(self)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Vorschau der ersten Seite</b>"))
        right_layout.addLayout(pickers)
        right_layout.addWidget(self.preview_status)
        right_layout.addWidget(self.preview_area, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in (left, middle, right):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._start_preview)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(self._show_position)
        self.placeholders.chosen.connect(self.insert_placeholder)
        self.problem_list.itemActivated.connect(lambda _item: self._go_to_problem(self.problem_list.currentRow()))
        self.meeting.currentIndexChanged.connect(self._meeting_changed)
        self.invitee.currentIndexChanged.connect(lambda _i: self.timer.start())
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)

    # ------------------------------------------------------------------ loading

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def refresh(self) -> None:
        """Reread meetings and, unless the editor holds unsaved changes, the template (now or when shown)."""
        if not self.isVisible():
            self._stale = True
            return
        self._load_meetings()
        if not self.is_modified():
            self.load(self.current_kind())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self._stale = False
            self._load_meetings()
            self.load(self.current_kind())
        elif self._stale:
            self._stale = False
            self.refresh()

    def load(self, kind: str) -> None:
        """Put the stored text (or the shipped one) into the editor, discarding what was typed."""
        try:
            self.info = lt.get_template(self.db, kind)
        except UserError as exc:
            self.save_error.show_messages([str(exc)])
            return
        self.placeholders.set_fields(lt.FIELDS[LetterKind(kind)])
        self.editor.setPlainText(self.info.text)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self.save_error.show_messages([])
        self._text_changed()

    def _load_meetings(self) -> None:
        """Meetings of last, this and next year (the newest year with meetings if none), the next one chosen."""
        chosen = self.meeting.currentData()
        year = dt.date.today().year
        rows = [r for y in (year - 1, year, year + 1) for r in meetings.list_meeting_rows(self.db, y)]
        if not rows and (years := meetings.meeting_years(self.db)):
            rows = meetings.list_meeting_rows(self.db, years[-1])
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for r in rows:
            self.meeting.addItem(_meeting_label(r), r.id)
        now = dt.datetime.now()
        upcoming = next((i for i, r in enumerate(rows) if r.starts_at >= now), len(rows) - 1)
        index = self.meeting.findData(chosen) if chosen is not None else -1
        self.meeting.setCurrentIndex(index if index >= 0 else upcoming)
        self.meeting.blockSignals(False)
        self._meeting_changed()

    def _meeting_changed(self, _index: int = 0) -> None:
        chosen = self.invitee.currentData()
        self.invitee.blockSignals(True)
        self.invitee.clear()
        meeting_id = self.meeting.currentData()
        if meeting_id is not None:
            try:
                rows = [r for r in load_board(self.db, meeting_id).rows if r.contact_id is not None]
            except UserError:
                rows = []
            for r in rows:
                self.invitee.addItem(f"{r.name} – {r.organisation}" if r.organisation else r.name, r.id)
        if not self.invitee.count():
            self.invitee.addItem("Musteranschrift (noch niemand eingeladen)", None)
        index = self.invitee.findData(chosen) if chosen is not None else -1
        self.invitee.setCurrentIndex(max(index, 0))
        self.invitee.blockSignals(False)
        self.timer.start()

    def _kind_changed(self, _index: int) -> None:
        if self.info is not None and self.info.kind != self.current_kind() and self.is_modified():
            answer = QMessageBox.question(
                self,
                "Briefvorlagen",
                f"Die Änderungen an der Vorlage „{self.info.label}“ sind noch nicht gespeichert. Verwerfen?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.kind.blockSignals(True)
                self.kind.setCurrentIndex(self.kind.findData(self.info.kind))
                self.kind.blockSignals(False)
                return
        self.load(self.current_kind())

    # ------------------------------------------------------------------ editing

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_modified(self) -> bool:
        if self.info is None:
            return False
        return self.text().strip("\n") != self.info.text.strip("\n")

    def _text_changed(self) -> None:
        if self.info is None:
            return
        self.problems = lt.check(self.text(), self.info.kind)
        self.problem_list.clear()
        self.problem_list.addItems([str(p) for p in self.problems])
        self.problem_list.setVisible(bool(self.problems))
        self.problem_label.setVisible(bool(self.problems))
        self._highlight_problems()
        modified = self.is_modified()
        self.save_button.setEnabled(modified and not self.problems)
        self.reset_button.setEnabled(modified or not self.info.is_default)
        origin = (
            "Es gilt der mitgelieferte Standardtext."
            if self.info.is_default
            else "Es gilt der eigene Text der Geschäftsstelle."
        )
        self.origin.setText(origin + (" <b>Ungespeicherte Änderungen.</b>" if modified else ""))
        self.save_error.show_messages([])
        self.timer.start()

    def _highlight_problems(self) -> None:
        selections = []
        for line in sorted({p.line for p in self.problems}):
            block = self.editor.document().findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(QColor("#fde0e0"))
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(block)
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def _show_position(self) -> None:
        cursor = self.editor.textCursor()
        self.position.setText(f"Zeile {cursor.blockNumber() + 1}, Spalte {cursor.positionInBlock() + 1}")

    def _go_to_problem(self, row: int) -> None:
        if 0 <= row < len(self.problems):
            block = self.editor.document().findBlockByNumber(self.problems[row].line - 1)
            if block.isValid():
                self.editor.setTextCursor(QTextCursor(block))
            self.editor.setFocus()

    def insert_placeholder(self, name: str) -> None:
        self.editor.insertPlainText(f"{{{name}}}")
        self.editor.setFocus()

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        if self.info is None or self.problems or not self.is_modified():
            return False
        info = self.info
        try:
            lt.save_template(self.db, info.kind, self.text(), info.version)
        except ConflictError as exc:
            answer = QMessageBox.question(
                self,
                "Gleichzeitig geändert",
                f"{exc}\n\nJetzt neu laden? Ihre Änderungen an der Vorlage gehen dabei verloren.",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.load(info.kind)
            else:
                self.save_error.show_messages([str(exc)])
            return False
        except ValidationError as exc:
            self.save_error.show_messages([exc.errors[0].message if exc.errors else str(exc)])
            return False
        except UserError as exc:
            self.save_error.show_messages([str(exc)])
            return False
        self.load(info.kind)
        self.statusMessage.emit(f"Briefvorlage „{info.label}“ gespeichert.")
        self.templateSaved.emit(info.kind)
        return True

    def reset(self) -> None:
        if self.info is None:
            return
        info = self.info
        answer = QMessageBox.question(
            self,
            "Auf Standard zurücksetzen",
            f"Den mitgelieferten Text für „{info.label}“ wiederherstellen? "
            "Der eigene Text der Geschäftsstelle und ungespeicherte Änderungen gehen dabei verloren.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            lt.reset_template(self.db, info.kind, version=info.version)
        except UserError as exc:
            self.save_error.show_messages([str(exc)])
            return
        self.load(info.kind)
        self.statusMessage.emit(f"Briefvorlage „{info.label}“ auf den Standardtext zurückgesetzt.")
        self.templateSaved.emit(info.kind)

    # ------------------------------------------------------------------ preview

    def preview_busy(self) -> bool:
        return self._busy or self._pending or self.timer.isActive()

    def _start_preview(self) -> None:
        if self.info is None:
            return
        meeting_id = self.meeting.currentData()
        if meeting_id is None:
            self.preview_status.setText("Für die Vorschau bitte zuerst unter „Termine“ einen Termin anlegen.")
            self.previewFinished.emit()
            return
        if self.problems:
            self.preview_status.setText("Die Vorschau folgt, sobald die Vorlage keine Probleme mehr hat.")
            self.previewFinished.emit()
            return
        if self._busy:
            self._pending = True
            return
        self._busy = True
        self.preview_count += 1
        self.preview_status.setText("Vorschau wird erstellt …")
        width = round(max(self.preview_area.viewport().width(), 400) * self.devicePixelRatioF())
        job = PreviewJob(
            self.db, self.info.kind, meeting_id, self.text(), self.invitee.currentData(), width, self.preview_count
        )
        job.signals.done.connect(self._preview_done)
        job.signals.failed.connect(self._preview_failed)
        self._jobs[self.preview_count] = job.signals
        QThreadPool.globalInstance().start(job)

    def _preview_done(self, serial: int, image: QImage) -> None:
        self._jobs.pop(serial, None)
        if serial == self.preview_count:
            self._image = image
            self.preview_status.setText("")
            self._show_image()
        self._next_preview()

    def _preview_failed(self, serial: int, message: str) -> None:
        self._jobs.pop(serial, None)
        if serial == self.preview_count:
            self.preview_status.setText(message)
        self._next_preview()

    def _next_preview(self) -> None:
        self._busy = False
        if self._pending:
            self._pending = False
            self._start_preview()
        elif not self.timer.isActive():
            self.previewFinished.emit()

    def _show_image(self) -> None:
        if self._image is None or self._image.isNull():
            return
        width = max(self.preview_area.viewport().width() - 8, 100)
        pixmap = QPixmap.fromImage(self._image)
        ratio = self.devicePixelRatioF()
        pixmap = pixmap.scaledToWidth(round(width * ratio), Qt.TransformationMode.SmoothTransformation)
        pixmap.setDevicePixelRatio(ratio)
        self.preview.setPixmap(pixmap)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.preview_area.viewport() and event.type() == QEvent.Type.Resize:
            self._show_image()
        return super().eventFilter(watched, event)


#: The one lock around every pdfium call in this process (the preview window draws pages with it too).
PDFIUM_LOCK = _PDFIUM
