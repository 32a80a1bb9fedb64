"""Table model of the RSVP board: one row per invitee, single rows refreshed with dataChanged."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

from geschaeftsstelle.invitations import BoardRow
from geschaeftsstelle.meetings import CHANNEL_LABELS, RESPONSE_LABELS
from geschaeftsstelle.store.models import Channel, Response
from ui.table_models import Column, RowTableModel, SearchProxy, no_tip, shown_text_tip

_RESPONSE_BRUSHES = {
    Response.ACCEPTED.value: QBrush(QColor("#2e7d32")),
    Response.DECLINED.value: QBrush(QColor("#c62828")),
    Response.TENTATIVE.value: QBrush(QColor("#ef6c00")),
}


def _response_colour(row: BoardRow) -> QBrush | None:
    return _RESPONSE_BRUSHES.get(row.response)


BOARD_COLUMNS: list[Column[BoardRow]] = [
    Column("Name", lambda r: r.name, tooltip=no_tip),
    Column("Organisation", lambda r: r.organisation, tooltip=no_tip),
    Column("Rückmeldung", lambda r: RESPONSE_LABELS[Response(r.response)], tooltip=no_tip,
           foreground=_response_colour),
    Column("Pers.", lambda r: str(r.persons) if r.response in (Response.ACCEPTED.value, Response.TENTATIVE.value)
           else "", tooltip=no_tip),
    Column("Teilnehmende", lambda r: ", ".join(r.attendee_names), tooltip=shown_text_tip),
    Column("Assistenz", lambda r: r.assistance, tooltip=shown_text_tip),
    Column("Verpflegung", lambda r: r.diet, tooltip=no_tip),
    Column("Weg", lambda r: CHANNEL_LABELS[Channel(r.channel)] if r.channel else "", tooltip=no_tip),
    Column("Antwort am", lambda r: f"{r.responded_on:%d.%m.%Y}" if r.responded_on else "", tooltip=no_tip),
    Column("Anwesend", lambda r: {True: "✓ da", False: "fehlt", None: ""}[r.attended], tooltip=no_tip),
    Column("Notizen", lambda r: r.notes.replace("\n", " "), tooltip=shown_text_tip),
]  # fmt: skip
(COL_NAME, COL_ORG, COL_RESPONSE, COL_PERSONS, COL_NAMES, COL_ASSISTANCE, COL_DIET, COL_CHANNEL, COL_DATE,
 COL_ATTENDED, COL_NOTES) = range(len(BOARD_COLUMNS))  # fmt: skip


class BoardModel(RowTableModel[BoardRow]):
    """The invitees in the board's order; `replace_row` repaints one invitee after a save."""

    def __init__(self) -> None:
        super().__init__(BOARD_COLUMNS, identity=lambda r: r.id)


class BoardFilter(SearchProxy):
    """Words typed must all occur in name, organisation or attendee names; optionally only open replies."""

    def __init__(self) -> None:
        super().__init__()
        self.only_open = False

    def set_only_open(self, on: bool) -> None:
        self.only_open = on
        self.set_extra((lambda r: r.response == Response.OPEN.value) if on else None)
