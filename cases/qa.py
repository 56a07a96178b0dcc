"""Quality assurance: a reproducible dip sample, key-question reviews, returning and signing off."""

import math
import random
from dataclasses import dataclass

from django.db import transaction

from inspection import audit
from inspection import input_rules as rules
from inspection.choices import AuditKind
from inspection.published import ensure_editable, lock_for_edit

from .case_data import framework_sections
from .changes import set_status
from .choices import FINISHED, CaseStatus
from .models import Case, DipSample, QAOutcome, QAQuestionReview, QAReview
from .workflow import lock_case


class QARefused(Exception):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems  # {field name: message}
        super().__init__("; ".join(problems.values()))


def draw_dip_sample(inspection, share_percent: int, user) -> DipSample:
    """Draw `share_percent` of the complete cases (at least one), at random but reproducibly.

    The seed is stored with the sample: the same inspection, share and draw number always give the
    same cases, so anyone can check the draw was fair.
    """
    if not 1 <= share_percent <= 100:
        raise QARefused({"share_percent": "Enter a share between 1 and 100 percent"})
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        return _draw(inspection, share_percent, user)


def _draw(inspection, share_percent: int, user) -> DipSample:
    complete = list(
        inspection.cases.filter(status=CaseStatus.COMPLETE)
        .order_by("ref")
        .values_list("pk", flat=True)
    )
    if not complete:
        raise QARefused({"share_percent": "There are no complete cases to sample yet"})
    draw_number = inspection.dip_samples.count() + 1
    seed = f"inspection-{inspection.pk}-draw-{draw_number}-share-{share_percent}"
    size = max(1, math.ceil(len(complete) * share_percent / 100))
    chosen = random.Random(seed).sample(complete, size)
    sample = DipSample.objects.create(
        inspection=inspection, share_percent=share_percent, seed=seed, drawn_by=user
    )
    sample.cases.set(chosen)
    audit.record(
        inspection.pk,
        AuditKind.QA,
        by=user,
        subject="Dip sample",
        new=f"{share_percent}% drawn: {size} of {len(complete)} complete cases",
        reason=f"Seed {seed}",
    )
    return sample


def key_questions_to_review(case: Case) -> list:
    """The key questions a review of the case gives a verdict on: those of its sections that
    apply to it, in the framework's order."""
    _, sections = framework_sections(case.inspection)
    return [kq for s in sections if case.applies(s.when) for kq in s.key_questions]


@dataclass(frozen=True)
class QuestionVerdict:
    question_id: int
    code: str
    agrees: bool
    comment: str


def review_case(
    case: Case, reviewer, verdicts: list[QuestionVerdict], comment: str, outcome: str
) -> QAReview:
    """Record the review and return the case to its inspector, or sign it off."""
    ensure_editable(case.inspection)
    problems = _text_problems(verdicts, comment)
    for verdict in verdicts:
        if f"comment-{verdict.code}" in problems:
            continue
        if not verdict.agrees and not verdict.comment.strip():
            problems[f"comment-{verdict.code}"] = (
                f"Say why you disagree with the answer to {verdict.code}"
            )
    if (
        outcome == QAOutcome.RETURNED
        and not comment.strip()
        and all(v.agrees for v in verdicts)
        and "comment" not in problems
    ):
        problems["comment"] = "Say what the inspector should change before returning the case"
    if outcome == QAOutcome.SIGNED_OFF and any(not v.agrees for v in verdicts):
        problems["outcome"] = "A case with disagreements cannot be signed off: return it instead"
    if outcome not in QAOutcome.values:
        # Anything else used to sign the case off: a review needs a deliberate outcome.
        problems["outcome"] = "Choose whether to return the case or sign it off"
    if case.status not in FINISHED:
        problems["outcome"] = (
            f"Only complete cases can be reviewed; this one is {case.get_status_display().lower()}"
        )
    if problems:
        raise QARefused(problems)
    with transaction.atomic():
        # The case row's lock, as saves and publishing take it: the status is judged as it is now.
        locked = lock_case(case)
        if locked.status not in FINISHED:
            now = locked.get_status_display().lower()
            raise QARefused({"outcome": f"This case changed meanwhile: it is {now}"})
        review = QAReview.objects.create(
            case=case, reviewer=reviewer, outcome=outcome, comment=comment.strip()
        )
        QAQuestionReview.objects.bulk_create(
            QAQuestionReview(
                review=review,
                question_id=v.question_id,
                agrees=v.agrees,
                comment=v.comment.strip(),
            )
            for v in verdicts
        )
        disagreed = [v.code for v in verdicts if not v.agrees]
        audit.record(
            case.inspection_id,
            AuditKind.QA,
            by=reviewer,
            case=case,
            subject="QA review",
            new=QAOutcome(outcome).label
            + (f"; disagrees with {', '.join(disagreed)}" if disagreed else ""),
            reason=comment,
        )
        set_status(
            case,
            CaseStatus.RETURNED if outcome == QAOutcome.RETURNED else CaseStatus.SIGNED_OFF,
            reviewer,
        )
    return review


def _text_problems(verdicts: list[QuestionVerdict], comment: str) -> dict[str, str]:
    """{field: message} for comments that are not good text (the page's form says the same)."""
    texts = {f"comment-{v.code}": (f"the comment on {v.code}", v.comment) for v in verdicts}
    texts["comment"] = ("the comment for the inspector", comment)
    problems = {}
    for name, (what, text) in texts.items():
        messages = rules.text_messages(text, what=what, max_length=rules.QA_COMMENT_MAX)
        if messages:
            problems[name] = messages[0]
    return problems


def latest_return(case: Case) -> QAReview | None:
    """The review that sent the case back, while it is still returned."""
    if case.status != CaseStatus.RETURNED:
        return None
    return (
        case.qa_reviews.filter(outcome=QAOutcome.RETURNED)
        .select_related("reviewer")
        .prefetch_related("questions__question")
        .first()
    )
