"""Text limits with one source (issue 15, part 7): what a service accepts fits every column on both databases,
so an office that saved it can export and import it again; longer texts are refused with the field's name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from geschaeftsstelle import exchange, meetings, members
from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import FREE_TEXT_LIMIT, limit_of
from geschaeftsstelle.store.models import AgendaItem, Contact, Meeting, Member
from geschaeftsstelle.store.opening import open_database


def _meeting(
    title: str = "Sitzung", agenda_title: str = "Begrüßung", presenter: str | None = None
) -> meetings.MeetingInput:
    start = dt.datetime(2027, 3, 4, 14, 0)
    return meetings.MeetingInput(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=2),
        agenda=[meetings.AgendaItemInput(title=agenda_title, presenter=presenter)],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("save", "field", "label"),
    [
        (lambda db: members.save_member(db, members.MemberInput(name="x", website="w" * 412)), "website", "Webseite"),
        (lambda db: members.save_member(db, members.MemberInput(name="x", notes="n" * (FREE_TEXT_LIMIT + 1))),
         "notes", "Notizen sind"),
        (lambda db: members.save_contact(db, members.ContactInput(last_name="x", city="c" * 101)), "city", "Ort"),
        (lambda db: meetings.save_meeting(db, _meeting(agenda_title="t" * 600)), "agenda[0].title",
         "Programmpunkt 1: Der Programmpunkt ist mit 600 Zeichen zu lang (höchstens 500)"),
        (lambda db: meetings.save_meeting(db, _meeting(presenter="p" * 301)), "agenda[0].presenter", "Referent/in"),
    ],
    ids=["website 412", "notes over the ceiling", "contact town", "agenda title 600", "presenter 301"],
)  # fmt: skip
def test_too_long_is_refused_by_the_service_naming_the_field(
    db: Database, save: Callable[[Database], object], field: str, label: str
) -> None:
    with pytest.raises(ValidationError) as info:
        save(db)
    assert [(e.field, label in e.message) for e in info.value.errors] == [(field, True)]


def test_the_longest_texts_a_service_accepts_go_through_export_and_import(db: Database, tmp_path: Path) -> None:
    """At the limit of every column a user types into: saved, exported, imported into an empty database."""
    longest = {
        "name": "N" * limit_of(Member.__table__, "name"),
        "street": "S" * limit_of(Member.__table__, "street"),
        "city": "C" * limit_of(Member.__table__, "city"),
        "website": "https://" + "w" * (limit_of(Member.__table__, "website") - 8),
        "notes": "n" * FREE_TEXT_LIMIT,
    }
    member_id = members.save_member(db, members.MemberInput(**longest))
    members.save_contact(
        db,
        members.ContactInput(
            first_name="F" * limit_of(Contact.__table__, "first_name"),
            last_name="L" * limit_of(Contact.__table__, "last_name"),
            member_id=member_id,
        ),
    )
    meetings.save_meeting(
        db,
        _meeting(
            title="T" * limit_of(Meeting.__table__, "title"),
            agenda_title="A" * limit_of(AgendaItem.__table__, "title"),
            presenter="P" * limit_of(AgendaItem.__table__, "presenter"),
        ),
    )
    path = tmp_path / "office.json"
    exchange.export_file(db, path)
    (tmp_path / "other").mkdir()
    other = open_database(tmp_path / "other" / "new.sqlite")
    try:
        exchange.import_file(other, path)
        (row,) = members.list_members(other)
        assert members.get_member(other, row.id).notes == longest["notes"]
    finally:
        other.dispose()
