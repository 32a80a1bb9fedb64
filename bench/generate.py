"""A large, realistic office for the benchmarks, generated deterministically and written with bulk inserts.

Ten years of a Kreisgruppe with a long history: 5,000 members, 20,000 contacts with German and
international names, 600 meetings, 200,000 invitations with replies and needs, 10 award rounds.
The ORM would take minutes for this; Core `insert()` of lists of dicts takes seconds. search_text is
filled exactly as `members.refresh_member_search` / `refresh_contact_search` do, so searching works.
The built SQLite file is cached under bench/.cache/, keyed by GENERATOR_VERSION, the scale and the
schema head, so `make bench` builds it once.

    python bench/generate.py                   # build (or reuse) the cached SQLite office, print its path
    python bench/generate.py --db URL          # write into an empty database (e.g. PostgreSQL)
    python bench/generate.py --json out.json   # also write it as an exchange file
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Connection, Table, insert, text

from geschaeftsstelle.search import search_text
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AgendaItem,
    Award,
    AwardCriterion,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    Office,
    Score,
    Venue,
    award_jurors,
    meeting_speakers,
    member_tags,
)
from geschaeftsstelle.store.opening import open_database

GENERATOR_VERSION = 1
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
CHUNK = 5_000


@dataclass(frozen=True)
class Scale:
    members: int = 5_000
    contacts: int = 20_000
    venues: int = 40
    meetings: int = 600
    invitations: int = 200_000
    big_meetings: int = 10  # one Regionalkonferenz a year with 2,000 invitees (the RSVP board benchmark)
    big_invitees: int = 2_000
    awards: int = 10
    nominations: int = 40
    jurors: int = 5
    first_year: int = 2016

    @classmethod
    def tiny(cls) -> Scale:
        """For tests: every kind of row, a few seconds less than a blink."""
        return cls(
            members=50,
            contacts=200,
            venues=5,
            meetings=20,
            invitations=600,
            big_meetings=2,
            big_invitees=100,
            awards=2,
            nominations=6,
            jurors=3,
        )


# --------------------------------------------------------------------------- name pools


def _pool(text_: str) -> tuple[str, ...]:
    """A "|"-separated list, so the pools stay readable and names may contain spaces."""
    return tuple(part.strip() for part in text_.split("|"))


# origin: (women, men, last names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "de": (
        _pool("Anna|Ulrike|Sabine|Jutta|Katrin|Heike|Sophie|Marie|Lena|Renate|Gudrun|Birgit|Christiane|Dörte|Lea"
              "|Hannah|Käthe|Ines|Franziska|Anke"),
        _pool("Jörg|Jürgen|Thomas|Michael|Stefan|Björn|Sören|Uwe|Matthias|Lukas|Felix|Klaus|Dieter|Ralf|Torsten"
              "|Jonas|Günter|Maximilian|Frank|Holger"),
        _pool("Müller|Schäfer|Schmidt|Weiß|Groß|Becker|Hoffmann|Krämer|Wagner|Köhler|Lange|Fischer|Schröder"
              "|Neumann|Zimmermann|Hübner|Förster|Böhm|Wolf|Schulze|Meißner|Jäger|von der Heide|Dreßler"
              "|Große-Wöstmann"),
    ),
    "pl": (
        _pool("Małgorzata|Agnieszka|Katarzyna|Joanna|Zofia|Ewa|Bożena"),
        _pool("Łukasz|Paweł|Krzysztof|Tomasz|Wojciech|Grzegorz|Jarosław"),
        _pool("Kowalski|Wiśniewska|Wójcik|Kamiński|Lewandowska|Zieliński|Szymańska|Dąbrowski"),
    ),
    "tr": (
        _pool("Ayşe|Özlem|Fatma|Elif|Gülşen|Zeynep|Şule"),
        _pool("Mehmet|Ömer|Hüseyin|Can|Murat|Ümit|Çetin"),
        _pool("Yılmaz|Öztürk|Kaya|Demir|Şahin|Çelik|Aydın|Doğan|Güneş"),
    ),
    "vi": (
        _pool("Thị Hương|Ngọc Anh|Thu Trang|Phương Linh|Thị Lan"),
        _pool("Văn Đức|Minh Tuấn|Quốc Bảo|Thanh Sơn|Hoàng Nam"),
        _pool("Nguyễn|Trần|Lê|Phạm|Hoàng|Vũ|Đặng"),
    ),
    "el": (
        _pool("Eleni|Dimitra|Αικατερίνη|Sofía|Ioanna"),
        _pool("Giorgos|Konstantinos|Δημήτρης|Nikolaos|Spyros"),
        _pool("Papadopoulos|Georgiou|Παπαδοπούλου|Nikolaidis|Konstantinidou|Oikonomou"),
    ),
    "ar": (
        _pool("Fatima|Amina|Leila|Nour|مريم|Rania"),
        _pool("Mohammed|Ahmad|Yusuf|Khaled|عمر|Tarek"),
        _pool("Al-Hassan|Haddad|Khalil|Saleh|El-Masri|حداد|Abu Bakr"),
    ),
    "ru": (_pool("Natalia|Olga|Swetlana|Jelena"), _pool("Sergej|Dmitri|Wladimir|Andrej"),
           _pool("Iwanowa|Petrow|Smirnowa|Kusnezow")),
    "uk": (_pool("Olena|Iryna|Oksana"), _pool("Oleksandr|Andrij|Mykola"),
           _pool("Schewtschenko|Kowalenko|Bondarenko|Melnyk")),
    "it": (_pool("Giulia|Francesca|Chiara"), _pool("Giuseppe|Luca|Matteo"), _pool("Rossi|Esposito|Romano|D'Angelo")),
    "fr": (_pool("Renée|Hélène|Amélie"), _pool("François|Jérôme|Noël"), _pool("Dubois|Lefèvre|Mercier|Girard")),
}  # fmt: skip
ORIGIN_WEIGHTS = {"de": 70, "pl": 5, "tr": 7, "vi": 3, "el": 3, "ar": 4, "ru": 3, "uk": 2, "it": 2, "fr": 1}
CITIES = tuple(
    tuple(pair.split(" ", 1))
    for pair in _pool(
        "99423 Weimar|99510 Apolda|99438 Bad Berka|07743 Jena|99084 Erfurt|99867 Gotha|98527 Suhl|07545 Gera"
        "|99734 Nordhausen|37308 Heilbad Heiligenstadt|07318 Saalfeld/Saale|98617 Meiningen|99310 Arnstadt"
        "|04600 Altenburg|96515 Sonneberg|99974 Mühlhausen/Thüringen|06556 Artern/Unstrut|36433 Bad Salzungen"
    )
)
STREETS = _pool(
    "Marktstraße|Goethestraße|Schillerplatz|Am Anger|Bahnhofstraße|Lindenweg|Karl-Liebknecht-Straße|Mühlgasse"
    "|Straße der Einheit|Rosa-Luxemburg-Straße|Am Frauenplan|Jenaer Straße|Friedensstraße|Wielandstraße|Löbdergraben"
)
ORG_KINDS = _pool(
    "Tafel|Lebenshilfe|Frauenzentrum|Familienzentrum|Seniorenbüro|Selbsthilfegruppe|Kinderschutzbund|Sozialwerk"
    "|Begegnungsstätte|Deutsch-Polnische Gesellschaft|Türkischer Elternverein|Vietnamesischer Kulturverein"
    "|Griechische Gemeinde|Arabisches Kulturzentrum|Migrantenbeirat|Jugendwerkstatt|Nachbarschaftshilfe|Hospizverein"
    "|Suchtberatung|Frauenhaus|Mehrgenerationenhaus|Inklusionsbetrieb"
)
LEGAL_FORMS = _pool("e. V.|e. V.|e. V.|gGmbH|gUG (haftungsbeschränkt)")
TAGS = _pool(
    "Migration|Beratung|Armut|Frauen|Kinder|Jugend|Pflege|Inklusion|Sucht|Senioren|Familie|Ehrenamt|Wohnen|Gesundheit"
)
ROLES = _pool(
    "Geschäftsführung|Vorstand|Vorsitzende/r|Kassenwart/in|Koordination Ehrenamt|Sozialarbeiter/in|Projektleitung"
    "|Verwaltung|Öffentlichkeitsarbeit"
)
EXTERNAL_ORGS = _pool(
    "Stadtverwaltung|Landratsamt|Jobcenter|Sparkasse Mittelthüringen|Universität|Fachhochschule|Landesverband"
    "|Diakonie|Caritas|Bürgerstiftung|Landtag|Integrationsbeauftragte|Tageszeitung"
)
NEEDS = _pool("Rollstuhlplatz|Gebärdensprachdolmetschung|Leichte Sprache|Induktionsschleife|Begleitperson|Großdruck")
DIETS = _pool("vegetarisch|vegan|halal|glutenfrei|laktosefrei|ohne Schweinefleisch|Nussallergie")
MEETING_KINDS = (
    ("meeting", "Kreisgruppensitzung", 50),
    ("network", "Netzwerktreffen", 20),
    ("workshop", "Workshop", 20),
    ("conference", "Fachtag", 6),
    ("festival", "Sommerfest", 4),
)
TOPICS = _pool(
    "Kinderarmut im ländlichen Raum|Digitalisierung im Ehrenamt|Fördermittel 2.0|Pflege & Inklusion"
    "|Mehrsprachige Beratung|Wohnungslosigkeit|Barrierefreiheit <konkret>|Engagement junger Menschen"
    "|Haushalt und Zuwendungen|Demokratie stärken"
)
AGENDA = _pool(
    "Begrüßung|Bericht der Geschäftsstelle|Berichte aus den Mitgliedsorganisationen|Fachvortrag|Diskussion|Haushalt"
    "|Wahlen|Verschiedenes|Mittagspause|Arbeitsgruppen|Ausblick"
)
VENUE_KINDS = _pool("Bürgerhaus|Rathaussaal|Mehrgenerationenhaus|Volkshochschule|Stadthalle")
CRITERIA = _pool("Wirkung|Nachhaltigkeit|Innovation|Beteiligung")
JUSTIFICATION = "Seit vielen Jahren engagiert – <b>unermüdlich</b> & verlässlich. "  # markup must be escaped
CHANNELS = ("post", "email", "email", "email", "fax")

# --------------------------------------------------------------------------- generation


class _Names:
    """Draws people by origin weight so every run gives the same mix."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.origins = list(ORIGIN_WEIGHTS)
        self.weights = list(ORIGIN_WEIGHTS.values())

    def person(self) -> tuple[str, str, str]:
        """(salutation, first name, last name)."""
        origin = self.rnd.choices(self.origins, self.weights)[0]
        women, men, last_names = NAMES[origin]
        roll = self.rnd.random()
        if roll < 0.48:
            return "Frau", self.rnd.choice(women), self.rnd.choice(last_names)
        if roll < 0.95:
            return "Herr", self.rnd.choice(men), self.rnd.choice(last_names)
        return "", self.rnd.choice(women + men), self.rnd.choice(last_names)


def _ascii(text_: str) -> str:
    return "".join(ch for ch in search_text([text_]) if ch.isascii() and ch.isalnum()) or "x"


def build_rows(scale: Scale, seed: int = 2016) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as dicts with explicit ids, in insert order (parents first)."""
    rnd = random.Random(seed)
    names = _Names(rnd)
    today = dt.date(scale.first_year + 9, 11, 20)
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["office"] = [
        {
            "id": 1,
            "name": "Kreisgruppe Weimarer Land",
            "street": "Marktstraße 10",
            "postal_code": "99423",
            "city": "Weimar",
            "phone": "03643 123456",
            "fax": None,
            "email": "info@kreisgruppe.example",
            "website": "https://kreisgruppe.example",
            "bank_name": "Sparkasse Mittelthüringen",
            "iban": "DE02120300000000202051",
            "bic": "BYLADEM1001",
            "signatory": "Ulrike Schäfer",
            "signatory_role": "Geschäftsführerin",
            "state": "TH",
        }
    ]

    members: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    member_tags_of: dict[int, list[str]] = {}
    for mid in range(1, scale.members + 1):
        postal_code, city = rnd.choice(CITIES)
        joined = dt.date(rnd.randint(1990, scale.first_year + 8), rnd.randint(1, 12), rnd.randint(1, 28))
        left = joined + dt.timedelta(days=rnd.randint(200, 4000)) if rnd.random() < 0.08 else None
        slug = f"m{mid}"
        members.append(
            {
                "id": mid,
                "name": f"{rnd.choice(ORG_KINDS)} {city} {rnd.choice(LEGAL_FORMS)}",
                "member_number": f"M-{mid:05d}",
                "street": f"{rnd.choice(STREETS)} {rnd.randint(1, 120)}",
                "postal_code": postal_code,
                "city": city,
                "country": None,
                "email": f"kontakt@{slug}.example" if rnd.random() < 0.9 else None,
                "phone": f"0{rnd.randint(3000, 3999)} {rnd.randint(10000, 999999)}",
                "website": None,
                "joined_on": joined,
                "left_on": left if left and left <= today else None,
                "notes": "Mitglied seit der Gründung." if rnd.random() < 0.05 else "",
            }
        )
        chosen = sorted(rnd.sample(TAGS, rnd.randint(0, 3)))
        member_tags_of[mid] = chosen
        tags += [{"member_id": mid, "tag": t} for t in chosen]
    rows["members"] = members
    rows["member_tags"] = tags

    contacts: list[dict[str, Any]] = []
    contacts_of: dict[int, list[dict[str, Any]]] = {}
    member_contacts = min(scale.contacts - max(scale.contacts // 8, scale.jurors * 2 + 4), scale.members * 6)
    member_contacts = max(member_contacts, scale.members)  # every member has a primary contact
    for cid in range(1, scale.contacts + 1):
        salutation, first, last = names.person()
        if cid <= scale.members:
            member = members[cid - 1]  # the first contact of each member is its primary one
        elif cid <= member_contacts:
            member = members[rnd.randrange(scale.members)]
        else:
            member = None
        mail_name = f"{_ascii(first)}.{_ascii(last)}"
        row = {
            "id": cid,
            "member_id": member["id"] if member else None,
            "salutation": salutation,
            "title": "Dr." if rnd.random() < 0.06 else "",
            "first_name": first,
            "last_name": last,
            "role": rnd.choice(ROLES) if member else "",
            "organisation": None,
            "email": None,
            "phone": None,
            "street": None,
            "postal_code": None,
            "city": None,
            "country": None,
            "is_primary": cid <= scale.members,
            "needs": "",
            "notes": "",
        }
        if member:
            row["email"] = f"{mail_name}@m{member['id']}.example" if rnd.random() < 0.85 else None
            row["city"] = member["city"]
        else:
            postal_code, city = rnd.choice(CITIES)
            row.update(
                organisation=f"{rnd.choice(EXTERNAL_ORGS)} {city}",
                email=f"{mail_name}{cid}@extern.example",
                street=f"{rnd.choice(STREETS)} {rnd.randint(1, 80)}",
                postal_code=postal_code,
                city=city,
                role=rnd.choice(("Referent/in", "Jurymitglied", "Gast", "Amtsleitung", "Redaktion")),
            )
        if rnd.random() < 0.5:
            row["phone"] = f"0{rnd.randint(150, 179)} {rnd.randint(1000000, 9999999)}"
        if rnd.random() < 0.04:
            row["needs"] = rnd.choice(NEEDS)
        contacts.append(row)
        if member:
            contacts_of.setdefault(member["id"], []).append(row)
    for m in members:
        parts: list[str | None] = [m["name"], m["member_number"], m["city"], *member_tags_of[m["id"]]]
        for c in contacts_of.get(m["id"], []):
            parts += [c["first_name"], c["last_name"]]
        m["search_text"] = search_text(parts)
    member_name = {m["id"]: m["name"] for m in members}
    for c in contacts:
        org = member_name[c["member_id"]] if c["member_id"] else c["organisation"]
        c["search_text"] = search_text(
            [c["title"], c["first_name"], c["last_name"], org, c["role"], c["email"], c["city"]]
        )
    rows["contacts"] = contacts
    externals = [c["id"] for c in contacts if c["member_id"] is None]

    venues = []
    for vid in range(1, scale.venues + 1):
        postal_code, city = rnd.choice(CITIES)
        venues.append(
            {
                "id": vid,
                "name": f"{rnd.choice(VENUE_KINDS)} {city}",
                "street": f"{rnd.choice(STREETS)} {rnd.randint(1, 60)}",
                "postal_code": postal_code,
                "city": city,
                "country": None,
                "accessible": rnd.random() < 0.7,
                "directions_url": None,
                "notes": "Parkplätze im Hof." if rnd.random() < 0.3 else "",
            }
        )
    rows["venues"] = venues

    meetings: list[dict[str, Any]] = []
    agenda: list[dict[str, Any]] = []
    speakers: list[dict[str, Any]] = []
    start = dt.date(scale.first_year, 1, 15)
    span = (dt.date(scale.first_year + 9, 12, 15) - start).days
    big_ids = set(range(1, scale.meetings + 1, max(scale.meetings // max(scale.big_meetings, 1), 1)))
    big_ids = set(sorted(big_ids)[: scale.big_meetings])
    festival_by_year: dict[int, int] = {}
    kinds = [k for k, _, _ in MEETING_KINDS]
    for mtg in range(1, scale.meetings + 1):
        day = start + dt.timedelta(days=span * (mtg - 1) // max(scale.meetings - 1, 1))
        kind = "conference" if mtg in big_ids else rnd.choices(kinds, [w for _, _, w in MEETING_KINDS])[0]
        label = dict((k, lbl) for k, lbl, _ in MEETING_KINDS)[kind]
        if mtg in big_ids:
            label = "Regionalkonferenz"
        starts = dt.datetime.combine(day, dt.time(rnd.choice((9, 10, 14, 16)), rnd.choice((0, 30))))
        past = day < today
        if past:
            status = "confirmed" if rnd.random() < 0.93 else "cancelled"
        else:
            status = rnd.choice(("planned", "tentative", "confirmed"))
        topic = rnd.choice(TOPICS)
        meetings.append(
            {
                "id": mtg,
                "title": f"{label} {day:%m/%Y}",
                "kind": kind,
                "status": status,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=rnd.choice((2, 3, 4, 6))),
                "venue_id": rnd.randint(1, scale.venues),
                "topic": topic,
                "description": f"Wir laden herzlich ein. Schwerpunkt: {topic}.",
                "registration_deadline": day - dt.timedelta(days=rnd.choice((7, 10, 14))),
                "registration_contact": "Ulrike Schäfer, 03643 123456",
                "members_only": kind == "meeting",
                "fee": None,
                "catering": "Kaffee und Imbiss" if rnd.random() < 0.6 else "",
                "capacity": rnd.choice((None, 40, 80, 120)) if mtg not in big_ids else None,
            }
        )
        if kind == "festival":
            festival_by_year.setdefault(day.year, mtg)
        clock = starts
        for pos, title in enumerate(rnd.sample(AGENDA[1:], rnd.randint(2, 7)), start=1):
            agenda.append(
                {
                    "meeting_id": mtg,
                    "position": pos,
                    "time": clock.time(),
                    "title": f"TOP {pos}: {title}",
                    "presenter": None,
                }
            )
            clock += dt.timedelta(minutes=rnd.choice((15, 20, 30, 45)))
        agenda.append(
            {
                "meeting_id": mtg,
                "position": 0,
                "time": starts.time(),
                "title": "TOP 0: Begrüßung",
                "presenter": "Ulrike Schäfer",
            }
        )
        for pos, cid in enumerate(rnd.sample(externals, rnd.choice((0, 0, 1, 2)))):
            speakers.append({"meeting_id": mtg, "contact_id": cid, "position": pos})
    for i, a in enumerate(agenda, start=1):
        a["id"] = i
    rows["meetings"] = meetings
    rows["agenda_items"] = agenda
    rows["meeting_speakers"] = speakers
    rows["invitations"] = _invitations(rnd, scale, meetings, big_ids, contacts, today)
    rows.update(_awards(rnd, scale, members, contacts, externals, festival_by_year))
    return rows


def _invitations(
    rnd: random.Random,
    scale: Scale,
    meetings: list[dict[str, Any]],
    big_ids: set[int],
    contacts: list[dict[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    small = [m for m in meetings if m["id"] not in big_ids]
    rest = max(scale.invitations - len(big_ids) * scale.big_invitees, 0)
    per_meeting = [rest // len(small) + (1 if i < rest % len(small) else 0) for i in range(len(small))] if small else []
    counts = {m["id"]: n for m, n in zip(small, per_meeting, strict=True)}
    counts.update({mid: scale.big_invitees for mid in big_ids})
    contact_ids = [c["id"] for c in contacts]
    by_id = {c["id"]: c for c in contacts}
    out: list[dict[str, Any]] = []
    walk_in = 0
    for m in meetings:
        day = m["starts_at"].date()
        past = day < today
        cancelled = m["status"] == "cancelled"
        for cid in rnd.sample(contact_ids, min(counts[m["id"]], len(contact_ids))):
            roll = rnd.random()
            if cancelled:
                response = "declined" if roll < 0.2 else "open"
            elif past:
                response = (
                    "accepted" if roll < 0.45 else "declined" if roll < 0.75 else "tentative" if roll < 0.8 else "open"
                )
            else:
                response = "accepted" if roll < 0.2 else "declined" if roll < 0.3 else "open"
            persons = 1
            names: list[str] = []
            if response == "accepted" and rnd.random() < 0.2:
                persons = rnd.randint(2, 4)
                c = by_id[cid]
                names = [f"{c['first_name']} {c['last_name']}"] + [
                    f"Begleitung {i} ({c['last_name']})" for i in range(1, persons)
                ]
            out.append(
                {
                    "meeting_id": m["id"],
                    "contact_id": cid,
                    "guest_name": None,
                    "guest_organisation": None,
                    "sent_on": day - dt.timedelta(days=28),
                    "channel": rnd.choice(CHANNELS),
                    "response": response,
                    "responded_on": day - dt.timedelta(days=rnd.randint(8, 25)) if response != "open" else None,
                    "persons": persons,
                    "attendee_names": names,
                    "assistance": rnd.choice(NEEDS) if response == "accepted" and rnd.random() < 0.03 else "",
                    "diet": rnd.choice(DIETS) if response == "accepted" and rnd.random() < 0.15 else "",
                    "attended": (rnd.random() < 0.9) if past and response == "accepted" and not cancelled else None,
                    "notes": "ruft vorher an" if rnd.random() < 0.01 else "",
                }
            )
        if past and not cancelled and rnd.random() < 0.3:
            walk_in += 1
            out.append(
                {
                    "meeting_id": m["id"],
                    "contact_id": None,
                    "guest_name": f"Gast {walk_in}",
                    "guest_organisation": "spontan gekommen",
                    "sent_on": None,
                    "channel": None,
                    "response": "accepted",
                    "responded_on": None,
                    "persons": 1,
                    "attendee_names": [],
                    "assistance": "",
                    "diet": "",
                    "attended": True,
                    "notes": "",
                }
            )
    codes = _reply_codes(len(out))
    for i, row in enumerate(out, start=1):
        row["id"] = i
        row["reply_code"] = codes[i - 1]
    return out


def _reply_codes(count: int) -> list[str]:
    """`count` distinct valid reply codes, the same every run, drawn apart from `rnd` (so every other
    generated value stays as it was); the column default's random ones would collide at 200,000 rows."""
    from geschaeftsstelle import reply_codes

    draw = random.Random(16)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        body = "".join(draw.choice(reply_codes.ALPHABET) for _ in range(reply_codes.RANDOM_LENGTH))
        code = body + reply_codes.check_character(body)
        if code not in seen:
            seen.add(code)
            out.append(code)
    return out


def _awards(
    rnd: random.Random,
    scale: Scale,
    members: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    externals: list[int],
    festival_by_year: dict[int, int],
) -> dict[str, list[dict[str, Any]]]:
    awards, criteria, jurors, nominations, scores = [], [], [], [], []
    member_contact_ids = [c["id"] for c in contacts if c["member_id"] is not None]
    names = _Names(rnd)
    for aid in range(1, scale.awards + 1):
        year = scale.first_year + aid - 1
        awards.append(
            {
                "id": aid,
                "year": year,
                "title": f"Ehrenamtspreis {year}",
                "nomination_deadline": dt.date(year, 6, 30),
                "ceremony_id": festival_by_year.get(year),
                "notes": "",
            }
        )
        crit_ids = []
        for pos, name in enumerate(CRITERIA):
            crit_ids.append(len(criteria) + 1)
            criteria.append({"id": len(criteria) + 1, "award_id": aid, "position": pos, "name": name})
        jury = rnd.sample(externals, scale.jurors)
        jurors += [{"award_id": aid, "contact_id": cid, "position": pos} for pos, cid in enumerate(jury)]
        for _ in range(scale.nominations):
            nid = len(nominations) + 1
            group = rnd.random() < 0.3
            _, first, last = names.person()
            nominator = rnd.choice(member_contact_ids)
            member = rnd.choice(members)
            status = rnd.choice(("awarded", "not_awarded", "not_awarded", "not_awarded", "shortlisted"))
            nominations.append(
                {
                    "id": nid,
                    "award_id": aid,
                    "nominee": f"Besuchsdienst {member['city']}" if group else f"{first} {last}",
                    "nominee_is_group": group,
                    "member_id": member["id"],
                    "nominated_by_id": nominator,
                    "category": rnd.choice((None, "Jugend", "Lebenswerk", "Projekt")),
                    "justification": JUSTIFICATION * rnd.randint(1, 6),
                    "received_on": dt.date(year, rnd.randint(3, 7), rnd.randint(1, 28)),
                    "consent_publication": rnd.random() < 0.85,
                    "consent_photo": rnd.random() < 0.6,
                    "status": status,
                }
            )
            for juror in jury:
                if juror == nominator:
                    continue
                scores += [
                    {"nomination_id": nid, "juror_id": juror, "criterion_id": crit, "score": rnd.randint(1, 5)}
                    for crit in crit_ids
                ]
    for i, row in enumerate(scores, start=1):
        row["id"] = i
    return {
        "awards": awards,
        "award_criteria": criteria,
        "award_jurors": jurors,
        "nominations": nominations,
        "scores": scores,
    }


TABLES: tuple[tuple[str, Table], ...] = (
    ("office", Office.__table__),  # type: ignore[arg-type]
    ("members", Member.__table__),  # type: ignore[arg-type]
    ("member_tags", member_tags),
    ("contacts", Contact.__table__),  # type: ignore[arg-type]
    ("venues", Venue.__table__),  # type: ignore[arg-type]
    ("meetings", Meeting.__table__),  # type: ignore[arg-type]
    ("agenda_items", AgendaItem.__table__),  # type: ignore[arg-type]
    ("meeting_speakers", meeting_speakers),
    ("invitations", Invitation.__table__),  # type: ignore[arg-type]
    ("awards", Award.__table__),  # type: ignore[arg-type]
    ("award_criteria", AwardCriterion.__table__),  # type: ignore[arg-type]
    ("award_jurors", award_jurors),
    ("nominations", Nomination.__table__),  # type: ignore[arg-type]
    ("scores", Score.__table__),  # type: ignore[arg-type]
)


def _chunks(items: Sequence[dict[str, Any]], size: int) -> Iterable[Sequence[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write(db: Database, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Insert every row in one transaction; on PostgreSQL move the id sequences past the explicit ids."""
    with db.engine.begin() as conn:
        for name, table in TABLES:
            for chunk in _chunks(rows.get(name, []), CHUNK):
                conn.execute(insert(table), list(chunk))
        if not db.is_sqlite:
            _reset_sequences(conn)
    return {name: len(rows.get(name, [])) for name, _ in TABLES}


def _reset_sequences(conn: Connection) -> None:
    for _, table in TABLES:
        if "id" in table.c:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def generate(db: Database, scale: Scale | None = None, seed: int = 2016) -> dict[str, int]:
    """Fill an empty, migrated database with the generated office; returns rows per table."""
    if not db.is_empty():
        raise SystemExit(f"{db.describe()} enthält schon Daten; der Generator schreibt nur in eine leere Datenbank.")
    return write(db, build_rows(scale or Scale(), seed))


def cache_path(scale: Scale | None = None, seed: int = 2016) -> Path:
    """Cached file name: changes with the generator version, the scale, the seed and the schema."""
    from geschaeftsstelle.store.migrate import head_revision

    key = repr((GENERATOR_VERSION, asdict(scale or Scale()), seed, head_revision()))
    return CACHE_DIR / f"office-v{GENERATOR_VERSION}-{hashlib.sha1(key.encode()).hexdigest()[:10]}.sqlite"


def cached_database(scale: Scale | None = None, seed: int = 2016, *, quiet: bool = False) -> Path:
    """The big office as a SQLite file, built on first use (into a temp name, renamed when complete)."""
    path = cache_path(scale, seed)
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + f".building-{os.getpid()}.sqlite")
    started = time.perf_counter()
    db = open_database(tmp)
    try:
        counts = generate(db, scale, seed)
    except BaseException:
        db.dispose()
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink()
        raise
    db.dispose()  # the last connection checkpoints the WAL into the file
    os.replace(tmp, path)
    if not quiet:
        print(f"Großes Büro erzeugt in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="write into this empty database instead of the cached SQLite file")
    parser.add_argument("--json", type=Path, help="also write the office as an exchange file")
    parser.add_argument("--tiny", action="store_true", help="a tiny office (for trying things out)")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    scale = Scale.tiny() if args.tiny else Scale()
    if args.db:
        db = open_database(args.db)
        started = time.perf_counter()
        print(generate(db, scale, args.seed), f"{time.perf_counter() - started:.1f} s")
    else:
        path = cached_database(scale, args.seed)
        print(path)
        db = open_database(path)
    try:
        if args.json:
            from geschaeftsstelle import exchange

            print(exchange.export_file(db, args.json))
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
