"""The Ehrenamtspreis page of the main window."""

from ui.awards.awards_view import AwardsView

__all__ = ["AwardsView"]
