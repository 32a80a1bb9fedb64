"""The Ehrenamtspreis: award rounds, nominations, jury scores, ranking and the decision.

Conflicts of interest follow the office's rule: a juror who nominated someone may not score that
nomination at all; a juror who belongs to the nominee's member organisation may score, but the score is
flagged and left out of the ranking. Nominations are never dropped silently: late, incomplete or
without consent, they are marked and stay visible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from geschaeftsstelle import attachments, reply_codes
from geschaeftsstelle.addressing import Addressee, addressee_of
from geschaeftsstelle.errors import FieldError, UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import too_long
from geschaeftsstelle.store.models import (
    Award,
    AwardCriterion,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    NominationAttachment,
    NominationStatus,
    Salutation,
    Score,
)
from geschaeftsstelle.store.records import apply, claim, clean_text, existing, load_for_update, new_or_loaded
from geschaeftsstelle.validation import check_email, check_postal_code

STATUS_LABELS = {
    NominationStatus.RECEIVED: "eingegangen",
    NominationStatus.COMPLETE: "vollständig",
    NominationStatus.SHORTLISTED: "Shortlist",
    NominationStatus.AWARDED: "ausgezeichnet",
    NominationStatus.NOT_AWARDED: "nicht ausgezeichnet",
    NominationStatus.WITHDRAWN: "zurückgezogen",
}
_NEXT = {
    NominationStatus.RECEIVED: {NominationStatus.COMPLETE, NominationStatus.WITHDRAWN},
    NominationStatus.COMPLETE: {NominationStatus.RECEIVED, NominationStatus.SHORTLISTED, NominationStatus.WITHDRAWN},
    NominationStatus.SHORTLISTED: {
        NominationStatus.COMPLETE,
        NominationStatus.AWARDED,
        NominationStatus.NOT_AWARDED,
        NominationStatus.WITHDRAWN,
    },
    NominationStatus.AWARDED: {NominationStatus.SHORTLISTED, NominationStatus.NOT_AWARDED},
    NominationStatus.NOT_AWARDED: {NominationStatus.SHORTLISTED, NominationStatus.AWARDED},
    NominationStatus.WITHDRAWN: {NominationStatus.RECEIVED},
}

# --------------------------------------------------------------------------- validation


def validate_award(a: Award) -> list[FieldError]:
    errors: list[FieldError] = []
    if a.year is None or not 1900 <= a.year <= 2200:
        errors.append(FieldError("year", f"Das Jahr „{a.year}“ ist ungültig."))
    if not (a.title or "").strip():
        errors.append(FieldError("title", "Der Titel der Preisrunde fehlt."))
    names = [c.name.strip() for c in a.criteria]
    if any(not n for n in names):
        errors.append(FieldError("criteria", "Ein Kriterium hat keinen Namen."))
    if len(set(names)) != len(names):
        errors.append(FieldError("criteria", "Ein Kriterium ist doppelt aufgeführt."))
    return errors


def validate_nomination(n: Nomination) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (n.nominee or "").strip():
        errors.append(FieldError("nominee", "Der Name der oder des Nominierten fehlt."))
    if n.status not in {s.value for s in NominationStatus}:
        errors.append(FieldError("status", f"Der Status „{n.status}“ ist unbekannt."))
    salutation = getattr(n, "address_salutation", "") or ""
    if salutation not in {s.value for s in Salutation}:
        errors.append(
            FieldError("address_salutation", f"Die Anrede „{salutation}“ ist unbekannt (Frau, Herr oder leer).")
        )
    if problem := check_email(getattr(n, "address_email", "") or None):
        errors.append(FieldError("address_email", problem))
    postal = getattr(n, "address_postal_code", "") or None
    if problem := check_postal_code(postal, getattr(n, "address_country", "") or None):
        errors.append(FieldError("address_postal_code", problem))
    return errors


def validate_score(score: Score, nomination: Nomination) -> list[FieldError]:
    errors: list[FieldError] = []
    if not isinstance(score.score, int) or isinstance(score.score, bool) or not 1 <= score.score <= 5:
        errors.append(FieldError("score", f"Die Bewertung „{score.score}“ liegt nicht zwischen 1 und 5."))
    if nomination.nominated_by_id is not None and score.juror_id == nomination.nominated_by_id:
        errors.append(FieldError("juror", "Wer die Nominierung eingereicht hat, kann sie nicht bewerten."))
    return errors


def completeness(n: Nomination, award: Award) -> list[str]:
    """What keeps a nomination from being complete; shown beside it, never a reason to drop it."""
    problems = []
    if not (n.justification or "").strip():
        problems.append("Begründung fehlt")
    if not n.consent_publication:
        problems.append("Einverständnis zur Veröffentlichung fehlt")
    if n.nominated_by_id is None:
        problems.append("Vorschlagende Person fehlt")
    if award.nomination_deadline and n.received_on and n.received_on > award.nomination_deadline:
        problems.append(f"nach Fristende eingegangen ({n.received_on:%d.%m.%Y})")
    if n.member is not None and n.member.left_on is not None and n.member.left_on <= (n.received_on or dt.date.today()):
        problems.append(f"{n.member.name} ist ausgetreten")
    return problems


# --------------------------------------------------------------------------- rounds


@dataclass
class CriterionInput:
    name: str
    id: int | None = None


@dataclass
class AwardInput:
    year: int
    title: str
    nomination_deadline: dt.date | None = None
    ceremony_id: int | None = None
    notes: str = ""
    criteria: list[CriterionInput] = field(default_factory=list)
    jury_ids: list[int] = field(default_factory=list)
    id: int | None = None
    version: int | None = None


def list_awards(db: Database) -> list[Award]:
    with db.read() as s:
        return list(
            s.scalars(
                select(Award)
                .options(selectinload(Award.criteria), selectinload(Award.jury), selectinload(Award.ceremony))
                .order_by(Award.year.desc())
            )
        )


def get_nomination(db: Database, nomination_id: int) -> Nomination:
    """One nomination as stored (its version is what a later change must carry)."""
    with db.read() as s:
        return existing(s.get(Nomination, nomination_id), "Die Nominierung gibt es nicht (mehr).")


def get_award(db: Database, award_id: int) -> Award:
    """A round with everything the award view shows (nominations, scores, jury, members)."""
    with db.read() as s:
        return _load_award(s, award_id)


def award_for_year(db: Database, year: int) -> Award:
    with db.read() as s:
        award_id = s.scalar(select(Award.id).where(Award.year == year))
        if award_id is None:
            raise UserError(f"Für {year} gibt es keine Preisrunde.")
        return _load_award(s, award_id)


def _load_award(s: Session, award_id: int) -> Award:
    return existing(
        s.scalars(
            select(Award)
            .where(Award.id == award_id)
            .options(
                selectinload(Award.criteria),
                selectinload(Award.jury).selectinload(Contact.member),
                selectinload(Award.ceremony),
                selectinload(Award.nominations).selectinload(Nomination.scores),
                selectinload(Award.nominations).selectinload(Nomination.member),
                selectinload(Award.nominations).selectinload(Nomination.nominated_by).selectinload(Contact.member),
                selectinload(Award.nominations).selectinload(Nomination.attachments),
                selectinload(Award.nominations).selectinload(Nomination.nominee_contact).selectinload(Contact.member),
            )
        ).one_or_none(),
        "Die Preisrunde gibt es nicht (mehr).",
    )


def save_award(db: Database, data: AwardInput) -> int:
    with db.transaction() as s:
        award = new_or_loaded(s, Award, data.id, data.version, "Die Preisrunde")
        with s.no_autoflush:
            apply(award, data, skip=("id", "version", "criteria", "jury_ids"))
            existing = {c.id: c for c in award.criteria}
            criteria = []
            for position, item in enumerate(data.criteria):
                crit = existing.get(item.id) if item.id is not None else None
                crit = crit or AwardCriterion()
                crit.name = item.name.strip()
                crit.position = position
                criteria.append(crit)
            award.criteria = criteria
            jury = []
            for contact_id in dict.fromkeys(data.jury_ids):
                contact = s.get(Contact, contact_id)
                if contact is None:
                    raise ValidationError([FieldError("jury", "Ein gewähltes Jurymitglied gibt es nicht mehr.")])
                jury.append(contact)
            award.jury = jury
            errors = validate_award(award)
            clash = s.scalar(select(Award.title).where(Award.year == award.year, Award.id != (data.id or -1)))
            if clash:
                errors.append(FieldError("year", f"Für {award.year} gibt es schon die Preisrunde „{clash}“."))
            if award.ceremony_id is not None and s.get(Meeting, award.ceremony_id) is None:
                errors.append(FieldError("ceremony_id", "Der gewählte Termin der Verleihung gibt es nicht mehr."))
        if errors:
            raise ValidationError(errors)
        s.flush()
        return award.id


# --------------------------------------------------------------------------- nominations


@dataclass
class NominationInput:
    award_id: int
    nominee: str
    nominee_is_group: bool = False
    member_id: int | None = None
    nominated_by_id: int | None = None
    category: str | None = None
    justification: str = ""
    received_on: dt.date | None = None
    consent_publication: bool = False
    consent_photo: bool = False
    id: int | None = None
    version: int | None = None
    # Where letters to the nominee go: a contact, else this free address (all optional).
    nominee_contact_id: int | None = None
    address_salutation: str = ""
    address_title: str = ""
    address_first_name: str = ""
    address_last_name: str = ""
    address_organisation: str = ""
    address_street: str = ""
    address_postal_code: str = ""
    address_city: str = ""
    address_country: str = ""
    address_email: str = ""


def save_nomination(db: Database, data: NominationInput) -> tuple[int, list[str]]:
    """Save; returns the id and what is still missing (late, no consent …), to show, not to refuse."""
    with db.transaction() as s:
        award = existing(s.get(Award, data.award_id), "Die Preisrunde gibt es nicht (mehr).")
        n = new_or_loaded(
            s, Nomination, data.id, data.version, "Die Nominierung",
            lambda: Nomination(status=NominationStatus.RECEIVED.value, reply_code=_free_code(s)),
        )  # fmt: skip
        with s.no_autoflush:
            apply(n, data)
            n.category = n.category or None
            errors = validate_nomination(n) + too_long(n)
            if n.member_id is not None and s.get(Member, n.member_id) is None:
                errors.append(FieldError("member_id", "Die gewählte Mitgliedsorganisation gibt es nicht mehr."))
            if n.nominated_by_id is not None and s.get(Contact, n.nominated_by_id) is None:
                errors.append(FieldError("nominated_by_id", "Die vorschlagende Person gibt es nicht mehr."))
            if n.nominee_contact_id is not None and s.get(Contact, n.nominee_contact_id) is None:
                errors.append(
                    FieldError("nominee_contact_id", "Die gewählte Person für die Anschrift gibt es nicht mehr.")
                )
        if errors:
            raise ValidationError(errors)
        s.flush()
        s.refresh(n, ["member"])
        return n.id, completeness(n, award)


def set_status(db: Database, nomination_id: int, status: str, *, version: int) -> list[str]:
    """Move along the workflow; returns warnings (e.g. an award without consent to publication)."""
    with db.transaction() as s:
        n = load_for_update(s, Nomination, nomination_id, version, "Die Nominierung")
        new = NominationStatus(status)
        old = NominationStatus(n.status)
        if new == old:
            return []
        if new not in _NEXT[old]:
            raise UserError(
                f"Eine Nominierung mit Status „{STATUS_LABELS[old]}“ kann nicht direkt „{STATUS_LABELS[new]}“ werden."
            )
        problems = completeness(n, n.award)
        blocking = [p for p in problems if p in ("Begründung fehlt",)]
        if new == NominationStatus.COMPLETE and blocking:
            raise UserError(f"„{n.nominee}“ ist noch nicht vollständig: {', '.join(blocking)}.")
        n.status = new.value
        return public_warnings(n) if new == NominationStatus.AWARDED else []


def public_warnings(n: Nomination) -> list[str]:
    """DSGVO: without consent the name never appears in public documents."""
    warnings = []
    if not n.consent_publication:
        warnings.append(
            f"Für „{n.nominee}“ fehlt das Einverständnis zur Veröffentlichung: öffentliche Unterlagen nennen "
            "den Namen nicht."
        )
    if not n.consent_photo:
        warnings.append(f"Für „{n.nominee}“ fehlt das Einverständnis zu Fotos.")
    return warnings


def public_name(n: Nomination) -> str:
    """The name as public documents print it: only with consent to publication."""
    if n.consent_publication:
        return n.nominee
    return "Preisträgergruppe" if n.nominee_is_group else "Preisträgerin/Preisträger (Name nicht veröffentlicht)"


def add_attachment(
    db: Database, nomination_id: int, source_path: str, label: str = "", *, version: int | None
) -> int:
    """Copy the file into the attachments folder now and keep its stored name, label, size and SHA-256.

    `version` is the nomination's version the user saw; the new row raises it (store/locking.py). A path
    that is not a local file, an executable, a device or larger than the limit is refused with one line.
    """
    source = attachments.check_source(source_path)
    text = clean_text(label) or source.name
    if len(text) > 300:
        raise ValidationError([FieldError("label", "Die Bezeichnung ist länger als 300 Zeichen.")])
    target_folder = attachments.folder(db)
    stored = attachments.store(source, target_folder)
    try:
        with db.transaction() as s:
            load_for_update(s, Nomination, nomination_id, version, "Die Nominierung")
            att = NominationAttachment(
                nomination_id=nomination_id,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
                size=stored.size,
                label=text,
                added_on=dt.date.today(),
            )
            s.add(att)
            s.flush()
            attachment_id = att.id
    except BaseException:
        attachments.discard(target_folder, stored.stored_name)  # no row, no copy
        raise
    return attachment_id


def remove_attachment(db: Database, attachment_id: int, *, version: int | None) -> None:
    """Remove the row (checking the nomination's `version`), then its stored copy once that is committed."""
    with db.transaction() as s:
        att = s.get(NominationAttachment, attachment_id)
        if att is None:
            return
        load_for_update(s, Nomination, att.nomination_id, version, "Die Nominierung")
        stored_name = att.stored_name
        s.delete(att)
    attachments.discard(attachments.folder(db), stored_name)


# --------------------------------------------------------------------------- scoring


def is_conflicted(juror: Contact, n: Nomination) -> str | None:
    """Why this juror's score of this nomination does not count, or None."""
    if n.nominated_by_id is not None and juror.id == n.nominated_by_id:
        return "hat die Nominierung eingereicht"
    if n.member_id is not None and juror.member_id == n.member_id:
        return "gehört zur Organisation der oder des Nominierten"
    return None


def set_score(
    db: Database, nomination_id: int, juror_id: int, criterion_id: int, value: int | None, *, version: int
) -> int:
    """Enter, change or (with None) clear one score of the grid; `version` is the nomination's as seen.
    Returns the nomination's version afterwards (the grid's next entry in that row carries it)."""
    with db.transaction() as s:
        n = load_for_update(s, Nomination, nomination_id, version, "Die Nominierung")
        juror = s.get(Contact, juror_id)
        crit = s.get(AwardCriterion, criterion_id)
        if juror is None or crit is None or crit.award_id != n.award_id:
            raise UserError("Nominierung, Jurymitglied oder Kriterium gibt es nicht (mehr).")
        if juror not in n.award.jury:
            raise UserError(f"{juror.full_name} gehört nicht zur Jury dieser Preisrunde.")
        existing = s.scalar(
            select(Score).where(
                Score.nomination_id == nomination_id, Score.juror_id == juror_id, Score.criterion_id == criterion_id
            )
        )
        if value is None:
            if existing is not None:
                s.delete(existing)
        else:
            score = existing or Score(nomination_id=nomination_id, juror_id=juror_id, criterion_id=criterion_id)
            score.score = value
            if errors := validate_score(score, n):
                raise ValidationError(errors)
            if existing is None:
                s.add(score)
        s.flush()
        return n.version


@dataclass(frozen=True)
class RankedNomination:
    nomination_id: int
    nominee: str
    member: str
    status: str
    mean: float | None
    count: int
    excluded: int
    rank: int | None
    tied: bool
    problems: tuple[str, ...]
    version: int  # the nomination's, as read: a status change from the list is refused if it changed since


def ranking(award: Award) -> list[RankedNomination]:
    """By mean score of counted scores, best first; equal means share a rank and are marked as ties."""
    jurors = {c.id: c for c in award.jury}
    rows = []
    for n in award.nominations:
        counted, excluded = [], 0
        for sc in n.scores:
            juror = jurors.get(sc.juror_id)
            if juror is None or is_conflicted(juror, n):
                excluded += 1
            else:
                counted.append(sc.score)
        avg = round(mean(counted), 2) if counted else None
        rows.append((n, avg, len(counted), excluded))
    active = [r for r in rows if r[0].status != NominationStatus.WITHDRAWN.value]
    ordered = sorted(active, key=lambda r: (r[1] is None, -(r[1] or 0), r[0].nominee.casefold()))
    ordered += [r for r in rows if r not in active]
    means = [r[1] for r in active if r[1] is not None]
    result = []
    for n, avg, count, excluded in ordered:
        rank: int | None = None
        tied = False
        if avg is not None and n.status != NominationStatus.WITHDRAWN.value:
            rank = 1 + sum(1 for m in means if m > avg)
            tied = means.count(avg) > 1
        result.append(
            RankedNomination(
                nomination_id=n.id,
                nominee=n.nominee,
                member=n.member.name if n.member is not None else "",
                status=n.status,
                mean=avg,
                count=count,
                excluded=excluded,
                rank=rank,
                tied=tied,
                problems=tuple(completeness(n, award)),
                version=n.version,
            )
        )
    return result


# --------------------------------------------------------------------------- decision


def decide(db: Database, award_id: int, winner_ids: list[int], *, version: int) -> list[str]:
    """Mark winners (others on the shortlist become not awarded) and invite winners and nominators to the
    ceremony. Returns warnings for winners without consent. `version` is the award's as the user saw it;
    the decision raises it (it changes nominations, not the award's row), so two desks cannot both decide."""
    warnings: list[str] = []
    with db.transaction() as s:
        award = load_for_update(s, Award, award_id, version, "Die Preisrunde")
        claim(s, award, "Die Preisrunde")
        chosen = set(winner_ids)
        for n in award.nominations:
            if n.id in chosen:
                if n.status == NominationStatus.WITHDRAWN.value:
                    raise UserError(f"„{n.nominee}“ hat die Nominierung zurückgezogen.")
                n.status = NominationStatus.AWARDED.value
                warnings += public_warnings(n)
            elif n.status in (NominationStatus.SHORTLISTED.value, NominationStatus.AWARDED.value):
                n.status = NominationStatus.NOT_AWARDED.value
        if unknown := chosen - {n.id for n in award.nominations}:
            raise UserError(f"{len(unknown)} gewählte Nominierung(en) gehören nicht zu dieser Preisrunde.")
        if award.ceremony is not None:
            _invite_to_ceremony(s, award, [n for n in award.nominations if n.id in chosen])
    return warnings


def _invite_to_ceremony(s: Session, award: Award, winners: list[Nomination]) -> None:
    meeting = award.ceremony
    assert meeting is not None
    invited_contacts = {i.contact_id for i in meeting.invitations if i.contact_id is not None}
    invited_guests = {(i.guest_name or "").casefold() for i in meeting.invitations if i.contact_id is None}
    for n in winners:
        if n.nominee.casefold() not in invited_guests:
            meeting.invitations.append(
                Invitation(
                    guest_name=n.nominee,
                    guest_organisation=n.member.name if n.member is not None else None,
                    notes=f"Preisträger/in {award.title}",
                )
            )
            invited_guests.add(n.nominee.casefold())
        if n.nominated_by_id is not None and n.nominated_by_id not in invited_contacts:
            meeting.invitations.append(Invitation(contact_id=n.nominated_by_id, notes=f"Vorschlag für {n.nominee}"))
            invited_contacts.add(n.nominated_by_id)


# --------------------------------------------------------------------------- replies after the decision


def _free_code(s: Session) -> str:
    """A new reply code no nomination carries yet (codes are random: a clash is rare, but checked)."""
    while True:
        code = reply_codes.new_code()
        if s.scalar(select(Nomination.id).where(Nomination.reply_code == code)) is None:
            return code


def has_free_address(n: Nomination) -> bool:
    return bool(
        (n.address_last_name or "").strip()
        or (n.address_organisation or "").strip()
        or ((n.address_street or "").strip() and (n.address_city or "").strip())
    )


def nominee_addressee(n: Nomination) -> Addressee | None:
    """Where a letter to the nominee goes: the chosen contact, else the free address, else the nominee's
    member organisation (care of it, as before addresses existed); None when there is nothing to write to."""
    if n.nominee_contact is not None:
        return addressee_of(n.nominee_contact)
    if has_free_address(n):
        return Addressee(
            n.address_salutation or "",
            n.address_title or "",
            n.address_first_name or "",
            n.address_last_name or "",
            n.address_organisation or "",
            n.address_street or "",
            n.address_postal_code or "",
            n.address_city or "",
            n.address_country or "",
        )
    m = n.member
    if m is not None:
        return Addressee("", "", "", "", m.name, m.street, m.postal_code, m.city, m.country or "")
    return None


def nominee_email(n: Nomination) -> str:
    """The nominee's e-mail: the free address's, else the chosen contact's; empty when there is none."""
    if (n.address_email or "").strip():
        return n.address_email.strip()
    if n.nominee_contact is not None and n.nominee_contact.email:
        return n.nominee_contact.email
    return ""


REPLY_KINDS = ("winner", "thanks", "consent")
REPLY_KIND_LABELS = {
    "winner": "Brief an Preisträgerinnen und Preisträger",
    "thanks": "Dank an Vorschlagende nicht ausgewählter Nominierungen",
    "consent": "Bitte um Einverständnis zur Veröffentlichung",
}


@dataclass(frozen=True)
class AwardReply:
    """One letter the decision calls for: to whom (`addressee`, `email`), about which nomination."""

    kind: str  # one of REPLY_KINDS
    nomination: Nomination
    addressee: Addressee
    email: str
    reply_code: str | None


def replies_due(award: Award, kinds: tuple[str, ...] = REPLY_KINDS) -> tuple[list[AwardReply], list[str]]:
    """The letters a decided round owes, in nomination order, and one German line for each one that cannot
    be written (no address). Winners get the winner letter; winners without consent to publication also
    the consent request (with their reply code); nominators of nominations not chosen get a thank-you."""
    letters: list[AwardReply] = []
    missing: list[str] = []
    for n in award.nominations:
        awarded = n.status == NominationStatus.AWARDED.value
        wanted = []
        if awarded and "winner" in kinds:
            wanted.append("winner")
        if awarded and not n.consent_publication and "consent" in kinds:
            wanted.append("consent")
        if wanted:
            to = nominee_addressee(n)
            if to is None:
                missing.append(f"Für „{n.nominee}“ fehlt eine Anschrift (Nominierung bearbeiten → Anschrift).")
            else:
                letters += [AwardReply(k, n, to, nominee_email(n), n.reply_code) for k in wanted]
        if n.status == NominationStatus.NOT_AWARDED.value and "thanks" in kinds and n.nominated_by is not None:
            nominator = n.nominated_by
            letters.append(AwardReply("thanks", n, addressee_of(nominator), nominator.email or "", n.reply_code))
    return letters, missing


def nomination_by_code(db: Database, text: str) -> Nomination:
    """The nomination a typed or scanned reply code belongs to; a wrong check character is refused before
    any lookup, an unknown code with the same sentence as for invitations."""
    code = reply_codes.check(text)
    with db.read() as s:
        n = s.scalars(
            select(Nomination)
            .where(Nomination.reply_code == code)
            .options(selectinload(Nomination.award), selectinload(Nomination.member))
        ).one_or_none()
    if n is None:
        raise UserError(f"Den Code „{reply_codes.printed(code)}“ gibt es nicht (Prüfzeichen falsch?).")
    return n


def record_consent(db: Database, code: str, given: bool, *, version: int) -> list[str]:
    """Record a winner's answer to the consent request by its reply code: `given` sets the consent to
    publication, False records the refusal (public documents then keep the name out). `version` is the
    nomination's as the user saw it. Returns what public documents will do now, as German lines."""
    found = nomination_by_code(db, code)
    with db.transaction() as s:
        n = load_for_update(s, Nomination, found.id, version, "Die Nominierung")
        n.consent_publication = given
        s.flush()
        return public_warnings(n) if not given else []
