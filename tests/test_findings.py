"""Findings sentences in the published report's style, from a prompt's wording and count."""

import pytest

from inspection.framework.rating_engine import Count
from reports.findings import Wording, finding_sentence, rating_sentence

SAFEGUARDING = Wording("Child safeguarding information sharing", "took place", "did not take place")


def test_the_reports_own_sentence_both_ways():
    count = Count(8, 17)
    expected = "Child safeguarding information sharing did not take place in 9 out of 17 relevant"
    assert finding_sentence(SAFEGUARDING, count, negative=True) == f"{expected} cases."
    assert (
        finding_sentence(SAFEGUARDING, count, negative=False)
        == "Child safeguarding information sharing took place in 8 out of 17 relevant cases."
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (Count(8, 17), "did not take place in 9 out of 17"),  # fewer than half: lead with the gap
        (Count(14, 18), "took place in 14 out of 18"),
        (Count(10, 20), "took place in 10 out of 20"),  # exactly half is not a majority failing
        (Count(0, 3), "did not take place in 3 out of 3"),
    ],
)
def test_by_default_the_failing_cases_lead_when_fewer_than_half_passed(count, expected):
    assert expected in finding_sentence(SAFEGUARDING, count)


def test_no_relevant_cases_says_so_instead_of_a_count():
    assert (
        finding_sentence(SAFEGUARDING, Count(0, 0))
        == "Child safeguarding information sharing: none of the cases inspected was relevant."
    )
    framework_wording = Wording.from_prompt("Home visit undertaken where necessary")
    assert (
        finding_sentence(framework_wording, Count(0, 0))
        == "Home visit undertaken where necessary: none of the cases inspected was relevant."
    )


def test_one_relevant_case_is_singular():
    assert finding_sentence(SAFEGUARDING, Count(1, 1)) == (
        "Child safeguarding information sharing took place in 1 out of 1 relevant case."
    )


def test_framework_wording_reads_as_a_criterion_met_or_not():
    wording = Wording.from_prompt("Formal review completed where required.")
    assert finding_sentence(wording, Count(14, 18)) == (
        "Formal review completed where required: met in 14 out of 18 relevant cases."
    )
    wording = Wording.from_prompt(
        "Child safeguarding information shared or obtained where relevant"
    )
    assert finding_sentence(wording, Count(8, 17)) == (
        "Child safeguarding information shared or obtained where relevant: "
        "not met in 9 out of 17 relevant cases."
    )


def test_rating_sentence_names_the_lowest_key_question():
    assert rating_sentence(
        "Blackburn with Darwen PDU", "Assessment", "Requires improvement", Count(11, 21), 3
    ) == (
        "Blackburn with Darwen PDU is rated as 'Requires improvement' for assessment as the "
        "lowest score of the three questions was 52 per cent."
    )
    assert rating_sentence(
        "Blackburn with Darwen PDU", "Court work", "Inadequate", Count(4, 9), 1
    ) == (
        "Blackburn with Darwen PDU is rated as 'Inadequate' for court work as its key question "
        "scored 44 per cent."
    )


def test_rating_sentence_without_relevant_cases():
    assert rating_sentence("X PDU", "Court work", "", Count(0, 0), 1) == (
        "Court work cannot be rated yet: no relevant cases have been answered."
    )
