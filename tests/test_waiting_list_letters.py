"""The waiting list's letters and e-mail drafts, read back: „Platz frei“ to those who moved up, „Warteliste
(Platz N)“ to those waiting; on both databases."""

from __future__ import annotations

import email
from email.policy import default
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.documents import waiting_list_letters as letters
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office, Response
from tests.test_invitations import make_office


def _office(db: Database) -> None:
    with db.transaction() as s:
        s.add(Office(id=1, name="Kreisgruppe Weimarer Land", street="Markt 1", postal_code="99423",
                     city="Weimar", email="info@example.org", signatory="Petra Schulz",
                     signatory_role="Geschäftsführerin"))  # fmt: skip


def _text(pdf: bytes) -> str:
    with pdfplumber.open(BytesIO(pdf)) as doc:
        return " ".join(" ".join(page.extract_text() or "" for page in doc.pages).split())  # lines joined


def _full_meeting(db: Database) -> tuple[dict[str, int], list[int]]:
    """Capacity 1: Anna accepts, Bernd (2 persons) and Carla wait; Anna declines, so Bernd … waits still."""
    ids = make_office(db, capacity=2)
    _office(db)
    inv.invite_contacts(db, ids["meeting"], [ids["anna"], ids["bernd"], ids["carla"]])
    rows = {r.name: r for r in inv.load_board(db, ids["meeting"]).rows}
    inv.record_reply(db, rows["Anna Apel"].id, rows["Anna Apel"].version, inv.ReplyInput(Response.ACCEPTED.value, 2))
    inv.record_reply(db, rows["Bernd Bauer"].id, rows["Bernd Bauer"].version,
                     inv.ReplyInput(Response.ACCEPTED.value, 2))  # fmt: skip
    inv.set_response(db, rows["Carla Christ"], Response.ACCEPTED.value)
    moved: list[int] = []
    anna = inv.load_row(db, rows["Anna Apel"].id)
    inv.set_response(db, anna, Response.DECLINED.value, moved_up=moved)
    return ids, moved


def test_place_letter_tells_the_moved_up_person_and_the_waiting_their_place(db: Database, tmp_path: Path) -> None:
    ids, moved = _full_meeting(db)
    assert len(moved) == 1
    out = BytesIO()
    assert letters.waiting_list_letters(db, ids["meeting"], moved, out) == 1
    text = _text(out.getvalue())
    assert "Ihr Platz: Kreisgruppensitzung am 12.03.2030" in text
    assert "Sehr geehrter Herr Bauer," not in text  # make_office's contacts are all „Frau“
    assert "Sehr geehrte Frau Bauer," in text
    assert "ist ein Platz frei geworden" in text
    assert "haben jetzt einen Platz für 2 Personen" in text
    assert "Petra Schulz" in text

    waiting = [r.id for r in inv.waiting_list(inv.load_board(db, ids["meeting"]).rows)]
    out = BytesIO()
    letters.waiting_list_letters(db, ids["meeting"], waiting, out, kind=letters.WAITING)
    text = _text(out.getvalue())
    assert "Warteliste: Kreisgruppensitzung" in text
    assert "Sehr geehrte Frau Christ," in text
    assert "auf die Warteliste gesetzt (Platz 1)" in text

    drafts = letters.write_email_drafts(db, ids["meeting"], moved, tmp_path)
    assert len(drafts) == 1
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=default)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "Bernd Bauer <bernd@example.org>"
    body = msg.get_body().get_content()  # type: ignore[union-attr]  # a text draft has a body
    assert "haben jetzt einen Platz für 2 Personen" in body
    assert "Mit freundlichen Grüßen" in body


def test_no_letter_for_someone_not_on_the_list(db: Database) -> None:
    ids, moved = _full_meeting(db)
    with pytest.raises(UserError, match="auf der Warteliste"):
        letters.waiting_list_letters(db, ids["meeting"], moved, BytesIO(), kind=letters.WAITING)
    with pytest.raises(UserError, match="Warteliste-Brief „x“"):
        letters.waiting_list_letters(db, ids["meeting"], moved, BytesIO(), kind="x")


def test_an_empty_field_drops_its_optional_block() -> None:
    assert letters.fill("A[[ (Ort: {ort})]].\n\nB {x}", {"ort": "", "x": "1"}) == ["A.", "B 1"]
    assert letters.fill("A[[ (Ort: {ort})]].", {"ort": "Weimar"}) == ["A (Ort: Weimar)."]
