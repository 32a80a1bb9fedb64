"""The window's pages: only the page shown sets the window's minimum size, and a page wider than the
screen (the award page needs about 870 px) scrolls instead of widening the window past 1024 px."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget


class PageStack(QStackedWidget):
    """A stacked widget whose size hints are those of its current page, not the largest of all pages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` filling a frameless scroll area: scroll bars appear only when the window is narrower than it."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setMinimumWidth(0)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's inputs, not to the frame around them
    return area
