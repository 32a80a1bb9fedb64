"""Attachments in the exchange format: the files travel in a folder beside the exchange file.

The export writes each stored copy to `<file>.anlagen/<stored name>`; the entry names it (`file`) with its
label, size and SHA-256. The import reads each file from that folder only, checks its hash while reading the
entry (a missing file or another hash is a problem line naming the entry), and copies it into the database's
attachments folder in the import's transaction (removed again if the import fails). A `path` of an older file
is never followed: absolute or leading outside, it is refused; otherwise only its name is kept, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geschaeftsstelle import attachments
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.exchange.entries import Entry
from geschaeftsstelle.exchange.format import ExchangeError

_SHA256 = re.compile(r"[0-9a-f]{64}")


def folder_beside(exchange_file: Path) -> Path:
    """Where an exchange file's attachments lie: `<name>.anlagen` in the same folder."""
    return exchange_file.with_name(exchange_file.name + ".anlagen")


@dataclass
class ImportedFiles:
    """An import's attachment files: checked per entry, copied at the end, removed again on failure."""

    source: Path | None  # the folder beside the exchange file; None: the data came without one
    target: Path  # the database's attachments folder
    warnings: list[str] = field(default_factory=list)
    pending: list[tuple[str, Path, str, str]] = field(default_factory=list)  # entry path, source, name, sha256
    copied: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def row(self, e: Entry, row: dict[str, Any]) -> dict[str, Any]:
        """The entry's values as a nomination_attachments row (its stored name chosen for this database)."""
        path = row.pop("path")
        stored, sha256, label = row["stored_name"], row["sha256"], row["label"]
        if path is not None:
            if stored is not None:
                e.fail("path", "Eine Unterlage hat entweder „file“ oder „path“, nicht beides.")
            try:
                attachments.check_relative(path)
            except UserError as exc:
                e.fail("path", str(exc))
            self.warnings.append(
                f"{e.path}.path: „{path}“ wird nur als Bezeichnung übernommen; die Datei bitte in der Nominierung "
                "neu hinzufügen."
            )
            return {**row, "label": label.strip() or attachments.file_name(path), "sha256": None, "size": None}
        if not label.strip():
            e.fail("label", "Die Bezeichnung der Unterlage fehlt.")
        if stored is None:
            if sha256 is not None or row["size"] is not None:
                e.fail("file", "Zu Prüfsumme und Größe fehlt der Dateiname.")
            return row
        return {**row, **self._checked_file(e, stored, sha256, row["size"])}

    def _checked_file(self, e: Entry, stored: str, sha256: str | None, size: int | None) -> dict[str, Any]:
        if not attachments.is_stored_name(stored):
            e.fail("file", f"„{stored}“ ist kein Dateiname, wie ihn das Programm vergibt.")
        if sha256 is None or not _SHA256.fullmatch(sha256):
            e.fail("sha256", "Eine SHA-256-Prüfsumme (64 Hexadezimalziffern, klein geschrieben) wird erwartet.")
        if self.source is None:
            e.fail("file", f"Die Datei „{stored}“ fehlt: Unterlagen kommen aus dem Ordner neben der Austauschdatei.")
        source = self.source / stored
        if source.is_symlink() or not source.is_file():
            e.fail("file", f"Die Datei „{stored}“ fehlt im Ordner „{self.source.name}“.")
        try:
            actual_size, actual = attachments.hash_file(source)
        except UserError as exc:
            e.fail("file", str(exc))
        except OSError:
            e.fail("file", f"Die Datei „{stored}“ lässt sich nicht lesen.")
        if actual != sha256:
            e.fail(
                "sha256", f"Die Datei „{stored}“ hat eine andere Prüfsumme als angegeben (verändert oder beschädigt)."
            )
        if size is not None and size != actual_size:
            e.fail("size", f"Die Datei „{stored}“ ist {actual_size} Bytes groß, nicht {size}.")
        name = stored
        if name in self.taken or (self.target / name).exists():
            name = attachments.new_name(stored)  # the folder is shared or the file names one file twice
        self.taken.add(name)
        self.pending.append((e.path, source, name, sha256))
        return {"stored_name": name, "size": actual_size}

    def copy_all(self) -> None:
        """Copy every checked file into the attachments folder (inside the import's transaction)."""
        for path, source, name, sha256 in self.pending:
            try:
                attachments.store(source, self.target, name=name, expected_sha256=sha256)
            except UserError as exc:
                raise ExchangeError(f"{path}.file: {exc}") from exc
            self.copied.append(name)

    def discard_all(self) -> None:
        for name in self.copied:
            attachments.discard(self.target, name)
        self.copied.clear()


def export_copies(source: Path, exchange_file: Path, files: list[tuple[str, str, str]]) -> None:
    """Write the stored copies (name, sha256, label) beside the exchange file, each checked before."""
    if not files:
        return
    target = folder_beside(exchange_file)
    for name, sha256, label in files:
        verified = attachments.verified_path(source, name, sha256, label)
        if (target / name).is_file():
            (target / name).unlink()
        attachments.store(verified, target, name=name, expected_sha256=sha256)
