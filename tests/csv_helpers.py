"""Reading a downloaded CSV back (inspection/csv_safe.py writes them)."""

import csv
import io


def read_csv(content: bytes) -> list[list[str]]:
    """Every row of a CSV download, its cells as the file holds them."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def read_csv_dicts(content: bytes) -> list[dict[str, str]]:
    header, *rows = read_csv(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_shown(cell: str) -> str:
    """A cell as a spreadsheet shows it: without the leading apostrophe that keeps it text (a
    formula, a code such as 1.1, a date)."""
    return cell.removeprefix("'")


def read_shown_dicts(content: bytes) -> list[dict[str, str]]:
    """Every row of a CSV download as a spreadsheet shows it, keyed by the header."""
    return [
        {column: as_shown(cell) for column, cell in row.items()} for row in read_csv_dicts(content)
    ]
