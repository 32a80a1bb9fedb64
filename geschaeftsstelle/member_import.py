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

from geschaeftsstelle import xlsx_archive
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.file_bytes import read_bytes
from geschaeftsstelle.import_lock import hold_import_lock
from geschaeftsstelle.members import refresh_contact_search, refresh_member_search, validate_contact, validate_member
from geschaeftsstelle.search import fold
from geschaeftsstelle.store.audit import current_user
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import FREE_TEXT_LIMIT
from geschaeftsstelle.store.models import AuditEntry, Contact, Member, MemberTag
from geschaeftsstelle.store.records import clean_text

_MEMBERS, _CONTACTS = cast(Table_, Member.__table__), cast(Table_, Contact.__table__)
_TAGS, _AUDIT = MemberTag.__table__, cast(Table_, AuditEntry.__table__)
MAX_ROWS = xlsx_archive.MAX_ROWS
MAX_COLUMNS = xlsx_archive.MAX_COLUMNS
#: The longest header line a member list needs (200 columns of long German headers fit in a few KB).
MAX_HEADER_CHARS = 32_768
#: Notes have no column limit; the exchange format reads at most this many characters into a text.
MAX_NOTES_CHARS = FREE_TEXT_LIMIT


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
    Target("founded_on", "Gründungsdatum", ("gruendungsdatum", "gegruendetam", "gruendung", "gegruendet", "founded",
                                            "foundedon")),
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
    #: where each row begins in the file (1 = the header); a quoted line break makes a row span lines
    lines: list[int] = field(default_factory=list)
    #: problems of a row found while reading (a delimiter other than the header's), by index into rows
    row_problems: dict[int, list[str]] = field(default_factory=dict)
    header_width: int = 0  # fields in the header line as read
    widths: list[int] = field(default_factory=list)  # fields in each row as read

    @property
    def description(self) -> str:
        if not self.delimiter:
            return f"Excel-Tabelle, {len(self.rows)} Zeilen"
        names = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
        return f"{len(self.rows)} Zeilen, Kodierung {self.encoding}, Trennzeichen {names.get(self.delimiter)}"


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    raw = read_bytes(path)
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
    header_end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    if header_end > MAX_HEADER_CHARS:
        raise UserError(
            f"Die Kopfzeile der Datei „{name}“ ist mit {header_end:,} Zeichen zu lang (höchstens "
            f"{MAX_HEADER_CHARS:,}); ist das eine Mitgliederliste?".replace(",", ".")
        )
    delimiter = guess_delimiter(text[:header_end])
    # newline="": CR LF, LF and the classic Mac's lone CR all end a line; a quoted line break stays in its field
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise UserError(_csv_problem(name, line, str(exc))) from exc
        if any(c.strip() for c in row):
            if len(rows) > MAX_ROWS:
                raise UserError(f"Die Datei „{name}“ hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
            rows.append([clean_text(c) for c in row])
            lines.append(line)
    table = _table(rows, name, encoding, delimiter, lines)
    for index, row in enumerate(table.rows):
        width = table.widths[index]
        if width > table.header_width and any(c.strip() for c in row[table.header_width :]):
            table.row_problems[index] = [
                f"Die Zeile hat {width} Felder, die Kopfzeile nur {table.header_width} "
                "(Trennzeichen oder Anführungszeichen im Text?)."
            ]
        elif width == 1 < table.header_width and any(d in row[0] for d in (";", ",", "\t") if d != delimiter):
            table.row_problems[index] = [
                "Die Zeile ist mit einem anderen Trennzeichen geschrieben als die Kopfzeile "
                f"({_DELIMITERS[delimiter]})."
            ]
    return table


_DELIMITERS = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}


def _csv_problem(name: str, line: int, detail: str) -> str:
    """The csv module's English complaint as one German line naming where the row begins."""
    if "field larger than field limit" in detail:
        what = f"ein Feld ist länger als {csv.field_size_limit():,} Zeichen".replace(",", ".")
    elif "unexpected end of data" in detail or "EOF" in detail:
        what = "ein Anführungszeichen wird bis zum Dateiende nicht geschlossen"
    elif "expected after" in detail:
        what = "nach einem schließenden Anführungszeichen folgt Text statt des Trennzeichens"
    else:
        what = "die Zeile ist keine gültige CSV-Zeile"
    return f"Die Datei „{name}“ ist ab Zeile {line} nicht lesbar: {what}; die Datenbank ist unverändert."


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (German Excel writes `;`)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ";"
    header = lines[0][:MAX_HEADER_CHARS]

    def fields(delimiter: str) -> int:
        return header.count(delimiter)  # quotes aside, as good a guess and never a csv field limit

    return max((";", "\t", ","), key=fields)


def _read_xlsx(raw: bytes, name: str) -> Table:
    """The first sheet, after the archive is checked (sizes, ratio, no DTD, at most MAX_ROWS × MAX_COLUMNS):
    a small file must not unpack into gigabytes. openpyxl then parses with defusedxml (installed with us)."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    xlsx_archive.check(raw, name)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except DefusedXmlException as exc:
        raise UserError(xlsx_archive.dtd_message(name)) from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt oder keine .xlsx-Datei.") from exc
    try:
        sheet = wb.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append([_cell(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
    except DefusedXmlException as exc:
        raise UserError(xlsx_archive.dtd_message(name)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError) as exc:
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt.") from exc
    finally:
        wb.close()
    return _table(rows, name, "", "", [])


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


def _table(rows: list[list[str]], name: str, encoding: str, delimiter: str, lines: list[int]) -> Table:
    lines = lines or list(range(1, len(rows) + 1))
    kept = [i for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not kept:
        raise UserError(f"Die Datei „{name}“ enthält keine Zeilen.")
    if len(kept) > MAX_ROWS + 1:
        raise UserError(f"Die Datei „{name}“ hat mehr als {MAX_ROWS} Zeilen; bitte aufteilen.")
    headers = rows[kept[0]]
    body = [rows[i] for i in kept[1:]]
    width = max([len(headers), *(len(r) for r in body)])
    if width > MAX_COLUMNS:
        raise UserError(f"Die Datei „{name}“ hat mehr als {MAX_COLUMNS} Spalten; so breit ist keine Mitgliederliste.")
    table = Table(
        [h.strip() for h in headers + [""] * (width - len(headers))],
        [r + [""] * (width - len(r)) for r in body],
        encoding,
        delimiter,
        [lines[i] for i in kept[1:]],
    )
    table.header_width = len(headers)
    table.widths = [len(r) for r in body]
    return table


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
    founded_on: dt.date | None = None
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


_TAG_SEPARATORS = re.compile(r"[,;|]")
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
    for key in ("joined_on", "left_on", "founded_on"):
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
        founded_on=dates["founded_on"],
        notes=values.get("notes", ""),
        tags=sorted({t.strip() for t in _TAG_SEPARATORS.split(values.get("tags", "")) if t.strip()}),
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
        existing = _Existing.read(s)
    seen = _Existing()
    checks = []
    for offset, row in enumerate(table.rows):
        line = table.lines[offset] if offset < len(table.lines) else offset + 2
        values = {key: row[i].strip() for i, key in mapping.items() if i < len(row)}
        member, problems = _build(values)
        problems = table.row_problems.get(offset, []) + _form_problems(values) + problems
        problems += existing.problems(member, seen)
        seen.add(member, line)
        checks.append(RowCheck(line, values, problems, member))
    return checks


def _limit(key: str) -> int:
    """A target's longest text, from the column that stores it (the model is the one source)."""
    if key == "notes":
        return MAX_NOTES_CHARS
    if key == "tags":
        table, column = _TAGS, "tag"
    elif key in _MEMBERS.c:
        table, column = _MEMBERS, key
    else:
        table, column = _CONTACTS, key.removeprefix("contact_")
    length = getattr(table.c[column].type, "length", None) if column in table.c else None
    return int(length or MAX_NOTES_CHARS)


_LIMITS = {t.key: _limit(t.key) for t in TARGETS}


def _form_problems(values: dict[str, str]) -> list[str]:
    """Line breaks outside the notes (a name on two lines is a quote gone astray) and texts too long for
    their column; the validators word the length of the fields they check themselves."""
    problems = []
    for key, value in values.items():
        if key != "notes" and ("\n" in value or "\r" in value):
            problems.append(f"{TARGET_LABELS[key]}: Der Text hat einen Zeilenumbruch (Anführungszeichen vergessen?).")
        longest = max(map(len, _TAG_SEPARATORS.split(value))) if key == "tags" else len(value)  # per tag
        if longest > (limit := _LIMITS[key]) and key not in _VALIDATED_LENGTHS:
            problems.append(f"{TARGET_LABELS[key]}: Der Text ist mit {longest} Zeichen zu lang (höchstens {limit}).")
    return problems


#: fields whose length `validate_member` / `validate_contact` check and word themselves
_VALIDATED_LENGTHS = {"name", "member_number", "street", "city", "phone", "title", "first_name", "last_name", "role",
                      "contact_phone"}  # fmt: skip


@dataclass
class _Existing:
    """Names with town, e-mail addresses and member numbers already taken (in the database or the file)."""

    name_city: dict[tuple[str, str], int] = field(default_factory=dict)
    email: dict[str, int] = field(default_factory=dict)
    number: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, s: Session) -> _Existing:
        found = cls()
        rows = s.execute(select(Member.name, Member.city, Member.email, Member.member_number))
        for name, city, email, number in rows:
            found.name_city[(fold(name), fold(city))] = 0
            if email:
                found.email[email.casefold()] = 0
            if number:
                found.number[number] = 0
        return found

    def add(self, member: NewMember, line: int) -> None:
        self.name_city.setdefault((fold(member.name or ""), fold(member.city or "")), line)
        if member.email:
            self.email.setdefault(member.email.casefold(), line)
        if member.member_number:
            self.number.setdefault(member.member_number, line)

    def problems(self, member: NewMember, seen: _Existing | None = None) -> list[str]:
        """What `member` repeats of these records, else (with `seen`) of the rows before it in the file."""
        problems = []
        key = (fold(member.name or ""), fold(member.city or ""))
        email = (member.email or "").casefold()
        number = member.member_number
        if member.name and key in self.name_city:
            problems.append(f"„{member.name}“ in {member.city or '(ohne Ort)'} gibt es schon.")
        elif member.name and seen is not None and key in seen.name_city:
            problems.append(f"Das Mitglied steht doppelt in der Datei (wie Zeile {seen.name_city[key]}).")
        if email and email in self.email:
            problems.append(f"Die E-Mail-Adresse {member.email} hat schon ein Mitglied.")
        elif email and seen is not None and email in seen.email:
            problems.append(f"Die E-Mail-Adresse steht doppelt in der Datei (wie Zeile {seen.email[email]}).")
        if number and number in self.number:
            problems.append(f"Die Mitgliedsnummer {number} ist schon vergeben.")
        elif number and seen is not None and number in seen.number:
            problems.append(f"Die Mitgliedsnummer steht doppelt in der Datei (wie Zeile {seen.number[number]}).")
        return problems


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
                   "joined_on", "left_on", "founded_on", "notes", "search_text")  # fmt: skip
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
    user = current_user()
    with db.transaction() as s:
        # Checked again under the import lock: a second desk importing the same list at the same time
        # finds the first one's members here and lists them as already there (never stores them twice).
        hold_import_lock(s)
        existing = _Existing.read(s)
        for check in checks:
            if check.ok:
                check.problems += existing.problems(check.member or _build(check.values)[0])
        good = [c for c in checks if c.ok]
        total = len(good)
        member_ids = iter(_reserve_ids(s, _MEMBERS, total))
        contact_ids = iter(_reserve_ids(s, _CONTACTS, sum(len(c.member.contacts) for c in good if c.member)))
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
            _insert_many(s, _MEMBERS, member_rows)
            _insert_many(s, _TAGS, tags)
            _insert_many(s, _CONTACTS, contact_rows)
            _insert_many(s, _AUDIT, log)
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


def header_key(header: str) -> str:
    """A column header as the import mappings compare it (`Straße geschäftlich` → `strassegeschaeftlich`);
    public for the reply import (`reply_import`), which proposes its mapping from the same spellings."""
    return _header_key(header)
