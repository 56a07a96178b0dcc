"""A bundle file's bytes into JSON, refusing what would fail later without saying why: too big,
not UTF-8, nested deep enough to exhaust the parser, or not JSON."""

import codecs
import json
import re

from .validation import BundleError

MAX_BYTES = 20_000_000  # 20 MB: a whole inspection's cases with full evidence notes fits
# A bundle nests 4 deep (bundle > cases > case > answers); json.loads recurses once per level
# and raises RecursionError near 1,000.
MAX_DEPTH = 20

_BRACKET_OR_QUOTE = re.compile(r'[\[\]{}"]')
# The rest of a string after its opening quote: each part either plain or one escaped character,
# so a failed match costs one pass, not a backtracking storm.
_REST_OF_STRING = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def read_bundle(raw: bytes):
    """The parsed JSON, or BundleError with the one reason it cannot be read."""
    if len(raw) > MAX_BYTES:
        raise BundleError(
            [f"bundle: more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES // 1_000_000} MB"]
        )
    body = raw.removeprefix(codecs.BOM_UTF8)  # some editors write one
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + len(raw) - len(body)
        raise BundleError(
            [
                f"bundle: not UTF-8 text: the byte at offset {offset:,} "
                f"(0x{raw[offset]:02x}) cannot be decoded ({error.reason})"
            ]
        ) from error
    too_deep = _deeper_than(text, MAX_DEPTH)
    if too_deep is not None:
        line = text.count("\n", 0, too_deep) + 1
        column = too_deep - (text.rfind("\n", 0, too_deep) + 1) + 1
        raise BundleError(
            [
                f"bundle: objects and lists nested more than {MAX_DEPTH} deep "
                f"(line {line}, column {column})"
            ]
        )
    try:
        return json.loads(text)
    except ValueError as error:  # JSONDecodeError, or an integer of over 4,300 digits
        raise BundleError([f"bundle: not valid JSON ({error})"]) from error


def _deeper_than(text: str, limit: int) -> int | None:
    """Where objects and lists first nest deeper than `limit` (an offset into `text`), or None.

    Brackets inside strings do not count; a string left open stops the count (json.loads then
    says where it is).
    """
    depth, position = 0, 0
    while found := _BRACKET_OR_QUOTE.search(text, position):
        char, position = found.group(), found.end()
        if char == '"':
            rest = _REST_OF_STRING.match(text, position)
            if rest is None:
                return None
            position = rest.end()
        elif char in "[{":
            depth += 1
            if depth > limit:
                return found.start()
        else:
            depth -= 1
    return None
