"""letters: templates, salutation style, signatories, programme kinds, announced date

Every letter reads from present facts: the office's own letter texts (letter_templates), per meeting a
greeting style, subject, letter date and up to two signatories, programme rows with a kind and an end
time, the office's short name for the return line, and what invitees were last told (announced_*), so
that a change letter states old and new. Meetings whose letters already went out get their current
date and place as "announced".

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:27:54.180363
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letter_templates",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('invitation', 'reply_form', 'cancellation', 'change')", name=op.f("ck_letter_templates_kind")
        ),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_letter_templates")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=10), server_default="top", nullable=False))
        batch_op.add_column(sa.Column("end_time", sa.Time(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_agenda_items_kind"), "kind IN ('top', 'break', 'item')")
        batch_op.create_check_constraint(
            op.f("ck_agenda_items_end_needs_start"), "end_time IS NULL OR time IS NOT NULL"
        )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("salutation_style", sa.String(length=20), server_default="formal", nullable=False)
        )
        batch_op.add_column(sa.Column("subject", sa.String(length=300), server_default="", nullable=False))
        batch_op.add_column(sa.Column("letter_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("signatory", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signatory_role", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signatory2", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signatory2_role", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("print_venue_notes", sa.Boolean(), server_default=sa.text("(false)"), nullable=False)
        )
        batch_op.add_column(sa.Column("announced_starts_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("announced_ends_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("announced_venue", sa.String(length=800), nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_meetings_salutation_style"), "salutation_style IN ('formal', 'collegial')"
        )
        batch_op.create_check_constraint(op.f("ck_meetings_sequence_nonnegative"), "sequence >= 0")

    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_name", sa.String(length=100), server_default="", nullable=False))

    # Letters that already went out announced the meeting's current date, time and place.
    op.execute(
        "UPDATE meetings SET announced_starts_at = starts_at, announced_ends_at = ends_at "
        "WHERE EXISTS (SELECT 1 FROM invitations i WHERE i.meeting_id = meetings.id AND i.sent_on IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("short_name")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_sequence_nonnegative"), type_="check")
        batch_op.drop_constraint(op.f("ck_meetings_salutation_style"), type_="check")
        batch_op.drop_column("sequence")
        batch_op.drop_column("announced_venue")
        batch_op.drop_column("announced_ends_at")
        batch_op.drop_column("announced_starts_at")
        batch_op.drop_column("print_venue_notes")
        batch_op.drop_column("signatory2_role")
        batch_op.drop_column("signatory2")
        batch_op.drop_column("signatory_role")
        batch_op.drop_column("signatory")
        batch_op.drop_column("letter_date")
        batch_op.drop_column("subject")
        batch_op.drop_column("salutation_style")

    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_agenda_items_end_needs_start"), type_="check")
        batch_op.drop_constraint(op.f("ck_agenda_items_kind"), type_="check")
        batch_op.drop_column("end_time")
        batch_op.drop_column("kind")

    op.drop_table("letter_templates")
