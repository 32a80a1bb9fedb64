"""Files the command line writes appear whole or not at all, and leave nothing behind when they fail.

The writer gets a path inside a fresh hidden folder beside the target (same drive, so the final move is
a rename); only a finished file is moved into place, and the folder, with whatever a failed writer left
in it (its own temporary files included), is always removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geschaeftsstelle.errors import UserError


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """Yield the draft path to write to; on success it becomes `path`."""
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"Den Ordner „{folder}“ für die Datei „{path.name}“ gibt es nicht.")
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    with tempfile.TemporaryDirectory(prefix=".geschaeftsstelle-", dir=folder) as scratch:
        draft = Path(scratch) / path.name
        yield draft
        os.replace(draft, path)
