"""Loading a whole office from an exchange file into an empty database, in one transaction.

The file is read as a stream of sections (members, contacts, …) and each entry is checked as plain
data and written in bulk (`sections`, `bulk`), so a 100 MB office neither lies in memory as a whole
nor passes through the ORM. Nothing is kept on any problem, and the problem reported is the one the
whole-file reading always reported first: a broken file before an unknown top-level key, before
`format` and `version`, before a non-empty database, before a section that is not a list, before a
missing or repeated `id`, before the first problem of the sections in their order. A problem found
while streaming is therefore noted with its rank; the reading goes on checking only what could
rank before it, and the best-ranked problem is raised at the end. The import records no change-log
entries of its own: it loads the file's `audit` section as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geschaeftsstelle import attachments
from geschaeftsstelle.collector import collector_paused
from geschaeftsstelle.exchange import reader
from geschaeftsstelle.exchange.attachment_files import ImportedFiles, folder_beside
from geschaeftsstelle.exchange.bulk import DatabaseRefused, Writer
from geschaeftsstelle.exchange.entries import kind_of
from geschaeftsstelle.exchange.format import FORMAT, ID_SECTIONS, SECTIONS, TOP_KEYS, VERSION, ExchangeError
from geschaeftsstelle.exchange.reader import Array
from geschaeftsstelle.exchange.sections import Sections
from geschaeftsstelle.import_lock import hold_import_lock
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Award, Contact, LetterTemplate, Meeting, Member, Office, Venue

#: What each section refers to: it is read once these are complete (or known to be absent).
_NEEDS = {
    "office": (),
    "letter_templates": (),
    "members": (),
    "contacts": ("members",),
    "venues": (),
    "meetings": ("contacts", "venues"),
    "awards": ("members", "contacts", "meetings"),
    "audit": ("office", "members", "contacts", "venues", "meetings", "awards"),
}
_NOT_EMPTY = "Die Datenbank enthält schon Daten. Eine Austauschdatei wird nur in eine leere Datenbank geladen."
_CONTENT = 7  # rank of a problem inside a section; the ranks before it are numbered in order below
_DATABASE_REFUSED = SECTIONS.index("awards") + 0.5  # the database's own rules were checked after the awards


def import_office(
    db: Database, data: dict[str, Any], *, attachments_from: Path | None = None, warnings: list[str] | None = None
) -> dict[str, int]:
    """Load a whole office into an empty database in one transaction; nothing changes on any error.

    Attachment files are read from `attachments_from` only (the folder beside an exchange file); lines
    about attachments kept without their file are added to `warnings`.
    """
    return _run(db, reader.top_level(data), attachments_from, warnings)


def import_file(db: Database, path: Path, *, warnings: list[str] | None = None) -> dict[str, int]:
    files = folder_beside(path)
    try:
        return _run(db, reader.stream_file(path), files, warnings)
    except reader.Malformed:  # names the problem exactly (or reads a file we doubted)
        return import_office(db, reader.load_file(path), attachments_from=files, warnings=warnings)


def _run(
    db: Database, top: Iterator[tuple[str, Any]], attachments_from: Path | None, warnings: list[str] | None
) -> dict[str, int]:
    files = ImportedFiles(attachments_from, attachments.folder(db))
    try:
        with collector_paused(), db.transaction() as s:
            s.info["audit"] = False  # the file carries its own change log
            hold_import_lock(s)  # the "empty database" check and the writes as one step: a second import waits
            job = _Import(s, files)
            job.read(top)
            files.copy_all()
    except BaseException:
        files.discard_all()  # nothing imported, no file left behind
        raise
    if warnings is not None:
        warnings.extend(files.warnings)
    return job.sections.counts


_OFFICE_TABLES = (Office, LetterTemplate, Member, Contact, Venue, Meeting, Award)


def _is_empty(s: Session) -> bool:
    return not any(s.scalar(select(func.count()).select_from(model)) for model in _OFFICE_TABLES)


class _Import:
    def __init__(self, s: Session, files: ImportedFiles) -> None:
        self.writer = Writer(s)
        self.sections = Sections(self.writer, files)
        self.problem: tuple[tuple[Any, ...], str] | None = None
        self.given: set[str] = set()
        self.done: set[str] = set()
        self.waiting: dict[str, Any] = {}  # sections that came before what they refer to
        if not _is_empty(s):
            self.note((4,), _NOT_EMPTY)

    def note(self, rank: tuple[Any, ...], message: str) -> None:
        """Keep the best-ranked problem; from the first one on, nothing more is written."""
        if self.problem is None or rank < self.problem[0]:
            self.problem = (rank, message)
        self.writer.discard = True

    def may_read(self, section: str) -> bool:
        """Whether a problem inside `section` could still be the one reported."""
        return self.problem is None or self.problem[0] > (_CONTENT, SECTIONS.index(section))

    def read(self, top: Iterable[tuple[str, Any]]) -> None:
        for key, value in top:
            if key not in TOP_KEYS:
                self.note((1, key), f".{key}: Dieses Feld gibt es im Format nicht (Tippfehler?).")
                continue
            self.given.add(key)
            if isinstance(value, Array) and key in ("format", "version", "office"):
                value = list(value)  # given as a list: only worth a message
            if key == "format":
                self.check_format(value)
            elif key == "version":
                self.check_version(value)
            else:
                self.arrive(key, value)
        if "format" not in self.given:
            self.check_format(None)
        if "version" not in self.given:
            self.check_version(None)
        for section in SECTIONS:  # what is still missing is absent: the waiting sections follow in order
            self.complete(section, self.waiting.pop(section, None))
        if self.problem is None:
            try:
                self.writer.flush()
            except DatabaseRefused as exc:
                self.note((_CONTENT, _DATABASE_REFUSED), str(exc))
        if self.problem is not None:
            raise ExchangeError(self.problem[1])

    def check_format(self, value: Any) -> None:
        if value != FORMAT:
            self.note((2,), 'Datei.format: Das ist keine Austauschdatei der Geschäftsstelle ("geschaeftsstelle").')

    def check_version(self, value: Any) -> None:
        if value != VERSION:
            self.note((3,), f"Datei.version: Version {value!r} wird nicht unterstützt (diese Programmversion liest 1).")

    def arrive(self, section: str, value: Any) -> None:
        """A section from the file: read now if what it refers to is complete, else kept until it is."""
        if section in ID_SECTIONS:
            if value is not None and not isinstance(value, Array):
                self.note((5, SECTIONS.index(section)), _not_a_list(section, value))
                value = None
            elif value is not None:
                value = _checked_ids(self, section, value)
        if all(needed in self.done for needed in _NEEDS[section]):
            self.complete(section, value)
        else:
            self.waiting[section] = list(value) if isinstance(value, (Array, Iterator)) else value
        for waiting in [w for w in SECTIONS if w in self.waiting]:
            if all(needed in self.done for needed in _NEEDS[waiting]):
                self.complete(waiting, self.waiting.pop(waiting))

    def complete(self, section: str, value: Any) -> None:
        if section in self.done:
            return
        self.done.add(section)
        if section == "office":
            if self.may_read(section):
                self.guarded(section, self.sections.office, value)
        elif section in ("letter_templates", "audit") and value is not None and not isinstance(value, (Array, list)):
            if self.may_read(section):
                self.note((_CONTENT, SECTIONS.index(section)), _not_a_list(section, value))
        else:
            read = getattr(self.sections, _ENTRY_READERS[section])
            for i, item in enumerate(value or ()):
                if self.may_read(section):
                    self.guarded(section, read, i, item)
        if section == "contacts":
            self.guarded(section, self.sections.people_done)
        if self.problem is None:
            self.guarded(section, self.writer.flush)

    def guarded(self, section: str, read: Any, *args: Any) -> None:
        try:
            read(*args)
        except DatabaseRefused as exc:  # a chunk written on the way
            self.note((_CONTENT, _DATABASE_REFUSED), str(exc))
        except ExchangeError as exc:
            self.note((_CONTENT, SECTIONS.index(section)), str(exc))


def _not_a_list(section: str, value: Any) -> str:
    return f"Datei.{section}: Eine Liste […] wird erwartet, nicht {kind_of(value)}."


_ENTRY_READERS = {
    "letter_templates": "letter_template",
    "members": "member",
    "contacts": "contact",
    "venues": "venue",
    "meetings": "meeting",
    "awards": "award",
    "audit": "audit_entry",
}


def _checked_ids(job: _Import, section: str, items: Iterable[Any]) -> Iterator[Any]:
    """The entries as they come, each `id` checked first: present, a text, unique in its section."""
    position = SECTIONS.index(section)
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        path = f"{section}[{i}]"
        if not isinstance(item, dict):
            job.note((6, position, i), f"{path}: Ein Objekt {{…}} wird erwartet.")
        else:
            ident = item.get("id")
            if not isinstance(ident, str) or not ident:
                job.note((6, position, i), f"{path}.id: Eine nicht leere Kennung (Text) wird erwartet.")
            elif ident in seen:
                again = f"{section}[{seen[ident]}]"
                job.note((6, position, i), f"{path}.id: Die Kennung „{ident}“ steht schon bei {again}.")
            else:
                seen[ident] = i
        yield item
