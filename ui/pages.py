"""The window's pages: their order in the navigation and what a page may offer the window's commands.

The main window and the menus that serve a page (printing) share these names instead of importing each
other; a page offers its documents through `DocumentSource` instead of the menu reaching into its fields.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ui.documents_menu import DocumentChoice


class Page(IntEnum):
    """Position in the navigation, in `PAGES` and in the stack of the main window; Ctrl+1 … Ctrl+5."""

    MEMBERS = 0
    CONTACTS = 1
    MEETINGS = 2
    AWARDS = 3
    SETTINGS = 4


PAGES = ("Mitglieder", "Kontakte", "Termine", "Ehrenamtspreis", "Einstellungen")
MEMBERS, CONTACTS, MEETINGS, AWARDS, SETTINGS = Page


@runtime_checkable
class DocumentSource(Protocol):
    """A page with documents for the window's „Drucken / PDF“: those that belong to what it shows now."""

    def document_choices(self) -> list[DocumentChoice]: ...
