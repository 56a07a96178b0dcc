"""Numbers typed by hand in a text of the written report, read as the figures they state: pure.

Three kinds (reports/number_check.py checks each against the figures of its own part):
- a pair, "N out of M" ("six out of ten", "9 out of 17", "seven out of 21"): a count of a total;
- a percentage, "N per cent", "N percent" or "N%" ("73 per cent", "four per cent");
- any other number in digits ("24,167", "6.2"): a count, or a value of a context fact.

Numbers in words are read from zero to nineteen and the tens to ninety ("twenty-one" and
"twenty one" too), but only where they state a figure: in a pair or before "per cent". Elsewhere
("one of the PDU's strengths", "two allocated practitioners") a number word is ordinary English.
Not figures either: citations and links' addresses (not typed), years (1900 to 2099 standing
alone), dates' days ("27 March", "March 27"), ordinals ("1st"), codes ("2.2.3") and numbers joined
to a word by a hyphen ("Covid-19", "12-month", "18–25-year-olds").

A number is kept as written with each run of white space one space ("six out of ten", typed
across a line break), as its confirmation compares and keeps it (inspection `as_written`).
"""

import re
from dataclasses import dataclass

from inspection.models.report_text import as_written

from .prose import CITATION, LINK

COUNT, PERCENT, PAIR = "count", "percent", "pair"

UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
TENS |= {"eighty": 80, "ninety": 90}
# Capitalised, as dates write them: "10 may be" is no date.
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August", "September"),
    *("October", "November", "December"),
    *("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
)

# Digits as a number: not part of a word or code ("Covid-19", "2.2.3", "1st" are left alone).
_DIGITS = r"(?<![\w.])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|\.\d)"
# Longest first, so "seventeen" is not read as "seven".
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN_WORDS = "|".join(TENS)
# A ten and its unit, joined by a hyphen or a space ("twenty one" is twenty-one, not one).
_WORD = rf"\b(?:(?:{_TEN_WORDS})(?:(?:-|\s+)(?:{'|'.join(UNITS[1:10])}))?|{_UNIT_WORDS})\b"
_NUMBER = rf"(?:{_DIGITS}|{_WORD})"
PAIR_PATTERN = re.compile(rf"({_NUMBER})\s+out\s+of\s+({_NUMBER})", re.IGNORECASE)
PERCENT_PATTERN = re.compile(rf"({_NUMBER})(?:\s*%|\s+per\s*cent\b)", re.IGNORECASE)
# What a pair or a percentage needs: most texts hold neither, and looking for those patterns
# at every character is most of the check's time.
_OUT_OF = re.compile(r"out\s+of", re.IGNORECASE)
_PER_CENT = re.compile(r"%|per\s*cent", re.IGNORECASE)
DIGITS = re.compile(_DIGITS)
# A number joined by a hyphen to a word after it, itself or through a range: "12-month",
# "18–25-year-olds" (both numbers).
_JOINED = re.compile(r"(?:[-–]\d+)?[-–][A-Za-z]")
_MONTH_AFTER = re.compile(rf"\s+(?:{'|'.join(MONTHS)})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{'|'.join(MONTHS)})\s+$")
YEAR = range(1900, 2100)


@dataclass(frozen=True)
class HandNumber:
    position: int  # where it starts in the text
    written: str  # as written (as_written): "24,167", "73 per cent", "six out of ten"
    value: float  # the number; a pair's count ("six")
    kind: str = COUNT  # COUNT, PERCENT or PAIR
    of: float | None = None  # a pair's total ("ten")


def number_value(written: str) -> float | None:
    """The value of a number in digits or words ("24,167", "6.2", "nine", "Twenty-one",
    "twenty one"), or None for anything else."""
    written = written.strip()
    if DIGITS.fullmatch(written):
        return float(written.replace(",", ""))
    word = written.lower()
    if word in UNITS:
        return float(UNITS.index(word))
    tens, _, unit = as_written(word.replace("-", " ", 1)).partition(" ")
    if tens in TENS and (not unit or unit in UNITS[1:10]):
        return float(TENS[tens] + (UNITS.index(unit) if unit else 0))
    return None


def _not_a_figure(text: str, start: int, end: int, written: str) -> bool:
    """A year, a date's day, or a number joined by a hyphen to a word."""
    if "," not in written and "." not in written and int(written) in YEAR:
        return True
    if _JOINED.match(text, end):
        return True
    return bool(_MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(text[:start]))


def hand_written_numbers(text: str) -> list[HandNumber]:
    """The figures typed by hand in a text, in order (the module's docstring says which)."""
    # Blanked out, not removed, so positions still point into the text.
    stripped = CITATION.sub(lambda m: " " * len(m.group(0)), text)
    stripped = LINK.sub(
        lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1), stripped
    )
    found: list[HandNumber] = []
    taken: list[range] = []

    def free(match) -> bool:
        return not any(match.start() in span or match.end() - 1 in span for span in taken)

    pairs = PAIR_PATTERN.finditer(stripped) if _OUT_OF.search(stripped) else ()
    for match in pairs:
        found.append(
            HandNumber(
                match.start(),
                as_written(match.group(0)),
                number_value(match.group(1)),
                PAIR,
                number_value(match.group(2)),
            )
        )
        taken.append(range(match.start(), match.end()))
    percents = PERCENT_PATTERN.finditer(stripped) if _PER_CENT.search(stripped) else ()
    for match in percents:
        if free(match):
            found.append(
                HandNumber(
                    match.start(),
                    as_written(match.group(0)),
                    number_value(match.group(1)),
                    PERCENT,
                )
            )
            taken.append(range(match.start(), match.end()))
    for match in DIGITS.finditer(stripped):
        written = match.group(0)
        if free(match) and not _not_a_figure(stripped, match.start(), match.end(), written):
            found.append(HandNumber(match.start(), written, number_value(written)))
    return sorted(found, key=lambda n: n.position)
