"""The Ehrenamtspreis: award rounds, nominations and jury scores (validation and basic queries)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.database import Database
from geschaeftsstelle.errors import FieldError
from geschaeftsstelle.models import Award, Nomination, NominationStatus, Score

STATUS_LABELS = {
    NominationStatus.RECEIVED: "eingegangen",
    NominationStatus.COMPLETE: "vollständig",
    NominationStatus.SHORTLISTED: "Shortlist",
    NominationStatus.AWARDED: "ausgezeichnet",
    NominationStatus.NOT_AWARDED: "nicht ausgezeichnet",
    NominationStatus.WITHDRAWN: "zurückgezogen",
}


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
    return errors


def validate_score(score: Score, nomination: Nomination) -> list[FieldError]:
    errors: list[FieldError] = []
    if not isinstance(score.score, int) or isinstance(score.score, bool) or not 1 <= score.score <= 5:
        errors.append(FieldError("score", f"Die Bewertung „{score.score}“ liegt nicht zwischen 1 und 5."))
    if nomination.nominated_by_id is not None and score.juror_id == nomination.nominated_by_id:
        errors.append(FieldError("juror", "Wer die Nominierung eingereicht hat, kann sie nicht bewerten."))
    return errors


def list_awards(db: Database) -> list[Award]:
    with db.read() as s:
        return list(
            s.scalars(
                select(Award).options(selectinload(Award.criteria), selectinload(Award.jury)).order_by(Award.year)
            )
        )
