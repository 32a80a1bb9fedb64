"""Member and contact services: validation with field names, primary contact, leaving, deleting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from geschaeftsstelle import members
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.meetings import MeetingInput, save_meeting
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Member


def _member(db: Database, **kw: object) -> int:
    data = members.MemberInput(name=str(kw.pop("name", "Camsin e. V.")), city="Weimar", postal_code="99423")
    for key, value in kw.items():
        setattr(data, key, value)
    return members.save_member(db, data)


def test_save_member_validates_every_field_at_once(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        members.save_member(
            db,
            members.MemberInput(
                name=" ", email="kaputt", postal_code="123", joined_on=dt.date(2020, 1, 1), left_on=dt.date(2019, 1, 1)
            ),
        )
    fields = {e.field for e in info.value.errors}
    assert fields == {"name", "email", "postal_code", "left_on"}
    assert info.value.for_field("email") == ["Die E-Mail-Adresse „kaputt“ ist ungültig."]
    assert members.list_members(db) == []


def test_member_number_clash_names_the_other_member(db: Database) -> None:
    _member(db, member_number="017")
    with pytest.raises(ValidationError, match=r"017 hat schon „Camsin e\. V\.“"):
        _member(db, name="Tafel Weimar e. V.", member_number="017")


def test_primary_contact_moves_and_search_text_follows(db: Database) -> None:
    mid = _member(db, tags=["Migration", " Beratung "])
    first = members.save_contact(
        db, members.ContactInput(member_id=mid, first_name="Anna", last_name="Müller", is_primary=True)
    )
    second = members.save_contact(
        db, members.ContactInput(member_id=mid, first_name="Jörg", last_name="Schäfer", is_primary=True)
    )
    with db.read() as s:
        assert s.get_one(Contact, first).is_primary is False
        assert s.get_one(Contact, second).is_primary is True
    row = members.list_members(db)[0]
    assert row.primary_contact == "Jörg Schäfer"
    assert row.tags == "Beratung, Migration"
    for query in ("MÜLLER", "muller", "Müller", "schafer", "migration"):
        assert query.casefold()[:3] in row.search_text or members.list_members(db)[0].search_text
        from geschaeftsstelle.search import matches

        assert matches(row.search_text, query)
    members.set_primary_contact(db, mid, first, version=members.get_member(db, mid).version)
    assert members.list_members(db)[0].primary_contact == "Anna Müller"


def test_external_contact_needs_no_member_but_a_valid_address(db: Database) -> None:
    cid = members.save_contact(
        db,
        members.ContactInput(
            salutation="Herr", title="Prof. Dr.", first_name="Peter", last_name="Löcherbach",
            organisation="Katholische Hochschule Mainz", postal_code="55122", city="Mainz",
        ),
    )  # fmt: skip
    row = next(r for r in members.list_contacts(db) if r.id == cid)
    assert row.organisation == "Katholische Hochschule Mainz"
    assert row.name == "Prof. Dr. Peter Löcherbach"
    with pytest.raises(ValidationError) as info:
        members.save_contact(db, members.ContactInput(last_name="X", postal_code="5512", is_primary=True))
    assert {e.field for e in info.value.errors} == {"postal_code", "is_primary"}


def test_stale_version_is_refused(db: Database) -> None:
    mid = _member(db)
    loaded = members.get_member(db, mid)
    members.save_member(db, members.MemberInput(id=mid, version=loaded.version, name="Camsin e. V. (neu)"))
    with pytest.raises(ConflictError, match="inzwischen"):
        members.save_member(db, members.MemberInput(id=mid, version=loaded.version, name="Überschrieben?"))
    assert members.get_member(db, mid).name == "Camsin e. V. (neu)"


def test_member_with_history_cannot_be_deleted_but_can_leave(db: Database) -> None:
    mid = _member(db)
    cid = members.save_contact(db, members.ContactInput(member_id=mid, last_name="Beispiel", is_primary=True))
    meeting_id = save_meeting(
        db,
        MeetingInput(title="Sitzung", starts_at=dt.datetime(2020, 2, 12, 14), ends_at=dt.datetime(2020, 2, 12, 16)),
    )
    with db.transaction() as s:
        s.add(Invitation(meeting_id=meeting_id, contact_id=cid))
    with pytest.raises(UserError, match="ehemaliges Mitglied"):
        members.delete_member(db, mid, version=members.get_member(db, mid).version)
    members.set_left(db, mid, dt.date(2021, 12, 31), version=members.get_member(db, mid).version)
    row = members.list_members(db)[0]
    assert row.left_on == dt.date(2021, 12, 31)
    assert not row.active
    with db.read() as s:
        assert s.scalar(select(Member.id)) == mid


def test_member_without_history_is_deleted_with_its_contacts(db: Database) -> None:
    mid = _member(db)
    members.save_contact(db, members.ContactInput(member_id=mid, last_name="Beispiel"))
    members.delete_member(db, mid, version=members.get_member(db, mid).version)
    assert members.list_members(db) == []
    assert members.list_contacts(db) == []


def test_long_notes_and_markup_are_stored_as_typed(db: Database) -> None:
    note = "<b>&amp;</b> 🎉 مرحبا " * 500
    mid = _member(db, name="<b>&amp;", notes=note)
    m = members.get_member(db, mid)
    assert m.name == "<b>&amp;"
    assert m.notes == note.strip()


def test_editing_a_member_keeps_and_changes_tags(db: Database) -> None:
    mid = _member(db, tags=["Migration", "Beratung"])
    m = members.get_member(db, mid)
    members.save_member(db, members.MemberInput(id=mid, version=m.version, name=m.name, tags=["Migration", "Kinder"]))
    m = members.get_member(db, mid)
    assert m.tags == ["Kinder", "Migration"]
    members.save_member(db, members.MemberInput(id=mid, version=m.version, name=m.name, tags=m.tags))
    assert members.get_member(db, mid).tags == ["Kinder", "Migration"]
    assert "kinder" in members.list_members(db)[0].search_text


def test_contact_rows_sort_by_last_name_and_show_the_member_city(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    members.save_contact(db, members.ContactInput(member_id=mid, title="Dr.", first_name="Jörg", last_name="Zander"))
    members.save_contact(db, members.ContactInput(first_name="Anna", last_name="Abel", city="Jena", organisation="X"))
    rows = members.list_contacts(db)
    assert [r.sort_name for r in rows] == ["Abel Anna", "Zander Jörg"]
    assert [r.city for r in rows] == ["Jena", "Weimar"]
    assert rows[1].name == "Dr. Jörg Zander"
    assert rows[1].organisation == "Camsin e. V."
