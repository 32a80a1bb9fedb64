"""search text folds spelled-out umlauts: "Mueller", "Muller" and "Müller" find each other

The stored `search_text` of members and contacts was folded for accents only ("müller" → "muller"); typed
queries are now folded further ("ae" → "a", "oe" → "o", "ue" → "u", see `geschaeftsstelle.search`), so the
stored texts are rebuilt the same way. The new form follows from the old one alone (the step works within a
word and never across the " | " between parts), so the rows are rewritten in batches without the model.
The schema does not change. Downgrade rebuilds the accent-only text from the records' own columns.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 00:10:00
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("members", "contacts")
_BATCH = 1000
#: Frozen copies of the folding as of this revision (later changes to `search` must not alter a migration).
_SPELLED_UMLAUT = re.compile("([aou])e+")
_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def _batches(bind: sa.Connection, query: str) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows of `query` (which selects id first and takes :after and :limit) in id order, one batch at a time."""
    after = 0
    while rows := bind.execute(sa.text(query), {"after": after, "limit": _BATCH}).fetchall():
        yield rows
        after = rows[-1][0]


def _rewrite(bind: sa.Connection, table: str, new_text: dict[int, str]) -> None:
    if new_text:
        bind.execute(
            sa.text(f"UPDATE {table} SET search_text = :text WHERE id = :id"),
            [{"id": ident, "text": text} for ident, text in new_text.items()],
        )


def upgrade() -> None:
    bind = op.get_bind()
    for table in _TABLES:
        query = f"SELECT id, search_text FROM {table} WHERE id > :after ORDER BY id LIMIT :limit"
        for rows in _batches(bind, query):
            changed: dict[int, str] = {}
            for ident, text in rows:
                new = _SPELLED_UMLAUT.sub(r"\1", text or "")
                if new != (text or ""):
                    changed[ident] = new
            _rewrite(bind, table, changed)


def _old_fold(text: str) -> str:
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())


def _old_search_text(parts: Sequence[str | None]) -> str:
    return " | ".join(_old_fold(p) for p in parts if p)


def downgrade() -> None:
    bind = op.get_bind()
    query = "SELECT id, name, member_number, city FROM members WHERE id > :after ORDER BY id LIMIT :limit"
    for rows in _batches(bind, query):
        ids = {"ids": [r[0] for r in rows]}
        expanding: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
        tags: dict[int, list[str]] = {}
        for member_id, tag in bind.execute(
            sa.text("SELECT member_id, tag FROM member_tags WHERE member_id IN :ids").bindparams(expanding), ids
        ):
            tags.setdefault(member_id, []).append(tag)
        names: dict[int, list[str | None]] = {}
        for member_id, first, last in bind.execute(
            sa.text(
                "SELECT member_id, first_name, last_name FROM contacts WHERE member_id IN :ids ORDER BY id"
            ).bindparams(expanding),
            ids,
        ):
            names.setdefault(member_id, []).extend((first, last))
        _rewrite(
            bind,
            "members",
            {
                ident: _old_search_text([name, number, city, *sorted(tags.get(ident, [])), *names.get(ident, [])])
                for ident, name, number, city in rows
            },
        )
    query = (
        "SELECT c.id, c.title, c.first_name, c.last_name, coalesce(m.name, c.organisation), c.role, c.email, c.city "
        "FROM contacts c LEFT JOIN members m ON m.id = c.member_id WHERE c.id > :after ORDER BY c.id LIMIT :limit"
    )
    for rows in _batches(bind, query):
        _rewrite(bind, "contacts", {r[0]: _old_search_text(list(r[1:])) for r in rows})
