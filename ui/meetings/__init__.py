"""The Termine page and its dialogs: meetings, programme, year planning, RSVP board, check-in, statistics."""

from ui.meetings.view import MeetingsView

__all__ = ["MeetingsView"]
