"""Writing action plans: the addressee's actions and progress, submitting, the lead's review, and
the themes a recommendation is tagged with. Every change is checked (who, and the plan's state),
audited and made in one transaction; nothing here touches the published report.

A form posted from an older version of the plan is refused (`StalePlan`), so two managers
editing one plan never overwrite each other unseen.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inspection import audit
from inspection import input_rules as rules
from inspection.access import can_review_action_plans, can_write_action_plan
from inspection.choices import AuditKind, PlanProgress, PlanState
from inspection.models import Recommendation

from .models import ActionPlan, PlanAction, PlanReview, ProgressUpdate, RecommendationTheme, Theme
from .report_model import numbered

OPEN_FOR_EDITING = (PlanState.DRAFT, PlanState.RETURNED)


class StalePlan(ValidationError):
    def __init__(self):
        super().__init__(
            "Someone else changed this action plan after you opened it: nothing was saved. "
            "Check the plan as it is now and make your change again."
        )


def number_of(recommendation: Recommendation) -> int:
    """The recommendation's number in its report (report_model.numbered)."""
    for number, other in numbered(recommendation.inspection.recommendations.all()):
        if other.pk == recommendation.pk:
            return number
    raise ValueError("the recommendation is not in its inspection")


def _subject(recommendation: Recommendation) -> str:
    return f"Action plan for recommendation {number_of(recommendation)}"


def _record(recommendation, *, by, old: str = "", new: str = "", reason: str = "") -> None:
    audit.record(
        recommendation.inspection_id,
        AuditKind.ACTION_PLAN,
        by=by,
        subject=_subject(recommendation),
        old=old,
        new=new,
        reason=reason,
    )


def _locked_plan(recommendation: Recommendation, version: int | None) -> ActionPlan:
    """The plan's row, created if it is the first change, locked for this transaction; refused if
    `version` (what the form was made from) is no longer the stored one."""
    ActionPlan.objects.get_or_create(recommendation=recommendation)
    plan = ActionPlan.objects.select_for_update().get(recommendation=recommendation)
    if version is not None and version != plan.version:
        raise StalePlan()
    return plan


def _bump(plan: ActionPlan, *fields: str) -> None:
    plan.version += 1
    plan.save(update_fields=["version", *fields])


def _as_writer(user, recommendation: Recommendation) -> None:
    if not can_write_action_plan(user, recommendation):
        raise PermissionDenied("Only the recommendation's addressee writes its action plan.")


def _open(plan: ActionPlan) -> None:
    if plan.state not in OPEN_FOR_EDITING:
        raise ValidationError(
            f"The plan is {plan.get_state_display().lower()}: its actions change only while it "
            "is a draft or returned. Record progress instead."
        )


def _reads(action: PlanAction) -> str:
    return (
        f"{action.what} (owner: {action.owner}; due {action.due:%d %B %Y}; "
        f"{action.get_status_display().lower()})"
    )


def add_action(recommendation, *, what: str, owner: str, due: datetime.date, by, version=None):
    _as_writer(by, recommendation)
    what = rules.clean_text(what, what="the action", max_length=rules.ACTION_MAX)
    owner = rules.clean_text(
        owner, what="the owner", max_length=rules.ACTION_OWNER_MAX, multiline=False
    )
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        _open(plan)
        action = PlanAction.objects.create(plan=plan, what=what, owner=owner, due=due)
        _bump(plan)
        _record(recommendation, by=by, new=f"Action added: {_reads(action)}")
    return action


def change_action(action: PlanAction, *, by, version=None, **fields) -> PlanAction:
    """`fields`: any of what, owner, due (while the plan is open for editing) and status (any
    time: it is progress)."""
    recommendation = action.plan.recommendation
    _as_writer(by, recommendation)
    if "what" in fields:
        fields["what"] = rules.clean_text(
            fields["what"], what="the action", max_length=rules.ACTION_MAX
        )
    if "owner" in fields:
        fields["owner"] = rules.clean_text(
            fields["owner"], what="the owner", max_length=rules.ACTION_OWNER_MAX, multiline=False
        )
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        stored = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
        if any(
            getattr(stored, name) != value for name, value in fields.items() if name != "status"
        ):
            _open(plan)
        before = _reads(stored)
        for name, value in fields.items():
            setattr(stored, name, value)
        if _reads(stored) != before:
            stored.full_clean(exclude=["plan"])
            stored.save()
            _bump(plan)
            _record(recommendation, by=by, old=before, new=_reads(stored))
    return stored


def remove_action(action: PlanAction, *, by, version=None) -> None:
    recommendation = action.plan.recommendation
    _as_writer(by, recommendation)
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        _open(plan)
        stored = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
        stored.delete()
        _bump(plan)
        _record(recommendation, by=by, old=f"Action removed: {_reads(stored)}")


def submit(recommendation: Recommendation, *, by, version=None) -> ActionPlan:
    _as_writer(by, recommendation)
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        if plan.state not in OPEN_FOR_EDITING:
            raise ValidationError(f"The plan is already {plan.get_state_display().lower()}.")
        if plan.progress != PlanProgress.NOT_ACCEPTED and not plan.actions.exists():
            raise ValidationError(
                "Add at least one action before submitting the plan, or record that the "
                "recommendation is not accepted and why."
            )
        before = plan.get_state_display()
        plan.state, plan.submitted_at = PlanState.SUBMITTED, timezone.now()
        _bump(plan, "state", "submitted_at")
        _record(recommendation, by=by, old=before, new=plan.get_state_display())
    return plan


def review(recommendation: Recommendation, *, outcome: str, comment: str, by, version=None):
    """The lead accepts a submitted plan, or returns it with a comment saying what to change."""
    if not can_review_action_plans(by, recommendation.inspection):
        raise PermissionDenied("Only the inspection's lead reviews its action plans.")
    comment = rules.clean_text(comment, what="the comment", max_length=rules.PLAN_COMMENT_MAX)
    if outcome == PlanState.RETURNED and not comment.strip():
        raise ValidationError("Say what to change: a returned plan needs a comment.")
    if outcome not in (PlanState.ACCEPTED, PlanState.RETURNED):
        raise ValidationError("Choose whether to accept the plan or return it.")
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        if plan.state != PlanState.SUBMITTED:
            raise ValidationError(
                f"Only a submitted plan is reviewed; this one is "
                f"{plan.get_state_display().lower()}."
            )
        PlanReview.objects.create(plan=plan, outcome=outcome, comment=comment, by=by)
        before = plan.get_state_display()
        plan.state = outcome
        plan.accepted_at = timezone.now() if outcome == PlanState.ACCEPTED else None
        _bump(plan, "state", "accepted_at")
        _record(recommendation, by=by, old=before, new=plan.get_state_display(), reason=comment)
    return plan


def record_progress(
    recommendation: Recommendation, *, on: datetime.date, progress: str, text: str, by, version=None
) -> ProgressUpdate:
    """A dated update with its evidence; it sets the plan's progress. "Not accepted" takes the
    update's text as the reason."""
    _as_writer(by, recommendation)
    text = rules.clean_text(text, what="the update", max_length=rules.PROGRESS_MAX)
    if not text.strip():
        raise ValidationError("Enter the update and its evidence")
    if on > timezone.localdate():
        raise ValidationError("The date of an update must be today or in the past")
    if progress == PlanProgress.NOT_ACCEPTED and len(text) > rules.PLAN_COMMENT_MAX:
        raise ValidationError(
            f"A reason for not accepting must be {rules.PLAN_COMMENT_MAX:,} characters or fewer"
        )
    with transaction.atomic():
        plan = _locked_plan(recommendation, version)
        update = ProgressUpdate.objects.create(
            plan=plan, on=on, text=text, progress=progress, by=by
        )
        before = plan.get_progress_display()
        plan.progress = progress
        plan.not_accepted_reason = text if progress == PlanProgress.NOT_ACCEPTED else ""
        _bump(plan, "progress", "not_accepted_reason")
        _record(
            recommendation,
            by=by,
            old=before,
            new=f"{plan.get_progress_display()} ({on:%d %B %Y}): {text}",
        )
    return update


def set_themes(recommendation: Recommendation, themes, *, by) -> None:
    """Tag the recommendation with exactly `themes` (the lead's, after publication too)."""
    if not can_review_action_plans(by, recommendation.inspection):
        raise PermissionDenied("Only the inspection's lead tags its recommendations.")
    wanted = {t.pk for t in themes}
    with transaction.atomic():
        Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        tags = RecommendationTheme.objects.filter(recommendation=recommendation)
        had = set(tags.values_list("theme_id", flat=True))
        if had == wanted:
            return
        tags.exclude(theme_id__in=wanted).delete()
        RecommendationTheme.objects.bulk_create(
            RecommendationTheme(recommendation=recommendation, theme_id=pk) for pk in wanted - had
        )
        names = dict(Theme.objects.filter(pk__in=had | wanted).values_list("pk", "name"))
        _record(
            recommendation,
            by=by,
            old="Themes: " + ", ".join(sorted(names[pk] for pk in had)),
            new="Themes: " + ", ".join(sorted(names[pk] for pk in wanted)),
        )
