"""First start: a short assistant instead of empty pages — the office's letterhead in five small steps, its
letterhead seen as it will print, then how to begin (import members, demo data, or empty).

Skippable at every step ("Abbrechen" leaves the database as it was) and repeatable from Einstellungen; it
saves through `office.save_office` with the version it read, like the settings page.
"""

from __future__ import annotations

from io import BytesIO

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from geschaeftsstelle import office
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Office
from geschaeftsstelle.validation import check_email, check_iban, check_postal_code, format_iban

START_IMPORT, START_DEMO, START_EMPTY = "import", "demo", "empty"

#: (page title, explanation, [(field, label with &-key)])
STEPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Geschäftsstelle", "Wie heißt die Geschäftsstelle? Der Name steht oben in jedem Brief.",
     (("name", "&Name der Geschäftsstelle"), ("short_name", "&Kurzname (Absenderzeile im Fensterumschlag)"))),
    ("Anschrift", "Die Anschrift steht im Briefkopf; das Bundesland bestimmt die Feiertage der Jahresplanung.",
     (("street", "&Straße und Hausnummer"), ("postal_code", "&PLZ"), ("city", "&Ort"))),
    ("Kontakt", "Telefon, E-Mail und Website stehen in der Fußzeile jedes Briefs.",
     (("phone", "&Telefon"), ("fax", "&Fax"), ("email", "&E-Mail"), ("website", "Webs&ite"))),
    ("Bankverbindung", "Für Teilnahmebeiträge: die Bankverbindung in der Fußzeile (freiwillig).",
     (("bank_name", "&Bank"), ("iban", "&IBAN"), ("bic", "BI&C"))),
    ("Unterschrift", "Wer unterschreibt die Briefe?",
     (("signatory", "&Name"), ("signatory_role", "&Funktion"))),
)  # fmt: skip


def letterhead_pdf(o: Office) -> bytes:
    """One page with only the office's letterhead and footer, as the documents draw them."""
    from geschaeftsstelle.documents.page import define_letterhead, new_canvas

    out = BytesIO()
    c = new_canvas(out, "Briefkopf", o)
    define_letterhead(c, o)
    c.doForm("letterhead")
    c.showPage()
    c.save()
    return out.getvalue()


class _FieldsPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard, title: str, text: str, fields: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(text)
        self.owner = wizard
        self.form = QFormLayout(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        for name, label in fields:
            edit = QLineEdit()
            edit.setObjectName(name)
            caption = QLabel(label)
            caption.setBuddy(edit)
            self.form.addRow(caption, edit)
            wizard.fields[name] = edit
        if any(name == "city" for name, _label in fields):
            caption = QLabel("Bundes&land")
            caption.setBuddy(wizard.state)
            self.form.addRow(caption, wizard.state)
        self.form.addRow(self.error)
        self.names = [name for name, _label in fields]

    def validatePage(self) -> bool:
        """Check this step's fields now, in one German sentence naming the field."""
        problem = self.owner.problem(self.names)
        self.error.setText(problem or "")
        return problem is None


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.setTitle("So sieht der Briefkopf aus")
        self.setSubTitle("Kopf und Fußzeile jedes Briefs. Ändern können Sie alles später unter Einstellungen.")
        self.owner = wizard
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName("Vorschau des Briefkopfs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)

    def initializePage(self) -> None:
        from ui.letter_templates_view import page_image

        try:
            image = page_image(letterhead_pdf(self.owner.office_preview()), 560)
        except Exception:  # the preview is a courtesy: without it the assistant still saves
            self.picture.setText("Die Vorschau kann nicht gezeigt werden.")
            return
        self.picture.setPixmap(QPixmap.fromImage(image))


class _StartPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.setTitle("Wie möchten Sie beginnen?")
        self.setSubTitle("Der Briefkopf wird mit „Fertig“ gespeichert.")
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for key, label in ((START_IMPORT, "&Mitglieder importieren (Excel- oder CSV-Liste, auch Outlook)"),
                           (START_DEMO, "&Demo-Daten laden (eine Beispiel-Kreisgruppe zum Ausprobieren)"),
                           (START_EMPTY, "&Leer beginnen")):  # fmt: skip
            button = QRadioButton(label)
            button.setProperty("start", key)
            self.group.addButton(button)
            layout.addWidget(button)
        self.group.buttons()[0].setChecked(True)
        layout.addStretch(1)

    def choice(self) -> str:
        checked = self.group.checkedButton()
        return str(checked.property("start")) if checked is not None else START_EMPTY


class FirstRunWizard(QWizard):
    """The assistant; after `exec()`, `start` says how the user wants to begin (None: skipped)."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, repeat: bool = False) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Einrichtungsassistent")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same look on every platform
        self.setButtonText(QWizard.WizardButton.NextButton, "&Weiter >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Zurück")
        self.setButtonText(QWizard.WizardButton.FinishButton, "F&ertig")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Abbrechen")
        self.fields: dict[str, QLineEdit] = {}
        self.state = QComboBox()
        self.state.addItem("— bitte wählen —", None)
        for code, name in office.STATE_NAMES.items():
            self.state.addItem(name, code)
        self.start: str | None = None
        for title, text, fields in STEPS:
            self.addPage(_FieldsPage(self, title, text, fields))
        self.addPage(_PreviewPage(self))
        self.start_page = _StartPage(self)
        if not repeat:  # from Einstellungen the data is there already: only the letterhead
            self.addPage(self.start_page)
        self._load()
        self.resize(720, 560)

    def _load(self) -> None:
        o = office.get_office(self.db)
        self.version = o.version if o.version else None
        for name, edit in self.fields.items():
            value = getattr(o, name) or ""
            edit.setText(format_iban(value) if name == "iban" and value else value)
        self.state.setCurrentIndex(max(self.state.findData(o.state), 0))

    def value(self) -> office.OfficeInput:
        texts = {name: edit.text().strip() for name, edit in self.fields.items()}
        return office.OfficeInput(**texts, state=self.state.currentData(), version=self.version)

    def office_preview(self) -> Office:
        data = self.value()
        return Office(**{k: v for k, v in vars(data).items() if k != "version"})

    def problem(self, names: list[str]) -> str | None:
        """The first problem among `names`, in one German sentence naming the field."""
        texts = {name: self.fields[name].text().strip() for name in names}
        if "name" in texts and not texts["name"]:
            return "Bitte den Namen der Geschäftsstelle eintragen."
        checks = (("postal_code", check_postal_code), ("email", check_email), ("iban", check_iban))
        for name, check in checks:
            if name in texts and (message := check(texts[name] or None)):
                return message
        return None

    def accept(self) -> None:
        """Save the letterhead (after the demo office, when that was chosen: the letters then show the
        user's own letterhead); a refusal is said in German and the assistant stays open."""
        start = self.start_page.choice() if self.start_page.wizard() is self else START_EMPTY
        try:
            if start == START_DEMO and self.db.is_empty():
                from geschaeftsstelle.demo import load_demo

                load_demo(self.db)
                self.version = office.get_office(self.db).version
            office.save_office(self.db, self.value())
        except UserError as exc:  # ValidationError included: its text names the field
            QMessageBox.warning(self, "Einrichtungsassistent", str(exc))
            return
        self.start = start
        super().accept()


def run_first_run(parent: QWidget | None, db: Database, *, repeat: bool = False) -> str | None:
    """Show the assistant; returns how to begin (START_*), or None when it was skipped."""
    wizard = FirstRunWizard(db, parent, repeat=repeat)
    wizard.exec()
    return wizard.start
