"""Member organisations and their contacts: validation, listing, saving, leaving and deleting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, exists, func, select, update
from sqlalchemy.orm import Session, selectinload

from geschaeftsstelle import validation as v
from geschaeftsstelle.addressing import Addressee
from geschaeftsstelle.collector import collector_paused
from geschaeftsstelle.errors import FieldError, UserError, ValidationError
from geschaeftsstelle.search import search_text
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import too_long
from geschaeftsstelle.store.models import Contact, Invitation, Member, MemberTag, Nomination, Salutation, Score
from geschaeftsstelle.store.records import apply, existing, load_for_update, new_or_loaded, row_lock

# --------------------------------------------------------------------------- validation


def validate_member(m: Member) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (m.name or "").strip():
        errors.append(FieldError("name", "Der Name der Mitgliedsorganisation fehlt."))
    errors += too_long(m, Member)  # every text field against its column (store/limits.py: one source)
    if msg := v.check_email(m.email):
        errors.append(FieldError("email", msg))
    if msg := v.check_postal_code(m.postal_code, m.country):
        errors.append(FieldError("postal_code", msg))
    if m.joined_on and m.left_on and m.left_on < m.joined_on:
        errors.append(FieldError("left_on", "Das Austrittsdatum liegt vor dem Eintrittsdatum."))
    if msg := check_founded_on(getattr(m, "founded_on", None)):  # validators also read import rows without it
        errors.append(FieldError("founded_on", msg))
    return errors


def check_founded_on(founded_on: dt.date | None, today: dt.date | None = None) -> str | None:
    """A founding date lies in the past (an anniversary list counts years from it); None when it is fine."""
    if founded_on is not None and founded_on > (today or dt.date.today()):
        return "Das Gründungsdatum liegt in der Zukunft."
    return None


def validate_contact(c: Contact) -> list[FieldError]:
    errors: list[FieldError] = []
    if c.salutation not in {s.value for s in Salutation}:
        errors.append(FieldError("salutation", f"Die Anrede „{c.salutation}“ ist unbekannt (Frau, Herr oder leer)."))
    if not ((c.first_name or "").strip() or (c.last_name or "").strip() or (c.organisation or "").strip()):
        errors.append(FieldError("last_name", "Der Nachname fehlt (oder für eine Organisation ihr Name)."))
    if msg := v.check_email(c.email):
        errors.append(FieldError("email", msg))
    if c.member_id is None and c.member is None:
        if msg := v.check_postal_code(c.postal_code, c.country):
            errors.append(FieldError("postal_code", msg))
        if c.is_primary:
            errors.append(
                FieldError("is_primary", "Nur Ansprechpersonen eines Mitglieds können Hauptansprechperson sein.")
            )
    elif msg := v.check_postal_code(c.postal_code, c.country):
        errors.append(FieldError("postal_code", msg))
    errors += too_long(c, Contact)
    return errors


def refresh_member_search(m: Member) -> None:
    """The folded text the members view filters on: name, number, city, tags and contact names."""
    parts = [m.name, m.member_number, m.city, *m.tags]
    for c in m.contacts:
        parts += [c.first_name, c.last_name]
    m.search_text = search_text(parts)


def refresh_contact_search(c: Contact) -> None:
    org = c.member.name if c.member is not None else c.organisation
    c.search_text = search_text([c.title, c.first_name, c.last_name, org, c.role, c.email, c.city])


# --------------------------------------------------------------------------- inputs


@dataclass
class MemberInput:
    name: str
    member_number: str | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    founded_on: dt.date | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class ContactInput:
    last_name: str = ""
    first_name: str = ""
    salutation: str = ""
    title: str = ""
    role: str = ""
    member_id: int | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    is_primary: bool = False
    needs: str = ""
    diet: str = ""  # standing, like needs: proposed on every new invitation
    notes: str = ""
    id: int | None = None
    version: int | None = None


def _clean_optional(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str) and not value.strip():
            setattr(obj, name, None)


def set_tags(member: Member, tags: list[str]) -> None:
    wanted = sorted({t.strip() for t in tags if t and t.strip()})
    for bad in [t for t in wanted if len(t) > 100]:
        raise ValidationError(
            [FieldError("tags", f"Das Schlagwort „{bad[:30]}…“ ist zu lang (höchstens 100 Zeichen).")]
        )
    member.tag_rows = [MemberTag(tag=t) for t in wanted]


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class MemberRow:
    """What the members table shows; plain data, so the view never touches a session."""

    id: int
    name: str
    member_number: str
    city: str
    primary_contact: str
    email: str
    phone: str
    tags: str
    joined_on: dt.date | None
    left_on: dt.date | None
    search_text: str
    version: int  # as read: deleting or marking as left from the list is refused if it changed since

    @property
    def active(self) -> bool:
        return self.left_on is None or self.left_on > dt.date.today()


def list_members(db: Database) -> list[MemberRow]:
    """All members in one pass of three queries (no per-row lazy loading, fast for 5,000 rows)."""
    with db.read() as s:
        members = s.execute(
            select(
                Member.id,
                Member.name,
                Member.member_number,
                Member.city,
                Member.email,
                Member.phone,
                Member.joined_on,
                Member.left_on,
                Member.search_text,
                Member.version,
            ).order_by(func.lower(Member.name), Member.id)
        ).all()
        primaries = {
            member_id: " ".join(p for p in (title, first, last) if p)
            for member_id, title, first, last in s.execute(
                select(Contact.member_id, Contact.title, Contact.first_name, Contact.last_name).where(
                    Contact.is_primary.is_(True)
                )
            )
        }
        tags: dict[int, list[str]] = {}
        for member_id, tag in s.execute(select(MemberTag.member_id, MemberTag.tag).order_by(MemberTag.tag)):
            tags.setdefault(member_id, []).append(tag)
    return [
        MemberRow(
            id=r.id,
            name=r.name,
            member_number=r.member_number or "",
            city=r.city,
            primary_contact=primaries.get(r.id, ""),
            email=r.email or "",
            phone=r.phone or "",
            tags=", ".join(tags.get(r.id, [])),
            joined_on=r.joined_on,
            left_on=r.left_on,
            search_text=r.search_text,
            version=r.version,
        )
        for r in members
    ]


class ContactRow(NamedTuple):
    """A line of the contacts list: the columns as read, and what the list shows made from them when asked.

    A tuple straight from the database row, because every refresh reads 20,000 of them while a view shows
    a screenful: name, organisation and town are only worked out for the rows someone looks at."""

    id: int
    member_id: int | None
    salutation: str
    title: str
    first_name: str
    last_name: str
    contact_organisation: str | None  # the person's own; a member's contact shows the member's name
    role: str
    email: str
    phone: str
    contact_city: str | None
    primary: int | bool  # as the driver gives it: SQLite says 0 or 1
    needs: str
    search_text: str
    version: int  # as read: deleting from the list is refused if the person changed since
    member_name: str | None
    member_city: str | None

    @property
    def is_primary(self) -> bool:
        return bool(self.primary)

    @property
    def name(self) -> str:
        """Title, first and last name (as `Contact.full_name`), else the organisation."""
        if self.first_name and self.last_name and not self.title:  # most people: no general join
            return f"{self.first_name} {self.last_name}"
        parts = (self.title, self.first_name, self.last_name)
        return " ".join(p for p in parts if p) or (self.contact_organisation or "")

    @property
    def sort_name(self) -> str:
        """Last name and first name (else the organisation): what the list is sorted by."""
        return f"{self.last_name} {self.first_name}".strip() or (self.contact_organisation or "")

    @property
    def organisation(self) -> str:
        return self.member_name or self.contact_organisation or ""

    @property
    def city(self) -> str:
        return self.contact_city or self.member_city or ""


#: The contact list's order; ix_contacts_sort_name holds it, so the rows are read in order, not sorted.
CONTACT_ORDER = (func.lower(Contact.last_name), func.lower(Contact.first_name), Contact.id)
_CONTACT_COLUMNS = (
    Contact.id,
    Contact.member_id,
    Contact.salutation,
    Contact.title,
    Contact.first_name,
    Contact.last_name,
    Contact.organisation,
    Contact.role,
    func.coalesce(Contact.email, ""),
    func.coalesce(Contact.phone, ""),
    Contact.city,
    Contact.is_primary,
    Contact.needs,
    Contact.search_text,
    Contact.version,
)


def list_contacts(db: Database, member_id: int | None = None) -> list[ContactRow]:
    """The contacts in index order as the driver's plain tuples, the members' names and towns from a dict
    instead of a join: SQLAlchemy's row objects would add a third to the time for 20,000 contacts. The
    cyclic collector waits meanwhile: 40,000 new tuples (none in a cycle) would set off several of its
    passes over the window's whole heap."""
    member_query = select(Member.id, Member.name, Member.city)
    if member_id is not None:
        member_query = member_query.where(Member.id == member_id)
    with db.read() as s, collector_paused():
        conn = s.connection()
        member_of = {mid: (name, city) for mid, name, city in _driver_rows(conn, member_query)}
        return _contact_rows(_driver_rows(conn, contact_list_query(member_id)), member_of)


def first_contacts(db: Database, count: int) -> list[ContactRow]:
    """The first `count` contacts by `ContactRow.sort_name`, ignoring case (as the contacts view sorts,
    but for accents): a screenful to show while the whole list is read."""
    sort_name = func.coalesce(
        func.nullif(func.trim(Contact.last_name + " " + Contact.first_name), ""), Contact.organisation, ""
    )
    query = select(*_CONTACT_COLUMNS).order_by(func.lower(sort_name), Contact.id).limit(count)
    with db.read() as s:
        conn = s.connection()
        rows = _driver_rows(conn, query)
        member_ids = sorted({row[1] for row in rows} - {None})
        member_query = select(Member.id, Member.name, Member.city).where(Member.id.in_(member_ids))
        member_of = {mid: (name, city) for mid, name, city in conn.execute(member_query).all()}
    return _contact_rows(rows, member_of)


def contact_list_query(member_id: int | None = None) -> Select[*tuple[Any, ...]]:
    """What `list_contacts` reads (for it, and for checking its plan)."""
    query = select(*_CONTACT_COLUMNS).order_by(*CONTACT_ORDER)
    return query if member_id is None else query.where(Contact.member_id == member_id)


def _contact_rows(rows: list[tuple[Any, ...]], member_of: dict[int, tuple[str, str]]) -> list[ContactRow]:
    no_member = (None, None)
    make = tuple.__new__  # ContactRow without the per-call argument handling of its constructor
    return [make(ContactRow, (*row, *member_of.get(row[1], no_member))) for row in rows]


def _driver_rows(conn: Connection, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Every row of `query` as the database driver returns it. Its values are compiled into the SQL text
    (literal_binds), so give it ids and constants only, never text a user typed."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def get_member(db: Database, member_id: int) -> Member:
    """The member with its contacts and tags loaded, detached for a dialog to show."""
    with db.read() as s:
        return existing(
            s.scalars(
                select(Member)
                .where(Member.id == member_id)
                .options(selectinload(Member.contacts), selectinload(Member.tag_rows))
            ).one_or_none(),
            "Die Mitgliedsorganisation gibt es nicht (mehr).",
        )


def get_contact(db: Database, contact_id: int) -> Contact:
    with db.read() as s:
        c = existing(s.get(Contact, contact_id), "Den Kontakt gibt es nicht (mehr).")
        _ = c.member
        return c


# --------------------------------------------------------------------------- saving


def save_member(db: Database, data: MemberInput) -> int:
    with db.transaction() as s:
        m = new_or_loaded(s, Member, data.id, data.version, "Die Mitgliedsorganisation")
        apply(m, data, skip=("id", "version", "tags"))
        _clean_optional(m, ("member_number", "country", "email", "phone", "website"))
        errors = validate_member(m)
        if m.member_number:
            with s.no_autoflush:
                clash = s.scalar(
                    select(Member.name).where(Member.member_number == m.member_number, Member.id != (data.id or -1))
                )
            if clash:
                errors.append(
                    FieldError("member_number", f"Die Mitgliedsnummer {m.member_number} hat schon „{clash}“.")
                )
        if errors:
            raise ValidationError(errors)
        set_tags(m, data.tags)
        s.flush()
        refresh_member_search(m)
        return m.id


def save_contact(db: Database, data: ContactInput) -> int:
    with db.transaction() as s:
        return save_contact_in(s, data)


def save_contact_in(s: Session, data: ContactInput) -> int:
    with s.no_autoflush:  # the old primary contact must be cleared before the new row is written
        if data.id is None:
            c = Contact()
        else:
            c = load_for_update(s, Contact, data.id, data.version, "Der Kontakt")
        old_member_id = c.member_id
        apply(c, data)
        _clean_optional(c, ("organisation", "email", "phone", "street", "postal_code", "city", "country"))
        # The member is locked before its contacts change (PostgreSQL): two desks making different people
        # primary at the same moment then queue up instead of colliding in the unique index.
        if c.member_id is not None and s.get(Member, c.member_id, with_for_update=row_lock(s)) is None:
            raise ValidationError([FieldError("member_id", "Die gewählte Mitgliedsorganisation gibt es nicht (mehr).")])
        errors = validate_contact(c)
        if errors:
            raise ValidationError(errors)
        if c.is_primary and c.member_id is not None:
            # Only one primary contact per member: the schema enforces it, so clear the old one first.
            s.execute(
                update(Contact)
                .where(Contact.member_id == c.member_id, Contact.is_primary.is_(True), Contact.id != (c.id or -1))
                .values(is_primary=False, version=Contact.version + 1)
                .execution_options(synchronize_session=False)
            )
    if data.id is None:
        s.add(c)
    s.flush()
    s.expire_all()
    c = s.get_one(Contact, c.id)
    refresh_contact_search(c)
    for member_id in {old_member_id, c.member_id} - {None}:
        m = s.get(Member, member_id)
        if m is not None:
            refresh_member_search(m)
    return c.id


def set_primary_contact(db: Database, member_id: int, contact_id: int, *, version: int) -> None:
    """Make one person the member's primary contact; `version` is the member's as the user saw it.

    The member row is locked first, so a second desk choosing another primary contact at the same moment
    waits and then gets the conflict message (not the unique index's raw error)."""
    with db.transaction() as s:
        load_for_update(s, Member, member_id, version, "Die Mitgliedsorganisation")
        c = s.get(Contact, contact_id)
        if c is None or c.member_id != member_id:
            raise UserError("Diese Person gehört nicht zu der Mitgliedsorganisation.")
        s.execute(
            update(Contact)
            .where(Contact.member_id == member_id, Contact.is_primary.is_(True), Contact.id != contact_id)
            .values(is_primary=False, version=Contact.version + 1)
        )
        s.flush()
        c.is_primary = True


def member_has_history(s: Session, member_id: int) -> bool:
    invited = s.scalar(select(exists().where(Invitation.contact_id == Contact.id, Contact.member_id == member_id)))
    nominated = s.scalar(select(exists().where(Nomination.member_id == member_id)))
    return bool(invited or nominated)


def delete_member(db: Database, member_id: int, *, version: int) -> None:
    """Delete a member without history; one with invitations or nominations can only leave."""
    with db.transaction() as s:
        m = load_for_update(s, Member, member_id, version, "Die Mitgliedsorganisation")
        if member_has_history(s, member_id):
            raise UserError(
                f"„{m.name}“ hat Einladungen oder Nominierungen in der Geschichte und kann nicht gelöscht werden. "
                "Setzen Sie stattdessen ein Austrittsdatum („ehemaliges Mitglied“); die Geschichte bleibt erhalten."
            )
        s.delete(m)


def set_left(db: Database, member_id: int, left_on: dt.date | None, *, version: int) -> None:
    with db.transaction() as s:
        m = load_for_update(s, Member, member_id, version, "Die Mitgliedsorganisation")
        m.left_on = left_on
        if errors := validate_member(m):
            raise ValidationError(errors)


def contact_has_history(s: Session, contact_id: int) -> bool:
    return bool(
        s.scalar(select(exists().where(Invitation.contact_id == contact_id)))
        or s.scalar(select(exists().where(Nomination.nominated_by_id == contact_id)))
        or s.scalar(select(exists().where(Score.juror_id == contact_id)))
    )


def delete_contact(db: Database, contact_id: int, *, version: int) -> None:
    """Delete a person; invitations keep their counts (contact becomes empty, shown as deleted)."""
    with db.transaction() as s:
        c = load_for_update(s, Contact, contact_id, version, "Der Kontakt")
        member_id = c.member_id
        s.delete(c)
        s.flush()
        if member_id is not None:
            m = s.get(Member, member_id)
            if m is not None:
                s.refresh(m, ["contacts"])
                refresh_member_search(m)


# --------------------------------------------------------------------------- founding dates and anniversaries


def is_round_anniversary(years: int) -> bool:
    """10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100, then every 25 years (125, 150, …): the jubilees an
    office honours."""
    return years > 0 and ((years % 10 == 0 and years <= 100) or years % 25 == 0)


def anniversary_day(founded_on: dt.date, year: int) -> dt.date:
    """The founding day in `year`; a 29 February is kept on 28 February in other years."""
    try:
        return founded_on.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


@dataclass(frozen=True)
class Anniversary:
    """A member whose founding day has a round anniversary in the chosen year (screen and PDF read this)."""

    member_id: int
    name: str
    city: str
    founded_on: dt.date
    day: dt.date
    years: int


def anniversaries(db: Database, year: int) -> list[Anniversary]:
    """Members with a round anniversary in `year`, by day and name: only those still members on that day."""
    if not 1 <= year <= 9999:
        raise UserError("Jahr: bitte ein Jahr zwischen 1 und 9999.")
    with db.read() as s:
        rows = s.execute(
            select(Member.id, Member.name, Member.city, Member.founded_on, Member.left_on).where(
                Member.founded_on.is_not(None)
            )
        ).all()
    result = []
    for member_id, name, city, founded_on, left_on in rows:
        if founded_on is None:  # excluded by the query; the type checker does not know
            continue
        years = year - founded_on.year
        if not is_round_anniversary(years):
            continue
        day = anniversary_day(founded_on, year)
        if left_on is not None and left_on <= day:
            continue
        result.append(Anniversary(member_id, name, city or "", founded_on, day, years))
    return sorted(result, key=lambda a: (a.day, a.name.casefold(), a.member_id))


def active_member_addressees(db: Database) -> list[Addressee]:
    """Every active member addressed to its primary contact (the name on top when there is none), by name:
    for address labels and mailings to all members."""
    with db.read() as s:
        found = s.scalars(
            select(Member).where(Member.left_on.is_(None)).options(selectinload(Member.contacts)).order_by(Member.name)
        ).all()
        addressees = []
        for m in found:
            p = m.primary_contact
            person = (p.salutation, p.title, p.first_name, p.last_name) if p else ("", "", "", "")
            addressees.append(
                Addressee(
                    *person, organisation=m.name, street=m.street, postal_code=m.postal_code, city=m.city,
                    country=m.country or "",
                )
            )
        return addressees
