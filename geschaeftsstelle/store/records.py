"""Moving field values between plain input dataclasses and ORM objects, with optimistic locking."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from geschaeftsstelle.errors import ConflictError, UserError

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
    """Fetch a row to change it; refuse when it is gone or someone saved a newer version meanwhile.

    `version` is the one the user saw; None is a programming error (a new record is created, not loaded).
    On PostgreSQL the row is locked (FOR UPDATE), so a second desk changing the same record at the same
    moment waits, then sees the new version and gets the conflict message instead of a raw database error.
    """
    if version is None:
        raise ValueError(f"{model.__name__} {obj_id}: a change needs the version the user saw")
    obj = session.get(model, obj_id, with_for_update=row_lock(session))
    if obj is None:
        raise ConflictError(f"{what} wurde inzwischen gelöscht; die Änderung kann nicht gespeichert werden.")
    if obj.version != version:
        raise ConflictError(conflict_message(what))
    return obj


def new_or_loaded(
    session: Session,
    model: type[T],
    obj_id: int | None,
    version: int | None,
    what: str,
    create: Callable[[], T] | None = None,
) -> T:
    """The record a save writes to: a new one added to the session when `obj_id` is None (made by `create`,
    default the bare model), otherwise the stored one, checked and locked as `load_for_update` does."""
    if obj_id is None:
        obj = create() if create is not None else model()
        session.add(obj)
        return obj
    return load_for_update(session, model, obj_id, version, what)


def conflict_message(what: str) -> str:
    """The German conflict sentence for `what` (“Der Termin”, “Die Einladung” …)."""
    return (
        f"{what} wurde inzwischen an einem anderen Platz geändert. Bitte neu laden und die Änderung "
        "noch einmal eingeben."
    )


def row_lock(session: Session) -> bool:
    """FOR UPDATE where the database has row locks (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    return session.get_bind().dialect.name == "postgresql"


def claim(session: Session, record: Versioned, what: str) -> None:
    """Raise the record's version now, checking the one this session holds.

    For changes that touch only other rows (a decision changes nominations, not the award): the holder's
    version still moves, so two desks deciding at once cannot both pass.
    """
    mapper = inspect(record).mapper
    held = record.version
    done = session.execute(
        update(mapper)
        .where(mapper.c.id == inspect(record).identity[0], mapper.c.version == held)
        .values(version=held + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 1) != 1:
        raise ConflictError(conflict_message(what))
    set_committed_value(record, "version", held + 1)


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


R = TypeVar("R")


def existing(obj: R | None, message: str) -> R:
    """`obj` as looked up, or the user told `message` (which names it) when it is gone: deleted at another desk
    while this one still showed it."""
    if obj is None:
        raise UserError(message)
    return obj
