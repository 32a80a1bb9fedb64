"""Logging into a rotating file in the user's log folder, for the window and the command line alike."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from geschaeftsstelle import paths

_configured: Path | None = None


def configure(level: int = logging.INFO) -> Path | None:
    """Log to `geschaeftsstelle.log` (1 MB × 5 files); returns its path, or None where it cannot be written."""
    global _configured
    if _configured is not None:
        return _configured
    log_dir = paths.user_log_dir()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "geschaeftsstelle.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = log_dir / "geschaeftsstelle.log"
    return _configured
