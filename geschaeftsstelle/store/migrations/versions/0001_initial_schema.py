"""initial schema

Revision ID: 0001
Revises: -
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("member_number", sa.String(length=30), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
            name=op.f("ck_members_left_after_join"),
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_members_name_nonblank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("member_number", name=op.f("uq_members_member_number")),
    )
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("fax", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("bank_name", sa.String(length=200), nullable=True),
        sa.Column("iban", sa.String(length=42), nullable=True),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("signatory", sa.String(length=200), nullable=False),
        sa.Column("signatory_role", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "state IS NULL OR state IN ('BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH')",
            name=op.f("ck_office_state"),
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_office_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office")),
    )
    op.create_table(
        "venues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("accessible", sa.Boolean(), nullable=False),
        sa.Column("directions_url", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_venues_name_nonblank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("salutation", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "length(trim(first_name || last_name || coalesce(organisation, ''))) > 0",
            name=op.f("ck_contacts_has_name"),
        ),
        sa.CheckConstraint("salutation IN ('Frau', 'Herr', '')", name=op.f("ck_contacts_salutation")),
        sa.CheckConstraint(
            "member_id IS NOT NULL OR is_primary = false", name=op.f("ck_contacts_primary_needs_member")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_contacts_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "uq_contacts_primary_per_member",
            ["member_id"],
            unique=True,
            sqlite_where=sa.text("is_primary = 1"),
            postgresql_where=sa.text("is_primary"),
        )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=True),
        sa.Column("registration_contact", sa.String(length=300), nullable=True),
        sa.Column("members_only", sa.Boolean(), nullable=False),
        sa.Column("fee", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("catering", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('meeting', 'conference', 'network', 'festival', 'workshop', 'other')",
            name=op.f("ck_meetings_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'tentative', 'confirmed', 'cancelled')", name=op.f("ck_meetings_status")
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name=op.f("ck_meetings_capacity_positive")),
        sa.CheckConstraint("ends_at >= starts_at", name=op.f("ck_meetings_ends_after_start")),
        sa.CheckConstraint("fee IS NULL OR fee >= 0", name=op.f("ck_meetings_fee_nonnegative")),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_meetings_title_nonblank")),
        sa.CheckConstraint(
            "registration_deadline IS NULL OR registration_deadline <= starts_at",
            name=op.f("ck_meetings_deadline_before_start"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_meetings_venue_id_venues"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_venue_id"), ["venue_id"], unique=False)

    op.create_table(
        "member_tags",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.CheckConstraint("length(trim(tag)) > 0", name=op.f("ck_member_tags_tag_nonblank")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_tags_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("member_id", "tag", name=op.f("pk_member_tags")),
    )
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("time", sa.Time(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("presenter", sa.String(length=300), nullable=True),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_agenda_items_title_nonblank")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("nomination_deadline", sa.Date(), nullable=True),
        sa.Column("ceremony_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("length(trim(title)) > 0", name=op.f("ck_awards_title_nonblank")),
        sa.CheckConstraint("year >= 1900 AND year <= 2200", name=op.f("ck_awards_year_range")),
        sa.ForeignKeyConstraint(
            ["ceremony_id"], ["meetings.id"], name=op.f("fk_awards_ceremony_id_meetings"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awards")),
        sa.UniqueConstraint("year", name=op.f("uq_awards_year")),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=300), nullable=True),
        sa.Column("guest_organisation", sa.String(length=300), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("attendee_names", sa.JSON(), nullable=False),
        sa.Column("assistance", sa.Text(), nullable=False),
        sa.Column("diet", sa.Text(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "channel IS NULL OR channel IN ('post', 'email', 'fax', 'phone', 'in_person')",
            name=op.f("ck_invitations_channel"),
        ),
        sa.CheckConstraint(
            "response IN ('open', 'accepted', 'declined', 'tentative')", name=op.f("ck_invitations_response")
        ),
        sa.CheckConstraint("persons >= 0 AND persons <= 50", name=op.f("ck_invitations_persons_range")),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_invitations_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_invitations_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("meeting_id", "contact_id", name=op.f("uq_invitations_meeting_id_contact_id")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meeting_speakers",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_meeting_speakers_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_speakers_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "contact_id", name=op.f("pk_meeting_speakers")),
    )
    op.create_table(
        "award_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_award_criteria_name_nonblank")),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_award_criteria_award_id_awards"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_criteria")),
        sa.UniqueConstraint("award_id", "name", name=op.f("uq_award_criteria_award_id_name")),
    )
    with op.batch_alter_table("award_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_award_criteria_award_id"), ["award_id"], unique=False)

    op.create_table(
        "award_jurors",
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_award_jurors_award_id_awards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_award_jurors_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("award_id", "contact_id", name=op.f("pk_award_jurors")),
    )
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("nominee", sa.String(length=300), nullable=False),
        sa.Column("nominee_is_group", sa.Boolean(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("nominated_by_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("consent_publication", sa.Boolean(), nullable=False),
        sa.Column("consent_photo", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "status IN ('received', 'complete', 'shortlisted', 'awarded', 'not_awarded', 'withdrawn')",
            name=op.f("ck_nominations_status"),
        ),
        sa.CheckConstraint("length(trim(nominee)) > 0", name=op.f("ck_nominations_nominee_nonblank")),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_nominations_award_id_awards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_nominations_member_id_members"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by_id"],
            ["contacts.id"],
            name=op.f("fk_nominations_nominated_by_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nominations")),
    )
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nominations_award_id"), ["award_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nominations_member_id"), ["member_id"], unique=False)

    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score >= 1 AND score <= 5", name=op.f("ck_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["award_criteria.id"],
            name=op.f("fk_scores_criterion_id_award_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["juror_id"], ["contacts.id"], name=op.f("fk_scores_juror_id_contacts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nominations.id"],
            name=op.f("fk_scores_nomination_id_nominations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
        sa.UniqueConstraint(
            "nomination_id",
            "juror_id",
            "criterion_id",
            name=op.f("uq_scores_nomination_id_juror_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scores_nomination_id"), ["nomination_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scores_nomination_id"))

    op.drop_table("scores")
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nominations_member_id"))
        batch_op.drop_index(batch_op.f("ix_nominations_award_id"))

    op.drop_table("nominations")
    op.drop_table("award_jurors")
    with op.batch_alter_table("award_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_award_criteria_award_id"))

    op.drop_table("award_criteria")
    op.drop_table("meeting_speakers")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_invitations_contact_id"))

    op.drop_table("invitations")
    op.drop_table("awards")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
    op.drop_table("member_tags")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_venue_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_starts_at"))

    op.drop_table("meetings")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_contacts_primary_per_member",
            sqlite_where=sa.text("is_primary = 1"),
            postgresql_where=sa.text("is_primary"),
        )
        batch_op.drop_index(batch_op.f("ix_contacts_member_id"))

    op.drop_table("contacts")
    op.drop_table("venues")
    op.drop_table("office")
    op.drop_table("members")
