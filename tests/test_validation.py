"""Field checks give German sentences naming the problem."""

from __future__ import annotations

import pytest

from geschaeftsstelle import validation as v
from geschaeftsstelle.search import fold, matches


@pytest.mark.parametrize("iban", ["DE82 8305 3030 0018 0092 20", "DE89370400440532013000", "at611904300234573201"])
def test_valid_iban(iban: str) -> None:
    assert v.check_iban(iban) is None


@pytest.mark.parametrize(
    ("iban", "part"),
    [
        ("DE82 8305 3030 0018 0092 21", "Prüfziffer"),
        ("DE8283053030001800922", "22"),
        ("Kontonummer 123", "Form"),
    ],
)
def test_invalid_iban(iban: str, part: str) -> None:
    message = v.check_iban(iban)
    assert message is not None
    assert part in message
    assert iban in message


@pytest.mark.parametrize("email", ["info@example.org", "a.b-c+d@sub.example.de", "jürgen@müller.de"])
def test_valid_email(email: str) -> None:
    assert v.check_email(email) is None


@pytest.mark.parametrize("email", ["info", "info@", "@example.org", "a b@example.org", "a@b", "a@@b.de"])
def test_invalid_email(email: str) -> None:
    assert "E-Mail-Adresse" in (v.check_email(email) or "")


def test_postal_code_checked_only_for_german_addresses() -> None:
    assert v.check_postal_code("99423") is None
    assert "Postleitzahl" in (v.check_postal_code("9942") or "")
    assert v.check_postal_code("1010", "Österreich") is None
    assert v.check_postal_code("SW1A 1AA", "United Kingdom") is None
    assert "Postleitzahl" in (v.check_postal_code("ABCDE", "Deutschland") or "")


def test_format_iban_groups_of_four() -> None:
    assert v.format_iban("de82830530300018009220") == "DE82 8305 3030 0018 0092 20"


@pytest.mark.parametrize("query", ["MÜLLER", "muller", "Müller", "mül"])
def test_search_ignores_case_and_diacritics(query: str) -> None:
    assert matches(fold("Hans Müller, Weimar"), query)


def test_search_needs_every_word() -> None:
    hay = fold("Camsin e. V. | Weimar | Migration")
    assert matches(hay, "weimar camsin")
    assert not matches(hay, "weimar apolda")
    assert fold("Straße") == "strasse"
    assert fold("Łódź") == "lodz"
