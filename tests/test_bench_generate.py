"""The benchmark generator at a tiny scale: valid rows on every backend, searchable, exportable, deterministic."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import func, select

from geschaeftsstelle import exchange, members
from geschaeftsstelle.search import matches
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, Member, Nomination, Score
from geschaeftsstelle.store.opening import open_database

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load("generate")


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_tiny_office_has_every_kind_of_row(db: Database, gen: ModuleType) -> None:
    scale = gen.Scale.tiny()
    counts = gen.generate(db, scale)
    assert _count(db, Member) == scale.members == counts["members"]
    assert _count(db, Contact) == scale.contacts
    assert _count(db, Meeting) == scale.meetings
    invitations = _count(db, Invitation)
    assert scale.invitations <= invitations <= scale.invitations + scale.meetings  # plus a few walk-in guests
    assert _count(db, Nomination) == scale.awards * scale.nominations
    assert _count(db, Score) > 0
    with db.read() as s:
        biggest = s.execute(
            select(Invitation.meeting_id, func.count()).group_by(Invitation.meeting_id).order_by(func.count().desc())
        ).first()
        assert biggest is not None
        assert biggest[1] >= scale.big_invitees
        assert s.scalar(select(func.count()).where(Contact.is_primary.is_(True))) == scale.members
        assert s.scalar(select(func.count()).select_from(Invitation).where(Invitation.contact_id.is_(None))) > 0


def test_search_text_matches_what_members_module_writes(db: Database, gen: ModuleType) -> None:
    gen.generate(db, gen.Scale.tiny())
    with db.transaction() as s:
        member = s.scalars(select(Member).order_by(Member.id).limit(1)).one()
        generated = member.search_text
        members.refresh_member_search(member)
        assert member.search_text == generated
        contact = s.scalars(select(Contact).where(Contact.member_id.is_(None)).limit(1)).one()
        generated = contact.search_text
        members.refresh_contact_search(contact)
        assert contact.search_text == generated
    rows = members.list_members(db)
    assert all(matches(r.search_text, r.city) for r in rows)
    assert len(members.list_contacts(db)) == gen.Scale.tiny().contacts


def test_export_and_reimport(db: Database, gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(db, gen.Scale.tiny())
    path = tmp_path / "office.json"
    counts = exchange.export_file(db, path)
    assert counts["members"] == 50
    assert counts["invitations"] == _count(db, Invitation)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert any(c["last_name"] in {"Nguyễn", "Öztürk", "Yılmaz", "Wiśniewska"} for c in data["contacts"])
    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        assert exchange.import_file(fresh, path) == counts  # the import's checks accept every generated row
    finally:
        fresh.dispose()


def test_new_rows_after_generation_get_fresh_ids(db: Database, gen: ModuleType) -> None:
    """On PostgreSQL the id sequences must move past the explicit ids, or the next save collides."""
    gen.generate(db, gen.Scale.tiny())
    new_id = members.save_member(db, members.MemberInput(name="Neuer Verein e. V."))
    assert new_id > 50


def test_deterministic(gen: ModuleType) -> None:
    first = gen.build_rows(gen.Scale.tiny(), seed=7)
    second = gen.build_rows(gen.Scale.tiny(), seed=7)
    assert first == second
    assert gen.build_rows(gen.Scale.tiny(), seed=8)["contacts"] != first["contacts"]


def test_refuses_a_database_with_data(db: Database, gen: ModuleType) -> None:
    members.save_member(db, members.MemberInput(name="Schon da e. V."))
    with pytest.raises(SystemExit):
        gen.generate(db, gen.Scale.tiny())
