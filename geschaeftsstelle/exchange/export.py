"""Writing the whole office in the exchange format, table by table, without building ORM objects.

Rows are read as plain columns in id order (the big tables streamed, `yield_per`), turned into entries
through the field tables of `format.py` and written by `layout` as they come: the file is byte for
byte what `json.dumps(indent=2)` of the whole document gave, with ids renumbered by position (`m1`,
`m2`, …), so export → import into an empty database → export gives the identical file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Executable, Select, Text, select, type_coerce
from sqlalchemy.orm import Session

from geschaeftsstelle.attachments import folder as attachments_folder
from geschaeftsstelle.collector import collector_paused
from geschaeftsstelle.exchange import layout
from geschaeftsstelle.exchange.attachment_files import export_copies
from geschaeftsstelle.exchange.format import (
    AGENDA_ITEM,
    ATTACHMENT,
    AUDIT_ENTRY,
    AWARD,
    CONTACT,
    COUNTED,
    DATE,
    DATETIME,
    FORMAT,
    INVITATION,
    LETTER_TEMPLATE,
    MEETING,
    MEMBER,
    NOMINATION,
    OFFICE,
    SCORE,
    VENUE,
    VERSION,
    Table,
)
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AgendaItem,
    AuditEntry,
    Award,
    AwardCriterion,
    Contact,
    Invitation,
    LetterKind,
    LetterTemplate,
    Meeting,
    Member,
    MemberTag,
    Nomination,
    NominationAttachment,
    Office,
    Score,
    Venue,
    award_jurors,
    meeting_speakers,
)

_BATCH = 2000
#: Kinds the export fills in itself (references by position, nested lists), not from a column.
_GIVEN = frozenset({"ident", "rows", "tags", "refs", "names"})


def _day(value: dt.date | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if value.year >= 1000 else value.strftime(DATE)


def _moment(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes") if value.year >= 1000 else value.strftime(DATETIME)


def _stamp(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds") if value.year >= 1000 else value.strftime("%Y-%m-%dT%H:%M:%S")


def _names(value: Any) -> list[Any]:
    """A JSON list column read as its text (SQLite) or as decoded by the driver (PostgreSQL)."""
    if value.__class__ is str:
        return [] if value == "[]" else json.loads(value)  # most invitations name nobody: no decoding
    return list(value or [])


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "day": _day,
    "moment": _moment,
    "stamp": _stamp,
    "clock": lambda v: v.strftime("%H:%M") if v is not None else None,
    "amount": lambda v: f"{v:.2f}" if v is not None else None,
    "texts": _names,
}


class _Plan:
    """How rows of one table become entries: the columns to select, in field order, and their conversions."""

    def __init__(self, table: Table, model: Any, refs: dict[str, dict[int, str]]) -> None:
        self.keys = [f.key for f in table.fields]
        plain = [f for f in table.fields if f.kind not in _GIVEN]
        self.columns: list[ColumnElement[Any]] = [
            type_coerce(getattr(model, f.name), Text) if f.kind == "texts" else getattr(model, f.name) for f in plain
        ]
        self.column_keys = [f.key for f in plain]
        self.convert: list[tuple[str, Callable[[Any], Any]]] = []
        for f in plain:
            if f.kind in _CONVERT:
                self.convert.append((f.key, _CONVERT[f.kind]))
            elif f.kind in ("ref", "pick"):
                self.convert.append((f.key, _reference(refs[f.target])))

    def entry(self, row: Sequence[Any], given: dict[str, Any] | None = None) -> dict[str, Any]:
        entry = dict.fromkeys(self.keys)  # the field order, filled below
        entry.update(zip(self.column_keys, row, strict=True))
        for key, convert in self.convert:
            entry[key] = convert(entry[key])
        if given:
            entry.update(given)
        return entry


def _reference(refs: dict[int, str]) -> Callable[[Any], Any]:
    return lambda value: refs.get(value) if value else None


def _rows(s: Session, query: Executable) -> Iterator[Any]:
    """A query's rows fetched in batches (a server-side cursor on PostgreSQL)."""
    return iter(s.execute(query, execution_options={"yield_per": _BATCH}))


class _Children:
    """A child table's rows ordered by parent id (first column), handed out parent by parent."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self.rows = rows
        self.head = next(rows, None)

    def of(self, parent_id: int) -> list[Any]:
        found = []
        while self.head is not None and self.head[0] <= parent_id:
            if self.head[0] == parent_id:
                found.append(self.head[1:])
            self.head = next(self.rows, None)
        return found


class _Export:
    def __init__(self, s: Session) -> None:
        self.s = s
        self.counts = dict.fromkeys(COUNTED, 0)
        self.files: list[tuple[str, str, str]] = []  # attachments' stored copies: name, sha256, label
        # position references by table; filled as the sections are written, each before it is referred to
        self.refs: dict[str, dict[int, str]] = {
            "office": {1: "office"},
            "members": {},
            "contacts": {},
            "venues": {},
            "meetings": {},
            "invitations": {},
            "awards": {},
            "nominations": {},
            "criteria": {},
        }
        audited = select(AuditEntry.entity_id).where(AuditEntry.entity == "invitation").distinct()
        self.audited_invitations = set(s.scalars(audited))

    def sections(self) -> Iterator[tuple[str, Any]]:
        yield "format", FORMAT
        yield "version", VERSION
        yield "office", self.office()
        yield "letter_templates", self.letter_templates()
        yield "members", self.members()
        yield "contacts", self.simple("contacts", CONTACT, Contact)
        yield "venues", self.simple("venues", VENUE, Venue)
        yield "meetings", self.meetings()
        yield "awards", self.awards()
        yield "audit", self.audit()

    def office(self) -> dict[str, Any] | None:
        plan = _Plan(OFFICE, Office, self.refs)
        row = self.s.execute(select(*plan.columns).where(Office.id == 1)).first()
        return None if row is None else plan.entry(row)

    def letter_templates(self) -> list[dict[str, Any]]:
        plan = _Plan(LETTER_TEMPLATE, LetterTemplate, self.refs)
        order = {k.value: i for i, k in enumerate(LetterKind)}
        rows = sorted(self.s.execute(select(*plan.columns)), key=lambda r: order.get(r[0], len(order)))
        self.counts["letter_templates"] = len(rows)
        return [plan.entry(r) for r in rows]

    def members(self) -> Iterator[dict[str, Any]]:
        plan = _Plan(MEMBER, Member, self.refs)
        tags = _Children(_rows(self.s, select(MemberTag.member_id, MemberTag.tag).order_by(MemberTag.member_id)))
        refs = self.refs["members"]
        for row in _rows(self.s, select(Member.id, *plan.columns).order_by(Member.id)):
            ref = refs[row[0]] = f"m{len(refs) + 1}"
            yield plan.entry(row[1:], {"id": ref, "tags": sorted(t for (t,) in tags.of(row[0]))})
        self.counts["members"] = len(refs)

    def simple(self, section: str, table: Table, model: Any) -> Iterator[dict[str, Any]]:
        plan = _Plan(table, model, self.refs)
        refs = self.refs[section]
        for row in _rows(self.s, select(model.id, *plan.columns).order_by(model.id)):
            ref = refs[row[0]] = f"{section[0]}{len(refs) + 1}"
            yield plan.entry(row[1:], {"id": ref})
        self.counts[section] = len(refs)

    def meetings(self) -> Iterator[dict[str, Any]]:
        plan = _Plan(MEETING, Meeting, self.refs)
        agenda_plan = _Plan(AGENDA_ITEM, AgendaItem, self.refs)
        invitation_plan = _Plan(INVITATION, Invitation, self.refs)
        links = meeting_speakers.c
        agenda = _Children(_rows(self.s, select(AgendaItem.meeting_id, *agenda_plan.columns)
                                 .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)))  # fmt: skip
        speakers = _Children(_rows(self.s, select(links.meeting_id, links.contact_id)
                                   .order_by(links.meeting_id, links.position, links.contact_id)))  # fmt: skip
        invitations = _Children(_rows(self.s, select(Invitation.meeting_id, Invitation.id, *invitation_plan.columns)
                                      .order_by(Invitation.meeting_id, Invitation.id)))  # fmt: skip
        refs, contacts, audited = self.refs["meetings"], self.refs["contacts"], self.audited_invitations
        for row in _rows(self.s, select(Meeting.id, *plan.columns).order_by(Meeting.id)):
            ref = refs[row[0]] = f"t{len(refs) + 1}"
            entries = []
            for i, (invitation_id, *values) in enumerate(invitations.of(row[0])):
                if invitation_id in audited:
                    self.refs["invitations"][invitation_id] = f"{ref}.invitations[{i}]"
                entries.append(invitation_plan.entry(values))
            self.counts["invitations"] += len(entries)
            given = {
                "id": ref,
                "speakers": [contacts[c] for (c,) in speakers.of(row[0])],
                "agenda": [agenda_plan.entry(a) for a in agenda.of(row[0])],
                "invitations": entries,
            }
            yield plan.entry(row[1:], given)
        self.counts["meetings"] = len(refs)

    def awards(self) -> Iterator[dict[str, Any]]:
        s, plan = self.s, _Plan(AWARD, Award, self.refs)
        nomination_plan = _Plan(NOMINATION, Nomination, self.refs)
        score_plan = _Plan(SCORE, Score, self.refs)
        attachment_plan = _Plan(ATTACHMENT, NominationAttachment, self.refs)
        jurors = award_jurors.c
        criterion = AwardCriterion
        criteria = _Children(_rows(s, select(criterion.award_id, criterion.id, criterion.name)
                                   .order_by(criterion.award_id, criterion.position, criterion.id)))  # fmt: skip
        jury = _Children(_rows(s, select(jurors.award_id, jurors.contact_id)
                               .order_by(jurors.award_id, jurors.position, jurors.contact_id)))  # fmt: skip
        nominations = _Children(_rows(s, select(Nomination.award_id, Nomination.id, *nomination_plan.columns)
                                      .order_by(Nomination.award_id, Nomination.id)))  # fmt: skip
        scores = {
            nomination_id: rows
            for nomination_id, rows in _grouped(s, select(Score.nomination_id, *score_plan.columns).order_by(Score.id))
        }
        attachments = dict(_grouped(s, select(NominationAttachment.nomination_id, *attachment_plan.columns)
                                    .order_by(NominationAttachment.id)))  # fmt: skip
        refs, contacts, named = self.refs["awards"], self.refs["contacts"], self.refs["nominations"]
        for row in _rows(s, select(Award.id, *plan.columns).order_by(Award.id)):
            ref = refs[row[0]] = f"a{len(refs) + 1}"
            names = criteria.of(row[0])
            self.refs["criteria"].update(names)  # criterion id → name, for the scores
            entries = []
            for nomination_id, *values in nominations.of(row[0]):
                nomination_ref = named[nomination_id] = f"n{len(named) + 1}"
                given = {
                    "id": nomination_ref,
                    "scores": [score_plan.entry(r) for r in scores.get(nomination_id, [])],
                    "attachments": self._attachments(attachment_plan, attachments.get(nomination_id, [])),
                }
                entries.append(nomination_plan.entry(values, given))
            given = {
                "id": ref,
                "criteria": [name for _, name in names],
                "jury": [contacts[c] for (c,) in jury.of(row[0])],
                "nominations": entries,
            }
            yield plan.entry(row[1:], given)
        self.counts["awards"] = len(refs)
        self.counts["nominations"] = len(named)

    def _attachments(self, plan: _Plan, rows: list[Any]) -> list[dict[str, Any]]:
        """A nomination's attachments; those with a stored copy are noted for the folder beside the file."""
        entries = [plan.entry(r) for r in rows]
        self.files.extend((a["file"], a["sha256"], a["label"]) for a in entries if a["file"] is not None)
        return entries

    def audit(self) -> Iterator[dict[str, Any]]:
        plan = _Plan(AUDIT_ENTRY, AuditEntry, self.refs)
        by_entity = {entity: self.refs[section] for entity, section in _AUDITED_SECTIONS.items()}
        record, entity = plan.column_keys.index("record"), plan.column_keys.index("entity")
        for row in _rows(self.s, select(*plan.columns).order_by(AuditEntry.id)):
            values = list(row)
            values[record] = by_entity.get(values[entity], {}).get(values[record])
            self.counts["audit"] += 1
            yield plan.entry(values)


_AUDITED_SECTIONS = {
    "office": "office",
    "member": "members",
    "contact": "contacts",
    "venue": "venues",
    "meeting": "meetings",
    "invitation": "invitations",
    "award": "awards",
    "nomination": "nominations",
}


def _grouped(s: Session, query: Select[Any]) -> Iterator[tuple[int, list[Any]]]:
    groups: dict[int, list[Any]] = {}
    for row in s.execute(query):
        groups.setdefault(row[0], []).append(row[1:])
    return iter(groups.items())


@contextmanager
def _snapshot(db: Database) -> Iterator[Session]:
    """A read transaction that sees one state throughout: the sections are read one after another, and an
    entry may only refer to what an earlier section wrote (SQLite's read transaction does this by itself)."""
    with db.read() as s:
        if not db.is_sqlite:
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield s


def export_office(db: Database) -> dict[str, Any]:
    """The whole office as one document (for tests and small offices; files are streamed by export_file)."""
    with collector_paused(), _snapshot(db) as s:
        return {key: list(value) if isinstance(value, Iterator) else value for key, value in _Export(s).sections()}


def export_file(db: Database, path: Path) -> dict[str, int]:
    """Write the file under a temporary name, moved into place only when complete; returns what it holds."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with collector_paused(), _snapshot(db) as s, tmp.open("w", encoding="utf-8") as file:
            export = _Export(s)
            layout.write_document(file, export.sections())
        export_copies(attachments_folder(db), path, export.files)  # checked copies beside the file
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written export behind
        raise
    return export.counts
