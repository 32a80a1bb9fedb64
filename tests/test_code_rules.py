"""Rules for the code itself that no linter checks for us."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    """`# type: ignore[code]  # reason`: a silenced checker must say what and why, so the next engineer can
    tell a library's missing hints from a real mistake."""
    bad = []
    sources = [ROOT / "main.py", *sorted((ROOT / "geschaeftsstelle").rglob("*.py")), *sorted(ROOT.glob("ui/**/*.py"))]
    for path in sources:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if (found := _IGNORE.search(line)) and not re.match(r"\[[a-z-, ]+\]\s+#\s*\S", found["rest"]):
                bad.append(f"{path.relative_to(ROOT)}:{number}")
    assert bad == []
