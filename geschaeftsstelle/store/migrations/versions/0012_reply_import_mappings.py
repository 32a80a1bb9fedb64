"""column mappings of online-form reply imports, per meeting: which column holds the code, the e-mail, the answer …

Only column headers are stored (no personal data); the next export of the same form is mapped at once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reply_import_mappings",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_reply_import_mappings_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_reply_import_mappings")),
    )


def downgrade() -> None:
    op.drop_table("reply_import_mappings")
