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
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select

from geschaeftsstelle.audit import changes_of, current_user
from geschaeftsstelle.database import Database
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.members import refresh_contact_search, refresh_member_search, validate_contact, validate_member
from geschaeftsstelle.models import AuditEntry, Contact, Member, MemberTag
from geschaeftsstelle.records import clean_text
from geschaeftsstelle.search import fold

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


@dataclass
class RowCheck:
    line: int  # line in the file (header is line 1)
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    built: tuple[Member, Contact | None] | None = field(default=None, repr=False)

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


def _build(values: dict[str, str]) -> tuple[Member, Contact | None, list[str]]:
    problems: list[str] = []
    dates: dict[str, dt.date | None] = {}
    for key in ("joined_on", "left_on"):
        try:
            dates[key] = parse_date(values.get(key, ""))
        except ValueError:
            dates[key] = None
            problems.append(f"{TARGET_LABELS[key]}: „{values[key]}“ ist kein Datum (TT.MM.JJJJ).")
    member = Member(
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
    )
    tags = sorted({t.strip() for t in re.split(r"[,;|]", values.get("tags", "")) if t.strip()})
    member.tag_rows = [MemberTag(tag=t[:100]) for t in tags]
    problems += [e.message for e in validate_member(member)]
    contact = None
    if values.get("first_name") or values.get("last_name"):
        contact = Contact(
            salutation=_salutation(values.get("salutation", "")),
            title=values.get("title", ""),
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            role=values.get("role", ""),
            email=values.get("contact_email") or None,
            phone=values.get("contact_phone") or None,
            is_primary=True,
            needs="",
            notes="",
        )
        contact.member = member
        problems += [e.message for e in validate_contact(contact)]
    return member, contact, problems


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
        member, contact, problems = _build(values)
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
        checks.append(RowCheck(line, values, problems, (member, contact)))
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


def import_rows(db: Database, checks: list[RowCheck], progress: Progress | None = None) -> ImportResult:
    """All good rows in one transaction; `progress(done, total)` returning False cancels everything.

    Rows go in as bulk INSERT … RETURNING in chunks (20,000 rows in a few seconds); each new member and
    contact still gets its entry in the change log, written in bulk as well.
    """
    good = [c for c in checks if c.ok]
    total = len(good)
    user = current_user()
    with db.transaction() as s:
        s.info["audit"] = False  # written below in bulk, one entry per new record
        for start in range(0, total, _CHUNK):
            chunk = good[start : start + _CHUNK]
            built = []
            for check in chunk:
                if check.built is None:
                    member, contact, problems = _build(check.values)
                    if problems:
                        raise UserError(f"Zeile {check.line}: {problems[0]}")
                else:
                    member, contact = check.built
                refresh_member_search(member)
                if contact is not None:
                    refresh_contact_search(contact)
                built.append((member, contact))
            member_ids = s.scalars(
                insert(Member).returning(Member.id, sort_by_parameter_order=True),
                [{k: getattr(m, k) for k in _MEMBER_COLUMNS} for m, _ in built],
            ).all()
            tags = [{"member_id": mid, "tag": t.tag} for mid, (m, _) in zip(member_ids, built, strict=True)
                    for t in m.tag_rows]  # fmt: skip
            if tags:
                s.execute(insert(MemberTag), tags)
            with_contact = [(mid, c) for mid, (_, c) in zip(member_ids, built, strict=True) if c is not None]
            contact_ids = []
            if with_contact:
                contact_ids = s.scalars(
                    insert(Contact).returning(Contact.id, sort_by_parameter_order=True),
                    [{"member_id": mid, **{k: getattr(c, k) for k in _CONTACT_COLUMNS}} for mid, c in with_contact],
                ).all()
            now = dt.datetime.now().replace(microsecond=0)
            log = [_log_row(now, user, "member", mid, m.name, m) for mid, (m, _) in zip(member_ids, built, strict=True)]
            log += [
                _log_row(now, user, "contact", cid, c.full_name, c)
                for cid, (_, c) in zip(contact_ids, with_contact, strict=True)
            ]
            s.execute(insert(AuditEntry), log)
            done = start + len(chunk)
            if progress is not None and not progress(done, total):
                raise ImportCancelled()
    for check in good:
        check.built = None  # the objects are spent; a second import would build new ones
    return ImportResult(total, [c for c in checks if not c.ok])


def _log_row(now: dt.datetime, user: str, entity: str, entity_id: int, label: str, obj: object) -> dict[str, object]:
    changes = changes_of(obj, "insert")
    changes.pop("member_id", None)
    return {"at": now, "user_name": user[:200], "entity": entity, "entity_id": entity_id, "label": label[:300],
            "action": "insert", "changes": changes}  # fmt: skip


def import_file(db: Database, path: Path, progress: Progress | None = None) -> ImportResult:
    table = read_table(path)
    return import_rows(db, check_rows(db, table, auto_mapping(table.headers)), progress)


def problem_lines(result: ImportResult) -> list[str]:
    return [f"Zeile {c.line}: {' '.join(c.problems)}" for c in result.skipped]
