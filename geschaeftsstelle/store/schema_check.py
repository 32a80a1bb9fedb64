"""Whether a SQLite file holds exactly the schema this program's migrations make at its revision.

A restored backup becomes the live database, and whatever schema objects it carries run with every later
save: an extra trigger could delete contacts or swap the letterhead's IBAN, an altered table breaks the
export or every save. So a backup's tables, indexes, triggers and views are compared with a schema built
fresh, in memory, by the program's own migrations up to the backup's revision (so triggers that a migration
adds are expected, any other is not). SQL text is compared normalised (quotes and spacing aside, which a
table rebuild during a migration changes); SQLite's own objects (`sqlite_*`) are left out.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from alembic import command
from sqlalchemy.engine import URL

from geschaeftsstelle.store import migrate
from geschaeftsstelle.store.database import create_db_engine

#: (type, name) → normalised SQL
Schema = dict[tuple[str, str], str]

_KIND_WORDS = {
    "table": ("Tabelle", "zusätzliche"),
    "index": ("Index", "zusätzlicher"),
    "trigger": ("Trigger", "zusätzlicher"),
    "view": ("Sicht", "zusätzliche"),
}
_SHOWN_DIFFERENCES = 3


def normalised(sql: str | None) -> str:
    """SQL text without identifier quotes and with one way of spacing."""
    if sql is None:
        return ""
    text = re.sub(r'["`\[\]]', "", sql)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ?([(),;]) ?", r"\1", text)


_TABLE_CONSTRAINT = re.compile(r"(CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY)\b", re.IGNORECASE)


def _top_level_parts(body: str) -> list[str]:
    parts, depth, start, quoted = [], 0, 0, False
    for i, char in enumerate(body):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def normalised_table(sql: str | None) -> str:
    """A CREATE TABLE with its columns in order and its table constraints sorted: a rebuild during a
    migration writes the constraints in no fixed order."""
    text = normalised(sql)
    opening, closing = text.find("("), text.rfind(")")
    if opening < 0 or closing < opening:
        return text
    parts = _top_level_parts(text[opening + 1 : closing])
    columns = [p for p in parts if not _TABLE_CONSTRAINT.match(p)]
    constraints = sorted(p for p in parts if _TABLE_CONSTRAINT.match(p))
    return text[: opening + 1] + ",".join(columns + constraints) + text[closing:]


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every table, index, trigger and view of an open SQLite connection, SQLite's own objects left out."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    return {
        (str(kind), str(name)): normalised_table(sql) if kind == "table" else normalised(sql)
        for kind, name, sql in rows
    }


@cache
def expected_schema(revision: str) -> Schema:
    """The schema the migrations produce at `revision`, built once per process in an in-memory database."""
    engine = create_db_engine(URL.create("sqlite+pysqlite", database=":memory:"), foreign_keys=False)
    cfg = migrate.alembic_config()
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            return schema_of(raw)
    finally:
        engine.dispose()


def differences(actual: Schema, expected: Schema) -> list[str]:
    """German phrases naming each object that is extra, missing or altered, tables first."""
    order = {"table": 0, "view": 1, "trigger": 2, "index": 3}
    found: list[tuple[int, str]] = []
    for key in sorted(actual.keys() | expected.keys(), key=lambda k: (order.get(k[0], 9), k[1])):
        kind, name = key
        word, extra = _KIND_WORDS.get(kind, (kind, "zusätzlich"))
        if key not in expected:
            found.append((order.get(kind, 9), f"{extra} {word} „{name}“"))
        elif key not in actual:
            found.append((order.get(kind, 9), f"{word} „{name}“ fehlt"))
        elif actual[key] != expected[key]:
            found.append((order.get(kind, 9), f"{word} „{name}“ ist verändert"))
    return [text for _rank, text in found]


def describe(found: list[str]) -> str:
    """At most three differences in one line, with how many more there are."""
    shown = "; ".join(found[:_SHOWN_DIFFERENCES])
    rest = len(found) - _SHOWN_DIFFERENCES
    return shown + (f" und {rest} weitere Abweichungen" if rest > 0 else "")
