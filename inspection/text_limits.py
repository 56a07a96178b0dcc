"""How long each kind of text may be, and which characters no text may hold: one place for all.

Imports, forms and services check against these, so a text one path accepts never blocks a save
on another (a 1 MB note imported, then refused by every save of its section).
"""

import re

EVIDENCE_NOTE = 5_000
RECOMMENDATION = 2_000
DOMAIN1_ITEM = 1_000  # one strength or area for improvement
DOMAIN1_ITEMS = 30  # items in each of those two lists
CASE_REF = 30  # the column's max_length
REASON = 2_000  # reasons and comments

# C0 and C1 controls except tab, newline and carriage return (PostgreSQL refuses NUL in text,
# the others garble pages and CSVs), and unpaired surrogates (only JSON's \ud800 escapes make
# them; they cannot be encoded to store).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character_problem(text: str) -> str | None:
    """What is wrong with `text`'s characters, naming the first bad one; None if nothing.

    Positions count from 1, the first character.
    """
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    kind = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains {kind} (U+{code:04X}) at position {found.start() + 1}"
