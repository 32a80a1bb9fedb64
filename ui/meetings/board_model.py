"""Table model of the RSVP board: one row per invitee, single rows refreshed with dataChanged. A waiting
invitee shows its place on the Warteliste; at a members-only meeting, the last column marks non-members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtGui import QBrush, QColor

from geschaeftsstelle.invitations import BoardRow, waiting_positions
from geschaeftsstelle.meetings import CHANNEL_LABELS, RESPONSE_LABELS
from geschaeftsstelle.store.models import Channel, Response
from ui.table_models import Column, RowTableModel, SearchProxy, no_tip, shown_text_tip

_RESPONSE_BRUSHES = {
    Response.ACCEPTED.value: QBrush(QColor("#2e7d32")),
    Response.DECLINED.value: QBrush(QColor("#c62828")),
    Response.TENTATIVE.value: QBrush(QColor("#ef6c00")),
    Response.WAITLISTED.value: QBrush(QColor("#6a1b9a")),
}
_NON_MEMBER = QBrush(QColor("#c62828"))


def _response_colour(row: BoardRow) -> QBrush | None:
    return _RESPONSE_BRUSHES.get(row.response)


class BoardModel(RowTableModel[BoardRow]):
    """The invitees in the board's order; `replace_row` repaints one invitee after a save. `positions` (places
    on the waiting list) and `members_only_on` (the day of a members-only meeting) are the board's to set."""

    def __init__(self) -> None:
        self.positions: dict[int, int] = {}
        self.members_only_on: dt.date | None = None
        super().__init__(board_columns(self), identity=lambda r: r.id)

    def set_rows(self, rows: Sequence[BoardRow]) -> None:
        self.positions = waiting_positions(rows)
        super().set_rows(rows)

    def response_text(self, r: BoardRow) -> str:
        if r.response == Response.WAITLISTED.value and r.id in self.positions:
            return f"Warteliste (Platz {self.positions[r.id]})"
        text = RESPONSE_LABELS[Response(r.response)]
        return f"{text} (nachgerückt)" if r.moved_up_at is not None and r.response == Response.ACCEPTED.value else text

    def membership_text(self, r: BoardRow) -> str:
        """„kein Mitglied“ or „ehemaliges Mitglied“ at a members-only meeting, else nothing."""
        return r.non_member_reason(self.members_only_on) if self.members_only_on is not None else ""


def board_columns(model: BoardModel) -> list[Column[BoardRow]]:
    return [
        Column("Name", lambda r: r.name, tooltip=no_tip,
               foreground=lambda r: _NON_MEMBER if model.membership_text(r) else None),
        Column("Organisation", lambda r: r.organisation, tooltip=no_tip),
        Column("Rückmeldung", model.response_text, tooltip=no_tip, foreground=_response_colour),
        Column("Pers.", lambda r: str(r.persons) if r.response in _WITH_PERSONS else "", tooltip=no_tip),
        Column("Teilnehmende", lambda r: ", ".join(r.attendee_names), tooltip=shown_text_tip),
        Column("Assistenz", lambda r: r.assistance, tooltip=shown_text_tip),
        Column("Verpflegung", lambda r: r.diet, tooltip=no_tip),
        Column("Weg", lambda r: CHANNEL_LABELS[Channel(r.channel)] if r.channel else "", tooltip=no_tip),
        Column("Antwort am", lambda r: f"{r.responded_on:%d.%m.%Y}" if r.responded_on else "", tooltip=no_tip),
        Column("Anwesend", lambda r: {True: "✓ da", False: "fehlt", None: ""}[r.attended], tooltip=no_tip),
        Column("Notizen", lambda r: r.notes.replace("\n", " "), tooltip=shown_text_tip),
        Column("Mitgliedschaft", model.membership_text, tooltip=no_tip, foreground=lambda _r: _NON_MEMBER),
    ]  # fmt: skip


_WITH_PERSONS = (Response.ACCEPTED.value, Response.TENTATIVE.value, Response.WAITLISTED.value)
(COL_NAME, COL_ORG, COL_RESPONSE, COL_PERSONS, COL_NAMES, COL_ASSISTANCE, COL_DIET, COL_CHANNEL, COL_DATE,
 COL_ATTENDED, COL_NOTES, COL_MEMBERSHIP) = range(12)  # fmt: skip


class BoardFilter(SearchProxy):
    """Words typed must all occur in name, organisation or attendee names; optionally only open replies."""

    def __init__(self) -> None:
        super().__init__()
        self.only_open = False

    def set_only_open(self, on: bool) -> None:
        self.only_open = on
        self.set_extra((lambda r: r.response == Response.OPEN.value) if on else None)
