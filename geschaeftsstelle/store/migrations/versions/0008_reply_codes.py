"""reply codes of invitations: every invitation gets a unique code for „Rückmeldung erfassen“

Every invitation gets a short code (geschaeftsstelle/reply_codes.py: five random characters and a check
character) that the letter and the reply form print and the reply is recorded by. Existing rows get theirs
here, then the column becomes NOT NULL and unique. On SQLite the table is rebuilt for that (batch mode),
which drops its triggers (the reply counters of 0005): their own text is read before and written back after,
unchanged. On PostgreSQL the codes are written by one UPDATE, so the statement trigger runs once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OWN_TABLE_ONLY = {"resolve_fks": False}


def _new_codes(count: int) -> list[str]:
    """`count` distinct fresh codes with the program's own rule (an old row's code must pass its check)."""
    from geschaeftsstelle import reply_codes

    return reply_codes.new_codes(count)


def _sqlite_triggers(bind: sa.Connection) -> list[str]:
    query = sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'invitations' ORDER BY name")
    return [row[0] for row in bind.execute(query)]


def _rebuild(bind: sa.Connection, change: Callable[[BatchOperations], None]) -> None:
    """Run `change` in batch mode; on SQLite the rebuilt table gets its triggers back (the rebuild drops them)."""
    triggers = _sqlite_triggers(bind) if bind.dialect.name == "sqlite" else []
    with op.batch_alter_table("invitations", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        change(batch_op)
    still_there = set(_sqlite_triggers(bind)) if triggers else set()
    for statement in triggers:
        if statement not in still_there:
            op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("invitations", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("reply_code", sa.String(length=16), nullable=True))
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM invitations ORDER BY id"))]
    codes = _new_codes(len(ids))
    if ids and bind.dialect.name == "postgresql":
        bind.execute(
            sa.text(
                "UPDATE invitations SET reply_code = c.code FROM unnest(CAST(:ids AS integer[]), "
                "CAST(:codes AS varchar[])) AS c (id, code) WHERE invitations.id = c.id"
            ),
            {"ids": ids, "codes": codes},
        )
    elif ids:
        bind.execute(
            sa.text("UPDATE invitations SET reply_code = :code WHERE id = :id"),
            [{"id": i, "code": c} for i, c in zip(ids, codes, strict=True)],
        )

    def require(batch_op: BatchOperations) -> None:
        batch_op.alter_column("reply_code", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_invitations_reply_code"), ["reply_code"])

    _rebuild(bind, require)


def downgrade() -> None:
    def drop(batch_op: BatchOperations) -> None:
        batch_op.drop_constraint(batch_op.f("uq_invitations_reply_code"), type_="unique")
        batch_op.drop_column("reply_code")

    _rebuild(op.get_bind(), drop)
