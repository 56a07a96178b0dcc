"""The rating arithmetic, pure: every band edge on both sides, n/a, unscored and limiting rules."""

from decimal import Decimal

import pytest

from inspection.framework import rating_engine as engine
from inspection.framework.rating_engine import Count

BANDS = (
    engine.Band("outstanding", Decimal(80), 3),
    engine.Band("good", Decimal(65), 2),
    engine.Band("requires_improvement", Decimal(50), 1),
    engine.Band("inadequate", Decimal(0), 0),
)
OVERALL = (
    engine.OverallBand("outstanding", 23, 27),
    engine.OverallBand("good", 14, 22),
    engine.OverallBand("requires_improvement", 5, 13),
    engine.OverallBand("inadequate", 0, 4),
)
RATED = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5"]
LEADERSHIP_RULE = engine.LimitingRule(
    if_standard="2.1",
    has_rating="inadequate",
    then_standard="1.1",
    forbidden_ratings=frozenset({"good", "outstanding"}),
    description="Inadequate court work rules out Good or Outstanding for leadership.",
)


@pytest.mark.parametrize(
    ("yes", "relevant", "percent"),
    [
        (11, 21, 52),
        (4, 9, 44),
        (1, 8, 13),
        (1, 2, 50),
        (0, 5, 0),
        (5, 5, 100),
        (2, 3, 67),
        (1, 3, 33),
        (1, 200, 1),
        (1, 201, 0),
    ],
)
def test_percent_rounds_half_up(yes, relevant, percent):
    assert engine.percent_half_up(yes, relevant) == percent
    assert Count(yes, relevant).percent == percent


def test_no_relevant_cases_is_not_zero_percent():
    assert engine.percent_half_up(0, 0) is None
    assert Count(0, 0).percent is None
    assert engine.band_rating(Count(0, 0), BANDS) is None


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        Count(3, 2)
    with pytest.raises(ValueError):
        Count(-1, 2)


@pytest.mark.parametrize(
    ("yes", "relevant", "rating"),
    [
        (4, 5, "outstanding"),  # exactly 80%
        (79, 100, "good"),  # just below 80%
        (799, 1000, "good"),  # 79.9% would round to 80 but is below the band
        (13, 20, "good"),  # exactly 65%
        (129, 200, "requires_improvement"),  # 64.5% rounds to 65 but is below
        (1, 2, "requires_improvement"),  # exactly 50%
        (99, 200, "inadequate"),  # 49.5% rounds to 50 but is below
        (0, 7, "inadequate"),
        (7, 7, "outstanding"),
    ],
)
def test_band_edges_compare_the_exact_fraction(yes, relevant, rating):
    assert engine.band_rating(Count(yes, relevant), BANDS) == rating


def test_fractional_thresholds_are_exact():
    bands = (engine.Band("good", Decimal("62.5"), 2), engine.Band("inadequate", Decimal(0), 0))
    assert engine.band_rating(Count(5, 8), bands) == "good"  # exactly 62.5%
    assert engine.band_rating(Count(624, 1000), bands) == "inadequate"


def test_standard_takes_its_lowest_key_question():
    counts = {"2.2.1": Count(18, 21), "2.2.2": Count(15, 21), "2.2.3": Count(11, 21)}
    assert engine.lowest_key_question(counts) == "2.2.3"
    assert engine.standard_rating(counts, BANDS) == "requires_improvement"


def test_lowest_compares_fractions_not_rounded_percentages():
    # 2/3 (66.7%) is above 13/20 (65%): the 65% one drives the rating.
    counts = {"a": Count(2, 3), "b": Count(13, 20)}
    assert engine.lowest_key_question(counts) == "b"


def test_key_question_without_relevant_cases_is_ignored_for_the_lowest():
    counts = {"a": Count(0, 0), "b": Count(9, 10)}
    assert engine.lowest_key_question(counts) == "b"
    assert engine.standard_rating(counts, BANDS) == "outstanding"


def test_standard_with_no_relevant_cases_has_no_rating():
    assert engine.standard_rating({"2.1.1": Count(0, 0)}, BANDS) is None
    assert engine.standard_rating({}, BANDS) is None


def test_reference_score_and_overall_rating():
    ratings = {
        "1.1": "requires_improvement",
        "1.2": "good",
        "1.3": "requires_improvement",
        "1.4": "requires_improvement",
        "2.1": "inadequate",
        "2.2": "requires_improvement",
        "2.3": "good",
        "2.4": "requires_improvement",
        "2.5": "requires_improvement",
        "2.6": None,  # outcomes: never scored, so its missing rating does not matter
    }
    total = engine.score(ratings, RATED, BANDS)
    assert total == 10
    assert engine.max_score(RATED, BANDS) == 27
    assert engine.overall_rating(total, OVERALL) == "requires_improvement"


def test_unscored_standard_changes_nothing():
    ratings = dict.fromkeys(RATED, "good")
    assert engine.score({**ratings, "2.6": "inadequate"}, RATED, BANDS) == 18
    assert engine.score({**ratings, "2.6": "outstanding"}, RATED, BANDS) == 18


def test_score_is_null_while_a_rated_standard_is_unrated():
    ratings = dict.fromkeys(RATED, "good")
    ratings["1.3"] = None
    assert engine.score(ratings, RATED, BANDS) is None
    assert engine.overall_rating(None, OVERALL) is None
    del ratings["1.3"]
    assert engine.score(ratings, RATED, BANDS) is None


@pytest.mark.parametrize(
    ("total", "overall"),
    [
        (0, "inadequate"),  # published results: 0, 2 and 3 were Inadequate, 10 RI
        (2, "inadequate"),
        (3, "inadequate"),
        (4, "inadequate"),
        (5, "requires_improvement"),
        (10, "requires_improvement"),
        (13, "requires_improvement"),
        (14, "good"),
        (22, "good"),
        (23, "outstanding"),
        (27, "outstanding"),
    ],
)
def test_overall_band_edges(total, overall):
    assert engine.overall_rating(total, OVERALL) == overall


def test_limiting_rule_refuses_good_leadership_with_inadequate_court_work():
    for leadership in ("good", "outstanding"):
        breaches = engine.limiting_rule_breaches(
            {"2.1": "inadequate", "1.1": leadership}, [LEADERSHIP_RULE]
        )
        assert [b.rating for b in breaches] == [leadership]
        assert "1.1 cannot be rated" in breaches[0].message


def test_limiting_rule_allows_what_it_does_not_forbid():
    rules = [LEADERSHIP_RULE]
    assert not engine.limiting_rule_breaches(
        {"2.1": "inadequate", "1.1": "requires_improvement"}, rules
    )
    assert not engine.limiting_rule_breaches(
        {"2.1": "requires_improvement", "1.1": "outstanding"}, rules
    )
    assert not engine.limiting_rule_breaches({"2.1": None, "1.1": "good"}, rules)
