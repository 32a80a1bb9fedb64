"""The nomination dialog takes the nominee's address; the award page offers the decision's letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
from pytestqt.qtbot import QtBot

from geschaeftsstelle import awards, reply_codes
from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Award
from ui.awards import AwardsView
from ui.awards.nomination_dialog import NominationDialog
from ui.documents_menu import make_document


def _demo(db: Database) -> Award:
    load_demo(db, today=dt.date(2026, 11, 23))
    return awards.award_for_year(db, 2026)


def test_dialog_saves_a_typed_address_and_a_chosen_contact(qtbot: QtBot, db: Database) -> None:
    award = _demo(db)
    mehmet = next(n for n in award.nominations if n.nominee == "Mehmet Yılmaz")
    dialog = NominationDialog(db, award.id, mehmet.id)
    qtbot.addWidget(dialog)
    dialog.address_salutation.setCurrentIndex(dialog.address_salutation.findData("Herr"))
    for name, text in (("address_first_name", "Mehmet"), ("address_last_name", "Yılmaz"),
                       ("address_street", "Goetheplatz 3"), ("address_postal_code", "99423"),
                       ("address_city", "Weimar"), ("address_email", "mehmet@example.org")):  # fmt: skip
        dialog.address[name].setText(text)  # (QTest's keyClicks takes ASCII only)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    n = awards.get_nomination(db, mehmet.id)
    assert (n.address_salutation, n.address_last_name, n.address_city) == ("Herr", "Yılmaz", "Weimar")
    # a contact instead: the typed fields are then not editable, and the letter goes to the contact
    dialog = NominationDialog(db, award.id, mehmet.id)
    qtbot.addWidget(dialog)
    assert dialog.address["address_city"].text() == "Weimar"
    dialog.nominee_contact.setCurrentIndex(1)
    assert not dialog.address["address_city"].isEnabled()
    dialog.save()
    assert awards.get_nomination(db, mehmet.id).nominee_contact_id == dialog.nominee_contact.itemData(1)


def test_dialog_names_a_bad_address_field(qtbot: QtBot, sqlite_db: Database) -> None:
    award = _demo(sqlite_db)
    dialog = NominationDialog(sqlite_db, award.id, award.nominations[0].id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.address["address_email"], "kein at")  # type: ignore[no-untyped-call]  # pytest-qt
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "E-Mail-Adresse" in dialog.errors["address"].text()


def test_award_page_offers_the_decision_letters(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    award = _demo(db)
    view = AwardsView(db)
    qtbot.addWidget(view)
    before = {c.label for c in view.document_choices()}
    assert not any("Einverständnis" in label for label in before)  # nothing decided yet
    winners = [n.id for n in award.nominations if n.nominee in ("Erika Sommer", "Mehmet Yılmaz")]
    awards.decide(db, award.id, winners, version=award.version)
    view = AwardsView(db)
    qtbot.addWidget(view)
    choices = {c.label: c for c in view.document_choices()}
    out = tmp_path / "einverstaendnis.pdf"
    assert make_document(view, db, choices["Bitte um Einverständnis zur Veröffentlichung 2026"], {}, out)
    with pdfplumber.open(out) as pdf:
        text = " ".join(p.extract_text() or "" for p in pdf.pages)
    mehmet = next(n for n in awards.award_for_year(db, 2026).nominations if n.nominee == "Mehmet Yılmaz")
    assert reply_codes.printed(mehmet.reply_code) in text  # Mehmet gave no consent in the demo
    thanks = tmp_path / "dank.pdf"
    assert make_document(view, db, choices["Dank an Vorschlagende (nicht ausgewählt) 2026"], {}, thanks)
    with pdfplumber.open(thanks) as pdf:
        assert "herzlichen Dank für Ihren Vorschlag" in " ".join(p.extract_text() or "" for p in pdf.pages)
