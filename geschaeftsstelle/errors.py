"""Errors a user can cause and understand; every message is a complete German sentence."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """An error caused by input or circumstances, shown to the user as it is (never a traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldError:
    """A problem with one field: `field` is the code name (for the UI), `message` is German."""

    field: str
    message: str


class ValidationError(UserError):
    def __init__(self, errors: list[FieldError], prefix: str = "") -> None:
        self.errors = errors
        self.prefix = prefix
        super().__init__(self._format())

    def _format(self) -> str:
        lines = []
        for e in self.errors:
            where = f"{self.prefix}.{e.field}" if self.prefix else e.field
            lines.append(f"{where}: {e.message}" if self.prefix else e.message)
        return "\n".join(lines)

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


class ConflictError(UserError):
    """Someone else saved the same record in the meantime (optimistic locking)."""


class SchemaTooNewError(UserError):
    """The database was written by a newer program version; we must not touch it."""
