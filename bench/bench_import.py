"""Member list import speed: a generated 20,000-row Outlook-style CSV (target ≤ 10 s), then the export.

Measures what the user waits for: reading and decoding the file, checking every row (incl. duplicates
against the members already there) and the one-transaction import. Under `make bench` it writes into its
copy of the big office ($GESCHAEFTSSTELLE_BENCH_DB, SQLite or PostgreSQL); run alone it uses a new empty
SQLite file, or with `--db URL` a throw-away database on that PostgreSQL server.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from pathlib import Path

from common import BENCH_DB_ENV, emit, throwaway_database

from geschaeftsstelle import member_import
from geschaeftsstelle.member_export import export_members
from geschaeftsstelle.store.opening import open_database

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


def measure(db_url: str, folder: Path, rows: int) -> None:
    source = folder / "outlook.csv"
    write_csv(source, rows)
    db = open_database(db_url)
    backend = "sqlite" if db.is_sqlite else "postgresql"
    try:
        started = time.perf_counter()
        result = member_import.import_file(db, source)
        took = time.perf_counter() - started
        if result.imported != rows:
            raise SystemExit(f"only {result.imported} of {rows} rows imported: {result.skipped[:3]}")
        emit(f"csv import {rows} rows", took, 10.0, backend=backend)
        started = time.perf_counter()
        written = export_members(db, folder / "export.csv")
        took = time.perf_counter() - started
        if written < rows:
            raise SystemExit(f"exported only {written} members")
        emit(f"csv export {written} members", took, 10.0, backend=backend)
    finally:
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a PostgreSQL server URL (default: a new SQLite file in a temp folder)")
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get(BENCH_DB_ENV):  # make bench: our own copy of the big office
            measure(os.environ[BENCH_DB_ENV], Path(tmp), args.rows)
        elif args.db:
            with throwaway_database(args.db, Path(tmp), "bench_import") as url:
                measure(url, Path(tmp), args.rows)
        else:
            measure(str(Path(tmp) / "bench.sqlite"), Path(tmp), args.rows)


if __name__ == "__main__":
    main()
