"""Letter templates: fields, optional blocks with alternatives, problems with their line, storage per database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geschaeftsstelle import letter_templates as lt
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind

INV = LetterKind.INVITATION


def test_field_and_block_filled() -> None:
    text = "Hallo {titel}.\n\n[[Thema: {thema}]]\n\n[[Ort: {ort}.||Der Ort wird noch bekannt gegeben.]]"
    assert lt.fill(text, INV, {"titel": "Sitzung", "thema": "Haushalt", "ort": "Rathaus"}) == [
        "Hallo Sitzung.",
        "Thema: Haushalt",
        "Ort: Rathaus.",
    ]


def test_empty_fields_leave_out_block_or_take_alternative() -> None:
    text = "A {titel}\n\n[[Thema: {thema}]]\n\n[[Ort: {ort}.||Der Ort wird noch bekannt gegeben.]]"
    assert lt.fill(text, INV, {"titel": "x", "thema": "", "ort": ""}) == ["A x", "Der Ort wird noch bekannt gegeben."]


def test_nested_block_depends_only_on_its_own_fields() -> None:
    text = "[[Bitte melden Sie sich [[bis zum {anmeldeschluss} ]]an – {rueckmeldewege}.]]"
    values = {"anmeldeschluss": "", "rueckmeldewege": "per E-Mail an a@b.de"}
    assert lt.fill(text, INV, values) == ["Bitte melden Sie sich an – per E-Mail an a@b.de."]
    assert lt.fill(text, INV, {**values, "anmeldeschluss": "29.05.2015"}) == [
        "Bitte melden Sie sich bis zum 29.05.2015 an – per E-Mail an a@b.de."
    ]
    assert lt.fill(text, INV, {**values, "rueckmeldewege": ""}) == []


def test_no_double_full_stop_after_a_value_ending_in_one() -> None:
    assert lt.fill("[[Ort: {ort}.]]", INV, {"ort": "Camsin e. V."}) == ["Ort: Camsin e. V."]


def test_literal_braces() -> None:
    assert lt.fill("{{nicht ersetzt}} {titel}", INV, {"titel": "T"}) == ["{nicht ersetzt} T"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Zeile eins\n\nHallo {tittel}", 3, "{tittel}"),
        ("a\n[[Thema: {thema}", 2, "nicht mit „]]“ geschlossen"),
        ("a\nb\nc]]", 3, "nicht geöffnet"),
        ("x || y", 1, "außerhalb eines Blocks"),
        ("[[a||b||c]]", 1, "nur eine Alternative"),
        ("Preis {in Euro", 1, "ohne Gegenstück"),
    ],
)
def test_problems_name_their_line(text: str, line: int, fragment: str) -> None:
    problems = lt.check(text, INV)
    assert problems, text
    assert problems[0].line == line
    assert fragment in problems[0].message


def test_each_kind_has_its_own_fields() -> None:
    assert lt.check("{aenderungen}", LetterKind.CHANGE) == []
    assert lt.check("{aenderungen}", LetterKind.INVITATION)[0].message.startswith("Den Platzhalter")


@pytest.mark.parametrize("kind", list(LetterKind))
def test_shipped_texts_are_valid(kind: LetterKind) -> None:
    assert lt.check(lt.default_text(kind), kind) == []


def test_store_reset_and_conflict(db: Database) -> None:
    info = lt.get_template(db, INV)
    assert info.is_default
    assert info.version is None
    version = lt.save_template(db, INV, "{anrede}\n\nLiebe Grüße zu {titel}.", None)
    stored = lt.get_template(db, INV)
    assert not stored.is_default
    assert stored.text.startswith("{anrede}")
    assert stored.version == version
    # A second desk that loaded the shipped text cannot overwrite silently.
    with pytest.raises(ConflictError):
        lt.save_template(db, INV, "{anrede}\n\nAnders.", None)
    with pytest.raises(ConflictError):
        lt.save_template(db, INV, "{anrede}\n\nAnders.", version + 5)
    assert lt.save_template(db, INV, "{anrede}\n\nNeu.", version) == version + 1
    lt.reset_template(db, INV, version=version + 1)
    assert lt.get_template(db, INV).is_default


def test_bad_template_is_refused_with_line_and_nothing_saved(db: Database) -> None:
    with pytest.raises(ValidationError, match=r"Zeile 3: Den Platzhalter \{ortt\} gibt es nicht"):
        lt.save_template(db, INV, "{anrede}\n\n{ortt}", None)
    assert lt.get_template(db, INV).is_default
    with pytest.raises(UserError):
        lt.get_template(db, "brief")


_WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="{}[]|"), max_size=30)


@settings(max_examples=80, deadline=None)
@given(values=st.dictionaries(st.sampled_from(sorted(lt.FIELDS[INV])), _WORD))
@pytest.mark.parametrize("kind", list(LetterKind))
def test_shipped_texts_never_print_template_syntax(kind: LetterKind, values: dict[str, str]) -> None:
    """Whatever is filled or empty, no brace, block bracket or alternative bar reaches the letter."""
    full = {name: values.get(name, "") for name in lt.FIELDS[kind]}
    for paragraph in lt.fill(lt.default_text(kind), kind, full):
        for syntax in ("{", "}", "[[", "]]", "||"):
            assert syntax not in paragraph
        assert paragraph == paragraph.strip()
