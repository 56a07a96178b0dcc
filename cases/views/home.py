from django.db.models import Count, Q
from django.shortcuts import render

from inspection.access import calibration_inspections, visible_inspections, writable_plans
from inspection.choices import InspectionStatus
from inspection.models import Recommendation

from ..blinding import blind_case_ids
from ..choices import FINISHED
from ..forms import CaseSearchForm
from ..my_work import (
    assigned_cases,
    open_queries_on_my_cases,
    search_cases,
    second_markings_to_do,
)


def home(request):
    """The person's own cases (returned ones first), the second markings theirs to do, a search
    by case reference, and the inspections they may see, each with its progress."""
    inspections = visible_inspections(request.user).annotate(
        case_total=Count("cases", distinct=True),
        # Not a case the user marks second while blind: how far its first marking has got.
        cases_done=Count(
            "cases",
            filter=Q(cases__status__in=FINISHED) & ~Q(cases__pk__in=blind_case_ids(request.user)),
            distinct=True,
        ),
    )
    search = CaseSearchForm(request.GET if "ref" in request.GET else None)
    plans_to_write = _plans_to_write(request.user)
    searched = search.searched if search.is_valid() else ""
    return render(
        request,
        "inspection/home.html",
        {
            "inspections": inspections,
            "my_cases": assigned_cases(request.user),
            "search": search,
            "searched": searched,
            "results": search_cases(request.user, searched) if searched else None,
            "plans_to_write": plans_to_write,
            "second_markings": second_markings_to_do(request.user),
            "queries": open_queries_on_my_cases(request.user),
            "calibrates": calibration_inspections(request.user).exists(),
        },
        status=400 if search.errors else 200,
    )


def _plans_to_write(user) -> list[tuple]:
    """(inspection, how many of its recommendations this user answers with an action plan), for
    a manager: the published inspections they may read with recommendations addressed to them.
    One query (writable_plans decides from the recommendations read)."""
    if not user.manager_scopes.exists():
        return []
    recommendations = Recommendation.objects.filter(
        inspection__in=visible_inspections(user).filter(status=InspectionStatus.PUBLISHED)
    ).select_related("inspection__pdu__region", "inspection__region")
    mine = writable_plans(user, recommendations)
    counts: dict = {}
    for recommendation in recommendations:
        if recommendation.pk in mine:
            inspection = recommendation.inspection
            counts[inspection] = counts.get(inspection, 0) + 1
    return sorted(
        counts.items(), key=lambda item: (-item[0].fieldwork_start.toordinal(), item[0].pk)
    )
