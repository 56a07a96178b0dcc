"""The path converter for a URL's free-text part (a standard's or question's code, a part of the
report, a list): printable text only.

Django's `str` takes any character but '/', so `/report/questions/%00/` reached the view with a
NUL, which PostgreSQL cannot even be asked about (a 500). A code never holds a control
character, so a path holding one names nothing: `text` refuses it and the URL answers 404 before
any view runs. Every URL with a free-text part uses it (tests/test_url_paths.py checks).
"""

from django.urls import register_converter
from django.urls.converters import StringConverter

# Unicode's control characters (C0, DEL and C1), as inspection/input_rules.py refuses in text.
PRINTABLE = r"[^/\x00-\x1f\x7f-\x9f]+"


class TextConverter(StringConverter):
    regex = PRINTABLE


register_converter(TextConverter, "text")
