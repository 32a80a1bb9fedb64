"""The member directory as a spreadsheet: CSV for German Excel (UTF-8 with BOM, `;`) or .xlsx.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
leading apostrophe, so a name like `=HYPERLINK(…)` stays text (CSV/formula injection).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Member, MemberTag

HEADERS = [
    "Name", "Mitgliedsnummer", "Straße", "PLZ", "Ort", "E-Mail", "Telefon", "Website", "Mitglied seit",
    "Ausgetreten am", "Schlagworte", "Anrede", "Titel", "Vorname", "Nachname", "Funktion",
    "E-Mail Ansprechperson", "Telefon Ansprechperson",
]  # fmt: skip
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_DANGEROUS) else value


def member_rows(db: Database) -> list[list[str]]:
    """One row per member with its primary contact; plain column queries (20,000 members in well under a second)."""
    with db.read() as s:
        tags: dict[int, list[str]] = defaultdict(list)
        for member_id, tag in s.execute(select(MemberTag.member_id, MemberTag.tag).order_by(MemberTag.tag)):
            tags[member_id].append(tag)
        contacts = {
            row.member_id: row
            for row in s.execute(
                select(Contact.member_id, Contact.salutation, Contact.title, Contact.first_name, Contact.last_name,
                       Contact.role, Contact.email, Contact.phone).where(Contact.is_primary.is_(True))
            )
        }  # fmt: skip
        found = s.execute(
            select(Member.id, Member.name, Member.member_number, Member.street, Member.postal_code, Member.city,
                   Member.email, Member.phone, Member.website, Member.joined_on, Member.left_on).order_by(Member.name)
        ).all()  # fmt: skip
    rows = []
    for m in found:
        c = contacts.get(m.id)
        person = (
            [c.salutation, c.title, c.first_name, c.last_name, c.role, c.email or "", c.phone or ""] if c else [""] * 7
        )
        rows.append(
            [
                m.name, m.member_number or "", m.street, m.postal_code, m.city, m.email or "", m.phone or "",
                m.website or "", f"{m.joined_on:%d.%m.%Y}" if m.joined_on else "",
                f"{m.left_on:%d.%m.%Y}" if m.left_on else "", ", ".join(tags.get(m.id, [])), *person,
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
    try:
        _write(tmp, suffix, rows)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a failed export leaves neither a half file nor its temporary copy
        raise
    return len(rows)


def _write(tmp: Path, suffix: str, rows: list[list[str]]) -> None:
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
