"""Preview and print in the window: a made document is shown page by page before it leaves the office.

Pages are pictures drawn by pdfium off the GUI thread (one page at a time: pdfium is not thread-safe), so a
6,000-page run of letters opens at once and scrolls smoothly; thumbnails are drawn only when they come into
view. "Drucken …" goes through the system's printer dialog; duplex and paper tray are remembered per kind of
document (a letter run on the letterhead tray, labels from the manual feed). Printing renders in the
background with a progress bar and cancel, like making the PDF.
"""

from __future__ import annotations

import gc
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle.collector import collector_paused
from geschaeftsstelle.errors import UserError
from ui.background import BackgroundTask
from ui.letter_templates_view import PDFIUM_LOCK

log = logging.getLogger(__name__)

THUMB_WIDTH = 110
PRINT_DPI = 300  # enough for 10 pt text and the logo; a 600 dpi printer gets it scaled up by its driver
ZOOMS: tuple[tuple[str, float], ...] = (
    ("Seitenbreite", 0.0),
    ("Ganze Seite", -1.0),
    ("50 %", 0.5),
    ("75 %", 0.75),
    ("100 %", 1.0),
    ("125 %", 1.25),
    ("150 %", 1.5),
    ("200 %", 2.0),
)


class ProgressTask(BackgroundTask):
    """A background task whose bar never stands still: between records it counts, and before the first and
    after the last record (reading the data, writing the file, handing the job to the spooler) it shows the
    moving busy bar with what is happening, instead of a full bar that seems frozen for seconds."""

    def __init__(self, parent: QWidget, label: str, job: Callable[[Callable[[int, int], bool]], Any],
                 finishing: str) -> None:  # fmt: skip
        super().__init__(parent, label, job)
        self.label = label
        self.finishing = finishing

    def run(self) -> tuple[Any, str | None]:
        """Without cyclic garbage collection for the job: a document of thousands of pages makes the
        collector run often, and each full run walks every object of the process (the window's and the
        job's growing page graph, which ReportLab keeps in a cycle until the end) while holding the GIL:
        pauses of 0.2–0.9 s in the window. The window's objects are also frozen, so the first run after
        the job walks the job's leftovers only."""
        gc.freeze()
        try:
            with collector_paused():
                return super().run()
        finally:
            gc.unfreeze()

    def _on_progress(self, done: int, total: int) -> None:
        if done >= total:
            if self.dialog.maximum() != 0:
                self.dialog.setRange(0, 0)  # busy: the bar moves by itself while the file is written
                self.dialog.setLabelText(self.finishing)
            return
        if self.dialog.maximum() != total:
            self.dialog.setRange(0, total)
        self.dialog.setValue(done)


def run_with_progress(
    parent: QWidget, label: str, job: Callable[[Callable[[int, int], bool]], Any], finishing: str
) -> tuple[Any, str | None]:
    return ProgressTask(parent, label, job, finishing).run()


# --------------------------------------------------------------------------- pages as pictures


def render_page(document: Any, index: int, width_px: int) -> QImage:
    """One page `width_px` wide (a QImage, so it may be made in any thread); the caller holds PDFIUM_LOCK."""
    page = document[index]
    try:
        scale = max(0.05, min(width_px / page.get_width(), 12.0))
        bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, 3 bytes a pixel
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
        return image.copy()  # detached from pdfium's buffer
    finally:
        page.close()


class _RenderSignals(QObject):
    rendered = Signal(str, int, int, QImage)  # purpose ("page"/"thumb"), page index, serial, picture


class _RenderJob(QRunnable):
    def __init__(self, owner: PdfPages, purpose: str, index: int, width_px: int, serial: int) -> None:
        super().__init__()
        self.owner, self.purpose, self.index, self.width_px, self.serial = owner, purpose, index, width_px, serial

    def run(self) -> None:
        if self.owner.closed or (self.purpose == "page" and self.serial != self.owner.serial):
            return  # the user has moved on: a newer page or zoom is wanted
        try:
            with PDFIUM_LOCK:
                if self.owner.closed:
                    return
                image = render_page(self.owner.document, self.index, self.width_px)
        except Exception:  # a damaged page stays blank; the reason goes to the log for support
            log.exception("Seite %d der Vorschau nicht darstellbar", self.index + 1)
            return
        self.owner.signals.rendered.emit(self.purpose, self.index, self.serial, image)


class PdfPages:
    """An open PDF and one worker thread that draws its pages on request."""

    def __init__(self, pdf: Path) -> None:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            self.document = pdfium.PdfDocument(str(pdf))
            self.count = len(self.document)
            first = self.document[0] if self.count else None
            self.page_size = (first.get_width(), first.get_height()) if first is not None else (595.0, 842.0)
            if first is not None:
                first.close()
        self.signals = _RenderSignals()
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.serial = 0
        self.closed = False

    def request(self, purpose: str, index: int, width_px: int) -> int:
        if purpose == "page":
            self.serial += 1
        self.pool.start(_RenderJob(self, purpose, index, width_px, self.serial))
        return self.serial

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.pool.clear()
        self.pool.waitForDone()
        with PDFIUM_LOCK:
            self.document.close()


class ThumbnailModel(QAbstractListModel):
    """The label "Seite n" for every page, with its picture once drawn: O(1) to set up for thousands of pages."""

    def __init__(self, pages: PdfPages, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        self.icons: dict[int, QIcon] = {}
        self.requested: set[int] = set()
        ratio = pages.page_size[1] / pages.page_size[0]
        self.blank = QPixmap(THUMB_WIDTH, int(THUMB_WIDTH * ratio))
        self.blank.fill(Qt.GlobalColor.white)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.pages.count

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Seite {index.row() + 1}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icons.get(index.row(), QIcon(self.blank))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Seite {index.row() + 1} von {self.pages.count}"
        return None

    def want(self, rows: range, width_px: int) -> None:
        for row in rows:
            if row not in self.requested and 0 <= row < self.pages.count:
                self.requested.add(row)
                self.pages.request("thumb", row, width_px)

    def set_picture(self, row: int, image: QImage) -> None:
        self.icons[row] = QIcon(QPixmap.fromImage(image))
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


# --------------------------------------------------------------------------- printing


def settings_key(kind: str) -> str:
    return "Drucken/" + "".join(ch if ch.isalnum() else "_" for ch in kind)


def restore_printer_settings(printer: QPrinter, kind: str) -> None:
    """Duplex and tray as last chosen for this kind of document."""
    settings = QSettings()
    settings.beginGroup(settings_key(kind))
    try:
        duplex = settings.value("duplex")
        if duplex is not None:
            printer.setDuplex(QPrinter.DuplexMode(int(str(duplex))))
        source = settings.value("paper_source")
        if source is not None:
            printer.setPaperSource(QPrinter.PaperSource(int(str(source))))
    except ValueError:  # a damaged setting: the printer's own defaults
        pass
    finally:
        settings.endGroup()


def remember_printer_settings(printer: QPrinter, kind: str) -> None:
    settings = QSettings()
    settings.beginGroup(settings_key(kind))
    settings.setValue("duplex", printer.duplex().value)
    settings.setValue("paper_source", printer.paperSource().value)
    settings.endGroup()


def print_pages(parent: QWidget, printer: QPrinter, pdf: Path, pages: list[int]) -> str | None:
    """Draw `pages` (0-based) onto the printer in the background; returns a German error sentence or None.
    Painting on a QPrinter outside the GUI thread is allowed; pdfium draws each page at up to 300 dpi."""
    import pypdfium2 as pdfium

    def job(progress: Callable[[int, int], bool]) -> int:
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(f"Der Drucker „{printer.printerName() or 'Standarddrucker'}“ nimmt keinen Auftrag an.")
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            paper = printer.pageLayout().fullRectPixels(printer.resolution())
            with PDFIUM_LOCK:
                document = pdfium.PdfDocument(str(pdf))
            try:
                for done, index in enumerate(pages, start=1):
                    if done > 1 and not printer.newPage():
                        raise UserError("Der Drucker hat die nächste Seite abgelehnt.")
                    with PDFIUM_LOCK:
                        width_pt = document[index].get_width()
                        image = render_page(document, index, int(width_pt / 72 * dpi))
                    target = QRectF(paper)
                    scale = min(target.width() / image.width(), target.height() / image.height())
                    w, h = image.width() * scale, image.height() * scale
                    painter.drawImage(QRectF(target.x(), target.y(), w, h), image)
                    if not progress(done, len(pages)):
                        printer.abort()
                        raise UserError("Das Drucken wurde abgebrochen; nichts weiter geht an den Drucker.")
            finally:
                with PDFIUM_LOCK:
                    document.close()
        finally:
            if painter.isActive():
                painter.end()
        return len(pages)

    _result, error = run_with_progress(parent, f"{len(pages)} Seite(n) werden gedruckt …", job,
                                       "Der Druckauftrag wird übergeben …")  # fmt: skip
    return error


def choose_and_print(parent: QWidget, pdf: Path, kind: str, count: int) -> bool:
    """The system's printer dialog (all pages or a range), then the pages in the background."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the PDF page carries its own margins
    printer.setDocName(pdf.stem)
    restore_printer_settings(printer, kind)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Drucken")
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setMinMax(1, max(count, 1))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    remember_printer_settings(printer, kind)
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = list(range(printer.fromPage() - 1, min(printer.toPage(), count)))
    else:
        pages = list(range(count))
    copies = max(1, printer.copyCount()) if not printer.supportsMultipleCopies() else 1
    error = print_pages(parent, printer, pdf, pages * copies)
    if error:
        QMessageBox.warning(parent, "Drucken", error)
        return False
    return True


# --------------------------------------------------------------------------- the preview dialog


class PreviewDialog(QDialog):
    """A document before it is printed or saved: the current page large, thumbnails beside it."""

    def __init__(self, pdf: Path, *, title: str, kind: str, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Vorschau – {title}")
        self.pdf, self.kind, self.file_name = pdf, kind, file_name
        self.printed = False
        self.saved_to: Path | None = None
        self.opened = False
        self.pages = PdfPages(pdf)
        self.pages.signals.rendered.connect(self._rendered)
        self._page_serial = 0
        self.current = 0

        self.thumbs = QListView()
        self.thumbs.setAccessibleName("Seitenübersicht")
        self.model = ThumbnailModel(self.pages, self)
        self.thumbs.setModel(self.model)
        self.thumbs.setUniformItemSizes(True)
        self.thumbs.setIconSize(QSize(THUMB_WIDTH, self.model.blank.height()))
        self.thumbs.setViewMode(QListView.ViewMode.ListMode)
        self.thumbs.setFlow(QListView.Flow.TopToBottom)
        self.thumbs.setMinimumWidth(THUMB_WIDTH + 60)
        self.thumbs.setMaximumWidth(THUMB_WIDTH + 120)
        self.thumbs.selectionModel().currentChanged.connect(lambda index, _old: self.show_page(index.row()))
        self.thumbs.verticalScrollBar().valueChanged.connect(lambda _v: self._want_thumbnails())

        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName("Seitenansicht")
        self.page_area = QScrollArea()
        self.page_area.setWidget(self.picture)
        self.page_area.setWidgetResizable(True)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(self.pages.count, 1))
        self.page_box.setSuffix(f" von {self.pages.count}")
        self.page_box.valueChanged.connect(lambda value: self.show_page(value - 1))
        page_label = QLabel("&Seite")
        page_label.setBuddy(self.page_box)
        self.zoom = QComboBox()
        for label, factor in ZOOMS:
            self.zoom.addItem(label, factor)
        self.zoom.currentIndexChanged.connect(lambda _i: self._request_page())
        zoom_label = QLabel("&Zoom")
        zoom_label.setBuddy(self.zoom)

        self.print_button = QPushButton("&Drucken …")
        self.save_button = QPushButton("Speichern &unter …")
        self.open_button = QPushButton("Im &PDF-Programm öffnen")
        self.close_button = QPushButton("S&chließen")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.open_button.clicked.connect(self.open_externally)
        self.close_button.clicked.connect(self.accept)
        self._set_icons()

        bar = QHBoxLayout()
        for widget in (page_label, self.page_box, zoom_label, self.zoom):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.print_button, self.save_button, self.open_button, self.close_button):
            bar.addWidget(button)
        split = QSplitter()
        split.addWidget(self.thumbs)
        split.addWidget(self.page_area)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1), (QKeySequence.StandardKey.ZoomOut, -1)):
            QShortcut(keys, self, lambda s=step: self._zoom_step(s))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.show_page(self.current + 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.show_page(self.current - 1))
        self.resize(1000, 760)
        if self.pages.count:
            self.thumbs.setCurrentIndex(self.model.index(0))
        QTimer.singleShot(0, self._want_thumbnails)
        self.print_button.setFocus()

    def _set_icons(self) -> None:
        try:
            from ui.icons import icon
        except ImportError:  # pragma: no cover - the icon set is optional for the preview
            return
        for button, name in ((self.print_button, "printer"), (self.save_button, "device-floppy"),
                             (self.open_button, "external-link"), (self.close_button, "x")):  # fmt: skip
            button.setIcon(icon(name))

    # ----------------------------------------------------------------- pages

    def show_page(self, index: int) -> None:
        if not 0 <= index < self.pages.count:
            return
        changed = index != self.current
        self.current = index
        if self.page_box.value() != index + 1:
            self.page_box.setValue(index + 1)
        if self.thumbs.currentIndex().row() != index:
            self.thumbs.setCurrentIndex(self.model.index(index))
        if changed or self.picture.pixmap().isNull():
            self._request_page()

    def target_width(self) -> int:
        """The page's width in device-independent pixels for the chosen zoom."""
        factor = float(self.zoom.currentData())
        viewport = self.page_area.viewport().size()
        w_pt, h_pt = self.pages.page_size
        if factor == 0.0:
            return max(200, viewport.width() - 24)
        if factor < 0:
            return max(150, int(min(viewport.width() - 24, (viewport.height() - 24) * w_pt / h_pt)))
        return int(w_pt / 72 * self.logicalDpiX() * factor)

    def _request_page(self) -> None:
        if not self.pages.count:
            return
        ratio = self.devicePixelRatioF()
        self._page_serial = self.pages.request("page", self.current, int(self.target_width() * ratio))

    def _want_thumbnails(self) -> None:
        top = self.thumbs.indexAt(self.thumbs.viewport().rect().topLeft()).row()
        bottom = self.thumbs.indexAt(self.thumbs.viewport().rect().bottomLeft()).row()
        top = max(top, 0)
        bottom = bottom if bottom >= 0 else min(top + 8, self.pages.count - 1)
        self.model.want(range(top, bottom + 2), int(THUMB_WIDTH * self.devicePixelRatioF()))

    def _rendered(self, purpose: str, index: int, serial: int, image: QImage) -> None:
        if purpose == "thumb":
            image.setDevicePixelRatio(self.devicePixelRatioF())
            self.model.set_picture(index, image)
        elif serial == self._page_serial and index == self.current:
            image.setDevicePixelRatio(self.devicePixelRatioF())
            self.picture.setPixmap(QPixmap.fromImage(image))

    def _zoom_step(self, step: int) -> None:
        fixed = [i for i, (_label, factor) in enumerate(ZOOMS) if factor > 0]
        now = self.zoom.currentIndex()
        if now not in fixed:
            now = ZOOMS.index(("100 %", 1.0))
        position = max(0, min(len(fixed) - 1, fixed.index(now) + step))
        self.zoom.setCurrentIndex(fixed[position])

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if float(self.zoom.currentData()) <= 0:
            self._request_page()

    # ----------------------------------------------------------------- what leaves the preview

    def print_document(self) -> None:
        if choose_and_print(self, self.pdf, self.kind, self.pages.count):
            self.printed = True

    def save_as(self) -> Path | None:
        start = self.saved_to or Path.home() / self.file_name
        path, _ = QFileDialog.getSaveFileName(self, "PDF speichern unter", str(start), "PDF (*.pdf)")
        if not path:
            return None
        out = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        try:
            tmp = out.with_name(out.name + ".tmp")
            shutil.copyfile(self.pdf, tmp)
            tmp.replace(out)
        except OSError as exc:
            QMessageBox.warning(self, "Speichern unter", f"Die Datei „{out}“ kann nicht gespeichert werden "
                                f"({exc.strerror or type(exc).__name__}).")  # fmt: skip
            return None
        self.saved_to = out
        return out

    def open_externally(self) -> None:
        """The saved copy if there is one, else the preview's own file."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_to or self.pdf)))
        self.opened = True

    @property
    def used(self) -> bool:
        return self.printed or self.opened or self.saved_to is not None

    def done(self, result: int) -> None:
        self.pages.close()
        super().done(result)
