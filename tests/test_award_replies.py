"""Award round replies (issue 16.7): nominee addresses, the decision's letters read back, consent by code."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geschaeftsstelle import awards, letter_templates, members, reply_codes
from geschaeftsstelle.awards import AwardInput, NominationInput
from geschaeftsstelle.documents import award_documents, award_letters
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.meetings import MeetingInput, save_meeting
from geschaeftsstelle.office import OfficeInput, save_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind

ROOT = Path(__file__).parent.parent


def texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


@pytest.fixture
def round_(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["verein"] = members.save_member(
        db, members.MemberInput(name="Tafel Jena e. V.", street="Markt 1", postal_code="07743", city="Jena")
    )
    ids["jan"] = members.save_contact(
        db,
        members.ContactInput(member_id=ids["verein"], salutation="Herr", first_name="Jan", last_name="Tafel",
                             email="jan@tafel.example", is_primary=True),
    )  # fmt: skip
    ids["petra"] = members.save_contact(
        db, members.ContactInput(salutation="Frau", first_name="Petra", last_name="Vorschlag", street="Weg 2",
                                 postal_code="99423", city="Weimar")
    )  # fmt: skip
    ids["fest"] = save_meeting(
        db,
        MeetingInput(title="Sommerfest", starts_at=dt.datetime(2026, 6, 19, 15), ends_at=dt.datetime(2026, 6, 19, 18)),
    )
    ids["award"] = awards.save_award(
        db, AwardInput(year=2026, title="Ehrenamtspreis 2026", ceremony_id=ids["fest"])
    )
    ids["erika"], _ = awards.save_nomination(
        db,
        NominationInput(ids["award"], "Erika Sommer", nominated_by_id=ids["petra"], justification="Kleiderkammer.",
                        consent_publication=False, address_salutation="Frau", address_first_name="Erika",
                        address_last_name="Sommer", address_street="Lindenweg 4", address_postal_code="99425",
                        address_city="Weimar", address_email="erika@example.org"),
    )  # fmt: skip
    ids["lesepaten"], _ = awards.save_nomination(
        db,
        NominationInput(ids["award"], "Lesepaten", nominee_is_group=True, nominee_contact_id=ids["jan"],
                        nominated_by_id=ids["petra"], justification="Lesen vor.", consent_publication=True),
    )  # fmt: skip
    ids["ohne"], _ = awards.save_nomination(
        db, NominationInput(ids["award"], "Max Ohneanschrift", nominated_by_id=ids["jan"], justification="x")
    )
    return ids


def _decide(db: Database, ids: dict[str, int], winners: list[str]) -> None:
    award = awards.get_award(db, ids["award"])
    for n in award.nominations:  # onto the shortlist, so that the others become "not awarded"
        version = n.version
        for status in ("complete", "shortlisted"):
            awards.set_status(db, n.id, status, version=version)
            version = awards.get_nomination(db, n.id).version
    award = awards.get_award(db, ids["award"])
    awards.decide(db, award.id, [ids[w] for w in winners], version=award.version)


def test_every_nomination_gets_a_valid_unique_code(db: Database, round_: dict[str, int]) -> None:
    codes = [n.reply_code for n in awards.get_award(db, round_["award"]).nominations]
    assert all(c is not None for c in codes)
    assert all(reply_codes.check(c) == c for c in codes)
    assert len(set(codes)) == len(codes)
    n = awards.get_nomination(db, round_["erika"])
    awards.save_nomination(db, NominationInput(n.award_id, "Erika Sommer", id=n.id, version=n.version,
                                               justification="neu"))  # fmt: skip
    assert awards.get_nomination(db, n.id).reply_code == n.reply_code  # a change keeps the code


def test_address_inputs_are_checked_with_german_field_messages(db: Database, round_: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as info:
        awards.save_nomination(
            db,
            NominationInput(round_["award"], "X", address_email="kein-at", address_postal_code="123",
                            address_city="Jena", address_street="S" * 201, address_salutation="Dr"),
        )  # fmt: skip
    fields = {e.field: e.message for e in info.value.errors}
    assert "ungültig" in fields["address_email"]
    assert "fünf Ziffern" in fields["address_postal_code"]
    assert "Die Straße in der Anschrift" in fields["address_street"]
    assert "Anrede" in fields["address_salutation"]
    with pytest.raises(ValidationError, match="Anschrift gibt es nicht"):
        awards.save_nomination(db, NominationInput(round_["award"], "X", nominee_contact_id=999_999))


def test_decision_letters_read_back(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    _decide(db, round_, ["erika", "lesepaten"])
    out = tmp_path / "alle.pdf"
    pages, missing = award_letters.reply_letters(db, 2026, out)
    assert missing == []
    joined = " ".join(texts(out))
    # winner letters: to the free address and to the chosen contact (with its member's address)
    assert "Frau Erika Sommer Lindenweg 4 99425 Weimar" in joined
    assert "Sehr geehrte Frau Sommer," in joined
    assert "Tafel Jena e. V. Herrn Jan Tafel Markt 1 07743 Jena" in joined
    assert joined.count("Herzlichen Glückwunsch") == 2
    assert "den Preis am 19.06.2026 um 15:00 Uhr beim Sommerfest entgegenzunehmen" in joined
    # thank-you to the nominator of the nomination not chosen
    assert "herzlichen Dank für Ihren Vorschlag, Max Ohneanschrift für den Ehrenamtspreis 2026" in joined
    assert "Sehr geehrter Herr Tafel," in joined
    # consent request only to Erika (Lesepaten consented), with her code and its QR code
    code = reply_codes.printed(awards.get_nomination(db, round_["erika"]).reply_code or "")
    consent = [p for p in texts(out) if "Einverständnis zur Veröffentlichung" in p and "Rückantwort" in p]
    assert len(consent) == 1
    assert code in consent[0]
    assert "Ihren Code" in consent[0]
    with pdfplumber.open(out) as pdf:
        page = next(p for p in pdf.pages if "Rückantwort" in (p.extract_text() or ""))
        assert len(page.rects) > 100  # the QR code's modules
    assert pages >= 5
    assert "{" not in joined
    assert "[[" not in joined  # no placeholder ever printed


def test_missing_address_is_named_not_dropped_silently(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    _decide(db, round_, ["ohne"])
    _pages, missing = award_letters.reply_letters(db, 2026, tmp_path / "x.pdf", kinds=("winner", "consent"))
    assert missing == ["Für „Max Ohneanschrift“ fehlt eine Anschrift (Nominierung bearbeiten → Anschrift)."]


def test_sentences_only_from_filled_fields(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    award = awards.get_award(db, round_["award"])
    awards.save_award(db, AwardInput(year=2026, title="Ehrenamtspreis 2026", id=award.id, version=award.version))
    _decide(db, round_, ["lesepaten"])
    out = tmp_path / "w.pdf"
    award_letters.reply_letters(db, 2026, out, kinds=("winner",))
    joined = " ".join(texts(out))
    assert "Den Termin der Preisverleihung teilen wir Ihnen rechtzeitig mit." in joined
    assert " am  um " not in joined
    assert "beim ." not in joined
    assert "Bescheid, wer zur Verleihung kommt." in joined  # no fax and no e-mail of the office: no ways


def test_office_template_is_used(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    letter_templates.save_template(db, LetterKind.AWARD_THANKS, "{anrede}\n\nDanke für {name}!", None)
    _decide(db, round_, ["erika"])
    out = tmp_path / "t.pdf"
    award_letters.reply_letters(db, 2026, out, kinds=("thanks",))
    joined = " ".join(texts(out))
    assert "Danke für Lesepaten!" in joined
    assert "Danke für Max Ohneanschrift!" in joined


def test_email_drafts_only_where_an_address_exists(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    save_office(db, OfficeInput(name="Kreisgruppe", email="info@kreis.example", fax="03643 1234"))
    _decide(db, round_, ["erika", "lesepaten"])
    drafts = award_letters.write_drafts(db, 2026, tmp_path / "mails")
    bodies = [p.read_text("utf-8") for p in drafts]
    # Erika: winner + consent; Jan: winner letter of the Lesepaten and thanks for Max (Petra has no e-mail)
    assert len(drafts) == 4
    consent = next(b for b in bodies if "Einverst=C3=A4ndnis" in b or "Einverständnis" in b)
    assert "X-Unsent: 1" in consent
    assert "erika@example.org" in consent


def test_record_consent_by_code(db: Database, round_: dict[str, int]) -> None:
    n = awards.get_nomination(db, round_["erika"])
    assert n.reply_code is not None
    typed = reply_codes.printed(n.reply_code).lower().replace("-", " ")
    assert awards.record_consent(db, typed, True, version=n.version) == []
    after = awards.get_nomination(db, n.id)
    assert after.consent_publication
    with pytest.raises(ConflictError):
        awards.record_consent(db, n.reply_code, False, version=n.version)  # stale: another desk answered
    warnings = awards.record_consent(db, n.reply_code, False, version=after.version)
    assert not awards.get_nomination(db, n.id).consent_publication
    assert "Veröffentlichung" in warnings[0]


def test_wrong_or_unknown_code(db: Database, round_: dict[str, int]) -> None:
    code = awards.get_nomination(db, round_["erika"]).reply_code or ""
    swapped = code[1] + code[0] + code[2:]
    if swapped != code:
        with pytest.raises(UserError, match="Prüfzeichen falsch"):
            awards.nomination_by_code(db, swapped)
    unknown = next(c for c in reply_codes.new_codes(5) if c != code)
    with pytest.raises(UserError, match=f"Den Code „{reply_codes.printed(unknown)}“ gibt es nicht"):
        awards.record_consent(db, unknown, True, version=1)


@settings(max_examples=30, deadline=None)
@given(
    last=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
    org=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
    city=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
)
def test_free_address_addressee_is_one_line_fields(last: str, org: str, city: str) -> None:
    from geschaeftsstelle.store.models import Nomination

    n = Nomination(nominee="N", address_last_name=last, address_organisation=org, address_street="S 1",
                   address_city=city, address_salutation="", address_title="", address_first_name="",
                   address_postal_code="", address_country="", address_email="")  # fmt: skip
    a = awards.nominee_addressee(n)
    if not awards.has_free_address(n):
        assert a is None
    else:
        assert a is not None
        assert all("\n" not in line for line in a.address_lines())


def test_cli_print_letters_and_consent(db: Database, round_: dict[str, int], tmp_path: Path) -> None:
    _decide(db, round_, ["erika", "ohne"])
    url = db.url.render_as_string(hide_password=False)
    out = tmp_path / "c.pdf"
    run = [sys.executable, str(ROOT / "main.py"), "--db", url]
    done = subprocess.run([*run, "print", "award-letters", "--award", "2026", "--letters", "consent", "--out",
                           str(out)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Max Ohneanschrift" in done.stderr  # no address: named, not silently dropped
    assert len(texts(out)) == 1
    code = awards.get_nomination(db, round_["erika"]).reply_code or ""
    done = subprocess.run([*run, "award-consent", "--code", reply_codes.printed(code), "--yes"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Erika Sommer" in done.stdout
    assert awards.get_nomination(db, round_["erika"]).consent_publication
    bad = subprocess.run([*run, "award-consent", "--code", "AAAAAA", "--no"], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert bad.returncode == 1
    assert "gibt es nicht" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_old_award_letters_still_go_to_winners_and_their_nominators(
    db: Database, round_: dict[str, int], tmp_path: Path
) -> None:
    _decide(db, round_, ["erika"])
    out = tmp_path / "b.pdf"
    award_documents.award_letters(db, 2026, out)
    joined = " ".join(texts(out))
    assert "Ehrenamtspreis: Herzlichen Glückwunsch, Erika Sommer" in joined
    assert "Ihr Vorschlag für den Ehrenamtspreis 2026" in joined  # Petra, the nominator
