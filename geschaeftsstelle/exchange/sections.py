"""Each section's entries checked as plain data and turned into rows, with the same rules as the services.

The domain validators (`members.validate_member`, `meetings.validate_meeting`, …) read attributes, so
they get a `SimpleNamespace` of the entry's values instead of an ORM object: the same rules and
messages without the ORM's per-attribute bookkeeping. Every problem is raised as one line
`path.field: message` (indices from 0).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from geschaeftsstelle import awards, letter_templates, meetings, members, office, reply_codes
from geschaeftsstelle.exchange.attachment_files import ImportedFiles
from geschaeftsstelle.exchange.bulk import ORDER, Writer
from geschaeftsstelle.exchange.entries import Entry
from geschaeftsstelle.exchange.format import (
    AGENDA_ITEM,
    ATTACHMENT_READ,
    AUDIT_ENTRY,
    AWARD,
    CONTACT,
    COUNTED,
    INVITATION,
    LETTER_TEMPLATE,
    MEETING,
    MEMBER,
    NOMINATION,
    OFFICE,
    SCORE,
    VENUE,
)
from geschaeftsstelle.store.models import Award, Contact, Invitation, Meeting, Member, Nomination, Office, Score, Venue
from geschaeftsstelle.validation import normalize_iban

#: The tables by name, in `bulk.ORDER` (each after the tables it refers to): one list of them, there.
_OFFICE, _TEMPLATES, _MEMBERS, _TAGS, _CONTACTS, _VENUES, _MEETINGS, _AGENDA, _SPEAKERS, _INVITATIONS, _AWARDS, \
    _CRITERIA, _JURORS, _NOMINATIONS, _SCORES, _ATTACHMENTS, _AUDIT = ORDER  # fmt: skip


_NOBODY = "Eine Einladung braucht eine Person (contact) oder einen Gastnamen (guest_name)."


class Sections:
    """The import's state across sections: ids by the file's references, and what later sections check against."""

    def __init__(self, writer: Writer, files: ImportedFiles) -> None:
        self.w = writer
        self.files = files  # the attachments' files: checked per entry, copied when everything is read
        # the file's references → new ids, by the section they point into (Entry.ref reads these)
        self.refs: dict[str, dict[str, Any]] = {s: {} for s in ("members", "contacts", "venues", "meetings", "awards")}
        self.refs["criteria"] = {}  # the current award round's criteria by name, for its scores
        self.counts = dict.fromkeys(COUNTED, 0)
        self.has_office = False
        self.templates: dict[str, int] = {}
        self.numbers: dict[str, int] = {}
        self.member_by_id: dict[int, SimpleNamespace] = {}  # for the search texts, written once contacts are read
        self.member_rows: list[dict[str, Any]] = []
        self.contact_rows: list[dict[str, Any]] = []
        self.primary_of: dict[int, int] = {}
        self.invitation_ids: dict[str, list[int]] = {}  # meeting reference → its invitations' ids, in file order
        self.reply_codes: set[str] = set()  # the invitations' reply codes so far
        self.years: dict[int, int] = {}
        self.nominations: dict[str, str] = {}  # nomination id → where it stands
        self.nomination_ids: dict[str, int] = {}
        self._audit_refs: dict[str, dict[str, int]] | None = None

    # ----------------------------------------------------------------------- office and letter texts

    def office(self, value: Any) -> None:
        if value is None:
            return
        e = Entry(value, "office", OFFICE, self.refs)
        row = e.read(OFFICE)
        e.check(office.validate_office(cast(Office, SimpleNamespace(**row))))
        if row["iban"]:
            row["iban"] = normalize_iban(row["iban"])
        self.w.add(_OFFICE, {"id": 1, "version": 1, **row})
        self.has_office = True

    def letter_template(self, i: int, raw: Any) -> None:
        """The office's own letter texts: one per kind, each one a text the letter editor would save."""
        e = Entry(raw, f"letter_templates[{i}]", LETTER_TEMPLATE, self.refs)
        row = e.read(LETTER_TEMPLATE)
        kind, text = row["kind"], row["text"]
        if kind in self.templates:
            e.fail("kind", f"Die Vorlage „{kind}“ steht schon bei letter_templates[{self.templates[kind]}].")
        self.templates[kind] = i
        if not text.strip():
            e.fail("text", "Der Text der Vorlage fehlt (ohne Eintrag gilt der mitgelieferte Text).")
        if problems := letter_templates.check(text, kind):
            e.fail("text", f"{problems[0]}.")
        self.w.add(_TEMPLATES, {"version": 1, **row})
        self.counts["letter_templates"] += 1

    # ----------------------------------------------------------------------- members and contacts

    def member(self, i: int, raw: Any) -> None:
        e = Entry(raw, f"members[{i}]", MEMBER, self.refs)
        row = e.read(MEMBER)
        tags = row.pop("tags")
        m = SimpleNamespace(**row, tags=tags, contacts=[])
        e.check(members.validate_member(cast(Member, m)))
        number = row["member_number"]
        if number:
            if number in self.numbers:
                e.fail("member_number", f"Die Mitgliedsnummer steht schon bei members[{self.numbers[number]}].")
            self.numbers[number] = i
        row = {"id": self.w.next_id(_MEMBERS), "version": 1, **row}
        self.refs["members"][raw["id"]] = row["id"]
        self.member_by_id[row["id"]] = m
        self.member_rows.append(row)
        self.counts["members"] += 1

    def contact(self, i: int, raw: Any) -> None:
        e = Entry(raw, f"contacts[{i}]", CONTACT, self.refs)
        row = e.read(CONTACT)
        member_id = row["member_id"]
        member = self.member_by_id.get(member_id) if member_id is not None else None
        c = SimpleNamespace(**row, member=member)
        e.check(members.validate_contact(cast(Contact, c)), {"is_primary": "primary"})
        if row["is_primary"] and member_id is not None:
            if member_id in self.primary_of:
                earlier = f"contacts[{self.primary_of[member_id]}]"
                e.fail("primary", f"Die Organisation hat schon eine Hauptansprechperson ({earlier}).")
            self.primary_of[member_id] = i
        members.refresh_contact_search(cast(Contact, c))
        c.member = None  # the member lists its contacts for its search text: no cycle back
        if member is not None:
            member.contacts.append(c)
        row = {"id": self.w.next_id(_CONTACTS), "version": 1, **row, "search_text": c.search_text}
        self.refs["contacts"][raw["id"]] = row["id"]
        self.contact_rows.append(row)
        self.counts["contacts"] += 1

    def people_done(self) -> None:
        """Members and contacts are read: the members' search texts (which hold their contacts) are complete."""
        for row in self.member_rows:
            m = self.member_by_id[row["id"]]
            members.refresh_member_search(cast(Member, m))
            self.w.add(_MEMBERS, {**row, "search_text": m.search_text})
            for tag in m.tags:
                self.w.add(_TAGS, {"member_id": row["id"], "tag": tag})
        for row in self.contact_rows:
            self.w.add(_CONTACTS, row)
        self.member_rows, self.contact_rows, self.member_by_id = [], [], {}

    # ----------------------------------------------------------------------- venues and meetings

    def venue(self, i: int, raw: Any) -> None:
        e = Entry(raw, f"venues[{i}]", VENUE, self.refs)
        row = e.read(VENUE)
        e.check(meetings.validate_venue(cast(Venue, SimpleNamespace(**row))))
        row = {"id": self.w.next_id(_VENUES), "version": 1, **row}
        self.refs["venues"][raw["id"]] = row["id"]
        self.w.add(_VENUES, row)
        self.counts["venues"] += 1

    def meeting(self, i: int, raw: Any) -> None:
        e = Entry(raw, f"meetings[{i}]", MEETING, self.refs)
        row = e.read(MEETING)
        speakers = row.pop("speakers")
        # What the invitees were told is a start and an end together (the place may be unknown: null).
        if row["announced_starts_at"] is None:
            for key in ("announced_ends_at", "announced_venue"):
                if raw.get(key) is not None:
                    e.fail(key, "Ohne angekündigten Beginn (announced_starts_at) gibt es nichts Angekündigtes.")
        elif row["announced_ends_at"] is None:
            e.fail("announced_ends_at", "Zum angekündigten Beginn fehlt das angekündigte Ende.")
        elif row["announced_ends_at"] < row["announced_starts_at"]:
            e.fail("announced_ends_at", "Das angekündigte Ende liegt vor dem angekündigten Beginn.")
        agenda = []
        for a_i, item in enumerate(e.array("agenda")):
            ae = Entry(item, f"{e.path}.agenda[{a_i}]", AGENDA_ITEM, self.refs)
            agenda.append({"position": a_i, **ae.read(AGENDA_ITEM)})
        shown = SimpleNamespace(**row, agenda=[SimpleNamespace(**a) for a in agenda])
        e.check(meetings.validate_meeting(cast(Meeting, shown)))
        meeting_id = self.w.next_id(_MEETINGS)
        self.w.add(_MEETINGS, {"id": meeting_id, "version": 1, **row})
        for a in agenda:
            self.w.add(_AGENDA, {"id": self.w.next_id(_AGENDA), "meeting_id": meeting_id, **a})
        for position, contact_id in enumerate(speakers):
            self.w.add(_SPEAKERS, {"meeting_id": meeting_id, "contact_id": contact_id, "position": position})
        self.invitation_ids[raw["id"]] = self.invitations(e, meeting_id)
        self.refs["meetings"][raw["id"]] = meeting_id
        self.counts["meetings"] += 1

    def invitations(self, e: Entry, meeting_id: int) -> list[int]:
        invited: dict[int, int] = {}
        ids = []
        for i, raw in enumerate(e.array("invitations")):
            ie = Entry(raw, f"{e.path}.invitations[{i}]", INVITATION, self.refs)
            row = ie.read(INVITATION)
            contact_id = row["contact_id"]
            if contact_id is None:
                if not row["guest_name"]:
                    ie.fail("contact", _NOBODY)
            elif contact_id in invited:
                ie.fail("contact", f"Diese Person ist schon eingeladen (invitations[{invited[contact_id]}]).")
            else:
                invited[contact_id] = i
            ie.check(meetings.validate_invitation(cast(Invitation, SimpleNamespace(**row))))
            row["reply_code"] = self.reply_code(ie, row["reply_code"])
            ids.append(self.w.next_id(_INVITATIONS))
            self.w.add(_INVITATIONS, {"id": ids[-1], "version": 1, "meeting_id": meeting_id, **row})
        self.counts["invitations"] += len(ids)
        return ids

    def reply_code(self, e: Entry, code: str | None) -> str:
        """The invitation's code as the file has it (checked, unique in the file), or a fresh one for a file
        from before reply codes (an extension of v1): such a file's next export then carries it."""
        if code is None:
            code = reply_codes.new_code()
            while code in self.reply_codes:
                code = reply_codes.new_code()
        elif not reply_codes.is_valid(code):
            e.fail("reply_code", f"„{code}“ ist kein Rückmeldecode (sechs Zeichen mit Prüfzeichen).")
        elif code in self.reply_codes:
            e.fail("reply_code", f"Den Rückmeldecode „{code}“ hat schon eine andere Einladung.")
        self.reply_codes.add(code)
        return code

    # ----------------------------------------------------------------------- award rounds

    def award(self, i: int, raw: Any) -> None:
        e = Entry(raw, f"awards[{i}]", AWARD, self.refs)
        row = e.read(AWARD)
        if row["year"] is None:
            e.fail("year", "Das Jahr fehlt.")
        names, jury = row.pop("criteria"), row.pop("jury")
        a = SimpleNamespace(**row, criteria=[SimpleNamespace(name=n) for n in names])
        e.check(awards.validate_award(cast(Award, a)))
        award_id = self.w.next_id(_AWARDS)
        self.w.add(_AWARDS, {"id": award_id, "version": 1, **row})
        criteria = self.refs["criteria"] = {}
        for position, name in enumerate(names):
            criteria[name] = self.w.next_id(_CRITERIA)
            self.w.add(_CRITERIA, {"id": criteria[name], "award_id": award_id, "position": position, "name": name})
        for position, contact_id in enumerate(jury):
            self.w.add(_JURORS, {"award_id": award_id, "contact_id": contact_id, "position": position})
        jurors = set(jury)
        for n_i, item in enumerate(e.array("nominations")):
            self.nomination(Entry(item, f"{e.path}.nominations[{n_i}]", NOMINATION, self.refs), award_id, jurors)
        if row["year"] in self.years:
            e.fail("year", f"Für {row['year']} gibt es schon eine Preisrunde (awards[{self.years[row['year']]}]).")
        self.years[row["year"]] = i
        self.refs["awards"][raw["id"]] = award_id
        self.counts["awards"] += 1

    def nomination_code(self, e: Entry, code: str | None) -> str:
        """The nomination's reply code as the file has it (checked, unique among the file's nominations), or a
        fresh one for a file from before award replies (an extension of v1)."""
        from geschaeftsstelle import reply_codes as codes  # (sections.py's own import line is the invitations')

        taken: set[str] = self.__dict__.setdefault("_nomination_codes", set())
        if code is None:
            code = next(c for c in iter(codes.new_code, "") if c not in taken)
        elif not codes.is_valid(code):
            e.fail("reply_code", f"„{code}“ ist kein Rückmeldecode (sechs Zeichen mit Prüfzeichen).")
        elif code in taken:
            e.fail("reply_code", f"Den Rückmeldecode „{code}“ hat schon eine andere Nominierung.")
        taken.add(code)
        return code

    def nomination(self, ne: Entry, award_id: int, jury: set[int]) -> None:
        ident = ne.obj.get("id")
        if not isinstance(ident, str) or not ident:
            ne.fail("id", "Eine nicht leere Kennung (Text) wird erwartet.")
        if ident in self.nominations:
            ne.fail("id", f"Die Kennung „{ident}“ steht schon bei {self.nominations[ident]}.")
        self.nominations[ident] = ne.path
        row = ne.read(NOMINATION)
        ne.check(awards.validate_nomination(cast(Nomination, SimpleNamespace(**row))))
        row["reply_code"] = self.nomination_code(ne, row["reply_code"])
        nomination_id = self.nomination_ids[ident] = self.w.next_id(_NOMINATIONS)
        self.w.add(_NOMINATIONS, {"id": nomination_id, "version": 1, "award_id": award_id, **row})
        seen: dict[tuple[int, int], int] = {}
        nominee = SimpleNamespace(nominated_by_id=row["nominated_by_id"])
        for s_i, raw in enumerate(ne.array("scores")):
            se = Entry(raw, f"{ne.path}.scores[{s_i}]", SCORE, self.refs)
            score = se.read(SCORE)
            juror = score["juror_id"]
            # The rules of a score are the service's (awards.validate_score), in the order the file's
            # reading always gave them: the grade, then the jury, then who nominated.
            problems = awards.validate_score(cast(Score, SimpleNamespace(**score)), cast(Nomination, nominee))
            se.check([p for p in problems if p.field == "score"])
            if juror not in jury:
                se.fail("juror", f"„{raw['juror']}“ gehört nicht zur Jury dieser Preisrunde.")
            se.check(problems)
            key = (juror, score["criterion_id"])
            if key in seen:
                se.fail("criterion", f"Diese Bewertung steht schon bei scores[{seen[key]}].")
            seen[key] = s_i
            self.w.add(_SCORES, {"id": self.w.next_id(_SCORES), "nomination_id": nomination_id, **score})
        for a_i, raw in enumerate(ne.array("attachments")):
            ae = Entry(raw, f"{ne.path}.attachments[{a_i}]", ATTACHMENT_READ, self.refs)
            attachment = self.files.row(ae, ae.read(ATTACHMENT_READ))
            self.w.add(_ATTACHMENTS, {"id": self.w.next_id(_ATTACHMENTS), "nomination_id": nomination_id,
                                      **attachment})  # fmt: skip
        self.counts["nominations"] += 1

    # ----------------------------------------------------------------------- change log

    def audit_entry(self, i: int, raw: Any) -> None:
        """One entry of the file's change log, loaded as it is (the import records no entries of its own)."""
        e = Entry(raw, f"audit[{i}]", AUDIT_ENTRY, self.refs)
        row = e.read(AUDIT_ENTRY)
        record = row["entity_id"]
        if record is None:
            row["entity_id"] = 0
        else:
            target = self.audit_refs(row["entity"]).get(record)
            if target is None:
                e.fail("record", f"Verweis „{record}“ führt ins Leere.")
            row["entity_id"] = target
        self.w.add(_AUDIT, {"id": self.w.next_id(_AUDIT), **row})
        self.counts["audit"] += 1

    def audit_refs(self, entity: str) -> dict[str, int]:
        """The file's references by entity; invitations as `t3.invitations[4]`, spelt out on first use."""
        if self._audit_refs is None:
            self._audit_refs = {
                "office": {"office": 1} if self.has_office else {},
                "member": self.refs["members"],
                "contact": self.refs["contacts"],
                "venue": self.refs["venues"],
                "meeting": self.refs["meetings"],
                "award": self.refs["awards"],
                "nomination": self.nomination_ids,
            }
        if entity == "invitation" and "invitation" not in self._audit_refs:
            self._audit_refs["invitation"] = {
                f"{ref}.invitations[{i}]": invitation_id
                for ref, ids in self.invitation_ids.items()
                for i, invitation_id in enumerate(ids)
            }
        return self._audit_refs.get(entity, {})
