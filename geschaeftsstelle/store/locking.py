"""A record's version covers its lists: changing a programme row, a speaker, a juror, a criterion, a tag, a
score, an attachment or a member's contact raises the version of the record that holds the list.

Why: optimistic locking (`version_id_col`) only checks and raises the version when the record's own row is
updated. A save that changes nothing but a list issues no UPDATE of that row, so a desk that opened the
record earlier could later save over the new list without a conflict. One session hook, switched on by
`install()` (called by `opening.open_database`), makes every such change raise the parent row's version
in the same transaction, checking the version the session holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any, cast

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from geschaeftsstelle.store.models import (
    AgendaItem,
    Award,
    AwardCriterion,
    Base,
    Contact,
    Meeting,
    Member,
    MemberTag,
    Nomination,
    NominationAttachment,
    Score,
)

#: Every record that holds a list (all carry `id` and `version`).
Holder = Meeting | Member | Award | Nomination

#: Rows of a list → (the record holding the list, the column naming it).
LIST_ROWS: dict[type[Base], tuple[type[Holder], str]] = {
    AgendaItem: (Meeting, "meeting_id"),
    MemberTag: (Member, "member_id"),
    Contact: (Member, "member_id"),
    AwardCriterion: (Award, "award_id"),
    Score: (Nomination, "nomination_id"),
    NominationAttachment: (Nomination, "nomination_id"),
}
#: The lists as the holder's collections. A change shows on the holder itself: the only sign of a link-table
#: list (speakers, jury), and of a row appended through the collection, whose foreign key is set only later
#: in the flush.
LINKED_LISTS: dict[type[Holder], tuple[str, ...]] = {
    Meeting: ("speakers", "agenda"),
    Member: ("tag_rows", "contacts"),
    Award: ("jury", "criteria"),
    Nomination: ("scores", "attachments"),
}

_installed = False


def install() -> None:
    """Switch the hook on for every session (idempotent; opening a database calls it)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _raise_holder_versions)
        _installed = True


def _raise_holder_versions(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    holders: set[tuple[type[Holder], Any]] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        kind = type(obj)
        if kind in LIST_ROWS:
            holder, column = LIST_ROWS[kind]
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            for holder_id in _old_and_new(obj, column):
                holders.add((holder, holder_id))
        if kind in LINKED_LISTS and obj in session.dirty:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in LINKED_LISTS[kind]):
                holders.add((kind, state.identity[0] if state.identity else None))
    with session.no_autoflush:
        for holder, holder_id in holders:
            if holder_id is None:
                continue
            record = cast("Holder | None", session.get(holder, holder_id))
            if record is None or record in session.deleted or record in session.new:
                continue
            _touch(session, record)


def _old_and_new(obj: object, column: str) -> Iterable[Any]:
    """The holder before and after (a contact moved to another member changes both members' lists)."""
    history = inspect(obj).attrs[column].history
    return {getattr(obj, column), *history.deleted}


def _touch(session: Session, record: Holder) -> None:
    """Raise the record's version in the database, checking the version this session holds.

    A record with changes of its own is left to the ORM's UPDATE, which checks and raises the version anyway.
    Otherwise one UPDATE of the version alone; no row means another desk saved in between, which the caller
    sees as the usual conflict (`Database.transaction` turns StaleDataError into the German message).
    """
    if session.is_modified(record, include_collections=False):
        return
    kind = type(record)
    held = record.version
    done = session.connection().execute(
        update(kind)
        .where(kind.id == record.id, kind.version == held)
        .values(version=held + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise StaleDataError(f"{kind.__tablename__} {record.id}: version {held} is no longer current")
    set_committed_value(record, "version", held + 1)
