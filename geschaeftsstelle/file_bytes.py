"""Reading a file the user named, with one German sentence for each way that fails (no traceback)."""

from __future__ import annotations

from pathlib import Path

from geschaeftsstelle.errors import UserError


def read_bytes(path: Path, error: type[UserError] = UserError) -> bytes:
    """The file's bytes; a missing file, a folder, no permission or another OS failure raises `error` naming
    the path (an import raises its own kind, e.g. the exchange format's)."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise error(f"Die Datei „{path}“ gibt es nicht.") from exc
    except IsADirectoryError as exc:
        raise error(f"„{path}“ ist ein Ordner, keine Datei.") from exc
    except PermissionError as exc:
        raise error(f"Die Datei „{path}“ kann nicht gelesen werden: keine Berechtigung.") from exc
    except OSError as exc:
        raise error(f"Die Datei „{path}“ kann nicht gelesen werden: {exc.strerror}.") from exc
