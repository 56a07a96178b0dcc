"""Reading action plans: each recommendation's plan as it stands, when it is due, what is overdue,
and theme counts across inspections. The pages, dashboards, reminders and the next inspection's
report all read plans through here, so "overdue" means one thing everywhere.

A plan is due ACTION_PLAN_DUE_WEEKS after the inspection's first publication, and overdue from
the day after while it is not submitted or accepted. An action is overdue from the day after its
due date while it is not done (and its recommendation is not one the addressee did not accept).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from inspection.access import visible_inspections
from inspection.choices import InspectionStatus, PlanProgress, PlanState
from inspection.models import Inspection, InspectionEvent, Recommendation

from .models import ActionPlan, PlanAction, PublishedReport, Theme
from .report_model import numbered

NOT_YET_IN = (PlanState.DRAFT, PlanState.RETURNED)


def current_date() -> datetime.date:
    """Today, where overdue is judged (tests set it to a day of their choosing)."""
    return timezone.localdate()


def published_on(inspection_ids) -> dict[int, datetime.date]:
    """Each inspection's first publication date: its first publication event, or for one
    published before events were kept, its first record."""
    dates = {
        row["inspection_id"]: row["first"]
        for row in InspectionEvent.objects.filter(
            inspection_id__in=inspection_ids, to_status=InspectionStatus.PUBLISHED
        )
        .values("inspection_id")
        .annotate(first=Min("at"))
    }
    missing = set(inspection_ids) - set(dates)
    if missing:
        for row in (
            PublishedReport.objects.filter(inspection_id__in=missing)
            .values("inspection_id")
            .annotate(first=Min("published_at"))
        ):
            dates[row["inspection_id"]] = row["first"]
    return {pk: timezone.localdate(at) for pk, at in dates.items()}


def plan_due(published: datetime.date) -> datetime.date:
    return published + datetime.timedelta(weeks=settings.ACTION_PLAN_DUE_WEEKS)


def action_overdue(action: PlanAction, plan: ActionPlan, today: datetime.date) -> bool:
    return (
        action.due < today
        and action.status != PlanProgress.DONE
        and plan.progress != PlanProgress.NOT_ACCEPTED
    )


@dataclass(frozen=True)
class PlanRow:
    """One published recommendation and its plan (None: not started), as every page lists it."""

    recommendation: Recommendation
    number: int
    plan: ActionPlan | None
    due: datetime.date | None
    today: datetime.date

    @property
    def state(self) -> str:
        return self.plan.state if self.plan else PlanState.DRAFT

    @property
    def state_label(self) -> str:
        return PlanState(self.state).label

    @property
    def progress_label(self) -> str:
        return PlanProgress(self.plan.progress if self.plan else PlanProgress.NOT_STARTED).label

    @property
    def actions(self) -> list[PlanAction]:
        return list(self.plan.actions.all()) if self.plan else []

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today and self.state in NOT_YET_IN

    @property
    def overdue_actions(self) -> list[PlanAction]:
        return [a for a in self.actions if action_overdue(a, self.plan, self.today)]

    @property
    def actions_done(self) -> int:
        return sum(1 for a in self.actions if a.status == PlanProgress.DONE)


def _plans():
    return ActionPlan.objects.prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("due", "pk"))
    )


def plan_rows(inspections, today: datetime.date | None = None) -> list[PlanRow]:
    """Every recommendation of the published `inspections`, numbered as its report numbers it,
    with its plan; in a fixed number of queries however many there are."""
    today = today or current_date()
    published = [i for i in inspections if i.status == InspectionStatus.PUBLISHED]
    dates = published_on([i.pk for i in published])
    recommendations = (
        Recommendation.objects.filter(inspection__in=published)
        .select_related("inspection__pdu__region", "inspection__region")
        .prefetch_related(Prefetch("action_plan", queryset=_plans()))
    )
    by_inspection: dict[int, list[Recommendation]] = {}
    for recommendation in recommendations:
        by_inspection.setdefault(recommendation.inspection_id, []).append(recommendation)
    rows = []
    for inspection in published:
        published_date = dates.get(inspection.pk)
        for number, recommendation in numbered(by_inspection.get(inspection.pk, [])):
            rows.append(
                PlanRow(
                    recommendation,
                    number,
                    getattr(recommendation, "action_plan", None),
                    plan_due(published_date) if published_date else None,
                    today,
                )
            )
    return rows


@dataclass(frozen=True)
class InspectionFollowUp:
    inspection: Inspection
    rows: tuple[PlanRow, ...]

    @property
    def plans_overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    @property
    def actions_overdue(self) -> int:
        return sum(len(r.overdue_actions) for r in self.rows)

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r.state == PlanState.ACCEPTED)


@dataclass(frozen=True)
class FollowUp:
    """Overdue plans and actions over some published inspections, for a dashboard."""

    inspections: tuple[InspectionFollowUp, ...]

    @property
    def recommendations(self) -> int:
        return sum(len(i.rows) for i in self.inspections)

    @property
    def plans_overdue(self) -> int:
        return sum(i.plans_overdue for i in self.inspections)

    @property
    def actions_overdue(self) -> int:
        return sum(i.actions_overdue for i in self.inspections)

    @property
    def accepted(self) -> int:
        return sum(i.accepted for i in self.inspections)


def follow_up(inspections, today: datetime.date | None = None) -> FollowUp:
    inspections = [i for i in inspections if i.status == InspectionStatus.PUBLISHED]
    rows = plan_rows(inspections, today)
    return FollowUp(
        tuple(
            InspectionFollowUp(i, tuple(r for r in rows if r.recommendation.inspection_id == i.pk))
            for i in inspections
        )
    )


def visible_follow_up(user, *where, today: datetime.date | None = None, **filters) -> FollowUp:
    """For a PDU or region dashboard: the published inspections there this user may see, each
    named with its overdue plans and actions."""
    inspections = (
        visible_inspections(user)
        .filter(*where, status=InspectionStatus.PUBLISHED, **filters)
        .order_by("-fieldwork_start", "-pk")
    )
    return follow_up(list(inspections), today)


def national_follow_up(today: datetime.date | None = None) -> FollowUp:
    """Every published inspection: the national dashboard shows only its totals, which name no
    inspection, so they are the same whoever looks (as its other national figures are)."""
    inspections = Inspection.objects.with_place().filter(status=InspectionStatus.PUBLISHED)
    return follow_up(list(inspections), today)


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    recommendations: int
    inspections: int


def theme_counts() -> list[ThemeCount]:
    """Each theme's published recommendations and the inspections they come from."""
    published = Q(tags__recommendation__inspection__status=InspectionStatus.PUBLISHED)
    themes = Theme.objects.annotate(
        recommendation_count=Count("tags__recommendation", filter=published, distinct=True),
        inspection_count=Count("tags__recommendation__inspection", filter=published, distinct=True),
    )
    # Most used first (an aggregate ignores the model's own ordering).
    themes = themes.order_by("-recommendation_count", "name")
    return [ThemeCount(t, t.recommendation_count, t.inspection_count) for t in themes]
