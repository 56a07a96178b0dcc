"""Stored text made safe for the XLSX and PDF renderings, which cannot hold every character.

openpyxl refuses C0 control characters (IllegalCharacterError: XML 1.0 cannot hold them), XML has
no place for U+FFFE, U+FFFF or a lone surrogate either, and the PDF's standard fonts draw a black
box for any of them. Tab, line feed and carriage return are ordinary text and stay.
"""

import re

# Control characters (C0 but tab, LF and CR; DEL; C1), the two non-characters, lone surrogates: a
# superset of openpyxl's ILLEGAL_CHARACTERS_RE (tests/test_worst_strings.py checks).
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Each such character as a visible escape, "\\x01" or "\\ufffe".

    Escaped rather than dropped or replaced by U+FFFD: the reader sees that something was there
    and which character it was, in ASCII that every font draws (Helvetica has no U+FFFD).
    """
    return UNPRINTABLE.sub(_escape, text)
