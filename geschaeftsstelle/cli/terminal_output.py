"""What the command line prints is shown, never obeyed, by the terminal.

Names and titles come from the database and from imported files. An escape sequence in them could
recolour, clear or retitle the terminal, a carriage return overwrite what was printed, and a bidi
override (U+202E) reverse the rest of a line, so that "gpj.exe" reads as "exe.jpg". Each such character
is printed as its escape (`\\x1b`, `\\u202e`); line feeds and tabs (the output's own structure) stay.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO, cast

_BIDI_AND_SEPARATORS = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_KEPT = {"\n", "\t"}


def _is_hazard(char: str) -> bool:
    code = ord(char)
    if char in _KEPT:
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or code in _BIDI_AND_SEPARATORS


_ESCAPES = {code: (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}") for code in range(0x2070)
            if _is_hazard(chr(code))}  # fmt: skip


def shown(text: str) -> str:
    """`text` with every terminal control and bidi override written out as its escape."""
    return text.translate(_ESCAPES)


class _EscapingStream:
    """A text stream that passes everything through `shown`; all else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(shown(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr escaped while a command runs (the streams are put back afterwards)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _EscapingStream(out))
    sys.stderr = cast(TextIO, _EscapingStream(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
