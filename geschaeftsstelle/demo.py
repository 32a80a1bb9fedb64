"""A realistic demo Kreisgruppe for first runs, screenshots and manual testing.

Built as an exchange-format document and loaded through the normal import, so the demo exercises the
same validation as a user's file. Deterministic (fixed seed), dated around the current year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from dateutil.rrule import MONTHLY, WE, rrule

from geschaeftsstelle import exchange, reply_codes
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database

ORGANISATIONS = [
    ("Camsin e. V.", "Weimar", "99423", "Migration"),
    ("Lebenshilfe Weimar/Apolda e. V.", "Apolda", "99510", "Behindertenhilfe"),
    ("Frauenzentrum Weimar e. V.", "Weimar", "99423", "Frauen"),
    ("Kinder- und Jugendhilfe Weimarer Land gGmbH", "Apolda", "99510", "Kinder und Jugend"),
    ("Volkssolidarität Weimar e. V.", "Weimar", "99425", "Senioren"),
    ("AWO-Freundeskreis Bad Berka e. V.", "Bad Berka", "99438", "Senioren"),
    ("Sozialwerk Kranichfeld e. V.", "Kranichfeld", "99448", "Beratung"),
    ("Ev. Suchtberatung Weimar", "Weimar", "99423", "Sucht"),
    ("Mehrgenerationenhaus Apolda e. V.", "Apolda", "99510", "Familie"),
    ("Tafel Weimar e. V.", "Weimar", "99427", "Armut"),
    ("Elterninitiative Kita Sonnenschein e. V.", "Blankenhain", "99444", "Kinder und Jugend"),
    ("Selbsthilfegruppe Rheuma Weimar", "Weimar", "99423", "Selbsthilfe"),
    ("Hospizverein Weimarer Land e. V.", "Apolda", "99510", "Hospiz"),
    ("Kinderschutzbund Weimar e. V.", "Weimar", "99425", "Kinder und Jugend"),
    ("Verein für Integration und Bildung e. V.", "Weimar", "99423", "Migration"),
    ("Schuldnerberatung Apolda gGmbH", "Apolda", "99510", "Beratung"),
    ("Jugendclub Magdala e. V.", "Magdala", "99441", "Kinder und Jugend"),
    ("Blinden- und Sehbehindertenverband Kreisgruppe Weimar", "Weimar", "99423", "Behindertenhilfe"),
    ("Gehörlosenverein Weimar e. V.", "Weimar", "99427", "Behindertenhilfe"),
    ("Familienzentrum Bad Sulza e. V.", "Bad Sulza", "99518", "Familie"),
    ("Wohnungslosenhilfe Weimar e. V.", "Weimar", "99423", "Armut"),
    ("Freiwilligenagentur Weimarer Land", "Apolda", "99510", "Ehrenamt"),
    ("Pflegedienst Ilmtal gGmbH", "Bad Berka", "99438", "Pflege"),
    ("Kreisseniorenbeirat Weimarer Land", "Apolda", "99510", "Senioren"),
    ("Lesepaten Weimar e. V.", "Weimar", "99425", "Ehrenamt"),
    ("Interkultureller Garten Weimar e. V.", "Weimar", "99427", "Migration"),
    ("Sportverein Inklusiv Apolda e. V.", "Apolda", "99510", "Behindertenhilfe"),
    ("Aids-Hilfe Weimar & Ostthüringen e. V.", "Weimar", "99423", "Gesundheit"),
    ("Kontaktstelle für Selbsthilfe Weimar", "Weimar", "99423", "Selbsthilfe"),
    ("Bürgerstiftung Weimar", "Weimar", "99423", "Ehrenamt"),
    ("Frühförderstelle Apolda gGmbH", "Apolda", "99510", "Kinder und Jugend"),
    ("Netzwerk Alleinerziehende Weimar e. V.", "Weimar", "99425", "Familie"),
    ("Theaterwerkstatt „Bühne frei“ e. V.", "Weimar", "99423", "Kultur"),
    ("Nachbarschaftshilfe Blankenhain e. V.", "Blankenhain", "99444", "Ehrenamt"),
    ("Psychosoziale Beratungsstelle Weimar gGmbH", "Weimar", "99423", "Beratung"),
]
STREETS = [
    "Marktstraße", "Schillerstraße", "Goetheplatz", "Erfurter Straße", "Jenaer Straße", "Bahnhofstraße",
    "Am Anger", "Lindenstraße", "Karl-Liebknecht-Straße", "Friedensstraße", "Wielandplatz", "Ilmstraße",
]  # fmt: skip
FIRST_F = ["Anna", "Sabine", "Katrin", "Ulrike", "Monika", "Julia", "Petra", "Agnieszka", "Elif", "Thi Lan",
           "Maria", "Heike", "Claudia", "Sandra", "Jana", "Ewa", "Olena", "Birgit"]  # fmt: skip
FIRST_M = ["Thomas", "Michael", "Andreas", "Jörg", "Stefan", "Uwe", "Frank", "Piotr", "Mehmet", "Dmitri",
           "Matthias", "Ralf", "Christian", "Jens", "Tobias", "Karsten"]  # fmt: skip
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Koch", "Richter", "Wolf", "Schröder", "Neumann", "Zimmermann", "Krüger", "Lehmann", "Kowalski",
        "Yılmaz", "Nguyễn", "Wiśniewska", "Popescu", "Schäfer", "Böhm", "Günther"]  # fmt: skip
ROLES = ["Geschäftsführung", "Vorstand", "Projektleitung", "Koordination Ehrenamt", "Einrichtungsleitung", "Verwaltung"]
NEEDS = ["", "", "", "", "", "", "Rollstuhlplatz", "Gebärdensprachdolmetschung", "Leichte Sprache"]
DIETS = ["", "", "", "vegetarisch", "vegetarisch", "vegan", "glutenfrei", "halal"]


def build_demo(today: dt.date | None = None, seed: int = 2020) -> dict[str, Any]:
    """The demo office as an exchange-format document."""
    today = today or dt.date.today()
    year = today.year
    rnd = random.Random(seed)
    data: dict[str, Any] = {
        "format": exchange.FORMAT,
        "version": exchange.VERSION,
        "office": {
            "name": "Paritätische Kreisgruppe Weimar/Weimarer Land",
            "short_name": "Paritätische KG Weimar",
            "street": "Erfurter Straße 12",
            "postal_code": "99423",
            "city": "Weimar",
            "phone": "03643 49 87 10",
            "fax": "03643 49 87 19",
            "email": "kreisgruppe-weimar@example.org",
            "website": "https://weimar.example.org",
            "bank_name": "Sparkasse Jena Saale-Holzland",
            "iban": "DE82830530300018009220",
            "bic": "HELADEF1JEN",
            "signatory": "Andrea Lindner",
            "signatory_role": "Regionalleiterin",
            "state": "TH",
        },
        "members": [],
        "contacts": [],
        "venues": [],
        "meetings": [],
        "awards": [],
    }
    contact_no = 0
    primaries: list[str] = []
    for i, (name, city, plz, tag) in enumerate(ORGANISATIONS):
        mid = f"m{i + 1}"
        left_on = f"{year - 1}-12-31" if i in (12, 27) else None
        data["members"].append(
            {
                "id": mid,
                "name": name,
                "member_number": f"{i + 1:03d}",
                "street": f"{rnd.choice(STREETS)} {rnd.randint(1, 60)}",
                "postal_code": plz,
                "city": city,
                "email": f"info@{_slug(name)}.example",
                "phone": f"0364{rnd.randint(3, 4)} {rnd.randint(100000, 999999)}",
                "website": None,
                "joined_on": f"{rnd.randint(1991, year - 1)}-{rnd.randint(1, 12):02d}-01",
                "left_on": left_on,
                "tags": [tag],
                "notes": "",
            }
        )
        for k in range(rnd.choice((1, 2, 2, 3))):
            contact_no += 1
            female = rnd.random() < 0.6
            first = rnd.choice(FIRST_F if female else FIRST_M)
            last = rnd.choice(LAST)
            salutation = "Frau" if female else "Herr"
            if contact_no % 17 == 0:
                salutation = ""
            cid = f"c{contact_no}"
            data["contacts"].append(
                {
                    "id": cid,
                    "member": mid,
                    "salutation": salutation,
                    "title": "Dr." if rnd.random() < 0.12 else "",
                    "first_name": first,
                    "last_name": last,
                    "role": rnd.choice(ROLES),
                    "organisation": None,
                    "email": f"{_slug(first)}.{_slug(last)}@{_slug(name)}.example",
                    "phone": None,
                    "street": None,
                    "postal_code": None,
                    "city": None,
                    "primary": k == 0,
                    "needs": rnd.choice(NEEDS),
                    "notes": "",
                }
            )
            if k == 0 and left_on is None:
                primaries.append(cid)
    externals = [
        ("Herr", "Prof. Dr.", "Peter", "Löcherbach", "Katholische Hochschule Mainz", "Referent", "55122", "Mainz"),
        ("Frau", "", "Katharina", "Brenner", "Landratsamt Weimarer Land", "Sozialdezernentin", "99510", "Apolda"),
        ("Frau", "", "Ελένη", "Παπαδοπούλου", "Ehrenamtsagentur Thüringen", "Jury", "99084", "Erfurt"),
        ("Herr", "", "Thomas", "Rodeck", "Integrationsmanagement Wartburgkreis", "Jury", "36433", "Bad Salzungen"),
        ("", "", "Kim", "Lange", "Thüringer Allgemeine", "Presse", "99423", "Weimar"),
        ("Herr", "", "Andreas", "Mehlich", "ThASG e. V.", "Referent", "07745", "Jena"),
    ]
    external_ids = []
    for sal, title, first, last, org, role, plz, city in externals:
        contact_no += 1
        cid = f"c{contact_no}"
        external_ids.append(cid)
        data["contacts"].append(
            {
                "id": cid,
                "member": None,
                "salutation": sal,
                "title": title,
                "first_name": first,
                "last_name": last,
                "role": role,
                "organisation": org,
                "email": f"{_slug(first)}.{_slug(last)}@example.org",
                "phone": None,
                "street": f"{rnd.choice(STREETS)} {rnd.randint(1, 40)}",
                "postal_code": plz,
                "city": city,
                "primary": False,
                "needs": "",
                "notes": "",
            }
        )
    data["venues"] = [
        {"id": "v1", "name": "Mehrgenerationenhaus Apolda", "street": "Bahnhofstraße 29", "postal_code": "99510",
         "city": "Apolda", "accessible": True, "directions_url": None, "notes": "Saal im Erdgeschoss"},
        {"id": "v2", "name": "Bürgerzentrum Weimar-West", "street": "Prager Straße 5", "postal_code": "99427",
         "city": "Weimar", "accessible": True, "directions_url": None, "notes": ""},
        {"id": "v3", "name": "Gutshof Stötteritz e. V.", "street": "Oberdorfstraße 15", "postal_code": "04599",
         "city": "Leipzig", "accessible": False, "directions_url": None, "notes": ""},
    ]  # fmt: skip

    dates = list(rrule(MONTHLY, interval=2, byweekday=WE(+2), dtstart=dt.datetime(year, 2, 1, 14), count=7))
    topics = [
        "Haushalt des Landkreises und Förderung der Freien Wohlfahrtspflege",
        "Integration der Geflüchteten: Stand der Netzwerkarbeit",
        "Inklusion vor Ort – Barrierefreiheit in unseren Einrichtungen",
        "Fachkräftegewinnung und Freiwilligendienste",
        "Vorbereitung der Kommunalwahl: Wahlprüfsteine",
        "Jahresrückblick und Planung des kommenden Jahres",
        "Neujahrsempfang und Jahresplanung",
    ]
    meeting_no = 0
    for n, start in enumerate(dates):
        meeting_no += 1
        venue = ["v1", "v2"][n % 2] if start.date() < today + dt.timedelta(days=30) else None
        data["meetings"].append(
            _meeting(rnd, f"t{meeting_no}", "Kreisgruppensitzung", "meeting", start, 2, venue, topics[n],
                     primaries, external_ids, today)
        )  # fmt: skip
    festival = dt.datetime(year, 6, 19, 15)
    meeting_no += 1
    data["meetings"].append(
        _meeting(rnd, f"t{meeting_no}", "Sommerfest mit Verleihung des Ehrenamtspreises", "festival", festival, 4,
                 "v2", "Ehrenamtspreis der Kreisgruppe", primaries, external_ids, today)
    )  # fmt: skip
    ceremony = f"t{meeting_no}"
    meeting_no += 1
    data["meetings"].append(
        _meeting(rnd, f"t{meeting_no}", "Regionalkonferenz: Verbandliche Schwerpunkte", "conference",
                 dt.datetime(year, 9, 24, 12), 4.5, "v3", "Verbandliche Schwerpunkte bis 2030", primaries,
                 external_ids, today)
    )  # fmt: skip

    jury = [*external_ids[2:4], primaries[5]]
    nominations = []
    nominees = [
        ("Erika Sommer", False, 0, "Seit 22 Jahren leitet sie ehrenamtlich die Kleiderkammer und hat sie zu einem "
         "Ort der Begegnung gemacht."),
        ("Lesepaten Weimar", True, 24, "Zwölf Ehrenamtliche lesen wöchentlich in sechs Kitas vor und begeistern "
         "Kinder für Bücher – auch in Arabisch, Ukrainisch und Türkisch."),
        ("Mehmet Yılmaz", False, 14, "Er begleitet neu zugewanderte Familien zu Behörden und Ärzten und übersetzt "
         "dabei in drei Sprachen."),
        ("Jugendclub-Team Magdala", True, 16, "Das Team hält den Jugendclub an fünf Abenden in der Woche offen."),
        ("Gisela Hartung", False, 4, ""),
    ]  # fmt: skip
    criteria = ["Wirkung", "Nachhaltigkeit", "Vorbildcharakter"]
    for k, (nominee, group, member_index, text) in enumerate(nominees):
        member_id = f"m{member_index + 1}"
        nominator = next(c["id"] for c in data["contacts"] if c["member"] == member_id)
        scores = []
        if k < 4:
            for juror in jury:
                if juror == nominator:
                    continue
                for crit in criteria:
                    scores.append({"juror": juror, "criterion": crit, "score": rnd.randint(2, 5)})
        nominations.append(
            {
                "id": f"n{k + 1}",
                "nominee": nominee,
                "nominee_is_group": group,
                "member": member_id,
                "nominated_by": nominator,
                "category": "Gruppe" if group else "Einzelperson",
                "justification": text,
                "received_on": f"{year}-0{3 + k % 2}-{10 + k:02d}",
                "consent_publication": k != 2,
                "consent_photo": k in (0, 1),
                "status": "shortlisted" if k < 3 else ("complete" if k == 3 else "received"),
                "scores": scores,
                "reply_code": _reply_code(f"nomination/{k + 1}"),
                **(_DEMO_NOMINEE_ADDRESS if k == 0 else {}),
            }
        )
    data["awards"].append(
        {
            "id": "a1",
            "year": year,
            "title": f"Ehrenamtspreis {year}",
            "nomination_deadline": f"{year}-04-30",
            "ceremony": ceremony,
            "criteria": criteria,
            "jury": jury,
            "notes": "Preisgeld je 300 €, gestiftet von der Bürgerstiftung.",
            "nominations": nominations,
        }
    )
    return data


def _meeting(
    rnd: random.Random,
    mid: str,
    title: str,
    kind: str,
    start: dt.datetime,
    hours: float,
    venue: str | None,
    topic: str,
    primaries: list[str],
    external_ids: list[str],
    today: dt.date,
) -> dict[str, Any]:
    end = start + dt.timedelta(hours=hours)
    past = start.date() < today
    deadline = start.date() - dt.timedelta(days=7)
    agenda = [
        {"time": f"{start:%H:%M}", "title": "Begrüßung und Feststellung der Tagesordnung", "presenter": None},
        {"time": f"{start + dt.timedelta(minutes=15):%H:%M}", "title": topic, "presenter": None},
        {"time": f"{start + dt.timedelta(minutes=75):%H:%M}", "title": "Berichte aus den Mitgliedsorganisationen",
         "presenter": None},
        {"time": None, "title": "Verschiedenes", "presenter": None},
    ]  # fmt: skip
    speaker = external_ids[0] if kind == "conference" else (external_ids[5] if "Integration" in topic else None)
    invitations: list[dict[str, Any]] = []
    invitees = primaries + ([speaker] if speaker else []) + ([external_ids[1]] if kind != "meeting" else [])
    for cid in dict.fromkeys(invitees):
        sent = start.date() - dt.timedelta(days=28) <= today
        if past:
            response = rnd.choices(["accepted", "declined", "open", "tentative"], [60, 25, 10, 5])[0]
        elif sent:
            response = rnd.choices(["accepted", "declined", "open", "tentative"], [35, 10, 50, 5])[0]
        else:
            response = "open"
        persons = (
            rnd.choice((1, 1, 1, 2, 2, 3))
            if response in ("accepted", "tentative")
            else (0 if response == "declined" else 1)
        )
        invitations.append(
            {
                "contact": cid,
                "sent_on": f"{start.date() - dt.timedelta(days=28)}" if sent else None,
                "channel": rnd.choice(["post", "email", "email", "fax"]) if sent else None,
                "response": response,
                "responded_on": f"{start.date() - dt.timedelta(days=rnd.randint(8, 20))}"
                if response != "open"
                else None,
                "persons": persons,
                "attendee_names": [],
                "assistance": rnd.choice(NEEDS) if response == "accepted" else "",
                "diet": rnd.choice(DIETS) if response == "accepted" else "",
                "attended": (rnd.random() < 0.9) if past and response == "accepted" else None,
                "notes": "",
                "reply_code": _reply_code(f"{mid}/{cid}"),
            }
        )
    return {
        "id": mid,
        "title": title,
        "kind": kind,
        "status": "confirmed" if venue else "planned",
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{end:%Y-%m-%dT%H:%M}",
        "venue": venue,
        "topic": topic,
        "description": "",
        "speakers": [speaker] if speaker else [],
        "agenda": agenda,
        "registration_deadline": f"{deadline}",
        "registration_contact": "kreisgruppe-weimar@example.org",
        "members_only": kind == "meeting",
        "fee": "15.00" if kind == "conference" else None,
        "catering": "Kaffee, Tee und Gebäck" if kind == "meeting" else "Imbiss",
        "capacity": 60 if kind != "festival" else 150,
        "invitations": invitations,
    }


def _slug(text: str) -> str:
    from geschaeftsstelle.search import fold

    return "".join(ch for ch in fold(text).replace(" ", "-") if ch.isascii() and (ch.isalnum() or ch == "-"))[:30]


def load_demo(db: Database, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo office; a database with data is refused untouched."""
    if not db.is_empty():
        raise UserError("Die Datenbank enthält schon Daten. Demo-Daten werden nur in eine leere Datenbank geladen.")
    return exchange.import_office(db, build_demo(today))


def _reply_code(key: str) -> str:
    """A fixed reply code per demo invitation (the same demo every time), drawn from its key, not from `rnd`
    (so every other demo value stays as it was)."""
    digest = hashlib.sha256(key.encode()).digest()
    body = "".join(reply_codes.ALPHABET[b % len(reply_codes.ALPHABET)] for b in digest[: reply_codes.RANDOM_LENGTH])
    return body + reply_codes.check_character(body)


#: The first demo nominee's own address (award replies, issue 16.7): her letters go there, not to her club.
_DEMO_NOMINEE_ADDRESS = {
    "address_salutation": "Frau",
    "address_first_name": "Erika",
    "address_last_name": "Sommer",
    "address_street": "Lindenweg 4",
    "address_postal_code": "99425",
    "address_city": "Weimar",
}
