"""A list for every recipient of a meeting, each with only what that recipient needs:

- `catering` for the caterer: persons per day and the diets counted, no names;
- `venue` for the house: persons, assistance needs and the places that must be reachable without steps,
  no diets;
- `speakers` for the speakers: the programme with its times and presenters, and whom to ask at the office.

All of it is read through the services' read models (`meeting_data.load_meeting`, the invitations service's
`Invitee` and its `catering_summary` rule, `meetings.get_meeting`). Only accepted replies count as coming: a
tentative reply is named as such, a person on a waiting list or with any other answer is not counted. Every
sentence is made only from fields that are filled; long texts flow on to further pages, nothing is cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from geschaeftsstelle import invitations, meetings
from geschaeftsstelle.addressing import one_line
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.page import (
    TEXT_W,
    Progress,
    Styles,
    cell,
    hyphenated,
    list_table,
    render_list,
    styles,
)
from geschaeftsstelle.documents.text import esc, long_date_de
from geschaeftsstelle.invitations import Invitee
from geschaeftsstelle.meeting_text import agenda_time
from geschaeftsstelle.search import fold
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office, Response

KINDS = ("catering", "venue", "speakers")
TITLES = {"catering": "Verpflegung", "venue": "Raum und Zugang", "speakers": "Programm für die Mitwirkenden"}
#: Words in an assistance need that ask for a place reached and used without steps (a wheelchair space).
STEP_FREE_WORDS = ("rollstuhl", "rolli", "rollator", "gehhilfe", "stufenlos", "barrierefrei", "ebenerdig",
                   "wheelchair")  # fmt: skip


def coming(i: Invitee) -> bool:
    """Counted as coming: an accepted reply (waiting, tentative, open and declined are not)."""
    return i.response == Response.ACCEPTED.value


def tentative(i: Invitee) -> bool:
    return i.response == Response.TENTATIVE.value


def persons(count: int) -> str:
    return "1 Person" if count == 1 else f"{count} Personen"


def meeting_days(m: MeetingData) -> list[dt.date]:
    """Every calendar day the meeting covers (a two-day seminar has two)."""
    first, last = m.starts_at.date(), max(m.ends_at.date(), m.starts_at.date())
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


# --------------------------------------------------------------------------- what each list counts


@dataclass(frozen=True)
class DietCount:
    diet: str  # as the reply wrote it; for vegetarian and vegan the word
    persons: int


@dataclass(frozen=True)
class CateringFigures:
    persons: int
    tentative_persons: int
    regular: int
    vegetarian: int
    vegan: int
    other: tuple[DietCount, ...]  # each other wish once, with how many persons asked for it


def catering_figures(people: tuple[Invitee, ...] | list[Invitee]) -> CateringFigures:
    """The invitations service's catering rule, row by row so that other wishes are counted without names."""
    summary = invitations.catering_summary(list(people))
    other: dict[str, DietCount] = {}
    for person in people:
        one = invitations.catering_summary([person])
        if one.other:
            key = fold(" ".join(person.diet.split()))
            seen = other.get(key)
            other[key] = DietCount(seen.diet if seen else person.diet, (seen.persons if seen else 0) + one.other)
    return CateringFigures(
        persons=summary.persons,
        tentative_persons=sum(p.persons for p in people if tentative(p)),
        regular=summary.regular,
        vegetarian=summary.vegetarian,
        vegan=summary.vegan,
        other=tuple(sorted(other.values(), key=lambda d: (-d.persons, fold(d.diet)))),
    )


@dataclass(frozen=True)
class Need:
    name: str
    organisation: str
    need: str
    tentative: bool
    step_free: bool


def needs(people: tuple[Invitee, ...] | list[Invitee]) -> list[Need]:
    """Assistance needs of those coming or coming perhaps (as `invitations.assistance_list` reads them)."""
    result = []
    for p in people:
        if (coming(p) or tentative(p)) and p.assistance.strip():
            folded = fold(p.assistance)
            result.append(
                Need(p.name, p.organisation, p.assistance, tentative(p), any(w in folded for w in STEP_FREE_WORDS))
            )
    return sorted(result, key=lambda n: (n.tentative, fold(n.organisation), fold(n.name)))


# --------------------------------------------------------------------------- the page


def _header(st: Styles, *labels: str) -> list[object]:
    return [Paragraph(f"<b>{esc(label)}</b>", st.cell) for label in labels]


def _para(text: str, st: Styles, *, bold: bool = False) -> Paragraph:
    """A paragraph of plain `text` whose words wider than the text width still break inside it."""
    style = st.bold if bold else st.body
    return Paragraph(hyphenated(text, TEXT_W, style.fontName, style.fontSize), style)


def _meeting_block(m: MeetingData, st: Styles, what: str) -> list[Flowable]:
    """Title, day(s), time and place: the same head on every list."""
    title = st.title
    story: list[Flowable] = [Paragraph(hyphenated(f"{what}: {m.title}", TEXT_W, title.fontName, title.fontSize), title)]
    days = meeting_days(m)
    if len(days) == 1:
        when = f"{long_date_de(days[0])}, {m.starts_at:%H:%M} bis {m.ends_at:%H:%M} Uhr"
    else:
        when = f"{long_date_de(days[0])}, {m.starts_at:%H:%M} Uhr bis {long_date_de(days[-1])}, {m.ends_at:%H:%M} Uhr"
    story.append(_para(when, st))
    if m.venue_line:
        story.append(_para(f"Ort: {m.venue_line}", st))
    if m.is_cancelled:
        story.append(_para("Der Termin ist abgesagt.", st, bold=True))
    elif m.is_tentative:
        story.append(_para("Der Termin ist noch nicht fest zugesagt.", st, bold=True))
    story.append(Spacer(1, 2 * mm))
    return story


# --------------------------------------------------------------------------- catering


def catering_story(m: MeetingData, st: Styles) -> list[Flowable]:
    figures = catering_figures(m.invitees)
    story = _meeting_block(m, st, TITLES["catering"])
    story.append(Paragraph("Personen je Tag", st.heading))
    rows: list[list[object]] = [_header(st, "Tag", "Personen")]
    rows += [[Paragraph(esc(long_date_de(day)), st.cell), Paragraph(str(figures.persons), st.cell)]
             for day in meeting_days(m)]  # fmt: skip
    story.append(list_table(rows, [TEXT_W - 35 * mm, 35 * mm]))
    if figures.tentative_persons:
        story.append(Spacer(1, 2 * mm))
        story.append(_para(f"Dazu {persons(figures.tentative_persons)} mit Zusage unter Vorbehalt.", st))
    story.append(Paragraph("Essenswünsche", st.heading))
    rows = [_header(st, "Wunsch", "Personen")]
    wish_w = TEXT_W - 35 * mm
    for label, count in (("ohne besondere Wünsche", figures.regular), ("vegetarisch", figures.vegetarian),
                         ("vegan", figures.vegan)):  # fmt: skip
        rows.append([Paragraph(esc(label), st.cell), Paragraph(str(count), st.cell)])
    for other in figures.other:
        rows.append([cell(other.diet, st.cell, wish_w), Paragraph(str(other.persons), st.cell)])
    story.append(list_table(rows, [wish_w, 35 * mm]))
    if m.catering:
        story.append(Paragraph("Hinweise zur Verpflegung", st.heading))
        story.append(_para(m.catering, st))
    if figures.persons == 0:
        story.append(Spacer(1, 2 * mm))
        story.append(_para("Bisher hat niemand zugesagt.", st))
    return story


# --------------------------------------------------------------------------- venue


def venue_story(m: MeetingData, st: Styles, capacity: int | None) -> list[Flowable]:
    figures = catering_figures(m.invitees)
    listed = needs(m.invitees)
    story = _meeting_block(m, st, TITLES["venue"])
    story.append(Paragraph("Personen", st.heading))
    lines = [f"Zugesagt haben {persons(figures.persons)}."]
    if figures.tentative_persons:
        lines.append(f"Dazu {persons(figures.tentative_persons)} mit Zusage unter Vorbehalt.")
    if capacity is not None:
        lines.append(f"Plätze im Raum: {capacity}.")
    step_free = sum(1 for n in listed if n.step_free and not n.tentative)
    step_free_perhaps = sum(1 for n in listed if n.step_free and n.tentative)
    lines.append(f"Stufenlos erreichbare Plätze (etwa für Rollstuhl oder Rollator): {step_free}.")
    if step_free_perhaps:
        lines.append(f"Dazu {step_free_perhaps} weitere bei Zusage unter Vorbehalt.")
    if m.venue_accessible:
        lines.append("Der Ort ist bei uns als barrierefrei eingetragen.")
    story += [_para(line, st) for line in lines]
    story.append(Paragraph("Assistenzbedarfe", st.heading))
    if not listed:
        story.append(_para("Es sind keine Assistenzbedarfe angegeben.", st))
        return story
    widths = [50 * mm, 45 * mm, TEXT_W - 95 * mm]
    rows: list[list[object]] = [_header(st, "Name", "Organisation", "Bedarf")]
    for n in listed:
        need = f"{n.need}\n(Zusage unter Vorbehalt)" if n.tentative else n.need
        rows.append([cell(n.name, st.cell, widths[0]), cell(n.organisation, st.cell, widths[1]),
                     cell(need, st.cell, widths[2])])  # fmt: skip
    story.append(list_table(rows, widths))
    return story


# --------------------------------------------------------------------------- speakers


def organiser_lines(office: Office, m: MeetingData) -> list[str]:
    """Whom the speakers ask: the meeting's registration contact, the office's signatory, telephone and
    e-mail, each line only when its field is filled."""
    lines = []
    signatory = ", ".join(p for p in (one_line(office.signatory), one_line(office.signatory_role)) if p)
    if signatory:
        lines.append(signatory)
    if one_line(office.name):
        lines.append(one_line(office.name))
    address = ", ".join(p for p in (one_line(office.street), one_line(f"{office.postal_code} {office.city}")) if p)
    if address:
        lines.append(address)
    if one_line(office.phone):
        lines.append(f"Telefon {one_line(office.phone)}")
    if one_line(office.email):
        lines.append(f"E-Mail {one_line(office.email)}")
    if m.registration_contact:
        lines.append(f"Anmeldung und Rückfragen: {m.registration_contact}")
    return lines


def speakers_story(m: MeetingData, st: Styles, office: Office) -> list[Flowable]:
    story = _meeting_block(m, st, TITLES["speakers"])
    if m.venue_directions:
        story.append(_para(f"Anfahrt: {m.venue_directions}", st))
    if m.speakers:
        story.append(Paragraph("Mitwirkende", st.heading))
        story.append(_para(", ".join(s for s in m.speakers if s), st))
    story.append(Paragraph("Programm", st.heading))
    if not m.agenda:
        story.append(_para("Das Programm ist noch nicht eingetragen.", st))
    else:
        widths = [36 * mm, TEXT_W - 91 * mm, 55 * mm]
        rows: list[list[object]] = [_header(st, "Zeit", "Programmpunkt", "Wer")]
        for a in m.agenda:
            rows.append([Paragraph(esc(agenda_time(a.time, a.end_time)), st.cell), cell(a.title, st.cell, widths[1]),
                         cell(a.presenter or "", st.cell, widths[2])])  # fmt: skip
        story.append(list_table(rows, widths))
    if m.topic:
        story.append(Paragraph("Thema", st.heading))
        story.append(_para(m.topic, st))
    contact = organiser_lines(office, m)
    if contact:
        story.append(Paragraph("Ihre Ansprechperson in der Geschäftsstelle", st.heading))
        story += [_para(line, st) for line in contact]
    return story


# --------------------------------------------------------------------------- entry points


def render_recipient_list(
    target: BytesIO | Path,
    kind: str,
    office: Office,
    m: MeetingData,
    *,
    capacity: int | None = None,
    progress: Progress | None = None,
) -> int:
    st = styles()
    builders: dict[str, Callable[[], list[Flowable]]] = {
        "catering": lambda: catering_story(m, st),
        "venue": lambda: venue_story(m, st, capacity),
        "speakers": lambda: speakers_story(m, st, office),
    }
    return render_list(target, office, f"{TITLES[kind]}: {m.title}", builders[kind](), progress)


def recipient_list(
    db: Database, kind: str, meeting_id: int, target: BytesIO | Path, progress: Progress | None = None
) -> int:
    """The list for `kind` (catering, venue, speakers) of a meeting; returns the number of pages."""
    if kind not in KINDS:
        raise ValueError(kind)
    office, m = load_meeting(db, meeting_id)
    capacity = meetings.get_meeting(db, meeting_id).capacity if kind == "venue" else None
    return render_recipient_list(target, kind, office, m, capacity=capacity, progress=progress)


def catering_list(db: Database, meeting_id: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    return recipient_list(db, "catering", meeting_id, target, progress)


def venue_list(db: Database, meeting_id: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    return recipient_list(db, "venue", meeting_id, target, progress)


def speakers_list(db: Database, meeting_id: int, target: BytesIO | Path, progress: Progress | None = None) -> int:
    return recipient_list(db, "speakers", meeting_id, target, progress)
