"""A nomination's documents as copies kept by the program, never as paths to wherever the file once was.

A file is copied into the attachments folder under a generated name the moment it is added; the database
keeps that name, the original file name (as the label), the size and the SHA-256. Opening hands the system
only that copy, and only while its hash still matches: a path from a user or an exchange file never reaches
the system opener. Where the folder is (one rule, also in README):

    SQLite       `Anlagen/` beside the database file (the default: %LOCALAPPDATA%\\geschaeftsstelle\\Anlagen)
    PostgreSQL   `Anlagen/<server>-<port>-<database>/` in the user's data folder of this desk
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from sqlalchemy import select

from geschaeftsstelle import paths
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import NominationAttachment

FOLDER_NAME = "Anlagen"
#: The largest file taken as an attachment.
MAX_BYTES = 25 * 1024 * 1024
#: Endings of files that run something when opened: never taken, never opened.
EXECUTABLE_SUFFIXES = frozenset({
    ".exe", ".bat", ".cmd", ".com", ".scr", ".js", ".jse", ".vbs", ".vbe", ".ps1", ".psm1", ".msi", ".msp",
    ".lnk", ".url", ".pif", ".cpl", ".hta", ".jar", ".wsf", ".wsh", ".reg", ".dll", ".sys", ".inf", ".appref-ms",
    ".application", ".gadget", ".msc", ".sh", ".py", ".pyw", ".scf", ".chm", ".iso", ".vhd", ".vhdx", ".desktop",
})  # fmt: skip
#: Windows device names: `CON.pdf` is the console, not a file, in any folder.
DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{d}{i}" for d in ("COM", "LPT") for i in "0123456789¹²³"}
)
#: A stored name: 32 hex digits from the program, then the original ending (letters and digits only).
_STORED = re.compile(r"[0-9a-f]{32}(\.[a-z0-9]{1,10})?")
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A copy in the attachments folder: its generated name, size in bytes and SHA-256 (hex)."""

    stored_name: str
    size: int
    sha256: str


def folder(db: Database) -> Path:
    """The attachments folder of this database (created when the first file is stored)."""
    url = db.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / FOLDER_NAME
    server = f"{url.host or 'localhost'}-{url.port or 5432}-{url.database or ''}"
    return paths.user_data_dir() / FOLDER_NAME / re.sub(r"[^A-Za-z0-9._-]", "_", server)


def file_name(path_text: str) -> str:
    """The last part of a Windows or POSIX path (what a row shows as its label)."""
    return PureWindowsPath(path_text.strip()).name or path_text.strip()


def refusal(path_text: str) -> str | None:
    """Why a path named by a user or a file may not be taken, as one German sentence; None when it may.

    Checked as text on both Windows and POSIX readings, so a file written on one system is judged the same
    on the other: UNC and device paths, device names, executables.
    """
    text = path_text.strip()
    name = file_name(text)
    if not text:
        return "Der Dateiname fehlt."
    if "\x00" in text or any(ord(c) < 32 for c in text):
        return f"Der Dateiname „{name!r}“ enthält Steuerzeichen."
    if text.startswith(("\\\\", "//")):
        return f"„{text}“ liegt auf einem Netzlaufwerk (UNC-Pfad): bitte die Datei zuerst auf diesen Rechner kopieren."
    stem = name.split(".")[0].rstrip(" ").upper()
    if stem in DEVICE_NAMES:
        return f"„{name}“ ist ein Gerätename von Windows, keine Datei."
    suffix = PureWindowsPath(name.rstrip(". ")).suffix.lower()
    if suffix in EXECUTABLE_SUFFIXES:
        return f"„{name}“ ist ein Programm oder eine Verknüpfung ({suffix}) und wird nicht als Unterlage genommen."
    return None


def _taken(path_text: str) -> str:
    """The path text without surrounding blanks, or the user told why it is refused."""
    if problem := refusal(path_text):
        raise UserError(problem)
    return path_text.strip()


def check_source(path_text: str) -> Path:
    """The file a user picked, checked: an absolute local path to a regular file within the size limit."""
    text = _taken(path_text)
    path = Path(text)
    if not path.is_absolute():
        raise UserError(f"„{text}“ ist kein vollständiger Pfad: bitte die Datei über „Datei hinzufügen …“ wählen.")
    if not path.is_file():
        raise UserError(f"Die Datei „{path.name}“ gibt es nicht oder sie ist keine gewöhnliche Datei.")
    _check_size(path.stat().st_size, path.name)
    return path


def check_relative(path_text: str) -> PurePosixPath:
    """A path from an exchange file: relative and inside its folder (no `..`, no drive, no root)."""
    text = _taken(path_text)
    windows = PureWindowsPath(text)
    if windows.drive or windows.root or text.startswith("/"):
        raise UserError(f"„{text}“ ist ein absoluter Pfad; Unterlagen kommen nur aus dem Ordner neben der Datei.")
    parts = windows.parts
    if any(part in ("..", ".") or ":" in part for part in parts):
        raise UserError(f"„{text}“ zeigt aus dem Ordner hinaus; Unterlagen kommen nur aus dem Ordner neben der Datei.")
    return PurePosixPath(*parts)


def is_stored_name(name: str) -> bool:
    return _STORED.fullmatch(name) is not None


def new_name(original: str) -> str:
    """A fresh stored name keeping the original ending (lower case, letters and digits only)."""
    suffix = PureWindowsPath(original).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) or suffix in EXECUTABLE_SUFFIXES:
        suffix = ""
    return secrets.token_hex(16) + suffix


def store(
    source: Path, target_folder: Path, *, name: str | None = None, expected_sha256: str | None = None
) -> StoredFile:
    """Copy `source` into the folder under a new (or the given, unused) name, hashing as it copies.

    The copy is written under a temporary name and renamed when complete; more than MAX_BYTES or a hash
    other than `expected_sha256` leaves nothing behind.
    """
    stored_name = name or new_name(source.name)
    if not is_stored_name(stored_name):
        raise ValueError(stored_name)
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / stored_name
    tmp = target_folder / f".{stored_name}.tmp"
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as src, tmp.open("xb") as dst:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                _check_size(size, source.name)
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha256 = digest.hexdigest()
        if expected_sha256 is not None and sha256 != expected_sha256.lower():
            raise UserError(f"Die Datei „{source.name}“ hat nicht die angegebene Prüfsumme (SHA-256).")
        if target.exists():
            raise UserError(f"Im Anlagenordner gibt es „{stored_name}“ schon.")
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"Die Datei „{source.name}“ lässt sich nicht kopieren ({exc.strerror or exc}).") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return StoredFile(stored_name, size, sha256)


def hash_file(path: Path) -> tuple[int, str]:
    """(size, SHA-256) of a file, read in chunks; more than MAX_BYTES is refused."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            size += len(chunk)
            _check_size(size, path.name)
            digest.update(chunk)
    return size, digest.hexdigest()


def verified_path(target_folder: Path, stored_name: str, sha256: str, label: str) -> Path:
    """The absolute path of a stored copy, only if it is inside the folder, a plain file and unchanged."""
    if not is_stored_name(stored_name):
        raise UserError(f"Zur Unterlage „{label}“ ist keine gültige Datei gespeichert.")
    base = target_folder.resolve()
    path = (base / stored_name).resolve()
    if path.parent != base or (base / stored_name).is_symlink() or not path.is_file():
        raise UserError(f"Die gespeicherte Datei zur Unterlage „{label}“ fehlt im Anlagenordner ({base}).")
    try:
        _, actual = hash_file(path)
    except OSError as exc:
        raise UserError(f"Die gespeicherte Datei zur Unterlage „{label}“ lässt sich nicht lesen.") from exc
    if actual != sha256:
        raise UserError(
            f"Die gespeicherte Datei zur Unterlage „{label}“ wurde verändert (Prüfsumme stimmt nicht) und wird "
            "nicht geöffnet."
        )
    return path


def open_path(db: Database, attachment_id: int) -> Path:
    """What a double-click opens: the verified stored copy of this attachment, nothing else."""
    with db.read() as s:
        row = s.execute(
            select(NominationAttachment.stored_name, NominationAttachment.sha256, NominationAttachment.label).where(
                NominationAttachment.id == attachment_id
            )
        ).first()
    if row is None:
        raise UserError("Die Unterlage gibt es nicht (mehr).")
    stored_name, sha256, label = row
    if stored_name is None or sha256 is None:
        raise UserError(
            f"Zur Unterlage „{label}“ ist keine Datei gespeichert (sie war vor der Umstellung nur verknüpft): "
            "bitte die Datei neu hinzufügen."
        )
    return verified_path(folder(db), stored_name, sha256, label)


def discard(target_folder: Path, stored_name: str | None) -> None:
    """Delete a stored copy (after the row is gone); a missing file is fine."""
    if stored_name and is_stored_name(stored_name):
        (target_folder / stored_name).unlink(missing_ok=True)


UNFILED_NOTICE = (
    "Unterlagen mit dem Zusatz „(Datei fehlt)“ waren vor der Umstellung nur als Pfad verknüpft; bitte die "
    "Dateien neu hinzufügen."
)


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise UserError(f"Die Datei „{name}“ ist größer als {MAX_BYTES // (1024 * 1024)} MB und wird nicht übernommen.")
