"""erasure register: contact id and date of every erasure (Art. 17), no personal data

An older backup restored later still holds people erased since; the register says whom to erase again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasure_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.Column("mentions_blanked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_register")),
    )
    with op.batch_alter_table("erasure_register", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_register_contact_id"), ["contact_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("erasure_register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_register_contact_id"))
    op.drop_table("erasure_register")
