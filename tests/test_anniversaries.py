"""Members' founding dates and round anniversaries (issue 16 part 8): the rule, the service, the exchange
format, the CSV import column, the PDF read back and `print anniversaries` on both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.units import mm

from geschaeftsstelle import exchange, member_import, members
from geschaeftsstelle.cli import main
from geschaeftsstelle.documents import anniversaries, page
from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.store.database import Database
from tests import document_strategies as ds
from tests.test_documents_properties import (
    PAGE_H,
    PAGE_W,
    PROPERTY,
    assert_appears,
    assert_on_sheet,
    flow,
    read_pdf,
)

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "geschaeftsstelle" / "schema" / "exchange-v1.schema.json").read_text("utf-8")
)
ROUND = (10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100, 125, 150, 175, 200)


def test_round_anniversaries_are_the_usual_jubilees() -> None:
    assert [n for n in range(0, 201) if members.is_round_anniversary(n)] == list(ROUND)


def test_29_february_is_kept_on_28_february_in_other_years() -> None:
    assert members.anniversary_day(dt.date(1996, 2, 29), 2026) == dt.date(2026, 2, 28)
    assert members.anniversary_day(dt.date(1996, 2, 29), 2028) == dt.date(2028, 2, 29)


def add(db: Database, name: str, founded_on: dt.date | None, **more: object) -> int:
    return members.save_member(db, members.MemberInput(name=name, founded_on=founded_on, **more))  # type: ignore[arg-type]


def test_anniversaries_of_a_year(db: Database) -> None:
    add(db, "Lebenshilfe <Weimar> & Co", dt.date(1977, 9, 3), city="Weimar")
    add(db, "Caritas", dt.date(1877, 1, 15))  # 150 years
    add(db, "AWO", dt.date(2001, 5, 1))  # 26 years: not round
    add(db, "Früher dabei", dt.date(1987, 3, 1), joined_on=dt.date(1990, 1, 1), left_on=dt.date(2027, 2, 1))
    add(db, "Geht im Herbst", dt.date(1987, 3, 1), joined_on=dt.date(1990, 1, 1), left_on=dt.date(2027, 10, 1))
    add(db, "Ohne Datum", None)
    rows = members.anniversaries(db, 2027)
    assert [(a.name, a.years, a.day) for a in rows] == [
        ("Caritas", 150, dt.date(2027, 1, 15)),
        ("Geht im Herbst", 40, dt.date(2027, 3, 1)),
        ("Lebenshilfe <Weimar> & Co", 50, dt.date(2027, 9, 3)),
    ]


def test_a_founding_date_in_the_future_is_refused_with_its_field(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        add(db, "Zukunft e. V.", dt.date.today() + dt.timedelta(days=1))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("founded_on", "Das Gründungsdatum liegt in der Zukunft.")
    ]


def test_founding_date_is_saved_and_read_back(db: Database) -> None:
    member_id = add(db, "Alt e. V.", dt.date(1848, 3, 18))
    assert members.get_member(db, member_id).founded_on == dt.date(1848, 3, 18)


def test_exchange_round_trip_keeps_the_founding_date_byte_for_byte(db: Database, tmp_path: Path) -> None:
    from geschaeftsstelle.store.opening import open_database

    add(db, "Alt e. V.", dt.date(1848, 3, 18))
    add(db, "Ohne Datum", None)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    exchange.export_file(db, first)
    data = json.loads(first.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [m.get("founded_on") for m in data["members"]] == ["1848-03-18", None]
    other = open_database(tmp_path / "other.sqlite")
    exchange.import_file(other, first)
    exchange.export_file(other, second)
    other.dispose()
    assert first.read_bytes() == second.read_bytes()


def test_an_older_file_without_founding_dates_still_imports(db: Database) -> None:
    data = {"format": "geschaeftsstelle", "version": 1, "office": {"name": "Kreisgruppe"},
            "members": [{"id": "m1", "name": "Ohne Feld"}]}  # fmt: skip
    exchange.import_office(db, data)
    (row,) = members.list_members(db)
    assert members.get_member(db, row.id).founded_on is None


def test_exchange_refuses_a_bad_founding_date(db: Database) -> None:
    data = {"format": "geschaeftsstelle", "version": 1, "office": {"name": "Kreisgruppe"},
            "members": [{"id": "m1", "name": "X", "founded_on": "1999-02-30"}]}  # fmt: skip
    with pytest.raises(exchange.ExchangeError, match=r"members\[0\]\.founded_on"):
        exchange.import_office(db, data)


def test_csv_import_reads_the_column_gruendungsdatum(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Name;Ort;Gründungsdatum\nVerein A;Jena;03.10.1990\nVerein B;Gera;kein Datum\n", "utf-8-sig")
    table = member_import.read_table(path)
    mapping = member_import.auto_mapping(table.headers)
    assert "founded_on" in mapping.values()
    checks = member_import.check_rows(db, table, mapping)
    assert checks[0].ok
    assert checks[1].problems == ["Gründungsdatum: „kein Datum“ ist kein Datum (TT.MM.JJJJ)."]
    member_import.import_rows(db, [c for c in checks if c.ok])
    (row,) = members.list_members(db)
    assert members.get_member(db, row.id).founded_on == dt.date(1990, 10, 3)


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def test_pdf_lists_the_anniversaries_in_their_columns(db: Database, tmp_path: Path) -> None:
    add(db, "Lebenshilfe <b>Weimar</b> & Co", dt.date(1977, 9, 3), city="Weimar")
    add(db, "Caritas", dt.date(1877, 1, 15), city="Erfurt")
    out = tmp_path / "jubilaeen.pdf"
    assert anniversaries.anniversary_list(db, 2027, out) == 1
    text = text_of(out)
    assert "Jubiläen unserer Mitglieder 2027" in text
    assert "15.01. Caritas Erfurt 150 Jahre" in text
    assert "03.09. Lebenshilfe <b>Weimar</b> & Co Weimar 50 Jahre" in text
    assert "gegr. 15.01.1877" in text
    with pdfplumber.open(out) as pdf:
        found = {w["text"]: w for w in pdf.pages[0].extract_words()}
    assert found["Caritas"]["top"] < found["Lebenshilfe"]["top"]  # in the order of the year
    assert found["Caritas"]["x0"] < found["Erfurt"]["x0"] < found["150"]["x0"]  # Mitglied, Ort, Jubiläum


def test_pdf_says_so_when_no_member_has_a_jubilee(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "leer.pdf"
    anniversaries.anniversary_list(db, 2027, out)
    assert "Im Jahr 2027 hat kein Mitglied ein rundes Jubiläum" in text_of(out)


@PROPERTY
@given(people=st.lists(st.tuples(ds.text(300, required=True), ds.text(100)), min_size=1, max_size=30))
def test_no_name_or_place_is_lost(tmp_path: Path, people: list[tuple[str, str]]) -> None:
    """Empty and maximal names and places (markup, scripts, one long word, several lines) print whole, over
    as many pages as they need, inside the sheet."""
    from geschaeftsstelle.store.models import Office
    from geschaeftsstelle.store.records import clean_text

    rows = [members.Anniversary(i, clean_text(name), clean_text(city), dt.date(1927, 1, 1), dt.date(2027, 1, 1), 100)
            for i, (name, city) in enumerate(people)]  # fmt: skip
    out = tmp_path / "lang.pdf"
    pages = anniversaries.render_anniversaries(out, Office(name="Kreisgruppe"), 2027, rows)
    sheets = read_pdf(out)
    assert len(sheets) == pages
    text = "\n".join(flow(p.within(0, 30 * mm, PAGE_W, PAGE_H - page.FOOTER_H)) for p in sheets)
    for a in rows:
        assert_appears(a.name, text, "Jubiläen: Name", hyphenated=True)
        assert_appears(a.city, text, "Jubiläen: Ort", hyphenated=True)
    for i, sheet in enumerate(sheets):
        assert_on_sheet(sheet, f"Jubiläen, Seite {i + 1}")


def test_print_anniversaries_on_the_command_line(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(db, "Caritas", dt.date(1877, 1, 15))
    out = tmp_path / "j.pdf"
    assert main(["--db", db_url, "print", "anniversaries", "--year", "2027", "--out", str(out)]) == 0
    assert "geschrieben (1 Seiten)" in capsys.readouterr().out
    assert "150 Jahre" in text_of(out)
    assert main(["--db", db_url, "print", "anniversaries", "--out", str(out)]) == 1
    assert "Für „print anniversaries“ fehlt --year JAHR." in capsys.readouterr().err
