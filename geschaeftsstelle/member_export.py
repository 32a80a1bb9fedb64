"""The member directory as a spreadsheet: CSV for German Excel (UTF-8 with BOM, `;`) or .xlsx.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
leading apostrophe, so a name like `=HYPERLINK(…)` stays text (CSV/formula injection).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.database import Database
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.models import Member

HEADERS = [
    "Name", "Mitgliedsnummer", "Straße", "PLZ", "Ort", "E-Mail", "Telefon", "Website", "Mitglied seit",
    "Ausgetreten am", "Schlagworte", "Anrede", "Titel", "Vorname", "Nachname", "Funktion",
    "E-Mail Ansprechperson", "Telefon Ansprechperson",
]  # fmt: skip
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_DANGEROUS) else value


def member_rows(db: Database) -> list[list[str]]:
    with db.read() as s:
        found = s.scalars(
            select(Member).options(selectinload(Member.contacts), selectinload(Member.tag_rows)).order_by(Member.name)
        )
        rows = []
        for m in found:
            c = m.primary_contact
            rows.append(
                [
                    m.name, m.member_number or "", m.street, m.postal_code, m.city, m.email or "", m.phone or "",
                    m.website or "", f"{m.joined_on:%d.%m.%Y}" if m.joined_on else "",
                    f"{m.left_on:%d.%m.%Y}" if m.left_on else "", ", ".join(m.tags),
                    c.salutation if c else "", c.title if c else "", c.first_name if c else "",
                    c.last_name if c else "", c.role if c else "", (c.email or "") if c else "",
                    (c.phone or "") if c else "",
                ]
            )  # fmt: skip
        return rows


def export_members(db: Database, path: Path) -> int:
    """Write the directory; returns the number of members written."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError(f"Das Mitgliederverzeichnis wird als .csv oder .xlsx geschrieben, nicht als „{suffix}“.")
    rows = [[neutralise(cell) for cell in row] for row in member_rows(db)]
    tmp = path.with_name(path.name + ".tmp")
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADERS)
            writer.writerows(rows)
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("Mitglieder")
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        wb.save(tmp)
    tmp.replace(path)
    return len(rows)
