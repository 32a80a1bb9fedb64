"""Search folds accents and their spelled-out forms alike: "Mueller", "Muller" and "Müller" find each other,
"Strasse" finds "Straße"; the stored search texts are rebuilt by migration 0013 (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from geschaeftsstelle import demo, members
from geschaeftsstelle import invitations as inv
from geschaeftsstelle.search import matches, search_fold, search_text
from geschaeftsstelle.store.database import Database, create_db_engine
from geschaeftsstelle.store.migrate import alembic_config, current_revision, head_revision
from geschaeftsstelle.store.models import Contact, Member
from geschaeftsstelle.store.opening import open_database
from tests.gui_helpers import type_text
from ui.meetings.speaker_picker import SpeakerPicker

FIXTURE_0012 = Path(__file__).parent / "fixtures" / "schema" / "0012.sqlite"

#: Each letter and the ways people type it.
_SPELLINGS = {"ä": ["ä", "ae", "a", "Ä"], "ö": ["ö", "oe", "o"], "ü": ["ü", "ue", "u", "Ü"], "ß": ["ß", "ss"]}
_PLAIN = "abdeiklmnorstuvwyz -"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Mueller", "Müller"),
        ("Muller", "Müller"),
        ("müller", "Mueller"),
        ("MÜLLER", "Muller"),
        ("Strasse", "Straße"),
        ("straße", "Strasse"),
        ("Goethe", "Göthe"),
        ("Schroeder", "Schröder"),
        ("Baer", "Bär"),
        ("Michael", "Michael"),
        ("Joel", "Joel"),
        ("Samuel", "Samuel"),
        ("Rafael", "Rafael"),
        ("Löcherbach", "Dr. Anna Löcherbach"),
        ("loecherb", "Dr. Anna Löcherbach"),
        ("cherbach", "Dr. Anna Löcherbach"),  # anywhere in the text, not only at the start
        ("weimar camsin", "Camsin e. V. | Weimar"),
    ],
)
def test_query_finds_name(query: str, name: str) -> None:
    assert matches(search_text([name]), query)


@pytest.mark.parametrize(("query", "name"), [("Müller", "Miller"), ("Strasse", "Strase"), ("Joel", "Jule")])
def test_query_does_not_find_other_names(query: str, name: str) -> None:
    assert not matches(search_text([name]), query)


@given(st.text())
def test_folding_is_idempotent(text_: str) -> None:
    once = search_fold(text_)
    assert search_fold(once) == once


@st.composite
def _name_and_spelling(draw: st.DrawFn) -> tuple[str, str]:
    """A name made of plain letters and umlauts/ß, and the same name with each of those typed some other way."""
    pieces = draw(st.lists(st.sampled_from([*_PLAIN, *_SPELLINGS]), min_size=1, max_size=16))
    name = "".join(pieces)
    spelled = "".join(draw(st.sampled_from(_SPELLINGS[p])) if p in _SPELLINGS else p for p in pieces)
    return name, spelled


@given(_name_and_spelling(), st.booleans())
def test_any_name_finds_itself_by_any_of_its_spellings(pair: tuple[str, str], upper: bool) -> None:
    name, spelled = pair
    query = spelled.upper() if upper else spelled
    assert matches(search_text([name]), query)
    assert matches(search_text([spelled]), name)  # and the other way round: stored "Mueller", typed "Müller"


@given(st.text(min_size=1), st.text(min_size=1))
def test_name_finds_itself_among_other_parts(name: str, other: str) -> None:
    assert matches(search_text([other, name]), name)


def test_stored_search_text_uses_the_search_folding(db: Database) -> None:
    with db.transaction() as s:
        m = Member(name="Bürgerverein Straße der Einheit", city="Gößnitz", street="", postal_code="", notes="")
        m.contacts.append(Contact(first_name="Michael", last_name="Mueller", is_primary=True))
        s.add(m)
        s.flush()
        members.refresh_member_search(m)
        for c in m.contacts:
            members.refresh_contact_search(c)
    rows = members.list_members(db)
    for query in ("Buergerverein", "Strasse", "Goessnitz", "Müller", "Michael", "michae"):
        assert any(matches(r.search_text, query) for r in rows), query
    assert any(matches(r.search_text, "Mueller Michael") for r in members.list_contacts(db))


def _alembic(db: Database, action: str, revision: str) -> None:
    cfg = alembic_config()
    engine = create_db_engine(db.url, foreign_keys=False) if db.is_sqlite else db.engine
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, revision)
    finally:
        if engine is not db.engine:
            engine.dispose()


def _stored(db: Database) -> dict[str, dict[int, str]]:
    with db.read() as s:
        return {t: dict(s.execute(text(f"SELECT id, search_text FROM {t}")).all()) for t in ("members", "contacts")}


def _recomputed(db: Database) -> dict[str, dict[int, str]]:
    """What the services write today, computed from the records themselves."""
    with db.read() as s:
        ms = s.scalars(select(Member)).all()
        cs = s.scalars(select(Contact)).all()
        result: dict[str, dict[int, str]] = {"members": {}, "contacts": {}}
        for m in ms:
            members.refresh_member_search(m)
            result["members"][m.id] = m.search_text
        for c in cs:
            members.refresh_contact_search(c)
            result["contacts"][c.id] = c.search_text
        s.rollback()
    return result


def test_migration_0013_rebuilds_the_search_text_of_the_0012_fixture(tmp_path: Path) -> None:
    path = tmp_path / "0012.sqlite"
    shutil.copyfile(FIXTURE_0012, path)
    db = open_database(path, migrate=False)
    assert current_revision(db) == "0012"
    before = _stored(db)
    db.dispose()
    db = open_database(path)
    try:
        assert current_revision(db) == head_revision()
        after = _stored(db)
        assert after == _recomputed(db)
        changed = [i for i in after["members"] if after["members"][i] != before["members"][i]]
        assert changed, "the demo office has names with ö/ü, folded the old way before"
        with db.read() as s:
            names: dict[int, str] = dict(s.execute(text("SELECT id, name FROM members")).all())
        assert all(matches(after["members"][i], name) for i, name in names.items())
        lost = [name for i, name in names.items() if not matches(before["members"][i], name)]
        assert "Frauenzentrum Weimar e. V." in lost  # the old text was not found by its own name any more
    finally:
        db.dispose()


def test_migration_0013_down_and_up_on_both_databases(db: Database) -> None:
    demo.load_demo(db, dt.date(2026, 11, 23))
    with db.transaction() as s:  # more rows than one batch of the migration
        for i in range(1100):
            s.add(Contact(first_name="Joël", last_name=f"Kühn {i}", organisation="Straßenbau", is_primary=False))
    with db.transaction() as s:
        for c in s.scalars(select(Contact).where(Contact.organisation == "Straßenbau")):
            members.refresh_contact_search(c)
    now = _stored(db)
    assert now == _recomputed(db)
    _alembic(db, "downgrade", "0012")
    old = _stored(db)
    assert any("kuhn" in t and "joel" in t for t in old["contacts"].values())  # accent-only, as 0012 kept it
    assert old != now
    _alembic(db, "upgrade", "0013")
    assert _stored(db) == now


# --------------------------------------------------------------------------- the speaker picker, by keyboard


@pytest.fixture
def picker_contacts(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        people = {
            "loecherbach": Contact(first_name="Anna", last_name="Löcherbach", organisation="Stadtbibliothek"),
            "loechner": Contact(first_name="Lothar", last_name="Löchner", organisation="Volkshochschule"),
            "mueller": Contact(first_name="Stefan", last_name="Müller", organisation="Caritas"),
            "michael": Contact(first_name="Michael", last_name="Braun", organisation="Straßenbahnverein"),
        }
        s.add_all(people.values())
        s.flush()
        return {key: c.id for key, c in people.items()}


def _picker(qtbot: QtBot, db: Database, taken: list[int] | None = None) -> SpeakerPicker:
    picker = SpeakerPicker(dict(inv.contact_choices(db)), taken or [])
    qtbot.addWidget(picker)
    picker.show()
    return picker


@pytest.mark.parametrize(
    ("typed", "who"),
    [("Löcherbach", "loecherbach"), ("loecherbach", "loecherbach"), ("cherbach", "loecherbach"),
     ("Mueller", "mueller"), ("muller caritas", "mueller"), ("Michael", "michael"), ("strassenbahn", "michael")],
)  # fmt: skip
def test_picker_enter_takes_the_one_contact_that_matches_anywhere(
    qtbot: QtBot, db: Database, picker_contacts: dict[str, int], typed: str, who: str
) -> None:
    picker = _picker(qtbot, db)
    type_text(qtbot, picker.search, typed)
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted
    assert picker.chosen == picker_contacts[who]


def test_picker_arrow_down_and_enter_take_the_highlighted_contact(
    qtbot: QtBot, db: Database, picker_contacts: dict[str, int]
) -> None:
    picker = _picker(qtbot, db)
    type_text(qtbot, picker.search, "Löc")
    assert [i.text() for i in picker.visible_items()] == [
        "Anna Löcherbach – Stadtbibliothek", "Lothar Löchner – Volkshochschule",
    ]  # fmt: skip
    QTest.keyClick(picker.search, Qt.Key.Key_Return)  # two match, none highlighted: says so, takes no one
    assert picker.chosen is None
    assert picker.isVisible()
    assert picker.message.text() == "2 Kontakte passen zu „Löc“: bitte mit ↓ einen auswählen."
    QTest.keyClick(picker.search, Qt.Key.Key_Down)
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen == picker_contacts["loecherbach"]

    second = _picker(qtbot, db)
    type_text(qtbot, second.search, "Löc")
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Down):
        QTest.keyClick(second.search, key)
    QTest.keyClick(second.search, Qt.Key.Key_Enter)
    assert second.chosen == picker_contacts["loechner"]


def test_picker_says_in_german_when_nothing_matches_or_already_taken(
    qtbot: QtBot, db: Database, picker_contacts: dict[str, int]
) -> None:
    picker = _picker(qtbot, db, taken=[picker_contacts["mueller"]])
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.message.text() == "Bitte im Feld Suche einen Namen eingeben."
    type_text(qtbot, picker.search, "Xaver Unbekannt")
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible()
    assert picker.chosen is None
    assert picker.message.text() == (
        "Kein Kontakt passt zu „Xaver Unbekannt“: bitte den Namen prüfen oder den Kontakt anlegen."
    )
    picker.search.clear()
    assert picker.message.text() == ""
    type_text(qtbot, picker.search, "Mueller")
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen is None
    assert picker.message.text() == "Stefan Müller – Caritas ist schon als Referent/in eingetragen."
    QTest.keyClick(picker.search, Qt.Key.Key_Escape)
    assert picker.result() == QDialog.DialogCode.Rejected
