"""An .xlsx file checked before anything unpacks it: a small file must not become gigabytes.

An .xlsx is a zip archive of XML files. A 1.4 MB file can hold one row of five million cells (120 s and
5 GB in openpyxl) and a 10 MB file can unpack into more memory than the computer has. So the archive's
directory is checked first (entry count, sizes, compression ratio), every XML file's prolog is checked for
a DTD (entity bombs and external entities live there), and the first sheet is streamed once through
defusedxml, counting rows and cells, before openpyxl reads it. Every refusal is one German line.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import IO, NoReturn
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import fromstring

from geschaeftsstelle.errors import UserError

MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_ENTRIES = 1_000
MAX_ENTRY_BYTES = 200 << 20  # one unpacked XML file (100,000 rows of a member list take about 60 MB)
MAX_TOTAL_BYTES = 300 << 20
MAX_RATIO = 150  # unpacked / packed size of a large entry; real sheets pack 5–30 times
_RATIO_FROM = 1 << 20  # small entries may pack as well as they like
MAX_CELLS_PER_ROW = 16_384  # Excel's own limit, empty formatted cells included
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit, empty formatted rows included
_PROLOG = 1 << 16
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(r"<[A-Za-z_]")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def dtd_message(name: str) -> str:
    return (
        f"Die Excel-Datei „{name}“ enthält eine XML-Dokumenttypdefinition (DTD, Entitäten); "
        "so etwas schreibt Excel nie, die Datei wird nicht gelesen."
    )


def _too_big(name: str, what: str) -> UserError:
    return UserError(f"Die Excel-Datei „{name}“ ist {what}; so große Tabellen liest das Programm nicht.")


def check(raw: bytes, name: str) -> None:
    """Raise a UserError unless the archive is a plausible sheet within MAX_ROWS × MAX_COLUMNS."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt oder keine .xlsx-Datei.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UserError(f"Die Excel-Datei „{name}“ besteht aus {len(entries)} Teilen (höchstens {MAX_ENTRIES}).")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
                raise _too_big(name, f"entpackt größer als {MAX_TOTAL_BYTES >> 20} MB")
            if entry.file_size > _RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise _too_big(name, f"über {MAX_RATIO}-fach gepackt (ein „Zip-Bombe“ genanntes Muster)")
        try:
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    _check_prolog(archive, entry, name)
            sheet = _first_sheet(archive)
            if sheet is not None:
                with archive.open(sheet) as source:
                    _check_sheet(source, name)
        except DefusedXmlException as exc:
            raise UserError(dtd_message(name)) from exc
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:  # ParseError is a SyntaxError
            raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt.") from exc
        except SyntaxError as exc:
            raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt (kein gültiges XML).") from exc


def _check_prolog(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> None:
    """No DTD before the root element (where a DTD has to stand); the prolog may not fill 64 KB."""
    with archive.open(entry) as source:
        head = source.read(_PROLOG)
    text = head.decode("utf-16", "ignore") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else head.decode("latin-1")
    root = _ROOT.search(text)
    if _DOCTYPE.search(text, 0, root.start() if root else len(text)):
        raise UserError(dtd_message(name))
    if root is None and entry.file_size > len(head):
        raise UserError(f"Die Excel-Datei „{name}“ ist beschädigt ({entry.filename} ohne Inhalt).")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet (the one the import reads), if it can be told."""
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except KeyError:
        return None
    first = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if first is None:
        return None
    target = next((r.get("Target") for r in rels.iter() if r.get("Id") == first.get(_REL)), None)
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return path if path in archive.namelist() else None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column(ref: str | None, position: int) -> int:
    """1-based column of a cell reference like `GT12`; without one, the cell's position in its row."""
    if not ref:
        return position
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
    return number or position


class _Sheet:
    """Counts rows and cells from expat's start tags only (a third of iterparse's time: no elements built)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows = self.filled_rows = self.cells = 0
        self.column = 0
        self.filled = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]  # `x:c` in sheets written with a prefix
        if tag == "c":
            self.cells += 1
            if self.cells > MAX_CELLS_PER_ROW:
                raise _too_big(self.name, f"in Zeile {self.rows} über {MAX_CELLS_PER_ROW} Zellen breit")
            self.column = _column(attributes.get("r"), self.cells)
        elif tag in ("v", "is", "f"):  # the cell has a value
            if self.column > MAX_COLUMNS:
                raise _too_big(self.name, f"breiter als {MAX_COLUMNS} Spalten (Zeile {self.rows})")
            self.filled = True
        elif tag == "row":
            self.end_row()
            self.rows += 1
            if self.rows > MAX_SHEET_ROWS:
                raise _too_big(self.name, f"länger als {MAX_ROWS} Zeilen")
        elif tag == "dimension":
            _check_dimension(attributes.get("ref") or "", self.name)

    def end_row(self) -> None:
        self.filled_rows += self.filled
        if self.filled_rows > MAX_ROWS + 1:
            raise _too_big(self.name, f"länger als {MAX_ROWS} Zeilen")
        self.cells, self.filled = 0, False


def _forbidden(*_args: object) -> NoReturn:
    raise DTDForbidden("DOCTYPE", None, None)


def _check_sheet(source: IO[bytes], name: str) -> None:
    """Stream the sheet once: rows with a value ≤ MAX_ROWS + 1 (the header), values only in the first
    MAX_COLUMNS columns, and no row longer than Excel allows. Stops at the first excess. Like defusedxml,
    any DTD or entity declaration is refused."""
    sheet = _Sheet(name)
    parser = expat.ParserCreate()
    parser.StartElementHandler = sheet.start
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    try:
        parser.ParseFile(source)
    except expat.ExpatError as exc:
        raise SyntaxError(str(exc)) from exc
    sheet.end_row()


def _check_dimension(ref: str, name: str) -> None:
    """The sheet's declared used range (`A1:GR120`): beyond Excel's own limits it is no Excel sheet."""
    last = ref.rpartition(":")[2]
    digits = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    letters = last[: len(last) - len(digits)]
    if len(letters) > 3 or (letters and _column(letters, 0) > MAX_CELLS_PER_ROW):
        raise _too_big(name, f"laut Kopf {ref[:40]} breit")
    if len(digits) > 7 or (digits.isdigit() and int(digits) > MAX_SHEET_ROWS):
        raise _too_big(name, f"laut Kopf {ref[:40]} lang")
