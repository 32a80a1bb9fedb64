"""DSGVO: access report, erasure keeping anonymous counts, clearing needs, contacts of former members."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import func, select

from geschaeftsstelle import exchange, members, privacy
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Score

FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"


def _anna(db: Database) -> int:
    with db.read() as s:
        return s.scalars(select(Contact.id).where(Contact.last_name == "Beispiel")).one()


def test_access_report_lists_everything_about_the_person(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    c = members.get_contact(db, anna)
    members.save_contact(
        db, members.ContactInput(id=anna, version=c.version, member_id=c.member_id, salutation="Frau", title="Dr.",
                                 first_name="Anna", last_name="Beispiel", phone="03643 1", is_primary=True)
    )  # fmt: skip
    report = privacy.access_report(db, anna)
    assert report["Person"]["Nachname"] == "Beispiel"
    assert report["Person"]["Organisation"] == "Camsin e. V."
    inv = report["Einladungen und Rückmeldungen"][0]
    assert (inv["Termin"], inv["Assistenzbedarf"], inv["Verpflegung"]) == (
        "Kreisgruppensitzung",
        "Rollstuhl",
        "vegetarisch",
    )
    assert report["Eingereichte Nominierungen"][0]["Nominiert"] == "Erika Muster"
    assert report["Jury"] == ["Ehrenamtspreis 2020"]
    assert report["Änderungsprotokoll"][0]["Änderungen"]["phone"] == [None, "03643 1"]
    json.dumps(report, ensure_ascii=False)  # the JSON form of the Auskunft


def test_erasure_keeps_anonymous_counts_and_scrubs_the_log(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    c = members.get_contact(db, anna)
    members.save_contact(
        db, members.ContactInput(id=anna, version=c.version, member_id=c.member_id, first_name="Anna",
                                 last_name="Beispiel", email="geheim@example.org", is_primary=True)
    )  # fmt: skip
    with db.read() as s:
        accepted_before = s.scalar(select(func.sum(Invitation.persons)).where(Invitation.response == "accepted"))
    plan = privacy.plan_erasure(db, anna)
    assert plan.invitations == 1
    assert plan.nominations == 1
    text = plan.describe()
    assert "anonymisiert" in text
    assert "Anna Beispiel" in text
    privacy.erase_contact(db, anna)
    with db.read() as s:
        assert s.get(Contact, anna) is None
        inv = s.scalars(select(Invitation).where(Invitation.guest_name == privacy.ANONYMISED)).one()
        assert (inv.assistance, inv.diet, inv.attendee_names) == ("", "", [])
        assert inv.response == "accepted"
        assert (
            s.scalar(select(func.sum(Invitation.persons)).where(Invitation.response == "accepted")) == accepted_before
        )
    dump = exchange.dumps(exchange.export_office(db))
    assert "geheim@example.org" not in dump
    assert "Beispiel" not in dump
    assert 'Rollstuhl"' not in dump.split('"contacts"')[0]
    assert audit.history(db, "contact", anna)[0].changes == {"dsgvo": ["", "Löschung nach Art. 17 DSGVO"]}


def test_juror_erasure_removes_their_scores(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    with db.read() as s:
        eleni = s.scalars(select(Contact.id).where(Contact.first_name == "Ελένη")).one()
        before = s.scalar(select(func.count()).select_from(Score))
    assert privacy.plan_erasure(db, eleni).scores == 1
    privacy.erase_contact(db, eleni)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Score)) == before - 1


def test_needs_are_cleared_three_months_after_the_meeting(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    assert privacy.clear_old_needs(db, today=dt.date(2020, 5, 1)) == 0  # meeting 12.02.2020: not yet
    assert privacy.clear_old_needs(db, today=dt.date(2020, 5, 13)) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Invitation).where(Invitation.assistance != "")) == 0
        assert s.scalar(select(func.count()).select_from(Invitation).where(Invitation.response == "accepted")) == 1


def test_contacts_of_members_that_left_long_ago(db: Database) -> None:
    exchange.import_file(db, FIXTURE)  # Lebenshilfe left 31.12.2019
    assert privacy.contacts_of_former_members(db, years=2, today=dt.date(2021, 6, 1)) == []
    stale = privacy.contacts_of_former_members(db, years=2, today=dt.date(2022, 6, 1))
    assert [(c.name, c.member) for c in stale] == [("Nguyễn Thị Minh", "Lebenshilfe Weimarer Land gGmbH")]
