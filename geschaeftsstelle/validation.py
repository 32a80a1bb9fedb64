"""Field checks shared by the services, the exchange import and the list import.

Each check returns a German message or None, so callers can collect every problem of a record at
once and show each message beside its field.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_GERMAN_POSTAL = re.compile(r"^\d{5}$")
_IBAN_LENGTHS = {"DE": 22, "AT": 20, "CH": 21, "LU": 20, "NL": 18, "BE": 16, "FR": 27, "PL": 28, "DK": 18}
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
GERMANY_NAMES = {"", "de", "deutschland", "germany", "brd", "d"}

MAX_SHORT_TEXT = 300


def is_germany(country: str | None) -> bool:
    return (country or "").strip().casefold() in GERMANY_NAMES


def check_email(value: str | None) -> str | None:
    if not value:
        return None
    if len(value) > 254 or not _EMAIL.match(value):
        return f"Die E-Mail-Adresse „{value}“ ist ungültig."
    return None


def check_postal_code(value: str | None, country: str | None = None) -> str | None:
    """German addresses need five digits; foreign ones are taken as written."""
    if not value or not is_germany(country):
        return None
    if not _GERMAN_POSTAL.match(value.strip()):
        return f"Die Postleitzahl „{value}“ ist für eine deutsche Anschrift ungültig (fünf Ziffern)."
    return None


def normalize_iban(value: str) -> str:
    return "".join(value.split()).upper()


def check_iban(value: str | None) -> str | None:
    """ISO 13616: country code, two check digits, mod-97 over the rearranged number."""
    if not value:
        return None
    iban = normalize_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return f"Die IBAN „{value}“ hat nicht die Form einer IBAN."
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        return f"Die IBAN „{value}“ hat {len(iban)} statt {expected} Zeichen."
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return f"Die Prüfziffer der IBAN „{value}“ stimmt nicht – bitte auf Tippfehler prüfen."
    return None


def check_bic(value: str | None) -> str | None:
    if not value:
        return None
    if not _BIC.match("".join(value.split()).upper()):
        return f"Die BIC „{value}“ ist ungültig (8 oder 11 Zeichen)."
    return None


def check_length(value: str | None, limit: int, label: str) -> str | None:
    if value and len(value) > limit:
        return f"{label} ist mit {len(value)} Zeichen zu lang (höchstens {limit})."
    return None


def format_iban(value: str) -> str:
    """Groups of four, as printed on letters."""
    iban = normalize_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
