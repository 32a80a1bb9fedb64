"""A record's version covers its lists (issue 15, part 1).

Desk A and desk B open the same record; A changes only a list (a programme row, the speakers, the jury, a
criterion, the tags, a contact); B then saves another change with the version it saw and must be refused,
and A's list must still be there. On SQLite and PostgreSQL, each desk with its own engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from geschaeftsstelle import awards, meetings, members
from geschaeftsstelle.errors import ConflictError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database


def _input(cls: type, obj: object, **changes: Any) -> Any:
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls) if hasattr(obj, f.name)}
    values.update(changes)
    return cls(**values)


@pytest.fixture
def second(db: Database, db_url: str) -> Iterator[Database]:
    other = open_database(db_url)
    yield other
    other.dispose()


def _contact(db: Database, last: str, member_id: int | None = None) -> int:
    return members.save_contact(db, members.ContactInput(first_name="Uwe", last_name=last, member_id=member_id))


def _meeting(db: Database, speaker_ids: list[int] | None = None) -> int:
    start = dt.datetime(2027, 3, 4, 14, 0)
    return meetings.save_meeting(
        db,
        meetings.MeetingInput(
            title="Mitgliederversammlung",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            agenda=[meetings.AgendaItemInput(title="Begrüßung")],
            speaker_ids=speaker_ids or [],
        ),
    )


def _meeting_input(db: Database, meeting_id: int, **changes: Any) -> meetings.MeetingInput:
    return dataclasses.replace(meetings.meeting_input(meetings.get_meeting(db, meeting_id)), **changes)


def _criteria(award: Any) -> list[awards.CriterionInput]:
    return [awards.CriterionInput(name=c.name, id=c.id) for c in award.criteria]


ListChange = Callable[[Database, Database], tuple[Callable[[], object], Callable[[], object]]]


def test_programme_only_change_refuses_the_stale_title_change(db: Database, second: Database) -> None:
    meeting_id = _meeting(db)
    stale = _meeting_input(second, meeting_id)
    fresh = _meeting_input(db, meeting_id)
    programme = [*fresh.agenda, meetings.AgendaItemInput(title="Haushalt 2027")]
    meetings.save_meeting(db, dataclasses.replace(fresh, agenda=programme))
    with pytest.raises(ConflictError):
        meetings.save_meeting(second, dataclasses.replace(stale, title="Mitgliederversammlung (neu)"))
    now = meetings.get_meeting(db, meeting_id)
    assert [a.title for a in now.agenda] == ["Begrüßung", "Haushalt 2027"]
    assert now.title == "Mitgliederversammlung"


def test_speakers_only_change_refuses_the_stale_save(db: Database, second: Database) -> None:
    speaker = _contact(db, "Löcherbach")
    meeting_id = _meeting(db)
    stale = _meeting_input(second, meeting_id)
    meetings.save_meeting(db, _meeting_input(db, meeting_id, speaker_ids=[speaker]))
    with pytest.raises(ConflictError):
        meetings.save_meeting(second, dataclasses.replace(stale, topic="Inklusion"))
    assert [c.id for c in meetings.get_meeting(db, meeting_id).speakers] == [speaker]


def test_tags_only_change_refuses_the_stale_save(db: Database, second: Database) -> None:
    member_id = members.save_member(db, members.MemberInput(name="Lebenshilfe e. V."))
    at_b = members.get_member(second, member_id)
    at_a = members.get_member(db, member_id)
    members.save_member(db, _input(members.MemberInput, at_a, tags=["Jugend"]))
    with pytest.raises(ConflictError):
        members.save_member(second, _input(members.MemberInput, at_b, tags=at_b.tags, city="Weimar"))
    assert members.get_member(db, member_id).tags == ["Jugend"]


def test_a_new_contact_raises_the_members_version(db: Database) -> None:
    member_id = members.save_member(db, members.MemberInput(name="Lebenshilfe e. V."))
    before = members.get_member(db, member_id).version
    _contact(db, "Schulze", member_id)
    assert members.get_member(db, member_id).version > before


def test_jury_only_change_refuses_the_stale_save(db: Database, second: Database) -> None:
    juror = _contact(db, "Jurorin")
    award_id = awards.save_award(db, awards.AwardInput(year=2027, title="Ehrenamtspreis 2027"))
    stale = awards.get_award(second, award_id)
    fresh = awards.get_award(db, award_id)
    awards.save_award(db, _input(awards.AwardInput, fresh, jury_ids=[juror], criteria=_criteria(fresh)))
    with pytest.raises(ConflictError):
        awards.save_award(
            second,
            _input(
                awards.AwardInput,
                stale,
                title="Ehrenamtspreis",
                jury_ids=[c.id for c in stale.jury],
                criteria=_criteria(stale),
            ),
        )
    assert [c.id for c in awards.get_award(db, award_id).jury] == [juror]


def test_a_list_change_alone_writes_no_empty_change_log_entry(db: Database) -> None:
    from sqlalchemy import select

    from geschaeftsstelle.store.models import AuditEntry

    meeting_id = _meeting(db)
    fresh = _meeting_input(db, meeting_id)
    programme = [*fresh.agenda, meetings.AgendaItemInput(title="TOP 2")]
    meetings.save_meeting(db, dataclasses.replace(fresh, agenda=programme))
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "meeting").order_by(AuditEntry.id)).all()
        last = entries[-1]
        assert "agenda" in last.changes
        assert "title" not in last.changes
