"""Blind double marking as tests set it up: three inspectors sharing the cases, and second
markings that agree with the first marker or differ on the first key question."""

from cases.double_marking import save_second_marks
from cases.models import Answer, SecondMarking
from cases.qa import key_questions_to_review
from tests.case_helpers import team_member


def team_of_three(inspection) -> list:
    """Three inspectors, the cases assigned in turn by reference (7 each of the reference 21)."""
    people = [
        team_member(inspection, "ines", "Ines", "Inspector"),
        team_member(inspection, "ivan", "Ivan", "Inspector"),
        team_member(inspection, "iris", "Iris", "Inspector"),
    ]
    for i, case in enumerate(inspection.cases.order_by("ref")):
        case.assigned_inspector = people[i % 3]
        case.save(update_fields=["assigned_inspector"])
    return people


def second_mark(marking: SecondMarking, differ_on_first: bool = False) -> dict[str, str]:
    """Submit the second marking: the first marker's answer to each key question, or on the
    first key question the opposite; returns the second marks."""
    firsts = dict(Answer.objects.filter(case=marking.case).values_list("question__code", "value"))
    seconds = {q.code: firsts[q.code] for q in key_questions_to_review(marking.case)}
    if differ_on_first:
        code = next(iter(seconds))
        seconds[code] = "no" if firsts[code] == "yes" else "yes"
    save_second_marks(marking, seconds, marking.marker, submit=True)
    return seconds


def seconds_of(marking: SecondMarking) -> dict[str, str]:
    return dict(marking.answers.values_list("question__code", "value"))
