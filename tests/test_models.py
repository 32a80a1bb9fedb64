"""The schema itself refuses nonsense, whatever code path writes it (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    Award,
    AwardCriterion,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    Office,
    Score,
)


def _meeting(**kw: object) -> Meeting:
    values: dict[str, object] = {
        "title": "Kreisgruppensitzung",
        "starts_at": dt.datetime(2020, 2, 12, 13),
        "ends_at": dt.datetime(2020, 2, 12, 16),
    }
    values.update(kw)
    return Meeting(**values)


def _fails(db: Database, *objects: object) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add_all(objects)
        s.flush()


def test_member_number_unique(db: Database) -> None:
    with db.transaction() as s:
        s.add(Member(name="A e. V.", member_number="017"))
    _fails(db, Member(name="B e. V.", member_number="017"))


def test_blank_names_and_bad_enumerations_refused(db: Database) -> None:
    _fails(db, Member(name="   "))
    _fails(db, Contact(last_name="X", salutation="Dame"))
    _fails(db, _meeting(kind="party"))
    _fails(db, _meeting(status="maybe"))


def test_meeting_time_and_deadline_checks(db: Database) -> None:
    _fails(db, _meeting(ends_at=dt.datetime(2020, 2, 12, 12)))
    _fails(db, _meeting(registration_deadline=dt.date(2020, 2, 13)))
    _fails(db, _meeting(capacity=0))
    with db.transaction() as s:
        s.add(_meeting(registration_deadline=dt.date(2020, 2, 12)))


def test_one_invitation_per_contact_and_meeting(db: Database) -> None:
    with db.transaction() as s:
        c = Contact(last_name="Beispiel")
        m = _meeting()
        s.add_all([c, m, Invitation(meeting=m, contact=c)])
    with db.read() as s:
        c_id, m_id = s.scalar(text("SELECT id FROM contacts")), s.scalar(text("SELECT id FROM meetings"))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.execute(
            insert(Invitation).values(
                meeting_id=m_id,
                contact_id=c_id,
                response="open",
                persons=1,
                attendee_names=[],
                assistance="",
                diet="",
                notes="",
            )
        )


@pytest.mark.parametrize("persons", [-1, 51])
def test_persons_range(db: Database, persons: int) -> None:
    _fails(db, Invitation(meeting=_meeting(), contact=Contact(last_name="X"), persons=persons))


@pytest.mark.parametrize("value", [0, 6])
def test_score_range_and_unique(db: Database, value: int) -> None:
    with db.transaction() as s:
        juror = Contact(last_name="Jury")
        award = Award(year=2020, title="Ehrenamtspreis 2020")
        crit = AwardCriterion(award=award, name="Wirkung")
        nom = Nomination(award=award, nominee="Erika Muster")
        s.add_all([juror, award, crit, nom, Score(nomination=nom, juror=juror, criterion=crit, score=3)])
    with db.read() as s:
        ids = s.execute(text("SELECT nomination_id, juror_id, criterion_id FROM scores")).one()
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.execute(insert(Score).values(nomination_id=ids[0], juror_id=ids[1], criterion_id=ids[2], score=4))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.execute(text("UPDATE scores SET score = :v"), {"v": value})


def test_one_primary_contact_per_member(db: Database) -> None:
    with db.transaction() as s:
        m = Member(name="Camsin e. V.")
        s.add_all([m, Contact(member=m, last_name="A", is_primary=True)])
    _fails(db, Contact(member_id=1, last_name="B", is_primary=True))


def test_foreign_keys_enforced(db: Database) -> None:
    _fails(db, Contact(member_id=999, last_name="Niemand"))


def test_office_is_a_single_row(db: Database) -> None:
    with db.transaction() as s:
        s.add(Office(id=1, name="Kreisgruppe"))
    _fails(db, Office(id=2, name="Zweite"))
    _fails(db, Office(id=3, name="X", state="XX"))


def test_deleting_a_member_deletes_its_contacts_but_not_invitations(db: Database) -> None:
    with db.transaction() as s:
        m = Member(name="Camsin e. V.")
        c = Contact(member=m, last_name="Beispiel")
        s.add_all([m, c, Invitation(meeting=_meeting(), contact=c)])
    with db.transaction() as s:
        s.execute(text("DELETE FROM members"))
    with db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM contacts")) == 0
        assert s.scalar(text("SELECT count(*) FROM invitations WHERE contact_id IS NULL")) == 1
