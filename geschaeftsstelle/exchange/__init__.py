"""Exchange format v1: the whole office as one JSON file (docs/exchange-format.md).

Export writes everything in a stable order with ids renumbered by position, so export → import into
an empty database → export gives the identical file. Import is all or nothing: it reads and checks the
whole file, writes every row in one transaction and refuses the first problem with one line naming
the entry and field, e.g. `meetings[3].ends_at: Ende liegt vor Beginn.` (indices count from 0).

    format    the constants and each entity's fields, written once (read, written and imported alike)
    reader    the file read whole, or streamed one top-level value or array element at a time
    entries   one entry checked against its fields, with the format's messages
    layout    the file's text (json.dumps with indent=2, at the C encoder's speed)
    export    the office, table by table, into the file
    importer  the file, section by section, into an empty database: which problem is reported first
    sections  each section's entries checked as plain data and turned into rows
    bulk      the rows written in chunks (ids reserved up front, executemany or COPY)
"""

from geschaeftsstelle.exchange.export import export_file, export_office
from geschaeftsstelle.exchange.format import FORMAT, VERSION, ExchangeError, counts
from geschaeftsstelle.exchange.importer import import_file, import_office
from geschaeftsstelle.exchange.layout import dumps
from geschaeftsstelle.exchange.reader import load_file, loads

__all__ = [
    "FORMAT",
    "VERSION",
    "ExchangeError",
    "counts",
    "dumps",
    "export_file",
    "export_office",
    "import_file",
    "import_office",
    "load_file",
    "loads",
]
