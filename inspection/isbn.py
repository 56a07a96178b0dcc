"""A report's ISBN as the lead types it ("978-1-915468-66-6"): an ISBN-13, checked to its check
digit, every problem in words. Pure; the writing service, its form and the bundle all read it.

Digits may be grouped by hyphens or spaces, as printed; where the groups fall depends on the
publisher's registration (not something to check here), so the grouping is kept as typed, with
spaces written as hyphens.
"""

import re

ISBN_MAX = 17  # 13 digits and the four hyphens of the printed form
TYPED_MAX = 40  # as typed, spaces and all, before it is normalised
_ALLOWED = re.compile(r"[0-9 -]*")
_PREFIXES = ("978", "979")


def normalised(value: str) -> str:
    """As stored and printed: trimmed, groups parted by spaces written with hyphens."""
    return "-".join(re.sub(r"\s*-\s*", "-", value.strip()).split())


def check_digit(first_twelve: str) -> int:
    """The 13th digit of an ISBN-13: the digits weighted 1, 3, 1, 3..., and what takes their sum
    to a multiple of ten."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


def isbn_problems(value: str) -> list[str]:
    """Everything wrong with `value` as an ISBN-13 (an empty list when it is one)."""
    isbn = normalised(value)
    if not _ALLOWED.fullmatch(isbn):
        wrong = next(char for char in isbn if not _ALLOWED.fullmatch(char))
        return [f"The ISBN may hold only digits and hyphens, not {wrong!r}"]
    if isbn.startswith("-") or isbn.endswith("-") or "--" in isbn:
        return ["The ISBN cannot start or end with a hyphen, or have two together"]
    if isbn.count("-") > 4:
        return ["An ISBN has at most five groups of digits, so at most four hyphens"]
    digits = isbn.replace("-", "")
    if len(digits) != 13:
        return [f"An ISBN has 13 digits; this one has {len(digits)}"]
    problems = []
    if not digits.startswith(_PREFIXES):
        problems.append(f"An ISBN starts 978 or 979, not {digits[:3]}")
    expected = check_digit(digits[:12])
    if int(digits[12]) != expected:
        problems.append(
            f"The last digit (the check digit) should be {expected} for the twelve before it, "
            f"not {digits[12]}: check the ISBN for a mistyped digit"
        )
    return problems
