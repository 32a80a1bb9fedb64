"""Member list import speed: a generated 20,000-row Outlook-style CSV into an empty database (target ≤ 10 s).

Measures what the user waits for: reading and decoding the file, checking every row (incl. duplicates
against the database) and the one-transaction import, then the export of the result. Prints one JSON
line per figure. `--db URL` measures against another database (e.g. PostgreSQL) instead of a temp SQLite file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geschaeftsstelle import member_import
from geschaeftsstelle.database import open_database
from geschaeftsstelle.member_export import export_members

ROWS = 20_000
HEADERS = ["Anrede", "Titel", "Vorname", "Nachname", "Firma", "Position", "E-Mail-Adresse", "Straße geschäftlich",
           "Postleitzahl geschäftlich", "Ort geschäftlich", "Telefon geschäftlich", "Kategorien"]  # fmt: skip
FIRST = ["Anna", "Jörg", "Ulrike", "Björn", "Kim", "Sören", "Maria", "Özlem", "Jürgen", "Renée"]
LAST = ["Müller", "Schäfer", "Größer", "Weiß", "Lange", "Öztürk", "Becker", "Hoffmann", "Krämer", "Wagner"]
KINDS = ["Tafel", "Frauenzentrum", "Lebenshilfe", "Sozialwerk", "Familienzentrum", "Begegnungsstätte"]
CITIES = [("99423", "Weimar"), ("99510", "Apolda"), ("99438", "Bad Berka"), ("07743", "Jena"), ("99084", "Erfurt")]
TAGS = ["Migration; Beratung", "Armut", "Frauen", "Kinder; Jugend", "Pflege", ""]


def write_csv(path: Path, rows: int = ROWS) -> None:
    """German Outlook's contact export: Windows-1252, `;`, CRLF; every organisation distinct."""
    rnd = random.Random(20)
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        for i in range(rows):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            postal_code, city = rnd.choice(CITIES)
            writer.writerow(
                [rnd.choice(["Frau", "Herr", ""]), rnd.choice(["", "", "Dr."]), first, last,
                 f"{rnd.choice(KINDS)} {city} Nr. {i} e. V.", "Geschäftsführung", f"kontakt{i}@verein{i}.example",
                 f"Marktstraße {i % 200 + 1}", postal_code, city, f"0364 {i:06d}", rnd.choice(TAGS)]
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "outlook.csv"
        write_csv(source, args.rows)
        db = open_database(args.db or folder / "bench.sqlite")
        try:
            started = time.perf_counter()
            result = member_import.import_file(db, source)
            took = time.perf_counter() - started
            if result.imported != args.rows:
                raise SystemExit(f"only {result.imported} of {args.rows} rows imported: {result.skipped[:3]}")
            print(json.dumps({"name": f"csv import {args.rows} rows", "measured_s": round(took, 2), "target_s": 10.0}))
            started = time.perf_counter()
            written = export_members(db, folder / "export.csv")
            took = time.perf_counter() - started
            if written != args.rows:
                raise SystemExit(f"exported {written} of {args.rows} members")
            print(
                json.dumps({"name": f"csv export {args.rows} members", "measured_s": round(took, 2), "target_s": 10.0})
            )
        finally:
            db.engine.dispose()


if __name__ == "__main__":
    main()
