"""waiting list and standing needs

A meeting with a capacity keeps a Warteliste: an acceptance that no longer fits gets the response
'waitlisted' (so every list of the accepted leaves it out by itself) and the moment it arrived
(`invitations.waitlisted_at`, the list's order); `invitations.moved_up_at` notes when a freed place went to
it (the "Platz frei" letter is prepared for those). meeting_reply_counts counts the waiting invitations in a
new column `waitlisted`; its triggers are made anew with that counter (on SQLite the rebuild of invitations
for the new response CHECK drops them anyway; on PostgreSQL the function is replaced).

A contact's standing needs: `contacts.needs` stays the assistance needs, `contacts.diet` is new; both are
proposed on every new invitation.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RESPONSES_BEFORE = "response IN ('open', 'accepted', 'declined', 'tentative')"
_RESPONSES = "response IN ('open', 'accepted', 'declined', 'tentative', 'waitlisted')"

#: Each counter: what one invitation row `r` adds to it (0005's, and the waiting list).
_COUNTERS_BEFORE = {
    "open": "CASE WHEN {r}.response = 'open' THEN 1 ELSE 0 END",
    "accepted": "CASE WHEN {r}.response = 'accepted' THEN 1 ELSE 0 END",
    "declined": "CASE WHEN {r}.response = 'declined' THEN 1 ELSE 0 END",
    "tentative": "CASE WHEN {r}.response = 'tentative' THEN 1 ELSE 0 END",
    "persons": "CASE WHEN {r}.response = 'accepted' THEN {r}.persons ELSE 0 END",
    "attended": "CASE WHEN {r}.attended THEN 1 ELSE 0 END",
}
_COUNTERS = {**_COUNTERS_BEFORE, "waitlisted": "CASE WHEN {r}.response = 'waitlisted' THEN 1 ELSE 0 END"}
_WATCHED = "meeting_id, response, persons, attended"  # an update of any other column changes no figure
_TRIGGERS = ("invitations_count_insert", "invitations_count_update", "invitations_count_delete")


def _sqlite_triggers(counters: dict[str, str]) -> list[str]:
    names = ", ".join(counters)
    add_excluded = ", ".join(f"{c} = meeting_reply_counts.{c} + excluded.{c}" for c in counters)
    values = ", ".join(expr.format(r="NEW") for expr in counters.values())
    add_new = (
        f"INSERT INTO meeting_reply_counts (meeting_id, {names}) VALUES (NEW.meeting_id, {values}) "
        f"ON CONFLICT (meeting_id) DO UPDATE SET {add_excluded};"
    )
    take_old = (
        "UPDATE meeting_reply_counts SET "
        + ", ".join(f"{c} = {c} - ({expr.format(r='OLD')})" for c, expr in counters.items())
        + " WHERE meeting_id = OLD.meeting_id;"
    )
    return [
        f"CREATE TRIGGER invitations_count_insert AFTER INSERT ON invitations BEGIN {add_new} END",
        f"CREATE TRIGGER invitations_count_update AFTER UPDATE OF {_WATCHED} ON invitations "
        f"BEGIN {take_old} {add_new} END",
        f"CREATE TRIGGER invitations_count_delete AFTER DELETE ON invitations BEGIN {take_old} END",
    ]


def _postgresql_function(counters: dict[str, str]) -> str:
    """One grouped statement per INSERT, COPY, UPDATE or DELETE, from its transition tables (as 0005)."""
    names = ", ".join(counters)
    add_excluded = ", ".join(f"{c} = meeting_reply_counts.{c} + excluded.{c}" for c in counters)

    def values(row: str) -> str:
        return ", ".join(expr.format(r=row) for expr in counters.values())

    def sums(row: str) -> str:
        return ", ".join(f"sum({expr.format(r=row)}) AS {c}" for c, expr in counters.items())

    upsert = f"INSERT INTO meeting_reply_counts (meeting_id, {names}) "
    on_conflict = f" ON CONFLICT (meeting_id) DO UPDATE SET {add_excluded};"
    nonzero = " OR ".join(f"sum({c}) <> 0" for c in counters)
    totals = ", ".join(f"sum({c})" for c in counters)
    taken_away = ", ".join(f"-({expr.format(r='o')})" for expr in counters.values())
    change = (
        f"SELECT meeting_id, {totals} FROM ("
        f"SELECT n.meeting_id, {values('n')} FROM new_rows n UNION ALL "
        f"SELECT o.meeting_id, {taken_away} FROM old_rows o) AS d (meeting_id, {names}) "
        f"GROUP BY meeting_id HAVING {nonzero} ORDER BY meeting_id"
    )
    taken = ", ".join(f"{c} = meeting_reply_counts.{c} - d.{c}" for c in counters)
    return f"""
CREATE OR REPLACE FUNCTION meeting_reply_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {upsert}SELECT n.meeting_id, {sums("n")} FROM new_rows n GROUP BY n.meeting_id ORDER BY n.meeting_id
        {on_conflict}
    ELSIF TG_OP = 'UPDATE' THEN
        {upsert}{change}
        {on_conflict}
    ELSE
        UPDATE meeting_reply_counts SET {taken}
        FROM (SELECT o.meeting_id, {sums("o")} FROM old_rows o GROUP BY o.meeting_id) AS d
        WHERE meeting_reply_counts.meeting_id = d.meeting_id;
    END IF;
    RETURN NULL;
END
$$"""


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _drop_sqlite_triggers() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _set_responses(check: str) -> None:
    """The response CHECK anew (on SQLite a rebuild of invitations, which drops its triggers)."""
    with op.batch_alter_table("invitations", schema=None, recreate="auto") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_invitations_response"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_invitations_response"), sa.text(check))


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("diet", sa.Text(), server_default="", nullable=False))
    op.add_column("invitations", sa.Column("waitlisted_at", sa.DateTime(), nullable=True))
    op.add_column("invitations", sa.Column("moved_up_at", sa.DateTime(), nullable=True))
    op.add_column(
        "meeting_reply_counts", sa.Column("waitlisted", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    if _is_postgresql():
        _set_responses(_RESPONSES)
        op.execute(_postgresql_function(_COUNTERS))
    else:
        _drop_sqlite_triggers()
        _set_responses(_RESPONSES)
        for statement in _sqlite_triggers(_COUNTERS):
            op.execute(statement)


def downgrade() -> None:
    op.execute("UPDATE invitations SET response = 'open' WHERE response = 'waitlisted'")
    if _is_postgresql():
        op.execute(_postgresql_function(_COUNTERS_BEFORE))
        _set_responses(_RESPONSES_BEFORE)
    else:
        _drop_sqlite_triggers()
        _set_responses(_RESPONSES_BEFORE)
    op.drop_column("meeting_reply_counts", "waitlisted")
    op.drop_column("invitations", "moved_up_at")
    op.drop_column("invitations", "waitlisted_at")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("diet")
    if not _is_postgresql():
        for statement in _sqlite_triggers(_COUNTERS_BEFORE):
            op.execute(statement)
