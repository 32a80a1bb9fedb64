"""What invitees must be told after their letters went out: a cancellation or a change of date and place.

When invitations are recorded as sent, the meeting remembers what the letters said (announced_*). A
later change of date, time or place, or a cancellation, is then due as a letter to everyone invited;
recording that letter as sent makes the new state the announced one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geschaeftsstelle.meeting_text import long_date, time_span, venue_line
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Invitation, Meeting, MeetingStatus
from geschaeftsstelle.store.records import existing, load_for_update


@dataclass(frozen=True)
class Change:
    """One fact that differs from what the letters said, in words for the change letter."""

    label: str  # "Datum", "Uhrzeit", "Ort"
    before: str
    after: str


@dataclass(frozen=True)
class NoticesDue:
    sent: int  # invitations recorded as sent
    cancelled: bool
    changes: tuple[Change, ...]

    @property
    def any(self) -> bool:
        return self.sent > 0 and (self.cancelled or bool(self.changes))


def changes_since_announced(meeting: Meeting) -> tuple[Change, ...]:
    if meeting.announced_starts_at is None or meeting.announced_ends_at is None:
        return ()
    old_start, old_end = meeting.announced_starts_at, meeting.announced_ends_at
    changes = []
    if old_start.date() != meeting.starts_at.date():
        changes.append(Change("Datum", long_date(old_start.date()), long_date(meeting.starts_at.date())))
    old_time, new_time = time_span(old_start, old_end), time_span(meeting.starts_at, meeting.ends_at)
    if old_time != new_time:
        changes.append(Change("Uhrzeit", old_time, new_time))
    new_place = venue_line(meeting.venue)
    if meeting.announced_venue is not None and meeting.announced_venue != new_place:
        changes.append(Change("Ort", meeting.announced_venue or "noch offen", new_place or "wird noch bekannt gegeben"))
    return tuple(changes)


def _sent_count(s: Session, meeting_id: int) -> int:
    return int(
        s.scalar(
            select(func.count(Invitation.id)).where(
                Invitation.meeting_id == meeting_id, Invitation.sent_on.is_not(None)
            )
        )
        or 0
    )


def notices_due(db: Database, meeting_id: int) -> NoticesDue:
    """Which letters the office owes the invitees of a meeting now."""
    with db.read() as s:
        meeting = existing(s.get(Meeting, meeting_id), "Den Termin gibt es nicht (mehr).")
        return NoticesDue(
            sent=_sent_count(s, meeting_id),
            cancelled=meeting.status == MeetingStatus.CANCELLED.value,
            changes=changes_since_announced(meeting),
        )


def mark_announced(meeting: Meeting) -> None:
    """The letters now out say what the meeting says (called inside the caller's transaction)."""
    meeting.announced_starts_at = meeting.starts_at
    meeting.announced_ends_at = meeting.ends_at
    meeting.announced_venue = venue_line(meeting.venue)


def record_change_notice_sent(db: Database, meeting_id: int, *, version: int) -> None:
    """The change letter went out: from now on the new date and place are what invitees know."""
    with db.transaction() as s:
        meeting = load_for_update(s, Meeting, meeting_id, version, "Der Termin")
        mark_announced(meeting)
