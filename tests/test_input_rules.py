"""The one validation layer for text and numbers (inspection/input_rules.py), without a database.
The pages that use it are tried with hostile input in tests/test_hostile_input.py."""

import time

import pytest
from django.core.exceptions import ValidationError

from cases.models import Answer, DipSample
from inspection import input_rules as rules
from inspection.models import Recommendation


def refusal(field, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


def test_free_text_refuses_every_control_character_but_tab_and_line_breaks():
    field = rules.FreeTextField(what="the note", max_length=100, strip=False)
    controls = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
    for character in controls:
        if character in "\t\n\r":
            assert field.clean(f"a{character}b") in ("a\tb", "a\nb")
        else:
            assert refusal(field, f"ab{character}") == [
                f"The note contains a control character (U+{ord(character):04X}) at position 3: "
                "remove it"
            ]
    # Printable text of any script is text.
    text = "² ½ ٣ עברית 😀 \u00a0 \u200b"
    assert field.clean(text) == text


def test_free_text_normalises_line_endings_and_counts_a_break_as_one():
    field = rules.FreeTextField(what="the note", max_length=5, strip=False)
    assert field.clean("a\r\nb\rc") == "a\nb\nc"
    assert field.clean("a\r\nb\r\nc") == "a\nb\nc"  # 7 as sent, 5 as the page counts
    assert refusal(field, "abcdef") == ["The note must be 5 characters or fewer (it has 6)"]


def test_free_text_says_everything_that_is_wrong():
    field = rules.FreeTextField(what="the note", max_length=5)
    assert refusal(field, "\x00" * 6) == [
        "The note contains a control character (U+0000) at position 1: remove it",
        "The note must be 5 characters or fewer (it has 6)",
    ]


def test_a_million_characters_are_checked_quickly():
    field = rules.FreeTextField(what="the note", max_length=rules.EVIDENCE_NOTE_MAX)
    started = time.perf_counter()
    assert refusal(field, "x" * 10**6 + "\x00") == [
        "The note contains a control character (U+0000) at position 1,000,001: remove it",
        "The note must be 5,000 characters or fewer (it has 1,000,001)",
    ]
    assert time.perf_counter() - started < 1


def test_lines_are_items_each_bounded_and_counted():
    field = rules.LinesField(
        what="strengths", item="strength", max_items=3, max_length=10, required=False
    )
    assert field.clean(" One \r\n\r\nTwo\n") == ["One", "Two"]
    assert field.clean("") == []
    assert refusal(field, "One\nTwo\nThree\nFour") == [
        "Give at most 3 strengths (there are 4): combine or remove some"
    ]
    assert refusal(field, "One\n\nA long strength") == [
        "Strength 2 must be 10 characters or fewer (it has 15)"
    ]
    assert field.clean("One\ttwo") == ["One\ttwo"]  # pasted tabs are kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("²", "The share must be a whole number, in the digits 0 to 9"),
        ("٣", "The share must be a whole number, in the digits 0 to 9"),  # int() takes it
        ("1.5", "The share must be a whole number, in the digits 0 to 9"),
        ("1e2", "The share must be a whole number, in the digits 0 to 9"),
        ("+5", "The share must be a whole number, in the digits 0 to 9"),
        ("0", "The share must be 1 or more"),
        ("-3", "The share must be 1 or more"),
        ("101", "The share must be 100 or less"),
        ("9" * 10**6, "The share must be 100 or less"),
        ("-" + "9" * 10**6, "The share must be 1 or more"),
    ],
)
def test_whole_numbers_are_ascii_digits_within_range(typed, message):
    field = rules.WholeNumberField(what="the share", minimum=1, maximum=100)
    assert refusal(field, typed) == [message]


def test_whole_numbers_that_are_fine():
    field = rules.WholeNumberField(what="the share", minimum=1, maximum=100, required=False)
    assert [field.clean(typed) for typed in (" 20 ", "007", "100", "")] == [20, 7, 100, None]


def test_integer_fields_take_the_range_of_their_column():
    assert rules.column_range(DipSample, "share_percent") == (0, 32767)
    assert rules.column_range(Answer, "version") == (0, 2147483647)
    share = rules.whole_number_for(DipSample, "share_percent", what="the share", minimum=1)
    assert (share.minimum, share.maximum) == (1, 32767)
    order = rules.whole_number_for(Recommendation, "order", what="the order", maximum=10**9)
    assert (order.minimum, order.maximum) == (0, 32767)  # never past what the column holds
