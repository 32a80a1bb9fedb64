"""award round replies: nominee addresses, reply codes on nominations, three award letter templates

A nomination gets where letters to the nominee go (a contact, or a free address: salutation, title, names,
an extra name line, street, postal code, city, country, e-mail) and a unique reply code, which the consent
request prints and the consent reply is recorded by. Every existing nomination gets its code here; its
address stays empty until the office enters one. The letter templates may now also hold the office's own
texts for the winner letter, the thank-you letter to nominators and the consent request.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OWN_TABLE_ONLY = {"resolve_fks": False}
_KINDS_BEFORE = ("invitation", "reply_form", "cancellation", "change")
_KINDS_AFTER = (*_KINDS_BEFORE, "award_winner", "award_thanks", "award_consent")
_TEXT_COLUMNS = (
    ("address_salutation", 10),
    ("address_title", 50),
    ("address_first_name", 100),
    ("address_last_name", 100),
    ("address_organisation", 300),
    ("address_street", 200),
    ("address_postal_code", 20),
    ("address_city", 100),
    ("address_country", 100),
    ("address_email", 254),
)


def _kind_check(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("nominations", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("nominee_contact_id", sa.Integer(), nullable=True))
        for name, length in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default="", nullable=False))
        batch_op.add_column(sa.Column("reply_code", sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_nominations_nominee_contact_id_contacts"),
            "contacts",
            ["nominee_contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_nominations_nominee_contact_id"), ["nominee_contact_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_nominations_reply_code"), ["reply_code"])
        batch_op.create_check_constraint(
            batch_op.f("ck_nominations_address_salutation"), "address_salutation IN ('Frau', 'Herr', '')"
        )
    from geschaeftsstelle import reply_codes  # the one rule for codes: an old row's code must pass `check` too

    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM nominations ORDER BY id"))]
    for ident, code in zip(ids, reply_codes.new_codes(len(ids)), strict=True):
        bind.execute(sa.text("UPDATE nominations SET reply_code = :code WHERE id = :id"), {"id": ident, "code": code})
    with op.batch_alter_table("nominations", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.alter_column("reply_code", existing_type=sa.String(length=16), nullable=False)
    with op.batch_alter_table("letter_templates", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_letter_templates_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_letter_templates_kind"), _kind_check(_KINDS_AFTER))


def downgrade() -> None:
    op.execute("DELETE FROM letter_templates WHERE kind IN ('award_winner', 'award_thanks', 'award_consent')")
    with op.batch_alter_table("letter_templates", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_letter_templates_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_letter_templates_kind"), _kind_check(_KINDS_BEFORE))
    with op.batch_alter_table("nominations", schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_nominations_address_salutation"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_nominations_reply_code"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_nominations_nominee_contact_id"))
        batch_op.drop_constraint(batch_op.f("fk_nominations_nominee_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_column("reply_code")
        for name, _length in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("nominee_contact_id")
