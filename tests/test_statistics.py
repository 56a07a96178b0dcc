"""The Wilson score interval against values worked out independently."""

import math

import pytest

from reports.statistics import Z_95, Interval, wilson_interval


def test_eleven_of_twenty_one():
    interval = wilson_interval(11, 21)
    assert interval.lower == pytest.approx(0.3237, abs=5e-4)
    assert interval.upper == pytest.approx(0.7166, abs=5e-4)
    assert str(interval) == "32% to 72%"


@pytest.mark.parametrize(
    ("yes", "relevant", "lower", "upper"),
    [
        (4, 9, 0.1888, 0.7333),  # court work in the reference inspection
        (8, 17, 0.2617, 0.6904),  # child safeguarding information sharing
        (18, 21, 0.6537, 0.9502),
        (1, 2, 0.0945, 0.9055),
    ],
)
def test_known_values(yes, relevant, lower, upper):
    interval = wilson_interval(yes, relevant)
    assert interval.lower == pytest.approx(lower, abs=5e-4)
    assert interval.upper == pytest.approx(upper, abs=5e-4)


def test_none_yes_and_all_yes_stay_inside_zero_to_one():
    n = 5
    z2 = Z_95**2
    assert wilson_interval(0, n) == Interval(0.0, pytest.approx(z2 / (n + z2)))
    assert wilson_interval(n, n) == Interval(pytest.approx(n / (n + z2)), 1.0)


def test_no_relevant_cases_has_no_interval():
    assert wilson_interval(0, 0) is None


def test_symmetric_in_yes_and_no():
    for relevant in range(1, 30):
        for yes in range(relevant + 1):
            interval, mirror = (
                wilson_interval(yes, relevant),
                wilson_interval(relevant - yes, relevant),
            )
            assert interval.lower == pytest.approx(1 - mirror.upper)
            assert 0 <= interval.lower <= yes / relevant <= interval.upper <= 1


def test_narrows_as_the_sample_grows():
    widths = [wilson_interval(n // 2, n) for n in (10, 20, 40, 80)]
    spans = [i.upper - i.lower for i in widths]
    assert spans == sorted(spans, reverse=True)


def test_a_lower_confidence_level_is_narrower():
    ninety = wilson_interval(11, 21, z=1.6449)
    ninety_five = wilson_interval(11, 21)
    assert ninety.lower > ninety_five.lower and ninety.upper < ninety_five.upper


@pytest.mark.parametrize(("yes", "relevant"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(yes, relevant):
    with pytest.raises(ValueError):
        wilson_interval(yes, relevant)


def test_percent_bounds_round_half_up():
    assert Interval(0.125, 0.875).lower_percent == 13
    assert Interval(0.125, 0.875).upper_percent == 88
    assert math.isclose(Interval(0.0, 1.0).upper, 1.0)
