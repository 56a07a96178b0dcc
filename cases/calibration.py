"""Calibration across inspections, from blind double marking: how often each inspector's own
answer was the one agreed at reconciliation (as first or second marker), inspection by
inspection in fieldwork order; and each key question's agreement between markers in each
inspection (Gwet's AC1, cases/agreement.py), so a question judged inconsistently everywhere
stands out from one inspection's bad day."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from inspection.audit import name_of

from . import agreement
from .double_marking import CATEGORIES
from .models import SecondAnswer


@dataclass(frozen=True)
class InspectorInspection:
    inspection_id: int
    inspection: str
    judgements: int  # answers of theirs compared with a reconciled one
    agreeing: int

    @property
    def share(self) -> float:
        return self.agreeing / self.judgements if self.judgements else 0.0


@dataclass(frozen=True)
class QuestionInspection:
    inspection_id: int
    inspection: str
    pairs: int
    ac1: agreement.Coefficient | None
    weak: bool  # the interval of AC1 reaches below the inspection's framework's threshold


def _rows(inspections):
    return (
        SecondAnswer.objects.filter(
            marking__case__inspection__in=inspections, marking__unblinded_at__isnull=False
        )
        .exclude(first_value="")
        .exclude(value="")
        .order_by("marking__case__inspection__fieldwork_start", "marking__case__inspection_id")
        .values_list(
            "marking__case__inspection_id",
            "marking__case__inspection__fieldwork_start",
            "marking__case__inspection__framework__code",
            "question__code",
            "marking__first_marker_id",
            "marking__marker_id",
            "first_value",
            "value",
            "agreed_value",
        )
    )


def _names(ids) -> dict[int, str]:
    """Each inspector as pages name them (full name, else username), with the username too where
    two share a name, so their figures stay apart."""
    users = list(get_user_model().objects.filter(pk__in=ids))
    shown = {user.pk: name_of(user) for user in users}
    twice = {name for name in shown.values() if list(shown.values()).count(name) > 1}
    return {
        user.pk: f"{shown[user.pk]} ({user.get_username()})"
        if shown[user.pk] in twice
        else shown[user.pk]
        for user in users
    }


def calibration(inspections) -> tuple[dict, dict]:
    """({inspector's name: [InspectorInspection, ...]}, {(framework code, key question
    code): [QuestionInspection, ...]}), each list in fieldwork order, over every marking both
    markers have done. An inspector's answer is compared with the agreed one: where the markers
    gave the same answer, that one (it needs no reconciling); where they differed, the answer
    agreed at reconciliation (left out until then)."""
    inspections = list(inspections.select_related("framework", "pdu", "region"))
    names = {i.pk: str(i) for i in inspections}
    thresholds = {i.pk: float(i.framework.agreement_weak_below) for i in inspections}
    judged: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    pairs: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    order: list[int] = []
    for inspection_id, _, framework, code, first_by, second_by, first, second, agreed in _rows(
        inspections
    ):
        if inspection_id not in order:
            order.append(inspection_id)
        pairs[(framework, code)][inspection_id].append((first, second))
        agreed = agreed or (first if first == second else "")
        if agreed:
            for person, value in ((first_by, first), (second_by, second)):
                if person is None:  # a marking carried in a bundle names nobody here
                    continue
                tally = judged[(person, inspection_id)]
                tally[0] += 1
                tally[1] += value == agreed
    people = _names({person for person, _ in judged})
    inspectors: dict[str, list[InspectorInspection]] = defaultdict(list)
    in_fieldwork_order = sorted(judged.items(), key=lambda item: order.index(item[0][1]))
    for (person, pk), (count, agreeing) in in_fieldwork_order:
        inspectors[people[person]].append(InspectorInspection(pk, names[pk], count, agreeing))
    questions = {
        key: [
            _question(pk, names[pk], by_inspection[pk], thresholds[pk])
            for pk in order
            if pk in by_inspection
        ]
        for key, by_inspection in sorted(pairs.items())
    }
    return dict(sorted(inspectors.items())), questions


def _question(pk: int, name: str, its_pairs: list, weak_below: float) -> QuestionInspection:
    (row,) = [r for r in agreement.by_question({"q": its_pairs}, CATEGORIES, weak_below) if r.code]
    return QuestionInspection(pk, name, row.pairs, row.ac1, row.weak)
