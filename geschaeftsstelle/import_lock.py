"""One import at a time: the lock a member-list or exchange import holds for its whole write transaction.

The duplicate checks and the "empty database" check read before they write; two desks importing at the
same moment would both pass them. On SQLite the write transaction's BEGIN IMMEDIATE already queues the
second desk; on PostgreSQL a transaction-level advisory lock does (released at commit or rollback).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

#: The advisory lock's key, any fixed 64-bit number: the bytes of "gs-impor".
IMPORT_LOCK = int.from_bytes(b"gs-impor", "big")


def hold_import_lock(s: Session) -> None:
    """Wait until no other import runs, then hold the lock until this transaction ends."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK)))
