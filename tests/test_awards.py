"""A whole Ehrenamtspreis round in the services: nominate, check, score with conflicts, rank, decide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geschaeftsstelle import awards, members
from geschaeftsstelle.awards import AwardInput, CriterionInput, NominationInput
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.meetings import MeetingInput, get_meeting, save_meeting
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Invitation


def _status(db: Database, nomination_id: int, status: str) -> list[str]:
    """A status change with the nomination's current version (as the list would show it)."""
    return awards.set_status(db, nomination_id, status, version=awards.get_nomination(db, nomination_id).version)


def _score(db: Database, nomination_id: int, juror_id: int, criterion_id: int, value: int | None) -> int:
    version = awards.get_nomination(db, nomination_id).version
    return awards.set_score(db, nomination_id, juror_id, criterion_id, value, version=version)


def _decide(db: Database, award_id: int, winner_ids: list[int]) -> list[str]:
    return awards.decide(db, award_id, winner_ids, version=awards.get_award(db, award_id).version)


@pytest.fixture
def setup(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["m_camsin"] = members.save_member(db, members.MemberInput(name="Camsin e. V."))
    ids["m_tafel"] = members.save_member(db, members.MemberInput(name="Tafel Weimar e. V."))
    ids["anna"] = members.save_contact(
        db, members.ContactInput(member_id=ids["m_camsin"], first_name="Anna", last_name="Beispiel", is_primary=True)
    )
    ids["jan"] = members.save_contact(
        db, members.ContactInput(member_id=ids["m_tafel"], first_name="Jan", last_name="Tafel", is_primary=True)
    )
    ids["eleni"] = members.save_contact(db, members.ContactInput(last_name="Papadopoulou", organisation="Agentur"))
    ids["ivan"] = members.save_contact(db, members.ContactInput(last_name="Petrov", organisation="Stiftung"))
    ids["fest"] = save_meeting(
        db,
        MeetingInput(title="Sommerfest", starts_at=dt.datetime(2020, 6, 17, 15), ends_at=dt.datetime(2020, 6, 17, 19)),
    )
    ids["award"] = awards.save_award(
        db,
        AwardInput(
            year=2020,
            title="Ehrenamtspreis 2020",
            nomination_deadline=dt.date(2020, 4, 30),
            ceremony_id=ids["fest"],
            criteria=[CriterionInput("Wirkung"), CriterionInput("Nachhaltigkeit")],
            jury_ids=[ids["eleni"], ids["ivan"], ids["anna"]],
        ),
    )
    return ids


def test_whole_round(db: Database, setup: dict[str, int]) -> None:
    ids = setup
    award_id = ids["award"]
    erika, problems = awards.save_nomination(
        db,
        NominationInput(award_id, "Erika Muster", member_id=ids["m_camsin"], nominated_by_id=ids["jan"],
                        justification="Leitet die Kleiderkammer.", received_on=dt.date(2020, 4, 1),
                        consent_publication=True, consent_photo=True),
    )  # fmt: skip
    assert problems == []
    lesepaten, problems = awards.save_nomination(
        db,
        NominationInput(award_id, "Lesepaten", nominee_is_group=True, member_id=ids["m_tafel"],
                        nominated_by_id=ids["anna"], justification="Vorlesen.", received_on=dt.date(2020, 5, 3),
                        consent_publication=True),
    )  # fmt: skip
    assert problems == ["nach Fristende eingegangen (03.05.2020)"]
    ohne, problems = awards.save_nomination(
        db, NominationInput(award_id, "Max Ohne", member_id=ids["m_tafel"], nominated_by_id=ids["jan"])
    )
    assert "Begründung fehlt" in problems
    assert "Einverständnis zur Veröffentlichung fehlt" in problems
    with pytest.raises(UserError, match="noch nicht vollständig"):
        _status(db, ohne, "complete")

    award = awards.get_award(db, award_id)
    crit = {c.name: c.id for c in award.criteria}
    # Anna nominated the Lesepaten: she may not score them at all.
    with pytest.raises(ValidationError, match="eingereicht"):
        _score(db, lesepaten, ids["anna"], crit["Wirkung"], 5)
    # Anna belongs to Camsin, Erika's organisation: her score is flagged and not counted.
    _score(db, erika, ids["anna"], crit["Wirkung"], 1)
    for juror in ("eleni", "ivan"):
        _score(db, erika, ids[juror], crit["Wirkung"], 4)
        _score(db, erika, ids[juror], crit["Nachhaltigkeit"], 4)
        _score(db, lesepaten, ids[juror], crit["Wirkung"], 4)
    for bad in (0, 6):
        with pytest.raises(ValidationError, match="zwischen 1 und 5"):
            _score(db, erika, ids["eleni"], crit["Wirkung"], bad)
    with pytest.raises(UserError, match="nicht zur Jury"):
        _score(db, erika, ids["jan"], crit["Wirkung"], 3)

    award = awards.get_award(db, award_id)
    ranking = {r.nominee: r for r in awards.ranking(award)}
    assert ranking["Erika Muster"].mean == 4.0
    assert ranking["Erika Muster"].count == 4
    assert ranking["Erika Muster"].excluded == 1
    assert ranking["Lesepaten"].mean == 4.0
    assert ranking["Erika Muster"].rank == ranking["Lesepaten"].rank == 1
    assert ranking["Erika Muster"].tied
    assert ranking["Max Ohne"].rank is None
    conflict = awards.is_conflicted(next(c for c in award.jury if c.id == ids["anna"]), award.nominations[0])
    assert conflict == "gehört zur Organisation der oder des Nominierten"

    for n in (erika, lesepaten):
        _status(db, n, "complete")
        _status(db, n, "shortlisted")
    warnings = _decide(db, award_id, [erika])
    assert warnings == []
    award = awards.get_award(db, award_id)
    assert {n.nominee: n.status for n in award.nominations} == {
        "Erika Muster": "awarded",
        "Lesepaten": "not_awarded",
        "Max Ohne": "received",
    }
    fest = get_meeting(db, ids["fest"])
    with db.read() as s:
        invs = s.query(Invitation).filter_by(meeting_id=fest.id).all()
        assert {(i.guest_name, i.contact_id) for i in invs} == {("Erika Muster", None), (None, ids["jan"])}
    _decide(db, award_id, [erika])  # deciding again invites nobody twice
    with db.read() as s:
        assert s.query(Invitation).filter_by(meeting_id=fest.id).count() == 2


def test_winner_without_consent_is_allowed_with_a_warning(db: Database, setup: dict[str, int]) -> None:
    n, _ = awards.save_nomination(db, NominationInput(setup["award"], "Gisela Still", justification="Still."))
    _status(db, n, "complete")
    _status(db, n, "shortlisted")
    warnings = _decide(db, setup["award"], [n])
    assert any("Veröffentlichung" in w for w in warnings)
    nomination = awards.get_award(db, setup["award"]).nominations[0]
    assert awards.public_name(nomination) != "Gisela Still"


def test_workflow_refuses_jumps_and_year_clash(db: Database, setup: dict[str, int]) -> None:
    n, _ = awards.save_nomination(db, NominationInput(setup["award"], "Erika", justification="x"))
    with pytest.raises(UserError, match="nicht direkt"):
        _status(db, n, "awarded")
    with pytest.raises(ValidationError, match="schon die Preisrunde"):
        awards.save_award(db, AwardInput(year=2020, title="Doppelt"))


def test_nomination_from_a_former_member_is_marked(db: Database, setup: dict[str, int]) -> None:
    tafel = members.get_member(db, setup["m_tafel"])
    members.set_left(db, tafel.id, dt.date(2020, 1, 31), version=tafel.version)
    _, problems = awards.save_nomination(
        db,
        NominationInput(setup["award"], "Tafelteam", member_id=setup["m_tafel"], justification="x",
                        received_on=dt.date(2020, 3, 1), consent_publication=True, nominated_by_id=setup["jan"]),
    )  # fmt: skip
    assert problems == ["Tafel Weimar e. V. ist ausgetreten"]


def test_renaming_a_criterion_keeps_its_scores(db: Database, setup: dict[str, int]) -> None:
    n, _ = awards.save_nomination(db, NominationInput(setup["award"], "Erika", justification="x"))
    award = awards.get_award(db, setup["award"])
    _score(db, n, setup["eleni"], award.criteria[0].id, 5)
    criteria = [
        CriterionInput("Wirkung vor Ort", award.criteria[0].id),
        CriterionInput("Nachhaltigkeit", award.criteria[1].id),
    ]
    awards.save_award(
        db,
        AwardInput(year=2020, title=award.title, criteria=criteria, jury_ids=[c.id for c in award.jury], id=award.id,
                   version=award.version, ceremony_id=setup["fest"]),
    )  # fmt: skip
    award = awards.get_award(db, setup["award"])
    assert [c.name for c in award.criteria] == ["Wirkung vor Ort", "Nachhaltigkeit"]
    assert award.nominations[0].scores[0].score == 5


def test_attachments_are_stored_copies_in_the_export(db: Database, setup: dict[str, int], tmp_path: Path) -> None:
    import hashlib

    from geschaeftsstelle import attachments, exchange

    n, _ = awards.save_nomination(db, NominationInput(setup["award"], "Erika", justification="x"))
    version = next(x.version for x in awards.get_award(db, setup["award"]).nominations if x.id == n)
    source = tmp_path / "Vorschlag Jürgen Groß.pdf"
    source.write_bytes(b"%PDF-1.4")
    awards.add_attachment(db, n, str(source), "Vorschlag", version=version)
    data = exchange.export_office(db)
    att = data["awards"][0]["nominations"][0]["attachments"][0]
    assert "path" not in att
    assert att["label"] == "Vorschlag"
    assert att["sha256"] == hashlib.sha256(b"%PDF-1.4").hexdigest()
    assert (attachments.folder(db) / att["file"]).read_bytes() == b"%PDF-1.4"
    version += 1  # the new attachment raised the nomination's version
    with pytest.raises(UserError, match="Dateiname fehlt"):
        awards.add_attachment(db, n, "  ", version=version)
    with pytest.raises(UserError, match="kein vollständiger Pfad"):
        awards.add_attachment(db, n, "Vorschlag.pdf", version=version)
