"""Moving field values between plain input dataclasses and ORM objects, with optimistic locking."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from geschaeftsstelle.errors import ConflictError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Versioned(Protocol):
    """A row with an optimistic-locking counter (every table a user edits has one)."""

    version: int


T = TypeVar("T", bound=Versioned)


def apply(obj: object, values: DataclassInstance, *, skip: tuple[str, ...] = ("id", "version")) -> None:
    """Copy every dataclass field of `values` onto `obj`, stripping surrounding blanks from strings."""
    for f in dataclasses.fields(values):
        if f.name in skip:
            continue
        value = getattr(values, f.name)
        if isinstance(value, str):
            value = clean_text(value)
        setattr(obj, f.name, value)


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_text(value: str) -> str:
    """Strip surrounding blanks and invisible control characters (NUL breaks PostgreSQL, the rest breaks PDFs);
    line breaks and tabs stay."""
    return value.translate(_CONTROL).strip()


def load_for_update(session: Session, model: type[T], obj_id: int | str, version: int | None, what: str) -> T:
    """Fetch a row to change it; refuse when it is gone or someone saved a newer version meanwhile."""
    obj = session.get(model, obj_id)
    if obj is None:
        raise ConflictError(f"{what} wurde inzwischen gelöscht; die Änderung kann nicht gespeichert werden.")
    current = obj.version
    if version is not None and current != version:
        raise ConflictError(
            f"{what} wurde inzwischen an einem anderen Platz geändert. Bitte neu laden und die Änderung "
            "noch einmal eingeben."
        )
    return obj


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value
