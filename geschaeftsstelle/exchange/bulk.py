"""Rows for many tables, written in chunks in foreign-key order: executemany on SQLite, COPY on PostgreSQL.

Like `member_import`, ids are assigned before the rows are written (no RETURNING, no ORM bookkeeping):
on SQLite the write lock (BEGIN IMMEDIATE) is held, so the ids after the highest one are ours; on
PostgreSQL they come from each table's sequence in blocks. Once a problem is known (`discard`), rows
and ids no longer touch the database: the transaction will be rolled back anyway.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import JSON, Table, cast, func, literal, select
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from geschaeftsstelle.exchange.format import ExchangeError
from geschaeftsstelle.store.models import (
    AgendaItem,
    AuditEntry,
    Award,
    AwardCriterion,
    Contact,
    Invitation,
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

#: Every table the import writes, each after the tables it refers to.
ORDER: tuple[Table, ...] = tuple(
    m if isinstance(m, Table) else m.__table__  # type: ignore[misc]  # __table__ is typed FromClause; mapped classes here are tables
    for m in (Office, LetterTemplate, Member, MemberTag, Contact, Venue, Meeting, AgendaItem, meeting_speakers,
              Invitation, Award, AwardCriterion, award_jurors, Nomination, Score, NominationAttachment, AuditEntry)
)  # fmt: skip
_CHUNK = 10_000
_EMPTY_LIST = json.dumps([])
_MAX_BLOCK = 8192


class DatabaseRefused(ExchangeError):
    """The database refused rows the checks let through (its constraints have the last word)."""


class Writer:
    def __init__(self, s: Session) -> None:
        self.s = s
        dialect = s.get_bind().dialect
        self.postgresql = dialect.name == "postgresql"
        self.refusals = (IntegrityError, DataError, dialect.loaded_dbapi.IntegrityError, dialect.loaded_dbapi.DataError)
        self.rows: dict[Table, list[dict[str, Any]]] = {table: [] for table in ORDER}
        self.pending = 0
        self.discard = False
        self._free: dict[Table, Iterator[int]] = {}
        self._last: dict[Table, int] = {}
        self._block: dict[Table, int] = {}
        self._sequence: dict[Table, Any] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        if self.discard:
            return
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= _CHUNK:
            self.flush()

    def next_id(self, table: Table) -> int:
        """A new primary key for `table`, never one handed out before."""
        value = next(self._free[table], None) if table in self._free else None
        if value is None:
            self._free[table] = self._reserve(table)
            value = next(self._free[table])
        self._last[table] = value
        return value

    def _reserve(self, table: Table) -> Iterator[int]:
        after = self._last.get(table, 0)
        if self.discard:  # nothing will be written: unique numbers do
            return itertools.count(after + 1)
        if not self.postgresql:
            highest = self.s.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
            return itertools.count(max(highest, after) + 1)
        size = self._block[table] = min(2 * self._block.get(table, 32), _MAX_BLOCK)
        if table not in self._sequence:  # looked up once: inside nextval() it would be looked up per row
            name = self.s.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
            self._sequence[table] = cast(literal(name), REGCLASS)
        block = select(func.array_agg(func.nextval(self._sequence[table]))).select_from(func.generate_series(1, size))
        return iter(self.s.scalar(block) or [])  # one array, not thousands of rows

    def flush(self) -> None:
        """Write what is collected, parents before children."""
        self.pending = 0
        if self.discard:
            for rows in self.rows.values():
                rows.clear()
            return
        try:
            for table, rows in self.rows.items():
                if rows:
                    (self._copy if self.postgresql else self._insert)(table, rows)
                    rows.clear()
        except self.refusals as exc:
            raise DatabaseRefused(_first_line(getattr(exc, "orig", None) or exc)) from exc

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """executemany on the driver's cursor, each value through SQLAlchemy's own conversion for its column
        (the stored text of a date or a JSON list is the ORM's), without SQLAlchemy's per-row bookkeeping."""
        columns = list(rows[0])
        dialect = self.s.get_bind().dialect
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        data = [[row[c] for row in rows] for c in columns]
        for i, column in enumerate(columns):
            if process := table.c[column].type.dialect_impl(dialect).bind_processor(dialect):
                data[i] = _converted(data[i], process)
        cursor = self.s.connection().connection.cursor()
        try:
            cursor.executemany(sql, zip(*data, strict=True))  # type: ignore[arg-type]  # any iterable; a list costs memory
        finally:
            cursor.close()

    def _copy(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """COPY … FROM STDIN: executemany would cost a round trip per row. psycopg adapts dates, numbers and
        booleans itself; JSON columns go as their text (json.dumps, as SQLAlchemy's JSON type writes them)."""
        columns = list(rows[0])
        data = [[row[c] for row in rows] for c in columns]
        for i, column in enumerate(columns):
            if isinstance(table.c[column].type, JSON):
                data[i] = [_EMPTY_LIST if v == [] else json.dumps(v) for v in data[i]]
        names = ", ".join(f'"{c}"' for c in columns)
        driver = self.s.connection().connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for values in zip(*data, strict=True):
                copy.write_row(values)


def _converted(values: list[Any], process: Any) -> list[Any]:
    """A column's values converted; each distinct value once (a meeting's invitations share their dates)."""
    try:
        done = {v: process(v) for v in set(values)}
    except TypeError:  # lists (JSON): one by one
        return list(map(process, values))
    return list(map(done.__getitem__, values))


def _first_line(exc: BaseException | None) -> str:
    return f"Die Datei verletzt eine Regel der Datenbank: {exc}".splitlines()[0]
