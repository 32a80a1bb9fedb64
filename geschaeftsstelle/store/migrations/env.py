"""Alembic environment: always driven from code (geschaeftsstelle.store.migrate) with an open connection."""

from alembic import context

from geschaeftsstelle.store.models import Base

config = context.config
connection = config.attributes["connection"]
is_sqlite = connection.dialect.name == "sqlite"

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
    if is_sqlite:
        # Foreign keys are off during migrations (a table rebuild must not cascade); prove nothing broke.
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"Fremdschlüssel nach der Migration verletzt: {broken[:5]}")
