"""Argument types shared by the command groups, with German messages for wrong values."""

from __future__ import annotations

import argparse
from collections.abc import Callable

#: The largest number a record number or count can be (PostgreSQL's integer; SQLite overflows at 2**63).
MAX_NUMBER = 2_147_483_647


def year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text[:40]}“ ist keine Jahreszahl") from None
    if not 1900 <= value <= 2200:
        raise argparse.ArgumentTypeError(f"{value} liegt außerhalb von 1900–2200")
    return value


def whole_number(text: str) -> int:
    """A whole number that fits a database column: a 40-digit id is refused here, not by the driver."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text[:40]}“ ist keine ganze Zahl") from None
    if abs(value) > MAX_NUMBER:
        raise argparse.ArgumentTypeError(f"die Zahl ist zu groß (höchstens {MAX_NUMBER})")
    return value


def non_negative(text: str) -> int:
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError("die Zahl darf nicht negativ sein")
    return value


def text_of_at_most(limit: int) -> Callable[[str], str]:
    """A text argument of at most `limit` characters, so that an error message never echoes a huge input."""

    def check(text: str) -> str:
        if len(text) > limit:
            raise argparse.ArgumentTypeError(f"die Angabe ist mit {len(text)} Zeichen zu lang (höchstens {limit})")
        return text

    return check
