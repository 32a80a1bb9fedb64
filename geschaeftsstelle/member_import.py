"""Importing member lists from CSV and Excel files (also Outlook's German contact export).

Three steps, shared by the import wizard and the command line: read the table (detecting encoding
and delimiter), map its columns to our fields (automatically, changeable by the user), check every
row (missing name, bad e-mail or postal code, duplicates) and import all good rows in one transaction,
or nothing. Rows with problems are listed, never imported half.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Table as Table_
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.members import refresh_contact_search, refresh_member_search, validate_contact, validate_member
from geschaeftsstelle.search import fold
from geschaeftsstelle.store.audit import current_user
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AuditEntry, Contact, Member, MemberTag
from geschaeftsstelle.store.records import clean_text

MAX_ROWS = 100_000


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("Der Import wurde abgebrochen; die Datenbank ist unverändert.")


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    synonyms: tuple[str, ...]


TARGETS: tuple[Target, ...] = (
    Target("name", "Name der Organisation", ("name", "organisation", "mitglied", "mitgliedsorganisation",
                                             "firma", "verein", "einrichtung", "company", "organization", "traeger")),
    Target("member_number", "Mitgliedsnummer", ("mitgliedsnummer", "mitgliedsnr", "nr", "nummer", "membernumber",
                                                "memberno", "number", "id")),
    Target("street", "Straße", ("strasse", "strassegeschaeftlich", "adresse", "anschrift", "street", "address",
                                "businessstreet")),
    Target("postal_code", "PLZ", ("plz", "postleitzahl", "postleitzahlgeschaeftlich", "zip", "postalcode",
                                  "postcode", "businesspostalcode")),
    Target("city", "Ort", ("ort", "stadt", "ortgeschaeftlich", "city", "town", "businesscity")),
    Target("email", "E-Mail", ("email", "emailadresse", "mail", "emailaddress", "e-mail")),
    Target("phone", "Telefon", ("telefon", "tel", "telefongeschaeftlich", "phone", "telephone", "businessphone")),
    Target("website", "Website", ("website", "webseite", "internet", "homepage", "url", "webpage")),
    Target("joined_on", "Mitglied seit", ("mitgliedseit", "eintritt", "eintrittsdatum", "beitritt", "joined",
                                          "membersince")),
    Target("left_on", "Ausgetreten am", ("ausgetretenam", "austritt", "austrittsdatum", "left", "leftin")),
    Target("tags", "Schlagworte", ("schlagworte", "schlagwort", "kategorie", "kategorien", "tags", "bereich",
                                   "arbeitsfeld", "categories")),
    Target("notes", "Notizen", ("notizen", "notiz", "bemerkung", "bemerkungen", "notes", "kommentar")),
    Target("salutation", "Anrede", ("anrede", "salutation", "title_prefix")),
    Target("title", "Titel", ("titel", "title", "akademischergrad")),
    Target("first_name", "Vorname", ("vorname", "firstname", "givenname")),
    Target("last_name", "Nachname", ("nachname", "name2", "lastname", "surname", "familyname")),
    Target("role", "Funktion", ("position", "funktion", "rolle", "jobtitle", "role")),
    Target("contact_email", "E-Mail der Ansprechperson", ("emailansprechperson", "emailkontakt")),
    Target("contact_phone", "Telefon der Ansprechperson", ("telefonansprechperson", "telefonkontakt",
                                                           "mobiltelefon", "mobile")),
)  # fmt: skip
TARGET_LABELS = {t.key: t.label for t in TARGETS}
_PERSON_KEYS = {"first_name", "last_name"}


def _header_key(header: str) -> str:
    """`Straße geschäftlich` → `strassegeschaeftlich`: umlauts spelt out, then accents, blanks and dashes gone."""
    text = header.casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]", "", fold(text))


# --------------------------------------------------------------------------- reading


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""

    @property
    def description(self) -> str:
        if not self.delimiter:
            return f"Excel-Tabelle, {len(self.rows)} Zeilen"
        names = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
        return f"{len(self.rows)} Zeilen, Kodierung {self.encoding}, Trennzeichen {names.get(self.delimiter)}"


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"Die Datei „{path}“ gibt es nicht.") from exc
    except OSError as exc:
        raise UserError(f"Die Datei „{path}“ kann nicht gelesen werden: {exc.strerror}.") from exc
    if not raw.strip():
        raise UserError(f"Die Datei „{path.name}“ ist leer.")
    if suffix == ".xlsx":
        return _read_xlsx(raw, path.name)
    if suffix in (".csv", ".txt"):
        return _read_csv(raw, path.name)
    raise UserError(f"Dateien mit der Endung „{suffix}“ kann ich nicht lesen (möglich: .csv, .xlsx).")


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (German Excel's default)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "Windows-1252"


def _read_csv(raw: bytes, name: str) -> Table:
    text, encoding = decode(raw)
    if "\x00" in text:
        raise UserError(f"Die Datei „{name}“ ist keine Textdatei (CSV).")
    delimiter = guess_delimiter(text)
    try:
        rows = [[clean_text(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise UserError(f"Die Datei „{name}“ ist keine lesbare CSV-Datei: {exc}.") from exc
    return _table(rows, name, encoding, delimiter)


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (German Excel writes `;`)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ";"

    def fields(delimiter: str) -> int:
        return len(next(csv.reader([lines[0]], delimiter=delimiter)))

    return max((";", "\t", ","), key=fields)


def _read_xlsx(raw: bytes, name: str) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt oder keine .xlsx-Datei.") from exc
    try:
        sheet = wb.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt.") from exc
    finally:
        wb.close()
    return _table(rows, name, "", "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def _table(rows: list[list[str]], name: str, encoding: str, delimiter: str) -> Table:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UserError(f"Die Datei „{name}“ enthält keine Zeilen.")
    if len(rows) > MAX_ROWS + 1:
        raise UserError(f"Die Datei „{name}“ hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
    headers = rows[0]
    width = max(len(r) for r in rows)
    headers = headers + [""] * (width - len(headers))
    body = [r + [""] * (width - len(r)) for r in rows[1:]]
    return Table([h.strip() for h in headers], body, encoding, delimiter)


# --------------------------------------------------------------------------- mapping


def auto_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → target key, from German and English headers (incl. Outlook's export)."""
    by_synonym = {s: t.key for t in TARGETS for s in t.synonyms}
    mapping: dict[int, str] = {}
    for i, header in enumerate(headers):
        key = by_synonym.get(_header_key(header))
        if key and key not in mapping.values():
            mapping[i] = key
    if _PERSON_KEYS & set(mapping.values()):
        # A list of persons (Outlook): the e-mail and phone are the person's, the company is the member.
        for i, key in list(mapping.items()):
            if key == "email" and "contact_email" not in mapping.values():
                mapping[i] = "contact_email"
            elif key == "phone" and "contact_phone" not in mapping.values():
                mapping[i] = "contact_phone"
        if "name" not in mapping.values():
            for i, header in enumerate(headers):
                if _header_key(header) == "name" and i not in mapping:
                    mapping[i] = "name"
    return mapping


# --------------------------------------------------------------------------- checking


@dataclass(slots=True)
class NewContact:
    """A member's person from one row, with the attributes `validate_contact` and the search text read."""

    salutation: str
    title: str
    first_name: str
    last_name: str
    role: str
    email: str | None
    phone: str | None
    member: NewMember | None = None
    member_id: int | None = None
    organisation: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    is_primary: bool = True
    needs: str = ""
    notes: str = ""
    search_text: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


@dataclass(slots=True)
class NewMember:
    """The member one row describes: plain attributes shaped like `Member`, so the same validation and
    search text apply, without the ORM's per-attribute bookkeeping (seconds for 20,000 rows)."""

    name: str
    member_number: str | None
    street: str
    postal_code: str
    city: str
    email: str | None
    phone: str | None
    website: str | None
    joined_on: dt.date | None
    left_on: dt.date | None
    notes: str
    country: str | None = None
    tags: list[str] = field(default_factory=list)
    contacts: list[NewContact] = field(default_factory=list)
    search_text: str = ""


@dataclass
class RowCheck:
    line: int  # line in the file (header is line 1)
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    member: NewMember | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _salutation(text: str) -> str:
    t = fold(text)
    if t in ("frau", "fr", "fr.", "ms", "mrs", "ms.", "mrs."):
        return "Frau"
    if t in ("herr", "hr", "hr.", "mr", "mr."):
        return "Herr"
    return ""


def _build(values: dict[str, str]) -> tuple[NewMember, list[str]]:
    """The member (with its primary contact when the row names a person) and the row's problems."""
    problems: list[str] = []
    dates: dict[str, dt.date | None] = {}
    for key in ("joined_on", "left_on"):
        try:
            dates[key] = parse_date(values.get(key, ""))
        except ValueError:
            dates[key] = None
            problems.append(f"{TARGET_LABELS[key]}: „{values[key]}“ ist kein Datum (TT.MM.JJJJ).")
    member = NewMember(
        name=values.get("name", ""),
        member_number=values.get("member_number") or None,
        street=values.get("street", ""),
        postal_code=values.get("postal_code", ""),
        city=values.get("city", ""),
        email=values.get("email") or None,
        phone=values.get("phone") or None,
        website=values.get("website") or None,
        joined_on=dates["joined_on"],
        left_on=dates["left_on"],
        notes=values.get("notes", ""),
        tags=sorted({t.strip()[:100] for t in re.split(r"[,;|]", values.get("tags", "")) if t.strip()}),
    )
    problems += [e.message for e in validate_member(cast(Member, member))]
    if values.get("first_name") or values.get("last_name"):
        contact = NewContact(
            salutation=_salutation(values.get("salutation", "")),
            title=values.get("title", ""),
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            role=values.get("role", ""),
            email=values.get("contact_email") or None,
            phone=values.get("contact_phone") or None,
            member=member,
        )
        member.contacts.append(contact)
        problems += [e.message for e in validate_contact(cast(Contact, contact))]
    return member, problems


def check_rows(db: Database, table: Table, mapping: dict[int, str]) -> list[RowCheck]:
    """Every row with its problems; duplicates against the database and inside the file."""
    if "name" not in mapping.values():
        raise UserError(
            "Keine Spalte ist dem Namen der Organisation zugeordnet; ohne Namen kann nichts importiert werden."
        )
    with db.read() as s:
        existing = s.execute(select(Member.name, Member.city, Member.email, Member.member_number)).all()
    by_name_city = {(fold(n), fold(c)) for n, c, _, _ in existing}
    by_email = {e.casefold() for _, _, e, _ in existing if e}
    numbers = {n for _, _, _, n in existing if n}
    seen_name_city: dict[tuple[str, str], int] = {}
    seen_email: dict[str, int] = {}
    seen_number: dict[str, int] = {}
    checks = []
    for offset, row in enumerate(table.rows):
        line = offset + 2
        values = {key: row[i].strip() for i, key in mapping.items() if i < len(row)}
        member, problems = _build(values)
        key = (fold(member.name or ""), fold(member.city or ""))
        email = (member.email or "").casefold()
        if member.name and key in by_name_city:
            problems.append(f"„{member.name}“ in {member.city or '(ohne Ort)'} gibt es schon.")
        elif member.name and key in seen_name_city:
            problems.append(f"Das Mitglied steht doppelt in der Datei (wie Zeile {seen_name_city[key]}).")
        if email and email in by_email:
            problems.append(f"Die E-Mail-Adresse {member.email} hat schon ein Mitglied.")
        elif email and email in seen_email:
            problems.append(f"Die E-Mail-Adresse steht doppelt in der Datei (wie Zeile {seen_email[email]}).")
        number = member.member_number
        if number and number in numbers:
            problems.append(f"Die Mitgliedsnummer {number} ist schon vergeben.")
        elif number and number in seen_number:
            problems.append(f"Die Mitgliedsnummer steht doppelt in der Datei (wie Zeile {seen_number[number]}).")
        seen_name_city.setdefault(key, line)
        if email:
            seen_email.setdefault(email, line)
        if number:
            seen_number.setdefault(number, line)
        checks.append(RowCheck(line, values, problems, member))
    return checks


# --------------------------------------------------------------------------- importing


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[RowCheck]

    def summary(self) -> str:
        text = f"{self.imported} Mitglieder importiert"
        if self.skipped:
            text += f", {len(self.skipped)} Zeilen mit Problemen nicht importiert"
        return text + "."


Progress = Callable[[int, int], bool]


_MEMBER_COLUMNS = ("name", "member_number", "street", "postal_code", "city", "country", "email", "phone", "website",
                   "joined_on", "left_on", "notes", "search_text")  # fmt: skip
_CONTACT_COLUMNS = (
    "salutation", "title", "first_name", "last_name", "role", "organisation", "email", "phone",
    "street", "postal_code", "city", "country", "is_primary", "needs", "notes", "search_text",
)  # fmt: skip
_CHUNK = 500
_NOT_LOGGED = {"id", "version", "search_text", "member_id"}


def import_rows(db: Database, checks: list[RowCheck], progress: Progress | None = None) -> ImportResult:
    """All good rows in one transaction; `progress(done, total)` returning False cancels everything.

    The ids are reserved up front, so members, tags, contacts and their change log entries go in as
    plain multi-row INSERTs in chunks (no RETURNING, no ORM bookkeeping): 20,000 rows in a few seconds.
    """
    good = [c for c in checks if c.ok]
    total = len(good)
    user = current_user()
    with db.transaction() as s:
        member_ids = iter(_reserve_ids(s, Member.__table__, total))
        contact_ids = iter(_reserve_ids(s, Contact.__table__, sum(len(c.member.contacts) for c in good if c.member)))
        for start in range(0, total, _CHUNK):
            member_rows: list[dict[str, object]] = []
            contact_rows: list[dict[str, object]] = []
            tags: list[dict[str, object]] = []
            log: list[dict[str, object]] = []
            now = dt.datetime.now().replace(microsecond=0)
            for check in good[start : start + _CHUNK]:
                member = check.member
                if member is None:
                    member, problems = _build(check.values)
                    if problems:
                        raise UserError(f"Zeile {check.line}: {problems[0]}")
                refresh_member_search(cast(Member, member))
                row = _row(next(member_ids), member, _MEMBER_COLUMNS)
                member_rows.append(row)
                log.append(_log_row(now, user, "member", row, member.name))
                tags += [{"member_id": row["id"], "tag": tag} for tag in member.tags]
                for contact in member.contacts:
                    refresh_contact_search(cast(Contact, contact))
                    crow = {"member_id": row["id"], **_row(next(contact_ids), contact, _CONTACT_COLUMNS)}
                    contact_rows.append(crow)
                    log.append(_log_row(now, user, "contact", crow, contact.full_name))
            _insert_many(s, Member.__table__, member_rows)
            _insert_many(s, MemberTag.__table__, tags)
            _insert_many(s, Contact.__table__, contact_rows)
            _insert_many(s, AuditEntry.__table__, log)
            done = start + len(member_rows)
            if progress is not None and not progress(done, total):
                raise ImportCancelled()
    return ImportResult(total, [c for c in checks if not c.ok])


def _reserve_ids(s: Session, table: Table_, count: int) -> list[int]:
    """`count` new primary keys: from the sequence on PostgreSQL; on SQLite the write lock
    (BEGIN IMMEDIATE) is held, so the ids after the highest one are ours."""
    if count == 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return list(s.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, count))))
    highest = s.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(highest + 1, highest + 1 + count))


def _insert_many(s: Session, table: Table_, rows: list[dict[str, object]]) -> None:
    """executemany on SQLite; COPY on PostgreSQL, where executemany costs a round trip per row."""
    if not rows:
        return
    if s.get_bind().dialect.name != "postgresql":
        s.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    driver = s.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in (row[c] for c in columns)])


def _row(record_id: int, record: NewMember | NewContact, columns: tuple[str, ...]) -> dict[str, object]:
    return {"id": record_id, "version": 1, **{k: getattr(record, k) for k in columns}}


def _log_row(now: dt.datetime, user: str, entity: str, row: dict[str, object], label: str) -> dict[str, object]:
    """The change log entry an ORM insert would get: every filled field as [None, value]."""
    changes = {
        k: [None, v.isoformat() if isinstance(v, dt.date) else v]
        for k, v in row.items()
        if k not in _NOT_LOGGED and v not in (None, "", False)
    }
    return {"at": now, "user_name": user[:200], "entity": entity, "entity_id": row["id"], "label": label[:300],
            "action": "insert", "changes": changes}  # fmt: skip


def import_file(db: Database, path: Path, progress: Progress | None = None) -> ImportResult:
    table = read_table(path)
    return import_rows(db, check_rows(db, table, auto_mapping(table.headers)), progress)


def problem_lines(result: ImportResult) -> list[str]:
    return [f"Zeile {c.line}: {' '.join(c.problems)}" for c in result.skipped]
