"""Window speed with a large office: 5,000 members and 20,000 contacts, generated into a temp SQLite file.

Figures (one JSON line each): the main window ready from process start (a child process opens the real
window and reports its first paint; target 1.5 s), the members and contacts views' first paint (300 ms;
150 ms for the contacts since issue 14)
and the slowest keystroke of search-as-you-type (50 ms). Run with QT_QPA_PLATFORM=offscreen headless.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qt_views import show_until_painted, type_key  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from geschaeftsstelle.search import search_text  # noqa: E402
from geschaeftsstelle.store.database import Database  # noqa: E402
from geschaeftsstelle.store.models import Contact, Member, member_tags  # noqa: E402
from geschaeftsstelle.store.opening import open_database  # noqa: E402

MEMBERS = 5_000
CONTACTS_PER_MEMBER = 4
FIRST = ["Anna", "Jörg", "Ulrike", "Björn", "Kim", "Sören", "Maria", "Özlem", "Jürgen", "Renée", "Łukasz", "Ayşe"]
LAST = ["Müller", "Schäfer", "Größer", "Weiß", "Lange", "Öztürk", "Becker", "Hoffmann", "Krämer", "Wagner", "Nguyễn"]
KINDS = ["Tafel", "Frauenzentrum", "Lebenshilfe", "Sozialwerk", "Familienzentrum", "Begegnungsstätte", "Selbsthilfe"]
CITIES = [("99423", "Weimar"), ("99510", "Apolda"), ("99438", "Bad Berka"), ("07743", "Jena"), ("99084", "Erfurt")]
TAGS = ["Migration", "Armut", "Frauen", "Kinder und Jugend", "Pflege", "Senioren", "Ehrenamt"]
ROLES = ["Geschäftsführung", "Vorstand", "Verwaltung", "Koordination Ehrenamt"]
TYPED = "müller weimar"  # what the user types, one key at a time


def build_database(path: Path, members: int = MEMBERS) -> Database:
    """Bulk insert (no ORM objects): the search texts are made exactly as the services make them."""
    rnd = random.Random(3)
    db = open_database(path)
    member_rows, contact_rows, tag_rows = [], [], []
    for i in range(1, members + 1):
        postal_code, city = rnd.choice(CITIES)
        name = f"{rnd.choice(KINDS)} {rnd.choice(LAST)} {city} {i} e. V."
        tags = rnd.sample(TAGS, 2)
        people = [(rnd.choice(FIRST), rnd.choice(LAST)) for _ in range(CONTACTS_PER_MEMBER)]
        number = f"{i:05d}"
        member_rows.append(
            {
                "id": i,
                "name": name,
                "member_number": number,
                "street": f"Marktstraße {i % 200 + 1}",
                "postal_code": postal_code,
                "city": city,
                "email": f"info@verein{i}.example",
                "phone": f"03643 {i:06d}",
                "joined_on": dt.date(1990 + i % 35, 1 + i % 12, 1),
                "left_on": dt.date(2024, 12, 31) if i % 20 == 0 else None,
                "notes": "",
                "search_text": search_text([name, number, city, *tags, *(p for pair in people for p in pair)]),
            }
        )
        tag_rows += [{"member_id": i, "tag": t} for t in tags]
        for k, (first, last) in enumerate(people):
            email = f"{first}.{last}@verein{i}.example".lower()
            role = ROLES[k]
            contact_rows.append(
                {
                    "member_id": i,
                    "salutation": rnd.choice(["Frau", "Herr", ""]),
                    "title": "",
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "email": email,
                    "is_primary": k == 0,
                    "needs": "",
                    "notes": "",
                    "search_text": search_text([first, last, name, role, email]),
                }
            )
    with db.transaction() as s:
        s.execute(insert(Member.__table__), member_rows)
        s.execute(insert(member_tags), tag_rows)
        s.execute(insert(Contact.__table__), contact_rows)
    return db


def line(name: str, measured: float, target: float, **extra: object) -> None:
    print(json.dumps({"name": name, "measured_s": round(measured, 3), "target_s": target, **extra}), flush=True)


def child_ready(db_path: str) -> None:
    """The real startup path of `run_app`, reporting the main window's first paint on stdout."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from geschaeftsstelle import log_setup
    from ui.app import make_application
    from ui.main_window import MainWindow

    log_setup.configure()
    app = make_application()
    db = open_database(db_path)
    window = MainWindow(db)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("ready", flush=True)
                QApplication.instance().quit()
            return False

    probe = FirstPaint()
    window.members.table.viewport().installEventFilter(probe)
    window.show()
    app.exec()
    db.dispose()


def measure_startup(db_path: Path, runs: int = 3) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child-ready", str(db_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None
        for out in proc.stdout:
            if out.strip() == "ready":
                best = min(best, time.perf_counter() - start)
                break
        proc.wait(timeout=60)
    return best


def measure_views(db: Database) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application
    from ui.contacts_view import ContactsView
    from ui.members_view import MembersView

    make_application()

    for name, cls in (("members", MembersView), ("contacts", ContactsView)):
        start = time.perf_counter()
        view = cls(db)
        show_until_painted(view)
        target = 0.15 if name == "contacts" else 0.3  # issue 14 for 20,000 contacts, issue 3 for the members
        line(f"{name} view first paint", time.perf_counter() - start, target, rows=view.model.rowCount())
        QApplication.processEvents()

        slowest, shown = 0.0, []
        view.search.setFocus()
        for ch in TYPED:
            start = time.perf_counter()
            type_key(view.search, ch)
            view.table.viewport().repaint()
            slowest = max(slowest, time.perf_counter() - start)
            shown.append(view.proxy.rowCount())
        line(f"{name} search keystroke (slowest of {len(TYPED)})", slowest, 0.05, shown_after_each=shown)
        start = time.perf_counter()
        for _ in TYPED:
            QTest.keyClick(view.search, Qt.Key.Key_Backspace)
        view.table.viewport().repaint()
        line(f"{name} clear search ({len(TYPED)} backspaces)", time.perf_counter() - start, 0.05 * len(TYPED))
        view.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--child-ready", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_ready:
        child_ready(args.child_ready)
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        # keep the user's settings and log folder out of it, as the tests do
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        path = Path(tmp) / "bench.sqlite"
        start = time.perf_counter()
        db = build_database(path, args.members)
        print(
            json.dumps({"name": "build database", "measured_s": round(time.perf_counter() - start, 3),
                        "members": args.members, "contacts": args.members * CONTACTS_PER_MEMBER}),
            flush=True,
        )  # fmt: skip
        line("main window ready from process start (best of 3)", measure_startup(path), 1.5)
        measure_views(db)
        db.dispose()


if __name__ == "__main__":
    main()
