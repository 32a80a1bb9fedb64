"""members' founding dates: a member organisation may carry the day it was founded (for round anniversaries)

One nullable date column; existing members have none until the office enters it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("members", sa.Column("founded_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.drop_column("founded_on")
