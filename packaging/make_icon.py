"""Draw the program icon (`resources/icons/app.png` and a multi-size `app.ico`) with QPainter, offscreen.

Only files that are missing are written, so a hand-made icon from the UI side is never overwritten. The ICO
holds PNG-compressed images (allowed since Windows Vista), which needs no Qt image plugin to write.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _render(size: int) -> bytes:
    """One square PNG: a rounded blue tile with a white house and a heart, readable down to 16 px."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPolygonF

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(0.03 * s, 0.03 * s, 0.94 * s, 0.94 * s), 0.18 * s, 0.18 * s)
    painter.fillPath(tile, QBrush(QColor("#1f5f8b")))
    white = QColor("#ffffff")
    roof = QPolygonF([QPointF(0.5 * s, 0.16 * s), QPointF(0.86 * s, 0.48 * s), QPointF(0.14 * s, 0.48 * s)])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(white)
    painter.drawPolygon(roof)
    painter.drawRect(QRectF(0.24 * s, 0.46 * s, 0.52 * s, 0.38 * s))
    heart = QPainterPath()
    cx, cy, r = 0.5 * s, 0.60 * s, 0.085 * s
    heart.moveTo(cx, cy + 1.9 * r)
    heart.cubicTo(cx - 2.6 * r, cy + 0.4 * r, cx - 1.6 * r, cy - 1.4 * r, cx, cy - 0.4 * r)
    heart.cubicTo(cx + 1.6 * r, cy - 1.4 * r, cx + 2.6 * r, cy + 0.4 * r, cx, cy + 1.9 * r)
    painter.fillPath(heart, QBrush(QColor("#d9434e")))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images, smallest first."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def make_icons(folder: Path = ICON_DIR) -> list[Path]:
    """Write whichever of app.png / app.ico is missing; returns the files written."""
    png_path, ico_path = folder / "app.png", folder / "app.ico"
    missing = [p for p in (png_path, ico_path) if not p.exists()]
    if not missing:
        return []
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    folder.mkdir(parents=True, exist_ok=True)
    if not png_path.exists():
        png_path.write_bytes(_render(256))
    if not ico_path.exists():
        ico_path.write_bytes(ico_bytes({size: _render(size) for size in ICO_SIZES}))
    return missing


if __name__ == "__main__":
    written = make_icons()
    print("geschrieben: " + ", ".join(str(p) for p in written) if written else "Symbole sind schon vorhanden.")
