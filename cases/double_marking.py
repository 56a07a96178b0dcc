"""Blind double marking: the lead draws a reliability sample, a second inspector answers each
sampled case's key questions without seeing the first marker's, the pairs give agreement
figures (cases/agreement.py), and the lead reconciles where they differ. Second marks never
count in a rating: they live apart from answers, in SecondAnswer.

The draw, documented so anyone can repeat it from the stored seed: the eligible cases are those
with a first marker (an assigned inspector) and at least one other team member who could mark
them second (the team less the lead and admins, who see everything). The sample's size is the
share of them rounded up, at least MIN_SIZE. It is spread across first markers in proportion to
their eligible cases by largest remainder (cases.sampling); each first marker's cases, in
reference order, are shuffled by random.Random("SEED:USERNAME") and the first ones taken. Then,
in reference order, each case goes to the candidate second marker with fewest cases so far,
ties broken by one shuffle of the team (in username order) by random.Random(SEED). Usernames, not
row ids: the same team, cases and seed draw the same on any database.
"""

import hashlib
import math
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from inspection import audit
from inspection import input_rules as rules
from inspection.choices import AnswerValue, AuditKind
from inspection.published import lock_for_edit

from . import agreement
from .blinding import unblind_if_both_done
from .models import Answer, ReliabilitySample, SecondAnswer, SecondMarking
from .qa import key_questions_to_review
from .sampling import largest_remainder, new_seed
from .saving import Submitted, save_answers
from .workflow import lock_case

DEFAULT_SHARE, MIN_SIZE = 20, 3
CATEGORIES = [AnswerValue.YES, AnswerValue.NO, AnswerValue.NOT_APPLICABLE]
RECONCILED = "Reconciled after double marking"
RECONCILE_NOTE_MAX = rules.REASON_MAX - len(RECONCILED) - 2  # the audit reason holds both


class DoubleMarkingRefused(Exception):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems  # {field name: message}
        super().__init__("; ".join(problems.values()))


def second_markers(inspection) -> list:
    """Who may mark second: active team members other than the lead and admins, by username
    (sorted here, not by the database, whose collation may differ from another's)."""
    people = inspection.team.filter(is_active=True, is_superuser=False).exclude(
        pk=inspection.lead_inspector_id
    )
    return sorted(people, key=lambda user: user.get_username())


@dataclass(frozen=True)
class PlannedMarking:
    case: object  # Case
    first_marker_id: int
    marker: object  # the second marker, a user


@dataclass(frozen=True)
class Plan:
    """What a draw with this share and seed gives now: the lead sees it before it is written."""

    share_percent: int
    seed: int
    eligible: int  # cases that could be double marked
    markings: list[PlannedMarking]

    @property
    def digest(self) -> str:
        """Names the draw: confirming a preview writes it only if the draw is still the same."""
        text = ";".join(f"{m.case.pk}:{m.marker.pk}" for m in self.markings)
        return hashlib.sha256(f"{self.share_percent}:{self.seed}:{text}".encode()).hexdigest()


def plan_reliability_sample(inspection, share_percent: int, seed: int | None = None) -> Plan:
    """The draw (module docstring) as it would be made now, written nowhere."""
    if not 1 <= share_percent <= 100:
        raise DoubleMarkingRefused({"share_percent": "Enter a share between 1 and 100 percent"})
    seed = new_seed() if seed is None else seed
    if ReliabilitySample.objects.filter(inspection=inspection).exists():
        raise DoubleMarkingRefused(
            {"share_percent": "A reliability sample is already drawn for this inspection"}
        )
    markers = second_markers(inspection)
    ids = {m.pk for m in markers}
    cases = sorted(
        (
            c
            for c in inspection.cases.filter(assigned_inspector__isnull=False).select_related(
                "assigned_inspector"
            )
            if ids - {c.assigned_inspector_id}
        ),
        key=lambda c: c.ref,  # in Python: the same order on any database
    )
    if len(cases) < MIN_SIZE:
        raise DoubleMarkingRefused(
            {
                "share_percent": (
                    f"Double marking needs at least {MIN_SIZE} cases assigned to inspectors, "
                    "each with another inspector on the team to mark it second; "
                    f"this inspection has {len(cases)}"
                )
            }
        )
    size = min(len(cases), max(MIN_SIZE, math.ceil(len(cases) * share_percent / 100)))
    order = markers[:]
    random.Random(seed).shuffle(order)
    load = Counter()
    planned = []
    for case in sorted(_spread(cases, size, seed), key=lambda c: c.ref):
        second = min(
            (m for m in order if m.pk != case.assigned_inspector_id),
            key=lambda m: (load[m.pk], order.index(m)),
        )
        load[second.pk] += 1
        planned.append(PlannedMarking(case, case.assigned_inspector_id, second))
    return Plan(share_percent, seed, len(cases), planned)


def draw_reliability_sample(
    inspection, share_percent: int, by, seed: int | None = None, previewed: str | None = None
):
    """Draw and store the sample. `previewed`: the digest of the plan the lead saw; the draw is
    refused if it would now differ (the team or the cases changed since)."""
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        plan = plan_reliability_sample(inspection, share_percent, seed)
        if previewed is not None and previewed != plan.digest:
            raise DoubleMarkingRefused(
                {
                    "share_percent": (
                        "The team or its cases changed since you saw the draw: check it again"
                    )
                }
            )
        sample = ReliabilitySample.objects.create(
            inspection=inspection, share_percent=share_percent, seed=plan.seed, drawn_by=by
        )
        for planned in plan.markings:
            SecondMarking.objects.create(
                sample=sample,
                case=planned.case,
                marker=planned.marker,
                first_marker_id=planned.first_marker_id,
            )
        audit.record(
            inspection.pk,
            AuditKind.DOUBLE_MARKING,
            by=by,
            subject="Reliability sample",
            new=f"{share_percent}% drawn: {len(plan.markings)} of {plan.eligible} cases",
            reason=f"Seed {plan.seed}",
        )
    return sample


def _spread(cases, size: int, seed: int) -> list:
    """`size` cases spread across first markers by largest remainder, random within each."""
    by_marker: dict[str, list] = {}
    for case in cases:
        by_marker.setdefault(case.assigned_inspector.get_username(), []).append(case)
    quotas = largest_remainder({m: len(cs) for m, cs in by_marker.items()}, size)
    chosen = []
    for marker, its_cases in sorted(by_marker.items()):
        shuffled = its_cases[:]
        random.Random(f"{seed}:{marker}").shuffle(shuffled)
        chosen += shuffled[: quotas[marker]]
    return chosen


def change_second_marker(marking: SecondMarking, marker, by) -> None:
    """Give a second marking not yet submitted to another inspector (the first left the team,
    or is away): one the draw could have chosen, not the case's first marker. What the first
    second marker saved is theirs, not the new one's: it goes."""
    eligible = {m.pk for m in second_markers(marking.case.inspection)}
    with transaction.atomic():
        case = lock_case(marking.case)
        locked = SecondMarking.objects.select_for_update().get(pk=marking.pk)
        if locked.submitted_at is not None:
            raise DoubleMarkingRefused(
                {"marker": "This second marking is submitted: it stays with who made it"}
            )
        if marker is None or marker.pk not in eligible:
            raise DoubleMarkingRefused(
                {"marker": "Choose an inspector on the team (not the lead) to mark it second"}
            )
        if marker.pk == case.assigned_inspector_id:
            raise DoubleMarkingRefused(
                {"marker": f"{audit.name_of(marker)} is case {case.ref}'s first marker"}
            )
        if marker.pk == locked.marker_id:
            return
        before = locked.marker
        locked.answers.all().delete()
        locked.marker = marking.marker = marker
        locked.save(update_fields=["marker"])
        audit.record(
            case.inspection_id,
            AuditKind.DOUBLE_MARKING,
            by=by,
            subject=f"Second marker of {case.ref}",
            old=audit.name_of(before),
            new=audit.name_of(marker),
        )


def save_second_marks(marking: SecondMarking, values: dict[str, str], by, *, submit=False) -> None:
    """Store the second marker's answers (key question code -> yes, no or na); with `submit`,
    every key question must be answered, and the marking is done for good."""
    if by.pk != marking.marker_id:
        raise DoubleMarkingRefused({"__all__": "Only the case's second marker marks it second"})
    questions = key_questions_to_review(marking.case)
    wrong = {
        q.code: f"Choose yes, no or not applicable for {q.code}"
        for q in questions
        if values.get(q.code, "") not in ("", *AnswerValue.values)
    }
    if submit:
        wrong |= {
            q.code: f"Answer {q.code} before submitting"
            for q in questions
            if not values.get(q.code) and q.code not in wrong
        }
    if wrong:
        raise DoubleMarkingRefused(wrong)
    with transaction.atomic():
        case = lock_case(marking.case)
        locked = SecondMarking.objects.select_for_update().get(pk=marking.pk)
        if by.pk != locked.marker_id:  # given to someone else since the check above
            raise DoubleMarkingRefused({"__all__": "Only the case's second marker marks it second"})
        if locked.submitted_at is not None:
            raise DoubleMarkingRefused({"__all__": "This second marking is already submitted"})
        # A draft's rows for key questions that no longer apply (the case's details changed)
        # go: the marking holds the case's key questions as they are now.
        locked.answers.exclude(question_id__in=[q.id for q in questions]).delete()
        stored = {a.question_id: a for a in locked.answers.all()}
        for q in questions:
            value = values.get(q.code, "")
            if q.id in stored:
                stored[q.id].value = value
            else:
                stored[q.id] = SecondAnswer.objects.create(
                    marking=locked, question_id=q.id, value=value
                )
        SecondAnswer.objects.bulk_update(stored.values(), ["value"])
        if submit:
            locked.submitted_at = marking.submitted_at = timezone.now()
            locked.save(update_fields=["submitted_at"])
        # Off the case's own history (its first marker reads that) until both are done.
        audit.record(
            case.inspection_id,
            AuditKind.DOUBLE_MARKING,
            by=by,
            subject=f"Second marking of {case.ref}",
            new="Submitted" if submit else "Saved",
        )
        if submit:
            unblind_if_both_done(case, by)


@dataclass(frozen=True)
class Pair:
    question_id: int
    code: str
    text: str
    first: str
    second: str
    agreed: str

    @property
    def differs(self) -> bool:
        return self.first != self.second


def pairs_of(marking: SecondMarking) -> list[Pair]:
    """The case's key questions, each with both markers' answers (once both are done)."""
    return [
        Pair(
            a.question_id, a.question.code, a.question.text, a.first_value, a.value, a.agreed_value
        )
        for a in marking.answers.select_related("question").order_by("question__order")
    ]


def reconcile(marking: SecondMarking, agreed: dict[str, str], by, note: str = "") -> int:
    """Record the answer the markers agreed for each key question where they differed; where the
    agreed answer is not the case's, it goes through the versioned save, audited as reconciled.
    Returns how many of the case's answers changed."""
    if marking.unblinded_at is None:
        raise DoubleMarkingRefused({"__all__": "Both markers must be done before reconciling"})
    if marking.reconciled_at is not None:
        raise DoubleMarkingRefused({"__all__": "This case is already reconciled"})
    pairs = pairs_of(marking)
    missing = {
        p.code: f"Choose the agreed answer for {p.code}"
        for p in pairs
        if p.differs and agreed.get(p.code) not in AnswerValue.values
    }
    if missing:
        raise DoubleMarkingRefused(missing)
    with transaction.atomic():
        case = lock_case(marking.case)
        if SecondMarking.objects.select_for_update().get(pk=marking.pk).reconciled_at:
            raise DoubleMarkingRefused({"__all__": "This case is already reconciled"})
        current = {a.question_id: a for a in Answer.objects.filter(case=case)}
        final = {p.question_id: agreed[p.code] if p.differs else p.second for p in pairs}
        # Only where the markers differed: where they agreed, the case's answer stands as it is
        # now (a correction made since, after QA returned the case, is not undone).
        changes = [
            Submitted(
                question_id=p.question_id,
                code=p.code,
                value=final[p.question_id],
                note=None,
                version=current[p.question_id].version if p.question_id in current else 1,
                loaded_value=current[p.question_id].value if p.question_id in current else "",
                loaded_note_digest=None,
            )
            for p in pairs
            if p.differs
            and final[p.question_id]
            != (current[p.question_id].value if p.question_id in current else "")
        ]
        reason = RECONCILED + (f": {note.strip()}" if note.strip() else "")
        result = save_answers(case, changes, by, reason=reason)
        if result.conflicts:
            raise DoubleMarkingRefused(
                {"__all__": "The case's answers changed meanwhile: reload and reconcile again"}
            )
        rows = list(SecondAnswer.objects.filter(marking=marking))
        for row in rows:
            row.agreed_value = final[row.question_id]
        SecondAnswer.objects.bulk_update(rows, ["agreed_value"])
        marking.reconciled_at, marking.reconciled_by = timezone.now(), by
        marking.save(update_fields=["reconciled_at", "reconciled_by"])
        audit.record(
            case.inspection_id,
            AuditKind.DOUBLE_MARKING,
            by=by,
            case=case,
            subject="Reconciliation",
            new=f"{sum(p.differs for p in pairs)} answers differed; {len(result.saved)} changed",
            reason=reason,
        )
    return len(result.saved)


def inspection_pairs(inspection) -> dict[str, list[tuple[str, str]]]:
    """Every key question's (first, second) answers over the inspection's markings both markers
    have done (an answer left blank by either is not a pair)."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    rows = SecondAnswer.objects.filter(
        marking__sample__inspection=inspection, marking__unblinded_at__isnull=False
    ).values_list("question__code", "first_value", "value")
    for code, first, second in rows:
        if first and second:
            pairs.setdefault(code, []).append((first, second))
    return pairs


def weak_below(inspection) -> float:
    return float(inspection.framework.agreement_weak_below)


def inspection_agreement(inspection) -> list[agreement.QuestionAgreement]:
    """Each key question's agreement, then all pooled (code ""): the figures every rendering of
    an inspection's reliability (page, command) shows."""
    return agreement.by_question(
        inspection_pairs(inspection), CATEGORIES, weak_below=weak_below(inspection)
    )


def _coefficient(value: agreement.Coefficient | None) -> dict | None:
    if value is None:
        return None
    return {"value": value.value, "se": value.se, "low": value.low, "high": value.high}


def reliability_summary(inspection) -> dict:
    """The inspection's double marking as data (`manage.py reliability_summary`): the draw, where
    each marking is, and the agreement figures the page shows."""
    sample = ReliabilitySample.objects.filter(inspection=inspection).first()
    if sample is None:
        return {"inspection": inspection.pk, "sample": None, "markings": [], "agreement": []}
    markings = sample.markings.select_related("case", "marker", "first_marker")
    return {
        "inspection": inspection.pk,
        "sample": {
            "share_percent": sample.share_percent,
            "seed": sample.seed,
            "drawn_at": sample.drawn_at.isoformat(),
            "cases": len(markings),
        },
        "weak_below": weak_below(inspection),
        "markings": [
            {
                "case": m.case.ref,
                # None: a marking carried in a bundle names nobody on this system.
                "first_marker": m.first_marker.get_username() if m.first_marker else None,
                "second_marker": m.marker.get_username() if m.marker else None,
                "submitted": m.submitted_at is not None,
                "both_done": m.unblinded_at is not None,
                "reconciled": m.reconciled_at is not None,
            }
            for m in markings
        ],
        "agreement": [
            {
                "key_question": row.code or "all",
                "pairs": row.pairs,
                "observed": row.observed,
                "kappa": _coefficient(row.kappa),
                "ac1": _coefficient(row.ac1),
                "weak": row.weak,
            }
            for row in inspection_agreement(inspection)
        ],
    }
