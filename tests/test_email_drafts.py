"""E-mail drafts: one per invitee with personal greeting, or one with everyone in BCC; X-Unsent; PDF attached."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

import pytest

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.documents import email_drafts
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Meeting, Office


def _setup(db: Database) -> int:
    with db.transaction() as s:
        s.add(Office(id=1, name="Kreisgruppe", street="", postal_code="", city="", email="kg@example.org",
                     signatory="Andrea Lindner", signatory_role="Regionalleiterin"))  # fmt: skip
        people = [
            Contact(salutation="Frau", title="Dr.", first_name="Eva", last_name="Weiß", email="eva@example.org"),
            Contact(salutation="", first_name="Kim", last_name="Lange", email="kim@example.org"),
            Contact(salutation="Herr", first_name="Ohne", last_name="Mail"),
        ]
        m = Meeting(title="Sitzung", starts_at=dt.datetime(2030, 5, 6, 14), ends_at=dt.datetime(2030, 5, 6, 16),
                    registration_deadline=dt.date(2030, 4, 29))  # fmt: skip
        s.add_all([*people, m])
        s.flush()
        ids = [c.id for c in people]
        meeting_id = m.id
    inv.invite_contacts(db, meeting_id, ids)
    return meeting_id


def _read(path: Path):  # type: ignore[no-untyped-def]
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_one_draft_per_invitee_with_attachment(db: Database, tmp_path: Path) -> None:
    meeting_id = _setup(db)
    files = email_drafts.write_drafts(db, meeting_id, tmp_path, attachment=b"%PDF-1.4 test")
    assert len(files) == 2
    msgs = {str(_read(p)["To"]): _read(p) for p in files}
    eva = next(m for to, m in msgs.items() if "eva@" in to)
    assert "Dr. Eva Weiß" in str(eva["To"])
    assert eva["X-Unsent"] == "1"
    assert eva["Subject"] == "Einladung: Sitzung am 06.05.2030"
    body = eva.get_body(("plain",)).get_content()
    assert body.startswith("Sehr geehrte Frau Dr. Weiß,")
    assert "Termin: 06.05.2030, 14:00–16:00 Uhr" in body
    assert "bis zum 29.04.2030" in body
    assert "Andrea Lindner" in body
    attachments = list(eva.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Einladung.pdf"]
    assert attachments[0].get_content() == b"%PDF-1.4 test"
    kim = next(m for to, m in msgs.items() if "kim@" in to)
    assert kim.get_body(("plain",)).get_content().startswith("Guten Tag Kim Lange,")


def test_bcc_draft_and_clipboard_list(db: Database, tmp_path: Path) -> None:
    meeting_id = _setup(db)
    [path] = email_drafts.write_drafts(db, meeting_id, tmp_path, bcc=True)
    msg = _read(path)
    assert "eva@example.org" in msg["Bcc"]
    assert "kim@example.org" in msg["Bcc"]
    assert "kg@example.org" in msg["To"]
    assert msg["X-Unsent"] == "1"
    assert email_drafts.address_list(db, meeting_id).count("@") == 2
    with pytest.raises(UserError, match="E-Mail-Adresse"):
        email_drafts.write_drafts(db, meeting_id, tmp_path, invitation_ids=[-1])


def test_personal_letter_attached(db: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    meeting_id = _setup(db)
    files = email_drafts.write_drafts(db, meeting_id, tmp_path, personal_letters=True)
    texts = {}
    for path in files:
        msg = _read(path)
        [pdf] = list(msg.iter_attachments())
        reader = PdfReader(BytesIO(pdf.get_content()))
        texts[str(msg["To"])] = reader.pages[0].extract_text()
    eva = next(text for to, text in texts.items() if "eva@" in to)
    assert "Weiß" in eva
    assert "Lange" not in eva
