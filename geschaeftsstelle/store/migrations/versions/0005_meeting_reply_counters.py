"""meeting reply counters: per-meeting figures kept by the database itself

The Termine list used to count every invitation on every refresh (it grew with the invitations: 27 → 73 ms
at 200,000 → 465,000). Now meeting_reply_counts holds, per meeting, how many invitations are open,
accepted, declined and tentative, the accepted persons and those checked in. Triggers on invitations keep
it exact whoever writes (services, bulk INSERT … ON CONFLICT, the exchange import's executemany and COPY,
cascades from a deleted meeting or contact): row triggers on SQLite, statement triggers with transition
tables on PostgreSQL (one grouped statement per INSERT/COPY instead of one per row). Existing rows are
counted once here. ix_invitations_meeting_response (0004), which only the old count read, is dropped: an
invitation written costs about what it did before the triggers.

The trigger and function names are listed in store/models.py (DATABASE_TRIGGERS, DATABASE_FUNCTIONS);
this file keeps its own text, as migrations are history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each counter: what one invitation row `r` adds to it.
_COUNTERS = {
    "open": "CASE WHEN {r}.response = 'open' THEN 1 ELSE 0 END",
    "accepted": "CASE WHEN {r}.response = 'accepted' THEN 1 ELSE 0 END",
    "declined": "CASE WHEN {r}.response = 'declined' THEN 1 ELSE 0 END",
    "tentative": "CASE WHEN {r}.response = 'tentative' THEN 1 ELSE 0 END",
    "persons": "CASE WHEN {r}.response = 'accepted' THEN {r}.persons ELSE 0 END",
    "attended": "CASE WHEN {r}.attended THEN 1 ELSE 0 END",
}
_NAMES = ", ".join(_COUNTERS)
_ADD_EXCLUDED = ", ".join(f"{c} = meeting_reply_counts.{c} + excluded.{c}" for c in _COUNTERS)
_WATCHED = "meeting_id, response, persons, attended"  # an update of any other column changes no figure


def _values(row: str) -> str:
    return ", ".join(expr.format(r=row) for expr in _COUNTERS.values())


def _sums(row: str, sign: str = "") -> str:
    return ", ".join(f"{sign}sum({expr.format(r=row)}) AS {c}" for c, expr in _COUNTERS.items())


def _sqlite_triggers() -> list[str]:
    add_new = (
        f"INSERT INTO meeting_reply_counts (meeting_id, {_NAMES}) VALUES (NEW.meeting_id, {_values('NEW')}) "
        f"ON CONFLICT (meeting_id) DO UPDATE SET {_ADD_EXCLUDED};"
    )
    take_old = (
        "UPDATE meeting_reply_counts SET "
        + ", ".join(f"{c} = {c} - ({expr.format(r='OLD')})" for c, expr in _COUNTERS.items())
        + " WHERE meeting_id = OLD.meeting_id;"
    )
    return [
        f"CREATE TRIGGER invitations_count_insert AFTER INSERT ON invitations BEGIN {add_new} END",
        f"CREATE TRIGGER invitations_count_update AFTER UPDATE OF {_WATCHED} ON invitations "
        f"BEGIN {take_old} {add_new} END",
        f"CREATE TRIGGER invitations_count_delete AFTER DELETE ON invitations BEGIN {take_old} END",
    ]


def _postgresql_function() -> str:
    """One grouped statement per INSERT, COPY, UPDATE or DELETE, from its transition tables."""
    upsert = f"INSERT INTO meeting_reply_counts (meeting_id, {_NAMES}) "
    on_conflict = f" ON CONFLICT (meeting_id) DO UPDATE SET {_ADD_EXCLUDED};"
    nonzero = " OR ".join(f"sum({c}) <> 0" for c in _COUNTERS)
    totals = ", ".join(f"sum({c})" for c in _COUNTERS)
    taken_away = ", ".join(f"-({expr.format(r='o')})" for expr in _COUNTERS.values())
    change = (
        f"SELECT meeting_id, {totals} FROM ("
        f"SELECT n.meeting_id, {_values('n')} FROM new_rows n UNION ALL "
        f"SELECT o.meeting_id, {taken_away} FROM old_rows o) AS d (meeting_id, {_NAMES}) "
        f"GROUP BY meeting_id HAVING {nonzero} ORDER BY meeting_id"
    )
    taken = ", ".join(f"{c} = meeting_reply_counts.{c} - d.{c}" for c in _COUNTERS)
    return f"""
CREATE FUNCTION meeting_reply_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {upsert}SELECT n.meeting_id, {_sums("n")} FROM new_rows n GROUP BY n.meeting_id ORDER BY n.meeting_id
        {on_conflict}
    ELSIF TG_OP = 'UPDATE' THEN
        {upsert}{change}
        {on_conflict}
    ELSE
        UPDATE meeting_reply_counts SET {taken}
        FROM (SELECT o.meeting_id, {_sums("o")} FROM old_rows o GROUP BY o.meeting_id) AS d
        WHERE meeting_reply_counts.meeting_id = d.meeting_id;
    END IF;
    RETURN NULL;
END
$$"""


_POSTGRESQL_TRIGGERS = [
    "CREATE TRIGGER invitations_count_insert AFTER INSERT ON invitations REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION meeting_reply_counts_apply()",
    "CREATE TRIGGER invitations_count_update AFTER UPDATE ON invitations "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION meeting_reply_counts_apply()",
    "CREATE TRIGGER invitations_count_delete AFTER DELETE ON invitations REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION meeting_reply_counts_apply()",
]


def upgrade() -> None:
    counter = {"nullable": False, "server_default": sa.text("0")}
    op.create_table(
        "meeting_reply_counts",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        *(sa.Column(c, sa.Integer(), **counter) for c in _COUNTERS),  # type: ignore[arg-type]  # **counter: mixed keyword types
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_reply_counts_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_reply_counts")),
    )
    op.execute(
        f"INSERT INTO meeting_reply_counts (meeting_id, {_NAMES}) "
        f"SELECT i.meeting_id, {_sums('i')} FROM invitations i GROUP BY i.meeting_id"
    )
    # Only the list's old count read this index; without it every invitation written saves about as much as
    # the trigger costs on SQLite.
    op.drop_index("ix_invitations_meeting_response", table_name="invitations")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postgresql_function())
        statements = _POSTGRESQL_TRIGGERS
    else:
        statements = _sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for name in ("invitations_count_insert", "invitations_count_update", "invitations_count_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON invitations" if _is_postgresql() else ""))
    if _is_postgresql():
        op.execute("DROP FUNCTION IF EXISTS meeting_reply_counts_apply()")
    op.drop_table("meeting_reply_counts")
    op.create_index(
        "ix_invitations_meeting_response", "invitations", ["meeting_id", "response", "persons"], unique=False
    )


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"
