"""Logging into a rotating file in the user's log folder, for the window and the command line alike.

The file never holds record values (DSGVO: an erased person must not live on in the log): exceptions are
written as their frames and class names without their message (a message may quote a name, an e-mail or a
health note, a database error its row), exceptions passed as arguments as their class name, and text
that looks like an exception line, SQL parameters or PostgreSQL's DETAIL lines is cut in every message.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import traceback
from pathlib import Path
from types import TracebackType

from geschaeftsstelle import paths

_configured: Path | None = None

#: "ValueError: Müller …" in a preformatted traceback → "ValueError"
_EXCEPTION_LINE = re.compile(
    r"^(?P<name>(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Warning|Exit|Interrupt|Conflict|Refused))"
    r"(?P<colon>:).*$",
    re.MULTILINE,
)
#: "[parameters: (…)]" of SQLAlchemy, "DETAIL: …", "Failing row contains (…)" and "Key (…)=(…)" of PostgreSQL
_VALUE_TEXT = re.compile(
    r"\[parameters: .*?\](?=\n|$)|^\s*(?:DETAIL|CONTEXT|HINT):.*$|Failing row contains \(.*?\)\.?|Key \(.*?\)=\(.*?\)",
    re.MULTILINE | re.DOTALL,
)
_HIDDEN = "(Werte nicht protokolliert)"


def without_record_values(text: str) -> str:
    """`text` with exception messages, SQL parameters and PostgreSQL DETAIL lines replaced."""
    text = _VALUE_TEXT.sub(_HIDDEN, text)
    return _EXCEPTION_LINE.sub(lambda m: f"{m['name']} {_HIDDEN}", text)


def _chain(exc: BaseException, seen: set[int]) -> list[str]:
    """Like traceback.format_exception, but each exception as its class name only and frames without their
    source lines (a literal in a line could be a value; file, line number and function are enough)."""
    seen.add(id(exc))
    lines: list[str] = []
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        lines += _chain(cause, seen)
        lines.append("\nDie obige Ausnahme führte direkt zur folgenden:\n\n")
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        lines += _chain(context, seen)
        lines.append("\nWährend der Behandlung der obigen Ausnahme trat eine weitere auf:\n\n")
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        frames = traceback.extract_tb(exc.__traceback__)
        lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in frames]
    kind = type(exc)
    lines.append(f"{kind.__module__}.{kind.__qualname__} {_HIDDEN}\n")
    return lines


class ValueFreeFormatter(logging.Formatter):
    """The log file's formatter: frames and error classes, never record values."""

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None],
    ) -> str:
        exc = ei[1]
        if exc is None:
            return ""
        return "".join(_chain(exc, set())).rstrip("\n")

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)  # other handlers (console, tests) keep the original
        if isinstance(record.args, tuple):
            record.args = tuple(
                f"{type(a).__name__} {_HIDDEN}" if isinstance(a, BaseException) else a for a in record.args
            )
        record.exc_text = None  # a handler formatting before us may have cached the text with messages
        return without_record_values(super().format(record))


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
    handler.setFormatter(ValueFreeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = log_dir / "geschaeftsstelle.log"
    return _configured


def failed_save(logger: logging.Logger, exc: BaseException, entity: str, record_id: int | str | None) -> None:
    """What a failed save leaves in the log: the error class and the record's id, nothing of its values."""
    logger.warning("Speichern fehlgeschlagen: %s bei %s %s", type(exc).__name__, entity, record_id or "(neu)")


def log_path() -> Path | None:
    """The log file `configure` set up (None before, or when the folder could not be written)."""
    return _configured
