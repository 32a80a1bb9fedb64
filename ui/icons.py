"""The program's icons: Tabler outline SVGs (MIT, resources/icons/tabler) drawn in the palette's text colour.

The SVGs say `stroke="currentColor"`; here that becomes the colour of text in the current palette, so the
icons are dark on a light window and light in Windows' dark mode, and turn over when the palette changes
(`themed` targets are repainted). Each icon holds sharp pictures from 16 to 96 pixels, drawn from the SVG at
that size, so it stays crisp at 100–200 % scaling.
"""

from __future__ import annotations

import functools
import weakref
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication

from geschaeftsstelle import paths

SIZES = (16, 20, 24, 32, 40, 48, 64, 96)
_themed: weakref.WeakKeyDictionary[QAction | QAbstractButton, str] = weakref.WeakKeyDictionary()


def svg_path(name: str) -> Path:
    return paths.resource("icons", "tabler", f"{name}.svg")


@functools.cache
def _svg(name: str) -> bytes:
    return svg_path(name).read_bytes()


def text_colour() -> QColor:
    return QGuiApplication.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


@functools.cache
def _icon(name: str, colour: str) -> QIcon:
    data = _svg(name).replace(b"currentColor", colour.encode())
    icon = QIcon()
    for size in SIZES:
        # The SVG is 24 units square; asked for `size`, the image reader draws it at that size, not scaled.
        svg = data.replace(b'width="24"', f'width="{size}"'.encode(), 1)
        svg = svg.replace(b'height="24"', f'height="{size}"'.encode(), 1)
        pixmap = QPixmap()
        if pixmap.loadFromData(QByteArray(svg), "SVG"):
            icon.addPixmap(pixmap)
    return icon


def icon(name: str) -> QIcon:
    """The Tabler icon `name` (file name without .svg) in the palette's text colour; an empty icon when
    Qt's SVG image plugin is missing, so the program then shows text only rather than failing."""
    return _icon(name, text_colour().name())


def themed(target: QAction | QAbstractButton, name: str) -> None:
    """Give `target` the icon and keep it in the palette's colour when the palette changes."""
    target.setIcon(icon(name))
    _themed[target] = name
    _PaletteWatcher.install()


def retint() -> None:
    for target, name in list(_themed.items()):
        target.setIcon(icon(name))


class _PaletteWatcher(QObject):
    """Repaints the icons when the application's palette changes (Windows switching to dark mode)."""

    instance: _PaletteWatcher | None = None

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if cls.instance is None and app is not None:
            cls.instance = cls(app)
            app.installEventFilter(cls.instance)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and watched is QApplication.instance():
            retint()
        return False


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, as Windows' dark mode looks (screenshots and tests)."""
    p = QPalette()
    text, base = QColor(235, 235, 235), QColor(43, 43, 43)
    for role, colour in (
        (QPalette.ColorRole.Window, QColor(32, 32, 32)),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(52, 52, 52)),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor(45, 45, 45)),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, base),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, QColor(0, 120, 212)),
        (QPalette.ColorRole.HighlightedText, QColor(Qt.GlobalColor.white)),
        (QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150)),
        (QPalette.ColorRole.Link, QColor(96, 170, 255)),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return p
