"""Which question, standard and score of one framework compares with which of another.

Hand-built frameworks for the edge cases (reports.comparability is pure), then the shipped files.
"""

from decimal import Decimal
from itertools import count

import pytest

from inspection.choices import QuestionKind
from inspection.framework import rating_engine as engine
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec, QuestionSpec, StandardSpec, load_framework_spec
from inspection.models import Framework
from reports.comparability import (
    DIFFERENT_SCORING,
    question_counterpart,
    scoring,
    standard_counterpart,
)

BANDS = (
    engine.Band("outstanding", Decimal(80), 3),
    engine.Band("good", Decimal(65), 2),
    engine.Band("requires_improvement", Decimal(50), 1),
    engine.Band("inadequate", Decimal(0), 0),
)
OVERALL = (engine.OverallBand("good", 0, 9),)
ids = count(1)


def spec(code, standards, *, version=1, bands=BANDS, overall=OVERALL, judged=("1.1",)):
    """A framework: {standard code: [(key question code, equivalents, prompts)]}; `judged` are
    judged standards with no questions."""
    questions, made = [], []
    for standard_code in judged:
        made.append(StandardSpec(next(ids), standard_code, "Judged", "", "1", "", True, True, ""))
    for standard_code, key_questions in standards.items():
        kqs = []
        for kq_code, equivalents, *prompts in key_questions:
            kq = QuestionSpec(
                next(ids),
                kq_code,
                kq_code,
                QuestionKind.KEY_QUESTION,
                "always",
                standard_code,
                None,
                equivalents=tuple(sorted(equivalents.items())),
            )
            kqs.append(kq)
            questions.append(kq)
            for prompt in prompts[0] if prompts else ():
                questions.append(
                    QuestionSpec(
                        next(ids), prompt, prompt, QuestionKind.PROMPT, "always", None, kq_code
                    )
                )
        made.append(
            StandardSpec(
                next(ids), standard_code, standard_code, "", "2", "", True, False, "", tuple(kqs)
            )
        )
    return FrameworkSpec(
        id=next(ids),
        code=code,
        name=code,
        standards=tuple(made),
        questions=tuple(questions),
        bands=bands,
        overall_bands=overall,
        limiting_rules=(),
        version=version,
    )


OLD = spec("fw-old", {"2.1": [("2.1.1", {}, ["2.1.1.a"]), ("2.1.2", {})], "2.2": [("2.2.1", {})]})


def test_within_one_framework_version_every_question_is_itself():
    assert question_counterpart(OLD, "2.1.2", OLD) == "2.1.2"
    assert question_counterpart(OLD, "9.9.9", OLD) is None


def test_versions_of_one_framework_keep_their_codes():
    newer = spec("fw-old", {"2.1": [("2.1.1", {}), ("2.1.2", {})]}, version=2)
    assert question_counterpart(OLD, "2.1.1", newer) == "2.1.1"
    assert question_counterpart(newer, "2.1.1", OLD) == "2.1.1"
    assert question_counterpart(OLD, "2.2.1", newer) is None  # dropped in version 2


def test_a_version_may_renumber_through_its_mapping():
    # Version 2 asks the old 2.1.1 as 2.1.9, and its own 2.1.1 is a new question.
    renumbered = spec(
        "fw-old", {"2.1": [("2.1.9", {"fw-old": "2.1.1"}), ("2.1.1", {"fw-old": "2.2.1"})]}
    )
    assert question_counterpart(OLD, "2.1.1", renumbered) == "2.1.9"
    assert question_counterpart(renumbered, "2.1.9", OLD) == "2.1.1"
    assert question_counterpart(OLD, "2.2.1", renumbered) == "2.1.1"


def test_different_frameworks_compare_only_through_a_mapping_either_way():
    new = spec("fw-new", {"3.1": [("3.1.1", {"fw-old": "2.1.2"}), ("2.1.1", {})]})
    assert question_counterpart(new, "3.1.1", OLD) == "2.1.2"  # the new file's own mapping
    assert question_counterpart(OLD, "2.1.2", new) == "3.1.1"  # read from the other file
    # The same code in another framework is not the same question.
    assert question_counterpart(new, "2.1.1", OLD) is None
    assert question_counterpart(OLD, "2.1.1", new) is None


def test_a_mapping_to_nothing_or_to_another_kind_of_question_maps_to_nothing():
    new = spec(
        "fw-new", {"3.1": [("3.1.1", {"fw-old": "9.9.9"}), ("3.1.2", {"fw-old": "2.1.1.a"})]}
    )
    assert question_counterpart(new, "3.1.1", OLD) is None
    assert question_counterpart(new, "3.1.2", OLD) is None  # a key question is not a prompt


def test_two_questions_claiming_one_is_ambiguous_so_not_comparable():
    new = spec("fw-new", {"3.1": [("3.1.1", {"fw-old": "2.2.1"}), ("3.1.2", {"fw-old": "2.2.1"})]})
    assert question_counterpart(OLD, "2.2.1", new) is None
    assert question_counterpart(new, "3.1.1", OLD) == "2.2.1"  # each one's own mapping holds


def test_a_standard_compares_when_its_key_questions_map_exactly_and_the_bands_agree():
    new = spec(
        "fw-new",
        {
            "3.1": [("3.1.1", {"fw-old": "2.1.1"}), ("3.1.2", {"fw-old": "2.1.2"})],
            "3.2": [("3.2.1", {"fw-old": "2.2.1"}), ("3.2.2", {})],
        },
    )
    assert standard_counterpart(new, "3.1", OLD) == "2.1"
    assert standard_counterpart(OLD, "2.1", new) == "3.1"
    assert standard_counterpart(new, "3.2", OLD) is None  # 3.2.2 has no equivalent
    assert standard_counterpart(OLD, "2.2", new) is None  # 2.2 is only part of 3.2
    stricter = spec(
        "fw-new",
        {"3.1": [("3.1.1", {"fw-old": "2.1.1"}), ("3.1.2", {"fw-old": "2.1.2"})]},
        bands=(engine.Band("good", Decimal(70), 2), engine.Band("inadequate", Decimal(0), 0)),
    )
    assert standard_counterpart(stricter, "3.1", OLD) is None  # same questions, other bands


def test_a_judged_standard_compares_only_within_one_framework():
    assert standard_counterpart(OLD, "1.1", spec("fw-old", {}, version=2)) == "1.1"
    assert standard_counterpart(OLD, "1.1", spec("fw-new", {})) is None
    assert standard_counterpart(OLD, "1.1", spec("fw-old", {}, judged=("1.2",))) is None


def test_scores_compare_only_with_the_same_maximum_and_bands():
    two_standards = {"2.1": [("2.1.1", {})], "2.2": [("2.2.1", {})]}
    same = spec("fw-new", two_standards)
    assert scoring(OLD, same).comparable and scoring(OLD, OLD).comparable
    fewer = spec("fw-new", {"2.1": [("2.1.1", {})]})
    verdict = scoring(OLD, fewer)
    assert not verdict.comparable
    assert verdict.reason == f"{DIFFERENT_SCORING}: fw-old scores out of 9, fw-new out of 6"
    other_overall = spec("fw-new", two_standards, overall=(engine.OverallBand("good", 0, 8),))
    assert "different bands" in scoring(OLD, other_overall).reason
    unscored = spec("fw-new", two_standards, bands=())
    assert scoring(OLD, unscored).reason == f"{DIFFERENT_SCORING}: fw-new gives no score"


@pytest.mark.django_db
def test_the_shipped_2023_framework_maps_onto_2021():
    old = load_framework_spec(Framework.objects.newest("hmip-pdu-2021"))
    new = load_framework_spec(Framework.objects.newest("hmip-pdu-2023"))
    # Assessment moved from 2.2 to 2.1; the 2023 file maps each question.
    assert question_counterpart(new, "2.1.1", old) == "2.2.1"
    assert question_counterpart(old, "2.2.1", new) == "2.1.1"
    assert question_counterpart(old, "2.2.1", new) != "2.2.1"  # 2023's 2.2.1 is planning
    assert question_counterpart(old, "2.1.1", new) is None  # court work: no key question in 2023
    assert standard_counterpart(new, "2.1", old) == "2.2"
    assert standard_counterpart(old, "2.6", new) is None  # outcomes: unrated
    assert standard_counterpart(new, "1.1", old) is None  # judged, and another framework
    verdict = scoring(old, new)
    assert (
        not verdict.comparable and "out of 27" in verdict.reason and "out of 21" in verdict.reason
    )


def test_a_line_over_time_stops_where_a_question_has_no_equivalent():
    from cases.summary import summarise_counts
    from reports.like_with_like import NOT_COMPARABLE, Matcher, lines_over_time

    new = spec("fw-new", {"3.1": [("3.1.1", {"fw-old": "2.1.2"}), ("3.1.2", {})]})
    counts = {
        "2.1.1": Count(1, 2),
        "2.1.2": Count(2, 2),
        "3.1.1": Count(3, 4),
        "3.1.2": Count(1, 4),
    }
    history = [summarise_counts(None, framework, counts, {}) for framework in (OLD, new)]
    matcher = Matcher()
    lines = lines_over_time(
        history,
        lambda f: [q for s in f.standards for q in s.key_questions],
        matcher.count,
        matcher.question,
    )
    by_code = {(line.framework.code, line.item.code): line for line in lines}
    assert by_code["fw-new", "3.1.1"].cells == (Count(2, 2), Count(3, 4))
    assert by_code["fw-new", "3.1.1"].note == ""
    assert by_code["fw-new", "3.1.2"].cells == (NOT_COMPARABLE, Count(1, 4))
    assert by_code["fw-new", "3.1.2"].note == (
        "Not comparable with earlier inspections: the framework changed from fw-old to fw-new "
        "and this question has no equivalent."
    )
    # Questions that ended with the old framework follow, each once; 2.1.2 lives on as 3.1.1.
    assert [key for key in by_code if key[0] == "fw-old"] == [
        ("fw-old", "2.1.1"),
        ("fw-old", "2.2.1"),
    ]
    assert by_code["fw-old", "2.1.1"].cells == (Count(1, 2), NOT_COMPARABLE)
    assert by_code["fw-old", "2.1.1"].note.startswith("Not comparable with later inspections")
