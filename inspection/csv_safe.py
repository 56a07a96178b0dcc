"""CSV downloads that spreadsheet programs open safely: streamed line by line, every text cell
guarded against formula injection, with a byte-order mark so Excel reads UTF-8.

Here, at the bottom of the stack, so every layer's CSV (the answers export, the audit trail) uses
the one guard.
"""

import csv
from collections.abc import Iterable, Iterator

# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection), and
# evidence notes are free text typed by people: such cells get a leading apostrophe so they stay
# text. Tab and carriage return are on OWASP's list too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte-order mark as the local code page, garbling non-ASCII text.
BYTE_ORDER_MARK = "\ufeff"


def neutralise(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Line:
    """A file-like target for csv.writer that hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV's lines, lazily: pass a lazy `rows` and any number of them streams."""
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
