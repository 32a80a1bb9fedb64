"""Safe text for ReportLab: user text never becomes markup, and German formats for dates and times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.sax.saxutils import escape

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")  # fmt: skip


def esc(text: str | None) -> str:
    """Escape for a Paragraph: `<img src=…>`, `<font size=80>` and `&` print literally; line breaks stay."""
    if not text:
        return ""
    cleaned = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    return escape(cleaned).replace("\n", "<br/>")


def date_de(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def long_date_de(value: dt.date) -> str:
    """`Mittwoch, 12. Februar 2020`, as a letter names the day of a meeting."""
    return f"{WEEKDAYS[value.weekday()]}, {value.day}. {MONTHS[value.month - 1]} {value.year}"


def time_de(value: dt.datetime | dt.time) -> str:
    return f"{value:%H:%M} Uhr"


def time_range_de(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%H:%M} bis {end:%H:%M} Uhr"


def money_de(value: Decimal | None) -> str:
    if value is None:
        return "kostenlos"
    return f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
