"""The office's own data (letterhead): one row, created on first use."""

from __future__ import annotations

from dataclasses import dataclass

from geschaeftsstelle import validation as v
from geschaeftsstelle.errors import FieldError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.limits import too_long
from geschaeftsstelle.store.models import STATES, Office
from geschaeftsstelle.store.records import apply, load_for_update

STATE_NAMES = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}


@dataclass
class OfficeInput:
    name: str = ""
    short_name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None
    bank_name: str | None = None
    iban: str | None = None
    bic: str | None = None
    signatory: str = ""
    signatory_role: str = ""
    state: str | None = None
    version: int | None = None


def validate_office(o: Office) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (o.name or "").strip():
        errors.append(FieldError("name", "Der Name der Geschäftsstelle fehlt."))
    errors += too_long(o, Office)  # every text field against its column (store/limits.py: one source)
    if msg := v.check_postal_code(o.postal_code):
        errors.append(FieldError("postal_code", msg))
    if msg := v.check_email(o.email):
        errors.append(FieldError("email", msg))
    if msg := v.check_iban(o.iban):
        errors.append(FieldError("iban", msg))
    if msg := v.check_bic(o.bic):
        errors.append(FieldError("bic", msg))
    if o.state is not None and o.state not in STATES:
        errors.append(FieldError("state", f"Das Bundesland „{o.state}“ ist unbekannt (Kürzel wie TH, SN, HE)."))
    return errors


def get_office(db: Database) -> Office:
    """The letterhead; an unsaved empty one when the office has not been set up yet."""
    with db.read() as s:
        office = s.get(Office, 1)
        return (
            office
            if office is not None
            else Office(
                id=1,
                name="",
                short_name="",
                street="",
                postal_code="",
                city="",
                signatory="",
                signatory_role="",
                version=0,
            )
        )


def is_configured(db: Database) -> bool:
    with db.read() as s:
        office = s.get(Office, 1)
        return office is not None and bool(office.name.strip())


def save_office(db: Database, data: OfficeInput) -> None:
    with db.transaction() as s:
        office = s.get(Office, 1)
        if office is None:
            office = Office(id=1)
            s.add(office)
        else:
            office = load_for_update(s, Office, 1, data.version, "Der Briefkopf")
        apply(office, data, skip=("version",))
        for name in ("phone", "fax", "email", "website", "bank_name", "iban", "bic", "state"):
            if not getattr(office, name):
                setattr(office, name, None)
        if office.iban:
            office.iban = v.normalize_iban(office.iban)
        if office.bic:
            office.bic = "".join(office.bic.split()).upper()
        if errors := validate_office(office):
            raise ValidationError(errors)
