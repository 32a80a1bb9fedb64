"""The letters an award decision calls for, as one PDF per run and as e-mail drafts: the winner letter
(and, as before, a note to the winner's nominator), the thank-you to nominators of nominations not
chosen, and the consent request to winners without consent to publication, with their reply code printed
and as a QR code to scan back into the program.

Texts are the office's templates (Einstellungen → Briefvorlagen) filled from present facts only; the
layout is the invitations' DIN 5008 letter (letterhead, address window, closing that keeps its paragraph).
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from io import BytesIO
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import awards, letter_templates, reply_codes
from geschaeftsstelle.addressing import Addressee, addressee_of, one_line
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.letter_layout import ClosingBlock, draw_first_page, flow_letter, signature_block
from geschaeftsstelle.documents.page import Cancelled, Progress, define_letterhead, new_canvas, styles
from geschaeftsstelle.documents.text import date_de, esc
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.office import get_office
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Award, LetterKind, Nomination, NominationStatus, Office

#: Which template each kind of reply fills.
TEMPLATE_OF = {
    "winner": LetterKind.AWARD_WINNER,
    "thanks": LetterKind.AWARD_THANKS,
    "consent": LetterKind.AWARD_CONSENT,
}
QR_SIZE = 28 * mm
CLOSING_WORDS = "Mit freundlichen Grüßen"


def ceremony_words(award: Award) -> str:
    """ "am 19.06.2026 um 15:00 Uhr beim Sommerfest", or empty while no ceremony is chosen."""
    c = award.ceremony
    if c is None:
        return ""
    return f"am {date_de(c.starts_at.date())} um {c.starts_at:%H:%M} Uhr beim {one_line(c.title)}"


def reply_ways(office: Office) -> str:
    """`per Fax an … oder per E-Mail an …`, only the ways the office has; empty without any."""
    ways = []
    if fax := one_line(office.fax):
        ways.append(f"per Fax an {fax}")
    if email := one_line(office.email):
        ways.append(f"per E-Mail an {email}")
    return " oder ".join(ways)


def template_values(award: Award, office: Office, n: Nomination, greeting: str) -> dict[str, str]:
    return {
        "anrede": greeting,
        "name": one_line(n.nominee),
        "preis": one_line(award.title),
        "jahr": str(award.year),
        "organisation": one_line(n.member.name) if n.member is not None else "",
        "verleihung": ceremony_words(award),
        "rueckmeldewege": reply_ways(office),
        "geschaeftsstelle": one_line(office.name),
        "geschaeftsstelle_kurz": one_line(office.short_name) or one_line(office.name),
        "code": reply_codes.printed(n.reply_code) if n.reply_code else "",
    }


def subject_of(reply: awards.AwardReply, award: Award) -> str:
    name = one_line(reply.nomination.nominee)
    if reply.kind == "winner":
        return f"Ehrenamtspreis: Herzlichen Glückwunsch, {name}"
    if reply.kind == "nominator":
        return f"Ihr Vorschlag für den {award.title}"
    if reply.kind == "thanks":
        return f"Ihr Vorschlag für den {award.title}: herzlichen Dank"
    return f"{award.title}: Ihr Einverständnis zur Veröffentlichung"


# --------------------------------------------------------------------------- what goes out


def _nominator_notes(award: Award) -> list[awards.AwardReply]:
    """As before the templates: each winner's nominator hears of the decision (and the ceremony)."""
    return [
        awards.AwardReply("nominator", n, addressee_of(n.nominated_by), n.nominated_by.email or "", n.reply_code)
        for n in award.nominations
        if n.status == NominationStatus.AWARDED.value and n.nominated_by is not None
    ]


def prepared(
    db: Database, year: int, kinds: tuple[str, ...]
) -> tuple[Office, Award, list[awards.AwardReply], list[str]]:
    """The office, the round, the letters of `kinds` in order, and lines for those without an address."""
    unknown = [k for k in kinds if k not in awards.REPLY_KINDS]
    if unknown:
        raise UserError(f"Briefe „{unknown[0]}“ gibt es nicht (möglich: winner, thanks, consent).")
    office, award = get_office(db), awards.award_for_year(db, year)
    decided = (NominationStatus.AWARDED.value, NominationStatus.NOT_AWARDED.value)
    if not any(n.status in decided for n in award.nominations):
        raise UserError(f"In der Preisrunde {year} ist noch niemand ausgezeichnet.")
    letters, missing = awards.replies_due(award, kinds)
    if "winner" in kinds:
        notes = _nominator_notes(award)
        letters = [x for x in letters if x.kind == "winner"] + notes + [x for x in letters if x.kind != "winner"]
    if not letters:
        raise UserError(f"In der Preisrunde {year} ist kein solcher Brief fällig.")
    return office, award, letters, missing


def paragraphs_of(reply: awards.AwardReply, award: Award, office: Office, texts: dict[LetterKind, str]) -> list[str]:
    greeting = reply.addressee.greeting()
    if reply.kind == "nominator":
        when = ceremony_words(award)
        return [
            greeting,
            f"vielen Dank für Ihren Vorschlag. Die Jury hat entschieden: {one_line(reply.nomination.nominee)} "
            f"erhält den {one_line(award.title)}.",
            f"Wir laden Sie herzlich ein, {when} dabei zu sein." if when else
            "Den Termin der Preisverleihung teilen wir Ihnen rechtzeitig mit.",
        ]  # fmt: skip
    kind = TEMPLATE_OF[reply.kind]
    return letter_templates.fill(texts[kind], kind, template_values(award, office, reply.nomination, greeting))


def _stored_texts(db: Database) -> dict[LetterKind, str]:
    return {k: letter_templates.template_text(db, k) for k in TEMPLATE_OF.values()}


# --------------------------------------------------------------------------- the consent reply block


class QrCode(Flowable):  # type: ignore[misc]  # ReportLab has no type hints: Flowable is Any
    """The reply code as a QR code (ReportLab's own barcode module), `size` wide and high."""

    def __init__(self, value: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.value, self.size = value, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        widget = QrCodeWidget(self.value, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(self.size, self.size, transform=[self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)


def consent_block(n: Nomination) -> list[Flowable]:
    """Tick boxes for yes and no, name, date and signature lines, and the code (large and as QR code)."""
    st = styles()
    code = reply_codes.printed(n.reply_code or "")
    box = "\u2610"
    answers = Paragraph(
        f"{box} <b>Ja</b>, ich bin einverstanden, dass mein Name im Zusammenhang mit dem Preis veröffentlicht "
        f"wird.<br/>{box} <b>Nein</b>, mein Name soll nicht veröffentlicht werden.<br/><br/>"
        "Datum, Unterschrift: ______________________________",
        st.body.clone("consent-answers", leading=16),
    )
    code_cell = [
        Paragraph("Ihr Code", st.small),
        Paragraph(f"<font size=16><b>{esc(code)}</b></font>", st.body.clone("consent-code", leading=20)),
        QrCode(code),
    ]
    table = Table([[answers, code_cell]], colWidths=[120 * mm, 45 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, "#555555"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), fonts.SANS),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return [Spacer(1, 6 * mm), KeepTogether([Paragraph("Rückantwort", st.bold), table])]


# --------------------------------------------------------------------------- PDF and drafts


def render(
    target: BytesIO | Path,
    office: Office,
    award: Award,
    letters: list[awards.AwardReply],
    texts: dict[LetterKind, str],
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """All letters into one PDF; returns the number of pages."""
    st = styles()
    c = new_canvas(target, f"Briefe {award.title}", office)
    define_letterhead(c, office)
    letter_date = today or dt.date.today()
    pages = 0
    for done, reply in enumerate(letters, start=1):
        a: Addressee = reply.addressee
        draw_first_page(c, office, a, letter_date)
        paragraphs = paragraphs_of(reply, award, office, texts)
        story: list[Flowable] = [Paragraph(f"<b>{esc(subject_of(reply, award))}</b>", st.bold), Spacer(1, 3 * mm)]
        story += [Paragraph(esc(p).replace("\n", "<br/>"), st.body) for p in paragraphs]
        closing = ClosingBlock.of(story.pop() if len(story) > 2 else None, CLOSING_WORDS, signature_block([], office))
        story.append(closing)
        if reply.kind == "consent":
            story += consent_block(reply.nomination)
        pages += flow_letter(c, office, story, a.display_name)
        if progress is not None and not progress(done, len(letters)):
            raise Cancelled()
    c.save()
    return pages


def reply_letters(
    db: Database,
    year: int,
    target: BytesIO | Path,
    *,
    kinds: tuple[str, ...] = awards.REPLY_KINDS,
    progress: Progress | None = None,
) -> tuple[int, list[str]]:
    """The decision's letters of `kinds` as one PDF; returns the pages and the lines for nominations
    that got no letter because an address is missing (to show the user)."""
    office, award, letters, missing = prepared(db, year, kinds)
    return render(target, office, award, letters, _stored_texts(db), progress=progress), missing


def email_text(reply: awards.AwardReply, award: Award, office: Office, texts: dict[LetterKind, str]) -> str:
    lines: list[str] = []
    for p in paragraphs_of(reply, award, office, texts):
        lines += [p, ""]
    if reply.kind == "consent" and reply.reply_code:
        lines += [
            "Sie können einfach auf diese E-Mail antworten: „Ja, einverstanden“ oder „Nein“, mit Ihrem Code "
            f"{reply_codes.printed(reply.reply_code)}.",
            "",
        ]
    lines.append(CLOSING_WORDS)
    lines += [p for p in (office.signatory, office.signatory_role, office.name) if p]
    return "\n".join(lines) + "\n"


def write_drafts(db: Database, year: int, folder: Path, *, kinds: tuple[str, ...] = awards.REPLY_KINDS) -> list[Path]:
    """One .eml draft (X-Unsent, opens as a new message in Outlook) per letter whose recipient has an
    e-mail address; returns the files. Letters without an address stay for the post."""
    office, award, letters, _missing = prepared(db, year, kinds)
    texts = _stored_texts(db)
    with_email = [r for r in letters if r.email]
    if not with_email:
        raise UserError("Keine Empfängerin und kein Empfänger dieser Briefe hat eine E-Mail-Adresse.")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, reply in enumerate(with_email, start=1):
        msg = EmailMessage(policy=SMTP)
        msg["Subject"] = subject_of(reply, award)
        if office.email:
            msg["From"] = formataddr((office.name, office.email))
        msg["To"] = formataddr((reply.addressee.display_name, reply.email))
        msg["X-Unsent"] = "1"
        msg.set_content(email_text(reply, award, office, texts))
        path = folder / f"{award.year}_{reply.kind}_{number:03d}_{reply.nomination.id}.eml"
        path.write_bytes(msg.as_bytes())
        written.append(path)
    return written


SAMPLE_ADDRESSEE = Addressee("Frau", "", "Erika", "Mustermann", "", "Musterstraße 1", "12345", "Musterstadt")


def preview_page(db: Database, kind: str, template_text: str) -> bytes:
    """Page 1 of an award letter with an unsaved template, for the template editor: the latest round's
    first nomination (or a sample) and a sample address."""
    k = LetterKind(kind)
    if problems := letter_templates.check(template_text, k):
        raise UserError(f"Die Vorlage hat noch Fehler: {problems[0]}.")
    office = get_office(db)
    rounds = awards.list_awards(db)
    if rounds and (full := awards.get_award(db, rounds[0].id)).nominations:
        award, n = full, full.nominations[0]
    else:
        award = Award(year=dt.date.today().year, title=f"Ehrenamtspreis {dt.date.today().year}")
        n = Nomination(nominee="Erika Mustermann", reply_code=reply_codes.new_code(), consent_publication=False)
    kind_name = next(name for name, value in TEMPLATE_OF.items() if value == k)
    reply = awards.AwardReply(kind_name, n, SAMPLE_ADDRESSEE, "", n.reply_code or reply_codes.new_code())
    if reply.nomination.reply_code is None:
        n.reply_code = reply.reply_code
    out = BytesIO()
    render(out, office, award, [reply], {k: template_text})
    return out.getvalue()
