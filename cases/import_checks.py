"""What the bundle import and the case-sample CSV import check alike, and how they say it."""

from inspection.input_rules import control_character_problem

# Case.practitioners is a PositiveSmallIntegerField (smallint: 0 to 32,767); a case has at least
# one practitioner.
PRACTITIONERS_MIN, PRACTITIONERS_MAX = 1, 32_767
PRACTITIONERS_RANGE = f"a whole number from {PRACTITIONERS_MIN} to {PRACTITIONERS_MAX:,}"

# The case reference column's length (a bundle or CSV reference longer cannot be stored).
CASE_REF_MAX = 30

SHOWN_LENGTH = 40


def shown(value) -> str:
    """`value` as Python writes it, cut short: a problem names a bad value without repeating
    a megabyte of it."""
    text = repr(value)
    if len(text) <= SHOWN_LENGTH:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return f"{text[:SHOWN_LENGTH]}...{size}"


def text_problem(text: str, limit: int) -> str | None:
    """Too long, or holding a character no text may hold; None if `text` is fine."""
    if len(text) > limit:
        return f"{len(text):,} characters; the limit is {limit:,}"
    return control_character_problem(text)


def practitioners_problem(value: int) -> str | None:
    if not PRACTITIONERS_MIN <= value <= PRACTITIONERS_MAX:
        return f"{shown(value)} is not {PRACTITIONERS_RANGE}"
    return None
