"""CSV downloads that spreadsheet programs open safely: streamed line by line, every text cell
quoted and guarded, with a byte-order mark so Excel reads UTF-8.

Here, at the bottom of the stack, so every layer's CSV (the answers and figures exports, the
audit trail, the evidence tallies) uses the one guard. What it does, and why (OWASP's CSV
injection guidance, ASVS 1.2.10):

- Every text cell is in double quotes (RFC 4180 escaping), so a separator of any locale (Excel
  splits on ';' where that is the list separator) or a line break inside it never starts another
  cell in a reader that honours quotes. Numbers stay bare, so they are read as numbers.
- A text cell that a spreadsheet would read as a formula starts with an apostrophe: one starting
  with '=', '+', '-', '@', a tab or a carriage return (spaces before them too). And where a
  reader that splits the cell anyway (by line, or on ';' or a tab, as Text to Columns does)
  would start a new cell with one of them, as in '1;=HYPERLINK(...)' or 'x\\n=cmd', an
  apostrophe goes before it there too: '1;'=HYPERLINK(...)'.
- A text cell that Excel would turn into a number or a date (a code '1.1' or '2.10', '2.1.1',
  '2023-03-27', '86%', 'Dec-21', '27 March 2023', '12:30 pm', 'TRUE') starts with an apostrophe
  too, the same marker: Excel keeps such a cell as text. Not `="1.1"`, the other common trick:
  that is a formula, and these files hold none.

- A text that starts with an apostrophe of its own ("'Changing Futures' was...") gets the
  marker too, so a spreadsheet shows the one it had.

So a reader other than a spreadsheet sees an apostrophe before such cells (and lines): remove
the first one of a cell to read the text. The XLSX workbook holds the same text exactly, typed as
text.
"""

import csv
import re
from collections.abc import Iterable, Iterator

# What starts a formula in Excel, LibreOffice and Google Sheets (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A text's own leading apostrophe is marked too, as the marker would otherwise hide it.
MARKED_PREFIXES = (*FORMULA_PREFIXES, "'")
# Where a reader that splits a cell would start another: after a separator (',', ';', a tab), a
# line break or a quote; then any spaces (a reader may trim them) and a formula's first character.
_CELL_START_INSIDE = re.compile(r"(?<=[,;\t\r\n\"]) *(?=[=+\-@])")
# Text Excel reads as a number, a percentage, a date or a time: digits with nothing but the
# characters those use ("1.1", "2.10", "1,000", "27/03/2023", "2023-03-27", "10:30", "86%",
# "(5)", "£5"), or a number in scientific notation ("1e5").
_NUMBER_OR_DATE = re.compile(r"[\d\s.,/:\-+%()£$€]*\d[\d\s.,/:\-+%()£$€]*|\d+(\.\d*)?[eE][+-]?\d+")
# Words Excel converts too: a date with a month's name ("Dec-21", "27 March 2023", "Jan 1,
# 2023"), a time of day ("12:30 pm", "9am") and TRUE or FALSE, in any case.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WORDS_EXCEL_CONVERTS = re.compile(
    rf"\d{{1,2}}[\s\-/]*{_MONTH}(?:[\s\-/,]+\d{{1,4}})*|{_MONTH}(?:[\s\-/,]+\d{{1,4}})+"
    r"|\d{1,2}(?::\d{2}){0,2}\s*[ap]\.?m?\.?"
    r"|true|false",
    re.IGNORECASE,
)
# Excel reads a CSV without a byte-order mark as the local code page, garbling non-ASCII text.
BYTE_ORDER_MARK = "\ufeff"


def neutralise(value: str) -> str:
    """A text cell as the CSV holds it: one a spreadsheet would read as anything but this text
    (a formula, here or where a split would start a cell; a number; a date) marked as text."""
    value = _CELL_START_INSIDE.sub(lambda found: found.group() + "'", value)
    if value.lstrip(" ").startswith(MARKED_PREFIXES) or any(
        pattern.fullmatch(value.strip()) for pattern in (_NUMBER_OR_DATE, _WORDS_EXCEL_CONVERTS)
    ):
        return f"'{value}"
    return value


class _Line:
    """A file-like target for csv.writer that hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV's lines, lazily: pass a lazy `rows` and any number of them streams. Cells are
    text (guarded), numbers, or None (empty)."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_NONNUMERIC)
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
