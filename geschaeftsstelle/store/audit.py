"""Änderungsprotokoll: every insert, update and delete of an office record, with who, when and what.

Recorded by one session hook after each flush, so no service can forget it. A session can switch it
off with `session.info["audit"] = False` (the exchange import does, and loads the file's own log).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    Text,
    cast,
    event,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, UOWTransaction

from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import field_name
from geschaeftsstelle.store.models import (
    AuditEntry,
    Award,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    Office,
    Venue,
)

AUDITED: dict[type, str] = {
    Office: "office",
    Member: "member",
    Contact: "contact",
    Venue: "venue",
    Meeting: "meeting",
    Invitation: "invitation",
    Award: "award",
    Nomination: "nomination",
}
ENTITY_LABELS = {
    "office": "Briefkopf",
    "member": "Mitglied",
    "contact": "Kontakt",
    "venue": "Ort",
    "meeting": "Termin",
    "invitation": "Einladung",
    "award": "Preisrunde",
    "nomination": "Nominierung",
}
_SKIP = {"version", "search_text"}
#: Lists shown in the log as the names they hold.
_COLLECTIONS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "tag_rows": ("tags", lambda o: o.tag),
    "agenda": ("agenda", lambda o: o.title),
    "speakers": ("speakers", lambda o: o.full_name),
    "jury": ("jury", lambda o: o.full_name),
    "criteria": ("criteria", lambda o: o.name),
}


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unbekannt"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and Infinity are no JSON: the log (and so the export) keeps it strict
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def label_of(obj: Any) -> str:
    """A short human name for the record, kept in the log even after the record is gone."""
    if isinstance(obj, Contact):
        return obj.full_name or obj.organisation or ""
    if isinstance(obj, Meeting):
        return f"{obj.title} ({obj.starts_at:%d.%m.%Y})" if obj.starts_at else obj.title
    if isinstance(obj, Invitation):
        who = obj.contact.full_name if obj.contact is not None else (obj.guest_name or "")
        return f"{who} – Termin {obj.meeting_id}"
    if isinstance(obj, Nomination):
        return obj.nominee
    if isinstance(obj, Award):
        return obj.title
    return getattr(obj, "name", "") or ""


_COLUMN_KEYS: dict[type, list[str]] = {}


def _column_keys(cls: type) -> list[str]:
    keys = _COLUMN_KEYS.get(cls)
    if keys is None:
        attrs: Any = inspect(cls).column_attrs
        keys = [a.key for a in attrs if a.key not in _SKIP and a.key != "id"]
        _COLUMN_KEYS[cls] = keys
    return keys


def changes_of(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    if action == "insert":  # the hot path of bulk imports: read the values straight from the instance
        values = state.dict
        for key in _column_keys(type(obj)):
            value = values.get(key)
            if value not in (None, "", [], False):
                changes[key] = [None, _plain(value)]
        return changes
    for key in _column_keys(type(obj)):
        hist = state.attrs[key].history
        if action == "update":
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            changes[key] = [_plain(old), _plain(new)]
        else:
            value = (hist.unchanged or hist.deleted or [None])[0]
            if value not in (None, "", [], False):
                changes[key] = [_plain(value), None]
    if action == "update":
        for rel_key, (name, show) in _COLLECTIONS.items():
            if rel_key not in state.mapper.relationships:
                continue
            hist = state.attrs[rel_key].history
            if hist.added or hist.deleted:
                old = [show(o) for o in [*hist.unchanged, *hist.deleted]]
                new = [show(o) for o in [*hist.unchanged, *hist.added]]
                if old != new:
                    changes[name] = [old, new]
    return changes


def _collect(session: Session, _context: UOWTransaction) -> None:
    """Gather each flush's changes; a save may flush several times, the log gets one entry per record."""
    if not session.info.get("audit", True):
        return
    pending: dict[tuple[str, int], dict[str, Any]] = session.info.setdefault("audit_pending", {})
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            entity = AUDITED.get(type(obj))
            if entity is None:
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            changes = changes_of(obj, action)
            if action == "update" and not changes:
                continue
            key = (entity, obj.id)
            earlier = pending.get(key)
            if earlier is None or action == "delete":
                if earlier is not None and earlier["action"] == "insert":
                    del pending[key]  # created and deleted in one save: nothing happened
                    continue
                pending[key] = {"action": action, "label": label_of(obj), "changes": changes}
                continue
            for field, (old, new) in changes.items():
                first_old = earlier["changes"][field][0] if field in earlier["changes"] else old
                earlier["changes"][field] = [first_old, new]
            earlier["label"] = label_of(obj)


def _write(session: Session) -> None:
    if not session.info.get("audit", True):
        return
    session.flush()
    pending = session.info.pop("audit_pending", {})
    now = dt.datetime.now().replace(microsecond=0)
    user = session.info.get("audit_user") or current_user()
    rows = [
        {
            "at": now,
            "user_name": user[:200],
            "entity": entity,
            "entity_id": entity_id,
            "label": entry["label"][:300],
            "action": entry["action"],
            "changes": {k: v for k, v in entry["changes"].items() if v[0] != v[1]},
        }
        for (entity, entity_id), entry in pending.items()
        if entry["action"] != "update" or any(v[0] != v[1] for v in entry["changes"].values())
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)


def _forget(session: Session) -> None:
    session.info.pop("audit_pending", None)


_LISTENERS = (("after_flush", _collect), ("before_commit", _write), ("after_rollback", _forget))


def install() -> None:
    """Switch the change log on for every session (store.opening calls it; calling again does nothing)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


#: German names of enum values by "table.column" ({"invitations.response": {"accepted": "Zusage", …}});
#: the window passes the core's label tables, since the store may not import them.
ValueNames = Mapping[str, Mapping[Any, str]]


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user_name: str
    entity: str
    entity_id: int
    label: str
    action: str
    changes: dict[str, list[Any]]
    value_names: ValueNames = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def summary(self) -> str:
        """`Feld: alt → neu; …` for the log view, fields named and values written as in the dialogs."""
        if self.action == "insert":
            return "angelegt"
        if self.action == "delete":
            return "gelöscht"
        table = _TABLES.get(self.entity, self.entity)
        names = self.value_names
        return "; ".join(
            f"{field_name(table, k)}: {_show(table, k, v[0], names)} → {_show(table, k, v[1], names)}"
            for k, v in self.changes.items()
        )


_TABLES = {entity: str(getattr(cls, "__tablename__", entity)) for cls, entity in AUDITED.items()}


def _column_type(table: str, key: str) -> Any:
    for cls, entity in AUDITED.items():
        if _TABLES[entity] == table:
            attrs: Any = inspect(cls).column_attrs
            return attrs[key].columns[0].type if key in attrs else None
    return None


def _show(table: str, key: str, value: Any, value_names: ValueNames) -> str:
    """One logged value as the user typed it: 01.04.2027, 14:00 Uhr, ja/nein, 12,50, Zusage."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    names = value_names.get(f"{table}.{key}")
    if names is not None and isinstance(value, str):
        return names.get(value, value)
    kind = _column_type(table, key)
    try:
        if isinstance(kind, Boolean) or isinstance(value, bool):
            return "ja" if value else "nein"
        if isinstance(kind, DateTime) and isinstance(value, str):
            return f"{dt.datetime.fromisoformat(value):%d.%m.%Y %H:%M} Uhr"
        if isinstance(kind, Date) and isinstance(value, str):
            return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
    except ValueError:
        return str(value)  # an entry imported from elsewhere: shown as stored
    if isinstance(kind, Numeric) or isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def history(
    db: Database,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 5000,
    value_names: ValueNames | None = None,
) -> list[AuditRow]:
    """Newest first; filtered by record when given; `value_names` names enum values in the summaries."""
    names = value_names or {}
    with db.read() as s:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(AuditEntry.entity == entity)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == entity_id)
        return [
            AuditRow(e.id, e.at, e.user_name, e.entity, e.entity_id, e.label, e.action, dict(e.changes or {}), names)
            for e in s.scalars(query)
        ]


def finite(value: Any) -> bool:
    """Whether a change-log value holds no NaN or Infinity (strict JSON, so the export stays readable);
    the exchange import refuses a file whose log holds one."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return True


def blank_entries(session: Session, own: ColumnElement[bool], needles: Sequence[str], replacement: str) -> int:
    """Art. 17 in the change log: entries matching `own` (the person's own record) lose label and values;
    in every other entry each occurrence of a needle (name, e-mail …; any case) in the label and the
    values, e.g. in a meeting's `speakers` or an award's `jury` list, becomes `replacement`.
    Returns the number of entries changed. Runs inside the caller's transaction."""
    result = session.execute(update(AuditEntry).where(own).values(label=replacement, changes={}))
    changed = int(getattr(result, "rowcount", 0) or 0)
    wanted = [n for n in needles if n.strip()]
    if not wanted:
        return changed
    pattern = re.compile("|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    stored = cast(AuditEntry.changes, Text)
    conditions: list[ColumnElement[bool]] = []
    for needle in wanted:
        conditions += [AuditEntry.label.icontains(needle, autoescape=True), stored.icontains(needle, autoescape=True)]
        escaped = json.dumps(needle)[1:-1]  # how JSON text spells "ü" and quotes
        if escaped != needle:
            conditions.append(stored.icontains(escaped, autoescape=True))
    rows = session.execute(select(AuditEntry.id, AuditEntry.label, AuditEntry.changes).where(or_(*conditions)))
    for entry_id, label, changes in rows.all():
        new_label = pattern.sub(replacement, label or "")
        new_changes = _blanked(changes or {}, pattern, replacement)
        if new_label != label or new_changes != changes:
            session.execute(
                update(AuditEntry).where(AuditEntry.id == entry_id).values(label=new_label, changes=new_changes)
            )
            changed += 1
    return changed


def _blanked(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_blanked(v, pattern, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _blanked(v, pattern, replacement) for k, v in value.items()}
    return value
