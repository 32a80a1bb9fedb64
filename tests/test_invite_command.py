"""`invite` on the command line: members-only meetings refuse non-members in one German line naming them
unless --allow-non-members; `privacy clear-needs` keeps the contacts' standing needs unless asked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.cli import main
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting
from tests.test_invitations import make_office


def test_invite_refuses_non_members_unless_allowed(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = make_office(db)
    meeting = str(ids["meeting"])
    with db.transaction() as s:
        s.execute(update(Meeting).where(Meeting.id == ids["meeting"]).values(members_only=True))
    assert main(["--db", db_url, "invite", "--meeting", meeting, "--contact", str(ids["olga"]),
                 "--contact", str(ids["speaker"])]) == 1  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "Olga Ost (ehemaliges Mitglied)" in err
    assert "Sina Sprecher (kein Mitglied)" in err
    assert "--allow-non-members" in err
    assert inv.load_board(db, ids["meeting"]).rows == []

    assert main(["--db", db_url, "invite", "--meeting", meeting, "--speakers", "--allow-non-members"]) == 0
    assert capsys.readouterr().out.strip() == "1 eingeladen."
    assert main(["--db", db_url, "invite", "--meeting", meeting, "--members"]) == 0
    assert capsys.readouterr().out.startswith("2 eingeladen.")
    assert main(["--db", db_url, "invite", "--meeting", meeting, "--members", "--speakers"]) == 1
    assert "genau eines" in capsys.readouterr().err


def test_clear_needs_keeps_standing_needs_unless_asked(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = make_office(db)
    with db.transaction() as s:
        s.execute(update(Contact).where(Contact.id == ids["anna"]).values(needs="Rollstuhlplatz", diet="vegan"))
    inv.invite_all_members(db, ids["meeting"])
    with db.transaction() as s:  # the meeting is long past
        s.execute(update(Meeting).values(starts_at=dt.datetime(2020, 3, 12, 14), ends_at=dt.datetime(2020, 3, 12, 16)))

    def anna() -> tuple[str, str, str]:
        with db.read() as s:
            contact = s.execute(select(Contact.needs, Contact.diet).where(Contact.id == ids["anna"])).one()
            invited = s.scalar(select(Invitation.assistance).where(Invitation.contact_id == ids["anna"]))
        return contact[0], contact[1], invited or ""

    assert anna() == ("Rollstuhlplatz", "vegan", "Rollstuhlplatz")
    assert main(["--db", db_url, "privacy", "clear-needs", "--months", "1"]) == 0
    assert "in 1 Einladung(en) gelöscht" in capsys.readouterr().out
    assert anna() == ("Rollstuhlplatz", "vegan", "")
    assert main(["--db", db_url, "privacy", "clear-needs", "--months", "1", "--standing-needs"]) == 0
    assert "ständigen Bedarfe" in capsys.readouterr().out
    assert anna() == ("", "", "")
