"""DSGVO: access report, erasure keeping anonymous counts, clearing needs, contacts of former members."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from geschaeftsstelle import exchange, members, privacy
from geschaeftsstelle.cli import main
from geschaeftsstelle.errors import ConflictError
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaItem, Contact, ErasureRecord, Invitation, Member, Nomination, Score

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
    privacy.erase_contact(db, anna, version=members.get_contact(db, anna).version)
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
        before = s.scalar(select(func.count()).select_from(Score)) or 0
    assert privacy.plan_erasure(db, eleni).scores == 1
    privacy.erase_contact(db, eleni, version=members.get_contact(db, eleni).version)
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


def test_absurd_periods_give_an_answer_not_a_traceback(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    exchange.import_file(db, FIXTURE)
    assert privacy.clear_old_needs(db, months=100_000) == 0  # nothing is older than the year 1
    assert privacy.contacts_of_former_members(db, years=5000) == []
    url = db.url.render_as_string(hide_password=False)
    for args in (["clear-needs", "--months", "100000"], ["stale", "--years", "5000"]):
        assert main(["--db", url, "privacy", *args]) == 0
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert "Fehler" not in captured.err
    assert "in 0 Einladung(en) gelöscht" in (main(["--db", url, "privacy", "clear-needs", "--months", "100000"]),
                                              capsys.readouterr().out)[1]  # fmt: skip


def test_mentions_are_listed_for_review_and_blanked_only_on_request(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    with db.transaction() as s:
        s.add(AgendaItem(meeting_id=1, title="Grußwort", presenter="Dr. Anna Beispiel", position=7))
        n = s.scalars(select(Nomination).where(Nomination.nominated_by_id == anna)).one()
        n.justification = "Frau Beispiel kennt sie seit Jahren."
        s.add(Member(name="Verein X", notes="Ansprechpartnerin: anna.beispiel@camsin.example"))
    mentions = privacy.find_mentions(db, anna)
    fields = {(m.field, m.excerpt) for m in mentions}
    assert ("Programm: vortragende Person", "Dr. Anna Beispiel") in fields
    assert ("Nominierung: Begründung", "Frau Beispiel kennt sie seit Jahren.") in fields
    assert ("Mitglied: Notizen", "Ansprechpartnerin: anna.beispiel@camsin.example") in fields
    assert all("Einladung" not in m.field for m in mentions)  # her own invitation is anonymised anyway
    plan = privacy.plan_erasure(db, anna)
    assert plan.mentions == tuple(mentions)
    assert "Freitext" in plan.describe()
    done = privacy.erase_contact(db, anna, version=members.get_contact(db, anna).version, blank_mentions=True)
    assert done.mentions_blanked == len(mentions)
    with db.read() as s:
        presenter = s.scalars(select(AgendaItem.presenter).where(AgendaItem.title == "Grußwort")).one()
        assert presenter == privacy.ANONYMISED  # her full name is „Dr. Anna Beispiel“
        assert s.scalars(select(Member.notes).where(Member.name == "Verein X")).one() == (
            f"Ansprechpartnerin: {privacy.ANONYMISED}"
        )
    nomination_log = audit.history(db, "nomination")
    assert nomination_log[0].changes == {"dsgvo": ["", "Name geschwärzt (Art. 17 DSGVO)"]}


def test_erasure_of_a_contact_changed_meanwhile_is_refused(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    seen = members.get_contact(db, anna).version
    with db.transaction() as s:
        c = s.get(Contact, anna)
        assert c is not None
        c.role = "Vorstand"
    with pytest.raises(ConflictError):
        privacy.erase_contact(db, anna, version=seen)
    privacy.erase_contact(db, anna, version=members.get_contact(db, anna).version)


def test_access_report_names_every_place_backups_included(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    report = privacy.access_report(db, _anna(db))
    places = " ".join(p["Ort"] for p in report["Speicherorte"])
    assert "Datenbank" in places
    assert "Sicherungen" in places
    assert "Protokolldatei" in places
    json.dumps(report, ensure_ascii=False)


def test_register_holds_ids_and_dates_only(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    privacy.erase_contact(db, anna, version=members.get_contact(db, anna).version)
    with db.read() as s:
        rows = s.execute(select(ErasureRecord.__table__)).all()
    assert [tuple(r) for r in rows] == [(1, anna, dt.date.today(), False)]


def test_cli_erase_shows_mentions_and_blanks_them_on_request(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    with db.transaction() as s:
        s.add(AgendaItem(meeting_id=1, title="Grußwort", presenter="Dr. Anna Beispiel", position=7))
    url = db.url.render_as_string(hide_password=False)
    assert main(["--db", url, "privacy", "erase", "--contact", str(anna)]) == 0
    out = capsys.readouterr().out
    assert "– Programm: vortragende Person: Dr. Anna Beispiel" in out
    assert "--blank-mentions" in out
    assert "Nichts gelöscht" in out
    assert main(["--db", url, "privacy", "erase", "--contact", str(anna), "--yes", "--blank-mentions"]) == 0
    out = capsys.readouterr().out
    assert "Name in 1 Freitext-Feld(ern) geschwärzt." in out
    assert out.rstrip().endswith("Gelöscht.")
    with db.read() as s:
        assert s.scalars(select(AgendaItem.presenter).where(AgendaItem.title == "Grußwort")).one() == "anonymisiert"


def test_the_access_report_pdf_names_mentions_and_every_storage_place(db: Database, tmp_path: Path) -> None:
    import pdfplumber

    from geschaeftsstelle.documents.access_report import access_report_pdf

    exchange.import_file(db, FIXTURE)
    anna = _anna(db)
    with db.transaction() as s:
        s.add(AgendaItem(meeting_id=1, title="Grußwort", presenter="Dr. Anna Beispiel", position=7))
    out = tmp_path / "auskunft.pdf"
    access_report_pdf(db, anna, out)
    with pdfplumber.open(out) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    assert "Erwähnungen in Freitexten (1)" in text
    assert "Wo diese Angaben gespeichert sind" in text
    assert "Protokolldatei" in text
