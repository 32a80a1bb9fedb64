"""stored attachments: a nomination's documents are copies in the attachments folder, checked by SHA-256

Until now a row held a path as given (relative, UNC, anything) and a double-click handed it to the system.
Such a path cannot be trusted, so it is not kept: each old row keeps the file's name as its label, with no
stored copy (`stored_name` NULL). The migration logs one German warning with their number; the nomination
dialog shows such rows as "(Datei fehlt)" and asks to add the file again when one is opened.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:00:00
"""

import logging
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "nomination_attachments"
#: SQLite's batch copy reflects only this table, not those its keys refer to (nothing there changes).
_OWN_TABLE_ONLY = {"resolve_fks": False}


def _file_name(path: str) -> str:
    """The last part of a Windows or POSIX path, as the label an old row keeps."""
    name = re.split(r"[\\/]", path.strip())[-1].strip()
    return (name or path.strip() or "Unterlage")[:300]


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, path, label FROM {_TABLE}")).fetchall()
    with op.batch_alter_table(_TABLE, schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("stored_name", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))
    for ident, path, label in rows:
        bind.execute(
            sa.text(f"UPDATE {_TABLE} SET label = :label WHERE id = :id"),
            {"id": ident, "label": label.strip() or _file_name(path)},
        )
    with op.batch_alter_table(_TABLE, schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_nomination_attachments_path_nonblank"), type_="check")
        batch_op.drop_column("path")
        batch_op.create_unique_constraint(batch_op.f("uq_nomination_attachments_stored_name"), ["stored_name"])
        batch_op.create_check_constraint(
            batch_op.f("ck_nomination_attachments_label_nonblank"), "length(trim(label)) > 0"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_nomination_attachments_stored_file_complete"),
            "stored_name IS NULL OR (sha256 IS NOT NULL AND size IS NOT NULL)",
        )
    if rows:
        logging.getLogger("geschaeftsstelle.store.migrate").warning(
            "%d Unterlage(n) von Nominierungen waren nur als Pfad verknüpft und werden jetzt nur mit ihrem Namen "
            "geführt: bitte die Dateien in der Nominierung neu hinzufügen.",
            len(rows),
        )


def downgrade() -> None:
    with op.batch_alter_table(_TABLE, schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("path", sa.String(length=1000), nullable=True))
    op.execute(f"UPDATE {_TABLE} SET path = coalesce(stored_name, label)")
    with op.batch_alter_table(_TABLE, schema=None, reflect_kwargs=_OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_nomination_attachments_stored_file_complete"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_nomination_attachments_label_nonblank"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_nomination_attachments_stored_name"), type_="unique")
        batch_op.drop_column("size")
        batch_op.drop_column("sha256")
        batch_op.drop_column("stored_name")
        batch_op.alter_column("path", existing_type=sa.String(length=1000), nullable=False)
        batch_op.create_check_constraint(
            batch_op.f("ck_nomination_attachments_path_nonblank"), "length(trim(path)) > 0"
        )
