"""list indexes: contacts in name order, invitations counted per meeting and reply

PostgreSQL reads the contact list in the order of ix_contacts_sort_name (lower(last_name), lower(first_name),
id) instead of sorting 20,000 wide rows in temporary files on every call; SQLite gets no such index (see
the model). The Termine list counts replies per meeting from ix_invitations_meeting_response (meeting_id,
response, persons) alone, without reading the invitations table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:50:53.670584
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_contacts_sort_name",
            "contacts",
            [sa.literal_column("lower(last_name)"), sa.literal_column("lower(first_name)"), "id"],
            unique=False,
        )
    op.create_index(
        "ix_invitations_meeting_response", "invitations", ["meeting_id", "response", "persons"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_invitations_meeting_response", table_name="invitations")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_contacts_sort_name", table_name="contacts")
