"""Letter texts the office edits itself (Einstellungen → Briefvorlagen), stored in the database.

Every desk sharing a database prints the same text. A template is plain text in paragraphs (separated
by a blank line) with named fields and optional blocks:

    {titel}                  a field, filled from the meeting, the office or the addressee
    [[Thema: {thema}]]       an optional block: left out when a field inside it is empty
    [[Ort: {ort}.||Der Ort wird noch bekannt gegeben.]]
                             … with an alternative for when a field is empty
    {{ and }}                literal braces

Blocks nest; a block depends only on the fields written directly in it. A paragraph that ends up
empty is left out, so no sentence is ever glued from empty fields. Without a stored row the shipped
text from resources/templates/ is used; "Auf Standard zurücksetzen" deletes the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geschaeftsstelle import paths
from geschaeftsstelle.errors import ConflictError, FieldError, UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import LetterKind, LetterTemplate
from geschaeftsstelle.store.records import load_for_update

MAX_TEMPLATE_CHARS = 20_000

KIND_LABELS = {
    LetterKind.INVITATION: "Einladung",
    LetterKind.REPLY_FORM: "Rückantwort",
    LetterKind.CANCELLATION: "Absage",
    LetterKind.CHANGE: "Terminänderung",
    LetterKind.AWARD_WINNER: "Ehrenamtspreis: Brief an Preisträger",
    LetterKind.AWARD_THANKS: "Ehrenamtspreis: Dank an Vorschlagende",
    LetterKind.AWARD_CONSENT: "Ehrenamtspreis: Bitte um Einverständnis",
}
DEFAULT_FILES = {
    LetterKind.INVITATION: "einladung.txt",
    LetterKind.REPLY_FORM: "rueckantwort.txt",
    LetterKind.CANCELLATION: "absage.txt",
    LetterKind.CHANGE: "terminaenderung.txt",
    LetterKind.AWARD_WINNER: "preistraeger.txt",
    LetterKind.AWARD_THANKS: "dank_vorschlag.txt",
    LetterKind.AWARD_CONSENT: "einverstaendnis.txt",
}
#: The letters of an award round (documents/award_letters.py); their fields are the round's, not a meeting's.
AWARD_KINDS = (LetterKind.AWARD_WINNER, LetterKind.AWARD_THANKS, LetterKind.AWARD_CONSENT)

#: The programme table stands where this field stands alone in a paragraph.
PROGRAMME = "programm"

_MEETING_FIELDS = {
    "anrede": "Anrede der Empfängerin/des Empfängers mit Komma („Sehr geehrte Frau Dr. Richter,“)",
    "titel": "Titel des Termins",
    "datum": "Datum, z. B. 12.02.2020",
    "datum_lang": "Datum mit Wochentag, z. B. Mittwoch, 12. Februar 2020",
    "uhrzeit": "Uhrzeit, z. B. 14:00 bis 16:00 Uhr",
    "beginn": "Beginn, z. B. 14:00 Uhr",
    "ende": "Ende, z. B. 16:00 Uhr",
    "ort": "Veranstaltungsort mit Anschrift (leer, solange kein Ort gewählt ist)",
    "ort_name": "Name des Veranstaltungsorts",
    "ort_hinweise": "Barrierefreiheit, Wegbeschreibung und (auf Wunsch) Hinweise des Orts",
    "thema": "Thema",
    "beschreibung": "Beschreibung (auch mehrere Absätze)",
    "referenten": "Referentinnen und Referenten, mit Komma getrennt",
    "anmeldeschluss": "Anmeldeschluss, z. B. 29.05.2015",
    "antwort_an": "E-Mail-Adresse für Rückmeldungen",
    "fax": "Faxnummer der Geschäftsstelle",
    "telefon": "Telefonnummer der Geschäftsstelle",
    "rueckmeldewege": "„per Fax an … oder per E-Mail an …“ – nur die Wege, die es gibt",
    "rueckmeldung": "der ganze Satz zur Anmeldung mit Frist, Wegen und Frage nach Assistenzbedarf",
    "beitrag": "Teilnahmebeitrag, z. B. 15,00 € (leer, wenn kostenlos)",
    "verpflegung": "Verpflegung",
    "mitglieder_hinweis": "Satz „… richtet sich ausschließlich an …“ bei Terminen nur für Mitglieder",
    "vorbehalt_hinweis": "Satz zum Vorbehalt, solange der Termin unter Vorbehalt steht",
    "geschaeftsstelle": "Name der Geschäftsstelle",
    "geschaeftsstelle_kurz": "Kurzname der Geschäftsstelle",
}

#: The fields each kind of letter can use, with what they hold (shown beside the editor).
FIELDS: dict[LetterKind, dict[str, str]] = {
    LetterKind.INVITATION: {
        **_MEETING_FIELDS,
        PROGRAMME: "das Programm als Tabelle (allein in einem Absatz)",
        "code": "Rückmeldecode dieser Einladung, z. B. K7M-Q2X (steht auch im Infoblock und auf der Rückantwort)",
    },
    LetterKind.REPLY_FORM: {k: v for k, v in _MEETING_FIELDS.items() if k not in ("anrede", "rueckmeldung")},
    LetterKind.CANCELLATION: dict(_MEETING_FIELDS),
    LetterKind.CHANGE: {
        **_MEETING_FIELDS,
        "aenderungen": "was sich geändert hat, je Zeile „Datum: neu … (bisher …)“",
    },
}

_AWARD_FIELDS = {
    "anrede": "Anrede der Empfängerin/des Empfängers mit Komma („Sehr geehrte Frau Sommer,“)",
    "name": "Name der oder des Nominierten",
    "preis": "Titel der Preisrunde, z. B. Ehrenamtspreis 2026",
    "jahr": "Jahr der Preisrunde",
    "organisation": "Mitgliedsorganisation der oder des Nominierten",
    "verleihung": "„am 19.06.2026 um 15:00 Uhr beim Sommerfest“ (leer, solange kein Termin gewählt ist)",
    "rueckmeldewege": "„per Fax an … oder per E-Mail an …“ – nur die Wege, die es gibt",
    "geschaeftsstelle": "Name der Geschäftsstelle",
    "geschaeftsstelle_kurz": "Kurzname der Geschäftsstelle",
}
FIELDS[LetterKind.AWARD_WINNER] = dict(_AWARD_FIELDS)
FIELDS[LetterKind.AWARD_THANKS] = dict(_AWARD_FIELDS)
FIELDS[LetterKind.AWARD_CONSENT] = {**_AWARD_FIELDS, "code": "Rückmeldecode der Nominierung, z. B. K7M-Q2X"}


@dataclass(frozen=True)
class TemplateProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.message}"


# --------------------------------------------------------------------------- parsing

_TOKEN = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|\||\{([^{}\n]*)\}|\{|\}")


@dataclass
class _Block:
    """Text parts, fields and nested blocks; `alternative` holds what follows `||`."""

    parts: list[str | _Field | _Block] = field(default_factory=list)
    alternative: list[str | _Field | _Block] | None = None
    line: int = 1


@dataclass(frozen=True)
class _Field:
    name: str
    line: int


def _parse(text: str, known: dict[str, str]) -> tuple[_Block, list[TemplateProblem]]:
    problems: list[TemplateProblem] = []
    root = _Block()
    stack: list[_Block] = [root]

    def target() -> list[str | _Field | _Block]:
        top = stack[-1]
        return top.alternative if top.alternative is not None else top.parts

    pos = 0
    for match in _TOKEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.start() > pos:
            target().append(text[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token == "{{":
            target().append("{")
        elif token == "}}":
            target().append("}")
        elif token == "[[":
            block = _Block(line=line)
            target().append(block)
            stack.append(block)
        elif token == "]]":
            if len(stack) == 1:
                problems.append(TemplateProblem(line, "„]]“ schließt einen Block, der nicht geöffnet wurde."))
            else:
                stack.pop()
        elif token == "||":
            if len(stack) == 1:
                problems.append(TemplateProblem(line, "„||“ steht außerhalb eines Blocks [[ … ]]."))
            elif stack[-1].alternative is not None:
                problems.append(TemplateProblem(line, "Ein Block hat nur eine Alternative „||“."))
            else:
                stack[-1].alternative = []
        elif match.group(1) is not None:
            name = match.group(1).strip()
            if name not in known:
                problems.append(TemplateProblem(line, f"Den Platzhalter {{{name}}} gibt es nicht."))
            target().append(_Field(name, line))
        else:
            problems.append(
                TemplateProblem(line, f"„{token}“ ohne Gegenstück (für eine Klammer im Text {token}{token} schreiben).")
            )
    if pos < len(text):
        target().append(text[pos:])
    for block in stack[1:]:
        problems.append(TemplateProblem(block.line, "Der Block „[[“ wird nicht mit „]]“ geschlossen."))
    return root, problems


def check(text: str, kind: LetterKind | str) -> list[TemplateProblem]:
    """Every problem of a template with its line; an empty list means it can be saved."""
    problems = _parse(text, FIELDS[LetterKind(kind)])[1]
    if len(text) > MAX_TEMPLATE_CHARS:
        problems.append(
            TemplateProblem(text.count("\n") + 1, f"Die Vorlage ist länger als {MAX_TEMPLATE_CHARS} Zeichen.")
        )
    return problems


_SENTENCE_END = (".", "!", "?", "…")


def _render(parts: list[str | _Field | _Block], values: dict[str, str]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, _Field):
            out.append(values.get(part.name, ""))
        elif isinstance(part, _Block):
            out.append(_render_block(part, values))
        else:
            text = part
            # "Ort: {ort}." with a place ending in "e. V." must not print "e. V..".
            if (
                text.startswith(".")
                and out
                and out[-1].rstrip().endswith(_SENTENCE_END)
                and out[-1] == out[-1].rstrip()
            ):
                text = text[1:]
            out.append(text)
    return "".join(out)


def _filled(parts: list[str | _Field | _Block], values: dict[str, str]) -> bool:
    return all(values.get(p.name, "").strip() for p in parts if isinstance(p, _Field))


def _render_block(block: _Block, values: dict[str, str]) -> str:
    if _filled(block.parts, values):
        return _render(block.parts, values)
    if block.alternative is not None and _filled(block.alternative, values):
        return _render(block.alternative, values)
    return ""


def fill(text: str, kind: LetterKind | str, values: dict[str, str]) -> list[str]:
    """The template's paragraphs with fields and blocks resolved; empty paragraphs are left out.

    Raises UserError for a template that `check` would refuse (a stored one never is)."""
    root, problems = _parse(text.replace("\r\n", "\n"), FIELDS[LetterKind(kind)])
    if problems:
        raise UserError(f"Die Briefvorlage „{KIND_LABELS[LetterKind(kind)]}“ ist fehlerhaft: {problems[0]}.")
    rendered = _render(root.parts, values)
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n", rendered):
        lines = [line.rstrip() for line in paragraph.strip("\n").split("\n")]
        cleaned = "\n".join(line for line in lines if line.strip())
        if cleaned.strip():
            paragraphs.append(cleaned.strip())
    return paragraphs


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True)
class TemplateInfo:
    kind: str
    label: str
    text: str
    is_default: bool
    version: int | None  # None while the shipped text is in use


def default_text(kind: LetterKind | str) -> str:
    return paths.resource("templates", DEFAULT_FILES[LetterKind(kind)]).read_text("utf-8")


def _kind(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise UserError(f"Eine Briefvorlage „{kind}“ gibt es nicht.") from None


def get_template(db: Database, kind: LetterKind | str) -> TemplateInfo:
    k = _kind(kind)
    with db.read() as s:
        row = s.get(LetterTemplate, k.value)
        if row is None:
            return TemplateInfo(k.value, KIND_LABELS[k], default_text(k), True, None)
        return TemplateInfo(k.value, KIND_LABELS[k], row.text, False, row.version)


def template_text(db: Database, kind: LetterKind | str) -> str:
    return get_template(db, kind).text


def list_templates(db: Database) -> list[TemplateInfo]:
    return [get_template(db, k) for k in LetterKind]


def save_template(db: Database, kind: LetterKind | str, text: str, version: int | None) -> int:
    """Store the office's text; refused with the line of the first problem, or when another desk saved
    in between. `version` is what the editor loaded (None for the shipped text). Returns the new version."""
    k = _kind(kind)
    text = text.replace("\r\n", "\n").strip("\n") + "\n"
    if problems := check(text, k):
        raise ValidationError([FieldError("text", str(p)) for p in problems])
    with db.transaction() as s:
        row = s.get(LetterTemplate, k.value)
        if row is None:
            if version is not None:
                raise ConflictError(
                    f"Die Vorlage „{KIND_LABELS[k]}“ wurde inzwischen an einem anderen Platz zurückgesetzt. "
                    "Bitte neu laden."
                )
            row = LetterTemplate(kind=k.value, text=text)
            s.add(row)
        else:
            if version is None:
                raise ConflictError(
                    f"Die Vorlage „{KIND_LABELS[k]}“ wurde inzwischen an einem anderen Platz geändert. Bitte neu laden."
                )
            row = load_for_update(s, LetterTemplate, k.value, version, f"Die Vorlage „{KIND_LABELS[k]}“")
            row.text = text
        s.flush()
        return row.version


def reset_template(db: Database, kind: LetterKind | str, *, version: int | None) -> None:
    """Back to the shipped text (the office's own text is deleted). `version` is the one the editor
    loaded (None for the shipped text, when there is nothing to reset); a text another desk saved in
    between is not thrown away unseen."""
    k = _kind(kind)
    with db.transaction() as s:
        if s.get(LetterTemplate, k.value) is None:
            return  # already the shipped text, whoever reset it
        if version is None:
            raise ConflictError(
                f"Die Vorlage „{KIND_LABELS[k]}“ wurde inzwischen an einem anderen Platz geändert. Bitte neu laden."
            )
        s.delete(load_for_update(s, LetterTemplate, k.value, version, f"Die Vorlage „{KIND_LABELS[k]}“"))
