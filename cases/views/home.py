from django.db.models import Count, Q
from django.shortcuts import render

from inspection.access import visible_inspections

from ..choices import FINISHED
from ..forms import CaseSearchForm
from ..my_work import assigned_cases, search_cases


def home(request):
    """The person's own cases (returned ones first), a search by case reference, and the
    inspections they may see, each with its progress."""
    inspections = visible_inspections(request.user).annotate(
        case_total=Count("cases", distinct=True),
        cases_done=Count(
            "cases",
            filter=Q(cases__status__in=FINISHED),
            distinct=True,
        ),
    )
    search = CaseSearchForm(request.GET if "ref" in request.GET else None)
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
        },
        status=400 if search.errors else 200,
    )
