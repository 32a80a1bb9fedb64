"""A record's version covers its lists (issue 15, part 1).

Desk A and desk B open the same record; A changes only a list (a programme row, the speakers, the jury, a
criterion, the tags, a contact); B then saves another change with the version it saw and must be refused,
and A's list must still be there. On SQLite and PostgreSQL, each desk with its own engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from geschaeftsstelle import awards, meetings, members
from geschaeftsstelle.errors import ConflictError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind
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


# --------------------------------------------------------------------------- every mutating service function
#
# Desk A (`second`) reads what its window shows; desk B (`db`) changes the record or one of its lists; desk A's
# call with what it saw must be refused with the German conflict message and change nothing at all.

World = dict[str, int]


def _world(db: Database) -> World:
    """One of everything: a member with two people, a venue, a meeting with programme and invitations, an award
    round with jury and criteria, a scored nomination, an own letter template, the letterhead."""
    from geschaeftsstelle import invitations, letter_templates, office

    member = members.save_member(db, members.MemberInput(name="Lebenshilfe e. V.", tags=["Jugend"]))
    first = members.save_contact(
        db, members.ContactInput(first_name="Anna", last_name="Erste", member_id=member, is_primary=True)
    )
    other = _contact(db, "Zweite", member)
    juror = _contact(db, "Jurorin")
    loose = _contact(db, "Ohne Geschichte")
    venue = meetings.save_venue(db, meetings.VenueInput(name="Rathaus", postal_code="99423", city="Weimar"))
    meeting = _meeting(db, speaker_ids=[juror])
    meetings.save_meeting(db, _meeting_input(db, meeting, venue_id=venue))
    invitations.invite_contacts(db, meeting, [first, other])
    invitation = invitations.load_board(db, meeting).rows[0].id
    award = awards.save_award(
        db,
        awards.AwardInput(
            year=2027, title="Ehrenamtspreis 2027", jury_ids=[juror], criteria=[awards.CriterionInput("Wirkung")]
        ),
    )
    criterion = awards.get_award(db, award).criteria[0].id
    nomination, _ = awards.save_nomination(
        db, awards.NominationInput(award, "Erika Muster", justification="Viel.", nominated_by_id=other)
    )
    awards.set_score(db, nomination, juror, criterion, 3, version=awards.get_nomination(db, nomination).version)
    attachment = awards.add_attachment(
        db, nomination, str(_a_file()), "Vorschlag", version=awards.get_nomination(db, nomination).version
    )
    office.save_office(db, office.OfficeInput(name="Kreisgruppe", street="Markt 1", postal_code="99423", city="Weimar"))
    kind = LetterKind.INVITATION
    letter_templates.save_template(db, kind, letter_templates.get_template(db, kind).text + "\nGruß\n", None)
    return {
        "member": member, "first": first, "other": other, "juror": juror, "loose": loose, "venue": venue,
        "meeting": meeting, "invitation": invitation, "award": award, "criterion": criterion,
        "nomination": nomination,
        "attachment": attachment,
    }  # fmt: skip


def _a_file() -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / "Vorschlag.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


def _reply_code(db: Database, w: World) -> str:
    code = awards.get_nomination(db, w["nomination"]).reply_code
    assert code is not None
    return code


def _member_version(db: Database, w: World) -> int:
    return members.get_member(db, w["member"]).version


def _contact_version(db: Database, w: World, key: str = "first") -> int:
    return members.get_contact(db, w[key]).version


def _venue_version(db: Database, w: World) -> int:
    return next(v.version for v in meetings.list_venues(db) if v.id == w["venue"])


def _meeting_version(db: Database, w: World) -> int:
    return meetings.get_meeting(db, w["meeting"]).version


def _nomination_version(db: Database, w: World) -> int:
    return awards.get_nomination(db, w["nomination"]).version


def _award_version(db: Database, w: World) -> int:
    return awards.get_award(db, w["award"]).version


def _invitation_version(db: Database, w: World) -> int:
    from geschaeftsstelle import invitations

    return next(r.version for r in invitations.load_board(db, w["meeting"]).rows if r.id == w["invitation"])


def _template_version(db: Database, _w: World) -> int | None:
    from geschaeftsstelle import letter_templates

    return letter_templates.get_template(db, LetterKind.INVITATION).version


def _office_version(db: Database, _w: World) -> int:
    from geschaeftsstelle import office

    return office.get_office(db).version


# Desk B's changes: most of them change only a list, the hardest case for a version check.
def _b_adds_a_contact(db: Database, w: World) -> None:
    _contact(db, "Neu", w["member"])


def _b_edits_the_contact(db: Database, w: World, key: str = "first") -> None:
    c = members.get_contact(db, w[key])
    members.save_contact(db, _input(members.ContactInput, c, email="neu@example.org"))


def _b_edits_the_tags(db: Database, w: World) -> None:
    m = members.get_member(db, w["member"])
    members.save_member(db, _input(members.MemberInput, m, tags=["Jugend", "Sport"]))


def _b_edits_the_venue(db: Database, w: World) -> None:
    v = next(v for v in meetings.list_venues(db) if v.id == w["venue"])
    meetings.save_venue(db, _input(meetings.VenueInput, v, city="Erfurt", postal_code="99084"))


def _b_edits_the_programme(db: Database, w: World) -> None:
    fresh = _meeting_input(db, w["meeting"])
    meetings.save_meeting(db, dataclasses.replace(fresh, agenda=[*fresh.agenda, meetings.AgendaItemInput("TOP 2")]))


def _b_moves_the_meeting(db: Database, w: World) -> None:
    fresh = _meeting_input(db, w["meeting"])
    later = dt.timedelta(days=1)
    meetings.save_meeting(
        db, dataclasses.replace(fresh, starts_at=fresh.starts_at + later, ends_at=fresh.ends_at + later)
    )


def _b_scores(db: Database, w: World) -> None:
    awards.set_score(db, w["nomination"], w["juror"], w["criterion"], 5, version=_nomination_version(db, w))


def _b_edits_the_criteria(db: Database, w: World) -> None:
    a = awards.get_award(db, w["award"])
    criteria = [*_criteria(a), awards.CriterionInput("Nachhaltigkeit")]
    awards.save_award(db, _input(awards.AwardInput, a, jury_ids=[c.id for c in a.jury], criteria=criteria))


def _b_takes_a_reply(db: Database, w: World) -> None:
    from geschaeftsstelle import invitations

    invitations.record_reply(
        db, w["invitation"], _invitation_version(db, w), invitations.ReplyInput(response="accepted")
    )


def _b_edits_the_template(db: Database, w: World) -> None:
    from geschaeftsstelle import letter_templates

    kind = LetterKind.INVITATION
    info = letter_templates.get_template(db, kind)
    letter_templates.save_template(db, kind, info.text + "Noch ein Satz.\n", info.version)


def _b_edits_the_office(db: Database, _w: World) -> None:
    from geschaeftsstelle import office

    o = office.get_office(db)
    office.save_office(db, _input(office.OfficeInput, o, phone="03643 1"))


# Desk A's stale calls (what it saw comes in as `seen`).
def _a_saves_the_member(db: Database, w: World, seen: Any) -> None:
    m = members.get_member(db, w["member"])
    members.save_member(db, _input(members.MemberInput, m, tags=m.tags, city="Jena", version=seen))


def _a_saves_the_contact(db: Database, w: World, seen: Any) -> None:
    c = members.get_contact(db, w["first"])
    members.save_contact(db, _input(members.ContactInput, c, phone="0361 2", version=seen))


def _a_saves_the_venue(db: Database, w: World, seen: Any) -> None:
    v = next(v for v in meetings.list_venues(db) if v.id == w["venue"])
    meetings.save_venue(db, _input(meetings.VenueInput, v, name="Stadthaus", version=seen))


def _a_saves_the_meeting(db: Database, w: World, seen: Any) -> None:
    meetings.save_meeting(db, _meeting_input(db, w["meeting"], title="Neu", version=seen))


def _a_saves_the_award(db: Database, w: World, seen: Any) -> None:
    a = awards.get_award(db, w["award"])
    awards.save_award(
        db, _input(awards.AwardInput, a, title="Preis", jury_ids=[w["juror"]], criteria=_criteria(a), version=seen)
    )


def _a_saves_the_nomination(db: Database, w: World, seen: Any) -> None:
    n = awards.get_nomination(db, w["nomination"])
    awards.save_nomination(db, _input(awards.NominationInput, n, justification="Anders.", version=seen))


def _a_replies(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import invitations

    invitations.record_reply(db, w["invitation"], seen, invitations.ReplyInput(response="declined"))


def _a_checks_in(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import invitations

    invitations.check_in(db, w["invitation"], seen, True)


def _a_removes_invitations(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import invitations

    invitations.remove_invitations(db, {w["invitation"]: seen})


def _a_records_sent(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import invitations

    invitations.record_sent(db, {w["invitation"]: seen}, dt.date(2027, 2, 1), "post")


def _a_saves_the_template(db: Database, _w: World, seen: Any) -> None:
    from geschaeftsstelle import letter_templates

    kind = LetterKind.INVITATION
    letter_templates.save_template(db, kind, letter_templates.get_template(db, kind).text + "A.\n", seen)


def _a_resets_the_template(db: Database, _w: World, seen: Any) -> None:
    from geschaeftsstelle import letter_templates

    letter_templates.reset_template(db, LetterKind.INVITATION, version=seen)


def _a_notes_the_change_notice(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import meeting_notices

    meeting_notices.record_change_notice_sent(db, w["meeting"], version=seen)


def _a_saves_the_office(db: Database, _w: World, seen: Any) -> None:
    from geschaeftsstelle import office

    office.save_office(db, _input(office.OfficeInput, office.get_office(db), name="Kreisgruppe Weimar", version=seen))


def _a_erases(db: Database, w: World, seen: Any) -> None:
    from geschaeftsstelle import privacy

    privacy.erase_contact(db, w["first"], version=seen)


def _reply_import_preview(db: Database, w: World) -> Any:
    from geschaeftsstelle import invitations, reply_import
    from geschaeftsstelle.member_import import Table

    name = next(r.name for r in invitations.load_board(db, w["meeting"]).rows if r.id == w["invitation"])
    table = Table(["Name", "Teilnahme"], [[name, "ja"]])
    return reply_import.preview(db, w["meeting"], table, {"name": "Name", "answer": "Teilnahme"})


def _a_imports_replies(db: Database, _w: World, seen: Any) -> None:
    from geschaeftsstelle import reply_import

    reply_import.apply_import(db, seen)


@dataclasses.dataclass(frozen=True)
class Case:
    """One mutating service function: what desk A saw, desk B's change, desk A's stale call."""

    function: str  # module.function, as the meta-test finds it
    seen: Callable[[Database, World], Any]
    change: Callable[[Database, World], object]
    stale: Callable[[Database, World, Any], object]


CASES = [
    Case("members.save_member", _member_version, _b_adds_a_contact, _a_saves_the_member),
    Case("members.save_contact", _contact_version, _b_edits_the_contact, _a_saves_the_contact),
    Case(
        "members.set_primary_contact",
        _member_version,
        _b_edits_the_tags,
        lambda db, w, seen: members.set_primary_contact(db, w["member"], w["other"], version=seen),
    ),
    Case(
        "members.delete_member",
        _member_version,
        _b_adds_a_contact,
        lambda db, w, seen: members.delete_member(db, w["member"], version=seen),
    ),
    Case(
        "members.set_left",
        _member_version,
        _b_edits_the_contact,
        lambda db, w, seen: members.set_left(db, w["member"], dt.date(2027, 1, 1), version=seen),
    ),
    Case(
        "members.delete_contact",
        lambda db, w: _contact_version(db, w, "loose"),
        lambda db, w: _b_edits_the_contact(db, w, "loose"),
        lambda db, w, seen: members.delete_contact(db, w["loose"], version=seen),
    ),
    Case("meetings.save_venue", _venue_version, _b_edits_the_venue, _a_saves_the_venue),
    Case(
        "meetings.delete_venue",
        _venue_version,
        _b_edits_the_venue,
        lambda db, w, seen: meetings.delete_venue(db, w["venue"], version=seen),
    ),
    Case("meetings.save_meeting", _meeting_version, _b_edits_the_programme, _a_saves_the_meeting),
    Case(
        "meetings.delete_meeting",
        _meeting_version,
        _b_edits_the_programme,
        lambda db, w, seen: meetings.delete_meeting(db, w["meeting"], version=seen),
    ),
    Case("awards.save_award", _award_version, _b_edits_the_criteria, _a_saves_the_award),
    Case("awards.save_nomination", _nomination_version, _b_scores, _a_saves_the_nomination),
    Case(
        "awards.set_status",
        _nomination_version,
        _b_scores,
        lambda db, w, seen: awards.set_status(db, w["nomination"], "complete", version=seen),
    ),
    Case(
        "awards.set_score",
        _nomination_version,
        _b_scores,
        lambda db, w, seen: awards.set_score(db, w["nomination"], w["juror"], w["criterion"], 1, version=seen),
    ),
    Case(
        "awards.add_attachment",
        _nomination_version,
        _b_scores,
        lambda db, w, seen: awards.add_attachment(db, w["nomination"], str(_a_file()), version=seen),
    ),
    Case(
        "awards.remove_attachment",
        _nomination_version,
        _b_scores,
        lambda db, w, seen: awards.remove_attachment(db, w["attachment"], version=seen),
    ),
    Case(
        "awards.record_consent",
        _nomination_version,
        _b_scores,
        lambda db, w, seen: awards.record_consent(db, _reply_code(db, w), True, version=seen),
    ),
    Case(
        "awards.decide",
        _award_version,
        _b_edits_the_criteria,
        lambda db, w, seen: awards.decide(db, w["award"], [w["nomination"]], version=seen),
    ),
    Case("invitations.record_reply", _invitation_version, _b_takes_a_reply, _a_replies),
    Case("invitations.check_in", _invitation_version, _b_takes_a_reply, _a_checks_in),
    Case("invitations.remove_invitations", _invitation_version, _b_takes_a_reply, _a_removes_invitations),
    Case("invitations.record_sent", _invitation_version, _b_takes_a_reply, _a_records_sent),
    Case("reply_import.apply_import", _reply_import_preview, _b_takes_a_reply, _a_imports_replies),
    Case("letter_templates.save_template", _template_version, _b_edits_the_template, _a_saves_the_template),
    Case("letter_templates.reset_template", _template_version, _b_edits_the_template, _a_resets_the_template),
    Case(
        "meeting_notices.record_change_notice_sent",
        _meeting_version,
        _b_moves_the_meeting,
        _a_notes_the_change_notice,
    ),
    Case("office.save_office", _office_version, _b_edits_the_office, _a_saves_the_office),
    Case("privacy.erase_contact", _contact_version, _b_edits_the_contact, _a_erases),
]

#: Functions that open a write transaction but change no record a user saw, with the reason.
EXEMPT = {
    "invitations._invite": "creates invitations only (INSERT … ON CONFLICT DO NOTHING: the invited are skipped)",
    "invitations.add_guest": "creates a new invitation",
    "invitations.add_walk_in_contact": "idempotent: the person is there; invites if needed and checks in",
    "invitations.fill_free_places": "gives free places to the waiting list from the current state, under the "
    "meeting's lock; carries no value a user saw (a reply racing with it is refused by the reply's version)",
    "planning.create_series": "creates new meetings",
    "member_import.import_rows": "creates new members and contacts (duplicates checked inside the transaction)",
    "privacy.reapply_erasures": "re-applies the erasure register after a restore; no record a user saw",
    "privacy.clear_old_needs": "a retention rule over all contacts, not a record a user saw",
}


def _everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: "nothing changed" means this is equal."""
    from sqlalchemy import select

    from geschaeftsstelle.store.models import Base

    with db.read() as s:
        return {
            t.name: sorted((tuple(map(repr, row)) for row in s.execute(select(t))), key=repr)
            for t in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.function)
def test_a_stale_call_is_refused_and_changes_nothing(case: Case, db: Database, second: Database) -> None:
    world = _world(db)
    seen = case.seen(second, world)  # desk A's window shows the record
    case.change(db, world)  # desk B saves a change
    before = _everything(db)
    with pytest.raises(ConflictError, match="inzwischen"):
        case.stale(second, world, seen)
    assert _everything(db) == before


def _transaction_functions() -> set[str]:
    """module.function for every function in a service module (geschaeftsstelle/*.py) that opens
    `….transaction()`."""
    import ast
    from pathlib import Path

    import geschaeftsstelle

    found = set()
    for path in Path(geschaeftsstelle.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.With) and any(
                    isinstance(item.context_expr, ast.Call)
                    and isinstance(item.context_expr.func, ast.Attribute)
                    and item.context_expr.func.attr == "transaction"
                    for item in inner.items
                ):
                    found.add(f"{path.stem}.{node.name}")
    return found


def test_the_table_lists_every_function_that_writes() -> None:
    listed = {c.function for c in CASES}
    assert len(listed) == len(CASES)
    assert not listed & EXEMPT.keys()
    missing = _transaction_functions() - listed - EXEMPT.keys()
    assert not missing, f"add a Case (or an EXEMPT reason) for: {sorted(missing)}"
    assert not (listed | EXEMPT.keys()) - _transaction_functions(), "the table names functions that do not write"


def test_a_first_row_appended_to_an_empty_list_raises_the_version(db: Database) -> None:
    """A row appended through the collection has no foreign key until the flush: the holder still moves."""
    member_id = members.save_member(db, members.MemberInput(name="Ohne Schlagwort e. V."))
    before = members.get_member(db, member_id)
    members.save_member(db, _input(members.MemberInput, before, tags=["Erstes"]))
    assert members.get_member(db, member_id).version > before.version
    award_id = awards.save_award(db, awards.AwardInput(year=2028, title="Preis 2028"))
    award = awards.get_award(db, award_id)
    awards.save_award(db, _input(awards.AwardInput, award, criteria=[awards.CriterionInput("Wirkung")], jury_ids=[]))
    assert awards.get_award(db, award_id).version > award.version


# --------------------------------------------------------------------------- two desks at the same moment


def _at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; each result is the value or the exception raised."""
    import threading

    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the test looks at what each desk got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _refused_in_german(result: object) -> bool:
    return isinstance(result, ConflictError) and "inzwischen" in str(result)


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_check_in_the_same_walk_in(db: Database, second: Database, attempt: int) -> None:
    from geschaeftsstelle import invitations

    meeting_id = _meeting(db)
    person = _contact(db, f"Spontan {attempt}")
    results = _at_once([
        lambda: invitations.add_walk_in_contact(db, meeting_id, person),
        lambda: invitations.add_walk_in_contact(second, meeting_id, person),
    ])  # fmt: skip
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    rows = [r for r in invitations.load_board(db, meeting_id).rows if r.contact_id == person]
    assert [(r.attended, r.response) for r in rows] == [(True, "accepted")]


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_check_in_the_same_invitation(db: Database, second: Database, attempt: int) -> None:
    from geschaeftsstelle import invitations

    meeting_id = _meeting(db)
    person = _contact(db, f"Eingeladen {attempt}")
    invitations.invite_contacts(db, meeting_id, [person])
    row = invitations.load_board(db, meeting_id).rows[0]
    results = _at_once([
        lambda: invitations.check_in(db, row.id, row.version, True),
        lambda: invitations.check_in(second, row.id, row.version, True),
    ])  # fmt: skip
    assert all(isinstance(r, invitations.BoardRow) and r.attended for r in results), results


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_choose_different_primary_contacts(db: Database, second: Database, attempt: int) -> None:
    member_id = members.save_member(db, members.MemberInput(name=f"Verein {attempt} e. V."))
    one, two = _contact(db, "Eins", member_id), _contact(db, "Zwei", member_id)
    seen = members.get_member(db, member_id).version
    results = _at_once([
        lambda: members.set_primary_contact(db, member_id, one, version=seen),
        lambda: members.set_primary_contact(second, member_id, two, version=seen),
    ])  # fmt: skip
    assert sorted(r is None for r in results) == [False, True], results  # one saved, one refused
    assert all(r is None or _refused_in_german(r) for r in results), results
    primaries = [c.id for c in members.list_contacts(db, member_id) if c.is_primary]
    assert primaries == [one if results[0] is None else two]


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_save_different_contacts_as_primary(db: Database, second: Database, attempt: int) -> None:
    """The contact dialog's "Hauptansprechperson" box: the later save wins, never a database error."""
    member_id = members.save_member(db, members.MemberInput(name=f"Verein {attempt} e. V."))
    one, two = (
        members.get_contact(db, _contact(db, "Eins", member_id)),
        members.get_contact(db, _contact(db, "Zwei", member_id)),
    )
    results = _at_once([
        lambda: members.save_contact(db, _input(members.ContactInput, one, is_primary=True)),
        lambda: members.save_contact(second, _input(members.ContactInput, two, is_primary=True)),
    ])  # fmt: skip
    assert all(isinstance(r, int) for r in results), results
    assert len([c for c in members.list_contacts(db, member_id) if c.is_primary]) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_invite_all_members_at_once(db: Database, second: Database, attempt: int) -> None:
    from geschaeftsstelle import invitations

    for i in range(20):
        member_id = members.save_member(db, members.MemberInput(name=f"Verein {attempt}-{i} e. V."))
        members.save_contact(
            db, members.ContactInput(first_name="Uwe", last_name=f"Nr{i}", member_id=member_id, is_primary=True)
        )
    meeting_id = _meeting(db)
    results = _at_once([
        lambda: invitations.invite_all_members(db, meeting_id),
        lambda: invitations.invite_all_members(second, meeting_id),
    ])  # fmt: skip
    assert all(isinstance(r, invitations.InviteResult) for r in results), results
    contacts = [r.contact_id for r in invitations.load_board(db, meeting_id).rows]
    assert len(contacts) == len(set(contacts)) == 20
