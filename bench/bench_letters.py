"""Speed, side by side (issue 13): the same 1,000 two-page invitation letters made three ways in one run.

(a) ours: `python main.py --db DB print invitations --meeting ID --out F.pdf`, the whole process: start-up,
    imports, database, layout and the PDF file;
(b) LibreOffice: `soffice --headless --convert-to pdf letters.fodt`, a flat ODT with the same letters (letterhead,
    address, salutation, body text, programme table, a page break per letter); skipped with a note when soffice
    is missing;
(c) the floor: a bare ReportLab canvas script, its own process too, drawing the same lines (wrapped beforehand)
    with text objects in the same embedded DejaVu fonts and PDF settings: no layout engine, no database.

Every letter is two pages (a long description, a five-row programme) followed by its reply form, in all three:
`print invitations` has no option to leave the form out. The three take turns (the order rotates each round)
after one untimed warm-up each, for `--runs` rounds (at least two; no third when two took over four minutes);
the table gives median wall times, the children's CPU time and the medians of the paired per-round ratios.
Targets: ours ≤ 2.5 s, ≥ 3× faster than LibreOffice, ≤ 2.5× the bare canvas. Exit status 0 whatever the
figures: a measurement, not a test.

The database is the script's own, a new SQLite file made with the services (letterhead, member list import,
venue, meeting, invite all members), never the big office. The text of (b) and (c) is composed here from the
same data in the words of the shipped template, so this script does not depend on the template engine.

    python bench/bench_letters.py [--letters N] [--runs R] [--profile] [--no-libreoffice] [--keep DIR]

`--profile` adds where ours spends its time: the steps of the print command with a clock, then cProfile.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import importlib
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from common import ROOT, emit, emit_value

LETTERS = 1_000
RUNS = 3
TARGET_OURS_S = 2.5
TARGET_OVER_CANVAS = 2.5  # ours ≤ 2.5 × the bare canvas
TARGET_FASTER_THAN_LO = 3.0  # ours ≥ 3 × faster than LibreOffice
PROCESS_TIMEOUT_S = 180
ROUNDS_BUDGET_S = 240  # no further round once they would take longer (run_all stops a script after 420 s)
MAIN = ROOT / "main.py"
FONTS = ROOT / "resources" / "fonts"
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, FOOTER_H = 25 * MM, 22 * MM
TEXT_W = PAGE_W - LEFT - 20 * MM

FIRST = ["Anna", "Jörg", "Ulrike", "Łukasz", "Özlem", "Sören", "Thị Hương", "Ayşe", "Ελένη", "Renée", "Björn", "Kim"]
LAST = ["Müller", "Schäfer", "Größer", "Wiśniewska", "Öztürk", "Nguyễn", "Yılmaz", "Becker", "Dąbrowski", "Weiß"]
KINDS = ["Tafel", "Frauenzentrum", "Lebenshilfe", "Sozialwerk", "Familienzentrum", "Begegnungsstätte", "Jugendhilfe"]
CITIES = [("99423", "Weimar"), ("99510", "Apolda"), ("99438", "Bad Berka"), ("07743", "Jena"), ("99084", "Erfurt")]
OFFICE = {
    "name": "Paritätische Kreisgruppe Weimar/Weimarer Land", "street": "Erfurter Straße 12", "postal_code": "99423",
    "city": "Weimar", "phone": "03643 123456", "fax": "03643 123457", "email": "kreisgruppe@example.org",
    "website": "www.example.org", "bank_name": "Sparkasse Mittelthüringen", "iban": "DE82830530300018009220",
    "bic": "HELADEF1WEM", "signatory": "Andrea Lindner", "signatory_role": "Regionalleiterin", "state": "TH",
}  # fmt: skip
VENUE = {"name": "Gutshof Stötteritz e.V.", "street": "Oberdorfstraße 15", "postal_code": "04599", "city": "Leipzig"}
TITLE, TOPIC = "Kreisgruppensitzung", "Integration der Geflüchteten vor Ort"
STARTS, ENDS, DEADLINE = dt.datetime(2031, 3, 12, 10), dt.datetime(2031, 3, 12, 16), dt.date(2031, 2, 26)
FEE, CATERING = Decimal("15.00"), "Mittagessen, Kaffee und Kuchen"
DESCRIPTION = "\n".join(
    [
        "Seit dem vergangenen Jahr kommen wieder deutlich mehr Menschen nach Thüringen, die vor Krieg und Verfolgung "
        "geflohen sind. Viele unserer Mitgliedsorganisationen begleiten sie in Beratungsstellen, Sprachcafés, "
        "Kleiderkammern und Begegnungsstätten – oft mit Ehrenamtlichen, die selbst an ihre Grenzen kommen. Die "
        "Kreisgruppe möchte an diesem Tag zusammentragen, was vor Ort gebraucht wird, und gemeinsam überlegen, wie "
        "wir uns gegenüber dem Landkreis und der Stadt Weimar Gehör verschaffen.",
        "Am Vormittag berichtet der Landesverband über die neuen Förderrichtlinien des Freistaats für die "
        "Migrationsberatung, die Integrationsmanagerinnen und -manager und die Ehrenamtskoordination. Danach stellen "
        "drei Mitgliedsorganisationen vor, wie sie Wohnungssuche, Kinderbetreuung während der Sprachkurse und die "
        "Begleitung zu Ämtern organisieren, und was sie dabei von anderen gelernt haben.",
        "Am Nachmittag arbeiten wir in kleinen Runden: Wie gewinnen und halten wir Ehrenamtliche? Wie teilen wir "
        "Räume, Fahrzeuge und Dolmetscherinnen über Trägergrenzen hinweg? Welche gemeinsamen Forderungen tragen wir "
        "in den Sozialausschuss des Kreistags? Die Ergebnisse fassen wir in einem kurzen Papier zusammen, das allen "
        "Mitgliedern nach der Sitzung zugeht und die Grundlage unserer Stellungnahme zum Haushalt bildet.",
        "Bringen Sie gern Kolleginnen und Kollegen mit, die in diesem Feld arbeiten, und Material, das Sie mit "
        "anderen teilen möchten: Flyer, Vorlagen, Adresslisten von Dolmetscherdiensten oder Erfahrungen mit "
        "Förderanträgen. Für Fragen vorab steht Ihnen die Geschäftsstelle gern zur Verfügung.",
    ]
)
PROGRAMME = (
    (dt.time(10, 0), "Begrüßung und Vorstellungsrunde", "Andrea Lindner, Regionalleiterin"),
    (dt.time(10, 30), "Neue Förderrichtlinien des Freistaats für die Migrationsberatung", "Dr. Jörg Schäfer"),
    (dt.time(11, 30), "Aus der Praxis: Wohnungssuche, Kinderbetreuung, Begleitung zu Ämtern", None),
    (dt.time(13, 30), "Arbeitsgruppen: Ehrenamt, gemeinsame Ressourcen, Forderungen an den Kreistag", None),
    (dt.time(15, 0), "Ergebnisse, Verabredungen und Verschiedenes", None),
)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")  # fmt: skip
REPLY_FIELDS = ("Anzahl Personen", "Namen der Teilnehmenden", "", "Assistenzbedarf (z. B. Rollstuhlplatz, "
                "Gebärdensprache)", "Verpflegung (z. B. vegetarisch, vegan)")  # fmt: skip


# --------------------------------------------------------------------------- the database


@dataclass(frozen=True)
class Recipient:
    """One member with its contact person: a row of the member list, and an address in the letter."""

    organisation: str
    number: str
    street: str
    postal_code: str
    city: str
    email: str
    salutation: str  # Frau, Herr or "" (neutral)
    title: str
    first_name: str
    last_name: str

    @property
    def person(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    def address(self) -> list[str]:
        prefix = {"Frau": "Frau ", "Herr": "Herrn "}.get(self.salutation, "")
        return [self.organisation, prefix + self.person, self.street, f"{self.postal_code} {self.city}"]

    def greeting(self) -> str:
        surname = " ".join(p for p in (self.title, self.last_name) if p)
        if self.salutation == "Frau":
            return f"Sehr geehrte Frau {surname},"
        if self.salutation == "Herr":
            return f"Sehr geehrter Herr {surname},"
        return f"Guten Tag {self.person},"


def recipients(letters: int) -> list[Recipient]:
    result = []
    for i in range(letters):
        postal_code, city = CITIES[i % len(CITIES)]
        result.append(
            Recipient(
                organisation=f"{KINDS[i % len(KINDS)]} {city} Nr. {i + 1} e. V.",
                number=f"M-{i + 1:05d}",
                street=f"Marktstraße {i % 120 + 1}",
                postal_code=postal_code,
                city=city,
                email=f"info{i}@verein{i}.example",
                salutation=("Frau", "Herr", "")[i % 3],
                title="Dr." if i % 9 == 0 else "",
                first_name=FIRST[i % len(FIRST)],
                last_name=LAST[(i // 3) % len(LAST)],
            )
        )
    return result


def write_member_list(path: Path, people: list[Recipient]) -> None:
    """A member list as offices keep it (UTF-8, `;`): one organisation per row with its contact person."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(
            [
                "Name",
                "Mitgliedsnummer",
                "Straße",
                "PLZ",
                "Ort",
                "E-Mail",
                "Anrede",
                "Titel",
                "Vorname",
                "Nachname",
                "Funktion",
            ]
        )
        for r in people:
            writer.writerow(
                [
                    r.organisation,
                    r.number,
                    r.street,
                    r.postal_code,
                    r.city,
                    r.email,
                    r.salutation,
                    r.title,
                    r.first_name,
                    r.last_name,
                    "Geschäftsführung",
                ]
            )


def build_database(path: Path, people: list[Recipient]) -> int:
    """Letterhead, the members with their primary contacts (the list import), a venue and one confirmed meeting
    with a long description and a five-row programme, every member invited; returns the meeting id."""
    from geschaeftsstelle import invitations, meetings, member_import, office
    from geschaeftsstelle.store.opening import open_database

    db = open_database(path)
    try:
        office.save_office(db, office.OfficeInput(**OFFICE))
        members_csv = path.with_name("mitglieder.csv")
        write_member_list(members_csv, people)
        imported = member_import.import_file(db, members_csv)
        if imported.imported != len(people):
            raise SystemExit(f"member list: {imported.summary()} {member_import.problem_lines(imported)[:3]}")
        venue_id = meetings.save_venue(db, meetings.VenueInput(**VENUE, accessible=True))
        agenda = [meetings.AgendaItemInput(title, time, presenter) for time, title, presenter in PROGRAMME]
        meeting = meetings.MeetingInput(
            title=TITLE,
            starts_at=STARTS,
            ends_at=ENDS,
            status="confirmed",
            venue_id=venue_id,
            topic=TOPIC,
            description=DESCRIPTION,
            registration_deadline=DEADLINE,
            registration_contact=OFFICE["email"],
            members_only=True,
            fee=FEE,
            catering=CATERING,
            agenda=agenda,
        )
        meeting_id = meetings.save_meeting(db, meeting)
        invited = invitations.invite_all_members(db, meeting_id)
        if invited.added != len(people):
            raise SystemExit(f"only {invited.added} of {len(people)} members invited: {invited.problems}")
        return meeting_id
    finally:
        db.dispose()


# --------------------------------------------------------------------------- the same text for (b) and (c)


@dataclass
class LetterText:
    """Everything the letters print, as plain strings, for LibreOffice and the canvas."""

    office_name: str
    office_address: str
    footer: list[str]
    sender: str
    info: list[tuple[str, str]]
    subject: str
    before: list[str]  # body paragraphs before the programme
    programme: list[tuple[str, str, str]]  # time, "TOP n: title", presenter
    after: list[str]
    deadline: str
    signatory: str
    role: str
    reply_note: str
    reply_deadline: str
    reply_meeting: list[str]
    letters: list[dict[str, Any]] = field(default_factory=list)  # address, greeting, recipient, person, organisation


def letter_text(people: list[Recipient]) -> LetterText:
    o = OFFICE
    date = f"{DEADLINE:%d.%m.%Y}"
    long_date = f"{WEEKDAYS[STARTS.weekday()]}, {STARTS.day}. {MONTHS[STARTS.month - 1]} {STARTS.year}"
    hours = f"{STARTS:%H:%M} bis {ENDS:%H:%M} Uhr"
    venue = f"{VENUE['name']}, {VENUE['street']}, {VENUE['postal_code']} {VENUE['city']}"
    fee = f"{FEE:.2f} €".replace(".", ",")
    return LetterText(
        office_name=o["name"],
        office_address=f"{o['street']} · {o['postal_code']} {o['city']}",
        footer=[
            f"{o['name']}, {o['street']}, {o['postal_code']} {o['city']}",
            f"Telefon {o['phone']} · Fax {o['fax']} · {o['email']} · {o['website']}",
            f"{o['bank_name']} · IBAN DE82 8305 3030 0018 0092 20 · BIC {o['bic']}",
        ],
        sender=f"{o['name']} · {o['street']} · {o['postal_code']} {o['city']}",
        info=[
            ("Ihre Ansprechperson", o["signatory"]),
            ("Telefon", o["phone"]),
            ("E-Mail", o["email"]),
            ("Datum", f"{dt.date.today():%d.%m.%Y}"),
        ],
        subject=f"Einladung: {TITLE} am {STARTS:%d.%m.%Y}",
        before=[
            f"wir laden Sie herzlich ein zur Veranstaltung „{TITLE}“ am {long_date}, {hours}.",
            f"Ort: {venue}.",
            f"Thema: {TOPIC}",
            DESCRIPTION,
        ],
        programme=[
            (f"{time:%H:%M} Uhr", f"TOP {n}: {title}", presenter or "")
            for n, (time, title, presenter) in enumerate(PROGRAMME, start=1)
        ],
        after=[
            "Die Veranstaltung richtet sich ausschließlich an Personen aus unseren Mitgliedsorganisationen.",
            f"Die Teilnahme kostet {fee}.",
            f"Verpflegung: {CATERING}.",
            f"Bitte melden Sie sich bis zum {date} mit dem beiliegenden Antwortformular an – per Fax an {o['fax']} "
            f"oder per E-Mail an {o['email']}. Teilen Sie uns dabei bitte mit, ob Sie Assistenz benötigen (z. B. "
            "einen Rollstuhlplatz oder Gebärdensprachdolmetschung) oder besondere Wünsche zur Verpflegung haben.",
            "Wir freuen uns auf Ihr Kommen und den Austausch mit Ihnen.",
        ],
        deadline=f"Anmeldeschluss: {date} · Rückmeldung an {o['email']}",
        signatory=o["signatory"],
        role=o["signatory_role"],
        reply_note=f"Bitte zurück an {o['name']} – per Fax an {o['fax']} · per E-Mail an {o['email']}",
        reply_deadline=f"bis spätestens {date}",
        reply_meeting=[TITLE, f"{long_date}, {hours}", venue],
        letters=[
            {
                "address": r.address(),
                "greeting": r.greeting(),
                "recipient": r.person,
                "person": r.person,
                "organisation": r.organisation,
            }
            for r in people
        ],
    )


# --------------------------------------------------------------------------- (b) LibreOffice: a flat ODT

#: Paragraph styles of the flat ODT: name → (parent, paragraph properties, text properties), all fo: attributes.
FODT_STYLES = {
    "Body": ("", 'margin-bottom="6pt" line-height="14pt"', ""),
    "Bold": ("Body", "", 'font-weight="bold"'),
    "Letter": ("Body", 'break-before="page" margin-bottom="0pt"', 'font-size="6.5pt"'),  # sender line, new page
    "First": ("Letter", 'break-before="auto"', ""),
    "Address": ("", 'line-height="12.5pt"', 'font-size="10pt"'),
    "Label": ("", "", 'font-size="7.5pt"'),
    "Info": ("", 'margin-bottom="4pt"', 'font-size="9.5pt"'),
    "Subject": ("Bold", 'margin-top="24mm" margin-bottom="3mm"', ""),
    "Heading": ("Bold", 'margin-top="6pt"', 'font-size="11pt"'),
    "Cell": ("", 'line-height="12pt"', 'font-size="9.5pt"'),
    "Presenter": ("Cell", "", 'font-size="8.5pt" color="#555555"'),
    "Signature": ("Body", 'margin-top="10mm" margin-bottom="0pt"', ""),
    "Small": ("", "", 'font-size="8pt"'),
    "ReplyTitle": (
        "",
        'break-before="page" margin-top="10mm" margin-bottom="4mm"',
        'font-size="15pt" font-weight="bold"',
    ),
    "Field": ("", 'margin-top="6mm" border-bottom="0.4pt solid #000000" padding-bottom="1mm"', 'font-size="11pt"'),
    "Header": ("", 'border-bottom="0.5pt solid #666666" padding-bottom="1mm"', 'font-size="9pt"'),
    "HeaderName": ("", "", 'font-size="15pt" font-weight="bold"'),
    "Footer": ("", "", 'font-size="7.5pt" color="#404040"'),
}
FODT_NAMESPACES = {
    "office": "office:1.0", "style": "style:1.0", "text": "text:1.0", "table": "table:1.0",
    "fo": "xsl-fo-compatible:1.0", "svg": "svg-compatible:1.0",
}  # fmt: skip
FODT_TABLES = """<office:automatic-styles>
 <style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
  fo:margin-top="12mm" fo:margin-bottom="8mm" fo:margin-left="25mm" fo:margin-right="20mm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0mm" fo:margin-bottom="8mm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0mm" fo:margin-top="4mm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Programme" style:family="table">
  <style:table-properties style:width="165mm" table:align="left" fo:margin-bottom="4mm"/></style:style>
 <style:style style:name="Programme.C" style:family="table-cell">
  <style:table-cell-properties fo:padding-bottom="3pt" fo:border-bottom="0.25pt solid #bbbbbb"/></style:style>
 <style:style style:name="Head" style:family="table">
  <style:table-properties style:width="165mm" table:align="left"/></style:style>
"""


def _fo(attributes: str) -> str:
    return re.sub(r'([\w-]+)="', r'fo:\1="', attributes)


def _fodt_head() -> str:
    """Declarations, styles and the page (A4, letterhead in the header, the office's lines in the footer)."""
    namespaces = " ".join(f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"' for k, v in FODT_NAMESPACES.items())
    styles = []
    for name, (parent, paragraph, text) in FODT_STYLES.items():
        inherit = f' style:parent-style-name="{parent}"' if parent else ""
        props = f"<style:paragraph-properties {_fo(paragraph)}/>" if paragraph else ""
        props += f"<style:text-properties {_fo(text)}/>" if text else ""
        styles.append(f'<style:style style:name="{name}" style:family="paragraph"{inherit}>{props}</style:style>')
    columns = [("Programme.A", "24mm"), ("Programme.B", "141mm"), ("Head.A", "100mm"), ("Head.B", "65mm")]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {namespaces} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">\n<office:font-face-decls><style:font-face '
        'style:name="DejaVu Sans" svg:font-family="\'DejaVu Sans\'" style:font-family-generic="swiss"/>'
        '</office:font-face-decls>\n<office:styles><style:default-style style:family="paragraph">'
        '<style:text-properties style:font-name="DejaVu Sans" fo:font-size="10.5pt" fo:language="de" '
        'fo:country="DE"/></style:default-style>\n' + "\n".join(styles) + "\n</office:styles>\n" + FODT_TABLES
        + "".join(f'<style:style style:name="{n}" style:family="table-column"><style:table-column-properties '
                  f'style:column-width="{w}"/></style:style>\n' for n, w in columns)
        + '</office:automatic-styles>\n<office:master-styles><style:master-page style:name="Standard" '
        'style:page-layout-name="A4">\n'
    )  # fmt: skip


def write_fodt(path: Path, t: LetterText) -> None:
    """One flat ODT with every letter: letterhead and footer on each page, address and information block side by
    side, the body, the programme as a two-column table, the closing, then the reply form on a page of its own."""

    def p(style: str, text: str) -> str:
        return f'<text:p text:style-name="{style}">{escape(text).replace(chr(10), "<text:line-break/>")}</text:p>'

    head = [p("HeaderName", t.office_name), p("Header", t.office_address)]
    parts = [_fodt_head(), f"  <style:header>{''.join(head)}</style:header>\n"]
    parts.append(f"  <style:footer>{''.join(p('Footer', line) for line in t.footer)}</style:footer>\n")
    parts.append(" </style:master-page>\n</office:master-styles>\n<office:body><office:text>\n")
    info = "".join(p("Label", label) + p("Info", value) for label, value in t.info if value)
    programme = "".join(
        '<table:table-row><table:table-cell table:style-name="Programme.C" office:value-type="string">'
        + p("Cell", when)
        + '</table:table-cell><table:table-cell table:style-name="Programme.C" office:value-type="string">'
        + p("Cell", title)
        + (p("Presenter", presenter) if presenter else "")
        + "</table:table-cell></table:table-row>"
        for when, title, presenter in t.programme
    )
    programme = (
        p("Heading", "Programm")
        + '<table:table table:name="Programm" table:style-name="Programme"><table:table-column table:style-name='
        '"Programme.A"/><table:table-column table:style-name="Programme.B"/>' + programme + "</table:table>"
    )
    before = "".join(p("Body", para) for para in t.before)
    after = "".join(p("Body", para) for para in t.after) + p("Bold", t.deadline)
    closing = p("Body", "Mit freundlichen Grüßen") + p("Signature", t.signatory) + p("Small", t.role)
    reply_head = p("Body", t.reply_note) + p("Bold", t.reply_deadline) + p("Body", "\n".join(t.reply_meeting))
    reply_fields = "".join(p("Small", label) + p("Field", "") for label in REPLY_FIELDS)
    reply_fields += (
        p("Body", "☐ nehme teil     ☐ nehme nicht teil") + p("Field", "") + p("Small", "Ort, Datum · Unterschrift")
    )
    with path.open("w", encoding="utf-8") as f:
        f.write("".join(parts))
        for i, letter in enumerate(t.letters):
            f.write(p("First" if i == 0 else "Letter", t.sender))
            f.write(
                '<table:table table:name="Kopf' + str(i) + '" table:style-name="Head"><table:table-column '
                'table:style-name="Head.A"/><table:table-column table:style-name="Head.B"/><table:table-row>'
                '<table:table-cell office:value-type="string">'
                + "".join(p("Address", line) for line in letter["address"])
                + '</table:table-cell><table:table-cell office:value-type="string">'
                + info
                + "</table:table-cell></table:table-row></table:table>"
            )
            f.write(p("Subject", t.subject) + p("Body", letter["greeting"]) + before + programme + after + closing)
            f.write('<text:p text:style-name="ReplyTitle">Rückantwort / Anmeldung</text:p>' + reply_head)
            f.write(p("Small", "Name") + p("Field", letter["person"]))
            f.write(p("Small", "Organisation") + p("Field", letter["organisation"]) + reply_fields + "\n")
        f.write("</office:text></office:body></office:document>\n")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_command(exe: str, fodt: Path, outdir: Path, profile: Path) -> list[str]:
    """A profile of our own: no lock against a running LibreOffice, and its creation is paid in the warm-up."""
    return [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        str(fodt),
        "--outdir",
        str(outdir),
    ]


# --------------------------------------------------------------------------- (c) the bare canvas


def canvas_lines(t: LetterText) -> dict[str, Any]:
    """The shared body as pre-wrapped lines: (bold?, size, x offset, text, advance after) — the child only draws."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("BareSans", "BareSans-Bold")
    for name, file in zip(names, ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), strict=True):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    body: list[tuple[int, float, float, str, float]] = []

    def para(text: str, bold: int = 0, size: float = 10.5, leading: float = 14, after: float = 6) -> None:
        lines = [w for line in text.split("\n") for w in simpleSplit(line, names[bold], size, TEXT_W) or [""]]
        for i, line in enumerate(lines):
            body.append((bold, size, 0, line, leading + (after if i == len(lines) - 1 else 0)))

    for text in t.before:
        para(text)
    para("Programm", bold=1, size=11)
    for when, title, presenter in t.programme:
        body.append((0, 9.5, 0, when, 0))
        wrapped = simpleSplit(title, "BareSans", 9.5, TEXT_W - 24 * MM)
        body += [(0, 9.5, 24 * MM, line, 12) for line in wrapped]
        if presenter:
            body.append((0, 8.5, 24 * MM, presenter, 12))
        body[-1] = (*body[-1][:4], body[-1][4] + 3)
    for text in t.after:
        para(text)
    para(t.deadline, bold=1)
    para("Mit freundlichen Grüßen", after=10 * MM)
    para(t.signatory, after=0)
    body.append((0, 8, 0, t.role, 10))
    note = simpleSplit(t.reply_note, "BareSans", 9.5, TEXT_W)
    return {
        "fonts": [str(FONTS / "DejaVuSans.ttf"), str(FONTS / "DejaVuSans-Bold.ttf")],
        "office_name": t.office_name,
        "office_address": t.office_address,
        "footer": t.footer,
        "sender": t.sender,
        "info": [pair for pair in t.info if pair[1]],
        "subject": t.subject,
        "body": body,
        "reply_note": note,
        "reply_deadline": t.reply_deadline,
        "reply_meeting": t.reply_meeting,
        "reply_fields": REPLY_FIELDS,
        "letters": t.letters,
    }


def draw_canvas(content: dict[str, Any], out: Path) -> int:
    """What a hand-written ReportLab script does: every line placed by a text object, nothing measured or laid out."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # the same PDF settings as ours (fonts.register, page.new_canvas)
    names = ("BareSans", "BareSans-Bold")
    for name, file in zip(names, content["fonts"], strict=True):
        pdfmetrics.registerFont(TTFont(name, file))
    c = Canvas(str(out), pagesize=(PAGE_W, PAGE_H), initialFontName=names[0], pageCompression=1)
    pages = 0

    def letterhead() -> None:
        c.setFont(names[1], 15)
        c.drawString(LEFT, PAGE_H - 20 * MM, content["office_name"])
        c.setFont(names[0], 9)
        c.drawString(LEFT, PAGE_H - 26 * MM, content["office_address"])
        c.line(LEFT, PAGE_H - 29 * MM, PAGE_W - 20 * MM, PAGE_H - 29 * MM)
        c.setFont(names[0], 7.5)
        for i, line in enumerate(content["footer"]):
            c.drawString(LEFT, 16 * MM - i * 3.6 * MM, line)

    for letter in content["letters"]:
        letterhead()
        c.setFont(names[0], 6.5)
        c.drawString(25 * MM, PAGE_H - 59.7 * MM, content["sender"])
        t = c.beginText(25 * MM, PAGE_H - 66 * MM)
        t.setFont(names[0], 10, 12.5)
        for line in letter["address"]:
            t.textLine(line)
        y = PAGE_H - 50 * MM
        for label, value in content["info"]:
            t.setTextOrigin(125 * MM, y)
            t.setFont(names[0], 7.5)
            t.textOut(label)
            t.setTextOrigin(125 * MM, y - 4 * MM)
            t.setFont(names[0], 9.5)
            t.textOut(value)
            y -= 10 * MM
        y = PAGE_H - 98.5 * MM - 10.5
        page = 1
        lines = [(1, 10.5, 0, content["subject"], 14 + 3 * MM), (0, 10.5, 0, letter["greeting"], 20)]
        for bold, size, dx, text, advance in lines + content["body"]:
            if y < FOOTER_H:
                c.drawText(t)
                c.showPage()
                page += 1
                letterhead()
                c.setFont(names[0], 8.5)
                c.drawString(LEFT, PAGE_H - 36 * MM, letter["recipient"])
                c.drawRightString(PAGE_W - 20 * MM, PAGE_H - 36 * MM, f"Seite {page}")
                t = c.beginText()
                y = PAGE_H - 42 * MM - 10.5
            t.setTextOrigin(LEFT + dx, y)
            t.setFont(names[bold], size)
            t.textOut(text)
            y -= advance
        c.drawText(t)
        c.showPage()
        letterhead()
        c.setFont(names[1], 15)
        c.drawString(LEFT, PAGE_H - 40 * MM, "Rückantwort / Anmeldung")
        t = c.beginText(LEFT, PAGE_H - 47 * MM)
        t.setFont(names[0], 9.5, 13)
        for line in content["reply_note"]:
            t.textLine(line)
        t.setFont(names[1], 9.5, 14)
        t.textLine(content["reply_deadline"])
        t.setFont(names[0], 10.5, 14)
        for line in content["reply_meeting"]:
            t.textLine(line)
        y = t.getY() - 10 * MM
        fields = [("Name", letter["person"]), ("Organisation", letter["organisation"])]
        for label, value in fields + [(label, "") for label in content["reply_fields"]]:
            t.setTextOrigin(LEFT, y + 1 * MM)
            t.setFont(names[0], 8)
            t.textOut(label)
            if value:
                t.setTextOrigin(LEFT, y - 5 * MM)
                t.setFont(names[0], 11)
                t.textOut(value)
            c.line(LEFT, y - 6.5 * MM, PAGE_W - 20 * MM, y - 6.5 * MM)
            y -= 14 * MM
        t.setTextOrigin(LEFT, y)
        t.setFont(names[0], 10)
        t.textOut("☐ nehme teil     ☐ nehme nicht teil")
        t.setTextOrigin(LEFT, y - 20 * MM)
        t.setFont(names[0], 8)
        t.textOut("Ort, Datum · Unterschrift")
        c.drawText(t)
        c.showPage()
        pages += page + 1
    c.save()
    return pages


def canvas_child(content_path: Path, out: Path) -> None:
    """`--canvas-child`: the bare script as its own process, so it pays start-up and imports like the others."""
    started = time.perf_counter()
    content = json.loads(content_path.read_text(encoding="utf-8"))
    pages = draw_canvas(content, out)
    print(json.dumps({"pages": pages, "draw_s": round(time.perf_counter() - started, 4)}))


# --------------------------------------------------------------------------- timing


@dataclass
class Way:
    key: str
    name: str
    command: list[str]
    out: Path
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)  # the canvas child's own drawing time
    pages: int | None = None


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system of the child and what it waited for) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PROCESS_TIMEOUT_S, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        logs = sorted(Path(env.get("XDG_STATE_HOME", "/nonexistent")).rglob("*.log"))  # our program's traceback
        tail = "\n".join(logs[-1].read_text(encoding="utf-8").splitlines()[-12:]) if logs else ""
        raise SystemExit(f"{command[:4]} … failed ({proc.returncode}): {proc.stderr.strip()[-800:]}\n{tail}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, proc.stdout


def count_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages)


def measure(way: Way, env: dict[str, str], timed: bool = True) -> None:
    way.out.unlink(missing_ok=True)
    wall, cpu, stdout = run_child(way.command, env)
    if not way.out.exists() or way.out.stat().st_size == 0:  # soffice exits 0 even when it wrote nothing
        raise SystemExit(f"{way.name}: no PDF written ({way.out})")
    if not timed:
        way.pages = count_pages(way.out)
        return
    way.walls.append(wall)
    way.cpus.append(cpu)
    if way.key == "canvas":
        way.inner.append(json.loads(stdout.strip().splitlines()[-1])["draw_s"])


def paired(a: Way, b: Way, cpu: bool = False) -> float:
    """Median of the per-round ratios a/b: both ran in the same round, so a slow moment hits both."""
    pairs = zip(a.cpus, b.cpus, strict=True) if cpu else zip(a.walls, b.walls, strict=True)
    return statistics.median(x / y for x, y in pairs)


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env |= {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("DATA", "STATE", "CONFIG", "CACHE")}
    env.pop("GESCHAEFTSSTELLE_DB", None)
    return env


# --------------------------------------------------------------------------- profile of ours

#: (label, module, class or None, function): their cumulative times from pstats (counted once when nested in
#: themselves), found by the function's code object, so Paragraph.split is not mixed up with paragraph.split().
PROFILE_POINTS = (
    ("imports (all modules)", "importlib._bootstrap", None, "_find_and_load"),
    ("open_database", "geschaeftsstelle.store.database", None, "open_database"),
    ("load_meeting (database → plain data)", "geschaeftsstelle.documents.meeting_data", None, "load_meeting"),
    ("TTFont loading (fonts.register)", "reportlab.pdfbase.ttfonts", "TTFont", "__init__"),
    ("render_letters (everything below)", "geschaeftsstelle.documents.invitations", None, "render_letters"),
    (
        "  _template_paragraphs (template per letter)",
        "geschaeftsstelle.documents.invitations",
        None,
        "_template_paragraphs",
    ),
    ("  letter_story (flowables per letter)", "geschaeftsstelle.documents.invitations", None, "letter_story"),
    ("  Paragraph.__init__ (markup parsing)", "reportlab.platypus.paragraph", "Paragraph", "__init__"),
    ("  esc (escaping user text)", "geschaeftsstelle.documents.text", None, "esc"),
    ("  draw_first_page (address, info block)", "geschaeftsstelle.documents.letter_layout", None, "draw_first_page"),
    ("  flow (story into frames, with drawing)", "geschaeftsstelle.documents.page", None, "flow"),
    ("  draw_reply_form", "geschaeftsstelle.documents.reply_form", None, "draw_reply_form"),
    ("  Paragraph.wrap (line breaking)", "reportlab.platypus.paragraph", "Paragraph", "wrap"),
    ("  Paragraph.split", "reportlab.platypus.paragraph", "Paragraph", "split"),
    ("  Paragraph.draw (text out)", "reportlab.platypus.paragraph", "Paragraph", "draw"),
    ("  Table.wrap (programme, closing block)", "reportlab.platypus.tables", "Table", "wrap"),
    ("  Table.split", "reportlab.platypus.tables", "Table", "split"),
    ("  Table.draw", "reportlab.platypus.tables", "Table", "draw"),
    ("  Canvas.showPage (page streams)", "reportlab.pdfgen.canvas", "Canvas", "showPage"),
    ("  Canvas.save (PDF file)", "reportlab.pdfgen.canvas", "Canvas", "save"),
    ("    font subsetting (makeSubset)", "reportlab.pdfbase.ttfonts", "TTFontFile", "makeSubset"),
    ("    zlib.compress", "zlib", None, "compress"),
)


def _profile_key(module: str, owner: str | None, name: str) -> tuple[str, int, str] | None:
    """How pstats names a function: (file, first line, name), or ("~", 0, "<built-in …>") for C functions."""
    try:
        target = importlib.import_module(module)
        target = getattr(getattr(target, owner) if owner else target, name)
    except (ImportError, AttributeError):
        return None
    code = getattr(target, "__code__", None)
    if code is None:
        return ("~", 0, f"<built-in method {module}.{name}>")
    return (code.co_filename, code.co_firstlineno, code.co_name)


#: Where the clock of `--profile` sorts each step: (module, class or None, attribute, category). Time is counted
#: for the innermost clocked step only (a cell's Paragraph.wrap inside Table.draw is layout, not drawing), so the
#: categories add up; whatever no step covers is "the rest" of the command. Steps the code no longer has are
#: left out, so the list may name private helpers.
CLOCKED = (
    ("geschaeftsstelle.cli.print_commands", None, "open_database", "open_database"),
    ("geschaeftsstelle.documents.invitations", None, "load_meeting", "load"),
    ("geschaeftsstelle.documents.fonts", None, "register", "fonts"),
    ("geschaeftsstelle.documents.invitations", None, "_template_paragraphs", "template"),
    ("geschaeftsstelle.documents.invitations", None, "fill_template", "template"),
    ("geschaeftsstelle.documents.invitations", None, "letter_story", "story"),
    ("reportlab.platypus.paragraph", "Paragraph", "__init__", "markup"),
    ("reportlab.platypus.paragraph", "Paragraph", "wrap", "layout"),
    ("reportlab.platypus.paragraph", "Paragraph", "split", "layout"),
    ("reportlab.platypus.tables", "Table", "wrap", "layout"),
    ("reportlab.platypus.tables", "Table", "split", "layout"),
    ("reportlab.platypus.paragraph", "Paragraph", "draw", "drawing"),
    ("reportlab.platypus.tables", "Table", "draw", "drawing"),
    ("geschaeftsstelle.documents.invitations", None, "draw_first_page", "drawing"),
    ("geschaeftsstelle.documents.invitations", None, "draw_reply_form", "drawing"),
    ("reportlab.pdfgen.canvas", "Canvas", "showPage", "drawing"),
    ("reportlab.pdfgen.canvas", "Canvas", "save", "save"),
    ("reportlab.pdfbase.ttfonts", "TTFontFile", "makeSubset", "subset"),
)
CATEGORIES = {
    "open_database": "open_database (engine, schema check)",
    "load": "load_meeting (invitees and their addresses)",
    "fonts": "fonts.register (reading the TTF files)",
    "template": "filling the letter template",
    "story": "building Paragraphs and Tables (without markup parsing)",
    "markup": "Paragraph() markup parsing",
    "layout": "layout: Paragraph/Table wrap and split",
    "drawing": "drawing: Paragraph/Table draw, letterhead, address, form",
    "save": "Canvas.save without subsetting (objects, zlib, file)",
    "subset": "font subsetting (TTFontFile.makeSubset)",
}


def phases_child(database: Path, meeting_id: int, out: Path, profile: Path | None) -> None:
    """`--phases-child`: `print invitations` run through the command line's own main() in this process, with a
    clock on its steps; or, with a profile file, the same under cProfile from the first import on."""
    argv = ["--db", str(database), "print", "invitations", "--meeting", str(meeting_id), "--out", str(out)]
    if profile is not None:
        profiler = cProfile.Profile()
        profiler.runcall(_imports_and_print, argv)
        profiler.dump_stats(str(profile))
        return
    started = time.perf_counter()
    cli = _imports()
    imported = time.perf_counter()
    spent: dict[str, float] = {}
    stack: list[list[Any]] = []  # [category, started] of the clocked steps under way, innermost last

    def clock(category: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            now = time.perf_counter()
            if stack:
                spent[stack[-1][0]] = spent.get(stack[-1][0], 0.0) + now - stack[-1][1]
            stack.append([category, now])
            try:
                return method(*args, **kwargs)
            finally:
                now = time.perf_counter()
                done_category, since = stack.pop()
                spent[done_category] = spent.get(done_category, 0.0) + now - since
                if stack:
                    stack[-1][1] = now

        return wrapper

    patched = []
    for module, owner_name, name, category in CLOCKED:
        owner = importlib.import_module(module)
        owner = getattr(owner, owner_name) if owner_name else owner
        if name in vars(owner):  # a step the code no longer has is simply not clocked
            patched.append((owner, name, owner.__dict__[name]))
            setattr(owner, name, clock(category, owner.__dict__[name]))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(argv)
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)
    if code != 0:
        raise SystemExit(f"print invitations failed ({code})")
    done = time.perf_counter()
    print(json.dumps({"imports_s": imported - started, "command_s": done - imported, **spent}))


def _imports() -> Any:
    """What `python main.py print …` imports: the command line, then the document modules cmd_print loads."""
    from geschaeftsstelle import cli

    for name in ("cli.print_commands", "documents.attendance_list", "documents.award_documents", "documents.badges",
                 "documents.invitations", "documents.labels", "documents.schedule"):  # fmt: skip
        importlib.import_module(f"geschaeftsstelle.{name}")
    return cli


def _imports_and_print(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        if _imports().main(argv) != 0:
            raise SystemExit("print invitations failed")


def profile_ours(database: Path, meeting_id: int, folder: Path, env: dict[str, str], letters: int) -> None:
    """Where ours spends its time: the steps with a clock (no profiler), then cProfile's view of the same."""
    bare = statistics.median(run_child([sys.executable, "-c", "pass"], env)[0] for _ in range(3))
    child = [sys.executable, __file__, "--phases-child", str(database), str(meeting_id), str(folder / "p.pdf")]
    steps = []
    for _ in range(2):
        wall, _cpu, stdout = run_child(child, env)
        steps.append((wall, json.loads(stdout.strip().splitlines()[-1])))
    wall, phases = min(steps, key=lambda step: step[0])  # the quieter of two runs
    print(f"\nWhere ours spends its time ({letters} letters), with a clock, no profiler (quicker of two runs):")
    print("\n".join(phase_lines(bare, phases)) + f"   (that child process took {wall:.2f} s)")
    prof = folder / "ours.prof"
    run_child([*child, str(prof)], env)
    print("\n".join(profile_lines(prof)))


def phase_lines(start_s: float, ph: dict[str, float]) -> list[str]:
    clocked = sum(v for k, v in ph.items() if not k.endswith("_s"))
    rows = [
        ("Python start (python -c pass)", start_s),
        ("imports (command line, documents, SQLAlchemy, ReportLab)", ph["imports_s"]),
        *[(label, ph.get(key, 0.0)) for key, label in CATEGORIES.items()],
        ("the rest (arguments, frames, between the steps)", ph["command_s"] - clocked),
    ]
    total = sum(value for _, value in rows)
    lines = [f"  {label:<58} {value:6.2f} s {value / total:6.1%}" for label, value in rows]
    return [*lines, f"  {'sum':<58} {total:6.2f} s"]


def profile_lines(prof: Path) -> list[str]:
    stats = pstats.Stats(str(prof))
    entries: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    profiled = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"\nUnder cProfile (imports and the whole command, {profiled:.2f} s with the profiler's overhead):"]
    for label, module, owner, name in PROFILE_POINTS:
        key = _profile_key(module, owner, name)
        if key is None or key not in entries:
            continue
        _cc, calls, _tt, cum, _callers = entries[key]
        lines.append(f"  {label:<44} {cum:6.2f} s {cum / profiled:6.1%} {calls:>10,} calls")
    out = io.StringIO()
    pstats.Stats(str(prof), stream=out).sort_stats("tottime").print_stats(20)
    lines.append("\nTop 20 by own time (tottime):")
    lines += [line for line in out.getvalue().splitlines() if "ncalls" in line or line.strip()[:1].isdigit()]
    return lines


# --------------------------------------------------------------------------- main


def table_lines(ways: list[Way], letters: int, runs: int, notes: list[str]) -> list[str]:
    ours = ways[0]
    per_letter = f"{ours.pages // letters - 1} pages each" if ours.pages else "pages unknown"
    lines = [
        f"{letters:,} invitation letters ({per_letter}) with a reply form each, {runs} rounds, medians:",
        f"  {'':<50} {'wall':>8} {'cpu':>8} {'pages':>6}",
    ]
    for way in ways:
        wall, cpu = statistics.median(way.walls), statistics.median(way.cpus)
        lines.append(f"  {way.name:<50} {wall:7.2f}s {cpu:7.2f}s {way.pages or '?':>6}")
    return lines + [f"  {note}" for note in notes]


def compare(folder: Path, letters: int, runs: int, with_libreoffice: bool, keep: Path | None) -> tuple[Path, int]:
    """Build everything, time the three ways in alternating rounds, print the result lines and the table.
    Returns the database and the meeting (for --profile)."""
    env = child_env(folder / "home")
    started = time.perf_counter()
    people = recipients(letters)
    database = folder / "letters.sqlite"
    meeting_id = build_database(database, people)
    text = letter_text(people)
    fodt, content = folder / "letters.fodt", folder / "canvas.json"
    write_fodt(fodt, text)
    content.write_text(json.dumps(canvas_lines(text), ensure_ascii=False), encoding="utf-8")
    print(f"# database, .fodt and canvas lines made in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    ours_pdf, canvas_pdf = folder / "ours.pdf", folder / "canvas.pdf"
    command = ["--db", str(database), "print", "invitations", "--meeting", str(meeting_id), "--out", str(ours_pdf)]
    ours = Way("ours", "ours, print invitations (whole process)", [sys.executable, str(MAIN), *command], ours_pdf)
    command = [sys.executable, __file__, "--canvas-child", str(content), str(canvas_pdf)]
    canvas = Way("canvas", "bare ReportLab canvas (whole process)", command, canvas_pdf)
    ways, notes = [ours, canvas], []
    exe = soffice() if with_libreoffice else None
    lo = None
    if exe:
        command = libreoffice_command(exe, fodt, folder / "lo", folder / "lo-profile")
        lo = Way("lo", "LibreOffice headless, .fodt to PDF (whole process)", command, folder / "lo" / "letters.pdf")
        ways.insert(1, lo)
    elif with_libreoffice:
        notes.append("LibreOffice skipped: no soffice on PATH (Debian: libreoffice-writer-nogui fonts-dejavu-core)")
    else:
        notes.append("LibreOffice left out (--no-libreoffice)")
    for way in ways:  # untimed: files into the page cache, .pyc written, LibreOffice's profile created
        measure(way, env, timed=False)
    timed_from = time.perf_counter()
    for round_ in range(runs):
        for way in ways[round_ % len(ways) :] + ways[: round_ % len(ways)]:
            measure(way, env)
        took = time.perf_counter() - timed_from
        if round_ >= 1 and took * (round_ + 2) / (round_ + 1) > ROUNDS_BUDGET_S:  # make bench: within its timeout
            print(f"# stopped after {round_ + 1} rounds ({took:.0f} s, budget {ROUNDS_BUDGET_S} s)", file=sys.stderr)
            runs = round_ + 1
            break
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        for path in (database, fodt, *(way.out for way in ways)):
            shutil.copyfile(path, keep / (f"{path.parent.name}-{path.name}" if path.parent != folder else path.name))
    report(ours, lo, canvas, letters, runs, notes)
    return database, meeting_id


def report(ours: Way, lo: Way | None, canvas: Way, letters: int, runs: int, notes: list[str]) -> None:
    """The JSON result lines for run_all (ratios in %, lower is better like times), then the table for people."""
    default = letters == LETTERS  # the targets are the issue's, for 1,000 letters

    def median(way: Way, extra: dict[str, Any] | None = None) -> None:
        cpu = round(statistics.median(way.cpus), 3)
        target = TARGET_OURS_S if way is ours and default else None
        emit(f"{letters} letters: {way.name}", statistics.median(way.walls), target, cpu_s=cpu, pages=way.pages,
             **(extra or {}))  # fmt: skip

    median(ours, {"runs": runs})
    median(canvas, {"draw_s": round(statistics.median(canvas.inner), 3)})
    over_canvas, over_canvas_cpu = paired(ours, canvas), paired(ours, canvas, cpu=True)
    emit_value(f"{letters} letters: ours / bare canvas, paired", over_canvas * 100,
               TARGET_OVER_CANVAS * 100 if default else None, "%", times=round(over_canvas, 2),
               times_cpu=round(over_canvas_cpu, 2))  # fmt: skip
    verdicts = [
        f"ours {statistics.median(ours.walls):.2f} s (target ≤ {TARGET_OURS_S} s)",
        f"ours / canvas {over_canvas:.2f}× (CPU {over_canvas_cpu:.2f}×; target ≤ {TARGET_OVER_CANVAS}×)",
    ]
    if lo is not None:
        median(lo)
        lo_over, lo_over_cpu = paired(lo, ours), paired(lo, ours, cpu=True)
        emit_value(f"{letters} letters: ours / LibreOffice, paired", 100 / lo_over,
                   round(100 / TARGET_FASTER_THAN_LO, 1) if default else None, "%",
                   libreoffice_over_ours=round(lo_over, 2),
                   libreoffice_over_ours_cpu=round(lo_over_cpu, 2))  # fmt: skip
        verdicts.append(
            f"LibreOffice / ours {lo_over:.2f}× (CPU {lo_over_cpu:.2f}×; target ≥ {TARGET_FASTER_THAN_LO}×)"
        )
    else:
        record = {"name": f"{letters} letters: LibreOffice", "measured_s": None, "target_s": None, "note": notes[-1]}
        print(json.dumps(record, ensure_ascii=False), flush=True)
    print()
    print("\n".join(table_lines([w for w in (ours, lo, canvas) if w is not None], letters, runs, notes)))
    print("  paired ratios, median of the rounds:\n    " + "\n    ".join(verdicts))
    if ours.pages and ours.pages != 3 * letters:
        print(f"  note: ours made {ours.pages} pages, not three per letter (two-page letter and its reply form)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=LETTERS, help=f"letters (default {LETTERS:,})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed rounds, at least 2 (default {RUNS})")
    parser.add_argument("--profile", action="store_true", help="then show where ours spends its time")
    parser.add_argument("--no-libreoffice", action="store_true", help="leave LibreOffice out")
    parser.add_argument("--keep", type=Path, help="copy the database, the .fodt and the PDFs into this folder")
    parser.add_argument("--canvas-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--phases-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.canvas_child:
        canvas_child(*args.canvas_child)
        return 0
    if args.phases_child:
        database, meeting_id, out, *prof = args.phases_child
        phases_child(Path(database), int(meeting_id), Path(out), Path(prof[0]) if prof else None)
        return 0
    with tempfile.TemporaryDirectory(prefix="gs-letters-") as tmp:
        folder = Path(tmp)
        database, meeting_id = compare(folder, args.letters, max(2, args.runs), not args.no_libreoffice, args.keep)
        if args.profile:
            profile_ours(database, meeting_id, folder, child_env(folder / "home"), args.letters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
