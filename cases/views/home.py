from django.db.models import Count, Q
from django.shortcuts import render

from inspection.access import visible_inspections

from ..choices import FINISHED


def home(request):
    """The inspections this user may see, each with its progress."""
    inspections = visible_inspections(request.user).annotate(
        case_total=Count("cases", distinct=True),
        cases_done=Count(
            "cases",
            filter=Q(cases__status__in=FINISHED),
            distinct=True,
        ),
    )
    return render(request, "inspection/home.html", {"inspections": inspections})
