"""A meeting's letters (DIN 5008 form B), one per invitee in one PDF: the invitation with its reply form,
the cancellation (Absage) and the change notice (Terminänderung).

Their text is the office's template (geschaeftsstelle.letter_templates) filled from present facts only.
The address lies exactly in the window of a DL/C5/6 envelope: 20 mm from the left, 45 mm from the top,
85 × 45 mm (return line in the upper 17.7 mm, address below).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from geschaeftsstelle import letter_templates
from geschaeftsstelle.documents import fonts
from geschaeftsstelle.documents.addressing import Addressee
from geschaeftsstelle.documents.letter_layout import (
    ClosingBlock,
    body_frame,
    draw_first_page,
    draw_follow_header,
    flow_letter,
    follow_frame,
    signature_block,
)
from geschaeftsstelle.documents.letter_values import PROGRAMME_MARK, has_reply_way, subject_line, template_values
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import (
    PAGE_H,
    TEXT_W,
    Cancelled,
    Progress,
    define_letterhead,
    flow,
    hyphenated,
    new_canvas,
    styles,
)
from geschaeftsstelle.documents.reply_form import draw_reply_form
from geschaeftsstelle.documents.text import esc
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meeting_text import agenda_time
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaKind, LetterKind, Office, SalutationStyle

SELECTIONS = ("all", "unsent", "open")

NO_REPLY_WAY = (
    "Die Einladung nennt keinen Weg für die Rückmeldung: Es fehlen E-Mail, Fax und Postanschrift der "
    "Geschäftsstelle (Einstellungen) und „Rückmeldung an“ beim Termin."
)


@dataclass(frozen=True)
class Letter:
    addressee: Addressee
    invitation_id: int | None
    reply_code: str = ""  # the invitation's, printed in the information block and on the reply form


def default_template() -> str:
    return letter_templates.default_text(LetterKind.INVITATION)


# --------------------------------------------------------------------------- the letter's parts


def agenda_titles(m: MeetingData) -> list[str]:
    """ "TOP 1: Begrüßung" for numbered items; pauses and programme points print as written."""
    titles, number = [], 0
    for item in m.agenda:
        if item.kind == AgendaKind.TOP.value:
            number += 1
            titles.append(f"TOP {number}: {item.title}")
        else:
            titles.append(item.title)
    return titles


def programme_table(m: MeetingData) -> list[Flowable]:
    if not m.agenda:
        return []
    st = styles()
    rows = []
    title_w = TEXT_W - 33 * mm
    for item, title in zip(m.agenda, agenda_titles(m), strict=True):
        # A word wider than the column breaks at its syllables (soft hyphens), never over the edge.
        text = hyphenated(title, title_w, st.cell.fontName, st.cell.fontSize)
        if item.kind == AgendaKind.BREAK.value:  # grey, not italic: the oblique font has no Arabic letters
            text = f"<font color='#555555'>{text}</font>"
        if item.presenter:
            presenter = hyphenated(item.presenter, title_w, st.cell.fontName, 8.5)
            text += f"<br/><font size=8.5 color='#555555'>{presenter}</font>"
        rows.append([Paragraph(esc(agenda_time(item.time, item.end_time)), st.cell), Paragraph(text, st.cell)])
    table = Table(rows, colWidths=[33 * mm, TEXT_W - 33 * mm], splitByRow=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.SANS, 9.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, "#bbbbbb"),
            ]
        )
    )
    return [Paragraph("Programm", st.heading), table, Spacer(1, 4 * mm)]


def body_flowables(paragraphs: list[str], m: MeetingData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    for paragraph in paragraphs:
        if paragraph == PROGRAMME_MARK:
            out += programme_table(m)
            continue
        for part in paragraph.split(PROGRAMME_MARK):  # the programme written inside a sentence
            if part.strip():
                out.append(Paragraph(esc(part.strip()), st.body))
    return out


def closing_words(m: MeetingData) -> str:
    return "Herzliche Grüße" if m.salutation_style == SalutationStyle.COLLEGIAL.value else "Mit freundlichen Grüßen"


def letter_story(
    m: MeetingData, office: Office, paragraphs: list[str], subject: str
) -> tuple[list[Flowable], Flowable]:
    """The subject and body of one letter, and the closing that stays with the last paragraph."""
    st = styles()
    story: list[Flowable] = [Paragraph(f"<b>{esc(subject)}</b>", st.bold), Spacer(1, 3 * mm)]
    story += body_flowables(paragraphs, m)
    signatures = signature_block(m.signatories, office)
    closing = ClosingBlock.of(story.pop() if len(story) > 2 else None, closing_words(m), signatures)
    return story, closing


def _template_paragraphs(
    kind: LetterKind,
    template: str,
    m: MeetingData,
    office: Office,
    greeting: str,
    with_reply_form: bool,
    reply_code: str = "",
) -> list[str]:
    values = template_values(m, office, greeting=greeting, with_reply_form=with_reply_form, reply_code=reply_code)
    return letter_templates.fill(template, kind, values)


# --------------------------------------------------------------------------- rendering


GREETING_MARK = "\x00anrede\x00"  # stands for the greeting while the shared text is laid out once


class _GreetingSlot(Flowable):  # type: ignore[misc]  # ReportLab has no type hints: Flowable is Any
    """Room for the one line that differs per letter (the greeting) inside the shared layout; remembers
    where on page 1 it was placed."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height
        self.position: tuple[float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.position = (x, y)

    def draw(self) -> None:  # pragma: no cover - drawOn records the place instead
        pass


@dataclass(frozen=True)
class _SharedPages:
    """The part of a letter that is the same for every recipient, drawn once: one PDF form per page."""

    forms: tuple[str, ...]
    greeting_at: tuple[float, float]


def _lay_out_shared(
    c: Canvas, meeting: MeetingData, office: Office, paragraphs: list[str], subject: str, slot_h: float, key: int
) -> _SharedPages | None:
    story, closing = letter_story(meeting, office, paragraphs, subject)
    slot = _GreetingSlot(slot_h)
    story.insert(2, slot)  # after the subject and its space
    forms = [f"letter{key}p1"]

    def turn_page() -> None:
        c.endForm()
        forms.append(f"letter{key}p{len(forms) + 1}")
        c.beginForm(forms[-1])

    c.beginForm(forms[0])
    flow(c, [*story, closing], body_frame(), follow_frame, show_page=turn_page)
    c.endForm()
    if slot.position is None:
        return None
    return _SharedPages(tuple(forms), slot.position)


def render_letters(
    target: BytesIO | Path,
    office: Office,
    meeting: MeetingData,
    letters: list[Letter],
    *,
    kind: LetterKind = LetterKind.INVITATION,
    template: str | None = None,
    reply_template: str | None = None,
    with_reply_form: bool = True,
    today: dt.date | None = None,
    progress: Progress | None = None,
    first_page_only: bool = False,
) -> int:
    """Write all letters into one PDF; returns the number of pages.

    What is the same in every letter (subject, text after the greeting, programme, closing) is laid out
    once per greeting height and drawn as PDF forms; per letter only the address, the greeting and the
    follow-up page headers are drawn. A template that uses {anrede} elsewhere than in its first paragraph
    is laid out letter by letter."""
    if not letters:
        raise UserError("Es gibt keine Empfängerinnen oder Empfänger für diese Auswahl.")
    kind = LetterKind(kind)
    with_reply_form = with_reply_form and kind == LetterKind.INVITATION
    # The meeting's letter date is the invitation's; a later cancellation or change is dated the day it prints.
    fixed_date = meeting.letter_date if kind == LetterKind.INVITATION else None
    letter_date = fixed_date or today or dt.date.today()
    text = template if template is not None else letter_templates.default_text(kind)
    reply_text = reply_template if reply_template is not None else letter_templates.default_text(LetterKind.REPLY_FORM)
    subject = subject_line(meeting, kind.value)
    shared = _template_paragraphs(kind, text, meeting, office, GREETING_MARK, with_reply_form)
    greeting_first = [i for i, p in enumerate(shared) if GREETING_MARK in p] in ([0], [])
    if kind == LetterKind.INVITATION and shared != _template_paragraphs(
        kind, text, meeting, office, GREETING_MARK, with_reply_form, reply_code="222222"
    ):
        greeting_first = False  # the text prints {code}: it differs per letter, laid out letter by letter
    c = new_canvas(target, subject, office)
    define_letterhead(c, office)
    st = styles()
    layouts: dict[float, _SharedPages | None] = {}
    pages = 0
    for done, letter in enumerate(letters, start=1):
        a = letter.addressee
        greeting = a.greeting(meeting.salutation_style)
        code = letter.reply_code if kind == LetterKind.INVITATION else ""
        draw_first_page(c, office, a, letter_date, meeting.signatories, shared_form="letterinfo", reply_code=code)
        layout = None
        if greeting_first and not first_page_only:
            head = shared[0].replace(GREETING_MARK, greeting) if shared and GREETING_MARK in shared[0] else ""
            para = Paragraph(esc(head), st.body) if head else None
            slot_h = para.wrap(TEXT_W, PAGE_H)[1] + para.getSpaceAfter() if para else 0.0
            key = round(slot_h, 2)
            if key not in layouts:
                rest = shared[1:] if head else shared
                layouts[key] = _lay_out_shared(c, meeting, office, rest, subject, slot_h, len(layouts) + 1)
            layout = layouts[key]
        if layout is not None:
            if para is not None:
                x, y = layout.greeting_at
                if len(para.blPara.lines) == 1:  # the usual one-line greeting, drawn plainly: much cheaper
                    c.setFont(fonts.SANS, st.body.fontSize)
                    # where Paragraph puts its first baseline: one font size below its top
                    c.drawString(x, y + slot_h - st.body.fontSize, head)
                else:
                    para.drawOn(c, x, y + para.getSpaceAfter())
            c.doForm(layout.forms[0])
            for page_no, form in enumerate(layout.forms[1:], start=2):
                c.showPage()
                draw_follow_header(c, page_no, a.display_name)
                c.doForm(form)
            pages += len(layout.forms)
            c.showPage()
        else:
            paragraphs = _template_paragraphs(kind, text, meeting, office, greeting, with_reply_form, code)
            story, closing = letter_story(meeting, office, paragraphs, subject)
            if first_page_only:
                body_frame().addFromList([*story, closing], c)
                c.showPage()
                c.save()
                return 1
            pages += flow_letter(c, office, [*story, closing], a.display_name)
        if with_reply_form:
            draw_reply_form(c, office, meeting, a, reply_text, code)
            c.showPage()
            pages += 1
        if progress is not None and not progress(done, len(letters)):
            raise Cancelled()
    c.save()
    return pages


def select_letters(meeting: MeetingData, selection: str = "all") -> list[Letter]:
    if selection not in SELECTIONS and selection != "sent":
        raise UserError(f"Unbekannte Auswahl „{selection}“ (möglich: all, unsent, open).")
    result = []
    for inv in meeting.invitees:
        if inv.addressee is None:
            continue
        if selection == "unsent" and inv.sent_on is not None:
            continue
        if selection == "sent" and inv.sent_on is None:
            continue
        if selection == "open" and inv.response != "open":
            continue
        result.append(Letter(inv.addressee, inv.id, inv.reply_code))
    return sorted(result, key=lambda letter: (letter.addressee.organisation.casefold(), letter.addressee.last_name))


def _stored_templates(db: Database) -> dict[LetterKind, str]:
    return {LetterKind(t.kind): t.text for t in letter_templates.list_templates(db)}


def invitation_letters(
    db: Database,
    meeting_id: int,
    target: BytesIO | Path,
    *,
    selection: str = "all",
    with_reply_form: bool = True,
    template: str | None = None,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> int:
    """The invitations; refused for a cancelled meeting. `warn` hears once when no reply way exists."""
    office, meeting = load_meeting(db, meeting_id)
    if meeting.is_cancelled:
        raise UserError(
            f"„{meeting.title}“ ist abgesagt: Einladungen werden nicht mehr gedruckt. "
            "Drucken Sie stattdessen die Absage an alle Eingeladenen."
        )
    letters = select_letters(meeting, selection)
    if warn is not None and not has_reply_way(meeting, office):
        warn(NO_REPLY_WAY)
    texts = _stored_templates(db)
    return render_letters(
        target,
        office,
        meeting,
        letters,
        template=template if template is not None else texts[LetterKind.INVITATION],
        reply_template=texts[LetterKind.REPLY_FORM],
        with_reply_form=with_reply_form,
        progress=progress,
    )


def _notice_problem(meeting: MeetingData, kind: LetterKind) -> str | None:
    """Why this notice cannot go out now, in one German sentence; None when it can."""
    if kind == LetterKind.CANCELLATION and not meeting.is_cancelled:
        return f"„{meeting.title}“ ist nicht abgesagt. Setzen Sie zuerst den Status des Termins auf „abgesagt“."
    if kind == LetterKind.CHANGE and meeting.is_cancelled:
        return f"„{meeting.title}“ ist abgesagt; drucken Sie statt der Terminänderung die Absage."
    if kind == LetterKind.CHANGE and not meeting.changes:
        return (
            f"Seit dem Versand der Einladungen zu „{meeting.title}“ haben sich Datum, Uhrzeit und Ort nicht "
            "geändert (oder der Versand wurde nicht vermerkt)."
        )
    return None


def _notice_letters(
    db: Database, meeting_id: int, target: BytesIO | Path, kind: LetterKind, progress: Progress | None
) -> int:
    """A cancellation or change letter to everyone whose invitation went out (when sending was never
    recorded, to everyone invited)."""
    office, meeting = load_meeting(db, meeting_id)
    if problem := _notice_problem(meeting, kind):
        raise UserError(problem)
    recipients = select_letters(meeting, "sent") or select_letters(meeting, "all")
    template = _stored_templates(db)[kind]
    return render_letters(target, office, meeting, recipients, kind=kind, template=template, progress=progress)


def cancellation_letters(
    db: Database, meeting_id: int, target: BytesIO | Path, *, progress: Progress | None = None
) -> int:
    """The Absage to everyone invited; only for a meeting whose status is "abgesagt"."""
    return _notice_letters(db, meeting_id, target, LetterKind.CANCELLATION, progress)


def change_letters(db: Database, meeting_id: int, target: BytesIO | Path, *, progress: Progress | None = None) -> int:
    """The Terminänderung (old and new date, time, place) to everyone invited."""
    return _notice_letters(db, meeting_id, target, LetterKind.CHANGE, progress)


def reply_forms(
    db: Database, meeting_id: int, target: BytesIO | Path, *, selection: str = "all", progress: Progress | None = None
) -> int:
    """Only the reply forms, one per invitee (or one blank form when nobody is selected)."""
    office, meeting = load_meeting(db, meeting_id)
    if meeting.is_cancelled:
        raise UserError(f"„{meeting.title}“ ist abgesagt: Rückantworten werden nicht mehr gedruckt.")
    letters = select_letters(meeting, selection)
    reply_text = _stored_templates(db)[LetterKind.REPLY_FORM]
    c = new_canvas(target, f"Rückantwort: {meeting.title}", office)
    define_letterhead(c, office)
    people: list[tuple[Addressee | None, str]] = [(x.addressee, x.reply_code) for x in letters] or [(None, "")]
    for done, (a, code) in enumerate(people, start=1):
        draw_reply_form(c, office, meeting, a, reply_text, code)
        c.showPage()
        if progress is not None and not progress(done, len(people)):
            raise Cancelled()
    c.save()
    return len(people)


SAMPLE_ADDRESSEE = Addressee("Frau", "Dr.", "Erika", "Mustermann", "Musterverein e. V.", "Musterstraße 1", "12345",
                             "Musterstadt")  # fmt: skip


def preview_page(
    db: Database, kind: str, meeting_id: int, template_text: str, invitation_id: int | None = None
) -> bytes:
    """Page 1 of a letter of `kind` with an unsaved template text, for the template editor's preview."""
    k = LetterKind(kind)
    if k in letter_templates.AWARD_KINDS:  # an award round's letter: shown with the latest round, not a meeting
        from geschaeftsstelle.documents import award_letters

        return award_letters.preview_page(db, k.value, template_text)
    if problems := letter_templates.check(template_text, k):
        raise UserError(f"Die Vorlage hat noch Fehler: {problems[0]}.")
    office, meeting = load_meeting(db, meeting_id)
    letters = select_letters(meeting, "all")
    chosen = [x for x in letters if x.invitation_id == invitation_id] or letters[:1] or [Letter(SAMPLE_ADDRESSEE, None)]
    out = BytesIO()
    if k == LetterKind.REPLY_FORM:
        c = new_canvas(out, f"Rückantwort: {meeting.title}", office)
        define_letterhead(c, office)
        draw_reply_form(c, office, meeting, chosen[0].addressee, template_text, chosen[0].reply_code)
        c.showPage()
        c.save()
        return out.getvalue()
    render_letters(out, office, meeting, chosen[:1], kind=k, template=template_text, first_page_only=True)
    return out.getvalue()
