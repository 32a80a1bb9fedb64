"""Drucken / PDF: the documents of the current view, made in the background, then shown in the preview (print,
save, open in the PDF program); and the letters owed to a meeting's invitees after it was cancelled or moved."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meeting_notices import notices_due, record_change_notice_sent
from geschaeftsstelle.meetings import get_meeting
from geschaeftsstelle.store.database import Database
from ui.form_fields import dialog_buttons
from ui.preview import PreviewDialog, run_with_progress


@dataclass(frozen=True)
class DocumentChoice:
    label: str
    file_name: str
    make: Callable[[Database, Path, dict[str, Any], Callable[[int, int], bool]], Any]
    options: tuple[str, ...] = ()
    after: Callable[[QWidget, Database], None] | None = None  # a question once the PDF is there


def _safe_name(title: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title)[:40].strip()


def cancellation_choice(meeting_id: int, title: str) -> DocumentChoice:
    from geschaeftsstelle.documents import invitations

    return DocumentChoice(
        "Absage an alle Eingeladenen", f"Absage {_safe_name(title)}.pdf",
        lambda db, out, o, p: invitations.cancellation_letters(db, meeting_id, out, progress=p),
    )  # fmt: skip


def change_choice(meeting_id: int, title: str) -> DocumentChoice:
    """The change letter; once it is printed, the office may note it as sent (then the new date and place
    are what the invitees know, and no further change letter is due)."""
    from geschaeftsstelle.documents import invitations

    printed_version: list[int] = []

    def make(db: Database, out: Path, _options: dict[str, Any], progress: Callable[[int, int], bool]) -> int:
        printed_version[:] = [get_meeting(db, meeting_id).version]
        return invitations.change_letters(db, meeting_id, out, progress=progress)

    def note_sent(parent: QWidget, db: Database) -> None:
        if not printed_version:
            return  # nothing printed, nothing to note
        answer = QMessageBox.question(parent, "Terminänderung", "Terminänderung als verschickt vermerken?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:  # with the version printed: a change saved meanwhile elsewhere is not marked as announced
            record_change_notice_sent(db, meeting_id, version=printed_version[0])
        except UserError as exc:
            QMessageBox.warning(parent, "Terminänderung", str(exc))

    return DocumentChoice(
        "Terminänderung an alle Eingeladenen", f"Terminänderung {_safe_name(title)}.pdf", make, after=note_sent
    )


def meeting_documents(meeting_id: int, title: str, year: int) -> list[DocumentChoice]:
    from geschaeftsstelle.documents import attendance_list, badges, invitations, labels, schedule

    safe = _safe_name(title)
    return [
        DocumentChoice(
            "Einladungsbriefe mit Rückantwort", f"Einladungen {safe}.pdf",
            lambda db, out, o, p: invitations.invitation_letters(db, meeting_id, out, selection=o["only"], progress=p),
            ("only",),
        ),
        DocumentChoice(
            "Rückantwort (Formulare)", f"Rückantwort {safe}.pdf",
            lambda db, out, o, p: invitations.reply_forms(db, meeting_id, out, selection=o["only"], progress=p),
            ("only",),
        ),
        DocumentChoice(
            "Teilnehmerliste", f"Teilnehmerliste {safe}.pdf",
            lambda db, out, o, p: attendance_list.attendance_list(
                db, meeting_id, out, blank_rows=o["blank_rows"], with_assistance=o["assistance"], progress=p
            ),
            ("blank_rows", "assistance"),
        ),
        DocumentChoice(
            "Adressetiketten der Eingeladenen", f"Etiketten {safe}.pdf",
            lambda db, out, o, p: labels.meeting_labels(
                db, meeting_id, out, sheet_type=o["sheet"], start=o["start"], progress=p
            ),
            ("sheet", "start"),
        ),
        DocumentChoice(
            "Namensschilder (Zusagen)", f"Namensschilder {safe}.pdf",
            lambda db, out, o, p: badges.name_badges(db, meeting_id, out, progress=p),
        ),
        *recipient_choices(meeting_id, title),
        cancellation_choice(meeting_id, title),
        change_choice(meeting_id, title),
        DocumentChoice(
            f"Sitzungstermine {year}", f"Sitzungstermine {year}.pdf",
            lambda db, out, o, p: schedule.year_schedule(db, year, out, progress=p),
        ),
    ]  # fmt: skip


def member_documents() -> list[DocumentChoice]:
    from geschaeftsstelle.documents import labels

    this_year = dt.date.today().year
    return [
        DocumentChoice(
            "Adressetiketten aller aktiven Mitglieder", "Etiketten Mitglieder.pdf",
            lambda db, out, o, p: labels.member_labels(db, out, sheet_type=o["sheet"], start=o["start"], progress=p),
            ("sheet", "start"),
        ),
        anniversaries_choice(this_year),
        anniversaries_choice(this_year + 1),
    ]  # fmt: skip


def year_documents(year: int) -> list[DocumentChoice]:
    from geschaeftsstelle.documents import schedule

    return [
        DocumentChoice(
            f"Sitzungstermine {year}", f"Sitzungstermine {year}.pdf",
            lambda db, out, o, p: schedule.year_schedule(db, year, out, progress=p),
        )
    ]  # fmt: skip


class DocumentDialog(QDialog):
    """Choose the document and its options; then the file name."""

    def __init__(self, choices: list[DocumentChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dokument erstellen")
        self.choices = choices
        self.kind = QComboBox()
        for choice in choices:
            self.kind.addItem(choice.label)
        self.only = QComboBox()
        for label, key in (("alle Eingeladenen", "all"), ("nur noch nicht versandte", "unsent"),
                           ("nur ohne Rückmeldung", "open")):  # fmt: skip
            self.only.addItem(label, key)
        self.blank_rows = QSpinBox()
        self.blank_rows.setRange(0, 500)
        self.blank_rows.setValue(10)
        self.assistance = QCheckBox("Spalte Assistenzbedarf")
        self.sheet = QComboBox()
        self.sheet.addItem("Avery Zweckform 3474 (3 × 8)", "3474")
        self.sheet.addItem("Avery L7163 (2 × 7)", "L7163")
        self.start = QSpinBox()
        self.start.setRange(1, 24)
        self.form = QFormLayout()
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        self.form.addRow("&Dokument", self.kind)
        for key, label, widget in (
            ("only", "&Empfänger", self.only),
            ("blank_rows", "&Leerzeilen", self.blank_rows),
            ("assistance", "", self.assistance),
            ("sheet", "Etiketten&bogen", self.sheet),
            ("start", "&Erste freie Position", self.start),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            self.form.addRow(caption, widget)
            self.rows[key] = (caption, widget)
        buttons = dialog_buttons(
            self, QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            texts={QDialogButtonBox.StandardButton.Ok: "&Vorschau …"},
        )  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._update)
        self.sheet.currentIndexChanged.connect(
            lambda _i: self.start.setMaximum(24 if self.sheet.currentData() == "3474" else 14)
        )
        self._update()

    def _update(self, *_args: object) -> None:
        wanted = set(self.choice().options)
        for key, (caption, widget) in self.rows.items():
            caption.setVisible(key in wanted)
            widget.setVisible(key in wanted)

    def choice(self) -> DocumentChoice:
        return self.choices[self.kind.currentIndex()]

    def options(self) -> dict[str, Any]:
        return {
            "only": self.only.currentData(),
            "blank_rows": self.blank_rows.value(),
            "assistance": self.assistance.isChecked(),
            "sheet": self.sheet.currentData(),
            "start": self.start.value(),
        }


def make_document(parent: QWidget, db: Database, choice: DocumentChoice, options: dict[str, Any], out: Path) -> bool:
    """Write the PDF in the background to a temporary name, then move it into place."""
    tmp = out.with_name(out.name + ".tmp")

    def job(progress: Callable[[int, int], bool]) -> Any:
        try:
            return choice.make(db, tmp, options, progress)
        except OSError as exc:
            raise UserError(file_problem(choice.label, exc)) from exc

    writing = "Die PDF-Datei wird geschrieben …"
    _result, error = run_with_progress(parent, f"{choice.label} wird erstellt …", job, writing)
    if not error:
        try:
            tmp.replace(out)
        except OSError as exc:
            error = file_problem(choice.label, exc)
    if error:
        tmp.unlink(missing_ok=True)
        QMessageBox.warning(parent, "Dokument", error)
        return False
    return True


def file_problem(label: str, exc: OSError) -> str:
    """One German sentence for a file the document could not read or write, instead of
    "FileNotFoundError: [Errno 2] …"."""
    where = f" („{Path(str(exc.filename)).name.removesuffix('.tmp')}“)" if exc.filename else ""
    if isinstance(exc, FileNotFoundError):
        reason = f"eine Datei oder ein Ordner{where} wurde nicht gefunden"
    elif isinstance(exc, PermissionError):
        reason = f"der Zugriff auf die Datei{where} wurde verweigert (vielleicht in einem anderen Programm geöffnet)"
    elif exc.errno == 28:  # ENOSPC
        reason = "auf dem Laufwerk ist kein Platz mehr"
    else:
        reason = f"die Datei{where} ließ sich nicht schreiben"
    return f"„{label}“ konnte nicht erstellt werden: {reason}."


def document_kind(choice: DocumentChoice) -> str:
    """What printer settings are remembered under: the document's label without its year or title."""
    return re.sub(r"\s*\d{4}\b", "", choice.label).strip()


def preview_document(parent: QWidget, db: Database, choice: DocumentChoice, options: dict[str, Any]) -> Path | None:
    """Make the PDF into a temporary folder and show it in the preview; returns where it was saved, if it
    was. The choice's own question (e.g. "als verschickt vermerken?") comes once the document has left the
    preview: printed, saved or opened in the PDF program."""
    folder = Path(tempfile.mkdtemp(prefix="geschaeftsstelle-vorschau-"))
    pdf = folder / (choice.file_name or "Dokument.pdf")
    if not make_document(parent, db, choice, options, pdf):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    preview = PreviewDialog(pdf, title=choice.label, kind=document_kind(choice), file_name=choice.file_name,
                            parent=parent)  # fmt: skip
    preview.exec()
    if not preview.opened:  # the PDF program may still read it; else the preview's copy goes
        shutil.rmtree(folder, ignore_errors=True)
    if preview.used and choice.after is not None:
        choice.after(parent, db)
    return preview.saved_to


def save_and_make(parent: QWidget, db: Database, choice: DocumentChoice, options: dict[str, Any]) -> Path | None:
    """Older name of `preview_document`: every document is seen before it is printed or saved."""
    return preview_document(parent, db, choice, options)


def ask_and_make(parent: QWidget, db: Database, choices: list[DocumentChoice]) -> Path | None:
    dialog = DocumentDialog(choices, parent)
    if not dialog.exec():
        return None
    return preview_document(parent, db, dialog.choice(), dialog.options())


def _invitations_sent(count: int) -> str:
    if count == 1:
        return "Für diesen Termin wurde bereits 1 Einladung verschickt."
    return f"Für diesen Termin wurden bereits {count} Einladungen verschickt."


def offer_meeting_notices(
    parent: QWidget, db: Database, meeting_id: int, title: str, *, already_cancelled: bool = False
) -> Path | None:
    """After a meeting was saved: invitations are out and it was cancelled or moved, so offer once to
    print the letter everyone invited is owed. A cancellation is offered only when this save cancelled
    it (nothing records that the cancellation went out, so it would be offered at every later save)."""
    due = notices_due(db, meeting_id)
    if not due.any or (due.cancelled and already_cancelled):
        return None
    if due.cancelled:
        question = f"{_invitations_sent(due.sent)} Jetzt die Absage an alle Eingeladenen drucken?"
        choice = cancellation_choice(meeting_id, title)
    else:
        changes = "\n".join(f"• {c.label}: neu {c.after} (bisher {c.before})" for c in due.changes)
        question = (
            f"{_invitations_sent(due.sent)} Seitdem hat sich geändert:\n{changes}\n\n"
            "Jetzt die Terminänderung an alle Eingeladenen drucken?"
        )
        choice = change_choice(meeting_id, title)
    if QMessageBox.question(parent, "Eingeladene benachrichtigen", question) != QMessageBox.StandardButton.Yes:
        return None
    return preview_document(parent, db, choice, {})


def print_documents(parent: QWidget, db: Database, choices: list[DocumentChoice] | None) -> Path | None:
    """The main window's Ctrl+P: the documents a page offers for what the user is looking at (None: the
    page has none)."""
    if choices is None:
        QMessageBox.information(
            parent, "Drucken", "Wählen Sie Mitglieder, Termine oder Ehrenamtspreis, um Dokumente zu erstellen."
        )
        return None
    if not choices:
        QMessageBox.information(parent, "Drucken", "Bitte zuerst eine Preisrunde anlegen oder auswählen.")
        return None
    return ask_and_make(parent, db, choices)


def recipient_choices(meeting_id: int, title: str) -> list[DocumentChoice]:
    """A list for every recipient of a meeting: the caterer, the venue, the speakers, and the sign-in sheet
    with totals and confirmation that funders ask for."""
    from geschaeftsstelle.documents import attendance_list, recipient_lists

    safe = _safe_name(title)

    def recipient(kind: str) -> Callable[[Database, Path, dict[str, Any], Callable[[int, int], bool]], Any]:
        return lambda db, out, o, p: recipient_lists.recipient_list(db, kind, meeting_id, out, progress=p)

    return [
        DocumentChoice("Liste für die Verpflegung (ohne Namen)", f"Verpflegung {safe}.pdf", recipient("catering")),
        DocumentChoice("Liste für den Veranstaltungsort (Personen, Assistenz)", f"Raum {safe}.pdf", recipient("venue")),
        DocumentChoice("Programm für die Mitwirkenden", f"Mitwirkende {safe}.pdf", recipient("speakers")),
        DocumentChoice(
            "Teilnahmenachweis (Teilnehmerliste mit Summen und Bestätigung)", f"Teilnahmenachweis {safe}.pdf",
            lambda db, out, o, p: attendance_list.sign_in_sheet(db, meeting_id, out, blank_rows=o["blank_rows"],
                                                                progress=p),
            ("blank_rows",),
        ),
    ]  # fmt: skip


def anniversaries_choice(year: int) -> DocumentChoice:
    """The members' round anniversaries of `year` as PDF."""
    from geschaeftsstelle.documents import anniversaries

    return DocumentChoice(
        f"Jubiläen der Mitglieder {year}", f"Jubiläen {year}.pdf",
        lambda db, out, o, p: anniversaries.anniversary_list(db, year, out, progress=p),
    )  # fmt: skip
