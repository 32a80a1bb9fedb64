"""Where the program finds its files and keeps the user's data, frozen or from source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import platformdirs

from geschaeftsstelle import APP_ID

_APP_AUTHOR: Literal[False] = False  # no vendor folder level: %LOCALAPPDATA%\geschaeftsstelle


def resources_dir() -> Path:
    """The shipped `resources/` folder; PyInstaller unpacks it below `sys._MEIPASS`."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, _APP_AUTHOR, roaming=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, _APP_AUTHOR))


def default_database_path() -> Path:
    return user_data_dir() / "geschaeftsstelle.sqlite"


def backup_dir() -> Path:
    return user_data_dir() / "Sicherungen"
